package e2e

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"cprgraph/access"
)

// The fixture builders: each names the rows it writes by field. A field
// left at its zero value ("" or 0) is written as NULL. Dates are
// "2006-01-02" strings; daysFromToday gives one relative to today.

// insertRow inserts one row into table, naming every column of values and
// passing each value as a parameter.
func insertRow(t *testing.T, env *testEnv, table string, values map[string]any) {
	t.Helper()
	cols := make([]string, 0, len(values))
	for c := range values {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	params, args := make([]string, len(cols)), make([]any, len(cols))
	for i, c := range cols {
		params[i], args[i] = "$"+strconv.Itoa(i+1), values[c]
	}
	env.exec(t, fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", table, strings.Join(cols, ", "), strings.Join(params, ", ")), args...)
}

// orNull is v, or nil for the zero value of v's type.
func orNull[T comparable](v T) any {
	var zero T
	if v == zero {
		return nil
	}
	return v
}

// daysFromToday is the date n days after today (before, for negative n).
func daysFromToday(n int) string { return iso(access.Today().AddDate(0, 0, n)) }

// addr is an address as the CPR register writes it. Its street code is
// written only with a house number (so that 0 is a street code, not NULL).
type addr struct {
	Municipality, Street         int // kommune_kode, vej_kode
	StreetName, House            string
	Floor, Door                  string
	PostalCode                   int
	District, StandardAddressing string // postdistrikt, standard_adresse
}

// streetCode is the vej_kode column of a.
func (a addr) streetCode() any {
	if a.House == "" {
		return nil
	}
	return a.Street
}

// person is a row of person: the master record.
type person struct {
	CPR, First, Last, AddressingName string
	Born, Sex                        string
	Status, StatusDate               string // status '01' lives in Denmark, '90' is dead, '60' has a new number
	NameSince                        string // navn_start_dato
	Address                          addr
	CurrentCPR                       string // gaeldende_cpr: the number replacing this one
	Since                            string // start_dato
	NameProtectedFrom                string // navnebeskyttelsestartdato: person's own name protection
}

func (p person) insert(t *testing.T, env *testEnv) {
	t.Helper()
	insertRow(t, env, "person", map[string]any{
		"cpr": p.CPR, "fornavn": orNull(p.First), "efternavn": orNull(p.Last), "adresserings_navn": orNull(p.AddressingName),
		"foedselsdato": orNull(p.Born), "koen": orNull(p.Sex), "status": orNull(p.Status), "status_dato": orNull(p.StatusDate),
		"navn_start_dato": orNull(p.NameSince), "gaeldende_cpr": orNull(p.CurrentCPR), "start_dato": orNull(p.Since),
		"navnebeskyttelsestartdato": orNull(p.NameProtectedFrom),
		"kommune_kode":              orNull(p.Address.Municipality), "vej_kode": p.Address.streetCode(), "vejnavn": orNull(p.Address.StreetName),
		"husnummer": orNull(p.Address.House), "etage": orNull(p.Address.Floor), "side_doer_nummer": orNull(p.Address.Door),
		"postnummer": orNull(p.Address.PostalCode), "postdistrikt": orNull(p.Address.District),
		"standard_adresse": orNull(p.Address.StandardAddressing),
	})
}

// contact is a row of personkontakt: move-in day, protections, forwarding
// addresses and citizenship.
type contact struct {
	CPR                           string
	MovedIn                       string // tilflytnings_dato
	ProtectedFrom, ProtectedUntil string // name and address protection
	MarketingProtectedFrom        string
	Supplementary                 []string // supplerende_adr1…
	ContactLines                  []string // kontakt_adr1…
	ContactFrom                   string
	Citizenship                   int // statsborgerskab_landekode
	CitizenSince                  string
}

func (c contact) insert(t *testing.T, env *testEnv) {
	t.Helper()
	row := map[string]any{
		"cpr": c.CPR, "tilflytnings_dato": orNull(c.MovedIn),
		"navne_adressebeskyttelse_start_dato": orNull(c.ProtectedFrom), "navne_adressebeskyttelse_slette_dato": orNull(c.ProtectedUntil),
		"markedsfoeringsbeskyttelse_start_dato": orNull(c.MarketingProtectedFrom), "start_dato_kontakt_adr": orNull(c.ContactFrom),
		"statsborgerskab_landekode": orNull(c.Citizenship), "statsborgerskab_start_dato": orNull(c.CitizenSince),
	}
	lines(row, "supplerende_adr", c.Supplementary)
	lines(row, "kontakt_adr", c.ContactLines)
	insertRow(t, env, "personkontakt", row)
}

// lines sets the columns prefix1, prefix2, … of row to ls.
func lines(row map[string]any, prefix string, ls []string) {
	for i, l := range ls {
		row[prefix+strconv.Itoa(i+1)] = l
	}
}

// protect gives cpr, a person without a personkontakt row, an active name
// and address protection since the day given.
func protect(t *testing.T, env *testEnv, cpr, since string) {
	t.Helper()
	contact{CPR: cpr, ProtectedFrom: since}.insert(t, env)
}

// family is a row of personfamilie: civil status, spouse and parents.
type family struct {
	CPR                string
	CivilStatus, Since string // civilstand ('U', 'G', 'E', 'F') and its start
	Spouse, SpouseName string
	Mother, MotherName string
	MotherBorn         string
	Father, FatherName string
	SeparatedSince     string
}

func (f family) insert(t *testing.T, env *testEnv) {
	t.Helper()
	insertRow(t, env, "personfamilie", map[string]any{
		"cpr": f.CPR, "civilstand": orNull(f.CivilStatus), "civilstand_start_dato": orNull(f.Since),
		"aegtefaelle_cpr": orNull(f.Spouse), "aegtefaelle_navn": orNull(f.SpouseName),
		"mor_cpr": orNull(f.Mother), "mor_navn": orNull(f.MotherName), "mor_foedselsdato": orNull(f.MotherBorn),
		"far_cpr": orNull(f.Father), "far_navn": orNull(f.FatherName), "seperation_start_dato": orNull(f.SeparatedSince),
	})
}

// marry registers a and b as married since the day given, on both records.
func marry(t *testing.T, env *testEnv, a, b, since string) {
	t.Helper()
	family{CPR: a, CivilStatus: "G", Spouse: b, Since: since}.insert(t, env)
	family{CPR: b, CivilStatus: "G", Spouse: a, Since: since}.insert(t, env)
}

// child registers kid as a child of parent (barnrelation row id).
func child(t *testing.T, env *testEnv, id, parent, kid string) {
	t.Helper()
	insertRow(t, env, "barnrelation", map[string]any{"id": id, "cpr": parent, "barn_cpr": kid})
}

// custody is a row of foraeldremyndighedrelation: who holds custody of a
// child.
type custody struct {
	ID, Child, Holder  string // Holder: relation_cpr, when the holder has a number
	TypeCode, TypeText string
	Since              string
}

func (c custody) insert(t *testing.T, env *testEnv) {
	t.Helper()
	insertRow(t, env, "foraeldremyndighedrelation", map[string]any{
		"id": c.ID, "cpr": c.Child, "relation_cpr": orNull(c.Holder), "type_kode": c.TypeCode, "type_tekst": c.TypeText,
		"foraeldre_myndighed_start_dato": orNull(c.Since),
	})
}

// guardianship is a row of umyndiggoerelsevaergerelation: the guardian of
// an incapacitated person, by number or by name and address lines.
type guardianship struct {
	ID, CPR            string
	TypeCode, TypeText string
	Guardian           string // relation_cpr
	GuardianSince      string // relation_cpr_start_dato
	GuardianName       string
	GuardianLines      []string // relations_tekst1…
	Since              string   // umyndig_start_dato
}

func (g guardianship) insert(t *testing.T, env *testEnv) {
	t.Helper()
	row := map[string]any{
		"id": g.ID, "cpr": g.CPR, "type_kode": g.TypeCode, "type_tekst": g.TypeText,
		"relation_cpr": orNull(g.Guardian), "relation_cpr_start_dato": orNull(g.GuardianSince),
		"vaerges_navn": orNull(g.GuardianName), "umyndig_start_dato": orNull(g.Since),
	}
	lines(row, "relations_tekst", g.GuardianLines)
	insertRow(t, env, "umyndiggoerelsevaergerelation", row)
}

// formerAddress is a row of historiskeadresser: a stay at an address from
// In to Out. Correction is the ret/fortryd marker: "A" annulled, "K"
// superseded by a correction.
type formerAddress struct {
	ID, CPR    string
	Address    addr // municipality, street, house, floor and door
	In, Out    string
	Correction string
}

func (a formerAddress) insert(t *testing.T, env *testEnv) {
	t.Helper()
	insertRow(t, env, "historiskeadresser", map[string]any{
		"id": a.ID, "cpr": a.CPR, "kommune_kode": orNull(a.Address.Municipality), "vej_kode": a.Address.streetCode(),
		"husnummer": orNull(a.Address.House), "etage": orNull(a.Address.Floor), "side_doer_nummer": orNull(a.Address.Door),
		"tilflytnings_dato": orNull(a.In), "fraflytnings_dato": orNull(a.Out), "ret_fortryd_aendring": orNull(a.Correction),
	})
}

// formerName is a row of historiskenavneoplysninger.
type formerName struct {
	ID, CPR, First, Last string
	From, To             string
	Correction           string
}

func (n formerName) insert(t *testing.T, env *testEnv) {
	t.Helper()
	insertRow(t, env, "historiskenavneoplysninger", map[string]any{
		"id": n.ID, "cpr": n.CPR, "fornavn": orNull(n.First), "efternavn": orNull(n.Last),
		"start_dato": orNull(n.From), "slut_dato": orNull(n.To), "ret_fortryd_aendring": orNull(n.Correction),
	})
}

// formerCivilStatus is a row of historiskecivilstande.
type formerCivilStatus struct {
	ID, CPR, CivilStatus string
	Spouse, SpouseName   string
	From, To             string
}

func (c formerCivilStatus) insert(t *testing.T, env *testEnv) {
	t.Helper()
	insertRow(t, env, "historiskecivilstande", map[string]any{
		"id": c.ID, "cpr": c.CPR, "civilstand": c.CivilStatus, "aegtefaelle_cpr": orNull(c.Spouse),
		"aegtefaelle_navn": orNull(c.SpouseName), "start_dato": orNull(c.From), "slut_dato": orNull(c.To),
	})
}

// darAddress is a row of dar_adresse: an address of the address register
// and the property it belongs to. An empty ID or HouseNumberID gets a
// random one.
type darAddress struct {
	ID, HouseNumberID string
	Address           addr // municipality, street, street name, house, floor, door, postal code, district
	BFE               int
}

func (a darAddress) insert(t *testing.T, env *testEnv) {
	t.Helper()
	env.exec(t, `INSERT INTO dar_adresse (id, husnummer_id, kommune_kode, vej_kode, vejnavn, husnummer, etage,
		side_doer_nummer, postnummer, postdistrikt, bfe_nummer)
		VALUES (coalesce($1::uuid, gen_random_uuid()), coalesce($2::uuid, gen_random_uuid()), $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		orNull(a.ID), orNull(a.HouseNumberID), a.Address.Municipality, a.Address.Street, a.Address.StreetName, a.Address.House,
		a.Address.Floor, a.Address.Door, a.Address.PostalCode, a.Address.District, orNull(a.BFE))
}

// property inserts the property (ejendom) bfe with its name.
func property(t *testing.T, env *testEnv, bfe int, name string) {
	t.Helper()
	insertRow(t, env, "ejendom", map[string]any{"bfe_nummer": bfe, "betegnelse": name})
}

// ownership is a row of ejerskab: a company (CVR) or a person (CPR) owns
// property BFE from From to To. Status defaults to 'gældende'.
type ownership struct {
	BFE      int
	CVR, CPR string
	From, To string
	Status   string
}

func (o ownership) insert(t *testing.T, env *testEnv) {
	t.Helper()
	status := o.Status
	if status == "" {
		status = "gældende"
	}
	insertRow(t, env, "ejerskab", map[string]any{
		"bfe_nummer": o.BFE, "ejer_cvr": orNull(o.CVR), "ejer_cpr": orNull(o.CPR),
		"ejet_fra": o.From, "ejet_til": orNull(o.To), "status": status,
	})
}

// linkOwners links the owners (CVR or CPR numbers) to the organisation of
// the LANDLORD test client, so that it may look up their properties.
func linkOwners(t *testing.T, env *testEnv, owners ...string) {
	t.Helper()
	ctx := context.Background()
	org, err := env.Store.Clients.OrganisationByName(ctx, "Test "+string(access.Landlord))
	if err != nil {
		t.Fatal(err)
	}
	for _, owner := range owners {
		if err := env.Store.Clients.AddOwnerLink(ctx, org.ID, owner); err != nil {
			t.Fatal(err)
		}
	}
}

// personEvent registers an event of kind about cpr.
func personEvent(t *testing.T, env *testEnv, kind, cpr string) {
	t.Helper()
	insertRow(t, env, "person_event", map[string]any{"kind": kind, "cpr": cpr})
}
