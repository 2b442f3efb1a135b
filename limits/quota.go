package limits

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"cprgraph/access"
	"cprgraph/apperr"
)

// LookupCounter counts a client's requests per day in shared storage
// (db.ClientStore.CountLookup): false when the day's count has reached
// quota.
type LookupCounter interface {
	CountLookup(ctx context.Context, clientID int64, day time.Time, quota int) (bool, error)
}

// Quota enforces the daily lookup quota of clients that have one (see
// access.QuotaDay): each request is counted before it runs; over the quota
// it answers 429 with Retry-After (seconds to the reset) and a
// QUOTA_EXCEEDED error whose extensions.resetAt is the reset instant. It
// runs after authentication. When the count cannot be read it answers 503:
// a quota that cannot be checked fails closed.
func Quota(counter LookupCounter, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := access.FromContext(r.Context())
		if p == nil || p.DailyQuota == nil || p.ClientID == 0 {
			next.ServeHTTP(w, r)
			return
		}
		now := time.Now()
		day, reset := access.QuotaDay(now)
		ok, err := counter.CountLookup(r.Context(), p.ClientID, day, *p.DailyQuota)
		if err != nil {
			slog.ErrorContext(r.Context(), "quota count failed", "err", err, "request_id", access.RecordFrom(r.Context()).RequestID)
			apperr.WriteHTTP(w, http.StatusServiceUnavailable, apperr.Errorf(apperr.Internal, "the quota could not be checked"))
			return
		}
		if !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(reset.Sub(now).Seconds()))))
			apperr.WriteHTTP(w, http.StatusTooManyRequests, access.ErrQuotaExceeded(*p.DailyQuota, reset))
			return
		}
		next.ServeHTTP(w, r)
	})
}
