package darejf_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"cprgraph/db/dbtest"
	"cprgraph/ingest"
	"cprgraph/ingest/darejf"
)

func mustImport(t *testing.T, conn *sqlx.DB, path, kind string) ingest.Result {
	t.Helper()
	res, err := darejf.ImportFile(context.Background(), conn, path, kind)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res
}

func TestDarEjfImportSample(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	dar := mustImport(t, conn, "testdata/dar.jsonl", darejf.DAR)
	if dar.Inserted != 3 || dar.Updated != 0 {
		t.Errorf("dar: %s, want 3 addresses inserted (a past version skipped)", dar)
	}
	ejf := mustImport(t, conn, "testdata/ejf.jsonl", darejf.EJF)
	if ejf.Inserted != 3 || ejf.Updated != 2 {
		t.Errorf("ejf: %s, want 3 ownerships inserted and 2 locations set", ejf)
	}
	var got []string
	err := sqlx.SelectContext(context.Background(), conn, &got, `SELECT kommune_kode || ' ' || vej_kode || ' ' || vejnavn || ' ' ||
		husnummer || ' ' || etage || ' ' || side_doer_nummer || ' ' || postnummer || ' ' || postdistrikt || ' ' || bfe_nummer
		FROM dar_adresse ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"101 1234 Dalslandsgade 8A st tv 2300 København S 2081234",
		"101 1234 Dalslandsgade 8A 1 th 2300 København S 2081234",
		"101 1234 Dalslandsgade 8A 1 tv 2300 København S 2081299", // an owner-occupied flat
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("addresses:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A re-import changes nothing.
	for _, f := range []struct{ path, kind string }{{"testdata/dar.jsonl", darejf.DAR}, {"testdata/ejf.jsonl", darejf.EJF}} {
		if res := mustImport(t, conn, f.path, f.kind); res.Inserted != 0 || res.Updated != 0 {
			t.Errorf("re-import of %s changed something: %s", f.path, res)
		}
	}

	// An ownership change ends the old ownership.
	if res := mustImport(t, conn, "testdata/ejf_sold.jsonl", darejf.EJF); res.Inserted != 1 || res.Updated != 1 {
		t.Errorf("sale: %s, want 1 inserted, 1 updated", res)
	}
	var current []string
	if err := sqlx.SelectContext(context.Background(), conn, &current,
		`SELECT ejer_cvr FROM ejerskab WHERE bfe_nummer = 2081234 AND status = 'gældende' AND ejet_til IS NULL`); err != nil {
		t.Fatal(err)
	}
	if len(current) != 1 || current[0] != "87654321" {
		t.Errorf("current owners after the sale: %q", current)
	}
}

func TestDarEjfBadRecordReportsFileLine(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	_, err := darejf.ImportFile(context.Background(), conn, "testdata/dar_bad.jsonl", darejf.DAR)
	var fe *ingest.FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want a FileError, got %v", err)
	}
	if !strings.Contains(err.Error(), "testdata/dar_bad.jsonl:2: husnummer: not a UUID") {
		t.Errorf("error does not name file:line: field: %v", err)
	}
	var n int
	if err := sqlx.GetContext(context.Background(), conn, &n, `SELECT count(*) FROM dar_adresse`); err != nil || n != 0 {
		t.Errorf("something was written: %d addresses, %v", n, err)
	}
	// An ownership location naming an address not imported is refused
	// with its line, and nothing of the file is written.
	_, err = darejf.ImportFile(context.Background(), conn, "testdata/ejf.jsonl", darejf.EJF)
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "testdata/ejf.jsonl:1: husnummer: names no imported DAR address") {
		t.Errorf("ejf before dar: %v", err)
	}
	if err := sqlx.GetContext(context.Background(), conn, &n, `SELECT count(*) FROM ejerskab`); err != nil || n != 0 {
		t.Errorf("ownerships written by a refused file: %d, %v", n, err)
	}
}
