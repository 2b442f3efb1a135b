package graph

import (
	"context"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"cprgraph/apperr"
)

// Sessions re-checks the credential of a stream (a websocket, or a
// subscription over server-sent events), which lives on after the request
// that authenticated it; *auth.Authenticator is one.
type Sessions interface {
	// CheckSession checks the credential of the stream of ctx now: an
	// error refuses the operation (UNAUTHENTICATED also ends the stream).
	// Nil for a request that is not a stream.
	CheckSession(ctx context.Context) error
	// SessionEnded returns the UNAUTHENTICATED error that ended the
	// stream's credential (its context is then cancelled), or nil.
	SessionEnded(ctx context.Context) error
}

// closeUnauthorized is the websocket close code of a stream whose
// credential ended (graphql-transport-ws's Unauthorized).
const closeUnauthorized = 4401

// checkSessions refuses an operation of a websocket whose credential no
// longer authenticates: each operation checks it again.
func checkSessions(s Sessions) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if overWebsocket(graphql.GetOperationContext(ctx)) {
			if err := s.CheckSession(ctx); err != nil {
				return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{presentError(ctx, err)}})
			}
		}
		ctx = context.WithValue(ctx, endReportedKey{}, new(atomic.Bool))
		return next(ctx)
	}
}

type endReportedKey struct{}

// reportEndedSessions answers once, when a stream's responses end because
// its credential ended, with that UNAUTHENTICATED error: over server-sent
// events it is the last event before complete (a websocket also gets the
// close code closeUnauthorized).
func reportEndedSessions(s Sessions) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		resp := next(ctx)
		if resp != nil {
			return resp
		}
		err := s.SessionEnded(ctx)
		if reported, ok := ctx.Value(endReportedKey{}).(*atomic.Bool); err != nil && ok && reported.CompareAndSwap(false, true) {
			return &graphql.Response{Errors: gqlerror.List{presentError(ctx, err)}}
		}
		return nil
	}
}

// sessionWebsockets accepts websockets whose close frame says why when
// their credential ended: code closeUnauthorized and the error's message,
// instead of gqlgen's normal closure.
type sessionWebsockets struct {
	inner    transport.WebsocketImplementation
	sessions Sessions
}

func (w sessionWebsockets) Accept(rw http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	c, err := w.inner.Accept(rw, r, opts)
	if err != nil {
		return nil, err
	}
	return &sessionConn{WebsocketConn: c, ctx: r.Context(), sessions: w.sessions}, nil
}

type sessionConn struct {
	transport.WebsocketConn
	ctx      context.Context
	sessions Sessions
}

func (c *sessionConn) WriteClose(code int, message string) error {
	if err := c.sessions.SessionEnded(c.ctx); err != nil {
		code, message = closeUnauthorized, apperr.MessageOf(err)
		if len(message) > 120 { // a close frame's reason is at most 123 bytes
			message = message[:120]
		}
	}
	return c.WebsocketConn.WriteClose(code, message)
}

func (c *sessionConn) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

func (c *sessionConn) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}
