package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"cprgraph/access"
	"cprgraph/app"
	"cprgraph/cpr"
	"cprgraph/db"
	"cprgraph/ingest"
)

// Persons of the event tests.
const (
	evAnna  = "1403800034" // 1980-03-14, K
	evBo    = "0107820035" // 1982-07-01, M
	evClara = "2005104034" // 2010-05-20, K
	evDan   = "3011550035" // 1955-11-30, M
	evEva   = "0202500034" // 1950-02-02, K
)

// eventFields selects every field of every event kind.
const eventFields = `fragment ev on PersonEvent {
	__typename id cursor kind registeredAt cpr effectiveDate municipalityCode protected
	... on CreationEvent { status }
	... on CivilStatusEvent { civilStatus civilStatusDate }
	... on RelationEvent { relation custodyType }
	... on AddressEvent { addressValidFrom }
	... on ForwardingAddressEvent { validFrom }
	... on GuardianAddressEvent { validFrom }
	... on ImmigrationEvent { immigrationDate }
	... on FoundEvent { foundDate }
	... on AddressProtectionEvent { protectionDate protectionStart protectionEnd }
	... on DeathEvent { deathDate }
	... on RevivalEvent { revivalDate }
	... on NameChangeEvent { nameValidFrom }
	... on StatusChangeEvent { status statusDate previousStatus oldCpr }
	... on PlannedDeletionEvent { deletionDate }
	... on IncapacityEvent { incapacityCode incapacityFrom startDate endDate }
}`

const eventsQuery = `query($filter: PersonEventFilter, $first: Int, $after: String) {
	personEvents(filter: $filter, first: $first, after: $after) {
		edges { cursor node { ...ev } }
		pageInfo { hasNextPage endCursor }
	}
}` + eventFields

const eventsSubscription = `subscription($filter: PersonEventFilter, $after: String) {
	personEvents(filter: $filter, after: $after) { cursor node { ...ev } }
}` + eventFields

// streamedEvent reads a subscription message: the event of its edge.
func streamedEvent(payload []byte) (event, bool) {
	var msg struct {
		Data struct {
			PersonEvents struct {
				Cursor string
				Node   event
			}
		}
		Errors []any
	}
	if json.Unmarshal(payload, &msg) != nil || len(msg.Errors) > 0 {
		return nil, false
	}
	edge := msg.Data.PersonEvents
	return edge.Node, edge.Cursor != "" && edge.Cursor == edge.Node.str("cursor")
}

// event is a PersonEvent as the tests read it: every field of every kind.
type event map[string]any

func (e event) str(field string) string { s, _ := e[field].(string); return s }

