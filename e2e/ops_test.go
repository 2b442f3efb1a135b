package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/access"
	"cprgraph/app"
	"cprgraph/cli"
	"cprgraph/db"
	"cprgraph/graph"
)

// TestGraphQLOverHTTPAudit runs the graphql-http audit suite
// (tools/graphql-http-audit) against the server, anonymously and with an
// API key, and fails on any MUST failure — and, with a key, on any SHOULD
// failure. It needs node and `npm ci --prefix tools/graphql-http-audit`
// (`make http-audit` and .ci/run do it; with CPRGRAPH_REQUIRE_HTTP_AUDIT set
// it fails instead of skipping without them).
func TestGraphQLOverHTTPAudit(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "tools", "graphql-http-audit")
	skip := t.Skip
	if os.Getenv("CPRGRAPH_REQUIRE_HTTP_AUDIT") != "" { // CI: the audit must run
		skip = t.Fatal
	}
	if _, err := exec.LookPath("node"); err != nil {
		skip("node is not installed")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "graphql-http")); err != nil {
		skip("run `npm ci --prefix tools/graphql-http-audit` first")
	}
	env := newTestEnv(t)
	for name, key := range map[string]string{"anonymous": "", "with key": env.Keys[access.Admin]} {
		cmd := exec.Command("node", "audit.mjs", env.URL+"/graphql")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "AUDIT_API_KEY="+key)
		out, err := cmd.CombinedOutput()
		t.Logf("%s:\n%s", name, out)
		if err != nil {
			t.Errorf("%s: %v (MUST failures above)", name, err)
		}
		if key != "" && !strings.Contains(string(out), " 0 SHOULD failures") {
			t.Errorf("%s: SHOULD failures", name)
		}
	}
}

func TestMetricsCountOperationsWithoutPersonData(t *testing.T) {
	t.Parallel()
	env := newTestEnvWith(t, func(c *app.Config) { c.RateLimitRPS, c.RateLimitBurst = 0.001, 3 })
	person{CPR: "0101801234", First: "Målt"}.insert(t, env)
	if r := env.query(t, access.Authority, `query Lookup { person(cpr: "0101801234") { firstName } }`, nil); r.code() != "" {
		t.Fatal(r.Raw)
	}
	if r := env.query(t, access.Authority, `query Lookup { person(cpr: "12") { firstName } }`, nil); r.code() != "BAD_USER_INPUT" {
		t.Fatal(r.Raw)
	}
	env.query(t, access.Authority, `{ nosuchfield }`, nil)
	if r := env.query(t, access.Authority, `{ __typename }`, nil); r.Status != http.StatusTooManyRequests {
		t.Fatalf("want 429, got %d", r.Status)
	}

	status, metrics := env.get(t, "", "/metrics")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics: %d", status)
	}
	body := string(metrics)
	for _, want := range []string{
		`cprgraph_graphql_operations_total{operation="Lookup",type="query"} 2`,
		`cprgraph_graphql_operation_duration_seconds_count{operation="Lookup",type="query"} 2`,
		`cprgraph_graphql_operations_total{operation="invalid",type="invalid"} 1`,
		`cprgraph_graphql_errors_total{code="BAD_USER_INPUT",operation="Lookup"} 1`,
		`cprgraph_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED",operation="invalid"} 1`,
		`cprgraph_http_requests_total{code="429",method="POST",route="/graphql"} 1`,
		`cprgraph_rate_limit_rejections_total 1`,
		`cprgraph_audit_write_duration_seconds_count{result="ok"} 2`,
		`go_sql_max_open_connections{db_name="primary"} 32`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "0101801234") || strings.Contains(body, "Målt") {
		t.Error("person data in the metrics")
	}
}

func TestMetricsOnlyOnTheirOwnAddressWhenSet(t *testing.T) {
	t.Parallel()
	env := newTestEnvWith(t, func(c *app.Config) { c.MetricsAddr = "127.0.0.1:0" })
	if status, _ := env.get(t, "", "/metrics"); status == http.StatusOK {
		t.Fatal("/metrics is served on the API listener although METRICS_ADDR is set")
	}
}

