// Package auth authenticates HTTP requests: it turns an API key into an
// access.Principal in the request context and nothing more — the access
// package decides what the principal may do.
package auth

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/db"
)

// Authenticator resolves the credentials of a request.
type Authenticator struct {
	Store *db.Store
}

// Middleware authenticates the request and puts its principal (nil for an
// anonymous request) and a fresh access.Record into the context. Wrong
// credentials get 401 with a GraphQL-shaped error.
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requestID := r.Header.Get("X-Request-Id")
		if requestID == "" || len(requestID) > 64 {
			requestID = newRequestID()
		}
		w.Header().Set("X-Request-Id", requestID)
		ctx, _ := access.WithRecord(r.Context(), requestID)

		if key := apiKey(r); key != "" {
			client, err := a.Store.ClientByKey(ctx, key)
			if err != nil {
				if apperr.CodeOf(err) == apperr.NotFound {
					writeError(w, http.StatusUnauthorized, apperr.Errorf(apperr.Unauthenticated, "unknown or revoked API key"))
				} else {
					writeError(w, http.StatusServiceUnavailable, apperr.Errorf(apperr.Internal, "authentication unavailable"))
				}
				return
			}
			ctx = access.NewContext(ctx, &access.Principal{
				ClientID:       client.ID,
				ClientName:     client.Name,
				OrganisationID: client.OrganisationID,
				Profile:        access.Profile(client.Profile),
				Scopes:         client.Scopes,
				Purpose:        purpose(r),
			})
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// apiKey returns the key of `Authorization: Bearer <key>` or `X-API-Key`.
func apiKey(r *http.Request) string {
	if k := r.Header.Get("X-API-Key"); k != "" {
		return k
	}
	if k, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(k)
	}
	return ""
}

// purpose is the caller's stated purpose (X-Purpose), cut to the audit
// log's column size.
func purpose(r *http.Request) string {
	p := r.Header.Get("X-Purpose")
	if len(p) > 200 {
		p = p[:200]
	}
	return p
}

func newRequestID() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// writeError writes a GraphQL-over-HTTP error response.
func writeError(w http.ResponseWriter, status int, err *apperr.Error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": err.Message, "extensions": map[string]any{"code": err.Code}}},
	})
}
