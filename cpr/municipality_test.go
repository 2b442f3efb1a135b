package cpr

import "testing"

func TestMunicipality(t *testing.T) {
	tests := []struct {
		code int
		name string
		ok   bool
	}{
		{101, "København", true},
		{147, "Frederiksberg", true},
		{860, "Hjørring", true},
		{411, "", false}, // Ertholmene is not a municipality
		{0, "", false},
		{9999, "", false},
	}
	for _, tt := range tests {
		name, ok := Municipality(tt.code)
		if name != tt.name || ok != tt.ok {
			t.Errorf("Municipality(%d) = %q, %v, want %q, %v", tt.code, name, ok, tt.name, tt.ok)
		}
	}
}

func TestMunicipalities(t *testing.T) {
	list := Municipalities()
	if len(list) != 98 {
		t.Fatalf("len(Municipalities()) = %d, want 98", len(list))
	}
	for i, m := range list {
		if i > 0 && list[i-1].Code >= m.Code {
			t.Errorf("Municipalities() not sorted at %d: %d, %d", i, list[i-1].Code, m.Code)
		}
		if name, ok := Municipality(m.Code); !ok || name != m.Name {
			t.Errorf("Municipality(%d) = %q, %v, want %q", m.Code, name, ok, m.Name)
		}
	}
	list[0].Name = "changed"
	if Municipalities()[0].Name == "changed" {
		t.Error("Municipalities() shares its slice with the caller")
	}
}
