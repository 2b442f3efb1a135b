package e2e

import (
	"testing"
	"time"

	"cprgraph/access"
)

// registeredNow returns the database's clock: an instant after every
// import committed so far and before every later one.
func registeredNow(t *testing.T, env *testEnv) string {
	t.Helper()
	var now time.Time
	if err := env.Conn.Get(&now, `SELECT clock_timestamp()`); err != nil {
		t.Fatal(err)
	}
	return now.UTC().Format(time.RFC3339Nano)
}

// TestKnownAtReproducesTheAnswerBeforeACorrection imports a person, asks,
// imports a correction of the name, the address, the civil status and the
// name history, and asks again with knownAt before the correction: the
// first answer, field for field, histories included. Validity time and
// registration time combine: asOf a day before the marriage, knownAt before
// the correction.
func TestKnownAtReproducesTheAnswerBeforeACorrection(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	beforeAll := registeredNow(t, env)
	importDelta(t, env, "person", annaRecord(map[string]any{"navnStartDato": "2015-06-01", "startDato": "2020-01-01"}))
	importDelta(t, env, "personfamilie", map[string]any{"cpr": evAnna, "civilstand": "G", "civilstandStartDato": "2015-06-01", "aegtefaelleCPR": evBo})
	importDelta(t, env, "historiskenavneoplysninger", map[string]any{"id": "anna-name-1", "cpr": evAnna,
		"fornavn": "Anna", "efternavn": "Dahl", "startDato": "1980-03-14", "slutDato": "2015-06-01"})

	const q = `query($cpr: String!, $asOf: Date, $knownAt: Time) { person(cpr: $cpr, asOf: $asOf, knownAt: $knownAt) {
		knownAt lastName address { houseNumber } civilStatus { code } nameHistory { lastName } } }`
	first := ok(t, env.query(t, access.Authority, q, map[string]any{"cpr": evAnna}))
	wantEqual(t, first, "person.lastName", "Holm")
	wantEqual(t, first, "person.address.houseNumber", "12")
	wantEqual(t, first, "person.civilStatus.code", "G")
	wantEqual(t, first, "person.nameHistory.0.lastName", "Dahl")
	knownAt := registeredNow(t, env)

	// The correction: another surname, house number and civil status, and
	// the former name corrected.
	importDelta(t, env, "person", annaRecord(map[string]any{"navnStartDato": "2015-06-01", "startDato": "2020-01-01",
		"efternavn": "Holmberg", "husnummer": "14"}))
	importDelta(t, env, "personfamilie", map[string]any{"cpr": evAnna, "civilstand": "U"})
	importDelta(t, env, "historiskenavneoplysninger", map[string]any{"id": "anna-name-1", "cpr": evAnna,
		"fornavn": "Anna", "efternavn": "Dal", "startDato": "1980-03-14", "slutDato": "2015-06-01"})

	now := ok(t, env.query(t, access.Authority, q, map[string]any{"cpr": evAnna}))
	wantEqual(t, now, "person.lastName", "Holmberg")
	wantEqual(t, now, "person.address.houseNumber", "14")
	wantEqual(t, now, "person.civilStatus.code", "U")
	wantEqual(t, now, "person.nameHistory.0.lastName", "Dal")
	wantEqual(t, now, "person.knownAt", nil)

	then := ok(t, env.query(t, access.Authority, q, map[string]any{"cpr": evAnna, "knownAt": knownAt}))
	wantEqual(t, then, "person.lastName", "Holm")
	wantEqual(t, then, "person.address.houseNumber", "12")
	wantEqual(t, then, "person.civilStatus.code", "G")
	wantEqual(t, then, "person.nameHistory.0.lastName", "Dahl")
	if got := at(t, then.Data, "person.knownAt"); got == nil {
		t.Error("person.knownAt is null, want the instant asked for")
	}

	// Both times: known before the correction, valid before the marriage.
	both := ok(t, env.query(t, access.Authority, q, map[string]any{"cpr": evAnna, "knownAt": knownAt, "asOf": "2010-01-01"}))
	wantEqual(t, both, "person.lastName", "Dahl")
	wantEqual(t, both, "person.civilStatus", nil)

	// The batch and the address history take the same arguments.
	r := ok(t, env.query(t, access.Authority, `query($k: Time) { persons(cprs: ["`+evAnna+`"], knownAt: $k) { person { lastName } }
		addressHistory(cprs: ["`+evAnna+`"], knownAt: $k) { history { addresses { houseNumber } } } }`, map[string]any{"k": knownAt}))
	wantEqual(t, r, "persons.0.person.lastName", "Holm")
	wantEqual(t, r, "addressHistory.0.history.addresses.0.houseNumber", "12")

	// Before the first import the register did not know the person.
	r = env.query(t, access.Authority, q, map[string]any{"cpr": evAnna, "knownAt": beforeAll})
	if r.code() != "NOT_FOUND" {
		t.Errorf("knownAt before the first import: %s, want NOT_FOUND", r.Raw)
	}
}
