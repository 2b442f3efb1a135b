// Package breaker fails requests fast while the database is down: the
// first request that meets a database outage opens the circuit, later
// requests are refused at once with 503 UNAVAILABLE and Retry-After
// instead of queueing for connections, and a probe closes the circuit by
// itself when the database answers again. The outage is logged twice: one
// line when it starts, one when it ends, with its length and the number of
// requests refused.
package breaker

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"cprgraph/apperr"
	"cprgraph/db"
)

// RetryAfter is the Retry-After of a refused request: the database is
// probed more often than this, so a client retrying then finds it back
// when it is.
const RetryAfter = time.Second

// probeEvery is how often an open circuit probes the database.
const probeEvery = 200 * time.Millisecond

// Breaker is the circuit of one database. Its zero value is not usable;
// use New.
type Breaker struct {
	probe func(context.Context) error

	mu       sync.Mutex
	open     bool
	openedAt time.Time
	refused  atomic.Int64
	isOpen   atomic.Bool
}

// New returns a closed breaker whose probe (a ping of the database)
// decides when an outage ends.
func New(probe func(context.Context) error) *Breaker {
	return &Breaker{probe: probe}
}

type ctxKey struct{}

// Middleware refuses requests while the circuit is open and puts the
// breaker into the request context for Observe.
func (b *Breaker) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if b.isOpen.Load() {
			b.refused.Add(1)
			WriteUnavailable(w)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, b)))
	})
}

// Open reports whether the circuit is open (the database is taken to be
// down).
func (b *Breaker) Open() bool { return b.isOpen.Load() }

// Observe reports whether err is a database outage (db.Unavailable); when
// it is, it counts the request as refused and opens the circuit of the
// request's breaker, if any.
func Observe(ctx context.Context, err error) bool {
	if !db.Unavailable(err) {
		return false
	}
	if b, _ := ctx.Value(ctxKey{}).(*Breaker); b != nil {
		b.refused.Add(1)
		b.trip(err)
	}
	return true
}

// ErrUnavailable is the error shown to a client during an outage.
var ErrUnavailable = &apperr.Error{Code: apperr.Unavailable, Message: "the database is unavailable: retry later"}

// WriteUnavailable answers 503 UNAVAILABLE with Retry-After.
func WriteUnavailable(w http.ResponseWriter) {
	w.Header().Set("Retry-After", strconv.Itoa(int(RetryAfter/time.Second)))
	apperr.WriteHTTP(w, http.StatusServiceUnavailable, ErrUnavailable)
}

func (b *Breaker) trip(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.open {
		return
	}
	b.open, b.openedAt = true, time.Now()
	b.isOpen.Store(true)
	slog.Error("database outage: refusing requests with 503 UNAVAILABLE until the database answers", "err", err)
	go b.probeUntilBack()
}

func (b *Breaker) probeUntilBack() {
	t := time.NewTicker(probeEvery)
	defer t.Stop()
	for range t.C {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := b.probe(ctx)
		cancel()
		if err == nil {
			break
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.open = false
	b.isOpen.Store(false)
	slog.Warn("database outage ended", "outage_ms", time.Since(b.openedAt).Milliseconds(), "refused", b.refused.Swap(0))
}
