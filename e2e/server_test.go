package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/access"
	"cprgraph/app"
	"cprgraph/db"
	"cprgraph/db/dbtest"
	"cprgraph/eventfeed"
)

// testEnv is the whole server over HTTP on a fresh database, with one API
// client per disclosure profile.
type testEnv struct {
	URL   string
	Conn  *sqlx.DB
	DBURL string // the test database, as superuser
	Store *db.Store
	Keys  map[access.Profile]string
}

func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvWith(t, nil)
}

// newTestEnvWith is newTestEnv with the configuration changed by adjust.
func newTestEnvWith(t *testing.T, adjust func(*app.Config)) *testEnv {
	t.Helper()
	conn, dbURL := dbtest.NewWithURL(t)
	cfg, err := app.LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	if adjust != nil {
		adjust(&cfg)
	}
	env := &testEnv{Conn: conn, DBURL: dbURL, Store: db.NewStore(conn), Keys: map[access.Profile]string{}}
	ctx := context.Background()
	for _, p := range access.Profiles {
		org, err := env.Store.Clients.UpsertOrganisation(ctx, "Test "+string(p), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, env.Keys[p], err = env.Store.Clients.CreateClient(ctx, org.ID, "test", string(p), access.DefaultScopes(p)); err != nil {
			t.Fatal(err)
		}
	}
	return env.serve(t, cfg, app.Deps{DB: conn, Store: env.Store, Events: newTestFeed(t, dbURL, env.Store)})
}

// newTestFeed starts an event listener on the database at dsn, closed when
// the test ends.
func newTestFeed(t *testing.T, dsn string, store *db.Store) *eventfeed.Feed {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	events, err := eventfeed.New(ctx, dsn, store.Events)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { events.Close() })
	return events
}

// gqlResponse is a GraphQL response with the data left raw.
type gqlResponse struct {
	Status int
	Header http.Header
	Raw    string
	Data   json.RawMessage
	Errors []struct {
		Message    string
		Path       []any
		Extensions map[string]any
	}
}

// query posts a GraphQL request as the client of profile ("" = anonymous).
func (env *testEnv) query(t *testing.T, profile access.Profile, query string, vars map[string]any) gqlResponse {
	t.Helper()
	return env.post(t, env.headers(profile), map[string]any{"query": query, "variables": vars})
}

// queryAs posts a GraphQL request with headers instead of a test client's
// key: another key, a token, a purpose.
func (env *testEnv) queryAs(t *testing.T, headers map[string]string, query string) gqlResponse {
	t.Helper()
	return env.post(t, headers, map[string]any{"query": query})
}

// post posts body (query, variables, extensions) to /graphql as JSON with
// headers.
func (env *testEnv) post(t *testing.T, headers map[string]string, body map[string]any) gqlResponse {
	t.Helper()
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/graphql", bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return env.send(t, req)
}

// send sends a GraphQL request built by hand (a GET, a body without a
// length) and decodes the response; a response that is not JSON fails the
// test.
func (env *testEnv) send(t *testing.T, req *http.Request) gqlResponse {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := gqlResponse{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response %d is not JSON: %s", resp.StatusCode, raw)
	}
	return out
}

// get fetches a path other than /graphql (health, metrics, exports) as the
// client of profile ("" = anonymous).
func (env *testEnv) get(t *testing.T, profile access.Profile, path string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, env.URL+path, nil)
	for k, v := range env.headers(profile) {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// headers are the request headers of the client of profile: none for "".
func (env *testEnv) headers(profile access.Profile) map[string]string {
	if profile == "" {
		return nil
	}
	return bearer(env.Keys[profile])
}

// bearer is the Authorization header carrying key.
func bearer(key string) map[string]string {
	return map[string]string{"Authorization": "Bearer " + key}
}

// at returns a copy of env (database, store, keys) that sends its requests
// to the server at url.
func (env *testEnv) at(url string) *testEnv {
	other := *env
	other.URL = url
	return &other
}

// serve starts another server of the whole handler with cfg and deps and
// returns env pointed at it.
func (env *testEnv) serve(t *testing.T, cfg app.Config, deps app.Deps) *testEnv {
	t.Helper()
	srv := httptest.NewServer(app.NewHandler(cfg, deps))
	t.Cleanup(srv.Close)
	return env.at(srv.URL)
}

// withReplica starts another server of the whole handler on env's
// database whose read-only queries go to the database at replicaURL, and
// returns env pointed at it.
func (env *testEnv) withReplica(t *testing.T, replicaURL string) *testEnv {
	t.Helper()
	cfg, err := app.LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.ReplicaURL = replicaURL
	replicaDB, err := app.OpenReplica(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { replicaDB.Close() })
	return env.serve(t, cfg, app.Deps{DB: env.Conn, Store: env.Store, Replica: replicaDB})
}

// code returns the extensions.code of the first error, or "".
func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

func (env *testEnv) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := env.Conn.ExecContext(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func TestTypenameAnsweredAnonymously(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	r := env.query(t, "", `{ __typename }`, nil)
	if r.Status != http.StatusOK || string(r.Data) != `{"__typename":"Query"}` {
		t.Fatalf("got %d %s", r.Status, r.Raw)
	}
}

func TestHealthReadinessAndGraphiQLServed(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready", "/": "graphiql"} {
		status, b := env.get(t, "", path)
		if status != http.StatusOK || !strings.Contains(strings.ToLower(string(b)), want) {
			t.Errorf("GET %s: %d %.80q", path, status, b)
		}
	}
}

func TestProtectedPersonMaskedAndAudited(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	person{CPR: "0101801234", First: "Skjult", Last: "Markørsen", AddressingName: "Markørsen,Skjult"}.insert(t, env)
	protect(t, env, "0101801234", daysFromToday(-10))
	const q = `{ person(cpr: "0101801234") { cpr protected firstName lastName addressingName } }`

	priv := env.query(t, access.Private, q, nil)
	if len(priv.Errors) > 0 || strings.Contains(priv.Raw, "Markørsen") || !strings.Contains(priv.Raw, `"protected":true`) {
		t.Errorf("PRIVATE: %s", priv.Raw)
	}
	auth := env.query(t, access.Authority, q, nil)
	if !strings.Contains(auth.Raw, "Markørsen") || !strings.Contains(auth.Raw, `"protected":true`) {
		t.Errorf("AUTHORITY: %s", auth.Raw)
	}
	for profile, want := range map[access.Profile]string{"": "UNAUTHENTICATED", access.Landlord: "FORBIDDEN", access.Admin: "FORBIDDEN"} {
		if r := env.query(t, profile, q, nil); r.code() != want || strings.Contains(r.Raw, "Markørsen") {
			t.Errorf("%q: want %s, got %s", profile, want, r.Raw)
		}
	}

	rows, err := env.Store.Audit.List(context.Background(), db.AuditFilter{CPR: "0101801234", Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 {
		t.Fatalf("want 2 audit rows (PRIVATE and AUTHORITY reads), got %d", len(rows))
	}
	if bad, n, err := env.Store.Audit.Verify(context.Background()); err != nil || bad != 0 || n != 2 {
		t.Fatalf("verify: bad=%d n=%d err=%v", bad, n, err)
	}
}
