package e2e

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"cprgraph/cli"
)

// The DAR and EJF sample files of ingest/darejf: Dalslandsgade 8A (house
// number dalslandsgade8A) with st. tv and 1. th on BFE 2081234, owned by
// ownerCVR since 2024-04-01, and 1. tv an owner-occupied flat (BFE
// 2081299). ejf_sold.jsonl sells BFE 2081234 to unlinkedCVR on 2026-11-01.
const (
	dalslandsgade8A     = "0a3f50a0-1e51-32b8-e044-0003ba298018"
	dalslandsgade8AStTv = "0a3f50a0-1e51-32b8-e044-0003ba298101"
	dalslandsgade8AFrTh = "0a3f50a0-1e51-32b8-e044-0003ba298102"
	dalslandsgade8AFrTv = "0a3f50a0-1e51-32b8-e044-0003ba298103"
	darejfTestdata      = "../ingest/darejf/testdata/"
)

// importDarEjf runs `cprgraph import -type kind file` against the test
// database.
func importDarEjf(t *testing.T, env *testEnv, kind, file string) string {
	t.Helper()
	var out bytes.Buffer
	if err := cli.Import(context.Background(), env.Conn, []string{"-type", kind, darejfTestdata + file}, &out); err != nil {
		t.Fatalf("import -type %s %s: %v\n%s", kind, file, err, out.String())
	}
	return out.String()
}

func TestLandlordImportedDarEjf(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	importDarEjf(t, env, "dar", "dar.jsonl")
	importDarEjf(t, env, "ejf", "ejf.jsonl")
	linkOwners(t, env, ownerCVR, unlinkedCVR)
	person{CPR: "0101803331", AddressingName: "Holm,Hanne", Status: "01",
		Address: addr{Municipality: 101, Street: 1234, House: "8A", Floor: "st", Door: "tv"}}.insert(t, env)
	contact{CPR: "0101803331", MovedIn: iso(yearsAgo(4))}.insert(t, env)
	person{CPR: "0101803332", AddressingName: "Juul,Jonas", Status: "01",
		Address: addr{Municipality: 101, Street: 1234, House: "8A", Floor: "1", Door: "tv"}}.insert(t, env)
	contact{CPR: "0101803332", MovedIn: iso(yearsAgo(4))}.insert(t, env)

	// The stairwell by CPR address, as the imported DAR names it.
	a, left, r := mixedLookup(t, env, map[string]any{"owner": ownerCVR, "cprAddress": map[string]any{
		"municipalityCode": 101, "streetName": "Dalslandsgade", "houseNumber": "8a"}})
	if len(r.Errors) > 0 {
		t.Fatalf("lookup over imported data: %s", r.Raw)
	}
	if want := []string{dalslandsgade8AStTv, dalslandsgade8AFrTh}; !slices.Equal(a.Criteria.DarAddressIds, want) {
		t.Errorf("answered %q, want %q", a.Criteria.DarAddressIds, want)
	}
	if want := []leftOut{{dalslandsgade8AFrTv, "NOT_CURRENT_OWNER"}}; !slices.Equal(left, want) {
		t.Errorf("left out %v, want %v (the owner-occupied flat)", left, want)
	}
	if a.Criteria.Bfe != 2081234 || a.Criteria.OwnedFrom != "2024-04-01" {
		t.Errorf("criteria: bfe %d, owned from %s", a.Criteria.Bfe, a.Criteria.OwnedFrom)
	}
	if len(a.Rows) != 1 || a.Rows[0].AddressingName == nil || *a.Rows[0].AddressingName != "Holm,Hanne" ||
		a.Rows[0].MoveIn != "2024-04-01" || a.Rows[0].Address != "Dalslandsgade 8A, st. tv, 2300 København S" {
		t.Errorf("rows %+v", a.Rows)
	}

	// A re-import changes nothing and the lookup answers the same.
	for _, f := range []struct{ kind, file string }{{"dar", "dar.jsonl"}, {"ejf", "ejf.jsonl"}} {
		if out := importDarEjf(t, env, f.kind, f.file); !bytes.Contains([]byte(out), []byte("0 inserted, 0 updated")) {
			t.Errorf("re-import of %s: %s", f.file, out)
		}
	}
	if b, _, r := mixedLookup(t, env, map[string]any{"owner": ownerCVR, "darHouseNumberId": dalslandsgade8A}); len(r.Errors) > 0 ||
		!slices.Equal(summary(b.Rows), summary(a.Rows)) {
		t.Errorf("after re-import: %s", r.Raw)
	}

	// The sale takes effect on the next lookup.
	importDarEjf(t, env, "ejf", "ejf_sold.jsonl")
	if _, _, r := mixedLookup(t, env, map[string]any{"owner": ownerCVR, "darHouseNumberId": dalslandsgade8A}); r.code() != "NOT_CURRENT_OWNER" {
		t.Errorf("old owner after the sale: want NOT_CURRENT_OWNER, got %s", r.Raw)
	}
	if _, _, r := mixedLookup(t, env, map[string]any{"owner": ownerCVR, "darAddressId": dalslandsgade8AStTv}); r.code() != "NOT_CURRENT_OWNER" {
		t.Errorf("old owner's dwelling after the sale: want NOT_CURRENT_OWNER, got %s", r.Raw)
	}
	c, _, r := mixedLookup(t, env, map[string]any{"owner": unlinkedCVR, "darHouseNumberId": dalslandsgade8A})
	if len(r.Errors) > 0 || c.Criteria.OwnedFrom != "2026-11-01" {
		t.Errorf("new owner: %s", r.Raw)
	}
}

// A bad record of a DAR file is refused with its file and line, through the
// command.
func TestLandlordImportDarBadRecord(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	var out bytes.Buffer
	err := cli.Import(context.Background(), env.Conn, []string{"-type", "dar", darejfTestdata + "dar_bad.jsonl"}, &out)
	if err == nil || !bytes.Contains(out.Bytes(), []byte("dar_bad.jsonl:2: husnummer: not a UUID")) {
		t.Errorf("want file:line, got %v\n%s", err, out.String())
	}
}