// persisted is the automatic-persisted-query extension naming document.
func persisted(document string) map[string]any {
	return map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": db.PersistedQueryHash(document)}}
}

func TestPersistedQueryFoundByHashOnceSent(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	const doc = `query Version { version }`
	if r := env.post(t, env.headers(access.Private), map[string]any{"extensions": persisted(doc)}); r.code() != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("unknown hash: %s", r.Raw)
	}
	if r := env.post(t, env.headers(access.Private), map[string]any{"query": doc, "extensions": persisted(doc)}); r.code() != "" {
		t.Fatalf("document with hash: %s", r.Raw)
	}
	if r := env.post(t, env.headers(access.Private), map[string]any{"extensions": persisted(doc)}); r.code() != "" || !strings.Contains(r.Raw, `"version"`) {
		t.Fatalf("hash alone: %s", r.Raw)
	}
	if r := env.post(t, env.headers(access.Private), map[string]any{"query": `{ version }`, "extensions": persisted(doc)}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("hash of another document: %s", r.Raw)
	}
}

func TestAllowListServesOnlyRegisteredQueries(t *testing.T) {
	t.Parallel()
	env := newTestEnvWith(t, func(c *app.Config) { c.PersistedQueries = graph.PersistedQueryAllowList })
	ctx := context.Background()
	dir := t.TempDir()
	const allowed = "query Version {\n  version\n}\n"
	os.MkdirAll(filepath.Join(dir, "partner"), 0o755)
	os.WriteFile(filepath.Join(dir, "partner", "version.graphql"), []byte(allowed), 0o644)
	os.WriteFile(filepath.Join(dir, "partner", "notes.txt"), []byte("not a document"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.graphql"), []byte("{ nosuchfield }"), 0o644)

	var out bytes.Buffer
	if err := cli.PersistedQueries(ctx, env.Store, []string{"register", dir}, &out); err == nil || !strings.Contains(err.Error(), "bad.graphql") {
		t.Fatalf("an invalid document was not refused: %v", err)
	}
	if qs, _ := env.Store.PersistedQueries.List(ctx); len(qs) != 0 {
		t.Fatalf("registered despite an invalid document: %v", qs)
	}
	if err := cli.PersistedQueries(ctx, env.Store, []string{"register", filepath.Join(dir, "partner")}, &out); err != nil {
		t.Fatal(err)
	}
	hash := db.PersistedQueryHash(allowed)
	if !strings.Contains(out.String(), hash) || !strings.Contains(out.String(), "version.graphql") {
		t.Fatalf("register printed %q, want the hash %s", out.String(), hash)
	}
	if err := cli.PersistedQueries(ctx, env.Store, []string{"register", filepath.Join(dir, "partner")}, &out); err != nil {
		t.Fatalf("registering again: %v", err)
	}
	out.Reset()
	if err := cli.PersistedQueries(ctx, env.Store, []string{"list"}, &out); err != nil || strings.Count(out.String(), hash) != 1 || !strings.Contains(out.String(), "Version") {
		t.Fatalf("list: %v %s", err, out.String())
	}

	for name, body := range map[string]map[string]any{
		"by hash":        {"extensions": persisted(allowed)},
		"in full":        {"query": allowed},
		"both":           {"query": allowed, "extensions": persisted(allowed)},
		"a variation":    {"query": `query Version { version }`},
		"another":        {"query": `{ __typename }`},
		"APQ of another": {"query": `{ version }`, "extensions": persisted(`{ version }`)},
	} {
		r := env.post(t, env.headers(access.Private), body)
		want := "PERSISTED_QUERY_NOT_ALLOWED"
		if strings.HasPrefix(name, "by") || name == "in full" || name == "both" {
			want = ""
		}
		if r.code() != want {
			t.Errorf("%s: want %q, got %s", name, want, r.Raw)
		}
	}
	status, body := env.get(t, "", "/metrics")
	if status != http.StatusOK || !strings.Contains(string(body), `cprgraph_graphql_errors_total{code="PERSISTED_QUERY_NOT_ALLOWED"`) {
		t.Errorf("refusals not counted: %d", status)
	}
}

// TestLandlordLookupReadsReplicaAuditsOnPrimary serves the landlord lookup from a "replica" — a separate
// database with the same fixture, where one resident has another name —
// and checks that the lookup reads the replica while authentication and
// the audit log stay on the primary (the replica has no API clients at all).
func TestLandlordLookupReadsReplicaAuditsOnPrimary(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	replica, replicaURL := landlordReplica(t)
	replica.exec(t, `UPDATE person SET adresserings_navn = 'Replikasen,Rita' WHERE cpr = '0101801112'`)

	withReplica := env.withReplica(t, replicaURL)

	input := func() map[string]any { return map[string]any{"owner": ownerCVR, "darHouseNumberId": testvej1} }
	if _, r := lookup(t, withReplica, input()); !strings.Contains(r.Raw, "Replikasen") || strings.Contains(r.Raw, "Jensen") {
		t.Errorf("with a replica, the lookup did not read it: %s", r.Raw)
	}
	if _, r := lookup(t, env, input()); !strings.Contains(r.Raw, "Jensen") || strings.Contains(r.Raw, "Replikasen") {
		t.Errorf("without a replica, the lookup did not read the primary: %s", r.Raw)
	}
	for name, conn := range map[string]*sqlx.DB{"primary": env.Conn, "replica": replica.Conn} {
		var n int
		if err := conn.Get(&n, `SELECT count(*) FROM audit_log`); err != nil {
			t.Fatal(err)
		}
		if want := map[string]int{"primary": 2, "replica": 0}[name]; n != want {
			t.Errorf("%s: %d audit rows, want %d", name, n, want)
		}
	}
	if status, body := withReplica.get(t, "", "/readyz"); status != http.StatusOK {
		t.Errorf("readyz: %d %s", status, body)
	}
	if status, body := withReplica.get(t, "", "/metrics"); !strings.Contains(string(body), `go_sql_max_open_connections{db_name="replica"}`) {
		t.Errorf("no replica pool metrics: %d", status)
	}
}

// instance is a cprgraph server process.
type instance struct {
	URL, MetricsURL string
	cmd             *exec.Cmd
	logs            *syncBuffer
}

// buildServer builds the server binary once per test.
func buildServer(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "cprgraph")
	if out, err := exec.Command(goTool, "build", "-o", bin, "cprgraph").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// instanceAuditKey is the AUDIT_KEY of the server processes of the tests.
const instanceAuditKey = "e2e-test-audit-key-of-at-least-32-characters"

// startInstance runs `cprgraph serve` on databaseURL with its own listen
// address and the extra environment, and waits until it is ready.
func startInstance(t *testing.T, bin, databaseURL string, extraEnv ...string) *instance {
	t.Helper()
	addr := freeAddr(t)
	in := &instance{URL: "http://" + addr, logs: &syncBuffer{}}
	in.cmd = exec.Command(bin, "serve")
	in.cmd.Env = append(os.Environ(), "DATABASE_URL="+databaseURL, "LISTEN_ADDR="+addr, "LOG_LEVEL=debug", "AUDIT_KEY="+instanceAuditKey)
	in.cmd.Env = append(in.cmd.Env, extraEnv...)
	in.cmd.Stderr = in.logs
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.cmd.Process.Kill(); in.cmd.Wait() })
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(in.URL + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return in
			}
		}
	}
	t.Fatalf("instance on %s not ready:\n%s", addr, in.logs.Bytes())
	return nil
}

