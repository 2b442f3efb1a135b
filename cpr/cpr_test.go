package cpr

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func TestParse(t *testing.T) {
	tests := []struct {
		in    string
		want  Number
		birth time.Time
		sex   Sex
	}{
		{"0101001234", "0101001234", date(1900, 1, 1), Female},
		{"010100-1235", "0101001235", date(1900, 1, 1), Male},
		{"  311299-9999 ", "3112999999", date(1999, 12, 31), Male},
		{"290200-4002", "2902004002", date(2000, 2, 29), Female},
		{"290204-0001", "2902040001", date(1904, 2, 29), Male},
		{"290296-3000", "2902963000", date(1996, 2, 29), Female},
		// Century table.
		{"010136-4000", "0101364000", date(2036, 1, 1), Female},
		{"010137-4000", "0101374000", date(1937, 1, 1), Female},
		{"010136-9000", "0101369000", date(2036, 1, 1), Female},
		{"010137-9000", "0101379000", date(1937, 1, 1), Female},
		{"010157-5000", "0101575000", date(2057, 1, 1), Female},
		{"010158-5000", "0101585000", date(1858, 1, 1), Female},
		{"211062-8001", "2110628001", date(1862, 10, 21), Male},
		{"010199-3000", "0101993000", date(1999, 1, 1), Female},
		{"010136-0000", "0101360000", date(1936, 1, 1), Female},
	}
	for _, tt := range tests {
		n, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if n != tt.want {
			t.Errorf("Parse(%q) = %q, want %q", tt.in, n, tt.want)
		}
		if got := n.BirthDate(); !got.Equal(tt.birth) || got.Location() != time.UTC {
			t.Errorf("Parse(%q).BirthDate() = %v, want %v", tt.in, got, tt.birth)
		}
		if got := n.Sex(); got != tt.sex {
			t.Errorf("Parse(%q).Sex() = %q, want %q", tt.in, got, tt.sex)
		}
	}
}

func TestParseInvalid(t *testing.T) {
	for _, in := range []string{
		"",
		"010100123",    // too short
		"01010012345",  // too long
		"010100--1234", // two dashes
		"0101-001234",  // dash in wrong place
		"01010O1234",   // letter O
		"010100 1234",  // inner space
		"+101001234",
		"3002801234", // 30 February
		"2902001001", // 29 February 1900
		"2902014000", // 29 February 2001
		"2902975000", // 29 February 1897
		"0001001234", // day 0
		"3201001234", // day 32
		"0100001234", // month 0
		"0113001234", // month 13
		"3104001234", // 31 April
	} {
		n, err := Parse(in)
		if err == nil {
			t.Errorf("Parse(%q) = %q, want error", in, n)
			continue
		}
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) error %v does not wrap ErrInvalid", in, err)
		}
		if digits := strings.TrimSpace(in); len(digits) >= 6 && strings.Contains(err.Error(), digits[:6]) {
			t.Errorf("Parse(%q) error %q contains the input", in, err)
		}
	}
}

func TestMasked(t *testing.T) {
	n, err := Parse("010100-1234")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := n.Masked(), "010100-xxxx"; got != want {
		t.Errorf("Masked() = %q, want %q", got, want)
	}
	if got, want := n.LogValue().String(), "010100-xxxx"; got != want {
		t.Errorf("LogValue() = %q, want %q", got, want)
	}
	if got := Number("12345").Masked(); got != "" {
		t.Errorf("invalid Masked() = %q, want empty", got)
	}
}

func TestInvalidNumberMethods(t *testing.T) {
	for _, n := range []Number{"", "123", "abcdefghij", "3002801234"} {
		if !n.BirthDate().IsZero() || n.Sex() != "" || n.Masked() != "" {
			t.Errorf("methods on %q: got %v %q %q, want zero values", n, n.BirthDate(), n.Sex(), n.Masked())
		}
	}
}

func TestNew(t *testing.T) {
	seen := make(map[Number]bool)
	for d := date(1858, 1, 1); d.Year() <= 2057; d = d.AddDate(0, 0, 17) {
		for _, serial := range []int{0, 1, 499, 500, 1234, MaxSerial - 1} {
			for _, sex := range []Sex{Male, Female} {
				n, err := New(d, serial, sex)
				if err != nil {
					t.Fatalf("New(%v, %d, %q): %v", d, serial, sex, err)
				}
				p, err := Parse(n.String())
				if err != nil || p != n {
					t.Fatalf("Parse(New(%v, %d, %q)) = %q, %v", d, serial, sex, p, err)
				}
				if !p.BirthDate().Equal(d) || p.Sex() != sex {
					t.Fatalf("New(%v, %d, %q) = %q: birth %v, sex %q", d, serial, sex, n, p.BirthDate(), p.Sex())
				}
				if seen[n] {
					t.Fatalf("New(%v, %d, %q) = %q repeated", d, serial, sex, n)
				}
				seen[n] = true
			}
		}
	}
}

func TestNewDistinct(t *testing.T) {
	for _, d := range []time.Time{date(1858, 1, 1), date(1920, 6, 1), date(1950, 2, 28), date(2000, 2, 29), date(2057, 12, 31)} {
		seen := make(map[Number]bool)
		for serial := range MaxSerial {
			n, err := New(d, serial, Female)
			if err != nil {
				t.Fatal(err)
			}
			if seen[n] {
				t.Fatalf("New(%v, %d, Female) = %q repeated", d, serial, n)
			}
			seen[n] = true
		}
	}
}

func TestNewDeterministic(t *testing.T) {
	d := time.Date(1980, 5, 17, 23, 30, 0, 0, time.FixedZone("CET", 3600))
	a, _ := New(d, 42, Male)
	b, _ := New(d, 42, Male)
	if a != b || a != "1705800085" {
		t.Errorf("New = %q, %q, want 1705800085 twice", a, b)
	}
}

func TestNewInvalid(t *testing.T) {
	ok := date(1980, 1, 1)
	for _, tt := range []struct {
		birth  time.Time
		serial int
		sex    Sex
	}{
		{date(1857, 12, 31), 0, Male},
		{date(2058, 1, 1), 0, Male},
		{ok, -1, Male},
		{ok, MaxSerial, Male},
		{ok, 0, "X"},
	} {
		if n, err := New(tt.birth, tt.serial, tt.sex); err == nil {
			t.Errorf("New(%v, %d, %q) = %q, want error", tt.birth, tt.serial, tt.sex, n)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"0101001234", "010100-1234", " 2902004002 ", "2902001001",
		"3002801234", "010158-5000", "0101O01234", "", "-", "01010012345",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			return
		}
		str := n.String()
		if len(str) != 10 || !allDigits(str) {
			t.Fatalf("Parse(%q).String() = %q, want 10 digits", s, str)
		}
		if p, err := Parse(str); err != nil || p != n {
			t.Fatalf("Parse(%q) = %q, %v, want %q", str, p, err, n)
		}
		if got := n.BirthDate().Format("020106"); got != str[:6] {
			t.Fatalf("Parse(%q).BirthDate() is %s, want DDMMYY %s", s, got, str[:6])
		}
	})
}
