package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cprgraph/access"
	"cprgraph/db"
	"cprgraph/db/dbtest"
	"cprgraph/export"
)

// The landlord lookup's world, dated relative to today. Owner 12345678 (linked
// to the LANDLORD test organisation) bought Testvej 1 six months ago and
// Testvej 3 ten years ago, and sold Testvej 5 a month ago to 87654321 (not
// linked). Owner 0101701234, a person, owns Testvej 7.
const (
	ownerCVR      = "12345678"
	unlinkedCVR   = "87654321"
	ownerCPR      = "0101701234"
	testvej1      = "00000000-0000-4000-8000-000000000001" // house number: st. tv, 1. th, 1. tv
	testvej1StTv  = "00000000-0000-4000-8000-000000000011"
	testvej1FirTh = "00000000-0000-4000-8000-000000000012"
	testvej1FirTv = "00000000-0000-4000-8000-000000000013"
	testvej3      = "00000000-0000-4000-8000-000000000003"
	testvej3Addr  = "00000000-0000-4000-8000-000000000031"
	testvej5Addr  = "00000000-0000-4000-8000-000000000051"
	testvej7Addr  = "00000000-0000-4000-8000-000000000071"
	protectedCPR  = "0606801234"
)

// landlordDates are the fixture's dates.
type landlordDates struct {
	today, acquired time.Time
}

func monthsAgo(n int) time.Time { return access.Today().AddDate(0, -n, 0) }
func weeksAgo(n int) time.Time  { return access.Today().AddDate(0, 0, -7*n) }
func yearsAgo(n int) time.Time  { return access.Today().AddDate(-n, 0, 0) }
func iso(t time.Time) string    { return t.Format(time.DateOnly) }

