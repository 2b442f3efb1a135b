// Package webhook delivers the feeds of webhook subscriptions (resident
// moves, change events) by signed HTTP POSTs from a database-backed queue.
//
// Each POST carries three headers:
//
//	X-Cprgraph-Delivery:  the delivery's id (the same on every retry: deduplicate by it)
//	X-Cprgraph-Timestamp: the Unix time of this attempt, in seconds
//	X-Cprgraph-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>
//
// A receiver recomputes the signature with the subscription's secret and
// refuses a timestamp older than a few minutes (Verify), so a captured
// request cannot be replayed later.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"cprgraph/apperr"
)

// The headers of a delivery.
const (
	HeaderDelivery  = "X-Cprgraph-Delivery"
	HeaderTimestamp = "X-Cprgraph-Timestamp"
	HeaderSignature = "X-Cprgraph-Signature"
)

// Sign returns the X-Cprgraph-Signature value of body sent at ts.
func Sign(secret string, ts time.Time, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(strconv.FormatInt(ts.Unix(), 10) + "."))
	mac.Write(body)
	return "v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify checks a delivery as a receiver should: the signature over the
// timestamp and body, and a timestamp within tolerance of now.
func Verify(secret, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	sec, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return errors.New("webhook: malformed timestamp")
	}
	ts := time.Unix(sec, 0)
	if d := now.Sub(ts); d > tolerance || d < -tolerance {
		return errors.New("webhook: timestamp outside the tolerance (replay?)")
	}
	if !hmac.Equal([]byte(Sign(secret, ts, body)), []byte(signature)) {
		return errors.New("webhook: bad signature")
	}
	return nil
}

// CheckURL accepts a receiver URL: https, or http on a loopback address
// (a receiver on the same host). Anything else is BAD_USER_INPUT.
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return apperr.Errorf(apperr.BadUserInput, "the webhook url is not an absolute URL")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); (ip != nil && ip.IsLoopback()) || strings.EqualFold(host, "localhost") {
			return nil
		}
	}
	return apperr.Errorf(apperr.BadUserInput, "the webhook url must be https, or http on a loopback address")
}
