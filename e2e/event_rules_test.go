package e2e

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"cprgraph/access"
	"cprgraph/app"
	"cprgraph/cpr"
	"cprgraph/ingest"
)

// The rules of seed 001's PersonHændelseSamlingHent, each from a dated
// import sequence.

func kindsAndNumbers(events []event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.str("kind")+" "+e.str("cpr"))
	}
	return out
}

func wantEvents(t *testing.T, what string, got []event, want ...string) {
	t.Helper()
	if g := kindsAndNumbers(got); !slices.Equal(g, want) {
		t.Errorf("%s: events %v, want %v", what, g, want)
	}
}

// "Det PersonCPRNummer, der returneres, er personens aktuelle CPR-nummer":
// events registered before a change of number answer with the new number,
// and asking by either number finds them all.
func TestEventsAnswerWithTheCurrentNumber(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	n, err := cpr.New(time.Date(1980, 3, 14, 0, 0, 0, 0, time.UTC), 517, cpr.Female)
	if err != nil {
		t.Fatal(err)
	}
	newNumber := string(n)
	importDelta(t, env, "person", annaRecord(map[string]any{"statusDato": "2024-01-02"}))                                                     // 2 Jan: created
	importDelta(t, env, "person", annaRecord(map[string]any{"efternavn": "Berg", "navnStartDato": "2024-04-01", "statusDato": "2024-01-02"})) // 1 Apr: new name
	importDelta(t, env, "person", annaRecord(map[string]any{"cpr": newNumber, "efternavn": "Berg", "statusDato": "2024-10-01"}),              // 1 Oct: new number
		annaRecord(map[string]any{"efternavn": "Berg", "status": "60", "statusDato": "2024-10-01", "gaeldendeCPR": newNumber}))
	// The new number's own record is a CREATION of that number (the importer's rule).
	want := []string{"CREATION " + newNumber, "NAME_CHANGE " + newNumber, "CREATION " + newNumber, "STATUS_CHANGE " + newNumber}
	for _, asked := range []string{newNumber, evAnna} {
		events := env.allEvents(t, access.Authority, map[string]any{"cprs": []string{asked}, "kinds": []string{"CREATION", "NAME_CHANGE", "STATUS_CHANGE"}}, 10)
		wantEvents(t, "asked by "+asked, events, want...)
		if len(events) == 4 && events[3]["oldCpr"] != evAnna {
			t.Errorf("STATUS_CHANGE.oldCpr = %v, want %s", events[3]["oldCpr"], evAnna)
		}
	}
}

// "Det output, der modtages, repræsenterer den endelige status for
// dagen": a death registered in error and corrected the same day gives only
// the revival when the day's final status is asked for.
func TestEventsFinalOfDayKeepsOnlyTheRevival(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	importDelta(t, env, "person", annaRecord(map[string]any{"statusDato": "2024-01-02"}))
	importDelta(t, env, "person", annaRecord(map[string]any{"status": "90", "statusDato": "2024-05-01"})) // registered dead …
	importDelta(t, env, "person", annaRecord(map[string]any{"statusDato": "2024-05-01"}))                 // … and revived the same day
	filter := map[string]any{"cprs": []string{evAnna}, "kinds": []string{"DEATH", "REVIVAL", "STATUS_CHANGE"}}
	wantEvents(t, "every event", env.allEvents(t, access.Authority, filter, 10),
		"STATUS_CHANGE "+evAnna, "DEATH "+evAnna, "STATUS_CHANGE "+evAnna, "REVIVAL "+evAnna)
	filter["finalOfDay"] = true
	final := env.allEvents(t, access.Authority, filter, 1) // page by page: the rule holds across pages
	wantEvents(t, "final of day", final, "STATUS_CHANGE "+evAnna, "REVIVAL "+evAnna)
	if len(final) == 2 && (final[0]["status"] != "01" || final[0]["previousStatus"] != "90") {
		t.Errorf("the day's last status change: %v", final[0])
	}
	// A stream cannot know the rest of the day.
	r := env.query(t, access.Authority, `subscription { personEvents(filter: {finalOfDay: true}) { cursor } }`, nil)
	if r.code() != "BAD_USER_INPUT" {
		t.Errorf("subscription with finalOfDay: %s", r.Raw)
	}
}

