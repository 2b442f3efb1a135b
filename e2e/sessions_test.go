package e2e

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/golang-jwt/jwt/v5"

	"cprgraph/access"
	"cprgraph/app"
	"cprgraph/auth"
)

// newClient creates another API client of profile in the profile's test
// organisation and returns its id and key.
func (env *testEnv) newClient(t *testing.T, profile access.Profile, name string) (int64, string) {
	t.Helper()
	ctx := context.Background()
	org, err := env.Store.Clients.UpsertOrganisation(ctx, "Test "+string(profile), nil)
	if err != nil {
		t.Fatal(err)
	}
	c, key, err := env.Store.Clients.CreateClient(ctx, org.ID, name, string(profile), access.DefaultScopes(profile))
	if err != nil {
		t.Fatal(err)
	}
	return c.ID, key
}

// sseEnd waits for the stream to end and returns its last next event's
// data and how long it took; the test fails after within.
func sseEnd(t *testing.T, ch <-chan string, within time.Duration) (string, time.Duration) {
	t.Helper()
	start, last := time.Now(), ""
	timeout := time.After(within)
	for {
		select {
		case data, ok := <-ch:
			if !ok {
				return last, time.Since(start)
			}
			last = data
		case <-timeout:
			t.Fatalf("SSE stream still open after %s", within)
		}
	}
}

// wsEnd waits for the websocket to be closed by the server and returns the
// messages received meanwhile, the close status and reason, and how long
// it took; the test fails after within.
func wsEnd(t *testing.T, c *wsClient, within time.Duration) ([]wsMessage, websocket.StatusCode, string, time.Duration) {
	t.Helper()
	start := time.Now()
	timeout := time.After(within)
	var got []wsMessage
	for {
		select {
		case m, ok := <-c.in:
			if !ok {
				var ce websocket.CloseError
				reason := ""
				if c.err != nil {
					reason = c.err.Error()
				}
				if errors.As(c.err, &ce) {
					reason = ce.Reason
				}
				return got, websocket.CloseStatus(c.err), reason, time.Since(start)
			}
			got = append(got, m)
		case <-timeout:
			t.Fatalf("websocket still open after %s (got %v)", within, got)
		}
	}
}

// TestRevokedKeyEndsOpenStreams: revoking an API key, or rotating it away,
// closes its open websocket (close code 4401 with the reason) and SSE
// stream (a last UNAUTHENTICATED error) within the re-check interval, on
// every instance, both through the api_client notification and — with the
// notification lost — through the periodic re-check; keepalives do not keep
// them open.
func TestRevokedKeyEndsOpenStreams(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		notify   bool
		interval time.Duration
		rotate   bool
	}{
		{"revoked, notified", true, auth.DefaultRecheckInterval, false},
		{"rotated, notified", true, auth.DefaultRecheckInterval, true},
		{"revoked, notification lost", false, time.Second, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env, second := twoInstances(t, tc.interval, tc.notify)
			id, key := env.newClient(t, access.Authority, "streamer")

			ws := env.dialEventsWith(t, bearer(key))
			ws.subscribe(t, "1", nil)
			wsSecond := second.dialEventsWith(t, bearer(key))
			wsSecond.subscribe(t, "1", nil)
			sse := second.sseRaw(t, bearer(key), nil)
			ws.expectQuiet(t)

			ctx := context.Background()
			if tc.rotate {
				if _, err := env.Store.Clients.RotateClientKey(ctx, id); err != nil {
					t.Fatal(err)
				}
			} else if _, err := env.Store.Clients.RevokeClient(ctx, id); err != nil {
				t.Fatal(err)
			}
			bound := tc.interval + time.Second // scheduling slack on a busy machine
			for i, c := range []*wsClient{ws, wsSecond} {
				msgs, code, reason, took := wsEnd(t, c, bound+5*time.Second)
				t.Logf("websocket %d closed %s after the revocation: %d %q", i, took, code, reason)
				if code != 4401 || !strings.Contains(reason, "revoked or rotated") || took > bound {
					t.Errorf("websocket %d: closed after %s with %d %q, want 4401 within %s", i, took, code, reason, bound)
				}
				for _, m := range msgs {
					if m.Type == "next" && strings.Contains(string(m.Payload), `"data"`) && !strings.Contains(string(m.Payload), `"data":null`) {
						t.Errorf("websocket %d: data after revocation: %s", i, m.Payload)
					}
				}
			}
			last, took := sseEnd(t, sse, bound+5*time.Second)
			t.Logf("SSE ended %s after the revocation with %s", took, last)
			if !strings.Contains(last, "UNAUTHENTICATED") || took > bound {
				t.Errorf("SSE: ended after %s with %s, want an UNAUTHENTICATED error within %s", took, last, bound)
			}
			if r := env.queryAs(t, bearer(key), `{ version }`); r.Status != http.StatusUnauthorized {
				t.Errorf("HTTP after revocation: %d %s", r.Status, r.Raw)
			}
		})
	}
}

