package e2e

import (
	"bytes"
	"encoding/json"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"cprgraph/access"
)

// A stairwell over several properties (owner-occupied flats, mixed
// ownership): Testvej 9 has st. (BFE 200001, owned by ownerCVR for two
// years), 1. (BFE 200002, owner-occupied by a person) and 2. (BFE 200003,
// bought by ownerCVR three months ago). Testvej 11 has st. (BFE 200004,
// ownerCVR) with a protected resident and 1. (BFE 200005, owner-occupied).
const (
	testvej9      = "00000000-0000-4000-8000-000000000009"
	testvej9St    = "00000000-0000-4000-8000-000000000091"
	testvej9First = "00000000-0000-4000-8000-000000000092"
	testvej9Snd   = "00000000-0000-4000-8000-000000000093"
	testvej11     = "00000000-0000-4000-8000-000000000110"
	testvej11St   = "00000000-0000-4000-8000-000000000111"
	testvej11Frst = "00000000-0000-4000-8000-000000000112"
	occupierCPR   = "0202702345"
)

func seedMixedStairwells(t *testing.T, env *testEnv) {
	t.Helper()
	linkOwners(t, env, ownerCVR, ownerCPR) // ownerCPR owns nothing here
	for _, bfe := range []int{200001, 200002, 200003, 200004, 200005} {
		property(t, env, bfe, "")
	}
	at := func(house, floor string) addr {
		return addr{Municipality: 101, Street: 1234, StreetName: "Testvej", House: house, Floor: floor,
			PostalCode: 2300, District: "København S"}
	}
	for _, a := range []darAddress{
		{ID: testvej9St, HouseNumberID: testvej9, Address: at("9", "st"), BFE: 200001},
		{ID: testvej9First, HouseNumberID: testvej9, Address: at("9", "1"), BFE: 200002},
		{ID: testvej9Snd, HouseNumberID: testvej9, Address: at("9", "2"), BFE: 200003},
		{ID: testvej11St, HouseNumberID: testvej11, Address: at("11", "st"), BFE: 200004},
		{ID: testvej11Frst, HouseNumberID: testvej11, Address: at("11", "1"), BFE: 200005},
	} {
		a.insert(t, env)
	}
	for _, o := range []ownership{
		{BFE: 200001, CVR: ownerCVR, From: iso(yearsAgo(2))},
		{BFE: 200002, CPR: occupierCPR, From: iso(yearsAgo(6))},
		{BFE: 200003, CVR: "00000002", From: iso(yearsAgo(9)), To: iso(monthsAgo(3)), Status: "historisk"},
		{BFE: 200003, CVR: ownerCVR, From: iso(monthsAgo(3))},
		{BFE: 200004, CVR: ownerCVR, From: iso(yearsAgo(2))},
		{BFE: 200005, CPR: occupierCPR, From: iso(yearsAgo(6))},
	} {
		o.insert(t, env)
	}
	resident := func(cpr, name, house, floor string, movedIn time.Time, protectedFrom string) {
		t.Helper()
		person{CPR: cpr, AddressingName: name, Status: "01",
			Address: addr{Municipality: 101, Street: 1234, House: house, Floor: floor}}.insert(t, env)
		contact{CPR: cpr, MovedIn: iso(movedIn), ProtectedFrom: protectedFrom}.insert(t, env)
	}
	resident("0101802221", "Ager,Anna", "9", "st", yearsAgo(5), "")
	resident(occupierCPR, "Ejer,Erik", "9", "1", yearsAgo(6), "")
	resident("0101802222", "Berg,Bo", "9", "2", yearsAgo(4), "")
	resident("0101802223", "Skov,Sara", "11", "st", monthsAgo(4), iso(yearsAgo(1)))
	resident("0101802224", "Lund,Lis", "11", "1", yearsAgo(3), "")
}

type leftOut struct {
	DarAddressID string `json:"darAddressId"`
	Reason       string
}

// mixedLookup runs a stairwell lookup and returns the answer with its
// left-out dwellings.
func mixedLookup(t *testing.T, env *testEnv, input map[string]any) (residentsAnswer, []leftOut, gqlResponse) {
	t.Helper()
	input["from"] = iso(monthsAgo(12))
	const q = `query($input: ResidentsInput!) { residents(input: $input) {
		criteria { owner bfe ownedFrom from to darAddressIds darHouseNumberId leftOut { darAddressId reason } }
		rows { address darAddressId addressingName moveIn moveOut protected } } }`
	r := env.query(t, access.Landlord, q, map[string]any{"input": input})
	var data struct {
		Residents *struct {
			residentsAnswer
			Criteria struct {
				Bfe           int
				OwnedFrom     string
				DarAddressIds []string
				LeftOut       []leftOut
			}
		}
	}
	if err := json.Unmarshal(r.Data, &data); err != nil && len(r.Data) > 0 {
		t.Fatalf("data: %v: %s", err, r.Raw)
	}
	if data.Residents == nil {
		return residentsAnswer{}, nil, r
	}
	a := data.Residents.residentsAnswer
	a.Criteria.Bfe = data.Residents.Criteria.Bfe
	a.Criteria.OwnedFrom = data.Residents.Criteria.OwnedFrom
	a.Criteria.DarAddressIds = data.Residents.Criteria.DarAddressIds
	return a, data.Residents.Criteria.LeftOut, r
}

