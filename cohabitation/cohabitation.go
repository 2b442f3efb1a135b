// Package cohabitation decides the cohabitation check of seed 001
// (SamboendeOpslag): whether the fee for registering a change of owner of a
// vehicle (Gebyrpligtig, EjerskifteBetaling) is due, by the exemptions of
// Færdselsloven § 124 m, stk. 2, as the seed quotes them:
//
//	Stk. 2. Der skal ikke ske betaling i følgende tilfælde:
//	1) når der sker ejerskifte (brugerskifte) mellem ægtefæller,
//	2) når en ægtefælle efter den anden ægtefælles død eller i tilfælde af
//	   skilsmisse eller separation overtager et køretøj, der er registreret
//	   i den anden ægtefælles navn,
//	3) når en person overtager et køretøj, der er registreret i en
//	   samboendes navn, såfremt den fælles bopæl har bestået de sidste fem år,
//	4) når en person ved dødsfald overtager et køretøj, der er registreret i
//	   afdødes navn, såfremt vedkommende har haft fælles bopæl med afdøde de
//	   sidste to år før dødsfaldet,
//	5) når en person ved ophævelse af fælles bopæl overtager et køretøj, der
//	   er registreret i en samboendes navn, såfremt den fælles bopæl har
//	   bestået de sidste fem år før samlivsophævelsen.
//
// The check pairs a primary person (den der pt. står registreret som
// køretøjets ejer) with a new owner (den person køretøjet skal omregistreres
// til) and applies the rules in that order; the first that holds exempts the
// pair. The functions here are pure: they judge the facts of the register
// (db.CohabitationFacts) on a given day.
package cohabitation

import (
	"fmt"
	"slices"
	"time"

	"cprgraph/cpr"
	"cprgraph/db"
)

// Rule is the exemption that applied, or None.
type Rule string

// The rules, numbered as in § 124 m, stk. 2.
const (
	// Spouses: nr. 1, "ejerskifte (brugerskifte) mellem ægtefæller". The two
	// are married to each other (or registered partners) on the day, both
	// alive, and not separated.
	Spouses Rule = "SPOUSES"
	// FormerSpouse: nr. 2, "en ægtefælle efter den anden ægtefælles død
	// eller i tilfælde af skilsmisse eller separation". The primary person
	// died while married to the new owner; or their marriage ended in
	// divorce (the civil status that follows it is F, fraskilt, or O,
	// ophævet partnerskab); or they are married and separated on the day.
	FormerSpouse Rule = "SPOUSE_AFTER_DEATH_DIVORCE_OR_SEPARATION"
	// Cohabitants: nr. 3, "samboendes navn, såfremt den fælles bopæl har
	// bestået de sidste fem år". Both alive and living at the same dwelling
	// on the day, without a break for the last five years.
	Cohabitants Rule = "COHABITANTS_FIVE_YEARS"
	// DeathAfterCohabitation: nr. 4, "ved dødsfald ... fælles bopæl med
	// afdøde de sidste to år før dødsfaldet". The primary person died on or
	// before the day, and the two lived together for the two years before.
	DeathAfterCohabitation Rule = "DEATH_AFTER_TWO_YEARS_COMMON_ADDRESS"
	// EndOfCohabitation: nr. 5, "ved ophævelse af fælles bopæl ... de
	// sidste fem år før samlivsophævelsen". The two no longer live together,
	// and their last common residence had lasted five years when it ended.
	EndOfCohabitation Rule = "END_OF_COHABITATION_AFTER_FIVE_YEARS"
	// None: no exemption; the fee is due.
	None Rule = "NONE"
	// SmallMoped: § 124 m, stk. 1, second sentence: "Registrering af
	// anmeldelse om ejerskifte (brugerskifte) af registreringspligtig lille
	// knallert sker uden betaling." No pair needs an exemption.
	SmallMoped Rule = "SMALL_MOPED"
)

// Vehicle is the kind of vehicle changing owner: a small moped (lille
// knallert) changes owner without a fee, whoever the owners are.
type Vehicle string

// The vehicle kinds.
const (
	AnyVehicle     Vehicle = "VEHICLE"     // every vehicle but a small moped
	SmallMopedKind Vehicle = "SMALL_MOPED" // registreringspligtig lille knallert
	smallMopedText         = "Registrering af anmeldelse om ejerskifte (brugerskifte) af registreringspligtig lille knallert sker uden betaling (§ 124 m, stk. 1)."
)

// CheckVehicle is Check for a change of owner of a vehicle of kind v: a
// small moped needs no exemption (the fee is never due, no pair is judged);
// any other vehicle is Check.
func CheckVehicle(v Vehicle, f db.CohabitationFacts, primary, newOwners []string, day time.Time) Result {
	if v != SmallMopedKind {
		return Check(f, primary, newOwners, day)
	}
	d := Decision{Rule: SmallMoped, Explanation: smallMopedText}
	if len(newOwners) > 0 {
		d.NewOwner = newOwners[0]
	}
	return Result{Decision: d}
}