type eventPage struct {
	PersonEvents struct {
		Edges []struct {
			Cursor string
			Node   event
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
}

// events runs personEvents as profile and returns the page.
func (env *testEnv) events(t *testing.T, profile access.Profile, vars map[string]any) eventPage {
	t.Helper()
	r := env.query(t, profile, eventsQuery, vars)
	var page eventPage
	if len(r.Errors) > 0 || json.Unmarshal(r.Data, &page) != nil {
		t.Fatalf("personEvents %v as %s: %s", vars, profile, r.Raw)
	}
	return page
}

// allEvents reads every event matching filter, page by page.
func (env *testEnv) allEvents(t *testing.T, profile access.Profile, filter map[string]any, pageSize int) []event {
	t.Helper()
	var out []event
	vars := map[string]any{"filter": filter, "first": pageSize}
	for {
		page := env.events(t, profile, vars).PersonEvents
		for _, e := range page.Edges {
			if e.Cursor != e.Node.str("cursor") {
				t.Errorf("edge cursor %s, node cursor %s", e.Cursor, e.Node.str("cursor"))
			}
			out = append(out, e.Node)
		}
		if !page.PageInfo.HasNextPage {
			return out
		}
		vars["after"] = *page.PageInfo.EndCursor
	}
}

// importDelta imports one file of records of a seed-004 datatype, as the
// daily delta would arrive.
func importDelta(t *testing.T, env *testEnv, datatype string, records ...map[string]any) ingest.Result {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for _, r := range records {
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), datatype+"_delta.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := ingest.ImportFile(context.Background(), env.Conn, path, ingest.Options{})
	if err != nil {
		t.Fatalf("import %s: %v", datatype, err)
	}
	return res
}

// annaRecord is a person record of Anna with changes (nil removes a field).
func annaRecord(changes map[string]any) map[string]any {
	r := map[string]any{
		"cpr": evAnna, "fornavn": "Anna", "efternavn": "Holm", "koen": "K", "foedselsdato": "1980-03-14",
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

// eventTypes is the object type of each event kind.
var eventTypes = map[string]string{
	"CREATION": "CreationEvent", "CIVIL_STATUS": "CivilStatusEvent", "RELATION": "RelationEvent",
	"ADDRESS": "AddressEvent", "FORWARDING_ADDRESS": "ForwardingAddressEvent", "GUARDIAN_ADDRESS": "GuardianAddressEvent",
	"IMMIGRATION": "ImmigrationEvent", "FOUND": "FoundEvent", "ADDRESS_PROTECTION": "AddressProtectionEvent",
	"DEATH": "DeathEvent", "REVIVAL": "RevivalEvent", "NAME_CHANGE": "NameChangeEvent",
	"STATUS_CHANGE": "StatusChangeEvent", "PLANNED_DELETION": "PlannedDeletionEvent", "INCAPACITY": "IncapacityEvent",
}

func kinds(events []event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.str("kind"))
	}
	return out
}

// TestPersonEventsRecordEveryKindOfChange registers every kind of event by importing
// changes and reads each back with its fields from seed 001.
func TestPersonEventsRecordEveryKindOfChange(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	n, err := cpr.New(time.Date(1980, 3, 14, 0, 0, 0, 0, time.UTC), 517, cpr.Female)
	if err != nil {
		t.Fatal(err)
	}
	newNumber := string(n)
	moved := map[string]any{"kommuneKode": 751, "vejKode": 42, "startDato": "2024-03-01"}
	steps := []struct {
		datatype string
		record   map[string]any
		extra    map[string]any
	}{
		{"person", annaRecord(map[string]any{"statusDato": "2024-01-02"}), nil},
		{"person", annaRecord(moved), nil},
		{"person", annaRecord(map[string]any{"kommuneKode": 751, "vejKode": 42, "startDato": "2024-03-01", "efternavn": "Berg", "navnStartDato": "2024-04-01"}), nil},
		{"person", annaRecord(map[string]any{"efternavn": "Berg", "status": "90", "statusDato": "2024-05-01"}), nil},
		{"person", annaRecord(map[string]any{"efternavn": "Berg", "statusDato": "2024-05-02"}), nil},
		{"person", annaRecord(map[string]any{"efternavn": "Berg", "status": "80", "statusDato": "2024-06-01", "kommuneKode": nil, "vejKode": nil, "husnummer": nil}), nil},
		{"person", annaRecord(map[string]any{"efternavn": "Berg", "statusDato": "2024-07-01"}), nil},
		{"person", annaRecord(map[string]any{"efternavn": "Berg", "status": "70", "statusDato": "2024-08-01"}), nil},
		{"person", annaRecord(map[string]any{"efternavn": "Berg", "statusDato": "2024-09-01"}), nil},
		{"person", annaRecord(map[string]any{"efternavn": "Berg", "statusDato": "2024-09-01", "slutDato": "2030-01-01"}), nil},
		{"person", annaRecord(map[string]any{"cpr": newNumber, "efternavn": "Berg", "statusDato": "2024-10-01"}),
			annaRecord(map[string]any{"efternavn": "Berg", "slutDato": "2030-01-01", "status": "60", "statusDato": "2024-10-01", "gaeldendeCPR": newNumber})},
		{"personfamilie", map[string]any{"cpr": evBo, "civilstand": "G", "civilstandStartDato": "2024-06-01", "aegtefaelleCPR": evDan}, nil},
		{"foraeldremyndighedrelation", map[string]any{"id": "f1", "cpr": evClara, "typeKode": "0004", "typeTekst": "Far", "foraeldreMyndighedStartDato": "2010-05-20"}, nil},
		{"personkontakt", map[string]any{"cpr": evBo, "navneAdressebeskyttelseStartDato": "2025-01-01", "navneAdressebeskyttelseSletteDato": "2026-01-01"}, nil},
		{"personkontakt", map[string]any{"cpr": evBo, "navneAdressebeskyttelseStartDato": "2025-01-01", "navneAdressebeskyttelseSletteDato": "2026-01-01", "udlandsAdr1": "Storgatan 1", "udrejseDato": "2025-02-01"}, nil},
		{"umyndiggoerelsevaergerelation", map[string]any{"id": "u1", "cpr": evEva, "typeKode": "0002", "typeTekst": "Værges adresse findes", "umyndigStartDato": "2024-02-01", "vaergesNavn": "Advokat Berg", "relationsTekst1": "Advokatvej 1", "vaergesNavnStartDato": "2024-02-01"}, nil},
		{"umyndiggoerelsevaergerelation", map[string]any{"id": "u1", "cpr": evEva, "typeKode": "0002", "typeTekst": "Værges adresse findes", "umyndigStartDato": "2024-02-01", "umyndigSletteDato": "2025-02-01", "vaergesNavn": "Advokat Berg", "relationsTekst1": "Advokatvej 1", "vaergesNavnStartDato": "2024-02-01"}, nil},
	}
	for _, s := range steps {
		records := []map[string]any{s.record}
		if s.extra != nil {
			records = append(records, s.extra)
		}
		importDelta(t, env, s.datatype, records...)
	}

	events := env.allEvents(t, access.Authority, nil, 7)
	byKind := map[string][]event{}
	for _, e := range events {
		byKind[e.str("kind")] = append(byKind[e.str("kind")], e)
		if want := eventTypes[e.str("kind")]; e.str("__typename") != want {
			t.Errorf("kind %s has type %s, want %s", e.str("kind"), e.str("__typename"), want)
		}
	}
	for _, k := range db.EventKinds {
		if len(byKind[string(k)]) == 0 {
			t.Errorf("no %s event in the feed (kinds: %v)", k, kinds(events))
		}
	}
	first := func(kind string) event {
		t.Helper()
		if len(byKind[kind]) == 0 {
			t.Fatalf("no %s event", kind)
		}
		return byKind[kind][0]
	}
	today := access.Today().Format(time.DateOnly)
	for _, c := range []struct {
		kind   string
		fields map[string]any
	}{
		// Registered under evAnna, answered with her current number (seed 001).
		{"CREATION", map[string]any{"cpr": newNumber, "status": "01", "effectiveDate": "2024-01-02", "municipalityCode": 101.0}},
		{"ADDRESS", map[string]any{"addressValidFrom": "2024-03-01", "municipalityCode": 751.0}},
		{"NAME_CHANGE", map[string]any{"effectiveDate": "2024-04-01", "nameValidFrom": today}},
		{"DEATH", map[string]any{"deathDate": "2024-05-01"}},
		{"REVIVAL", map[string]any{"revivalDate": "2024-05-02"}},
		{"IMMIGRATION", map[string]any{"immigrationDate": "2024-07-01"}},
		{"FOUND", map[string]any{"foundDate": "2024-09-01"}},
		{"PLANNED_DELETION", map[string]any{"deletionDate": "2030-01-01"}},
		{"CIVIL_STATUS", map[string]any{"cpr": evBo, "civilStatus": "G", "civilStatusDate": "2024-06-01"}},
		{"ADDRESS_PROTECTION", map[string]any{"cpr": evBo, "protectionDate": today, "protectionStart": "2025-01-01", "protectionEnd": "2026-01-01"}},
		// Anna's move while her folkeregisteradresse was the chosen one;
		// Bo's foreign address below.
		{"FORWARDING_ADDRESS", map[string]any{"cpr": newNumber, "validFrom": "2024-03-01"}},
		{"GUARDIAN_ADDRESS", map[string]any{"cpr": evEva, "validFrom": "2024-02-01"}},
		{"INCAPACITY", map[string]any{"cpr": evEva, "incapacityCode": "0002", "incapacityFrom": today, "startDate": "2024-02-01", "endDate": nil}},
	} {
		e := first(c.kind)
		for f, want := range c.fields {
			if e[f] != want {
				t.Errorf("%s.%s = %v, want %v", c.kind, f, e[f], want)
			}
		}
	}
	if fwd := byKind["FORWARDING_ADDRESS"]; !slices.ContainsFunc(fwd, func(e event) bool { return e["cpr"] == evBo && e["validFrom"] == "2025-02-01" }) {
		t.Errorf("no FORWARDING_ADDRESS of Bo's foreign address: %v", fwd)
	}
	relations := map[string]event{}
	for _, e := range byKind["RELATION"] {
		relations[e.str("relation")] = e
	}
	if relations["SPOUSE"]["cpr"] != evBo || relations["CUSTODY"]["cpr"] != evClara || relations["CUSTODY"]["custodyType"] != "0004" {
		t.Errorf("relation events: %v", byKind["RELATION"])
	}
	var numberChange event
	for _, e := range byKind["STATUS_CHANGE"] {
		if e["oldCpr"] != nil {
			numberChange = e
		}
	}
	if numberChange["cpr"] != newNumber || numberChange["oldCpr"] != evAnna || numberChange["status"] != "60" || numberChange["statusDate"] != "2024-10-01" {
		t.Errorf("change of number: %v", numberChange)
	}
	if death := byKind["STATUS_CHANGE"][0]; death["status"] != "90" || death["previousStatus"] != "01" {
		t.Errorf("status change on death: %v", death)
	}
	ended := byKind["INCAPACITY"][len(byKind["INCAPACITY"])-1]
	if ended["incapacityCode"] != nil || ended["endDate"] != "2025-02-01" {
		t.Errorf("end of incapacity: %v", ended)
	}
	for i := 1; i < len(events); i++ {
		if events[i].str("registeredAt") < events[i-1].str("registeredAt") {
			t.Errorf("events out of registration order: %s after %s", events[i].str("registeredAt"), events[i-1].str("registeredAt"))
		}
	}
}

// TestPersonEventsPageResumeAndFilter pages through the feed, resumes from a
// cursor and filters by kind, person, municipality and registration time.
func TestPersonEventsPageResumeAndFilter(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	importDelta(t, env, "person", annaRecord(nil))
	time.Sleep(10 * time.Millisecond)
	importDelta(t, env, "person", annaRecord(map[string]any{"kommuneKode": 751, "vejKode": 42}),
		map[string]any{"cpr": evBo, "koen": "M", "status": "01", "kommuneKode": 751})
	time.Sleep(10 * time.Millisecond)
	importDelta(t, env, "personfamilie", map[string]any{"cpr": evBo, "civilstand": "G", "civilstandStartDato": "2024-06-01", "aegtefaelleCPR": evDan})

	all := env.allEvents(t, access.Authority, nil, 100)
	if got := strings.Join(kinds(all), " "); got != "CREATION ADDRESS FORWARDING_ADDRESS CREATION CIVIL_STATUS RELATION" {
		t.Fatalf("all events: %s", got)
	}
	if paged := env.allEvents(t, access.Authority, nil, 2); !slices.EqualFunc(paged, all, func(a, b event) bool { return a["id"] == b["id"] }) {
		t.Errorf("paging by 2 gave %v, want %v", kinds(paged), kinds(all))
	}
	resumed := env.events(t, access.Authority, map[string]any{"after": all[3].str("cursor")}).PersonEvents
	if len(resumed.Edges) != 2 || resumed.Edges[0].Node["id"] != all[4]["id"] || resumed.PageInfo.HasNextPage {
		t.Errorf("after the fourth event: %+v", resumed)
	}
	if end := env.events(t, access.Authority, map[string]any{"after": all[5].str("cursor")}).PersonEvents; len(end.Edges) != 0 || end.PageInfo.EndCursor != nil {
		t.Errorf("after the last event: %+v", end)
	}

	count := func(filter map[string]any) int {
		t.Helper()
		return len(env.allEvents(t, access.Authority, filter, 100))
	}
	for name, c := range map[string]struct {
		filter map[string]any
		want   int
	}{
		"kind":            {map[string]any{"kinds": []string{"CREATION"}}, 2},
		"kinds":           {map[string]any{"kinds": []string{"CREATION", "RELATION"}}, 3},
		"cpr":             {map[string]any{"cprs": []string{evBo}}, 3},
		"municipality":    {map[string]any{"municipalityCode": 751}, 5},
		"from":            {map[string]any{"from": all[1].str("registeredAt")}, 5},
		"to":              {map[string]any{"to": all[1].str("registeredAt")}, 1},
		"interval":        {map[string]any{"from": all[1].str("registeredAt"), "to": all[4].str("registeredAt")}, 3},
		"all criteria":    {map[string]any{"kinds": []string{"CREATION"}, "cprs": []string{evBo}, "municipalityCode": 751, "from": all[0].str("registeredAt")}, 1},
		"no such kind":    {map[string]any{"kinds": []string{"DEATH"}}, 0},
		"no such instant": {map[string]any{"from": "2999-01-01T00:00:00Z"}, 0},
	} {
		if got := count(c.filter); got != c.want {
			t.Errorf("%s: %d events, want %d", name, got, c.want)
		}
	}

	for name, vars := range map[string]map[string]any{
		"bad cursor":     {"after": "bm90LWEtY3Vyc29y"},
		"first 0":        {"first": 0},
		"first too many": {"first": db.MaxEventPage + 1},
		"bad CPR":        {"filter": map[string]any{"cprs": []string{"123"}}},
		"bad kind":       {"filter": map[string]any{"kinds": []string{"MOVE"}}},
		"bad time":       {"filter": map[string]any{"from": "yesterday"}},
	} {
		const q = `query($filter: PersonEventFilter, $first: Int, $after: String) {
			personEvents(filter: $filter, first: $first, after: $after) { pageInfo { hasNextPage } } }`
		if r := env.query(t, access.Authority, q, vars); (r.code() != "BAD_USER_INPUT" && r.code() != "GRAPHQL_VALIDATION_FAILED") || hasData(r.Data) {
			t.Errorf("%s: %s", name, r.Raw)
		}
	}
}

// TestPersonEventsMaskProtectedMunicipalityAndAreAudited: a protected person's events show no
// municipality to PRIVATE and never match its municipality filter; every
// page is audited with the persons it showed; only AUTHORITY and PRIVATE
// may read events.
func TestPersonEventsMaskProtectedMunicipalityAndAreAudited(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	importDelta(t, env, "person", annaRecord(nil), map[string]any{"cpr": evBo, "koen": "M", "status": "01", "kommuneKode": 101})
	importDelta(t, env, "personkontakt", map[string]any{"cpr": evBo, "navneAdressebeskyttelseStartDato": "2020-01-01"})

	for _, profile := range []access.Profile{access.Private, access.Authority} {
		events := env.allEvents(t, profile, nil, 100)
		if got := strings.Join(kinds(events), " "); got != "CREATION CREATION ADDRESS_PROTECTION" {
			t.Fatalf("%s: %s", profile, got)
		}
		for _, e := range events {
			protected := e["cpr"] == evBo
			if e["protected"] != protected || e["kind"] == nil || e["registeredAt"] == nil || e["id"] == nil {
				t.Errorf("%s: %v", profile, e)
			}
			if masked := profile == access.Private && protected; (e["municipalityCode"] == nil) != masked {
				t.Errorf("%s: municipalityCode of %s = %v", profile, e["cpr"], e["municipalityCode"])
			}
		}
		if e := events[2]; e["protectionStart"] != "2020-01-01" {
			t.Errorf("%s: protection event %v", profile, e)
		}
		inKbh := env.allEvents(t, profile, map[string]any{"municipalityCode": 101}, 1)
		want := "CREATION CREATION ADDRESS_PROTECTION"
		if profile == access.Private {
			want = "CREATION" // Bo's events would tell where he lives
		}
		if got := strings.Join(kinds(inKbh), " "); got != want {
			t.Errorf("%s in municipality 101: %s, want %s", profile, got, want)
		}
	}

	rows, err := env.Store.Audit.List(context.Background(), db.AuditFilter{CPR: evBo, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	// PRIVATE: the whole feed (its municipality pages show Bo on none);
	// AUTHORITY: the whole feed and two of its municipality pages.
	if len(rows) != 4 {
		t.Errorf("%d audit rows name Bo, want 4", len(rows))
	}
	for _, r := range rows {
		if !slices.Equal(r.Operations, []string{"events"}) {
			t.Errorf("audit row operations %v", r.Operations)
		}
	}

	for profile, code := range map[access.Profile]string{access.Landlord: "FORBIDDEN", access.Admin: "FORBIDDEN", "": "UNAUTHENTICATED"} {
		if r := env.query(t, profile, eventsQuery, nil); r.code() != code || strings.Contains(r.Raw, evAnna) {
			t.Errorf("%q: %s", profile, r.Raw)
		}
	}
}

// wsClient speaks graphql-transport-ws to the server.
type wsClient struct {
	conn *websocket.Conn
	in   chan wsMessage
	err  error // why the connection ended; set before in is closed
}

type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// dialEvents opens a websocket to env's server and initialises it,
// authenticated as the client of profile in the connection_init payload
// ("" = anonymous).
func (env *testEnv) dialEvents(t *testing.T, profile access.Profile) *wsClient {
	t.Helper()
	return env.dialEventsWith(t, env.headers(profile))
}

// dialEventsWith is dialEvents with these headers in the connection_init
// payload (a key, a token, a purpose).
func (env *testEnv) dialEventsWith(t *testing.T, headers map[string]string) *wsClient {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(env.URL, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	c := &wsClient{conn: conn, in: make(chan wsMessage, 100)}
	t.Cleanup(func() { conn.Close(websocket.StatusNormalClosure, "") })
	go c.read()
	init := map[string]any{}
	for k, v := range headers {
		init[k] = v
	}
	c.send(t, wsMessage{Type: "connection_init", Payload: wsJSON(init)})
	if m := c.receive(t); m.Type != "connection_ack" {
		t.Fatalf("got %s %s, want connection_ack", m.Type, m.Payload)
	}
	return c
}

func wsJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// read passes the server's messages to c.in, answering pings, until the
// connection closes.
func (c *wsClient) read() {
	defer close(c.in)
	for {
		var m wsMessage
		if err := wsjson.Read(context.Background(), c.conn, &m); err != nil {
			c.err = err
			return
		}
		if m.Type == "ping" {
			wsjson.Write(context.Background(), c.conn, wsMessage{Type: "pong"})
			continue
		}
		c.in <- m
	}
}

func (c *wsClient) send(t *testing.T, m wsMessage) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := wsjson.Write(ctx, c.conn, m); err != nil {
		t.Fatal(err)
	}
}

func (c *wsClient) receive(t *testing.T) wsMessage {
	t.Helper()
	select {
	case m, ok := <-c.in:
		if !ok {
			t.Fatal("websocket closed")
		}
		return m
	case <-time.After(30 * time.Second):
		t.Fatal("no message from the server")
	}
	return wsMessage{}
}

func (c *wsClient) subscribe(t *testing.T, id string, vars map[string]any) {
	t.Helper()
	c.send(t, wsMessage{ID: id, Type: "subscribe", Payload: wsJSON(map[string]any{"query": eventsSubscription, "variables": vars})})
}

// next returns the next n events of the subscriptions on c.
func (c *wsClient) next(t *testing.T, n int) []event {
	t.Helper()
	var out []event
	for len(out) < n {
		m := c.receive(t)
		e, ok := streamedEvent(m.Payload)
		if m.Type != "next" || !ok {
			t.Fatalf("got %s %s, want next", m.Type, m.Payload)
		}
		out = append(out, e)
	}
	return out
}

// expectQuiet fails when the server sends anything within a moment.
func (c *wsClient) expectQuiet(t *testing.T) {
	t.Helper()
	select {
	case m := <-c.in:
		t.Fatalf("unexpected %s %s", m.Type, m.Payload)
	case <-time.After(300 * time.Millisecond):
	}
}

// lastCursor returns the cursor at the end of the feed now.
func (env *testEnv) lastCursor(t *testing.T) any {
	t.Helper()
	all := env.allEvents(t, access.Authority, nil, 1000)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1].str("cursor")
}

// TestPersonEventsStreamOverWebsocketWithoutGaps: a daily delta imported while a
// client subscribes over graphql-transport-ws reaches it as events, masked
// for PRIVATE and audited one row per event; a client that reconnects with
// its last cursor misses nothing.
func TestPersonEventsStreamOverWebsocketWithoutGaps(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	importDelta(t, env, "person", annaRecord(nil))
	start := env.lastCursor(t)

	ws := env.dialEvents(t, access.Private)
	ws.subscribe(t, "all", map[string]any{"after": start})
	ws.subscribe(t, "bo", map[string]any{"after": start, "filter": map[string]any{"cprs": []string{evBo}, "kinds": []string{"ADDRESS_PROTECTION"}}})
	ws.expectQuiet(t)

	// The daily delta: Bo is protected and born, Anna moves.
	importDelta(t, env, "personkontakt", map[string]any{"cpr": evBo, "navneAdressebeskyttelseStartDato": "2020-01-01"})
	importDelta(t, env, "person", annaRecord(map[string]any{"kommuneKode": 751, "vejKode": 42, "startDato": "2026-01-05"}),
		map[string]any{"cpr": evBo, "koen": "M", "status": "01", "kommuneKode": 101})

	got := map[string][]event{}
	for range 5 {
		m := ws.receive(t)
		e, ok := streamedEvent(m.Payload)
		if m.Type != "next" || !ok {
			t.Fatalf("got %s %s", m.Type, m.Payload)
		}
		got[m.ID] = append(got[m.ID], e)
	}
	if k := strings.Join(kinds(got["all"]), " "); k != "ADDRESS_PROTECTION ADDRESS FORWARDING_ADDRESS CREATION" {
		t.Fatalf("all: %s", k)
	}
	if len(got["bo"]) != 1 || got["bo"][0]["kind"] != "ADDRESS_PROTECTION" || got["bo"][0]["id"] != got["all"][0]["id"] {
		t.Fatalf("bo: %v", got["bo"])
	}
	move, boBorn := got["all"][1], got["all"][3] // [2]: her forwarding address (the folkeregisteradresse) moved too
	if move["cpr"] != evAnna || move["addressValidFrom"] != "2026-01-05" || move["municipalityCode"] != 751.0 || move["protected"] != false {
		t.Errorf("move: %v", move)
	}
	if boBorn["cpr"] != evBo || boBorn["protected"] != true || boBorn["municipalityCode"] != nil {
		t.Errorf("PRIVATE sees protected Bo's event as %v", boBorn)
	}
	ws.expectQuiet(t)

	// One audit row per event sent: Anna's move and forwarding address (and
	// the query for the start cursor); Bo's protection on both subscriptions
	// and his creation.
	ctx := context.Background()
	for c, want := range map[string]int{evAnna: 3, evBo: 3} {
		rows, err := env.Store.Audit.List(ctx, db.AuditFilter{CPR: c, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != want {
			t.Errorf("%d audit rows for %s, want %d", len(rows), c, want)
		}
		for _, r := range rows {
			if !slices.Equal(r.CPRs, []string{c}) || !slices.Equal(r.Operations, []string{"events"}) {
				t.Errorf("audit row %v %v", r.CPRs, r.Operations)
			}
		}
	}

	// The client disconnects; another change happens while it is away;
	// reconnecting with the move's cursor it gets everything since.
	ws.send(t, wsMessage{ID: "all", Type: "complete"})
	ws.send(t, wsMessage{ID: "bo", Type: "complete"})
	ws.conn.Close(websocket.StatusNormalClosure, "")
	importDelta(t, env, "person", annaRecord(map[string]any{"kommuneKode": 751, "vejKode": 42, "startDato": "2026-01-05", "efternavn": "Berg"}))

	again := env.dialEvents(t, access.Private)
	again.subscribe(t, "1", map[string]any{"after": move["cursor"]})
	if k := strings.Join(kinds(again.next(t, 3)), " "); k != "FORWARDING_ADDRESS CREATION NAME_CHANGE" {
		t.Errorf("resumed: %s", k)
	}
	importDelta(t, env, "person", annaRecord(map[string]any{"kommuneKode": 751, "vejKode": 42, "startDato": "2026-01-05", "efternavn": "Berg", "status": "90"}))
	if k := strings.Join(kinds(again.next(t, 2)), " "); k != "STATUS_CHANGE DEATH" {
		t.Errorf("live after resuming: %s", k)
	}
}

// TestPersonEventsSubscriptionWithoutCursorStartsNow: without a cursor a subscription
// starts with the events registered after it.
func TestPersonEventsSubscriptionWithoutCursorStartsNow(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	importDelta(t, env, "person", annaRecord(nil))
	ws := env.dialEvents(t, access.Authority)
	ws.subscribe(t, "1", nil)
	// The subscription starts in the background: change Anna until an
	// event arrives; it must be one of the changes, not her creation.
	for i := 0; ; i++ {
		importDelta(t, env, "person", annaRecord(map[string]any{"husnummer": strings.Repeat("1", i%4+1)}))
		select {
		case m := <-ws.in:
			if m.Type != "next" || !strings.Contains(string(m.Payload), `"kind":"ADDRESS"`) {
				t.Fatalf("first message: %s %s", m.Type, m.Payload)
			}
			return
		case <-time.After(200 * time.Millisecond):
		}
		if i == 100 {
			t.Fatal("no event")
		}
	}
}

// TestPersonEventsSubscriptionRefused: a websocket without credentials,
// or with a profile without the events scope, gets an error and no events.
func TestPersonEventsSubscriptionRefused(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for profile, code := range map[access.Profile]string{"": "UNAUTHENTICATED", access.Landlord: "FORBIDDEN"} {
		ws := env.dialEvents(t, profile)
		ws.subscribe(t, "1", map[string]any{"after": nil})
		m := ws.receive(t)
		if (m.Type != "next" && m.Type != "error") || !strings.Contains(string(m.Payload), code) {
			t.Errorf("%q: %s %s", profile, m.Type, m.Payload)
		}
	}
	ws := env.dialEvents(t, access.Authority)
	ws.subscribe(t, "1", map[string]any{"after": "bm90LWEtY3Vyc29y"})
	if m := ws.receive(t); !strings.Contains(string(m.Payload), "BAD_USER_INPUT") {
		t.Errorf("bad cursor: %s %s", m.Type, m.Payload)
	}
}

// sseEvents subscribes over server-sent events as the client of profile
// and returns the events as they arrive; the channel closes when the stream
// ends.
func (env *testEnv) sseEvents(t *testing.T, profile access.Profile, vars map[string]any) <-chan event {
	t.Helper()
	raw := env.sseRaw(t, env.headers(profile), vars)
	out := make(chan event, 100)
	go func() {
		defer close(out)
		for data := range raw {
			e, ok := streamedEvent([]byte(data))
			if !ok {
				t.Errorf("SSE payload %s", data)
				return
			}
			out <- e
		}
	}()
	return out
}

// sseRaw subscribes to the person events over server-sent events with
// headers and returns the data of every next event as it arrives; the
// channel closes when the stream completes or breaks.
func (env *testEnv) sseRaw(t *testing.T, headers map[string]string, vars map[string]any) <-chan string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	body, _ := json.Marshal(map[string]any{"query": eventsSubscription, "variables": vars})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, env.URL+"/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("SSE: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan string, 100)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		scanner := bufio.NewScanner(resp.Body)
		var name string
		for scanner.Scan() {
			line := scanner.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				if name = strings.TrimPrefix(line, "event: "); name == "complete" {
					return
				}
			case strings.HasPrefix(line, "data: ") && name == "next":
				out <- strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return out
}

func receiveEvents(t *testing.T, ch <-chan event, n int) []event {
	t.Helper()
	var out []event
	for len(out) < n {
		select {
		case e, ok := <-ch:
			if !ok {
				t.Fatalf("stream ended after %d events", len(out))
			}
			out = append(out, e)
		case <-time.After(30 * time.Second):
			t.Fatalf("got %d events, want %d", len(out), n)
		}
	}
	return out
}

// TestPersonEventsStreamOverSSE: the same stream over server-sent events.
func TestPersonEventsStreamOverSSE(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	importDelta(t, env, "person", annaRecord(nil))
	start := env.lastCursor(t)
	annas := env.sseEvents(t, access.Authority, map[string]any{"after": start, "filter": map[string]any{"cprs": []string{evAnna}}})
	all := env.sseEvents(t, access.Private, map[string]any{"after": start})

	importDelta(t, env, "person", annaRecord(map[string]any{"efternavn": "Berg"}), map[string]any{"cpr": evBo, "koen": "M", "status": "01"})
	importDelta(t, env, "person", annaRecord(map[string]any{"efternavn": "Berg", "status": "90"}))
	if k := strings.Join(kinds(receiveEvents(t, annas, 3)), " "); k != "NAME_CHANGE STATUS_CHANGE DEATH" {
		t.Errorf("SSE, Anna's: %s", k)
	}
	if k := strings.Join(kinds(receiveEvents(t, all, 4)), " "); k != "NAME_CHANGE CREATION STATUS_CHANGE DEATH" {
		t.Errorf("SSE, all: %s", k)
	}
	rows, err := env.Store.Audit.List(context.Background(), db.AuditFilter{CPR: evBo, Limit: 10})
	if err != nil || len(rows) != 1 {
		t.Errorf("audit rows for the streamed creation: %v, %v", rows, err)
	}
}

// TestPersonEventsDeliveredByEveryInstance: two server instances on one database both
// deliver an event registered once (LISTEN/NOTIFY).
func TestPersonEventsDeliveredByEveryInstance(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg, err := app.LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	second := env.serve(t, cfg, app.Deps{DB: env.Conn, Store: env.Store, Events: newTestFeed(t, env.DBURL, env.Store)})

	// A cursor to start from, so that no subscription can miss the event by
	// starting after it (a subscription without a cursor starts "now").
	importDelta(t, env, "person", map[string]any{"cpr": evBo, "koen": "M", "status": "01"})
	start := env.lastCursor(t)
	ws := env.dialEvents(t, access.Authority)
	ws.subscribe(t, "1", map[string]any{"after": start})
	onSecond := second.sseEvents(t, access.Authority, map[string]any{"after": start})
	wsOnSecond := second.dialEvents(t, access.Private)
	wsOnSecond.subscribe(t, "1", map[string]any{"after": start})

	importDelta(t, env, "person", annaRecord(nil))
	a, b, c := ws.next(t, 1)[0], receiveEvents(t, onSecond, 1)[0], wsOnSecond.next(t, 1)[0]
	if a["kind"] != "CREATION" || a["id"] != b["id"] || b["id"] != c["id"] {
		t.Errorf("instances delivered %v, %v, %v", a, b, c)
	}
}
