package ingest_test

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/cpr"
	"cprgraph/db"
	"cprgraph/db/dbtest"
)

// personRecord is a person record of Anna that later steps vary.
func personRecord(changes map[string]any) map[string]any {
	r := map[string]any{
		"cpr": anna, "fornavn": "Anna", "efternavn": "Holm", "koen": "K", "foedselsdato": "1980-03-14",
		"status": "01", "kommuneKode": 101, "vejKode": 1234, "husnummer": "12", "postnummer": 1000,
	}
	maps.Copy(r, changes)
	for k, v := range r {
		if v == nil {
			delete(r, k)
		}
	}
	return r
}

// wantEvent is an expected event: kind, person and, when not nil, data.
type wantEvent struct {
	kind db.EventKind
	cpr  string
	data map[string]any
}

// TestEvents imports a sequence of files into one database and checks
// the events each one registers.
func TestEvents(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	n, err := cpr.New(time.Date(1980, 3, 14, 0, 0, 0, 0, time.UTC), 517, cpr.Female)
	if err != nil {
		t.Fatal(err)
	}
	newNumber := string(n) // Anna's number after a change of number
	steps := []struct {
		name     string
		datatype string
		records  []map[string]any
		want     []wantEvent
	}{
		{"creation", "person", []map[string]any{personRecord(nil)},
			[]wantEvent{{db.EventCreation, anna, map[string]any{"status": "01"}}}},
		{"same record again", "person", []map[string]any{personRecord(nil)}, nil},
		{"move", "person", []map[string]any{personRecord(map[string]any{"kommuneKode": 751, "vejKode": 42, "etage": "st"})},
			[]wantEvent{{db.EventAddress, anna, nil}, {db.EventForwardingAddress, anna, map[string]any{"forwardingKind": "FOLKEREGISTER"}}}},
		{"name change", "person", []map[string]any{personRecord(map[string]any{"kommuneKode": 751, "vejKode": 42, "etage": "st", "efternavn": "Berg"})},
			[]wantEvent{{db.EventNameChange, anna, nil}}},
		{"death", "person", []map[string]any{personRecord(map[string]any{"kommuneKode": 751, "vejKode": 42, "etage": "st", "efternavn": "Berg", "status": "90"})},
			[]wantEvent{{db.EventStatusChange, anna, map[string]any{"status": "90", "previousStatus": "01"}}, {db.EventDeath, anna, nil}}},
		{"revival", "person", []map[string]any{personRecord(map[string]any{"kommuneKode": 751, "vejKode": 42, "etage": "st", "efternavn": "Berg"})},
			[]wantEvent{{db.EventStatusChange, anna, map[string]any{"status": "01", "previousStatus": "90"}}, {db.EventRevival, anna, nil}}},
		{"emigration", "person", []map[string]any{personRecord(map[string]any{"status": "80", "kommuneKode": nil, "vejKode": nil, "husnummer": nil, "efternavn": "Berg"})},
			[]wantEvent{{db.EventStatusChange, anna, map[string]any{"status": "80", "previousStatus": "01"}}, {db.EventAddress, anna, nil}, {db.EventForwardingAddress, anna, nil}}},
		{"immigration", "person", []map[string]any{personRecord(map[string]any{"efternavn": "Berg"})},
			[]wantEvent{{db.EventStatusChange, anna, map[string]any{"status": "01", "previousStatus": "80"}}, {db.EventImmigration, anna, nil}, {db.EventAddress, anna, nil}, {db.EventForwardingAddress, anna, nil}}},
		{"disappearance", "person", []map[string]any{personRecord(map[string]any{"efternavn": "Berg", "status": "70"})},
			[]wantEvent{{db.EventStatusChange, anna, map[string]any{"status": "70", "previousStatus": "01"}}}},
		{"found", "person", []map[string]any{personRecord(map[string]any{"efternavn": "Berg"})},
			[]wantEvent{{db.EventStatusChange, anna, map[string]any{"status": "01", "previousStatus": "70"}}, {db.EventFound, anna, nil}}},
		{"planned deletion", "person", []map[string]any{personRecord(map[string]any{"efternavn": "Berg", "slutDato": "2030-01-01"})},
			[]wantEvent{{db.EventPlannedDeletion, anna, nil}}},
		{"new number", "person", []map[string]any{
			personRecord(map[string]any{"cpr": newNumber, "efternavn": "Berg"}),
			personRecord(map[string]any{"efternavn": "Berg", "slutDato": "2030-01-01", "status": "60", "gaeldendeCPR": newNumber}),
		}, []wantEvent{
			{db.EventCreation, newNumber, nil},
			{db.EventStatusChange, newNumber, map[string]any{"status": "60", "previousStatus": "01", "oldCpr": anna}},
		}},
		{"marriage", "personfamilie", []map[string]any{{"cpr": bo, "civilstand": "G", "civilstandStartDato": "2024-06-01", "aegtefaelleCPR": dan}},
			[]wantEvent{{db.EventCivilStatus, bo, map[string]any{"civilstand": "G"}}, {db.EventRelation, bo, map[string]any{"relation": "SPOUSE"}}}},
		{"parents", "personfamilie", []map[string]any{{"cpr": bo, "civilstand": "G", "civilstandStartDato": "2024-06-01", "aegtefaelleCPR": dan, "morCPR": eva}},
			[]wantEvent{{db.EventRelation, bo, map[string]any{"relation": "MOTHER"}}}},
		{"child", "barnrelation", []map[string]any{{"id": "r1", "cpr": bo, "barnCPR": clara}},
			[]wantEvent{{db.EventRelation, bo, map[string]any{"relation": "CHILD"}}}},
		{"custody", "foraeldremyndighedrelation", []map[string]any{{"id": "f1", "cpr": clara, "typeKode": "0004", "typeTekst": "Far", "foraeldreMyndighedStartDato": "2010-05-20"}},
			[]wantEvent{{db.EventRelation, clara, map[string]any{"relation": "CUSTODY", "typeKode": "0004"}}}},
		{"protection", "personkontakt", []map[string]any{{"cpr": bo, "navneAdressebeskyttelseStartDato": "2025-01-01"}},
			[]wantEvent{{db.EventAddressProtection, bo, map[string]any{"startDato": "2025-01-01"}}}},
		{"protection ends", "personkontakt", []map[string]any{{"cpr": bo, "navneAdressebeskyttelseStartDato": "2025-01-01", "navneAdressebeskyttelseSletteDato": "2026-01-01"}},
			[]wantEvent{{db.EventAddressProtection, bo, map[string]any{"startDato": "2025-01-01", "sletteDato": "2026-01-01"}}}},
		{"forwarding address", "personkontakt", []map[string]any{{"cpr": bo, "navneAdressebeskyttelseStartDato": "2025-01-01", "navneAdressebeskyttelseSletteDato": "2026-01-01", "udlandsAdr1": "Storgatan 1", "udlandsAdr2": "Malmö"}},
			[]wantEvent{{db.EventForwardingAddress, bo, nil}}},
		{"incapacity", "umyndiggoerelsevaergerelation", []map[string]any{{"id": "u1", "cpr": eva, "typeKode": "0001", "typeTekst": "Værges CPR findes", "relationCpr": dan, "umyndigStartDato": "2024-02-01"}},
			[]wantEvent{{db.EventIncapacity, eva, map[string]any{"typeKode": "0001", "startDato": "2024-02-01"}}}},
		{"guardian address", "umyndiggoerelsevaergerelation", []map[string]any{{"id": "u1", "cpr": eva, "typeKode": "0002", "typeTekst": "Værges adresse findes", "umyndigStartDato": "2024-02-01", "vaergesNavn": "Advokat Berg", "relationsTekst1": "Advokatvej 1"}},
			[]wantEvent{{db.EventIncapacity, eva, map[string]any{"typeKode": "0002", "startDato": "2024-02-01"}}, {db.EventGuardianAddress, eva, nil}}},
		{"guardian address again", "umyndiggoerelsevaergerelation", []map[string]any{{"id": "u1", "cpr": eva, "typeKode": "0002", "typeTekst": "Værges adresse findes", "umyndigStartDato": "2024-02-01", "vaergesNavn": "Advokat Berg", "relationsTekst1": "Advokatvej 1"}},
			nil},
		{"incapacity ends", "umyndiggoerelsevaergerelation", []map[string]any{{"id": "u1", "cpr": eva, "typeKode": "0002", "typeTekst": "Værges adresse findes", "umyndigStartDato": "2024-02-01", "umyndigSletteDato": "2025-02-01", "vaergesNavn": "Advokat Berg", "relationsTekst1": "Advokatvej 1"}},
			[]wantEvent{{db.EventIncapacity, eva, map[string]any{"typeKode": "0002", "startDato": "2024-02-01", "sletteDato": "2025-02-01"}}}},
	}
	var last int64
	seen := map[db.EventKind]bool{}
	for _, step := range steps {
		res := importFile(t, conn, writeJSONL(t, step.datatype, step.records...))
		events := eventsAfter(t, conn, last)
		if res.Events != len(events) {
			t.Errorf("%s: Result.Events = %d, %d registered", step.name, res.Events, len(events))
		}
		checkEvents(t, step.name, events, step.want)
		for _, e := range events {
			seen[e.Kind] = true
			last = e.ID
		}
	}
	for _, k := range db.EventKinds {
		if !seen[k] {
			t.Errorf("no step registered %s", k)
		}
	}
}

