package gen

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// The demo family: the persons, addresses, moves, change events and the
// rented building that the README's and GraphiQL's examples (web.Examples)
// name. LoadDemoFamily adds them beside a generated population.
//
// Hans (DemoCPR) and Mette (DemoSpouseCPR) Testesen are married and live at
// Testvej 12, 2. th, 2100 København Ø with their daughter Clara; Hans's mother
// Grete is dead. Testvej 12 is property DemoBFE, owned by DemoOwnerCVR: Lise
// Lejer moved into 1. tv 60 days before the day of loading, Ole Fraflytter
// moved out of 1. th 45 days before it.
const (
	DemoCPR       = "0101701111" // Hans Testesen
	DemoSpouseCPR = "0202721122" // Mette Testesen
	DemoChildCPR  = "0303104133" // Clara Testesen
	DemoMotherCPR = "0505404155" // Grete Hansen, dead
	DemoTenantCPR = "0404804144" // Lise Lejer, moved in 60 days ago
	DemoLeaverCPR = "0808804188" // Ole Fraflytter, moved out 45 days ago

	// DemoHouseNumberID is the DAR house-number id of Testvej 12 (the
	// whole stairwell), for the landlord lookup.
	DemoHouseNumberID = "5a1e0d6c-1d2b-4c1e-9f00-000000000012"
	// DemoBFE is the property (BFE) holding Testvej 12.
	DemoBFE = 9900012
)

// demoStreets are the demo's streets in municipality 101; LoadDemoFamily
// gives them street codes no generated street uses.
var demoStreets = []struct{ name, postalDistrict string }{
	{"Testvej", "2100 København Ø"},
	{"Gammelvej", "2200 København N"},
	{"Midtvej", "2300 København S"},
}

