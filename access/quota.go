package access

import (
	"time"

	"cprgraph/apperr"
	"cprgraph/cpr"
)

// The daily lookup quota: an API client with a DailyQuota may make that
// many GraphQL requests per Danish calendar day, whatever they read (a
// request reads at most PersonBudget persons, so the quota bounds a day's
// reads at DailyQuota × PersonBudget persons). Requests are counted in the
// database per client and day before they run, so the quota holds across
// server instances; a refused request is not counted. Over the quota:
// QUOTA_EXCEEDED, HTTP 429, with the reset instant (the next Danish
// midnight).

// QuotaDay returns the Danish calendar day the instant now counts on, and
// the instant the day's quota resets.
func QuotaDay(now time.Time) (day, reset time.Time) {
	day = cpr.DanishDate(now)
	return day, cpr.DanishMidnightAfter(now)
}

// ErrQuotaExceeded is the refusal of a request over the principal's daily
// quota: QUOTA_EXCEEDED with the reset instant in extensions.resetAt.
func ErrQuotaExceeded(quota int, reset time.Time) *apperr.Error {
	e := apperr.Errorf(apperr.QuotaExceeded,
		"the daily quota of %d requests of this client is used up; it resets at %s", quota, reset.UTC().Format(time.RFC3339))
	e.Extensions = map[string]any{"resetAt": reset.UTC().Format(time.RFC3339), "quota": quota}
	return e
}
