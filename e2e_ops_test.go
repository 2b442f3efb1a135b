package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"cprgraph/access"
	"cprgraph/db"
	"cprgraph/graph"
)

// TestGraphQLOverHTTPAudit runs the graphql-http audit suite
// (tools/graphql-http-audit) against the server, anonymously and with an
// API key, and fails on any MUST failure — and, with a key, on any SHOULD
// failure. It needs node and `npm ci --prefix tools/graphql-http-audit`
// (.ci/run does it).
func TestGraphQLOverHTTPAudit(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("tools", "graphql-http-audit")
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "graphql-http")); err != nil {
		t.Skip("run `npm ci --prefix tools/graphql-http-audit` first")
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

// get fetches a path of the test server.
func (env *testEnv) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(env.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	env := newTestEnvWith(t, func(c *config) { c.RateLimitRPS, c.RateLimitBurst = 0.001, 3 })
	env.exec(t, `INSERT INTO person (cpr, fornavn) VALUES ('0101801234', 'Målt')`)
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

	status, body := env.get(t, "/metrics")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics: %d", status)
	}
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

func TestMetricsOnTheirOwnAddress(t *testing.T) {
	t.Parallel()
	env := newTestEnvWith(t, func(c *config) { c.MetricsAddr = "127.0.0.1:0" })
	if status, _ := env.get(t, "/metrics"); status == http.StatusOK {
		t.Fatal("/metrics is served on the API listener although METRICS_ADDR is set")
	}
}

// postGraphQL posts a GraphQL request body as the client of profile.
func (env *testEnv) postGraphQL(t *testing.T, profile access.Profile, body map[string]any) gqlResponse {
	t.Helper()
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/graphql", bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+env.Keys[profile])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := gqlResponse{Status: resp.StatusCode, Raw: string(raw)}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("response is not JSON: %s", raw)
	}
	return out
}

// persisted is the automatic-persisted-query extension naming document.
func persisted(document string) map[string]any {
	return map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": db.PersistedQueryHash(document)}}
}

func TestAutomaticPersistedQueries(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	const doc = `query Version { version }`
	if r := env.postGraphQL(t, access.Private, map[string]any{"extensions": persisted(doc)}); r.code() != "PERSISTED_QUERY_NOT_FOUND" {
		t.Fatalf("unknown hash: %s", r.Raw)
	}
	if r := env.postGraphQL(t, access.Private, map[string]any{"query": doc, "extensions": persisted(doc)}); r.code() != "" {
		t.Fatalf("document with hash: %s", r.Raw)
	}
	if r := env.postGraphQL(t, access.Private, map[string]any{"extensions": persisted(doc)}); r.code() != "" || !strings.Contains(r.Raw, `"version"`) {
		t.Fatalf("hash alone: %s", r.Raw)
	}
	if r := env.postGraphQL(t, access.Private, map[string]any{"query": `{ version }`, "extensions": persisted(doc)}); r.code() != "BAD_USER_INPUT" {
		t.Fatalf("hash of another document: %s", r.Raw)
	}
}

func TestPersistedQueryAllowList(t *testing.T) {
	t.Parallel()
	env := newTestEnvWith(t, func(c *config) { c.PersistedQueries = graph.PersistedQueryAllowList })
	ctx := context.Background()
	dir := t.TempDir()
	const allowed = "query Version {\n  version\n}\n"
	os.MkdirAll(filepath.Join(dir, "partner"), 0o755)
	os.WriteFile(filepath.Join(dir, "partner", "version.graphql"), []byte(allowed), 0o644)
	os.WriteFile(filepath.Join(dir, "partner", "notes.txt"), []byte("not a document"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.graphql"), []byte("{ nosuchfield }"), 0o644)

	var out bytes.Buffer
	if err := persistedQueriesCommand(ctx, env.Store, []string{"register", dir}, &out); err == nil || !strings.Contains(err.Error(), "bad.graphql") {
		t.Fatalf("an invalid document was not refused: %v", err)
	}
	if qs, _ := env.Store.PersistedQueries(ctx); len(qs) != 0 {
		t.Fatalf("registered despite an invalid document: %v", qs)
	}
	if err := persistedQueriesCommand(ctx, env.Store, []string{"register", filepath.Join(dir, "partner")}, &out); err != nil {
		t.Fatal(err)
	}
	hash := db.PersistedQueryHash(allowed)
	if !strings.Contains(out.String(), hash) || !strings.Contains(out.String(), "version.graphql") {
		t.Fatalf("register printed %q, want the hash %s", out.String(), hash)
	}
	if err := persistedQueriesCommand(ctx, env.Store, []string{"register", filepath.Join(dir, "partner")}, &out); err != nil {
		t.Fatalf("registering again: %v", err)
	}
	out.Reset()
	if err := persistedQueriesCommand(ctx, env.Store, []string{"list"}, &out); err != nil || strings.Count(out.String(), hash) != 1 || !strings.Contains(out.String(), "Version") {
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
		r := env.postGraphQL(t, access.Private, body)
		want := "PERSISTED_QUERY_NOT_ALLOWED"
		if strings.HasPrefix(name, "by") || name == "in full" || name == "both" {
			want = ""
		}
		if r.code() != want {
			t.Errorf("%s: want %q, got %s", name, want, r.Raw)
		}
	}
	status, body := env.get(t, "/metrics")
	if status != http.StatusOK || !strings.Contains(body, `cprgraph_graphql_errors_total{code="PERSISTED_QUERY_NOT_ALLOWED"`) {
		t.Errorf("refusals not counted: %d", status)
	}
}