// LoadDemoFamily inserts the demo family, its building and its change
// events, with dates relative to today, unless the register already holds
// DemoCPR. It runs in one transaction.
func LoadDemoFamily(ctx context.Context, conn *sqlx.DB, today time.Time) (loaded bool, err error) {
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var n int
	if err := tx.GetContext(ctx, &n, `SELECT count(*) FROM person WHERE cpr = $1`, DemoCPR); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	var codes []int
	const freeCodes = `SELECT c FROM generate_series(1, 9899) c
		WHERE NOT EXISTS (SELECT 1 FROM dar_adresse WHERE kommune_kode = 101 AND vej_kode = c)
		  AND NOT EXISTS (SELECT 1 FROM person WHERE kommune_kode = 101 AND vej_kode = c)
		ORDER BY c DESC LIMIT 3`
	if err := tx.SelectContext(ctx, &codes, freeCodes); err != nil {
		return false, err
	}
	if len(codes) < len(demoStreets) {
		return false, fmt.Errorf("gen: no free street codes in municipality 101 for the demo family")
	}
	w := demoWriter{ctx: ctx, tx: tx}
	day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
	type place struct {
		street      int // index in demoStreets
		house       string
		floor, door string
	}
	addr := func(p place) map[string]any {
		s := demoStreets[p.street]
		postal, district, _ := strings.Cut(s.postalDistrict, " ")
		pn, _ := strconv.Atoi(postal)
		std := s.name + " " + p.house
		if p.floor != "" {
			std += ", " + p.floor + ". " + p.door
		}
		return map[string]any{"kommune_kode": 101, "vej_kode": codes[p.street], "vejnavn": s.name, "husnummer": p.house,
			"etage": nullIfEmpty(p.floor), "side_doer_nummer": nullIfEmpty(p.door), "postnummer": pn, "postdistrikt": district,
			"standard_adresse": std}
	}

	// The address register: Testvej 12 (six dwellings, property DemoBFE),
	// Gammelvej 3 and Midtvej 7B.
	w.row("ejendom", map[string]any{"bfe_nummer": DemoBFE, "betegnelse": "Testvej 12, København Ø"})
	w.row("ejerskab", map[string]any{"bfe_nummer": DemoBFE, "ejer_cvr": DemoOwnerCVR, "ejet_fra": day(-5 * 365), "status": "gældende"})
	darRow := func(p place, houseID any, bfe any) {
		a := addr(p)
		w.exec(`INSERT INTO dar_adresse (id, husnummer_id, kommune_kode, vej_kode, vejnavn, husnummer, etage,
			side_doer_nummer, postnummer, postdistrikt, bfe_nummer)
			VALUES (gen_random_uuid(), coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			houseID, a["kommune_kode"], a["vej_kode"], a["vejnavn"], a["husnummer"], p.floor, p.door,
			a["postnummer"], a["postdistrikt"], bfe)
	}
	for _, floor := range []string{"st", "1", "2"} {
		for _, door := range []string{"tv", "th"} {
			darRow(place{0, "12", floor, door}, DemoHouseNumberID, DemoBFE)
		}
	}
	gammelvej3 := place{1, "3", "", ""}
	midtvej := func(floor, door string) place { return place{2, "7B", floor, door} }
	darRow(gammelvej3, nil, nil)
	for _, door := range []string{"tv", "th"} {
		for _, floor := range []string{"1", "2"} {
			darRow(midtvej(floor, door), nil, nil)
		}
	}

	home := place{0, "12", "2", "th"}
	type person struct {
		cpr, first, last, born, sex, status, statusDate, nameSince string
		at                                                         *place
		movedIn                                                    string
	}
	tenantFlat, leaverFlat := place{0, "12", "1", "tv"}, place{0, "12", "1", "th"}
	leaverNow := midtvej("2", "tv")
	for _, p := range []person{
		{DemoCPR, "Hans", "Testesen", "1970-01-01", "M", "01", "1970-01-01", "2012-06-01", &home, "2010-05-01"},
		{DemoSpouseCPR, "Mette", "Testesen", "1972-02-02", "K", "01", "1972-02-02", "", &home, "2010-05-01"},
		{DemoChildCPR, "Clara", "Testesen", "2010-03-03", "K", "01", "2010-03-03", "", &home, "2010-05-01"},
		{DemoMotherCPR, "Grete", "Hansen", "1940-05-05", "K", "90", "2015-01-01", "", nil, ""},
		{DemoTenantCPR, "Lise", "Lejer", "1980-04-04", "K", "01", "1980-04-04", "", &tenantFlat, day(-60)},
		{DemoLeaverCPR, "Ole", "Fraflytter", "1980-08-08", "M", "01", "1980-08-08", "", &leaverNow, day(-45)},
	} {
		row := map[string]any{"cpr": p.cpr, "fornavn": p.first, "efternavn": p.last, "adresserings_navn": p.last + "," + p.first,
			"foedselsdato": p.born, "koen": p.sex, "status": p.status, "status_dato": p.statusDate, "navn_start_dato": nullIfEmpty(p.nameSince)}
		if p.at != nil {
			for k, v := range addr(*p.at) {
				row[k] = v
			}
		}
		w.row("person", row)
		if p.movedIn != "" {
			w.row("personkontakt", map[string]any{"cpr": p.cpr, "tilflytnings_dato": p.movedIn})
		}
	}
	w.row("personfamilie", map[string]any{"cpr": DemoCPR, "civilstand": "G", "civilstand_start_dato": "2009-06-01",
		"aegtefaelle_cpr": DemoSpouseCPR, "mor_cpr": DemoMotherCPR})
	w.row("personfamilie", map[string]any{"cpr": DemoSpouseCPR, "civilstand": "G", "civilstand_start_dato": "2009-06-01",
		"aegtefaelle_cpr": DemoCPR})
	w.row("personfamilie", map[string]any{"cpr": DemoChildCPR, "civilstand": "U", "mor_cpr": DemoSpouseCPR, "far_cpr": DemoCPR})
	for i, rel := range [][2]string{{DemoCPR, DemoChildCPR}, {DemoSpouseCPR, DemoChildCPR}, {DemoMotherCPR, DemoCPR}} {
		w.row("barnrelation", map[string]any{"id": fmt.Sprintf("demo-%d", i+1), "cpr": rel[0], "barn_cpr": rel[1]})
	}
	w.row("historiskenavneoplysninger", map[string]any{"id": "demo-1", "cpr": DemoCPR, "fornavn": "Hans", "efternavn": "Hansen",
		"start_dato": "1970-01-01", "slut_dato": "2012-06-01"})
	w.row("historiskecivilstande", map[string]any{"id": "demo-1", "cpr": DemoCPR, "civilstand": "U", "start_dato": "1970-01-01", "slut_dato": "2009-06-01"})
	for i, h := range []struct {
		cpr     string
		at      place
		in, out string
	}{
		{DemoCPR, gammelvej3, "2000-01-01", "2005-01-01"},
		{DemoCPR, midtvej("1", "tv"), "2005-01-01", "2010-05-01"},
		{DemoSpouseCPR, midtvej("1", "tv"), "2006-01-01", "2010-05-01"},
		{DemoLeaverCPR, leaverFlat, "2019-01-01", day(-45)},
	} {
		a := addr(h.at)
		w.row("historiskeadresser", map[string]any{"id": fmt.Sprintf("demo-%d", i+1), "cpr": h.cpr,
			"kommune_kode": 101, "vej_kode": a["vej_kode"], "husnummer": a["husnummer"], "etage": a["etage"],
			"side_doer_nummer": a["side_doer_nummer"], "tilflytnings_dato": h.in, "fraflytnings_dato": h.out})
	}

	// Change events, registered on the days they happened.
	for _, e := range []struct {
		kind, cpr string
		daysAgo   int
		data      string
	}{
		{"ADDRESS", DemoLeaverCPR, 45, `{}`},
		{"ADDRESS", DemoTenantCPR, 60, `{}`},
		{"CIVIL_STATUS", DemoCPR, 20, `{"civilstand": "G"}`},
		{"NAME_CHANGE", DemoSpouseCPR, 10, `{}`},
		{"DEATH", DemoMotherCPR, 2, `{}`},
	} {
		w.exec(`INSERT INTO person_event (registered_at, kind, cpr, kommune_kode, effective_date, data)
			VALUES ($1, $2, $3, 101, $4, $5)`,
			today.AddDate(0, 0, -e.daysAgo), e.kind, e.cpr, day(-e.daysAgo), e.data)
	}
	if w.err != nil {
		return false, fmt.Errorf("gen: demo family: %w", w.err)
	}
	return true, tx.Commit()
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// demoWriter runs statements until the first error, which it keeps.
type demoWriter struct {
	ctx context.Context
	tx  *sqlx.Tx
	err error
}

func (w *demoWriter) exec(query string, args ...any) {
	if w.err == nil {
		_, w.err = w.tx.ExecContext(w.ctx, query, args...)
	}
}

// row inserts one row into table with the columns of values.
func (w *demoWriter) row(table string, values map[string]any) {
	cols := make([]string, 0, len(values))
	for c := range values {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	params, args := make([]string, len(cols)), make([]any, len(cols))
	for i, c := range cols {
		params[i], args[i] = "$"+strconv.Itoa(i+1), values[c]
	}
	w.exec(fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", table, strings.Join(cols, ", "), strings.Join(params, ", ")), args...)
}