func TestLandlordStairwellMixedOwnership(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedMixedStairwells(t, env)

	a, left, r := mixedLookup(t, env, map[string]any{"owner": ownerCVR, "darHouseNumberId": testvej9})
	if len(r.Errors) > 0 {
		t.Fatalf("stairwell over several properties: %s", r.Raw)
	}
	if want := []string{testvej9St, testvej9Snd}; !slices.Equal(a.Criteria.DarAddressIds, want) {
		t.Errorf("answered %q, want %q", a.Criteria.DarAddressIds, want)
	}
	if want := []leftOut{{testvej9First, "NOT_CURRENT_OWNER"}}; !slices.Equal(left, want) {
		t.Errorf("left out %v, want %v", left, want)
	}
	if a.Criteria.Bfe != 200001 || a.Criteria.OwnedFrom != iso(yearsAgo(2)) {
		t.Errorf("criteria bfe %d owned from %s, want 200001 from %s", a.Criteria.Bfe, a.Criteria.OwnedFrom, iso(yearsAgo(2)))
	}
	// Each dwelling from its own property's acquisition date; the
	// owner-occupier is not shown.
	want := []string{"Ager,Anna " + iso(yearsAgo(2)) + " -", "Berg,Bo " + iso(monthsAgo(3)) + " -"}
	if got := summary(a.Rows); !slices.Equal(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}

	// The same stairwell named by CPR address answers the same.
	b, left2, r := mixedLookup(t, env, map[string]any{"owner": ownerCVR, "cprAddress": map[string]any{
		"municipalityCode": 101, "streetCode": 1234, "houseNumber": "9"}})
	if len(r.Errors) > 0 || !slices.Equal(summary(b.Rows), want) || !slices.Equal(left2, left) {
		t.Errorf("by CPR address: %s", r.Raw)
	}

	// A single dwelling the owner does not own is still refused.
	if _, _, r := mixedLookup(t, env, map[string]any{"owner": ownerCVR, "darAddressId": testvej9First}); r.code() != "NOT_CURRENT_OWNER" {
		t.Errorf("owner-occupied dwelling: want NOT_CURRENT_OWNER, got %s", r.Raw)
	}
	// A dwelling the owner owns answers without anything left out.
	d, left3, r := mixedLookup(t, env, map[string]any{"owner": ownerCVR, "darAddressId": testvej9Snd})
	if len(r.Errors) > 0 || len(left3) != 0 || !slices.Equal(summary(d.Rows), want[1:]) {
		t.Errorf("owned dwelling: left out %v, %s", left3, r.Raw)
	}
}

// A stairwell of which the owner owns one dwelling is a lookup of one
// dwelling (access.LandlordRows counts the dwellings answered): a protected
// resident there is left out, not shown as a marker that would place it.
func TestLandlordStairwellOneOwnedDwellingHidesProtected(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedMixedStairwells(t, env)
	a, left, r := mixedLookup(t, env, map[string]any{"owner": ownerCVR, "darHouseNumberId": testvej11})
	if len(r.Errors) > 0 {
		t.Fatalf("%s", r.Raw)
	}
	if !slices.Equal(a.Criteria.DarAddressIds, []string{testvej11St}) || !slices.Equal(left, []leftOut{{testvej11Frst, "NOT_CURRENT_OWNER"}}) {
		t.Errorf("answered %q, left out %v", a.Criteria.DarAddressIds, left)
	}
	if len(a.Rows) != 0 {
		t.Errorf("protected resident of the one dwelling answered shown: %q", summary(a.Rows))
	}
	// An owner of no dwelling of the stairwell is refused.
	if _, _, r := mixedLookup(t, env, map[string]any{"owner": ownerCPR, "darHouseNumberId": testvej11}); r.code() != "NOT_CURRENT_OWNER" {
		t.Errorf("owner of none: want NOT_CURRENT_OWNER, got %s", r.Raw)
	}
}

// The downloads name the dwellings left out among their criteria.
func TestLandlordStairwellMixedOwnershipDownloads(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedMixedStairwells(t, env)
	params := url.Values{"owner": {ownerCVR}, "darHouseNumberId": {testvej9}, "from": {iso(monthsAgo(12))}}
	f, err := excelize.OpenReader(bytes.NewReader(download(t, env, "xlsx", params)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Søgekriterier")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Udeladt bolig", testvej9First + " (ejes ikke af ejeren)"}
	if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Equal(r, want) }) {
		t.Errorf("xlsx criteria %q lack %q", rows, want)
	}
	if rtf := download(t, env, "rtf", params); !bytes.Contains(rtf, []byte(testvej9First)) {
		t.Errorf("rtf does not name the dwelling left out")
	}
}
