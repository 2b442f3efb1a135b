package graph

import (
	"slices"
	"time"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/cohabitation"
	"cprgraph/db"
	"cprgraph/graph/model"
	"cprgraph/graph/scalar"
)

// maxCohabitationCPRs caps each list of the cohabitation check.
const maxCohabitationCPRs = 10

// cohabitationCPRs parses one list of the check: BAD_USER_INPUT when it is
// empty, too long or holds a malformed number. Repeated numbers count once.
func cohabitationCPRs(list string, numbers []string) ([]string, error) {
	if len(numbers) == 0 || len(numbers) > maxCohabitationCPRs {
		return nil, apperr.Errorf(apperr.BadUserInput, "%s must hold 1 to %d CPR numbers", list, maxCohabitationCPRs)
	}
	var out []string
	for _, s := range numbers {
		n, err := parseCPR(s)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// cohabitationDay is the day of the change of owner: today unless given,
// and not later (BAD_USER_INPUT).
func cohabitationDay(date *scalar.Date) (time.Time, error) {
	today := access.Today()
	if date == nil {
		return today, nil
	}
	day := time.Time(*date)
	if day.After(today) {
		return day, apperr.Errorf(apperr.BadUserInput, "date must not be after today")
	}
	return day, nil
}

// vehicleOf is the vehicle argument, VEHICLE when null.
func vehicleOf(v *cohabitation.Vehicle) cohabitation.Vehicle {
	if v == nil {
		return cohabitation.AnyVehicle
	}
	return *v
}

// cohabitationResult translates the check's result; persons holds the
// persons of the check, whose protection masks each pair.
func cohabitationResult(res cohabitation.Result, day time.Time, persons map[string]db.Person) *model.CohabitationResult {
	out := &model.CohabitationResult{
		FeeDue:      res.FeeDue,
		Rule:        res.Decision.Rule,
		Explanation: &res.Decision.Explanation,
		Dates:       cohabitationDates(res.Decision.Dates),
		NewOwner:    res.Decision.NewOwner,
		Date:        scalar.Date(day),
		Pairs:       []*model.CohabitationPair{},
		Subject:     pairSubject(res.Decision, persons),
	}
	if res.Decision.Primary != "" {
		out.Primary = &res.Decision.Primary
	}
	for _, p := range res.Pairs {
		out.Pairs = append(out.Pairs, &model.CohabitationPair{
			Primary: p.Primary, NewOwner: p.NewOwner, Rule: p.Rule, Explanation: &p.Explanation,
			Dates: cohabitationDates(p.Dates), Subject: pairSubject(p, persons),
		})
	}
	return out
}

// pairSubject is the stricter of a pair's two persons (the new owner alone
// when it has no primary person).
func pairSubject(d cohabitation.Decision, persons map[string]db.Person) access.Subject {
	newOwner := persons[d.NewOwner]
	primary, ok := persons[d.Primary]
	if !ok {
		return newOwner
	}
	return access.Stricter(primary, newOwner)
}

func cohabitationDates(d cohabitation.Dates) *model.CohabitationDates {
	return &model.CohabitationDates{
		MarriedSince:      optionalDate(d.MarriedSince),
		MarriageEnded:     optionalDate(d.MarriageEnded),
		SeparatedSince:    optionalDate(d.SeparatedSince),
		DeathDate:         optionalDate(d.DeathDate),
		CommonAddressFrom: optionalDate(d.CommonAddressFrom),
		CommonAddressTo:   optionalDate(d.CommonAddressTo),
	}
}

func optionalDate(t *time.Time) *scalar.Date {
	if t == nil {
		return nil
	}
	d := scalar.Date(*t)
	return &d
}