// "ForsendelseAdresseHændelse viser, at der er sket ændringer i den af
// CSR-P udvalgte forsendelsesadresse": the event follows the chosen
// address (contact in force > foreign > supplementary > folkeregister), not
// every line of every alternative address, and a contact address's expiry
// changes the choice with no import.
func TestForwardingAddressEventFollowsTheChosenAddress(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	importDelta(t, env, "person", map[string]any{"cpr": evBo, "fornavn": "Bo", "efternavn": "Lund", "koen": "M",
		"foedselsdato": "1982-07-01", "status": "01", "kommuneKode": 101, "vejKode": 1234, "husnummer": "3"})
	forwarding := func() []event {
		return env.allEvents(t, access.Authority, map[string]any{"cprs": []string{evBo}, "kinds": []string{"FORWARDING_ADDRESS"}}, 10)
	}
	seen := 0
	step := func(what string, want int, records ...map[string]any) []event {
		t.Helper()
		if len(records) > 0 {
			importDelta(t, env, "personkontakt", records...)
		}
		events := forwarding()
		if got := len(events) - seen; got != want {
			t.Errorf("%s: %d FORWARDING_ADDRESS events, want %d", what, got, want)
		}
		new := events[seen:]
		seen = len(events)
		return new
	}
	today := access.Today()
	start, end := iso(today.AddDate(0, 0, -10)), iso(today.AddDate(0, 0, 2))
	contact := map[string]any{"cpr": evBo, "kontaktAdr1": "Postboks 7", "kontaktAdr2": "1000 København K", "startDatoKontaktAdr": start}
	step("supplementary address chosen", 1, map[string]any{"cpr": evBo, "supplerendeAdr1": "Sommerhusvej 1"})
	if e := step("contact address chosen over it", 1, merge(contact, map[string]any{"supplerendeAdr1": "Sommerhusvej 1"})); len(e) == 1 && e[0]["validFrom"] != start {
		t.Errorf("validFrom = %v, want the contact address's start %s", e[0]["validFrom"], start)
	}
	step("supplementary address changed while the contact address is chosen", 0, merge(contact, map[string]any{"supplerendeAdr1": "Sommerhusvej 2"}))
	step("contact address given an end", 0, merge(contact, map[string]any{"supplerendeAdr1": "Sommerhusvej 2", "sletteDatoKontaktAdr": end}))
	step("re-import", 0, merge(contact, map[string]any{"supplerendeAdr1": "Sommerhusvej 2", "sletteDatoKontaktAdr": end}))

	// The day after tomorrow the contact address expires: the daily sweep
	// registers the change to the supplementary address, once.
	for _, day := range []time.Time{today, today.AddDate(0, 0, 1)} {
		if n, err := ingest.SweepForwardingExpiries(context.Background(), env.Conn, day); err != nil || n != 0 {
			t.Errorf("sweep of %s before the end: %d events, %v", iso(day), n, err)
		}
	}
	for i := 0; i < 2; i++ {
		if _, err := ingest.SweepForwardingExpiries(context.Background(), env.Conn, today.AddDate(0, 0, 2)); err != nil {
			t.Fatal(err)
		}
	}
	if e := step("contact address expired", 1); len(e) == 1 && (e[0]["validFrom"] != end || e[0]["effectiveDate"] != end) {
		t.Errorf("expiry event %v, want dated %s", e[0], end)
	}
}

