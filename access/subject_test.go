package access

import (
	"testing"
	"time"
)

// fakeSubject is a subject with fixed protection dates.
type fakeSubject struct {
	cpr        string
	start, end *time.Time
}

func (s fakeSubject) SubjectCPR() string { return s.cpr }
func (s fakeSubject) NameAddressProtection() (start, deleteDate *time.Time) {
	return s.start, s.end
}

func TestMaskedLast(t *testing.T) {
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	since := day.AddDate(-1, 0, 0)
	rows := []fakeSubject{{cpr: "a"}, {cpr: "p1", start: &since}, {cpr: "b"}, {cpr: "p2", start: &since}, {cpr: "c"}}

	MaskedLast(&Principal{Profile: Landlord}, rows, day)
	var got string
	for _, r := range rows {
		got += r.cpr + " "
	}
	if want := "a b c p1 p2 "; got != want {
		t.Errorf("LANDLORD order %q, want %q", got, want)
	}

	authority := []fakeSubject{{cpr: "a"}, {cpr: "p1", start: &since}, {cpr: "b"}}
	MaskedLast(&Principal{Profile: Authority}, authority, day)
	if authority[1].cpr != "p1" {
		t.Errorf("AUTHORITY sees everything, order kept: %v", authority)
	}
}
