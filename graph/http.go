package graph

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"cprgraph/apperr"
)

// Media types of GraphQL over HTTP.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// httpTransport is GraphQL over HTTP as the GraphQL-over-HTTP specification
// has it, for GET and POST (websockets, OPTIONS and server-sent events are
// other transports):
//
//   - The response is application/graphql-response+json or application/json,
//     as the Accept header prefers; application/json without one, and 406
//     when it accepts neither.
//   - POST takes a JSON body (Content-Type application/json, else 415); GET
//     takes the parameters from the URL and runs queries only (405 with
//     Allow: POST for a mutation or subscription). Other methods get 405.
//   - A body or parameter that is not a GraphQL request (bad JSON, a query
//     that is not a string, no query) is 400.
//   - A request error — the document does not parse or validate, its
//     variables do not coerce, a limit or the persisted-query policy refuses
//     it — is 400 with application/graphql-response+json and 200 with
//     application/json; it never executes.
//   - An executed operation is 200, whatever errors its fields raised.
//
// Every refusal carries a GraphQL-shaped error with an extensions.code.
type httpTransport struct{}

var _ graphql.Transport = httpTransport{}

// Supports takes every plain HTTP request except OPTIONS and HEAD (the
// Options transport), websocket upgrades and event-stream requests.
func (httpTransport) Supports(r *http.Request) bool {
	if r.Header.Get("Upgrade") != "" || r.Method == http.MethodOptions || r.Method == http.MethodHead {
		return false
	}
	media, _ := negotiate(r.Header.Get("Accept"))
	return media != "text/event-stream"
}

func (httpTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	media, ok := negotiate(r.Header.Get("Accept"))
	if !ok {
		refuse(w, http.StatusNotAcceptable, "the response is application/graphql-response+json or application/json; the Accept header allows neither")
		return
	}
	var params *graphql.RawParams
	switch r.Method {
	case http.MethodGet:
		params = getParams(w, r)
	case http.MethodPost:
		params = postParams(w, r)
	default:
		w.Header().Set("Allow", "GET, POST, OPTIONS")
		refuse(w, http.StatusMethodNotAllowed, "GraphQL requests use GET (queries) or POST")
		return
	}
	if params == nil {
		return
	}
	params.Headers = r.Header

	ctx := r.Context()
	opCtx, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		resp := exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs)
		status := http.StatusOK
		if media == mediaGraphQLResponse {
			status = http.StatusBadRequest
		}
		writeResponse(w, media, status, requestError{Errors: resp.Errors, Extensions: resp.Extensions})
		return
	}
	if r.Method == http.MethodGet && opCtx.Operation.Operation != ast.Query {
		w.Header().Set("Allow", "POST")
		refuse(w, http.StatusMethodNotAllowed, "a GET request runs queries only: send a "+string(opCtx.Operation.Operation)+" with POST")
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, opCtx)
	if resp := responses(ctx); resp != nil { // nil: the client went away
		writeResponse(w, media, http.StatusOK, resp)
	}
}

// getParams reads a request's parameters from its URL, or answers 400 and
// returns nil.
func getParams(w http.ResponseWriter, r *http.Request) *graphql.RawParams {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		refuse(w, http.StatusBadRequest, "the URL's query string does not parse")
		return nil
	}
	params := &graphql.RawParams{Query: q.Get("query"), OperationName: q.Get("operationName")}
	params.ReadTime.Start = graphql.Now()
	for name, dst := range map[string]*map[string]any{"variables": &params.Variables, "extensions": &params.Extensions} {
		if v := q.Get(name); v != "" {
			if decodeJSON(strings.NewReader(v), dst) != nil {
				refuse(w, http.StatusBadRequest, "the "+name+" parameter is not a JSON object")
				return nil
			}
		}
	}
	params.ReadTime.End = graphql.Now()
	if !utf8.ValidString(r.URL.RawQuery) || !utf8.ValidString(q.Get("query")) {
		refuse(w, http.StatusBadRequest, "the request is not valid UTF-8")
		return nil
	}
	return checkQuery(w, params)
}

// postParams reads a request's parameters from its JSON body, or answers
// 415 or 400 and returns nil.
func postParams(w http.ResponseWriter, r *http.Request) *graphql.RawParams {
	media, mediaParams, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || media != mediaJSON || !strings.EqualFold(cmp.Or(mediaParams["charset"], "utf-8"), "utf-8") {
		refuse(w, http.StatusUnsupportedMediaType, "a POST request's body is JSON: send Content-Type: application/json")
		return nil
	}
	params := &graphql.RawParams{}
	params.ReadTime.Start = graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err == nil {
		err = decodeJSON(bytes.NewReader(body), params)
	}
	if err != nil {
		refuse(w, http.StatusBadRequest, "the request body is not a GraphQL request in JSON (query, operationName, variables, extensions)")
		return nil
	}
	if !utf8.Valid(body) {
		refuse(w, http.StatusBadRequest, "the request body is not valid UTF-8")
		return nil
	}
	params.ReadTime.End = graphql.Now()
	return checkQuery(w, params)
}

