package graph

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/breaker"
)

// Auditor appends a row to the audit log. The response is not sent when it
// fails.
type Auditor func(ctx context.Context, p *access.Principal, rec *access.Record, cprs []string) error

// Options configures the GraphQL endpoint.
type Options struct {
	// Introspection allows __schema and __type queries.
	Introspection bool
	// Audit writes the audit row of every response that holds person data.
	Audit Auditor
	// MaxDepth limits how deeply an operation's fields nest (0: no limit).
	MaxDepth int
	// MaxComplexity limits an operation's complexity (0: no limit): each
	// field costs 1 plus its selection, times `first` or the length of a
	// list argument (a batch) where given.
	MaxComplexity int
	// WebsocketInit authenticates a websocket from its init message.
	WebsocketInit transport.WebsocketInitFunc
	// Sessions re-checks the credentials of streams (nil: never).
	Sessions Sessions
	// LoaderWait is how long the dataloaders gather keys before they query
	// (0: the library's default).
	LoaderWait time.Duration
	// Extensions run before the built-in ones, in order: persisted queries,
	// metrics, tracing (see server.go). A response interceptor among them
	// sees the response after the audit write.
	Extensions []graphql.HandlerExtension
}

// queryCacheSize is how many parsed documents the endpoint keeps.
const queryCacheSize = 1000

// NewHandler returns the GraphQL endpoint over HTTP for the resolver. The
// caller's authentication middleware must have put the principal and an
// access.Record into the request context.
func NewHandler(r *Resolver, opts Options) http.Handler {
	es := NewExecutableSchema(Config{Resolvers: r, Complexity: complexity()})
	srv := handler.New(es)
	// Parsed and validated documents by their text, so a repeated document
	// is neither parsed nor validated again.
	srv.SetQueryCache(lru.New[*ast.QueryDocument](queryCacheSize))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(httpTransport{}) // GET and POST: see http.go
	srv.AddTransport(transport.SSE{KeepAlivePingInterval: 10 * time.Second})
	ws := transport.Websocket{KeepAlivePingInterval: 10 * time.Second, InitFunc: opts.WebsocketInit}
	if opts.Sessions != nil {
		ws.Implementation = sessionWebsockets{inner: transport.CoderWebsocketImplementation{}, sessions: opts.Sessions}
	}
	srv.AddTransport(ws)
	for _, ext := range opts.Extensions {
		srv.Use(ext)
	}
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	}
	if opts.MaxDepth > 0 {
		srv.Use(depthLimit{max: opts.MaxDepth})
	}
	if opts.MaxComplexity > 0 {
		srv.Use(newComplexityLimit(opts.MaxComplexity))
	}
	srv.Use(personBudget{})
	if opts.Sessions != nil {
		srv.AroundOperations(checkSessions(opts.Sessions))
	}
	srv.AroundOperations(recordPerOperation)
	srv.AroundOperations(refuseNULArguments)
	srv.AroundFields(newMasker(es.Schema()).aroundFields)
	if opts.Sessions != nil {
		srv.AroundResponses(reportEndedSessions(opts.Sessions)) // outside the audit: an ended stream's last answer is not audited
	}
	srv.AroundResponses(auditResponses(opts.Audit))
	srv.AroundResponses(withLoaders(r.Store, opts.LoaderWait))
	srv.SetErrorPresenter(presentError)
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		slog.ErrorContext(ctx, "panic in resolver", "panic", v, "request_id", access.RecordFrom(ctx).RequestID)
		return errors.New("panic")
	})
	return srv
}

// auditResponses writes the audit row of a response before it leaves: when
// the request was authorized for a person-data operation or returned any
// person. If the write fails, the client gets an error and no data.
func auditResponses(audit Auditor) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if resp == nil {
			return nil
		}
		rec := access.RecordFrom(ctx)
		cprs := rec.TakeCPRs()
		if len(cprs) == 0 && len(rec.Operations()) == 0 {
			return resp
		}
		if err := audit(ctx, access.FromContext(ctx), rec, cprs); breaker.Observe(ctx, err) {
			return &graphql.Response{Errors: gqlerror.List{{
				Message:    breaker.ErrUnavailable.Message,
				Extensions: map[string]any{"code": string(apperr.Unavailable)},
			}}}
		} else if err != nil {
			slog.ErrorContext(ctx, "audit write failed: response withheld", "err", err, "request_id", rec.RequestID)
			return &graphql.Response{Errors: gqlerror.List{{
				Message:    "the request could not be recorded in the audit log",
				Extensions: map[string]any{"code": string(apperr.Internal)},
			}}}
		}
		return resp
	}
}

// presentError gives every error a stable extensions.code. Errors of the
// apperr vocabulary keep their message; errors raised by GraphQL itself keep
// gqlgen's code (GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED; an
// exceeded complexity limit becomes QUERY_TOO_COMPLEX) or else are
// BAD_USER_INPUT; a database outage is UNAVAILABLE (logged once by the
// breaker); anything else is logged and shown as a generic internal
// error.
func presentError(ctx context.Context, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	var appErr *apperr.Error
	switch {
	case errors.As(err, &appErr):
		gqlErr.Message = appErr.Message
		gqlErr.Extensions = apperr.ExtensionsOf(appErr)
	case breaker.Observe(ctx, err):
		gqlErr.Message = breaker.ErrUnavailable.Message
		gqlErr.Extensions = map[string]any{"code": string(apperr.Unavailable)}
	case gqlErr.Err == nil:
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		switch gqlErr.Extensions["code"] {
		case nil:
			gqlErr.Extensions["code"] = string(apperr.BadUserInput)
		case "COMPLEXITY_LIMIT_EXCEEDED":
			gqlErr.Extensions["code"] = string(apperr.TooComplex)
		}
	default:
		slog.ErrorContext(ctx, "internal error", "err", err, "path", gqlErr.Path.String(),
			"request_id", access.RecordFrom(ctx).RequestID)
		gqlErr.Message = apperr.MessageOf(err)
		gqlErr.Extensions = map[string]any{"code": string(apperr.Internal)}
	}
	gqlErr.Message = capMessage(gqlErr.Message)
	return gqlErr
}

// maxMessageBytes caps an error message, which may echo the input it
// refuses (a value, a name).
const maxMessageBytes = 300

// capMessage cuts m to maxMessageBytes at a character boundary and marks
// the cut with an ellipsis.
func capMessage(m string) string {
	if len(m) <= maxMessageBytes {
		return m
	}
	cut := maxMessageBytes
	for cut > 0 && !utf8.RuneStart(m[cut]) {
		cut--
	}
	return m[:cut] + "…"
}
