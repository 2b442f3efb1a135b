package graph

import (
	"net/http/httptest"
	"strings"
	"testing"

	"cprgraph/db"
)

// The graphql-http audit suite (e2e_ops_test.go) covers the rest.
func TestHTTPTransport(t *testing.T) {
	t.Parallel()
	// A Store on no connection: the loaders take its domain stores' methods,
	// and these requests run no query.
	h := NewHandler(&Resolver{Store: db.NewStore(nil)}, Options{})
	for _, tc := range []struct {
		name, method, target, contentType, accept, body string
		status                                          int
		wantType, wantBody, wantAllow                   string
	}{
		{"query by GET", "GET", "/graphql?query={__typename}", "", "", "", 200, mediaJSON, `{"data":{"__typename":"Query"}}`, ""},
		{"mutation by GET", "GET", "/graphql?query=mutation{__typename}", "", "", "", 405, mediaJSON, "BAD_USER_INPUT", "POST"},
		{"PUT", "PUT", "/graphql", mediaJSON, "", `{"query":"{__typename}"}`, 405, mediaJSON, "BAD_USER_INPUT", "GET, POST, OPTIONS"},
		{"text body", "POST", "/graphql", "text/plain", "", `{"query":"{__typename}"}`, 415, mediaJSON, "BAD_USER_INPUT", ""},
		{"latin-1 body", "POST", "/graphql", "application/json; charset=latin1", "", `{"query":"{__typename}"}`, 415, mediaJSON, "", ""},
		{"HTML only", "POST", "/graphql", mediaJSON, "text/html", `{"query":"{__typename}"}`, 406, mediaJSON, "BAD_USER_INPUT", ""},
		{"preferred by quality", "POST", "/graphql", mediaJSON, "application/json;q=0.5, application/graphql-response+json", `{"query":"{__typename}"}`, 200, mediaGraphQLResponse, "Query", ""},
		{"no query", "POST", "/graphql", mediaJSON, "", `{"variables":{}}`, 400, mediaJSON, "no query", ""},
		{"two JSON values", "POST", "/graphql", mediaJSON, "", `{"query":"{__typename}"} {}`, 400, mediaJSON, "", ""},
		{"parse error as JSON", "POST", "/graphql", mediaJSON, mediaJSON, `{"query":"{"}`, 200, mediaJSON, "GRAPHQL_PARSE_FAILED", ""},
		{"parse error", "POST", "/graphql", mediaJSON, mediaGraphQLResponse, `{"query":"{"}`, 400, mediaGraphQLResponse, "GRAPHQL_PARSE_FAILED", ""},
		{"mutation by POST", "POST", "/graphql", mediaJSON, "", `{"query":"mutation{__typename}"}`, 200, mediaJSON, `"Mutation"`, ""},
	} {
		req := httptest.NewRequest(tc.method, tc.target, strings.NewReader(tc.body))
		if tc.contentType != "" {
			req.Header.Set("Content-Type", tc.contentType)
		}
		if tc.accept != "" {
			req.Header.Set("Accept", tc.accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body := rec.Body.String()
		if rec.Code != tc.status || !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.wantType) ||
			!strings.Contains(body, tc.wantBody) || rec.Header().Get("Allow") != tc.wantAllow {
			t.Errorf("%s: got %d %q Allow=%q %s", tc.name, rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("Allow"), body)
		}
		if tc.status >= 400 && strings.Contains(body, `"data"`) {
			t.Errorf("%s: a request error has a data entry: %s", tc.name, body)
		}
	}
}

func TestNegotiate(t *testing.T) {
	t.Parallel()
	for accept, want := range map[string]string{
		"":                                      mediaJSON,
		"*/*":                                   mediaJSON,
		"application/*":                         mediaJSON,
		"application/graphql-response+json":     mediaGraphQLResponse,
		"application/json, multipart/mixed":     mediaJSON,
		"text/html;q=1, application/json;q=0.1": mediaJSON,
		"application/graphql-response+json;q=0, application/json": mediaJSON,
		"text/html": "", "application/json;q=0": "",
	} {
		got, ok := negotiate(accept)
		if (want == "") == ok || (ok && got != want) {
			t.Errorf("negotiate(%q) = %q, %v; want %q", accept, got, ok, want)
		}
	}
}
