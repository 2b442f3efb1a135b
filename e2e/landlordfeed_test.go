package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"cprgraph/access"
	"cprgraph/db"
	"cprgraph/graph"
	"cprgraph/webhook"
)

// The continuous landlord lookup's world: owner feedOwner (linked) owns
// property 300001 with Testvej 12 st. tv and 1. th since two years.
const (
	feedOwner   = "22223333"
	feedStTv    = "00000000-0000-4000-8000-000000001211"
	feed1Th     = "00000000-0000-4000-8000-000000001212"
	feedHouse12 = "00000000-0000-4000-8000-000000001200"
)

const movesSubscription = `subscription($after: String) { residentMoves(after: $after) { cursor node {
	kind date protected owner bfe address darAddressId darHouseNumberId addressingName } } }`

func seedFeed(t *testing.T, env *testEnv) {
	t.Helper()
	property(t, env, 300001, "")
	for id, floorDoor := range map[string][2]string{feedStTv: {"st", "tv"}, feed1Th: {"1", "th"}} {
		darAddress{ID: id, HouseNumberID: feedHouse12, BFE: 300001, Address: addr{Municipality: 101, Street: 1234,
			StreetName: "Testvej", House: "12", Floor: floorDoor[0], Door: floorDoor[1], PostalCode: 1000, District: "København K"}}.insert(t, env)
	}
	ownership{BFE: 300001, CVR: feedOwner, From: iso(yearsAgo(2))}.insert(t, env)
	linkOwners(t, env, feedOwner)
	// Anna and Bo live elsewhere (Testvej 40); Bo is protected.
	importDelta(t, env, "person", annaRecord(map[string]any{"husnummer": "40"}),
		annaRecord(map[string]any{"cpr": evBo, "fornavn": "Bo", "koen": "M", "foedselsdato": "1982-07-01", "husnummer": "40"}))
	importDelta(t, env, "personkontakt", map[string]any{"cpr": evBo, "navneAdressebeskyttelseStartDato": daysFromToday(-30)})
}

// moveIns imports Anna into st. tv and Bo into 1. th, three days ago.
func moveIns(t *testing.T, env *testEnv) {
	t.Helper()
	importDelta(t, env, "person",
		annaRecord(map[string]any{"etage": "st", "sideDoerNummer": "tv", "startDato": daysFromToday(-3)}),
		annaRecord(map[string]any{"cpr": evBo, "fornavn": "Bo", "koen": "M", "foedselsdato": "1982-07-01",
			"etage": "1", "sideDoerNummer": "th", "startDato": daysFromToday(-3)}))
}

// receiver is a webhook receiver on loopback that checks every signature
// and answers 503 to the first failFirst deliveries.
type receiver struct {
	*httptest.Server
	mu        sync.Mutex
	secret    string
	failFirst int
	bodies    []map[string]any
	ids       map[string]int
	badSigs   int
}

func newReceiver(t *testing.T, failFirst int) *receiver {
	rc := &receiver{failFirst: failFirst, ids: map[string]int{}}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		if err := webhook.Verify(rc.secret, r.Header.Get(webhook.HeaderTimestamp), r.Header.Get(webhook.HeaderSignature), body, time.Now(), 5*time.Minute); err != nil {
			rc.badSigs++
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if rc.failFirst > 0 {
			rc.failFirst--
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		rc.ids[r.Header.Get(webhook.HeaderDelivery)]++
		var m map[string]any
		json.Unmarshal(body, &m)
		rc.bodies = append(rc.bodies, m)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) waitFor(t *testing.T, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		rc.mu.Lock()
		got := len(rc.bodies)
		rc.mu.Unlock()
		if got >= n {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.bodies) < n {
		t.Fatalf("receiver got %d deliveries, want %d", len(rc.bodies), n)
	}
	return rc.bodies
}

// runDispatchers runs n webhook dispatchers on env's database, as n server
// instances would, until the test ends.
func runDispatchers(t *testing.T, env *testEnv, n int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			(&webhook.Dispatcher{Store: db.NewStore(env.Conn), Audit: webhook.Auditor(graph.StoreAuditor(env.Store)),
				Interval: 50 * time.Millisecond, Backoff: 100 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}).Run(ctx)
		}()
	}
	t.Cleanup(func() { cancel(); wg.Wait() })
}