// seedLandlord builds the landlord fixture: addresses, properties,
// ownerships, the owner links, and the residents past and present.
func seedLandlord(t *testing.T, env *testEnv) landlordDates {
	t.Helper()
	d := landlordDates{today: access.Today(), acquired: monthsAgo(6)}

	linkOwners(t, env, ownerCVR, ownerCPR)
	for _, bfe := range []int{100001, 100002, 100003, 100004} {
		property(t, env, bfe, "")
	}
	testvej := func(house, floor, door string) addr {
		return addr{Municipality: 101, Street: 1234, StreetName: "Testvej", House: house, Floor: floor, Door: door,
			PostalCode: 2300, District: "København S"}
	}
	for _, a := range []darAddress{
		{ID: testvej1StTv, HouseNumberID: testvej1, Address: testvej("1", "st", "tv"), BFE: 100001},
		{ID: testvej1FirTh, HouseNumberID: testvej1, Address: testvej("1", "1", "th"), BFE: 100001},
		{ID: testvej1FirTv, HouseNumberID: testvej1, Address: testvej("1", "1", "tv"), BFE: 100001},
		{ID: testvej3Addr, HouseNumberID: testvej3, Address: testvej("3", "", ""), BFE: 100002},
		{ID: testvej5Addr, HouseNumberID: "00000000-0000-4000-8000-000000000005", Address: testvej("5", "", ""), BFE: 100003},
		{ID: testvej7Addr, HouseNumberID: "00000000-0000-4000-8000-000000000007", Address: testvej("7", "", ""), BFE: 100004},
	} {
		a.insert(t, env)
	}
	for _, o := range []ownership{
		{BFE: 100001, CVR: "00000001", From: iso(yearsAgo(30)), To: iso(d.acquired), Status: "historisk"},
		{BFE: 100001, CVR: ownerCVR, From: iso(d.acquired)},
		{BFE: 100002, CVR: ownerCVR, From: iso(yearsAgo(10))},
		{BFE: 100003, CVR: ownerCVR, From: iso(yearsAgo(5)), To: iso(monthsAgo(1)), Status: "historisk"},
		{BFE: 100003, CVR: unlinkedCVR, From: iso(monthsAgo(1))},
		{BFE: 100004, CPR: ownerCPR, From: iso(yearsAgo(3))},
	} {
		o.insert(t, env)
	}

	// resident registers a person; at house "" it lives elsewhere (Andenvej).
	resident := func(cpr, name, house, floor, door string, movedIn time.Time, protectedFrom string) {
		t.Helper()
		home := addr{Municipality: 101, Street: 1234, House: house, Floor: floor, Door: door}
		if house == "" {
			home.Street, home.House = 4321, "9"
		}
		person{CPR: cpr, AddressingName: name, Status: "01", Address: home}.insert(t, env)
		contact{CPR: cpr, MovedIn: iso(movedIn), ProtectedFrom: protectedFrom}.insert(t, env)
	}
	// moved records a past stay at Testvej (historiskeadresser).
	moved := func(id, cpr, house, floor, door string, in, out time.Time, marker string) {
		t.Helper()
		formerAddress{ID: id, CPR: cpr, Address: testvej(house, floor, door), In: iso(in), Out: iso(out), Correction: marker}.insert(t, env)
	}
	protectedFrom := iso(yearsAgo(1))

	// Testvej 1, bought six months ago.
	resident("0101801111", "Hansen,Hans", "1", "st", "tv", yearsAgo(3), "") // moved in before the purchase
	resident("0101801112", "Jensen,Jens", "1", "1", "th", monthsAgo(2), "") // moved in after it
	resident(protectedCPR, "Skjult,Hemmelig", "1", "1", "tv", monthsAgo(1), protectedFrom)
	resident("0101801113", "Carlsen,Carl", "", "", "", monthsAgo(8), "")
	moved("h-carl", "0101801113", "1", "st", "tv", yearsAgo(5), monthsAgo(8), "") // moved out before the purchase
	resident("0101801114", "Dam,Dorte", "", "", "", monthsAgo(1), "")
	moved("h-dorte", "0101801114", "1", "1", "th", yearsAgo(4), monthsAgo(1), "") // moved out since
	resident("0101801115", "Fisker,Frida", "", "", "", monthsAgo(2), "")
	moved("h-frida", "0101801115", "1", "1", "tv", monthsAgo(3), monthsAgo(2), "A") // annulled
	resident("0101801116", "Ibsen,Ib", "", "", "", monthsAgo(2), "")
	moved("h-ib", "0101801116", "1", "1", "th", monthsAgo(4), monthsAgo(2), "") // ... and the move undoing it
	moved("h-ib-undo", "0101801116", "1", "1", "th", monthsAgo(4), monthsAgo(2), "A")
	resident("0101801117", "Kofoed,Karl", "", "", "", weeksAgo(3), "")
	moved("h-karl", "0101801117", "1", "1", "tv", yearsAgo(2), weeksAgo(3), "")    // superseded by ...
	moved("h-karl-k", "0101801117", "1", "1", "tv", yearsAgo(2), weeksAgo(5), "K") // ... its correction

	// Testvej 3, owned for ten years.
	resident("0101801118", "Eriksen,Erik", "", "", "", monthsAgo(13), "")
	moved("h-erik", "0101801118", "3", "", "", yearsAgo(3), monthsAgo(13), "") // 13 months ago
	resident("0101801119", "Lund,Lis", "", "", "", monthsAgo(11), "")
	moved("h-lis", "0101801119", "3", "", "", yearsAgo(2), monthsAgo(11), "") // 11 months ago

	// Testvej 7, owned by a person.
	resident("0101801120", "Nielsen,Nina", "7", "", "", yearsAgo(1), "")
	return d
}

// residentRow is a row of the residents query as a client reads it.
type residentRow struct {
	Address        string
	DarAddressID   string `json:"darAddressId"`
	AddressingName *string
	MoveIn         string
	MoveOut        *string
	Protected      bool
	// The structured address (GCTP parity); empty for a protected row.
	DarHouseNumberID string `json:"darHouseNumberId"`
	MunicipalityCode *int
	MunicipalityName string
	StreetCode       *int
	StreetName       string
	HouseNumber      string
	Floor            string
	Door             string
}

type residentsAnswer struct {
	Criteria struct {
		Owner            string
		Bfe              int
		OwnedFrom        string
		From             string
		To               string
		DarAddressIds    []string
		DarHouseNumberID string `json:"darHouseNumberId"`
	}
	Rows []residentRow
}

const residentsGQL = `query($input: ResidentsInput!) { residents(input: $input) {
	criteria { owner bfe ownedFrom from to darAddressIds darHouseNumberId }
	rows { address darAddressId addressingName moveIn moveOut protected darHouseNumberId
		municipalityCode municipalityName streetCode streetName houseNumber floor door } } }`