// "ForsendelseAdresseHændelse" when the chosen forwarding address is the
// folkeregisteradresse and the person moves: the forwarding address moved
// too. A move while a contact address is chosen changes no forwarding
// address and gives ADDRESS alone.
func TestForwardingAddressEventWhenThePersonMovesWhileTheFolkeregisteradresseIsChosen(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	bo := func(house, start string) map[string]any {
		return map[string]any{"cpr": evBo, "fornavn": "Bo", "efternavn": "Lund", "koen": "M", "foedselsdato": "1982-07-01",
			"status": "01", "kommuneKode": 101, "vejKode": 1234, "husnummer": house, "startDato": start}
	}
	kinds := func() []string {
		var out []string
		for _, e := range env.allEvents(t, access.Authority, map[string]any{"cprs": []string{evBo}, "kinds": []string{"ADDRESS", "FORWARDING_ADDRESS"}}, 10) {
			out = append(out, fmt.Sprintf("%s %v", e["kind"], e["effectiveDate"]))
		}
		return out
	}
	importDelta(t, env, "person", bo("3", "2024-01-01"))
	importDelta(t, env, "person", bo("5", "2024-03-01")) // no personkontakt: the folkeregisteradresse is chosen
	importDelta(t, env, "personkontakt", map[string]any{"cpr": evBo, "tilflytningsDato": "2024-03-01"})
	importDelta(t, env, "person", bo("7", "2024-05-01")) // a personkontakt without an alternative address
	want := []string{"ADDRESS 2024-03-01", "FORWARDING_ADDRESS 2024-03-01", "ADDRESS 2024-05-01", "FORWARDING_ADDRESS 2024-05-01"}
	if got := kinds(); !slices.Equal(got, want) {
		t.Fatalf("moves with the folkeregisteradresse chosen: %v, want %v", got, want)
	}
	importDelta(t, env, "personkontakt", map[string]any{"cpr": evBo, "tilflytningsDato": "2024-05-01",
		"kontaktAdr1": "Postboks 7", "startDatoKontaktAdr": "2024-06-01"})
	importDelta(t, env, "person", bo("9", "2024-07-01")) // the contact address is chosen
	want = append(want, "FORWARDING_ADDRESS 2024-06-01", "ADDRESS 2024-07-01")
	if got := kinds(); !slices.Equal(got, want) {
		t.Errorf("a move with the contact address chosen: %v, want %v", got, want)
	}
}

