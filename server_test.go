package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"cprgraph/db/dbtest"
)

// newTestServer serves the whole router over HTTP on a fresh database.
func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	conn := dbtest.New(t)
	cfg, err := loadConfig()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newRouter(cfg, conn))
	t.Cleanup(srv.Close)
	return srv
}

func TestTypename(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(`{"query":"{ __typename }"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Data struct {
			Typename string `json:"__typename"`
		}
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || body.Data.Typename != "Query" {
		t.Fatalf("status %d, body %+v", resp.StatusCode, body)
	}
}

func TestHealthAndGraphiQL(t *testing.T) {
	t.Parallel()
	srv := newTestServer(t)
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready", "/": "graphiql"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(strings.ToLower(string(b)), want) {
			t.Errorf("GET %s: %d %.80q", path, resp.StatusCode, b)
		}
	}
}