// stop ends the process with SIGTERM, as a load balancer's orchestrator
// would, and expects a clean exit.
func (in *instance) stop(t *testing.T) {
	t.Helper()
	in.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- in.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Error("no exit within 20 s of SIGTERM")
	}
}

// TestTwoInstancesShareDatabaseAndAuditChain runs two server processes on one database, as behind a
// load balancer: both serve the same clients the same answers, both write
// into the one audit chain, each exposes its own metrics, both stop cleanly
// on SIGTERM, and neither logs person data.
func TestTwoInstancesShareDatabaseAndAuditChain(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server binary")
	}
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	bin := buildServer(t)
	metricsAddr := freeAddr(t)
	instances := []*instance{
		startInstance(t, bin, env.DBURL),
		startInstance(t, bin, env.DBURL, "METRICS_ADDR="+metricsAddr),
	}
	instances[1].MetricsURL = "http://" + metricsAddr

	var answers []string
	for _, in := range instances {
		client := env.at(in.URL)
		a, r := lookup(t, client, map[string]any{"owner": ownerCVR, "darHouseNumberId": testvej1})
		if len(r.Errors) > 0 || len(a.Rows) == 0 {
			t.Fatalf("%s: lookup: %s", in.URL, r.Raw)
		}
		p := client.query(t, access.Authority, `query Person($cpr: String!) { person(cpr: $cpr) { addressingName protected } }`,
			map[string]any{"cpr": "0101801111"})
		if p.code() != "" || !strings.Contains(p.Raw, "Hansen") {
			t.Fatalf("%s: person: %s", in.URL, p.Raw)
		}
		if r := client.query(t, access.Private, `{ person(cpr: "0101809999") { addressingName } }`, nil); r.code() != "NOT_FOUND" && r.code() != "BAD_USER_INPUT" {
			t.Errorf("%s: unknown person: %s", in.URL, r.Raw)
		}
		if r := client.query(t, "", `{ person(cpr: "0101801111") { addressingName } }`, nil); r.Status != http.StatusUnauthorized {
			t.Errorf("%s: anonymous: %d", in.URL, r.Status)
		}
		if status, _ := client.get(t, "", "/export/residents.csv?owner="+ownerCVR+"&darHouseNumberId="+testvej1); status != http.StatusUnauthorized {
			t.Errorf("%s: export without a key: %d", in.URL, status)
		}
		answers = append(answers, string(r.Data)+p.Raw)
	}
	if answers[0] != answers[1] {
		t.Errorf("the instances answer differently:\n%s\n%s", answers[0], answers[1])
	}

	// The first instance's last audit hash is stale now: its next row must
	// still follow the second instance's rows.
	if p := env.at(instances[0].URL).query(t, access.Authority, `{ person(cpr: "0101801111") { protected } }`, nil); p.code() != "" {
		t.Fatalf("person again: %s", p.Raw)
	}
	keyed := db.NewStore(env.Conn).WithAuditKeys(db.NewAuditKeys([]byte(instanceAuditKey)))
	bad, n, err := keyed.Audit.Verify(context.Background())
	if err != nil || bad != 0 || n != 7 {
		t.Errorf("audit chain: bad=%d rows=%d err=%v, want 7 good rows (3 authorized reads on each instance, then one more on the first)", bad, n, err)
	}
	if status, body := env.at(instances[1].MetricsURL).get(t, "", "/metrics"); !strings.Contains(string(body), `cprgraph_graphql_operations_total{operation="Person",type="query"} 1`) {
		t.Errorf("METRICS_ADDR: %d", status)
	}
	if status, _ := env.at(instances[1].URL).get(t, "", "/metrics"); status == http.StatusOK {
		t.Error("/metrics served on the API listener although METRICS_ADDR is set")
	}

	for _, in := range instances {
		in.stop(t)
		logs := in.logs.Bytes()
		if problems := personDataInLogs(logs); len(problems) > 0 {
			t.Errorf("%s: person data in the logs:\n%s", in.URL, strings.Join(problems, "\n"))
		}
		var sawAccessLine bool
		sc := bufio.NewScanner(bytes.NewReader(logs))
		for sc.Scan() {
			var line map[string]any
			json.Unmarshal(sc.Bytes(), &line)
			if line["msg"] == "request" && line["operation"] == "Person" {
				sawAccessLine = true
				for _, key := range []string{"request_id", "method", "path", "status", "duration_ms", "client", "client_id", "organisation_id"} {
					if line[key] == nil {
						t.Errorf("access log line without %s: %s", key, sc.Text())
					}
				}
			}
		}
		if !sawAccessLine {
			t.Errorf("%s: no access log line of the Person query:\n%s", in.URL, logs)
		}
	}
}