// TestRevokedKeyRefusedOverHTTPDespiteTheKeyCache: the servers cache API
// keys' clients, and a revocation by another process (no in-process hook)
// reaches every instance's cache through the api_client notification well
// within the cache's lifetime; with the notification lost, the key is
// refused once the cached entry is older than STREAM_RECHECK_INTERVAL.
func TestRevokedKeyRefusedOverHTTPDespiteTheKeyCache(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		notify   bool
		interval time.Duration
		bound    time.Duration
	}{
		{"notified", true, time.Hour, time.Second},
		{"notification lost", false, 2 * time.Second, 2*time.Second + time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env, second := twoInstances(t, tc.interval, tc.notify)
			id, key := env.newClient(t, access.Authority, "cached")
			for _, e := range []*testEnv{env, second} {
				if r := e.queryAs(t, bearer(key), `{ version }`); r.Status != http.StatusOK {
					t.Fatalf("before the revocation: %d %s", r.Status, r.Raw)
				}
			}
			if _, err := env.Store.Clients.RevokeClient(context.Background(), id); err != nil {
				t.Fatal(err)
			}
			revoked := time.Now()
			for i, e := range []*testEnv{env, second} {
				e.untilRefused(t, key, revoked, tc.bound)
				t.Logf("instance %d refuses the key %s after the revocation", i, time.Since(revoked))
			}
		})
	}
}

// twoInstances starts two servers on one database, each with its own
// api_client listener, re-checking streams every interval; without notify
// the api_client notification is switched off (a listener that is down).
func twoInstances(t *testing.T, interval time.Duration, notify bool) (env, second *testEnv) {
	t.Helper()
	env = newTestEnvWith(t, func(c *app.Config) { c.StreamRecheck = interval })
	cfg, err := app.LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.StreamRecheck = interval
	second = env.serve(t, cfg, app.Deps{DB: env.Conn, Store: env.Store, Events: newTestFeed(t, env.DBURL, env.Store)})
	if !notify {
		env.exec(t, `ALTER TABLE api_client DISABLE TRIGGER api_client_notify`)
	}
	return env, second
}

// untilRefused waits until the server refuses key with 401 (see
// untilCacheSees), failing the test when it still accepts it bound after
// since.
func (env *testEnv) untilRefused(t *testing.T, key string, since time.Time, bound time.Duration) {
	t.Helper()
	untilCacheSees(t, since, bound, func() (bool, string) {
		r := env.queryAs(t, bearer(key), `{ version }`)
		return r.Status == http.StatusUnauthorized, "the revoked key is still accepted: " + r.Raw
	})
}

