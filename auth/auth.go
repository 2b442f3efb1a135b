// Package auth authenticates HTTP requests: it turns an API key or a bearer
// JWT into an access.Principal in the request context and nothing more — the
// access package decides what the principal may do.
package auth

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/breaker"
	"cprgraph/db"
)

// apiKeyPrefix starts every API key (db.NewAPIKey); any other bearer
// credential is taken for a JWT.
const apiKeyPrefix = "cpr_"

// Authenticator resolves the credentials of a request.
type Authenticator struct {
	store *db.Store
	jwt   *jwtVerifier // nil: JWTs are not accepted
	// allowAnonymous lets a request without credentials through when its
	// document only asks for public root fields (see publicRequest).
	allowAnonymous bool
	sessions       sessions // the open streams' credentials
	keys           keyCache // the clients of recently seen API keys
}

// New returns an Authenticator looking API keys up in store and checking
// JWTs against jwtConfig (none accepted when it has no key). With
// allowAnonymousIntrospection, a request without credentials that only
// selects __typename, __schema, __type or version is let through.
func New(store *db.Store, jwtConfig JWTConfig, allowAnonymousIntrospection bool) *Authenticator {
	a := &Authenticator{store: store, allowAnonymous: allowAnonymousIntrospection, sessions: sessions{
		interval: DefaultRecheckInterval,
		wake:     make(chan struct{}, 1),
		open:     map[*session]struct{}{},
	}}
	if jwtConfig.Enabled() {
		a.jwt = newJWTVerifier(jwtConfig)
	}
	return a
}

// Middleware authenticates the request and puts its principal and a fresh
// access.Record into the context. Wrong credentials get 401 with a
// GraphQL-shaped UNAUTHENTICATED error, and so does a request without
// credentials unless it only asks for public fields or opens a websocket
// (which authenticates in its init message, see WebsocketInit). A stream
// (websocket, server-sent events) gets a session: its context ends when its
// credential no longer authenticates (see session).
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requestID := r.Header.Get("X-Request-Id")
		if requestID == "" || len(requestID) > 64 {
			requestID = newRequestID()
		}
		w.Header().Set("X-Request-Id", requestID)
		ctx, _ := access.WithRecord(r.Context(), requestID)
		stream := isStream(r)
		if stream {
			ctx = withSlot(ctx)
		}

		switch cred := credential(r); {
		case cred != "":
			p, err := a.authenticate(ctx, cred)
			if err != nil {
				writeAuthError(w, r, err)
				return
			}
			p.Purpose = access.CleanPurpose(r.Header.Get("X-Purpose"))
			ctx = access.NewContext(ctx, p)
			if stream {
				ctx = a.openSession(ctx, cred)
			}
		case isWebsocket(r) || r.Method == http.MethodOptions:
		case !a.allowAnonymous || !publicRequest(r):
			w.Header().Set("WWW-Authenticate", `Bearer realm="cprgraph"`)
			apperr.WriteHTTP(w, http.StatusUnauthorized, apperr.Errorf(apperr.Unauthenticated,
				"authentication required: send an API key as `Authorization: Bearer <key>` or `X-API-Key`, or a bearer JWT"))
			return
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// WebsocketInit authenticates a websocket whose upgrade request carried no
// credentials from its connection_init payload ("Authorization": "Bearer
// <key or JWT>", or "X-API-Key"). A connection without any stays anonymous,
// and every operation on it is refused by access.Authorize.
func (a *Authenticator) WebsocketInit(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
	if access.FromContext(ctx) != nil {
		return ctx, nil, nil
	}
	cred := payload.GetString("X-API-Key")
	if cred == "" {
		cred = bearer(payload.Authorization())
	}
	if cred == "" {
		return ctx, nil, nil
	}
	p, err := a.authenticate(ctx, cred)
	if err != nil {
		return ctx, nil, err
	}
	p.Purpose = access.CleanPurpose(payload.GetString("X-Purpose"))
	return a.openSession(access.NewContext(ctx, p), cred), nil, nil
}

// authenticate returns the principal of an API key or a JWT:
// UNAUTHENTICATED for a wrong one, INTERNAL when the database fails.
func (a *Authenticator) authenticate(ctx context.Context, cred string) (*access.Principal, error) {
	if a.isAPIKey(cred) {
		return a.apiKeyPrincipal(ctx, cred)
	}
	p, claims, err := a.jwt.principal(cred)
	if err != nil {
		return nil, err
	}
	if p.Profile == access.Landlord && claims.Owners != nil {
		p.OwnerClaim = claims.Owners
	}
	return p, nil
}

// isAPIKey reports whether cred is taken for an API key rather than a JWT.
func (a *Authenticator) isAPIKey(cred string) bool {
	return strings.HasPrefix(cred, apiKeyPrefix) || a.jwt == nil
}

func (a *Authenticator) apiKeyPrincipal(ctx context.Context, key string) (*access.Principal, error) {
	client, err := a.keys.client(ctx, db.HashAPIKey(key), func(ctx context.Context) (db.Client, error) {
		return a.store.Clients.ClientByKey(ctx, key)
	})
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, apperr.Errorf(apperr.Unauthenticated, "unknown or revoked API key")
	}
	if err != nil {
		return nil, err
	}
	p := &access.Principal{
		ClientID:       client.ID,
		ClientName:     client.Name,
		OrganisationID: client.OrganisationID,
		Profile:        access.Profile(client.Profile),
		Scopes:         client.Scopes,
		DailyQuota:     client.DailyQuota,
		Purposes:       client.Purposes,
	}
	return p, nil
}

// credential returns the credential of `X-API-Key` or `Authorization: Bearer`.
func credential(r *http.Request) string {
	if k := r.Header.Get("X-API-Key"); k != "" {
		return strings.TrimSpace(k)
	}
	return bearer(r.Header.Get("Authorization"))
}

func bearer(header string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

func isWebsocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// newRequestID returns 24 random lower-case letters (112 bits): no run of
// digits, so no request id looks like a CPR number in the logs.
func newRequestID() string {
	b := make([]byte, 24)
	rand.Read(b)
	for i := range b {
		b[i] = 'a' + b[i]%26
	}
	return string(b)
}

// writeAuthError answers a failed authentication: 401 for wrong
// credentials, 503 UNAVAILABLE with Retry-After during a database outage
// (logged once by the breaker), 503 (logged) when they could not be checked
// otherwise.
func writeAuthError(w http.ResponseWriter, r *http.Request, err error) {
	if breaker.Observe(r.Context(), err) {
		breaker.WriteUnavailable(w)
		return
	}
	if apperr.CodeOf(err) == apperr.Unauthenticated {
		w.Header().Set("WWW-Authenticate", `Bearer realm="cprgraph", error="invalid_token"`)
		apperr.WriteHTTP(w, http.StatusUnauthorized, &apperr.Error{Code: apperr.Unauthenticated, Message: apperr.MessageOf(err)})
		return
	}
	slog.ErrorContext(r.Context(), "authentication failed", "err", err, "request_id", w.Header().Get("X-Request-Id"))
	apperr.WriteHTTP(w, http.StatusServiceUnavailable, apperr.Errorf(apperr.Internal, "authentication unavailable"))
}
