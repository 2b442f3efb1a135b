package auth

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// publicFields are the root fields a request without credentials may ask
// for: the schema itself and the server's version.
var publicFields = map[string]bool{"__typename": true, "__schema": true, "__type": true, "version": true}

// publicRequest reports whether the GraphQL document of r (GET query
// parameter or JSON POST body) holds only queries that select nothing but
// public root fields. A body it reads is put back for the GraphQL handler.
func publicRequest(r *http.Request) bool {
	query := r.URL.Query().Get("query")
	if r.Method == http.MethodPost {
		body, err := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err != nil {
			return false
		}
		var params struct{ Query string }
		if json.Unmarshal(body, &params) != nil {
			return false
		}
		query = params.Query
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: query})
	if err != nil || len(doc.Operations) == 0 {
		return false
	}
	for _, op := range doc.Operations {
		if op.Operation != ast.Query || !onlyPublic(doc, op.SelectionSet, map[string]bool{}) {
			return false
		}
	}
	return true
}

// onlyPublic reports whether a root selection set, with the fragments it
// spreads, selects only public fields.
func onlyPublic(doc *ast.QueryDocument, set ast.SelectionSet, seen map[string]bool) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if !publicFields[s.Name] {
				return false
			}
		case *ast.InlineFragment:
			if !onlyPublic(doc, s.SelectionSet, seen) {
				return false
			}
		case *ast.FragmentSpread:
			f := doc.Fragments.ForName(s.Name)
			if f == nil {
				return false
			}
			if seen[s.Name] {
				continue
			}
			seen[s.Name] = true
			if !onlyPublic(doc, f.SelectionSet, seen) {
				return false
			}
		}
	}
	return true
}