// lookup runs the residents query as the LANDLORD client with from twelve
// landlordReplica is a "replica" for the landlord tests: a database of its
// own with the test organisations (the same ids as on the primary) and the
// landlord fixture, and its URL.
func landlordReplica(t *testing.T) (*testEnv, string) {
	t.Helper()
	conn, url := dbtest.NewWithURL(t)
	replica := &testEnv{Conn: conn, Store: db.NewStore(conn)}
	for _, p := range access.Profiles {
		if _, err := replica.Store.Clients.UpsertOrganisation(context.Background(), "Test "+string(p), nil); err != nil {
			t.Fatal(err)
		}
	}
	seedLandlord(t, replica)
	return replica, url
}

// months back; input holds the owner and the address.
func lookup(t *testing.T, env *testEnv, input map[string]any) (residentsAnswer, gqlResponse) {
	t.Helper()
	if _, ok := input["from"]; !ok {
		input["from"] = iso(monthsAgo(12))
	}
	r := env.query(t, access.Landlord, residentsGQL, map[string]any{"input": input})
	var data struct{ Residents *residentsAnswer }
	if err := json.Unmarshal(r.Data, &data); err != nil && len(r.Data) > 0 {
		t.Fatalf("data: %v: %s", err, r.Raw)
	}
	if data.Residents == nil {
		return residentsAnswer{}, r
	}
	return *data.Residents, r
}

// mustLookup is lookup that fails the test on any error.
func mustLookup(t *testing.T, env *testEnv, input map[string]any) residentsAnswer {
	t.Helper()
	a, r := lookup(t, env, input)
	if len(r.Errors) > 0 {
		t.Fatalf("residents: %s", r.Raw)
	}
	return a
}

// stairwell1 names Testvej 1 by CPR address without floor and door.
func stairwell1() map[string]any {
	return map[string]any{"owner": ownerCVR, "cprAddress": map[string]any{
		"municipalityCode": 101, "streetName": "testvej", "houseNumber": "1"}}
}

// summary is "name in out" per row ("-" for no name or no move-out).
func summary(rows []residentRow) []string {
	var out []string
	for _, r := range rows {
		name, moveOut := "-", "-"
		if r.AddressingName != nil {
			name = *r.AddressingName
		}
		if r.MoveOut != nil {
			moveOut = *r.MoveOut
		}
		out = append(out, name+" "+r.MoveIn+" "+moveOut)
	}
	return out
}

func TestLandlordMovedOutBeforeAcquisition(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	a := mustLookup(t, env, map[string]any{"owner": ownerCVR, "darAddressId": testvej1StTv})
	got := summary(a.Rows)
	if want := []string{"Hansen,Hans " + iso(monthsAgo(6)) + " -"}; !slices.Equal(got, want) {
		t.Errorf("st. tv: got %q, want %q (Carlsen moved out before the purchase)", got, want)
	}
}

func TestLandlordMovedInBeforeAcquisition(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	d := seedLandlord(t, env)
	a := mustLookup(t, env, map[string]any{"owner": ownerCVR, "darAddressId": testvej1FirTh})
	got := summary(a.Rows)
	want := []string{
		"Dam,Dorte " + iso(d.acquired) + " " + iso(monthsAgo(1)), // moved in four years ago
		"Jensen,Jens " + iso(monthsAgo(2)) + " -",                // after the purchase: as registered
	}
	if !slices.Equal(got, want) {
		t.Errorf("1. th: got %q, want %q", got, want)
	}
	if a.Criteria.OwnedFrom != iso(d.acquired) {
		t.Errorf("ownedFrom %s, want %s", a.Criteria.OwnedFrom, iso(d.acquired))
	}
}

func TestLandlordAnnulledAndCorrectedMoves(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	a := mustLookup(t, env, stairwell1())
	for _, s := range summary(a.Rows) {
		if strings.HasPrefix(s, "Fisker") || strings.HasPrefix(s, "Ibsen") {
			t.Errorf("annulled move shown: %s", s)
		}
	}
	var karl []string
	for _, s := range summary(a.Rows) {
		if strings.HasPrefix(s, "Kofoed") {
			karl = append(karl, s)
		}
	}
	if want := []string{"Kofoed,Karl " + iso(monthsAgo(6)) + " " + iso(weeksAgo(5))}; !slices.Equal(karl, want) {
		t.Errorf("corrected move: got %q, want once with the corrected move-out %q", karl, want)
	}
}

