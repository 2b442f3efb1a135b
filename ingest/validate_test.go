package ingest

import "testing"

func TestNormalize(t *testing.T) {
	for _, tt := range []struct {
		f      field
		in     rawField
		want   string // normalized value, "" when absent or bad
		reason string
	}{
		{integer("kommuneKode", 4), rawField{value: "0101"}, "101", ""},
		{integer("kommuneKode", 4), rawField{value: "0000"}, "0", ""},
		{integer("kommuneKode", 4), rawField{value: "751", kind: rawNumber}, "751", ""},
		{integer("kommuneKode", 4), rawField{value: "-1", kind: rawNumber}, "", "not a whole number of at most 4 digits"},
		{integer("kommuneKode", 4), rawField{value: "1e2", kind: rawNumber}, "", "not a whole number of at most 4 digits"},
		{integer("kommuneKode", 4), rawField{kind: rawOther}, "", "must be a number or a string"},
		{text("husnummer", 4), rawField{value: "12", kind: rawNumber}, "", "must be a string, not a number"},
		{text("husnummer", 4), rawField{kind: rawOther}, "", "must be a string"},
		{text("husnummer", 4), rawField{value: ""}, "", ""},
		{text("vejnavn", 4), rawField{value: "Ærø "}, "Ærø ", ""},
		{text("vejnavn", 4), rawField{value: "Ærøvej"}, "", "longer than 4 characters"},
		{text("vejnavn", 4), rawField{value: "a\x00"}, "", "not valid UTF-8 text"},
		{text("vejnavn", 4), rawField{value: "\xff"}, "", "not valid UTF-8 text"},
		{date("startDato"), rawField{value: "2024-02-29"}, "2024-02-29", ""},
		{date("startDato"), rawField{value: "2023-02-29"}, "", "not a date (YYYY-MM-DD)"},
		{date("startDato"), rawField{value: "0000-01-01"}, "", "not a date (YYYY-MM-DD)"},
		{date("startDato"), rawField{value: "2024-02-29T00:00:00"}, "", "not a date (YYYY-MM-DD)"},
		{datetime("statusDato"), rawField{value: "2024-02-29"}, "2024-02-29 00:00:00", ""},
		{datetime("statusDato"), rawField{value: "2024-02-29T13:14:15.123"}, "2024-02-29 13:14:15.123", ""},
		{datetime("statusDato"), rawField{value: "2024-02-29 13:14:15"}, "2024-02-29 13:14:15", ""},
		{datetime("statusDato"), rawField{value: "2024-02-29T13:14:15+01:00"}, "2024-02-29 13:14:15", ""},
		{datetime("statusDato"), rawField{value: "29-02-2024"}, "", "not a date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"},
		{cprNumber("cpr"), rawField{value: "140380-0034"}, "1403800034", ""},
		{cprNumber("cpr"), rawField{value: "1403800034", kind: rawNumber}, "", "must be a string, not a number"},
		{cprNumber("cpr"), rawField{value: "3002800034"}, "", "not a valid CPR number"},
		{text("status", 2).in(statusSet), rawField{value: "05"}, "05", ""},
		{text("status", 2).in(statusSet), rawField{value: "5"}, "", "not a valid person status code"},
		{integer("valgKode", 4).in(electionSet), rawField{value: "0001"}, "1", ""},
		{integer("valgKode", 4).in(electionSet), rawField{value: "7"}, "", "not a valid valgKode (1-6)"},
	} {
		got, present, reason := tt.f.normalize(tt.in)
		if got != tt.want || present != (tt.want != "") || reason != tt.reason {
			t.Errorf("%s %q (kind %d) = %q, %v, %q; want %q, %q", tt.f.name, tt.in.value, tt.in.kind, got, present, reason, tt.want, tt.reason)
		}
	}
}

func TestCrossFieldChecks(t *testing.T) {
	for _, tt := range []struct {
		datatype string
		fields   map[string]string
		want     string // "field: reason", "" for none
	}{
		{"personudvidet", map[string]string{"cpr": "1403800034", "kommunaleforholdType": "3", "kommunaleforholdKode": "I"}, ""},
		{"personudvidet", map[string]string{"cpr": "1403800034", "kommunaleforholdType": "3", "kommunaleforholdKode": "A"}, "kommunaleforholdKode: must be F or I or N with this kommunaleforholdType"},
		{"personudvidet", map[string]string{"cpr": "1403800034", "kommunaleforholdType": "4", "kommunaleforholdKode": "0101"}, ""},
		{"foraeldremyndighedrelation", map[string]string{"id": "1", "cpr": "1403800034", "typeKode": "0005", "typeTekst": "x", "relationCpr": "0107820035"}, ""},
		{"foraeldremyndighedrelation", map[string]string{"id": "1", "cpr": "1403800034", "typeKode": "0003", "typeTekst": "Mor", "relationCpr": "0107820035"}, "relationCpr: only allowed with typeKode 0005 or 0006"},
		{"umyndiggoerelsevaergerelation", map[string]string{"id": "1", "cpr": "1403800034", "typeKode": "0001", "typeTekst": "x", "relationCpr": "0107820035"}, ""},
		{"umyndiggoerelsevaergerelation", map[string]string{"id": "1", "cpr": "1403800034", "typeKode": "0001", "typeTekst": "x", "relationCpr": "0107820035", "vaergesNavn": "x"}, "vaergesNavn: must be empty when relationCpr is given"},
	} {
		d := datatypes[tt.datatype]
		rec := rawRecord{line: 2}
		for name, v := range tt.fields {
			rec.fields = append(rec.fields, rawField{name: name, value: v})
		}
		_, problems := d.validate(rec)
		got := ""
		for _, p := range problems {
			got += p.field + ": " + p.reason
		}
		if got != tt.want {
			t.Errorf("%s %v: %q, want %q", tt.datatype, tt.fields, got, tt.want)
		}
	}
}
