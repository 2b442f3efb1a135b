package gen

import (
	"testing"
	"unicode/utf8"
)

// TestListsFit checks the name and address material against the column
// lengths of the schema.
func TestListsFit(t *testing.T) {
	check := func(what string, list []string, limit int) {
		for _, s := range list {
			if n := utf8.RuneCountInString(s); n == 0 || n > limit {
				t.Errorf("%s %q: %d characters, want 1..%d", what, s, n, limit)
			}
		}
	}
	for era := range 3 {
		check("female name", femaleNames[era], 24)
		check("male name", maleNames[era], 24)
	}
	check("middle name", middleNames, 20)
	check("last name", lastNames, 20)
	check("occupation", occupations, 50)
	check("note", noteLines, 40)
	for _, c := range countries {
		check("foreign first name", append(c.female, c.male...), 24)
		check("foreign last name", c.last, 20)
		check("city", c.cities, 16)
		check("country", []string{c.name}, 34)
	}
	if len(lastNameCum) != len(lastNames) || len(immigrantCum) != len(countries) || len(emigrationCum) != len(countries) {
		t.Error("weights do not match their lists")
	}
	r := keyed(1)
	names := (&addressModel{}).streetNames(&r)
	check("street", names, streetNameMax)
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("street name %q twice", n)
		}
		seen[n] = true
	}
	if len(names) < 2000 {
		t.Errorf("only %d street names", len(names))
	}
}

func TestDates(t *testing.T) {
	for _, tc := range []struct{ y, m, d int }{{1800, 1, 1}, {1858, 1, 1}, {1900, 2, 28}, {1970, 1, 1}, {2000, 2, 29}, {2024, 12, 31}, {2057, 6, 15}} {
		d := date(tc.y, tc.m, tc.d)
		y, m, dd := d.civil()
		if y != tc.y || m != tc.m || dd != tc.d {
			t.Errorf("date(%d, %d, %d).civil() = %d, %d, %d", tc.y, tc.m, tc.d, y, m, dd)
		}
		if got := d.time().Format("2006-01-02"); got != string(appendDate(nil, d)) {
			t.Errorf("%v: time %s, appendDate %s", tc, got, appendDate(nil, d))
		}
	}
	if date(1800, 1, 1) != 0 || date(1970, 1, 1) != epochShift {
		t.Error("epoch")
	}
	if got := age(date(2000, 2, 29), date(2018, 2, 28)); got != 17 {
		t.Errorf("age = %d, want 17", got)
	}
}
