package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func get(t *testing.T, h http.Handler, target string) (*http.Response, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

var configRE = regexp.MustCompile(`(?s)<script type="application/json" id="config">(.*?)</script>`)

// pageConfigOf extracts and decodes the JSON config block of the index page.
func pageConfigOf(t *testing.T, body string) pageConfig {
	t.Helper()
	m := configRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no config block in page:\n%s", body)
	}
	var cfg pageConfig
	if err := json.Unmarshal([]byte(m[1]), &cfg); err != nil {
		t.Fatalf("config block is not JSON: %v\n%s", err, m[1])
	}
	return cfg
}

func TestIndex(t *testing.T) {
	h := Handler(Options{Endpoint: "/graphql", SubscriptionEndpoint: "/graphql/ws"})
	res, body := get(t, h, "/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q", ct)
	}
	for _, name := range []string{"react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "init.js"} {
		if !regexp.MustCompile(`<script src="static/` + regexp.QuoteMeta(name) + `\?v=[0-9a-f]+"></script>`).MatchString(body) {
			t.Errorf("no script tag for %s in page:\n%s", name, body)
		}
	}
	if !regexp.MustCompile(`<link rel="stylesheet" href="static/graphiql\.min\.css\?v=[0-9a-f]+">`).MatchString(body) {
		t.Errorf("no stylesheet link in page:\n%s", body)
	}
	// React must load before GraphiQL, and init.js last.
	order := []string{"react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "init.js"}
	last := -1
	for _, n := range order {
		i := strings.Index(body, `src="static/`+n)
		if i < last {
			t.Errorf("%s loaded out of order", n)
		}
		last = i
	}
	cfg := pageConfigOf(t, body)
	if cfg.Endpoint != "/graphql" || cfg.SubscriptionEndpoint != "/graphql/ws" {
		t.Errorf("config %+v", cfg)
	}
	if !strings.Contains(body, `"endpoint":"/graphql"`) {
		t.Errorf("endpoint not in page:\n%s", body)
	}

	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "connect-src 'self'", "ws:", "wss:", "default-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "script-src 'self' 'unsafe-inline'") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP too loose: %q", csp)
	}
	// No inline script: every <script> either has src= or is the JSON block.
	for _, tag := range regexp.MustCompile(`<script[^>]*>`).FindAllString(body, -1) {
		if !strings.Contains(tag, `src="`) && !strings.Contains(tag, `type="application/json"`) {
			t.Errorf("inline script tag %s", tag)
		}
	}
}

func TestIndexDefaults(t *testing.T) {
	_, body := get(t, Handler(Options{}), "/")
	cfg := pageConfigOf(t, body)
	if cfg.Endpoint != "/graphql" || cfg.SubscriptionEndpoint != "" || cfg.DefaultTabs != nil || cfg.DefaultHeaders != "" {
		t.Errorf("config %+v", cfg)
	}
	if strings.Contains(body, "subscriptionEndpoint") {
		t.Errorf("empty subscription endpoint should be omitted:\n%s", body)
	}
}

func TestNoRemoteURLs(t *testing.T) {
	h := Handler(Options{
		Endpoint:       "/graphql",
		DefaultHeaders: `{"Authorization":"Bearer <key>"}`,
		DefaultTabs:    []Tab{{Query: "{ __typename }"}},
	})
	_, body := get(t, h, "/")
	// Drop HTML comments, then no absolute or protocol-relative URL may remain.
	stripped := regexp.MustCompile(`(?s)<!--.*?-->`).ReplaceAllString(body, "")
	for _, bad := range []string{"https://", "http://", "//unpkg", "//cdn", "jsdelivr"} {
		if strings.Contains(stripped, bad) {
			t.Errorf("page contains %q:\n%s", bad, body)
		}
	}
	// Every src/href is page-relative.
	for _, m := range regexp.MustCompile(`(?:src|href)="([^"]*)"`).FindAllStringSubmatch(stripped, -1) {
		if !strings.HasPrefix(m[1], "static/") {
			t.Errorf("non-local reference %q", m[1])
		}
	}
}

