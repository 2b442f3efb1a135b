// Package udlejer serves the landlord web client (Udlejersøgning, CPRWeb in
// seed 000) at /udlejer: a Danish page, plain HTML, CSS and JavaScript
// embedded in the binary, that signs in with the landlord's API key or JWT
// and talks only to the public /graphql endpoint (viewer, streets,
// residents) and the public /export/residents.* downloads. It has no
// endpoint of its own that reads data; the municipality list it offers is
// the reference table of package cpr.
//
// The page has no inline script or style, so its Content-Security-Policy
// allows scripts, styles and fetches from 'self' only.
package udlejer

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"cprgraph/cpr"
)

//go:embed static
var staticFS embed.FS

// ContentSecurityPolicy is the policy of every response of the client.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"

type file struct {
	data        []byte
	contentType string
	etag        string
}

// Handler returns the client's handler for the paths /udlejer (redirected
// to /udlejer/), /udlejer/ (the page), /udlejer/kommuner.json and
// /udlejer/<asset>; mount it at both "/udlejer" and "/udlejer/".
func Handler() http.Handler {
	files := map[string]*file{}
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
		files[p] = newFile(p, data)
		return nil
	})
	if err != nil {
		panic(err)
	}
	type municipality struct {
		Code int    `json:"code"`
		Name string `json:"name"`
	}
	var list []municipality
	for _, m := range cpr.Municipalities() {
		list = append(list, municipality{m.Code, m.Name})
	}
	data, err := json.Marshal(list)
	if err != nil {
		panic(err)
	}
	files["kommuner.json"] = newFile("kommuner.json", data)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if r.URL.Path == "/udlejer" {
			http.Redirect(w, r, "/udlejer/", http.StatusMovedPermanently)
			return
		}
		name := strings.TrimPrefix(r.URL.Path, "/udlejer/")
		if name == "" {
			name = "index.html"
		}
		f := files[name]
		if f == nil {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.contentType)
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", f.etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.data))
	})
}

func newFile(name string, data []byte) *file {
	sum := sha256.Sum256(data)
	types := map[string]string{".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
		".css": "text/css; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml"}
	ct := types[path.Ext(name)]
	if ct == "" {
		ct = "text/plain; charset=utf-8"
	}
	return &file{data: data, contentType: ct, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
}
