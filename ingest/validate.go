package ingest

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"cprgraph/cpr"
)

// rawKind is how a value was written in the file.
type rawKind int

const (
	rawString rawKind = iota // a JSON string or a CSV cell
	rawNumber                // a JSON number
	rawOther                 // a JSON true, false, array or object
)

// rawField is one field of a record as read, before validation.
type rawField struct {
	name  string
	value string
	kind  rawKind
}

// rawRecord is one record as read from a file.
type rawRecord struct {
	line    int
	fields  []rawField
	problem string // the line itself is unreadable; fields is empty
}

// validate checks a record against d and returns its row, or the problems
// found, sorted by field name. No problem quotes a value.
func (d *datatype) validate(rec rawRecord) (row, []fieldProblem) {
	if rec.problem != "" {
		return nil, []fieldProblem{{"", rec.problem}}
	}
	r := make(row, len(d.fields)+1)
	r[len(d.fields)] = rec.line
	var problems []fieldProblem
	for _, rf := range rec.fields {
		i, ok := d.index[rf.name]
		if !ok {
			problems = append(problems, fieldProblem{label(rf.name), "unknown field"})
			continue
		}
		v, present, reason := d.fields[i].normalize(rf)
		switch {
		case reason != "":
			problems = append(problems, fieldProblem{rf.name, reason})
		case present:
			r[i] = v
		}
	}
	for i, f := range d.fields {
		if f.required && r[i] == nil && !slices.ContainsFunc(problems, func(p fieldProblem) bool { return p.field == f.name }) {
			problems = append(problems, fieldProblem{f.name, "required"})
		}
	}
	if len(problems) == 0 && d.check != nil {
		problems = d.check(d, r)
	}
	slices.SortFunc(problems, func(a, b fieldProblem) int { return strings.Compare(a.field, b.field) })
	return r, problems
}

// label returns an unknown field's name for a problem report: the name
// when it looks like one, else "?", since a misplaced value may stand where
// a name belongs.
func label(name string) string {
	if len(name) > 50 || name == "" || !unicode.IsLetter(rune(name[0])) {
		return "?"
	}
	for _, r := range name {
		if r >= utf8.RuneSelf || !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			return "?"
		}
	}
	return name
}

// normalize checks one value of f and returns it as PostgreSQL reads it for
// the column's type. An empty or null value is absent (present false); the
// reason is "" when the value is good.
func (f field) normalize(rf rawField) (value string, present bool, reason string) {
	switch {
	case rf.kind == rawOther && f.kind == intField:
		return "", false, "must be a number or a string"
	case rf.kind == rawOther:
		return "", false, "must be a string"
	case rf.kind == rawNumber && f.kind != intField:
		return "", false, "must be a string, not a number"
	case rf.value == "":
		return "", false, ""
	case !utf8.ValidString(rf.value) || strings.ContainsRune(rf.value, 0):
		return "", false, "not valid UTF-8 text"
	}
	v, reason := f.parse(rf.value)
	if reason == "" && f.set != nil && !f.set.ok(v) {
		reason = "not a valid " + f.set.name
	}
	if reason != "" {
		return "", false, reason
	}
	return v, true, ""
}

// parse checks a non-empty value against f's type.
func (f field) parse(s string) (string, string) {
	switch f.kind {
	case intField:
		return parseInt(s, f.size)
	case dateField:
		return parseDate(s)
	case datetimeField:
		return parseDatetime(s)
	case cprField:
		n, err := cpr.Parse(s)
		if err != nil {
			return "", "not a valid CPR number"
		}
		return string(n), ""
	default:
		if utf8.RuneCountInString(s) > f.size {
			return "", fmt.Sprintf("longer than %d characters", f.size)
		}
		return s, ""
	}
}

// parseInt accepts up to size decimal digits, leading zeros allowed
// (kommuneKode 0101), and returns the number without them.
func parseInt(s string, size int) (string, string) {
	if len(s) > size || strings.Trim(s, "0123456789") != "" {
		return "", fmt.Sprintf("not a whole number of at most %d digits", size)
	}
	if t := strings.TrimLeft(s, "0"); t != "" {
		return t, ""
	}
	return "0", ""
}

func parseDate(s string) (string, string) {
	if t, err := time.Parse(time.DateOnly, s); err != nil || t.Year() < 1 {
		return "", "not a date (YYYY-MM-DD)"
	}
	return s, ""
}

// datetimeLayouts are the accepted forms of a datetime. A zone offset is
// accepted and dropped: CPR times are Danish wall-clock times, and the
// columns are timestamp without time zone.
var datetimeLayouts = []string{
	time.DateOnly,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
}

func parseDatetime(s string) (string, string) {
	for _, layout := range datetimeLayouts {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1 {
			return t.Format("2006-01-02 15:04:05.999999"), ""
		}
	}
	return "", "not a date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)"
}
