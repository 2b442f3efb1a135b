package ingest

import (
	"context"
	"fmt"
	"testing"

	"cprgraph/db/dbtest"
)

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{
		"adresseringsNavn":     "adresserings_navn",
		"kontaktAdr1":          "kontakt_adr1",
		"barnCPR":              "barn_cpr",
		"relationCprStartDato": "relation_cpr_start_dato",
		"UdrejseDatoMarkering": "udrejse_dato_markering",
		"cpr":                  "cpr",
	} {
		if got := snakeCase(in); got != want {
			t.Errorf("snakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDatatypesMatchSchema checks every field of every datatype against its
// column in the migrated database: the same columns, and each field's type,
// length and optionality those of its column.
func TestDatatypesMatchSchema(t *testing.T) {
	t.Parallel()
	if len(datatypes) != 18 {
		t.Errorf("%d datatypes, want the 18 of seed 004", len(datatypes))
	}
	conn := dbtest.New(t)
	type column struct {
		Name     string `db:"column_name"`
		Type     string `db:"data_type"`
		Length   *int   `db:"character_maximum_length"`
		Nullable string `db:"is_nullable"`
	}
	for name, d := range datatypes {
		var cols []column
		err := conn.SelectContext(context.Background(), &cols, `SELECT column_name, data_type, character_maximum_length, is_nullable
			FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`, name)
		if err != nil {
			t.Fatal(err)
		}
		if len(cols) != len(d.fields) {
			t.Errorf("%s: table has %d columns, datatype %d fields", name, len(cols), len(d.fields))
		}
		byName := map[string]column{}
		for _, c := range cols {
			byName[c.Name] = c
		}
		if _, ok := byName[d.key]; !ok {
			t.Errorf("%s: no key column %s", name, d.key)
		}
		for _, f := range d.fields {
			c, ok := byName[f.column]
			if !ok {
				t.Errorf("%s.%s: no column %s", name, f.name, f.column)
				continue
			}
			if got, want := describe(c.Type, c.Length), f.sqlType(); got != want {
				t.Errorf("%s.%s: column is %s, field %s", name, f.name, got, want)
			}
			if (c.Nullable == "NO") != f.required {
				t.Errorf("%s.%s: column nullable %s, field required %v", name, f.name, c.Nullable, f.required)
			}
		}
	}
}

func describe(typ string, length *int) string {
	switch typ {
	case "character varying", "character":
		return fmt.Sprintf("text(%d)", *length)
	case "timestamp without time zone":
		return "datetime"
	}
	return typ
}

func (f field) sqlType() string {
	switch f.kind {
	case intField:
		return "integer"
	case dateField:
		return "date"
	case datetimeField:
		return "datetime"
	}
	return fmt.Sprintf("text(%d)", f.size)
}