// Dates are the dates a decision used; those it did not use are nil.
type Dates struct {
	MarriedSince      *time.Time // start of the marriage (rules 1, 2)
	MarriageEnded     *time.Time // end of the marriage by divorce (rule 2)
	SeparatedSince    *time.Time // start of the separation (rule 2)
	DeathDate         *time.Time // the primary person's death (rules 2, 4)
	CommonAddressFrom *time.Time // start of the common residence (rules 3, 4, 5)
	CommonAddressTo   *time.Time // end of the common residence (rule 5); nil while it lasts
}

// Decision is the check of one pair.
type Decision struct {
	Primary, NewOwner string
	Rule              Rule
	Explanation       string // in Danish
	Dates             Dates
}

// Result is the answer of the check.
type Result struct {
	// FeeDue (gebyrpligtig) is false when every new owner has an
	// exemption with a primary person other than itself.
	FeeDue bool
	// Decision is the deciding pair: when the fee is due, the first new
	// owner without an exemption (with its first primary person); else the
	// first new owner's exemption.
	Decision Decision
	// Pairs are every pair considered, primary persons in the order given
	// within new owners in the order given.
	Pairs []Decision
}

// Check answers the cohabitation check for a change of owner on day.
// A pair of a person with itself is not considered; a new owner with no
// other primary person has no exemption.
func Check(f db.CohabitationFacts, primary, newOwners []string, day time.Time) Result {
	var res Result
	for i, owner := range newOwners {
		first, exempt := -1, -1
		for _, p := range primary {
			if p == owner {
				continue
			}
			d := Pair(f, p, owner, day)
			res.Pairs = append(res.Pairs, d)
			if first < 0 {
				first = len(res.Pairs) - 1
			}
			if exempt < 0 && d.Rule != None {
				exempt = len(res.Pairs) - 1
			}
		}
		switch {
		case res.FeeDue:
		case exempt < 0 && first < 0:
			res.FeeDue = true
			res.Decision = Decision{NewOwner: owner, Rule: None,
				Explanation: "Den nye ejer er selv den registrerede ejer: ingen undtagelse i § 124 m, stk. 2, gælder; gebyr skal betales."}
		case exempt < 0:
			res.FeeDue = true
			res.Decision = res.Pairs[first]
		case i == 0:
			res.Decision = res.Pairs[exempt]
		}
	}
	return res
}

// Pair applies the rules in order to one pair: the primary person
// (registered owner) and the new owner.
func Pair(f db.CohabitationFacts, primary, newOwner string, day time.Time) Decision {
	d := Decision{Primary: primary, NewOwner: newOwner, Rule: None}
	if !alive(f, newOwner, day) {
		d.Explanation = "Den nye ejer er død: ingen undtagelse i § 124 m, stk. 2, gælder; gebyr skal betales."
		return d
	}
	p := pair{marriages: marriagesBetween(f, primary, newOwner), common: commonResidences(f, primary, newOwner), day: day}
	if death, ok := f.Deaths[primary]; ok && !death.After(day) {
		p.death = &death
	}
	p.married, p.isMarried = covering(p.marriages, day)
	if p.isMarried {
		p.separatedSince = separation(f, primary, newOwner, p.married, day)
	}
	p.cohabiting, p.together = covering(p.common, day)
	p.divorced = divorce(f, primary, newOwner, p.marriages, day)

	for _, rule := range []func() (Rule, Dates, string, bool){p.spouses, p.formerSpouse, p.cohabitants, p.deathAfterCohabitation, p.endOfCohabitation} {
		if r, dates, explanation, ok := rule(); ok {
			d.Rule, d.Dates, d.Explanation = r, dates, explanation
			return d
		}
	}
	d.Explanation = "Ingen undtagelse i § 124 m, stk. 2, gælder for parret: gebyr skal betales."
	if p.together {
		d.Dates.CommonAddressFrom = p.cohabiting.start
		d.Explanation = fmt.Sprintf("Ingen undtagelse i § 124 m, stk. 2, gælder for parret: fælles bopæl kun siden %s, under fem år; gebyr skal betales.", date(p.cohabiting.start))
	}
	return d
}

// pair holds the facts of one pair the rules read.
type pair struct {
	day            time.Time
	death          *time.Time // the primary person's, on or before day
	marriages      []period   // of the two to each other
	married        period     // the marriage on day, if isMarried
	isMarried      bool
	separatedSince *time.Time // a separation within that marriage, on day
	divorced       *period    // the last marriage ended by divorce by day
	common         []period   // of common residence
	cohabiting     period     // the common residence on day, if together
	together       bool
}