// checkQuery answers 400 for a request without a document, unless it names
// a persisted query by hash.
// A NUL character anywhere in the document or the variables is refused
// (PostgreSQL text cannot hold one).
func checkQuery(w http.ResponseWriter, params *graphql.RawParams) *graphql.RawParams {
	if params.Query == "" && params.Extensions["persistedQuery"] == nil {
		refuse(w, http.StatusBadRequest, "the request has no query")
		return nil
	}
	if strings.ContainsRune(params.Query, 0) || holdsNUL(params.Variables) {
		refuse(w, http.StatusBadRequest, "the request holds a NUL character (U+0000)")
		return nil
	}
	return params
}

// holdsNUL reports whether a decoded JSON value holds a NUL character in a
// string or a key.
func holdsNUL(v any) bool {
	switch v := v.(type) {
	case string:
		return strings.ContainsRune(v, 0)
	case []any:
		for _, e := range v {
			if holdsNUL(e) {
				return true
			}
		}
	case map[string]any:
		for k, e := range v {
			if strings.ContainsRune(k, 0) || holdsNUL(e) {
				return true
			}
		}
	}
	return false
}

// decodeJSON decodes one JSON value, keeping numbers exact and refusing
// anything after it.
func decodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errTrailingData
	}
	return nil
}

var errTrailingData = errors.New("data after the JSON value")

// negotiate picks the response's media type from an Accept header:
// application/graphql-response+json or application/json, whichever has the
// higher quality (application/json for */*, application/* or no header).
// ok is false when the header accepts neither; media is then the most
// preferred type the header names.
func negotiate(accept string) (media string, ok bool) {
	if strings.TrimSpace(accept) == "" {
		return mediaJSON, true
	}
	bestQ, other, otherQ := -1.0, "", -1.0
	for part := range strings.SplitSeq(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, err := strconv.ParseFloat(params["q"], 64); err == nil {
			q = v
		}
		if q <= 0 {
			continue
		}
		var candidate string
		switch mt {
		case mediaGraphQLResponse:
			candidate = mediaGraphQLResponse
		case mediaJSON, "*/*", "application/*":
			candidate = mediaJSON
		default:
			if q > otherQ {
				other, otherQ = mt, q
			}
			continue
		}
		if q > bestQ {
			media, bestQ = candidate, q
		}
	}
	if media == "" {
		return other, false
	}
	return media, true
}

// requestError is the response to a request error: it has no data entry,
// not even null, as the operation did not run.
type requestError struct {
	Errors     gqlerror.List  `json:"errors"`
	Extensions map[string]any `json:"extensions,omitempty"`
}

func writeResponse(w http.ResponseWriter, media string, status int, resp any) {
	w.Header().Set("Content-Type", media)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(resp)
}

// refuse answers a request that is not a GraphQL request this endpoint
// runs, with a BAD_USER_INPUT error.
func refuse(w http.ResponseWriter, status int, message string) {
	apperr.WriteHTTP(w, status, &apperr.Error{Code: apperr.BadUserInput, Message: message})
}

// refuseNULArguments is an operation middleware: a string argument written
// in the document whose escapes decode to a NUL character ("\u0000") is
// BAD_USER_INPUT, as one in the variables is (checkQuery).
func refuseNULArguments(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	rc := graphql.GetOperationContext(ctx)
	if rc.Doc != nil && documentHoldsNUL(rc.Doc) {
		return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
			Message:    "the request holds a NUL character (U+0000)",
			Extensions: map[string]any{"code": string(apperr.BadUserInput)},
		}}})
	}
	return next(ctx)
}

func documentHoldsNUL(doc *ast.QueryDocument) bool {
	var value func(v *ast.Value) bool
	value = func(v *ast.Value) bool {
		if v == nil {
			return false
		}
		if (v.Kind == ast.StringValue || v.Kind == ast.BlockValue) && strings.ContainsRune(v.Raw, 0) {
			return true
		}
		for _, c := range v.Children {
			if value(c.Value) {
				return true
			}
		}
		return false
	}
	var selections func(set ast.SelectionSet) bool
	selections = func(set ast.SelectionSet) bool {
		for _, s := range set {
			switch s := s.(type) {
			case *ast.Field:
				for _, a := range s.Arguments {
					if value(a.Value) {
						return true
					}
				}
				if selections(s.SelectionSet) {
					return true
				}
			case *ast.InlineFragment:
				if selections(s.SelectionSet) {
					return true
				}
			}
		}
		return false
	}
	for _, op := range doc.Operations {
		for _, v := range op.VariableDefinitions {
			if value(v.DefaultValue) {
				return true
			}
		}
		if selections(op.SelectionSet) {
			return true
		}
	}
	for _, f := range doc.Fragments {
		if selections(f.SelectionSet) {
			return true
		}
	}
	return false
}
