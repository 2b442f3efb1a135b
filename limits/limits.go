// Package limits guards the GraphQL endpoint before GraphQL runs: a request
// body size limit and a per-client rate limit, both answering with a
// GraphQL-shaped error.
package limits

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"cprgraph/access"
	"cprgraph/apperr"
)

// Body refuses a request body larger than max bytes with 413 and a
// PAYLOAD_TOO_LARGE error; the body it passes on is already read, so a
// handler reading it cannot be slowed down by a trickling client.
func Body(max int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			tooLarge(w, max)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			tooLarge(w, max)
			return
		case err != nil:
			apperr.WriteHTTP(w, http.StatusBadRequest, apperr.Errorf(apperr.BadUserInput, "could not read the request body"))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

func tooLarge(w http.ResponseWriter, max int64) {
	apperr.WriteHTTP(w, http.StatusRequestEntityTooLarge,
		apperr.Errorf(apperr.TooLarge, "the request body exceeds the limit of %d bytes", max))
}

// RateLimiter is a token bucket per client: per organisation and client name
// for an authenticated request, per remote IP address for an anonymous one.
type RateLimiter struct {
	// OnReject, when set, is called for every request refused (metrics).
	OnReject func()

	rps   rate.Limit
	burst int

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	limiter  *rate.Limiter
	lastSeen time.Time
}

// idleAfter is how long an unused bucket is kept; a returning client then
// starts with a full bucket, which is what it would have by then anyway.
const idleAfter = 10 * time.Minute

// NewRateLimiter allows each client rps requests per second on average
// and burst at once.
func NewRateLimiter(rps float64, burst int) *RateLimiter {
	return &RateLimiter{rps: rate.Limit(rps), burst: burst, buckets: map[string]*bucket{}, lastSweep: time.Now()}
}

// Middleware answers a client over its limit with 429, Retry-After and a
// RATE_LIMITED error. It runs after authentication, which put the principal
// into the context.
func (l *RateLimiter) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if wait, ok := l.allow(clientKey(r), time.Now()); !ok {
			if l.OnReject != nil {
				l.OnReject()
			}
			seconds := int(math.Ceil(wait.Seconds()))
			w.Header().Set("Retry-After", strconv.Itoa(seconds))
			apperr.WriteHTTP(w, http.StatusTooManyRequests, apperr.Errorf(apperr.RateLimited,
				"rate limit of %g requests per second exceeded: retry in %d s", float64(l.rps), seconds))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// allow takes a token from key's bucket, or says how long until one is free.
func (l *RateLimiter) allow(key string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > idleAfter {
		for k, b := range l.buckets {
			if now.Sub(b.lastSeen) > idleAfter {
				delete(l.buckets, k)
			}
		}
		l.lastSweep = now
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{limiter: rate.NewLimiter(l.rps, l.burst)}
		l.buckets[key] = b
	}
	b.lastSeen = now
	res := b.limiter.ReserveN(now, 1)
	if delay := res.DelayFrom(now); delay > 0 || !res.OK() {
		res.CancelAt(now)
		if !res.OK() {
			delay = time.Second
		}
		return delay, false
	}
	return 0, true
}

func clientKey(r *http.Request) string {
	if p := access.FromContext(r.Context()); p != nil {
		return fmt.Sprintf("client:%d/%s", p.OrganisationID, p.ClientName)
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "ip:" + host
}
