package access

import (
	"testing"

	"cprgraph/apperr"
)

// fakeSubject is a subject with a fixed protection.
type fakeSubject struct {
	cpr       string
	protected bool
}

func (s fakeSubject) SubjectCPR() string         { return s.cpr }
func (s fakeSubject) NameAddressProtected() bool { return s.protected }

func TestMaskedSubjectsGoLastKeepingTheirOrder(t *testing.T) {
	rows := []fakeSubject{{cpr: "a"}, {cpr: "p1", protected: true}, {cpr: "b"}, {cpr: "p2", protected: true}, {cpr: "c"}}

	var got string
	for _, r := range MaskedLast(&Principal{Profile: Landlord}, rows) {
		got += r.cpr + " "
	}
	if want := "a b c p1 p2 "; got != want {
		t.Errorf("LANDLORD order %q, want %q", got, want)
	}

	authority := []fakeSubject{{cpr: "a"}, {cpr: "p1", protected: true}, {cpr: "b"}}
	if authority = MaskedLast(&Principal{Profile: Authority}, authority); authority[1].cpr != "p1" {
		t.Errorf("AUTHORITY sees everything, order kept: %v", authority)
	}
}

func TestDerivedAnswerWithheldWhenAProtectedPersonTakesPart(t *testing.T) {
	open, protected := fakeSubject{cpr: "a"}, fakeSubject{cpr: "p", protected: true}
	for _, profile := range Profiles {
		err := WithholdDerived(&Principal{Profile: profile}, open, protected)
		if want := profile != Authority; (apperr.CodeOf(err) == apperr.Withheld) != want {
			t.Errorf("%s with a protected participant: %v", profile, err)
		}
		if err := WithholdDerived(&Principal{Profile: profile}, open, open); err != nil {
			t.Errorf("%s without a protected participant: %v", profile, err)
		}
	}
}