// TestResidentMovesBySubscriptionAndWebhook is issue 14's done-when: a move
// made through the importer reaches the residentMoves subscription and a
// loopback webhook receiver with a valid signature; a protected resident's
// move arrives only as a dated marker; a receiver that is down gets its
// backlog; with two dispatchers each delivery is made once; deliveries are
// audited and in the ADMIN's delivery log.
func TestResidentMovesBySubscriptionAndWebhook(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedFeed(t, env)

	rc := newReceiver(t, 2)
	r := env.query(t, access.Landlord, `mutation($url: String!) { createResidentMovesWebhook(url: $url) { id secret feed } }`,
		map[string]any{"url": rc.URL + "/hook"})
	var created struct {
		CreateResidentMovesWebhook struct{ ID, Secret, Feed string }
	}
	if err := json.Unmarshal(r.Data, &created); err != nil || len(r.Errors) > 0 {
		t.Fatalf("create webhook: %s", r.Raw)
	}
	rc.mu.Lock()
	rc.secret = created.CreateResidentMovesWebhook.Secret
	rc.mu.Unlock()
	if r := env.query(t, access.Landlord, `mutation { createResidentMovesWebhook(url: "http://example.com/hook") { id } }`, nil); r.code() != "BAD_USER_INPUT" {
		t.Errorf("plain http to a remote host: %s", r.Raw)
	}

	ws := env.dialEvents(t, access.Landlord)
	ws.send(t, wsMessage{ID: "m", Type: "subscribe", Payload: wsJSON(map[string]any{"query": movesSubscription,
		"variables": map[string]any{"after": env.lastCursor(t)}})})
	runDispatchers(t, env, 2)
	moveIns(t, env)

	var streamed []map[string]any
	for len(streamed) < 2 {
		m := ws.receive(t)
		var msg struct {
			Data struct{ ResidentMoves struct{ Node map[string]any } }
		}
		if err := json.Unmarshal(m.Payload, &msg); err != nil || m.Type != "next" {
			t.Fatalf("got %s %s", m.Type, m.Payload)
		}
		streamed = append(streamed, msg.Data.ResidentMoves.Node)
	}
	bodies := rc.waitFor(t, 2)
	var hooked []map[string]any
	for _, b := range bodies {
		move, _ := b["move"].(map[string]any)
		hooked = append(hooked, move)
	}
	for name, moves := range map[string][]map[string]any{"subscription": streamed, "webhook": hooked} {
		var visible, marker map[string]any
		for _, m := range moves {
			if m["protected"] == true {
				marker = m
			} else {
				visible = m
			}
		}
		if visible == nil || visible["kind"] != "MOVE_IN" || visible["date"] != daysFromToday(-3) ||
			visible["darAddressId"] != feedStTv || !strings.Contains(visible["address"].(string), "Testvej 12, st. tv") {
			t.Errorf("%s: visible move %v", name, visible)
		}
		if marker == nil || marker["kind"] != "MOVE_IN" || marker["date"] != daysFromToday(-3) ||
			marker["address"] != nil || marker["darAddressId"] != nil || marker["owner"] != nil || marker["bfe"] != nil || marker["addressingName"] != nil {
			t.Errorf("%s: protected move is not a bare marker: %v", name, marker)
		}
	}
	rc.mu.Lock()
	for id, n := range rc.ids {
		if n != 1 {
			t.Errorf("delivery %s received %d times", id, n)
		}
	}
	if rc.badSigs > 0 {
		t.Errorf("%d deliveries with a bad signature", rc.badSigs)
	}
	rc.mu.Unlock()

	// The delivery log shows the retries of the receiver that was down
	// (once the dispatcher has committed: the receiver may answer first).
	var log gqlResponse
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		log = env.query(t, access.Admin, `query($id: ID!) { webhookDeliveries(subscriptionId: $id) { edges { node { status attempts lastStatus cursor } } } }`,
			map[string]any{"id": created.CreateResidentMovesWebhook.ID})
		if !strings.Contains(log.Raw, "PENDING") {
			break
		}
	}
	if len(log.Errors) > 0 || !strings.Contains(log.Raw, `"status":"DELIVERED"`) || !strings.Contains(log.Raw, `"attempts":3`) {
		t.Errorf("delivery log: %s", log.Raw)
	}
	if r := env.query(t, access.Landlord, `{ webhookDeliveries(subscriptionId: "1") { edges { cursor } } }`, nil); r.code() != "FORBIDDEN" {
		t.Errorf("delivery log as LANDLORD: %s", r.Raw)
	}
	// Every delivery attempt that was sent is audited, the protected
	// resident's too.
	for _, cpr := range []string{evAnna, evBo} {
		rows, err := env.Store.Audit.List(context.Background(), db.AuditFilter{CPR: cpr, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		webhooks := 0
		for _, row := range rows {
			if strings.HasPrefix(row.RequestID, "webhook-") {
				webhooks++
			}
		}
		if webhooks == 0 {
			t.Errorf("no webhook audit row for %s", cpr)
		}
	}
}

// TestResidentMoveOutAfterAcquisitionOnly: a move-out is followed when
// the historic address is imported with the person record; a move-out
// before the acquisition and an annulled one are left out.
func TestResidentMoveOut(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedFeed(t, env)
	moveIns(t, env)
	ws := env.dialEvents(t, access.Landlord)
	ws.send(t, wsMessage{ID: "m", Type: "subscribe", Payload: wsJSON(map[string]any{"query": movesSubscription,
		"variables": map[string]any{"after": env.lastCursor(t)}})})
	importDelta(t, env, "historiskeadresser", map[string]any{"id": "h1", "cpr": evAnna, "kommuneKode": 101, "vejKode": 1234,
		"husnummer": "12", "etage": "st", "sideDoerNummer": "tv", "tilflytningsDato": daysFromToday(-3) + "T00:00:00", "fraflytningsDato": daysFromToday(-1) + "T00:00:00"})
	importDelta(t, env, "person", annaRecord(map[string]any{"husnummer": "50", "startDato": daysFromToday(-1)}))
	m := ws.receive(t)
	if m.Type != "next" || !strings.Contains(string(m.Payload), `"kind":"MOVE_OUT"`) || !strings.Contains(string(m.Payload), `"date":"`+daysFromToday(-1)+`"`) {
		t.Fatalf("got %s %s", m.Type, m.Payload)
	}
}

// TestOwnerLinkNeedsMoreThanTenDwellings: seed 000's eligibility rule at
// link time, and lookups counted per organisation and month.
func TestOwnerLinkNeedsMoreThanTenDwellings(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedFeed(t, env) // feedOwner holds 2 dwellings
	org, err := env.Store.Clients.OrganisationByName(context.Background(), "Test "+string(access.Landlord))
	if err != nil {
		t.Fatal(err)
	}
	link := `mutation($org: ID!, $owner: String!) { addOwnerLink(organisationId: $org, ownerNumber: $owner) { ownerNumbers } }`
	vars := map[string]any{"org": org.ID, "owner": "33334444"}
	ownership{BFE: 300001, CVR: "33334444", From: iso(yearsAgo(1))}.insert(t, env)
	if r := env.query(t, access.Admin, link, vars); r.code() != "OWNER_NOT_ELIGIBLE" || !strings.Contains(r.Raw, "holds 2 dwellings") {
		t.Fatalf("2 dwellings: %s", r.Raw)
	}
	for i := range 9 {
		darAddress{BFE: 300001, Address: addr{Municipality: 101, Street: 1234, StreetName: "Testvej", House: "14",
			Floor: "1", Door: string(rune('a' + i)), PostalCode: 1000, District: "København K"}}.insert(t, env)
	}
	if r := env.query(t, access.Admin, link, vars); len(r.Errors) > 0 || !strings.Contains(r.Raw, "33334444") {
		t.Fatalf("11 dwellings: %s", r.Raw)
	}

	mustLookup(t, env, map[string]any{"owner": feedOwner, "darAddressId": feedStTv})
	mustLookup(t, env, map[string]any{"owner": feedOwner, "darAddressId": feed1Th})
	r := env.query(t, access.Admin, `{ landlordUsage { organisationName month lookups } }`, nil)
	if len(r.Errors) > 0 || !strings.Contains(r.Raw, `"organisationName":"Test LANDLORD"`) || !strings.Contains(r.Raw, `"lookups":2`) {
		t.Errorf("usage: %s", r.Raw)
	}
}

// eligibleOwner makes owner (CVR or CPR) the owner of property bfe with
// eleven dwellings, so that seed 000's eligibility rule lets it be linked.
func eligibleOwner(t *testing.T, env *testEnv, bfe int, owner string) {
	t.Helper()
	property(t, env, bfe, "")
	for i := range 11 {
		darAddress{BFE: bfe, Address: addr{Municipality: 101, Street: 9000 + bfe%900, StreetName: "Udlejervej", House: "1",
			Floor: "1", Door: string(rune('a' + i)), PostalCode: 1000, District: "København K"}}.insert(t, env)
	}
	o := ownership{BFE: bfe, From: iso(yearsAgo(1))}
	if len(owner) == 8 {
		o.CVR = owner
	} else {
		o.CPR = owner
	}
	o.insert(t, env)
}
