package udlejer

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestPageIsSelfContained: the page, its assets and the municipality list
// are served with the strict policy, and nothing in them loads from
// another origin or runs inline.
func TestPageIsSelfContained(t *testing.T) {
	h := Handler()
	for _, path := range []string{"/udlejer/", "/udlejer/udlejer.js", "/udlejer/udlejer.css", "/udlejer/kommuner.json"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Security-Policy") != ContentSecurityPolicy {
			t.Fatalf("%s: %d %v", path, rec.Code, rec.Header())
		}
		body := rec.Body.String()
		for _, bad := range []string{"http://", "https://", "style=", "onclick", "<script>"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s holds %q", path, bad)
			}
		}
	}
	if !strings.Contains(ContentSecurityPolicy, "default-src 'self'") || strings.Contains(ContentSecurityPolicy, "unsafe") {
		t.Errorf("policy: %s", ContentSecurityPolicy)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/udlejer", nil))
	if rec.Code != http.StatusMovedPermanently || rec.Header().Get("Location") != "/udlejer/" {
		t.Errorf("/udlejer: %d %s", rec.Code, rec.Header().Get("Location"))
	}
}