func TestLandlordPeriodAtMostTwelveMonthsBack(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	testvej3 := func(from, to time.Time) map[string]any {
		in := map[string]any{"owner": ownerCVR, "darAddressId": testvej3Addr, "from": iso(from)}
		if !to.IsZero() {
			in["to"] = iso(to)
		}
		return in
	}
	a := mustLookup(t, env, testvej3(monthsAgo(12), time.Time{}))
	got := summary(a.Rows)
	if want := []string{"Lund,Lis " + iso(yearsAgo(2)) + " " + iso(monthsAgo(11))}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q (Eriksen moved out 13 months ago)", got, want)
	}
	if a.Criteria.From != iso(monthsAgo(12)) || a.Criteria.To != iso(access.Today()) {
		t.Errorf("period echo %s..%s", a.Criteria.From, a.Criteria.To)
	}
	for name, in := range map[string]map[string]any{
		"13 months back":   testvej3(monthsAgo(13), time.Time{}),
		"ends before":      testvej3(monthsAgo(2), monthsAgo(3)),
		"ends after today": testvej3(monthsAgo(2), access.Today().AddDate(0, 0, 1)),
	} {
		if _, r := lookup(t, env, in); r.code() != "BAD_USER_INPUT" {
			t.Errorf("%s: want BAD_USER_INPUT, got %s", name, r.Raw)
		}
	}
}

