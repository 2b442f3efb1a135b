package export

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// The XML rendition follows the output of CPR's GCTP web service as seed
// 000 shows it:
//
//	<CprData u="0">
//	  <Rolle r="HovedRolle">
//	    <Field r="CVR" v="32271014"/> (CPR for an owner's CPR number)
//	    <Field r="DAR_BFE" v="..."/> <Field r="EJF_EJET_FRA" v="19730101"/>
//	    <Field r="CPR_FRA" v="..."/> <Field r="CPR_TIL" v="20201003"/>
//	    <Table r="RESULTAT" mr="<rows>">
//	      <Row k="<row key>">
//	        <Field r="DAR_HUSNR_UUID" v="..."/> <Field r="DAR_ADR_UUID" v="..."/>
//	        <Field r="CPR_ADRESSE" v="Dalslandsgade 8A, st. 103, 2300 København S"/>
//	        <Field r="CPR_KOMK" v="0101" t="København"/> <Field r="CPR_HUSNUMMER" v="8A"/>
//	        <Field r="CPR_SIDEDEOER" v="103"/> <Field r="CPR_ETAGE" v="st"/>
//	        <Field r="CPR_VEJK" v="1232" t="Dalslandsgade"/>
//	        <Field r="CPR_ADRNVN" v="Hansen,Hans"/> <Field r="CPR_TILFLYT_DTO" v="20100529"/>
//	        <Field r="CPR_FRAFLYT_DTO" v="20200609"/> <Field r="CPR_BESKYTTELSE" v="N"/>
//	      </Row>
//	    </Table>
//	  </Rolle>
//	</CprData>
//
// Dates are YYYYMMDD. The seed's example names only the address fields of
// a row; CPR_FRA, CPR_ADRNVN, CPR_TILFLYT_DTO, CPR_FRAFLYT_DTO and
// CPR_BESKYTTELSE are this server's names for the period's start and the
// CPRWeb columns. The seed spells the door field CPR_SIDEDEOER, a typo we
// keep for partners that parse by name. A protected resident's row holds
// only the dates and CPR_BESKYTTELSE="J"; a field without a value (no
// floor, no move-out) is left out. The row key k is the row's position: it
// carries no personal data.
type cprData struct {
	XMLName xml.Name `xml:"CprData"`
	U       string   `xml:"u,attr"`
	Rolle   xmlRolle `xml:"Rolle"`
}

type xmlRolle struct {
	R      string     `xml:"r,attr"`
	Fields []xmlField `xml:"Field"`
	Table  xmlTable   `xml:"Table"`
}

type xmlTable struct {
	R    string   `xml:"r,attr"`
	MR   int      `xml:"mr,attr"`
	Rows []xmlRow `xml:"Row"`
}

type xmlRow struct {
	K      string     `xml:"k,attr"`
	Fields []xmlField `xml:"Field"`
}

type xmlField struct {
	R string `xml:"r,attr"`
	V string `xml:"v,attr"`
	T string `xml:"t,attr,omitempty"`
}

// gctpDate writes an ISO date as YYYYMMDD.
func gctpDate(iso string) string { return strings.ReplaceAll(iso, "-", "") }

func (res residents) xml() ([]byte, error) {
	c := res.Criteria
	ownerField := "CVR"
	if len(c.Owner) != 8 {
		ownerField = "CPR"
	}
	doc := cprData{U: "0", Rolle: xmlRolle{
		R: "HovedRolle",
		Fields: []xmlField{
			{R: ownerField, V: c.Owner},
			{R: "DAR_BFE", V: strconv.FormatInt(c.Bfe, 10)},
			{R: "EJF_EJET_FRA", V: gctpDate(c.OwnedFrom)},
			{R: "CPR_FRA", V: gctpDate(c.From)},
			{R: "CPR_TIL", V: gctpDate(c.To)},
		},
		Table: xmlTable{R: "RESULTAT", MR: len(res.Rows)},
	}}
	for i, row := range res.Rows {
		var fields []xmlField
		add := func(r, v, t string) {
			if v != "" {
				fields = append(fields, xmlField{R: r, V: v, T: t})
			}
		}
		add("DAR_HUSNR_UUID", row.DarHouseNumberID, "")
		add("DAR_ADR_UUID", row.DarAddressID, "")
		add("CPR_ADRESSE", row.Address, "")
		add("CPR_KOMK", code(row.MunicipalityCode, 4), row.MunicipalityName)
		add("CPR_HUSNUMMER", row.HouseNumber, "")
		add("CPR_SIDEDEOER", row.Door, "")
		add("CPR_ETAGE", row.Floor, "")
		add("CPR_VEJK", code(row.StreetCode, 4), row.StreetName)
		add("CPR_ADRNVN", text(row.AddressingName), "")
		add("CPR_TILFLYT_DTO", gctpDate(row.MoveIn), "")
		add("CPR_FRAFLYT_DTO", gctpDate(text(row.MoveOut)), "")
		protected := "N"
		if row.Protected {
			protected = "J"
		}
		add("CPR_BESKYTTELSE", protected, "")
		doc.Rolle.Table.Rows = append(doc.Rolle.Table.Rows, xmlRow{K: fmt.Sprintf("%06d", i+1), Fields: fields})
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	buf.WriteString("\n")
	return buf.Bytes(), nil
}