func TestTabsAndHeadersEscaped(t *testing.T) {
	evil := `</script><script>alert(1)</script><!--`
	opts := Options{
		Endpoint:       "/graphql",
		DefaultHeaders: `{"Authorization":"Bearer <key>","X":"` + evil + `"}`,
		DefaultTabs: []Tab{
			{Query: "query A { __typename } # " + evil, Variables: `{"v":"` + evil + `"}`},
			{Query: "query B { __typename }", Headers: `{"X-Tab":"b"}`},
		},
	}
	_, body := get(t, Handler(opts), "/")
	if n := strings.Count(body, "</script>"); n != 5 { // config block + 4 script tags
		t.Errorf("got %d </script> in page, want 5:\n%s", n, body)
	}
	if strings.Contains(body, "alert(1)</script>") || strings.Contains(body, "<script>alert") || strings.Contains(body, "<!--") {
		t.Errorf("user text broke out of the config block:\n%s", body)
	}
	cfg := pageConfigOf(t, body)
	if cfg.DefaultHeaders != opts.DefaultHeaders {
		t.Errorf("headers round trip: %q", cfg.DefaultHeaders)
	}
	if len(cfg.DefaultTabs) != 2 {
		t.Fatalf("tabs %+v", cfg.DefaultTabs)
	}
	a, b := cfg.DefaultTabs[0], cfg.DefaultTabs[1]
	if a.Query != opts.DefaultTabs[0].Query || a.Variables != opts.DefaultTabs[0].Variables {
		t.Errorf("tab A round trip: %+v", a)
	}
	if a.Headers != opts.DefaultHeaders {
		t.Errorf("tab without headers should get DefaultHeaders, got %q", a.Headers)
	}
	if b.Headers != `{"X-Tab":"b"}` {
		t.Errorf("tab B headers %q", b.Headers)
	}
}

func TestStatic(t *testing.T) {
	h := Handler(Options{})
	cases := map[string]string{
		"graphiql.min.js":             "text/javascript",
		"graphiql.min.css":            "text/css",
		"react.production.min.js":     "text/javascript",
		"react-dom.production.min.js": "text/javascript",
		"init.js":                     "text/javascript",
		"page.css":                    "text/css",
		"LICENSE.graphiql":            "text/plain",
		"LICENSE.react":               "text/plain",
		"LICENSE.react-dom":           "text/plain",
		"README.md":                   "text/markdown",
	}
	for name, ct := range cases {
		res, body := get(t, h, "/static/"+name)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", name, res.StatusCode)
			continue
		}
		if got := res.Header.Get("Content-Type"); !strings.HasPrefix(got, ct) {
			t.Errorf("%s: Content-Type %q, want %s", name, got, ct)
		}
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("%s: Cache-Control %q", name, cc)
		}
		if len(body) == 0 {
			t.Errorf("%s: empty body", name)
		}
		// Conditional request with the ETag gives 304.
		req := httptest.NewRequest(http.MethodGet, "/static/"+name, nil)
		req.Header.Set("If-None-Match", res.Header.Get("ETag"))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusNotModified {
			t.Errorf("%s: conditional GET status %d", name, rec.Code)
		}
	}
}

func TestVendoredAssetsAreLocal(t *testing.T) {
	for _, name := range []string{"graphiql.min.js", "graphiql.min.css", "init.js", "page.css"} {
		s := string(assets[name].data)
		if strings.Contains(s, "@import") {
			t.Errorf("%s has an @import", name)
		}
		for _, cdn := range []string{"//unpkg.com", "//cdn.jsdelivr", "//cdnjs", "fonts.googleapis", "fonts.gstatic"} {
			if strings.Contains(s, cdn) {
				t.Errorf("%s references %s", name, cdn)
			}
		}
	}
}

func TestNotFound(t *testing.T) {
	h := Handler(Options{})
	for _, p := range []string{"/nope", "/static/", "/static/nope.js", "/static/../web.go", "/index.html", "/graphql", "/static"} {
		res, _ := get(t, h, p)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, res.StatusCode)
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	h := Handler(Options{})
	for _, p := range []string{"/", "/static/init.js"} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, p, strings.NewReader("{}")))
		if rec.Code != http.StatusMethodNotAllowed {
			t.Errorf("POST %s: status %d", p, rec.Code)
		}
	}
}

func TestMountedUnderPrefix(t *testing.T) {
	mux := http.NewServeMux()
	mux.Handle("/ide/", http.StripPrefix("/ide", Handler(Options{})))
	res, _ := get(t, mux, "/ide/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("index under prefix: %d", res.StatusCode)
	}
	res, _ = get(t, mux, "/ide/static/init.js")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("static under prefix: %d", res.StatusCode)
	}
}

func TestCSPAbsoluteEndpoint(t *testing.T) {
	res, _ := get(t, Handler(Options{Endpoint: "https://api.example.test/graphql"}), "/")
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self' https://api.example.test ws: wss:") {
		t.Errorf("CSP %q", csp)
	}
}