func eventsAfter(t *testing.T, conn *sqlx.DB, id int64) []db.Event {
	t.Helper()
	events, err := db.NewStore(conn).Events.List(context.Background(), db.EventFilter{AfterID: id})
	if err != nil {
		t.Fatal(err)
	}
	return events
}

func checkEvents(t *testing.T, step string, got []db.Event, want []wantEvent) {
	t.Helper()
	kinds := func() (g, w []string) {
		for _, e := range got {
			g = append(g, string(e.Kind)+" "+e.CPR)
		}
		for _, e := range want {
			w = append(w, string(e.kind)+" "+e.cpr)
		}
		return g, w
	}
	if g, w := kinds(); !slices.Equal(g, w) {
		t.Errorf("%s: events %v, want %v", step, g, w)
		return
	}
	for i, w := range want {
		if w.data == nil {
			continue
		}
		var data map[string]any
		if err := json.Unmarshal(got[i].Data, &data); err != nil || !maps.Equal(data, w.data) {
			t.Errorf("%s: %s data %s, want %v", step, w.kind, got[i].Data, w.data)
		}
	}
}

func TestEventMunicipalityAndDate(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	importFile(t, conn, writeJSONL(t, "person", personRecord(nil)))
	importFile(t, conn, writeJSONL(t, "person", personRecord(map[string]any{"kommuneKode": 751, "startDato": "2025-05-01"})))
	importFile(t, conn, writeJSONL(t, "personfamilie", map[string]any{"cpr": anna, "civilstand": "F", "civilstandStartDato": "2025-04-01T00:00:00"}))
	events := eventsAfter(t, conn, 0)
	if len(events) != 4 {
		t.Fatalf("%d events", len(events))
	}
	for i, want := range []struct {
		municipality int
		date         string
	}{{101, "1980-03-14"}, {751, "2025-05-01"}, {751, "2025-05-01"}, {751, "2025-04-01"}} { // CREATION, ADDRESS, FORWARDING_ADDRESS, CIVIL_STATUS
		e := events[i]
		if e.MunicipalityCode == nil || *e.MunicipalityCode != want.municipality || e.EffectiveDate == nil || e.EffectiveDate.Format("2006-01-02") != want.date {
			t.Errorf("%s: municipality %v, date %v; want %d, %s", e.Kind, e.MunicipalityCode, e.EffectiveDate, want.municipality, want.date)
		}
	}
}