// The daily job of the serve lifecycle (app.RunForwardingSweeps) registers a
// contact address's expiry without any import: the contact address, given
// an end of today when it was registered three days ago, has expired, and
// the job's first sweep announces the change to the folkeregisteradresse
// (the import announced nothing: the address had ended by then).
func TestDailyJobRegistersAContactAddressExpiryWithoutAnImport(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	today := access.Today()
	importDelta(t, env, "person", map[string]any{"cpr": evBo, "fornavn": "Bo", "efternavn": "Lund", "koen": "M",
		"foedselsdato": "1982-07-01", "status": "01", "kommuneKode": 101, "vejKode": 1234, "husnummer": "3"})
	importDelta(t, env, "personkontakt", map[string]any{"cpr": evBo, "kontaktAdr1": "Postboks 7",
		"startDatoKontaktAdr": iso(today.AddDate(0, 0, -30)), "sletteDatoKontaktAdr": iso(today)})
	// Registered three days ago, before the end (the sweep's condition).
	if _, err := env.Conn.Exec(`UPDATE personkontakt_version SET registered_from = registered_from - interval '3 days'
		WHERE cpr = $1`, evBo); err != nil {
		t.Fatal(err)
	}
	filter := map[string]any{"cprs": []string{evBo}, "kinds": []string{"FORWARDING_ADDRESS"}}
	if events := env.allEvents(t, access.Authority, filter, 10); len(events) != 0 {
		t.Fatalf("before the job: %v", events) // the import itself saw an address already ended
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); app.RunForwardingSweeps(ctx, env.Conn, time.Hour) }()
	defer func() { stop(); <-done }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		events := env.allEvents(t, access.Authority, filter, 10)
		if n := len(events); n == 1 {
			if events[0]["effectiveDate"] != iso(today) {
				t.Errorf("expiry event %v, want dated %s", events[0], iso(today))
			}
			return
		} else if n > 1 || time.Now().After(deadline) {
			t.Fatalf("%d FORWARDING_ADDRESS events, want the expiry's: %v", n, events)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// "VærgeAdresseHændelse viser, at der er sket ændringer i den registrerede
// værgeadresse": when a guardian who is in CPR moves, the ward gets the
// event.
func TestGuardianAddressEventWhenTheGuardianMoves(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	dan := map[string]any{"cpr": evDan, "fornavn": "Dan", "efternavn": "Berg", "koen": "M", "foedselsdato": "1955-11-30",
		"status": "01", "kommuneKode": 101, "vejKode": 1234, "husnummer": "5"}
	importDelta(t, env, "person", dan, map[string]any{"cpr": evEva, "fornavn": "Eva", "efternavn": "Berg", "koen": "K",
		"foedselsdato": "1950-02-02", "status": "01", "kommuneKode": 101, "vejKode": 1234, "husnummer": "7"})
	importDelta(t, env, "umyndiggoerelsevaergerelation", map[string]any{"id": "u1", "cpr": evEva, "typeKode": "0001",
		"typeTekst": "Værges CPR findes", "relationCpr": evDan, "umyndigStartDato": "2024-02-01"})
	guardian := func() []event {
		return env.allEvents(t, access.Authority, map[string]any{"kinds": []string{"GUARDIAN_ADDRESS"}}, 10)
	}
	wantEvents(t, "before the move", guardian())
	importDelta(t, env, "person", merge(dan, map[string]any{"kommuneKode": 751, "vejKode": 42, "startDato": "2025-03-01"})) // 1 Mar 2025: Dan moves
	events := guardian()
	wantEvents(t, "after the guardian's move", events, "GUARDIAN_ADDRESS "+evEva)
	if len(events) == 1 && events[0]["validFrom"] != "2025-03-01" {
		t.Errorf("validFrom = %v, want 2025-03-01", events[0]["validFrom"])
	}
	importDelta(t, env, "person", merge(dan, map[string]any{"kommuneKode": 751, "vejKode": 42, "startDato": "2025-03-01", "efternavn": "Bergh"}))
	wantEvents(t, "a name change of the guardian", guardian(), "GUARDIAN_ADDRESS "+evEva)
}

// MultiHent's PersonStatusGenoplivetDato: a person registered dead and then
// revived answers the revival's date; asked as known before the revival was
// imported, or as of a day before it, there is none.
func TestRevivalDateIsTheDateOfTheLatestRevival(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	const q = `query($asOf: Date, $k: Time) { person(cpr: "` + evAnna + `", asOf: $asOf, knownAt: $k) { status deathDate revivalDate } }`
	importDelta(t, env, "person", annaRecord(map[string]any{"statusDato": "2024-01-02"}))
	wantEqual(t, ok(t, env.query(t, access.Authority, q, nil)), "person.revivalDate", nil)
	importDelta(t, env, "person", annaRecord(map[string]any{"status": "90", "statusDato": "2024-05-01"})) // registered dead …
	dead := registeredNow(t, env)
	importDelta(t, env, "person", annaRecord(map[string]any{"statusDato": "2024-05-03"})) // … and revived
	wantEqual(t, ok(t, env.query(t, access.Authority, q, nil)), "person", map[string]any{"status": "01", "deathDate": nil, "revivalDate": "2024-05-03"})
	wantEqual(t, ok(t, env.query(t, access.Private, q, nil)), "person.revivalDate", "2024-05-03")
	wantEqual(t, ok(t, env.query(t, access.Authority, q, map[string]any{"k": dead})), "person",
		map[string]any{"status": "90", "deathDate": "2024-05-01", "revivalDate": nil})
	wantEqual(t, ok(t, env.query(t, access.Authority, q, map[string]any{"asOf": "2024-05-02"})), "person.revivalDate", nil)
}
