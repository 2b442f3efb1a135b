package cpr

import "testing"

func TestStatus(t *testing.T) {
	active := map[Status]bool{"01": true, "03": true, "05": true, "07": true}
	for _, s := range []Status{"01", "03", "05", "07", "20", "30", "50", "60", "70", "80", "90"} {
		if !s.Valid() || s.Text() == "" {
			t.Errorf("Status %q: Valid() = %v, Text() = %q", s, s.Valid(), s.Text())
		}
		if s.Active() != active[s] {
			t.Errorf("Status %q: Active() = %v", s, s.Active())
		}
	}
	for _, s := range []Status{"", "1", "10", "02", "99"} {
		if s.Valid() || s.Text() != "" || s.Active() {
			t.Errorf("Status %q accepted", s)
		}
	}
	if got, want := StatusDead.Text(), "Inaktiv, død"; got != want {
		t.Errorf("StatusDead.Text() = %q, want %q", got, want)
	}
}

func TestCodeSets(t *testing.T) {
	type code interface {
		Valid() bool
		Text() string
	}
	tests := []struct {
		valid   []code
		invalid []code
	}{
		{
			[]code{CivilStatus("U"), CivilStatus("G"), CivilStatus("F"), CivilStatus("E"), CivilStatus("P"), CivilStatus("O"), CivilStatus("L"), CivilStatus("D")},
			[]code{CivilStatus(""), CivilStatus("u"), CivilStatus("9")},
		},
		{
			[]code{RetFortryd("K"), RetFortryd("A"), RetFortryd("Æ")},
			[]code{RetFortryd(""), RetFortryd("AE"), RetFortryd("æ")},
		},
		{
			[]code{ChurchRelation("A"), ChurchRelation("F"), ChurchRelation("M"), ChurchRelation("S"), ChurchRelation("U")},
			[]code{ChurchRelation(""), ChurchRelation("X")},
		},
		{
			[]code{UncertaintyMark("+"), UncertaintyMark("*"), UncertaintyMark("=")},
			[]code{UncertaintyMark(""), UncertaintyMark("-")},
		},
		{
			[]code{CustodyType("0003"), CustodyType("0004"), CustodyType("0005"), CustodyType("0006")},
			[]code{CustodyType("3"), CustodyType("0002"), CustodyType("0007")},
		},
		{
			[]code{GuardianType("0000"), GuardianType("0001"), GuardianType("0002")},
			[]code{GuardianType("0"), GuardianType("0003")},
		},
		{
			[]code{ElectionCode(1), ElectionCode(2), ElectionCode(3), ElectionCode(4), ElectionCode(5), ElectionCode(6)},
			[]code{ElectionCode(0), ElectionCode(7)},
		},
	}
	for _, tt := range tests {
		for _, c := range tt.valid {
			if !c.Valid() || c.Text() == "" {
				t.Errorf("%T %v: Valid() = %v, Text() = %q", c, c, c.Valid(), c.Text())
			}
		}
		for _, c := range tt.invalid {
			if c.Valid() || c.Text() != "" {
				t.Errorf("%T %v accepted", c, c)
			}
		}
	}
	if got, want := CustodyFather.Text(), "Far"; got != want {
		t.Errorf("CustodyFather.Text() = %q, want %q", got, want)
	}
}
