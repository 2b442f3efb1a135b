package auth

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"cprgraph/apperr"
	"cprgraph/db"
)

// DefaultRecheckInterval is how often the credential of an open stream is
// checked again when the Authenticator is not told otherwise.
const DefaultRecheckInterval = 5 * time.Second

// A stream — a websocket, or a subscription over server-sent events —
// outlives the request that authenticated it. Its credential is a session:
// checked again at least every recheck interval (all open sessions of the
// process in one query), at once when any instance revokes or rotates a
// key (Revalidate, driven by the api_client notification), and before
// every operation of a websocket (CheckSession). A credential that no
// longer authenticates — a revoked or rotated-away API key, an expired JWT
// — ends the session: its context is cancelled with the UNAUTHENTICATED
// error as cause, which closes the stream (SessionEnded says why).
type session struct {
	token   string // a JWT; "" for an API key
	keyHash []byte // an API key's hash (the key itself is not kept); nil for a JWT
	ctx     context.Context
	end     context.CancelCauseFunc
}

// sessionSlot holds the session of a stream request once it is known: at
// once for credentials in the request's headers, after connection_init for
// a websocket that authenticates in its payload.
type sessionSlot = atomic.Pointer[session]

type slotKey struct{}

// sessions are the open sessions of an Authenticator and the goroutine
// re-checking them, which runs only while there are any.
type sessions struct {
	interval time.Duration
	wake     chan struct{}

	mu      sync.Mutex
	open    map[*session]struct{}
	running bool
}

var (
	errKeyRevoked = apperr.Errorf(apperr.Unauthenticated, "the API key was revoked or rotated: the stream is closed")
)

// WithRecheck sets how often the credentials of open streams are checked
// again (DefaultRecheckInterval when not set or not positive) and returns a.
func (a *Authenticator) WithRecheck(interval time.Duration) *Authenticator {
	if interval > 0 {
		a.sessions.interval = interval
	}
	return a
}

// WithKeyCache keeps the clients of API keys for up to ttl (0: no cache,
// the default) and returns a. Only an Authenticator whose Revalidate is
// called on every api_client notification may have one: that is what
// empties it when a client changes.
func (a *Authenticator) WithKeyCache(ttl time.Duration) *Authenticator {
	a.keys.ttl = ttl
	return a
}

// Revalidate forgets the cached API keys and checks the credentials of
// every open stream again now, soon and without blocking: a credential
// changed somewhere (the api_client notification) or changes may have been
// missed.
func (a *Authenticator) Revalidate() {
	a.keys.empty()
	select {
	case a.sessions.wake <- struct{}{}:
	default:
	}
}

// isStream reports whether r opens a stream: a websocket or server-sent
// events.
func isStream(r *http.Request) bool {
	return isWebsocket(r) || strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// withSlot returns ctx carrying an empty session slot.
func withSlot(ctx context.Context) context.Context {
	return context.WithValue(ctx, slotKey{}, new(sessionSlot))
}

// openSession returns ctx carrying a new session for cred, which has just
// authenticated: ctx is cancelled when cred no longer does.
func (a *Authenticator) openSession(ctx context.Context, cred string) context.Context {
	slot, ok := ctx.Value(slotKey{}).(*sessionSlot)
	if !ok {
		ctx = withSlot(ctx)
		slot = ctx.Value(slotKey{}).(*sessionSlot)
	}
	ctx, end := context.WithCancelCause(ctx)
	s := &session{ctx: ctx, end: end}
	if a.isAPIKey(cred) {
		s.keyHash = db.HashAPIKey(cred)
	} else {
		s.token = cred
	}
	slot.Store(s)
	a.sessions.add(a, s)
	context.AfterFunc(ctx, func() { a.sessions.remove(s) })
	return ctx
}

func sessionOf(ctx context.Context) *session {
	if slot, ok := ctx.Value(slotKey{}).(*sessionSlot); ok {
		return slot.Load()
	}
	return nil
}

// SessionEnded returns the UNAUTHENTICATED error that ended the session of
// the stream of ctx, or nil while it lasts (and for a request that is not a
// stream, or whose client just went away).
func (a *Authenticator) SessionEnded(ctx context.Context) error {
	s := sessionOf(ctx)
	if s == nil || s.ctx.Err() == nil {
		return nil
	}
	var appErr *apperr.Error
	if cause := context.Cause(s.ctx); errors.As(cause, &appErr) {
		return cause
	}
	return nil
}

// CheckSession checks the credential of the stream of ctx now (nil for a
// request that is not a stream): UNAUTHENTICATED, and the session ended,
// when it no longer authenticates; INTERNAL when it could not be checked.
func (a *Authenticator) CheckSession(ctx context.Context) error {
	s := sessionOf(ctx)
	if s == nil {
		return nil
	}
	if err := a.SessionEnded(ctx); err != nil {
		return err
	}
	var err error
	if s.keyHash != nil {
		var active [][]byte
		if active, err = a.store.Clients.ActiveKeyHashes(ctx, [][]byte{s.keyHash}); err == nil && len(active) == 0 {
			err = errKeyRevoked
		}
	} else {
		_, _, err = a.jwt.principal(s.token)
	}
	if apperr.CodeOf(err) == apperr.Unauthenticated {
		s.end(err)
	}
	return err
}

func (ss *sessions) add(a *Authenticator, s *session) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.open[s] = struct{}{}
	if !ss.running {
		ss.running = true
		go ss.run(a)
	}
}

func (ss *sessions) remove(s *session) {
	ss.mu.Lock()
	delete(ss.open, s)
	ss.mu.Unlock()
}

// run re-checks the open sessions every interval and when woken, until
// there are none.
func (ss *sessions) run(a *Authenticator) {
	tick := time.NewTicker(ss.interval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
		case <-ss.wake:
		}
		ss.mu.Lock()
		if len(ss.open) == 0 {
			ss.running = false
			ss.mu.Unlock()
			return
		}
		open := make([]*session, 0, len(ss.open))
		for s := range ss.open {
			open = append(open, s)
		}
		ss.mu.Unlock()
		ss.recheck(a, open)
	}
}

// recheck ends the sessions whose credential no longer authenticates. The
// API keys are checked in one query; when it fails the sessions stay open
// until the next check (the streams read the same database).
func (ss *sessions) recheck(a *Authenticator, open []*session) {
	var hashes [][]byte
	for _, s := range open {
		if s.keyHash != nil {
			hashes = append(hashes, s.keyHash)
		} else if _, _, err := a.jwt.principal(s.token); err != nil {
			s.end(err)
		}
	}
	if len(hashes) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), ss.interval)
	defer cancel()
	active, err := a.store.Clients.ActiveKeyHashes(ctx, hashes)
	if err != nil {
		slog.Warn("could not re-check the API keys of open streams", "err", err, "streams", len(hashes))
		return
	}
	for _, s := range open {
		if s.keyHash != nil && !containsHash(active, s.keyHash) {
			s.end(errKeyRevoked)
			a.keys.empty() // a change the notification did not bring
		}
	}
}

func containsHash(hashes [][]byte, h []byte) bool {
	for _, x := range hashes {
		if bytes.Equal(x, h) {
			return true
		}
	}
	return false
}
