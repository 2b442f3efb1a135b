package auth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/golang-jwt/jwt/v5"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/db"
	"cprgraph/db/dbtest"
)

// principalOf runs the middleware on a request with the given header and
// returns the principal it put into the context and the HTTP status.
func principalOf(t *testing.T, a *Authenticator, header, value string) (*access.Principal, int) {
	t.Helper()
	var got *access.Principal
	h := a.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = access.FromContext(r.Context())
	}))
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	req.Header.Set(header, value)
	req.Header.Set("X-Purpose", "  tenancy check  ")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return got, rec.Code
}

func TestLandlordOwnerNumbers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := db.NewStore(dbtest.New(t))
	org, err := store.Clients.CreateOrganisation(ctx, "Udlejer", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, owner := range []string{"12345678", "0101801234"} {
		if err := store.Clients.AddOwnerLink(ctx, org.ID, owner); err != nil {
			t.Fatal(err)
		}
	}
	_, key, err := store.Clients.CreateClient(ctx, org.ID, "web", "LANDLORD", []string{"landlord"})
	if err != nil {
		t.Fatal(err)
	}
	secret := []byte("0123456789abcdef0123456789abcdef")
	a := New(store, JWTConfig{HS256Secret: secret}, true)
	sign := func(c jwt.MapClaims) string {
		s, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
		return s
	}
	exp := time.Now().Add(time.Minute).Unix()

	links, err := store.Clients.OwnerNumbers(ctx, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	p, status := principalOf(t, a, "X-API-Key", key)
	if status != http.StatusOK || p == nil || !slices.Equal(p.OwnerNumbers(links), []string{"0101801234", "12345678"}) || p.Purpose != "tenancy check" {
		t.Errorf("API key: %d %+v", status, p)
	}
	if p.RepresentsOwner("12345678", links) != nil || apperr.CodeOf(p.RepresentsOwner("99999999", links)) != apperr.OwnerNotLinked {
		t.Errorf("RepresentsOwner: %+v", p.OwnerNumbers(links))
	}
	p, _ = principalOf(t, a, "Authorization", "Bearer "+sign(jwt.MapClaims{"sub": "x", "org": org.ID, "profile": "LANDLORD", "exp": exp}))
	if p == nil || !slices.Equal(p.OwnerNumbers(links), []string{"0101801234", "12345678"}) || !p.May(access.OpLandlord) {
		t.Errorf("JWT without owners claim: %+v", p)
	}
	// The owners claim narrows the organisation's links; it never adds one.
	p, _ = principalOf(t, a, "Authorization", "Bearer "+sign(jwt.MapClaims{"sub": "x", "org": org.ID, "profile": "LANDLORD", "exp": exp, "owners": []string{"12345678", "11112222"}}))
	if p == nil || !slices.Equal(p.OwnerNumbers(links), []string{"12345678"}) {
		t.Errorf("JWT with owners claim: %+v", p)
	}
	// A JWT in X-API-Key is not an API key.
	if _, status := principalOf(t, a, "X-API-Key", "cpr_unknown"); status != http.StatusUnauthorized {
		t.Errorf("unknown key: %d", status)
	}

	// A websocket authenticates in its init message.
	ctx, _, err = a.WebsocketInit(context.Background(), transport.InitPayload{"Authorization": "Bearer " + key})
	if p := access.FromContext(ctx); err != nil || p == nil || p.Profile != access.Landlord {
		t.Errorf("websocket init: %v %+v", err, p)
	}
	if _, _, err := a.WebsocketInit(context.Background(), transport.InitPayload{"X-API-Key": "cpr_wrong"}); err == nil {
		t.Error("websocket init with a wrong key succeeded")
	}
}
