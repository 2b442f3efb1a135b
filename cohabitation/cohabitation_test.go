package cohabitation

import (
	"testing"
	"time"

	"cprgraph/db"
)

const (
	owner = "0101701234" // the primary person, the registered owner
	buyer = "0202702345" // the new owner
	other = "0303703456"
)

func d(s string) *time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func str(s string) *string { return &s }

// facts builds the facts of owner and buyer.
type facts struct{ db.CohabitationFacts }

func newFacts() *facts {
	return &facts{db.CohabitationFacts{Known: map[string]bool{owner: true, buyer: true, other: true}, Deaths: map[string]time.Time{}}}
}

func (f *facts) civil(who, code string, spouse string, start, end string) *facts {
	c := db.CivilStatusPeriod{CPR: who, Code: code, Start: d(start)}
	if spouse != "" {
		c.SpouseCPR = str(spouse)
	}
	if end != "" {
		c.End = d(end)
	}
	f.CivilStatuses = append(f.CivilStatuses, c)
	return f
}

func (f *facts) separated(who, start, end string) *facts {
	s := db.SeparationPeriod{CPR: who, Start: d(start)}
	if end != "" {
		s.End = d(end)
	}
	f.Separations = append(f.Separations, s)
	return f
}

func (f *facts) lived(who, dwelling, in, out string) *facts {
	r := db.Residence{CPR: who, Dwelling: dwelling, MoveIn: d(in)}
	if out != "" {
		r.MoveOut = d(out)
	}
	f.Residences = append(f.Residences, r)
	return f
}

// together registers owner and buyer at the same dwelling.
func (f *facts) together(dwelling, in, out string) *facts {
	return f.lived(owner, dwelling, in, out).lived(buyer, dwelling, in, out)
}

func (f *facts) died(who, day string) *facts {
	f.Deaths[who] = *d(day)
	// The register ends the dead person's current stay on the day of death.
	for i, r := range f.Residences {
		if r.CPR == who && r.MoveOut == nil {
			f.Residences[i].MoveOut = d(day)
		}
	}
	return f
}

func same(a, b *time.Time) bool { return (a == nil) == (b == nil) && (a == nil || a.Equal(*b)) }

