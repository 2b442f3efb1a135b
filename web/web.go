// Package web serves the GraphiQL IDE with every asset embedded in the
// binary: nothing is loaded from a CDN at run time.
//
// The bundled third-party files live in static/ (see static/README.md for
// their versions and how to refresh them). The page itself carries no inline
// script: its configuration is JSON in a <script type="application/json">
// block that static/init.js reads, so the Content-Security-Policy can limit
// scripts to 'self'.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
)

//go:embed static
var staticFS embed.FS

// Tab is one editor tab GraphiQL opens with when the browser has no saved
// tabs of its own. Query, Variables and Headers are the texts of the query,
// variables and headers editors (the latter two JSON, may be empty).
type Tab struct {
	Query     string `json:"query"`
	Variables string `json:"variables,omitempty"`
	Headers   string `json:"headers,omitempty"`
}

// Options configures Handler.
type Options struct {
	// Endpoint is the GraphQL HTTP endpoint the IDE POSTs to, e.g. "/graphql".
	// Empty means "/graphql".
	Endpoint string
	// SubscriptionEndpoint is the graphql-ws (graphql-transport-ws) URL for
	// subscriptions; a path such as "/graphql" is resolved against the page
	// with ws:// or wss://. Empty disables subscriptions.
	SubscriptionEndpoint string
	// DefaultHeaders is JSON text shown in the headers editor, e.g.
	// `{"Authorization":"Bearer <key>"}`. It is also put into each of
	// DefaultTabs that has no Headers of its own.
	DefaultHeaders string
	// DefaultTabs are the tabs (e.g. example queries) shown on first visit.
	DefaultTabs []Tab
	// Title is the page title; empty means "GraphiQL".
	Title string
	// Hint is a line of text shown above the IDE, e.g. where the API key
	// goes; empty shows none.
	Hint string
}

// pageConfig is the JSON read by static/init.js.
type pageConfig struct {
	Endpoint             string `json:"endpoint"`
	SubscriptionEndpoint string `json:"subscriptionEndpoint,omitempty"`
	DefaultHeaders       string `json:"defaultHeaders,omitempty"`
	DefaultTabs          []Tab  `json:"defaultTabs,omitempty"`
}

type pageData struct {
	Title  string
	Hint   string
	Config pageConfig
	CSS    []string
	JS     []string
}

var indexTmpl = template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{{.Title}}</title>
{{range .CSS}}<link rel="stylesheet" href="{{.}}">
{{end}}</head>
<body>
{{if .Hint}}<p id="hint">{{.Hint}}</p>
{{end}}<div id="graphiql">Loading GraphiQL…</div>
<script type="application/json" id="config">{{.Config}}</script>
{{range .JS}}<script src="{{.}}"></script>
{{end}}</body>
</html>
`))

// Scripts and styles in load order; React must come before GraphiQL.
var (
	pageCSS = []string{"graphiql.min.css", "page.css"}
	pageJS  = []string{"react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "init.js"}
)

type asset struct {
	name        string
	data        []byte
	contentType string
	etag        string
}

var assets = map[string]*asset{}

func init() {
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		assets[p] = &asset{
			name:        p,
			data:        data,
			contentType: contentType(p),
			etag:        `"` + hex.EncodeToString(sum[:8]) + `"`,
		}
		return nil
	})
	if err != nil {
		panic(err)
	}
	for _, n := range append(append([]string{}, pageCSS...), pageJS...) {
		if assets[n] == nil {
			panic("web: missing embedded static/" + n)
		}
	}
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".md":
		return "text/markdown; charset=utf-8"
	case ".html":
		return "text/html; charset=utf-8"
	default: // LICENSE.* and other text
		return "text/plain; charset=utf-8"
	}
}

// staticURL is the page-relative URL of a static file, versioned by content
// hash so that the long Cache-Control on static files is safe across updates.
func staticURL(name string) string {
	return "static/" + name + "?v=" + strings.Trim(assets[name].etag, `"`)
}

// Handler returns an http.Handler serving GraphiQL at "/" and the embedded
// assets at "/static/<file>"; any other path is 404. URLs in the page are
// relative, so the handler also works under http.StripPrefix at a
// sub-path ending in "/".
func Handler(opts Options) http.Handler {
	endpoint := opts.Endpoint
	if endpoint == "" {
		endpoint = "/graphql"
	}
	title := opts.Title
	if title == "" {
		title = "GraphiQL"
	}
	cfg := pageConfig{
		Endpoint:             endpoint,
		SubscriptionEndpoint: opts.SubscriptionEndpoint,
		DefaultHeaders:       opts.DefaultHeaders,
	}
	for _, t := range opts.DefaultTabs {
		if t.Headers == "" {
			t.Headers = opts.DefaultHeaders
		}
		cfg.DefaultTabs = append(cfg.DefaultTabs, t)
	}
	data := pageData{Title: title, Hint: opts.Hint, Config: cfg}
	for _, n := range pageCSS {
		data.CSS = append(data.CSS, staticURL(n))
	}
	for _, n := range pageJS {
		data.JS = append(data.JS, staticURL(n))
	}
	var buf bytes.Buffer
	if err := indexTmpl.Execute(&buf, data); err != nil {
		panic("web: rendering index: " + err.Error())
	}
	return &handler{index: buf.Bytes(), csp: contentSecurityPolicy(endpoint, opts.SubscriptionEndpoint)}
}

// contentSecurityPolicy allows scripts only from 'self'; styles from 'self'
// plus inline (GraphiQL and CodeMirror set inline styles); fonts and images
// from data: (the CSS embeds its fonts); fetches to 'self', to the origin
// of an absolute endpoint, and to any ws:/wss: for subscriptions.
func contentSecurityPolicy(endpoints ...string) string {
	connect := []string{"'self'"}
	for _, e := range endpoints {
		if u, err := url.Parse(e); err == nil && u.Host != "" &&
			(u.Scheme == "http" || u.Scheme == "https") {
			connect = append(connect, u.Scheme+"://"+u.Host)
		}
	}
	connect = append(connect, "ws:", "wss:")
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'",
		"font-src 'self' data:",
		"img-src 'self' data:",
		"connect-src " + strings.Join(connect, " "),
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'self'",
	}, "; ")
}

type handler struct {
	index []byte
	csp   string
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/" || p == "":
		if !allowGet(w, r) {
			return
		}
		hdr := w.Header()
		hdr.Set("Content-Type", "text/html; charset=utf-8")
		hdr.Set("Content-Security-Policy", h.csp)
		hdr.Set("Cache-Control", "no-cache")
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Referrer-Policy", "no-referrer")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(h.index))
	case strings.HasPrefix(p, "/static/"):
		a := assets[strings.TrimPrefix(p, "/static/")]
		if a == nil {
			http.NotFound(w, r)
			return
		}
		if !allowGet(w, r) {
			return
		}
		hdr := w.Header()
		hdr.Set("Content-Type", a.contentType)
		hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("ETag", a.etag)
		http.ServeContent(w, r, a.name, time.Time{}, bytes.NewReader(a.data))
	default:
		http.NotFound(w, r)
	}
}

func allowGet(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}
