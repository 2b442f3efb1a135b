package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/cpr"
	"cprgraph/db"
	"cprgraph/db/dbtest"
	"cprgraph/ingest"
)

// The fixtures in testdata use these synthetic CPR numbers, made with
// cpr.New(birth date, 17, sex).
const (
	anna  = "1403800034" // 1980-03-14, K
	bo    = "0107820035" // 1982-07-01, M
	clara = "2005104034" // 2010-05-20, K
	dan   = "3011550035" // 1955-11-30, M
	eva   = "0202500034" // 1950-02-02, K
)

func TestFixtureNumbers(t *testing.T) {
	for _, tt := range []struct {
		n     string
		birth string
		sex   cpr.Sex
	}{{anna, "1980-03-14", cpr.Female}, {bo, "1982-07-01", cpr.Male}, {clara, "2010-05-20", cpr.Female}, {dan, "1955-11-30", cpr.Male}, {eva, "1950-02-02", cpr.Female}} {
		birth, _ := time.Parse(time.DateOnly, tt.birth)
		if n, err := cpr.New(birth, 17, tt.sex); err != nil || string(n) != tt.n {
			t.Errorf("cpr.New(%s, 17, %s) = %s, %v; fixtures use %s", tt.birth, tt.sex, n, err, tt.n)
		}
	}
}

func importFile(t *testing.T, conn *sqlx.DB, path string) ingest.Result {
	t.Helper()
	res, err := ingest.ImportFile(context.Background(), conn, path, ingest.Options{})
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return res
}

func count(t *testing.T, conn *sqlx.DB, table string) int {
	t.Helper()
	var n int
	if err := conn.Get(&n, "SELECT count(*) FROM "+table); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportFixtures(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	files := []struct {
		file           string
		read, inserted int
		events         int
	}{
		{"person.jsonl", 5, 5, 5},
		{"personfamilie.csv", 4, 4, 10}, // 4 civil statuses; spouses of Anna and Bo; mothers of Anna, Clara, Dan; father of Clara
		{"historiskeadresser.csv", 3, 3, 0},
		{"personkontakt.jsonl", 2, 2, 2},
		{"barnrelation.csv", 2, 2, 2},
		{"umyndiggoerelsevaergerelation.jsonl", 1, 1, 2},
	}
	for _, f := range files {
		res := importFile(t, conn, filepath.Join("testdata", f.file))
		if res.Read != f.read || res.Inserted != f.inserted || res.Updated != 0 || res.Unchanged != 0 || res.Events != f.events {
			t.Errorf("%s: %+v, want %d read and inserted, %d events", f.file, res, f.read, f.events)
		}
	}

	persons, err := db.NewStore(conn).Register.PersonsByCPR(context.Background(), []string{anna, bo, eva})
	if err != nil {
		t.Fatal(err)
	}
	a := persons[anna]
	if *a.MunicipalityCode != 101 || *a.StreetCode != 1234 || *a.Floor != "02" || *a.PostalDistrict != "København K" || a.StatusDate.Hour() != 12 {
		t.Errorf("Anna stored as %+v", a)
	}
	if e := persons[eva]; *e.Status != "90" || e.StatusDate.Format(time.DateTime) != "2024-01-05 00:00:00" || e.FirstName == nil {
		t.Errorf("Eva stored as %+v", e)
	}
	var mother string
	if err := conn.Get(&mother, "SELECT mor_navn FROM personfamilie WHERE cpr = $1", dan); err != nil || mother != "Jensen, Ingrid" {
		t.Errorf("quoted CSV field: %q, %v", mother, err)
	}
	var marker string
	if err := conn.Get(&marker, "SELECT ret_fortryd_aendring FROM historiskeadresser WHERE id = 'a3'"); err != nil || marker != "Æ" {
		t.Errorf("semicolon CSV: %q, %v", marker, err)
	}

	// Re-importing changes nothing and registers no event.
	before := count(t, conn, "person_event")
	for _, f := range files {
		res := importFile(t, conn, filepath.Join("testdata", f.file))
		if res.Unchanged != f.read || res.Inserted != 0 || res.Updated != 0 || res.Events != 0 {
			t.Errorf("re-import %s: %+v", f.file, res)
		}
	}
	if after := count(t, conn, "person_event"); after != before {
		t.Errorf("re-import registered %d events", after-before)
	}
}

func TestCorruptFileChangesNothing(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		file  string
		table string
		want  []string
	}{
		{"person_bad.jsonl", "person", []string{
			"testdata/person_bad.jsonl:2: foedselsdato: not a date (YYYY-MM-DD)",
			"testdata/person_bad.jsonl:3: fornavn: longer than 50 characters",
			"testdata/person_bad.jsonl:4: status: not a valid person status code",
			"testdata/person_bad.jsonl:5: cpr: not a valid CPR number",
			"testdata/person_bad.jsonl:6: alder: unknown field",
			"testdata/person_bad.jsonl:7: cpr: required",
			"testdata/person_bad.jsonl:8: kommuneKode: not a whole number of at most 4 digits",
			"testdata/person_bad.jsonl:9: not a JSON object",
			"testdata/person_bad.jsonl:10: cpr: repeats the key of line 1",
			"testdata/person_bad.jsonl:11: fornavn: must be a string, not a number",
			"testdata/person_bad.jsonl:11: koen: not a valid sex (M or K)",
			"testdata/person_bad.jsonl:11: vejKode: not a whole number of at most 4 digits",
			"testdata/person_bad.jsonl:12: ?: unknown field",
			"testdata/person_bad.jsonl:12: ?: unknown field",
		}},
		{"historiskeadresser_bad.csv", "historiskeadresser", []string{
			"testdata/historiskeadresser_bad.csv:3: kommuneKode: not a whole number of at most 4 digits",
			"testdata/historiskeadresser_bad.csv:4: retFortrydAendring: not a valid ret/fortryd marker (K, A or Æ)",
			"testdata/historiskeadresser_bad.csv:4: tilflytningsDato: not a date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)",
			"testdata/historiskeadresser_bad.csv:5: has 3 fields, the header has 6",
			"testdata/historiskeadresser_bad.csv:6: coNavn: longer than 34 characters",
			"testdata/historiskeadresser_bad.csv:7: id: repeats the key of line 2",
			`testdata/historiskeadresser_bad.csv:8: malformed CSV: bare " in non-quoted-field`,
		}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			conn := dbtest.New(t)
			_, err := ingest.ImportFile(context.Background(), conn, filepath.Join("testdata", tt.file), ingest.Options{})
			var fe *ingest.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("err = %v, want a *FileError", err)
			}
			var got []string
			for _, p := range fe.Problems {
				got = append(got, p.Error())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if fe.Count != len(tt.want) {
				t.Errorf("Count = %d, want %d", fe.Count, len(tt.want))
			}
			if n := count(t, conn, tt.table) + count(t, conn, "person_event"); n != 0 {
				t.Errorf("%d rows written", n)
			}
			if leak := regexp.MustCompile(`\d{6}-?\d{4}|Anna|Clara|Gitte|Hansen`).FindString(err.Error()); leak != "" {
				t.Errorf("error quotes %q", leak)
			}
		})
	}
}