// spouses is rule 1: married to each other on the day, not separated.
func (p pair) spouses() (Rule, Dates, string, bool) {
	if !p.isMarried || p.death != nil || p.separatedSince != nil {
		return "", Dates{}, "", false
	}
	return Spouses, Dates{MarriedSince: p.married.start},
		fmt.Sprintf("Ægtefæller (§ 124 m, stk. 2, nr. 1): gift med hinanden%s.", since(p.married.start)), true
}

// formerSpouse is rule 2: separated, widowed by the primary person's
// death, or divorced.
func (p pair) formerSpouse() (Rule, Dates, string, bool) {
	switch {
	case p.isMarried && p.death == nil && p.separatedSince != nil:
		return FormerSpouse, Dates{MarriedSince: p.married.start, SeparatedSince: p.separatedSince},
			fmt.Sprintf("Ægtefælle efter separation (§ 124 m, stk. 2, nr. 2): gift%s og separeret siden %s.", since(p.married.start), date(p.separatedSince)), true
	case p.death != nil:
		if m, ok := coveringThrough(p.marriages, *p.death); ok {
			return FormerSpouse, Dates{MarriedSince: m.start, DeathDate: p.death},
				fmt.Sprintf("Ægtefælle efter dødsfald (§ 124 m, stk. 2, nr. 2): gift med afdøde%s til dødsfaldet %s.", since(m.start), date(p.death)), true
		}
	}
	if p.divorced != nil {
		return FormerSpouse, Dates{MarriedSince: p.divorced.start, MarriageEnded: p.divorced.end},
			fmt.Sprintf("Ægtefælle efter skilsmisse (§ 124 m, stk. 2, nr. 2): gift%s, ægteskabet opløst %s.", since(p.divorced.start), date(p.divorced.end)), true
	}
	return "", Dates{}, "", false
}

// cohabitants is rule 3: a common residence on the day that began at
// least five years before.
func (p pair) cohabitants() (Rule, Dates, string, bool) {
	if !p.together || p.death != nil || p.cohabiting.start.After(p.day.AddDate(-5, 0, 0)) {
		return "", Dates{}, "", false
	}
	return Cohabitants, Dates{CommonAddressFrom: p.cohabiting.start},
		fmt.Sprintf("Samboende (§ 124 m, stk. 2, nr. 3): fælles bopæl siden %s, dvs. de sidste fem år.", date(p.cohabiting.start)), true
}

// deathAfterCohabitation is rule 4: the primary person died, and a common
// residence lasted until the death and began at least two years before.
func (p pair) deathAfterCohabitation() (Rule, Dates, string, bool) {
	if p.death == nil {
		return "", Dates{}, "", false
	}
	c, ok := coveringThrough(p.common, *p.death)
	if !ok || c.start.After(p.death.AddDate(-2, 0, 0)) {
		return "", Dates{}, "", false
	}
	return DeathAfterCohabitation, Dates{DeathDate: p.death, CommonAddressFrom: c.start},
		fmt.Sprintf("Dødsfald (§ 124 m, stk. 2, nr. 4): fælles bopæl med afdøde fra %s til dødsfaldet %s, dvs. de sidste to år før dødsfaldet.", date(c.start), date(p.death)), true
}

// endOfCohabitation is rule 5: not living together on the day, and the
// last common residence had lasted at least five years when it ended.
func (p pair) endOfCohabitation() (Rule, Dates, string, bool) {
	if p.together {
		return "", Dates{}, "", false
	}
	c, ok := lastEnded(p.common, p.day)
	if !ok || c.start.After(c.end.AddDate(-5, 0, 0)) {
		return "", Dates{}, "", false
	}
	return EndOfCohabitation, Dates{CommonAddressFrom: c.start, CommonAddressTo: c.end},
		fmt.Sprintf("Ophævelse af fælles bopæl (§ 124 m, stk. 2, nr. 5): fælles bopæl fra %s til %s, dvs. de sidste fem år før samlivsophævelsen.", date(c.start), date(c.end)), true
}

// period is [start, end) in days; a nil start is unknown (before any day),
// a nil end is open.
type period struct {
	start, end *time.Time
}

func (p period) covers(day time.Time) bool {
	return (p.start == nil || !p.start.After(day)) && (p.end == nil || day.Before(*p.end))
}

// marriagesBetween returns the periods in which a or b is registered as
// married to (or the registered partner of) the other, by start.
func marriagesBetween(f db.CohabitationFacts, a, b string) []period {
	var out []period
	for _, c := range f.CivilStatuses {
		married := cpr.CivilStatus(c.Code) == cpr.CivilMarried || cpr.CivilStatus(c.Code) == cpr.CivilRegisteredPartnership
		if married && c.SpouseCPR != nil && ((c.CPR == a && *c.SpouseCPR == b) || (c.CPR == b && *c.SpouseCPR == a)) {
			out = append(out, period{c.Start, c.End})
		}
	}
	slices.SortStableFunc(out, func(x, y period) int { return db.CompareDates(x.start, y.start) })
	return out
}