// untilCacheSees calls seen every 20 ms until it reports true, and fails
// the test with its last message when that takes longer than bound after
// since: a change of an API client by another process reaches the
// server's key cache through the api_client notification, which arrives
// moments after the changing transaction commits.
func untilCacheSees(t *testing.T, since time.Time, bound time.Duration, seen func() (bool, string)) {
	t.Helper()
	for {
		ok, msg := seen()
		if ok {
			return
		}
		if time.Since(since) > bound {
			t.Fatalf("%s after %s", msg, time.Since(since))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestRevokedKeyRefusedOnNextWebsocketOperation: every operation of a
// websocket checks its credential again, so an operation sent right after
// the revocation (before any notification or re-check) is refused.
func TestRevokedKeyRefusedOnNextWebsocketOperation(t *testing.T) {
	t.Parallel()
	env := newTestEnvWith(t, func(c *app.Config) { c.StreamRecheck = time.Hour })
	env.exec(t, `ALTER TABLE api_client DISABLE TRIGGER api_client_notify`)
	person{CPR: "0101801234", First: "Åben", Last: "Opslagsen"}.insert(t, env)
	id, key := env.newClient(t, access.Authority, "asker")
	ws := env.dialEventsWith(t, bearer(key))
	ask := func(id string) {
		ws.send(t, wsMessage{ID: id, Type: "subscribe", Payload: wsJSON(map[string]any{"query": `{ person(cpr: "0101801234") { lastName } }`})})
	}
	ask("before")
	if m := ws.receive(t); m.Type != "next" || !strings.Contains(string(m.Payload), "Opslagsen") {
		t.Fatalf("before revocation: %s %s", m.Type, m.Payload)
	}
	if _, err := env.Store.Clients.RevokeClient(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	ask("after")
	msgs, code, _, _ := wsEnd(t, ws, 10*time.Second)
	refused := false
	for _, m := range msgs {
		if strings.Contains(string(m.Payload), "Opslagsen") {
			t.Errorf("answered after revocation: %s %s", m.Type, m.Payload)
		}
		refused = refused || (m.ID == "after" && strings.Contains(string(m.Payload), "UNAUTHENTICATED"))
	}
	if !refused && code != 4401 {
		t.Errorf("operation after revocation: %v, close %d", msgs, code)
	}
}

// TestExpiredTokenEndsOpenStreams: a JWT's streams end when it expires
// (here with no leeway), with the same errors as a revoked key's.
func TestExpiredTokenEndsOpenStreams(t *testing.T) {
	t.Parallel()
	secret := []byte("a-test-secret-of-at-least-32-bytes!")
	env := newTestEnvWith(t, func(c *app.Config) {
		c.JWT = auth.JWTConfig{HS256Secret: secret}
		c.StreamRecheck = time.Second
	})
	exp := time.Now().Add(3 * time.Second)
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": "svc-stream", "org": 4711, "profile": "AUTHORITY", "exp": exp.Unix()}).SignedString(secret)
	if err != nil {
		t.Fatal(err)
	}
	ws := env.dialEventsWith(t, bearer(token))
	ws.subscribe(t, "1", nil)
	sse := env.sseRaw(t, bearer(token), nil)
	// exp has whole seconds: the token is valid until exp's second ends.
	bound := time.Until(exp.Truncate(time.Second).Add(time.Second)) + 2*time.Second
	_, code, reason, took := wsEnd(t, ws, bound+5*time.Second)
	t.Logf("websocket closed %s after exp: %d %q", time.Since(exp), code, reason)
	if code != 4401 || !strings.Contains(reason, "expired") || took > bound {
		t.Errorf("websocket: closed after %s with %d %q, want 4401 within %s", took, code, reason, bound)
	}
	last, _ := sseEnd(t, sse, 5*time.Second)
	if !strings.Contains(last, "UNAUTHENTICATED") || !strings.Contains(last, "expired") {
		t.Errorf("SSE: ended with %s", last)
	}
	if r := env.queryAs(t, bearer(token), `{ version }`); r.Status != http.StatusUnauthorized {
		t.Errorf("HTTP after expiry: %d %s", r.Status, r.Raw)
	}
}