// TestLandlordProtectedResidentOnlyAsADatedMarkerInAStairwell: a protected
// resident shows in a stairwell lookup as a row with its dates and marker
// but no name, number or dwelling, after the visible rows; a lookup of the
// one dwelling it lives in leaves it out, since a marker there would place
// the person in that dwelling.
func TestLandlordProtectedResidentOnlyAsADatedMarkerInAStairwell(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	a, r := lookup(t, env, map[string]any{"owner": ownerCVR, "darHouseNumberId": testvej1})
	if len(r.Errors) > 0 || strings.Contains(r.Raw, "Skjult") || strings.Contains(r.Raw, protectedCPR) {
		t.Fatalf("protected resident's name or number shown: %s", r.Raw)
	}
	var row *residentRow
	for i := range a.Rows {
		if a.Rows[i].Protected {
			row = &a.Rows[i]
		}
	}
	if row == nil || row.AddressingName != nil || row.MoveIn != iso(monthsAgo(1)) ||
		row.Address != "" || row.DarAddressID != "" || !a.Rows[len(a.Rows)-1].Protected {
		t.Fatalf("want the protected row last, with dates but no name and no address: %s", r.Raw)
	}
	single, r := lookup(t, env, map[string]any{"owner": ownerCVR, "darAddressId": testvej1FirTv})
	if len(r.Errors) > 0 || slices.ContainsFunc(single.Rows, func(row residentRow) bool { return row.Protected }) {
		t.Errorf("a lookup of the protected resident's own dwelling shows it: %s", r.Raw)
	}

	params := url.Values{"owner": {ownerCVR}, "darHouseNumberId": {testvej1}, "from": {iso(monthsAgo(12))}}
	csvRows, xlsxRows := exportCSV(t, env, params), exportXLSX(t, env, params)
	for _, rows := range [][][]string{csvRows, xlsxRows} {
		var found bool
		for _, rec := range rows[1:] {
			if rec[4] == "Ja" {
				found = rec[0] == "" && rec[1] == "" && rec[2] == monthsAgo(1).Format("02-01-2006")
			}
		}
		if !found || strings.Contains(strings.Join(slices.Concat(rows...), ";"), "Skjult") {
			t.Errorf("export: want the protected row without name and address: %q", rows)
		}
	}

	entries, err := env.Store.Audit.List(context.Background(), db.AuditFilter{CPR: protectedCPR, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	// The stairwell query and its two exports; the single-dwelling lookup
	// showed nothing of the resident.
	if len(entries) != 3 {
		t.Fatalf("want 3 audit rows (query, CSV, XLSX) holding the protected resident, got %d", len(entries))
	}
	for _, e := range entries {
		if !slices.Equal(e.Operations, []string{"landlord"}) {
			t.Errorf("audit operations %q", e.Operations)
		}
	}
}

func TestLandlordLookupNeedsLandlordProfileAndScope(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	input := map[string]any{"input": map[string]any{"owner": ownerCVR, "darAddressId": testvej1StTv, "from": iso(monthsAgo(12))}}
	for profile, want := range map[access.Profile]string{"": "UNAUTHENTICATED", access.Private: "FORBIDDEN", access.Authority: "FORBIDDEN", access.Admin: "FORBIDDEN"} {
		if r := env.query(t, profile, residentsGQL, input); r.code() != want || strings.Contains(r.Raw, "Hansen") {
			t.Errorf("%q: want %s, got %s", profile, want, r.Raw)
		}
	}

	// A LANDLORD client of the same organisation without the landlord scope.
	ctx := context.Background()
	var orgID int64
	if err := env.Conn.GetContext(ctx, &orgID, `SELECT id FROM organisation WHERE name = 'Test LANDLORD'`); err != nil {
		t.Fatal(err)
	}
	_, key, err := env.Store.Clients.CreateClient(ctx, orgID, "unscoped", string(access.Landlord), []string{})
	if err != nil {
		t.Fatal(err)
	}
	env.Keys["unscoped"] = key
	if r := env.query(t, "unscoped", residentsGQL, input); r.code() != "FORBIDDEN" {
		t.Errorf("unscoped LANDLORD client: want FORBIDDEN, got %s", r.Raw)
	}
}

func TestLandlordOwnerNotLinked(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	// 87654321 owns Testvej 5 but is not linked to the organisation.
	_, r := lookup(t, env, map[string]any{"owner": unlinkedCVR, "darAddressId": testvej5Addr})
	if r.code() != "OWNER_NOT_LINKED" {
		t.Errorf("want OWNER_NOT_LINKED, got %s", r.Raw)
	}
	// Checked before the address: an unknown address gives the same answer.
	_, r = lookup(t, env, map[string]any{"owner": unlinkedCVR, "darAddressId": "00000000-0000-4000-8000-0000000000ff"})
	if r.code() != "OWNER_NOT_LINKED" {
		t.Errorf("unknown address: want OWNER_NOT_LINKED, got %s", r.Raw)
	}
}

func TestLandlordOwnerSoldProperty(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	_, r := lookup(t, env, map[string]any{"owner": ownerCVR, "darAddressId": testvej5Addr})
	if r.code() != "NOT_CURRENT_OWNER" {
		t.Errorf("want NOT_CURRENT_OWNER, got %s", r.Raw)
	}
}

func TestLandlordOwnerMayBeAPerson(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	a := mustLookup(t, env, map[string]any{"owner": ownerCPR, "cprAddress": map[string]any{
		"municipalityCode": 101, "streetCode": 1234, "houseNumber": "7"}})
	if got, want := summary(a.Rows), []string{"Nielsen,Nina " + iso(yearsAgo(1)) + " -"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestLandlordUnknownOrMalformedAddressRefused(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	for name, c := range map[string]struct {
		input map[string]any
		want  string
	}{
		"unknown DAR id": {map[string]any{"owner": ownerCVR, "darAddressId": "00000000-0000-4000-8000-0000000000ff"}, "NOT_FOUND"},
		"unknown floor": {map[string]any{"owner": ownerCVR, "cprAddress": map[string]any{
			"municipalityCode": 101, "streetCode": 1234, "houseNumber": "1", "floor": "9"}}, "NOT_FOUND"},
		"two addresses": {map[string]any{"owner": ownerCVR, "darAddressId": testvej1StTv, "darHouseNumberId": testvej1}, "BAD_USER_INPUT"},
		"no address":    {map[string]any{"owner": ownerCVR}, "BAD_USER_INPUT"},
		"not a UUID":    {map[string]any{"owner": ownerCVR, "darAddressId": "x"}, "BAD_USER_INPUT"},
		"bad owner":     {map[string]any{"owner": "123", "darAddressId": testvej1StTv}, "BAD_USER_INPUT"},
	} {
		if _, r := lookup(t, env, c.input); r.code() != c.want {
			t.Errorf("%s: want %s, got %s", name, c.want, r.Raw)
		}
	}
}

func TestLandlordStairwellVersusDwelling(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	d := seedLandlord(t, env)
	acquired := iso(d.acquired)
	stairwell := []string{ // st. tv, 1. th, 1. tv
		"Hansen,Hans " + acquired + " -",
		"Dam,Dorte " + acquired + " " + iso(monthsAgo(1)),
		"Jensen,Jens " + iso(monthsAgo(2)) + " -",
		"Kofoed,Karl " + acquired + " " + iso(weeksAgo(5)),
		"- " + iso(monthsAgo(1)) + " -",
	}
	a := mustLookup(t, env, stairwell1())
	if got := summary(a.Rows); !slices.Equal(got, stairwell) {
		t.Errorf("stairwell: got %q, want %q", got, stairwell)
	}
	if want := []string{testvej1StTv, testvej1FirTh, testvej1FirTv}; !slices.Equal(a.Criteria.DarAddressIds, want) {
		t.Errorf("stairwell searched %q, want %q", a.Criteria.DarAddressIds, want)
	}

	floor := mustLookup(t, env, map[string]any{"owner": ownerCVR, "cprAddress": map[string]any{
		"municipalityCode": 101, "streetCode": 1234, "houseNumber": "1", "floor": "1"}})
	if got := summary(floor.Rows); !slices.Equal(got, stairwell[1:]) {
		t.Errorf("floor 1: got %q, want %q", got, stairwell[1:])
	}
	dwelling := mustLookup(t, env, map[string]any{"owner": ownerCVR, "cprAddress": map[string]any{
		"municipalityCode": 101, "streetCode": 1234, "houseNumber": "1", "floor": "1", "door": "TH"}})
	if got := summary(dwelling.Rows); !slices.Equal(got, stairwell[1:3]) {
		t.Errorf("1. th: got %q, want %q", got, stairwell[1:3])
	}
	if !slices.Equal(dwelling.Criteria.DarAddressIds, []string{testvej1FirTh}) {
		t.Errorf("dwelling searched %q", dwelling.Criteria.DarAddressIds)
	}
}

func TestLandlordDARIdsEqualCPRAddress(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	d := seedLandlord(t, env)
	byCPR := mustLookup(t, env, stairwell1())
	byHouseNumber := mustLookup(t, env, map[string]any{"owner": ownerCVR, "darHouseNumberId": testvej1})
	if a, b := mustJSON(t, byCPR), mustJSON(t, byHouseNumber); a != b {
		t.Errorf("stairwell by CPR address and by DAR house number differ:\n%s\n%s", a, b)
	}
	c := byHouseNumber.Criteria
	if c.Owner != ownerCVR || c.Bfe != 100001 || c.OwnedFrom != iso(d.acquired) || c.DarHouseNumberID != testvej1 ||
		c.From != iso(monthsAgo(12)) || c.To != iso(d.today) {
		t.Errorf("criteria echo: %+v", c)
	}

	dwellingByCPR := mustLookup(t, env, map[string]any{"owner": ownerCVR, "cprAddress": map[string]any{
		"municipalityCode": 101, "streetName": "Testvej", "houseNumber": "1", "floor": "st", "door": "tv"}})
	dwellingByDAR := mustLookup(t, env, map[string]any{"owner": ownerCVR, "darAddressId": testvej1StTv})
	if a, b := mustJSON(t, dwellingByCPR), mustJSON(t, dwellingByDAR); a != b {
		t.Errorf("dwelling by CPR address and by DAR address id differ:\n%s\n%s", a, b)
	}
}

func TestLandlordExportsMatchQuery(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	a := mustLookup(t, env, map[string]any{"owner": ownerCVR, "darHouseNumberId": testvej1})
	want := exportTable(t, a)
	params := url.Values{"owner": {ownerCVR}, "darHouseNumberId": {testvej1}, "from": {iso(monthsAgo(12))}}
	if got := exportCSV(t, env, params); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("CSV:\n got %q\nwant %q", got, want)
	}
	if got := exportXLSX(t, env, params); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("XLSX:\n got %q\nwant %q", got, want)
	}

	byCPR := url.Values{"owner": {ownerCVR}, "municipalityCode": {"101"}, "streetName": {"Testvej"}, "houseNumber": {"1"},
		"from": {iso(monthsAgo(12))}}
	if got := exportCSV(t, env, byCPR); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("CSV by CPR address:\n got %q\nwant %q", got, want)
	}

	entries, err := env.Store.Audit.List(context.Background(), db.AuditFilter{CPR: "0101801111", Limit: 10})
	if err != nil || len(entries) != 4 {
		t.Errorf("want 4 audit rows (query and three exports), got %d (%v)", len(entries), err)
	}
}

func TestLandlordExportErrorsAnswerJSONWithStatus(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	from := iso(monthsAgo(12))
	for name, c := range map[string]struct {
		profile access.Profile
		params  url.Values
		status  int
		code    string
	}{
		"anonymous":     {"", url.Values{"owner": {ownerCVR}, "darAddressId": {testvej1StTv}, "from": {from}}, 401, "UNAUTHENTICATED"},
		"private":       {access.Private, url.Values{"owner": {ownerCVR}, "darAddressId": {testvej1StTv}, "from": {from}}, 403, "FORBIDDEN"},
		"not linked":    {access.Landlord, url.Values{"owner": {unlinkedCVR}, "darAddressId": {testvej5Addr}, "from": {from}}, 403, "OWNER_NOT_LINKED"},
		"sold":          {access.Landlord, url.Values{"owner": {ownerCVR}, "darAddressId": {testvej5Addr}, "from": {from}}, 403, "NOT_CURRENT_OWNER"},
		"not found":     {access.Landlord, url.Values{"owner": {ownerCVR}, "darAddressId": {"00000000-0000-4000-8000-0000000000ff"}, "from": {from}}, 404, "NOT_FOUND"},
		"too far back":  {access.Landlord, url.Values{"owner": {ownerCVR}, "darAddressId": {testvej1StTv}, "from": {iso(monthsAgo(13))}}, 400, "BAD_USER_INPUT"},
		"no from":       {access.Landlord, url.Values{"owner": {ownerCVR}, "darAddressId": {testvej1StTv}}, 400, "BAD_USER_INPUT"},
		"bad kommune":   {access.Landlord, url.Values{"owner": {ownerCVR}, "municipalityCode": {"x"}, "houseNumber": {"1"}, "from": {from}}, 400, "BAD_USER_INPUT"},
		"no house nmbr": {access.Landlord, url.Values{"owner": {ownerCVR}, "municipalityCode": {"101"}, "streetCode": {"1234"}, "from": {from}}, 400, "BAD_USER_INPUT"},
	} {
		for _, format := range []string{"csv", "xlsx"} {
			status, body := env.get(t, c.profile, "/export/residents."+format+"?"+c.params.Encode())
			var resp struct {
				Errors []struct{ Extensions struct{ Code string } }
			}
			if err := json.Unmarshal(body, &resp); err != nil || len(resp.Errors) == 0 {
				t.Errorf("%s %s: want a JSON error body, got %d %q", name, format, status, body)
				continue
			}
			if code := resp.Errors[0].Extensions.Code; status != c.status || (c.code != "" && code != c.code) {
				t.Errorf("%s %s: want %d %s, got %d %s", name, format, c.status, c.code, status, code)
			}
		}
	}
}

// exportCSV downloads the CSV export as the LANDLORD client and parses it.
func exportCSV(t *testing.T, env *testEnv, params url.Values) [][]string {
	t.Helper()
	status, body := env.get(t, access.Landlord, "/export/residents.csv?"+params.Encode())
	if status != http.StatusOK {
		t.Fatalf("CSV export: %d %s", status, body)
	}
	rest, ok := bytes.CutPrefix(body, []byte("\ufeff"))
	if !ok {
		t.Errorf("CSV export has no UTF-8 byte-order mark")
	}
	r := csv.NewReader(bytes.NewReader(rest))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV export: %v", err)
	}
	return rows
}

// exportXLSX downloads the XLSX export as the LANDLORD client and reads its
// first sheet as shown; its date cells must be real dates.
func exportXLSX(t *testing.T, env *testEnv, params url.Values) [][]string {
	t.Helper()
	status, body := env.get(t, access.Landlord, "/export/residents.xlsx?"+params.Encode())
	if status != http.StatusOK {
		t.Fatalf("XLSX export: %d %s", status, body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("XLSX export: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows("Beboere")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := f.GetRows("Beboere", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		for len(rows[i]) < len(export.Columns) {
			rows[i] = append(rows[i], "")
		}
		if i == 0 || len(raw[i]) < 3 {
			continue
		}
		if _, err := strconv.ParseFloat(raw[i][2], 64); err != nil {
			t.Errorf("XLSX move-in %q is not an Excel date", raw[i][2])
		}
	}
	if owner, _ := f.GetCellValue("Søgekriterier", "B1"); owner != params.Get("owner") {
		t.Errorf("XLSX criteria owner %q", owner)
	}
	return rows
}

func danish(t *testing.T, isoDate string) string {
	t.Helper()
	d, err := time.Parse(time.DateOnly, isoDate)
	if err != nil {
		t.Fatal(err)
	}
	return d.Format("02-01-2006")
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
