package graph

import (
	"time"

	"cprgraph/db"
	"cprgraph/graph/model"
	"cprgraph/graph/scalar"
)

// residentsQuery translates the GraphQL input of a landlord lookup.
func residentsQuery(in model.ResidentsInput) db.ResidentsQuery {
	q := db.ResidentsQuery{Owner: in.Owner, From: time.Time(in.From)}
	if in.To != nil {
		q.To = time.Time(*in.To)
	}
	if in.DarAddressID != nil {
		q.DarAddressID = *in.DarAddressID
	}
	if in.DarHouseNumberID != nil {
		q.DarHouseNumberID = *in.DarHouseNumberID
	}
	if a := in.CprAddress; a != nil {
		q.CPRAddress = &db.CPRAddress{
			MunicipalityCode: a.MunicipalityCode,
			StreetCode:       a.StreetCode,
			HouseNumber:      a.HouseNumber,
			Floor:            a.Floor,
			Door:             a.Door,
		}
		if a.StreetName != nil {
			q.CPRAddress.StreetName = *a.StreetName
		}
	}
	return q
}

// residentsResult translates the answer of a landlord lookup.
func residentsResult(res db.Residents) *model.ResidentsResult {
	criteria := &model.ResidentsCriteria{
		Owner:            res.Owner,
		Bfe:              int(res.BFE),
		OwnedFrom:        scalar.Date(res.OwnedFrom),
		From:             scalar.Date(res.From),
		To:               scalar.Date(res.To),
		DarHouseNumberID: res.Addresses[0].HouseNumberID,
	}
	for _, a := range res.Addresses {
		criteria.DarAddressIds = append(criteria.DarAddressIds, a.ID)
	}
	criteria.LeftOut = []*model.LeftOutDwelling{}
	for _, l := range res.LeftOut {
		criteria.LeftOut = append(criteria.LeftOut, &model.LeftOutDwelling{DarAddressID: l.DarAddressID, Reason: model.LeftOutReason(l.Reason)})
	}
	rows := make([]*db.Resident, len(res.Rows))
	for i := range res.Rows {
		rows[i] = &res.Rows[i]
	}
	return &model.ResidentsResult{Criteria: criteria, Rows: rows}
}