func TestRules(t *testing.T) {
	t.Parallel()
	day := *d("2026-06-01")
	for _, c := range []struct {
		name  string
		facts *facts
		rule  Rule
		dates Dates
	}{
		// 1) "når der sker ejerskifte (brugerskifte) mellem ægtefæller"
		{"married", newFacts().civil(owner, "G", buyer, "2020-01-01", ""), Spouses, Dates{MarriedSince: d("2020-01-01")}},
		{"married, the new owner's record", newFacts().civil(buyer, "G", owner, "2020-01-01", ""), Spouses, Dates{MarriedSince: d("2020-01-01")}},
		{"registered partners", newFacts().civil(owner, "P", buyer, "2012-03-04", ""), Spouses, Dates{MarriedSince: d("2012-03-04")}},
		{"married, and cohabiting for long", newFacts().civil(owner, "G", buyer, "2020-01-01", "").together("a", "2000-01-01", ""), Spouses, Dates{MarriedSince: d("2020-01-01")}},
		{"married to someone else", newFacts().civil(owner, "G", other, "2020-01-01", ""), None, Dates{}},
		{"marries after the day", newFacts().civil(owner, "G", buyer, "2026-06-02", ""), None, Dates{}},

		// 2) "når en ægtefælle efter den anden ægtefælles død eller i
		// tilfælde af skilsmisse eller separation overtager et køretøj"
		{"widowed: the dead owner's record", newFacts().civil(owner, "G", buyer, "2000-05-05", "").died(owner, "2026-03-01"),
			FormerSpouse, Dates{MarriedSince: d("2000-05-05"), DeathDate: d("2026-03-01")}},
		{"widowed: the survivor's record", newFacts().civil(buyer, "G", owner, "2000-05-05", "2026-03-01").civil(buyer, "E", "", "2026-03-01", "").died(owner, "2026-03-01"),
			FormerSpouse, Dates{MarriedSince: d("2000-05-05"), DeathDate: d("2026-03-01")}},
		{"divorced", newFacts().civil(owner, "G", buyer, "2010-01-01", "2020-05-01").civil(owner, "F", "", "2020-05-01", ""),
			FormerSpouse, Dates{MarriedSince: d("2010-01-01"), MarriageEnded: d("2020-05-01")}},
		{"partnership dissolved, the new owner's record", newFacts().civil(buyer, "P", owner, "2010-01-01", "2019-02-01").civil(buyer, "O", "", "2019-02-01", "2021-01-01").civil(buyer, "G", other, "2021-01-01", ""),
			FormerSpouse, Dates{MarriedSince: d("2010-01-01"), MarriageEnded: d("2019-02-01")}},
		{"separated", newFacts().civil(owner, "G", buyer, "2015-01-01", "").separated(buyer, "2025-01-01", ""),
			FormerSpouse, Dates{MarriedSince: d("2015-01-01"), SeparatedSince: d("2025-01-01")}},
		{"separation ended", newFacts().civil(owner, "G", buyer, "2015-01-01", "").separated(buyer, "2024-01-01", "2025-01-01"),
			Spouses, Dates{MarriedSince: d("2015-01-01")}},
		{"separation from an earlier marriage", newFacts().civil(owner, "G", buyer, "2015-01-01", "").separated(owner, "2010-01-01", ""),
			Spouses, Dates{MarriedSince: d("2015-01-01")}},
		{"divorced after the day", newFacts().civil(owner, "G", buyer, "2010-01-01", "2026-07-01").civil(owner, "F", "", "2026-07-01", ""),
			Spouses, Dates{MarriedSince: d("2010-01-01")}},
		{"marriage ended, not by divorce", newFacts().civil(owner, "G", buyer, "2010-01-01", "2020-05-01").civil(owner, "G", other, "2020-05-01", ""), None, Dates{}},
		{"divorced before the death", newFacts().civil(owner, "G", buyer, "2010-01-01", "2020-05-01").civil(owner, "F", "", "2020-05-01", "").died(owner, "2026-01-01"),
			FormerSpouse, Dates{MarriedSince: d("2010-01-01"), MarriageEnded: d("2020-05-01")}},

		// 3) "såfremt den fælles bopæl har bestået de sidste fem år"
		{"cohabiting five years to the day", newFacts().together("a", "2021-06-01", ""), Cohabitants, Dates{CommonAddressFrom: d("2021-06-01")}},
		{"cohabiting a day short of five years", newFacts().together("a", "2021-06-02", ""), None, Dates{CommonAddressFrom: d("2021-06-02")}},
		{"cohabiting, moved together", newFacts().together("a", "2019-01-01", "2023-01-01").together("b", "2023-01-01", ""), Cohabitants, Dates{CommonAddressFrom: d("2019-01-01")}},
		{"cohabiting, moved a day apart", newFacts().lived(owner, "a", "2019-01-01", "2023-01-01").lived(buyer, "a", "2019-01-01", "2022-12-31").together("b", "2023-01-01", ""),
			Cohabitants, Dates{CommonAddressFrom: d("2019-01-01")}},
		{"cohabiting with a break", newFacts().together("a", "2019-01-01", "2022-01-01").together("b", "2022-02-01", ""), None, Dates{CommonAddressFrom: d("2022-02-01")}},
		{"the new owner moved in later", newFacts().lived(owner, "a", "2010-01-01", "").lived(buyer, "a", "2022-01-01", ""), None, Dates{CommonAddressFrom: d("2022-01-01")}},
		{"same street, other door", newFacts().lived(owner, "101/1/1//tv", "2010-01-01", "").lived(buyer, "101/1/1//th", "2010-01-01", ""), None, Dates{}},

		// 4) "har haft fælles bopæl med afdøde de sidste to år før dødsfaldet"
		{"death after two years", newFacts().together("a", "2024-01-10", "").died(owner, "2026-01-10"),
			DeathAfterCohabitation, Dates{DeathDate: d("2026-01-10"), CommonAddressFrom: d("2024-01-10")}},
		{"death a day short of two years", newFacts().together("a", "2024-01-11", "").died(owner, "2026-01-10"), None, Dates{}},
		{"death after moving apart", newFacts().together("a", "2010-01-01", "2025-12-01").died(owner, "2026-01-10"),
			EndOfCohabitation, Dates{CommonAddressFrom: d("2010-01-01"), CommonAddressTo: d("2025-12-01")}},
		{"the new owner died", newFacts().together("a", "2010-01-01", "").died(buyer, "2026-01-10"), None, Dates{}},
		{"death after the day", newFacts().together("a", "2025-01-01", "").died(owner, "2026-07-01"), None, Dates{CommonAddressFrom: d("2025-01-01")}},

		// 5) "såfremt den fælles bopæl har bestået de sidste fem år før
		// samlivsophævelsen"
		{"moved apart after five years", newFacts().together("a", "2015-01-01", "2020-01-01"),
			EndOfCohabitation, Dates{CommonAddressFrom: d("2015-01-01"), CommonAddressTo: d("2020-01-01")}},
		{"moved apart a day short of five years", newFacts().together("a", "2015-01-02", "2020-01-01"), None, Dates{}},
		{"moved apart, the last stay short", newFacts().together("a", "2005-01-01", "2015-01-01").together("b", "2018-01-01", "2020-01-01"), None, Dates{}},
		{"apart, then together again", newFacts().together("a", "2005-01-01", "2015-01-01").together("b", "2025-01-01", ""), None, Dates{CommonAddressFrom: d("2025-01-01")}},
		{"no common history", newFacts().lived(owner, "a", "2000-01-01", "").lived(buyer, "b", "2000-01-01", ""), None, Dates{}},
	} {
		got := Pair(c.facts.CohabitationFacts, owner, buyer, day)
		if got.Rule != c.rule {
			t.Errorf("%s: rule %s, want %s (%s)", c.name, got.Rule, c.rule, got.Explanation)
		}
		g, w := got.Dates, c.dates
		if !same(g.MarriedSince, w.MarriedSince) || !same(g.MarriageEnded, w.MarriageEnded) || !same(g.SeparatedSince, w.SeparatedSince) ||
			!same(g.DeathDate, w.DeathDate) || !same(g.CommonAddressFrom, w.CommonAddressFrom) || !same(g.CommonAddressTo, w.CommonAddressTo) {
			t.Errorf("%s: dates %+v, want %+v", c.name, g, w)
		}
		if got.Explanation == "" || got.Primary != owner || got.NewOwner != buyer {
			t.Errorf("%s: %+v", c.name, got)
		}
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	day := *d("2026-06-01")
	f := newFacts().civil(owner, "G", buyer, "2020-01-01", "").CohabitationFacts

	res := Check(f, []string{other, owner}, []string{buyer}, day)
	if res.FeeDue || res.Decision.Rule != Spouses || res.Decision.Primary != owner || len(res.Pairs) != 2 || res.Pairs[0].Rule != None {
		t.Errorf("one exempt pair of two: %+v", res)
	}
	res = Check(f, []string{owner}, []string{buyer, other}, day)
	if !res.FeeDue || res.Decision.Rule != None || res.Decision.NewOwner != other || len(res.Pairs) != 2 {
		t.Errorf("a second new owner without exemption: %+v", res)
	}
	res = Check(f, []string{owner, buyer}, []string{buyer}, day)
	if res.FeeDue || len(res.Pairs) != 1 || res.Decision.Rule != Spouses {
		t.Errorf("a co-owner takes over: %+v", res)
	}
	res = Check(f, []string{owner}, []string{owner}, day)
	if !res.FeeDue || len(res.Pairs) != 0 || res.Decision.NewOwner != owner || res.Decision.Explanation == "" {
		t.Errorf("the owner to itself: %+v", res)
	}
}