func TestProblemListIsCapped(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	var b bytes.Buffer
	for range 250 {
		b.WriteString(`{"cpr":"1"}` + "\n")
	}
	path := filepath.Join(t.TempDir(), "person.jsonl")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ingest.ImportFile(context.Background(), conn, path, ingest.Options{})
	var fe *ingest.FileError
	if !errors.As(err, &fe) || len(fe.Problems) != ingest.MaxReported || fe.Count != 250 || fe.BadRecords != 250 {
		t.Fatalf("err = %v", err)
	}
	if !strings.HasSuffix(err.Error(), "… and 150 more") {
		t.Errorf("error ends %q", err.Error()[len(err.Error())-40:])
	}
}

func TestCSVHeaderProblems(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	path := filepath.Join(t.TempDir(), "barnrelation.csv")
	if err := os.WriteFile(path, []byte("id,barnCpr,cpr,cpr\nb1,"+clara+","+anna+","+anna+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ingest.ImportFile(context.Background(), conn, path, ingest.Options{})
	var fe *ingest.FileError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v", err)
	}
	want := []string{"barnCpr: unknown field", "cpr: repeated column", "barnCPR: required column missing"}
	for i, p := range fe.Problems {
		if p.Line != 1 || i >= len(want) || p.Field+": "+p.Reason != want[i] {
			t.Errorf("problem %d: %v", i, p)
		}
	}
}

func TestFileNames(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	dated := write("Person_2026-11-23.jsonl", `{"cpr":"`+anna+`"}`+"\n")
	if res := importFile(t, conn, dated); res.Datatype != "person" || res.Inserted != 1 {
		t.Errorf("dated file: %+v", res)
	}
	other := write("export.ndjson", `{"cpr":"`+anna+`","startDato":"2020-01-01"}`+"\n")
	res, err := ingest.ImportFile(context.Background(), conn, other, ingest.Options{Datatype: "deltbopael"})
	if err != nil || res.Datatype != "deltbopael" || res.Inserted != 1 {
		t.Errorf("explicit datatype: %+v, %v", res, err)
	}
	for _, name := range []string{"export.jsonl", "person.txt"} {
		if _, err := ingest.ImportFile(context.Background(), conn, write(name, ""), ingest.Options{}); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
	if res := importFile(t, conn, write("notat.csv", "")); res.Read != 0 {
		t.Errorf("empty file: %+v", res)
	}
}

func TestRun(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	var out bytes.Buffer
	paths := []string{"testdata/person.jsonl", "testdata/person_bad.jsonl", "testdata/barnrelation.csv"}
	err := ingest.Run(context.Background(), conn, paths, ingest.Options{}, &out)
	if err == nil || err.Error() != "1 of 3 files not imported" {
		t.Errorf("err = %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if !regexp.MustCompile(`^testdata/person.jsonl \(person\): 5 read, 5 inserted, 0 updated, 0 unchanged, 5 events in \S+ \(\d+ records/s\)$`).MatchString(lines[0]) {
		t.Errorf("first line %q", lines[0])
	}
	if !strings.HasPrefix(lines[1], "testdata/person_bad.jsonl: rejected, nothing imported: 11 bad records, 14 problems") ||
		lines[2] != "testdata/person_bad.jsonl:2: foedselsdato: not a date (YYYY-MM-DD)" {
		t.Errorf("rejection lines %q", lines[1:3])
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "testdata/barnrelation.csv (barnrelation): 2 read, 2 inserted") {
		t.Errorf("last line %q", last)
	}
}

// writeJSONL writes records as a JSON Lines file named for datatype in a
// new directory and returns its path.
func writeJSONL(t *testing.T, datatype string, records ...map[string]any) string {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	for _, r := range records {
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), datatype+".jsonl")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