// separation returns the start of a separation of either spouse, within
// the marriage m, that covers day; nil when there is none.
func separation(f db.CohabitationFacts, a, b string, m period, day time.Time) *time.Time {
	for _, s := range f.Separations {
		if (s.CPR == a || s.CPR == b) && s.Start != nil && (m.start == nil || !s.Start.Before(*m.start)) && (period{s.Start, s.End}).covers(day) {
			return s.Start
		}
	}
	return nil
}

// divorce returns the last marriage of a and b that ended in divorce by
// day; nil when there is none.
func divorce(f db.CohabitationFacts, a, b string, marriages []period, day time.Time) *period {
	for _, m := range slices.Backward(marriages) {
		if m.end != nil && !m.end.After(day) && endedInDivorce(f, a, b, *m.end) {
			return &m
		}
	}
	return nil
}

// endedInDivorce reports whether the civil status of a or b that starts
// when their marriage ended (on or after end, the first) is divorced (F)
// or a dissolved partnership (O).
func endedInDivorce(f db.CohabitationFacts, a, b string, end time.Time) bool {
	for _, who := range []string{a, b} {
		var next *db.CivilStatusPeriod
		for i, c := range f.CivilStatuses {
			if c.CPR == who && c.Start != nil && !c.Start.Before(end) && (next == nil || c.Start.Before(*next.Start)) {
				next = &f.CivilStatuses[i]
			}
		}
		if next != nil && (cpr.CivilStatus(next.Code) == cpr.CivilDivorced || cpr.CivilStatus(next.Code) == cpr.CivilDissolvedPartnership) {
			return true
		}
	}
	return false
}

func alive(f db.CohabitationFacts, who string, day time.Time) bool {
	death, dead := f.Deaths[who]
	return !dead || death.After(day)
}

// commonResidences returns the periods in which a and b lived at the same
// dwelling, by start, joined where one ends the day (or the day before)
// the next begins: moving together keeps the common residence. A stay
// without a move-in date proves no period and is left out.
func commonResidences(f db.CohabitationFacts, a, b string) []period {
	var out []period
	for _, x := range f.Residences {
		if x.CPR != a || x.MoveIn == nil {
			continue
		}
		for _, y := range f.Residences {
			if y.CPR != b || y.MoveIn == nil || y.Dwelling != x.Dwelling {
				continue
			}
			p := period{start: later(x.MoveIn, y.MoveIn), end: earlier(x.MoveOut, y.MoveOut)}
			if p.end == nil || p.start.Before(*p.end) {
				out = append(out, p)
			}
		}
	}
	slices.SortFunc(out, func(x, y period) int { return db.CompareDates(x.start, y.start) })
	var joined []period
	for _, p := range out {
		if n := len(joined); n > 0 && (joined[n-1].end == nil || !p.start.After(joined[n-1].end.AddDate(0, 0, 1))) {
			joined[n-1].end = later(joined[n-1].end, p.end)
			continue
		}
		joined = append(joined, p)
	}
	return joined
}

func covering(periods []period, day time.Time) (period, bool) {
	for _, p := range periods {
		if p.covers(day) {
			return p, true
		}
	}
	return period{}, false
}

// coveringThrough returns the period that lasted until day: it began on or
// before day and ended on day or later.
func coveringThrough(periods []period, day time.Time) (period, bool) {
	for _, p := range periods {
		if (p.start == nil || !p.start.After(day)) && (p.end == nil || !p.end.Before(day)) {
			return p, true
		}
	}
	return period{}, false
}

// lastEnded returns the last period that ended on or before day.
func lastEnded(periods []period, day time.Time) (period, bool) {
	for _, p := range slices.Backward(periods) {
		if p.end != nil && !p.end.After(day) {
			return p, true
		}
	}
	return period{}, false
}

// later returns the later of two dates; nil is the latest (an open end).
func later(a, b *time.Time) *time.Time {
	if a == nil || b == nil {
		return nil
	}
	if a.After(*b) {
		return a
	}
	return b
}

// earlier returns the earlier of two ends; nil is open.
func earlier(a, b *time.Time) *time.Time {
	switch {
	case a == nil:
		return b
	case b == nil || a.Before(*b):
		return a
	}
	return b
}

func since(t *time.Time) string {
	if t == nil {
		return ""
	}
	return " siden " + date(t)
}

func date(t *time.Time) string { return t.Format(time.DateOnly) }
