package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"cprgraph/app"
	"cprgraph/auth"
)

// lookupAs runs the landlord lookup with the credential (API key or JWT).
func lookupAs(t *testing.T, env *testEnv, credential string, input map[string]any) gqlResponse {
	t.Helper()
	if _, ok := input["from"]; !ok {
		input["from"] = iso(monthsAgo(12))
	}
	return env.post(t, bearer(credential), map[string]any{"query": residentsGQL, "variables": map[string]any{"input": input}})
}

func TestJWTOwnersClaimNarrowsTheOrganisationsOwnerLinks(t *testing.T) {
	t.Parallel()
	secret := []byte("owners-secret-of-at-least-32-bytes!")
	env := newTestEnvWith(t, func(c *app.Config) { c.JWT = auth.JWTConfig{HS256Secret: secret} })
	seedLandlord(t, env) // the LANDLORD organisation is linked to ownerCVR and ownerCPR
	org, err := env.Store.Clients.OrganisationByName(context.Background(), "Test LANDLORD")
	if err != nil {
		t.Fatal(err)
	}
	token := func(owners []string) string {
		c := jwt.MapClaims{"sub": "landlord-portal", "org": org.ID, "profile": "LANDLORD", "exp": time.Now().Add(time.Hour).Unix()}
		if owners != nil {
			c["owners"] = owners
		}
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	cvrOwner := func() map[string]any { return map[string]any{"owner": ownerCVR, "darHouseNumberId": testvej1} }
	cprOwner := func() map[string]any { return map[string]any{"owner": ownerCPR, "darAddressId": testvej7Addr} }
	unlinked := func() map[string]any { return map[string]any{"owner": unlinkedCVR, "darAddressId": testvej5Addr} }

	narrowed := token([]string{ownerCVR})
	if r := lookupAs(t, env, narrowed, cvrOwner()); len(r.Errors) > 0 {
		t.Errorf("owners [A], lookup for A: %s", r.Raw)
	}
	if r := lookupAs(t, env, narrowed, cprOwner()); r.code() != "OWNER_NOT_LINKED" {
		t.Errorf("owners [A] of an organisation linked to A and B, lookup for B: want OWNER_NOT_LINKED, got %s", r.Raw)
	}
	// The claim never widens: an owner not linked to the organisation stays refused.
	if r := lookupAs(t, env, token([]string{ownerCVR, unlinkedCVR}), unlinked()); r.code() != "OWNER_NOT_LINKED" {
		t.Errorf("owners claim naming an unlinked owner: want OWNER_NOT_LINKED, got %s", r.Raw)
	}
	// An empty claim is no owner at all, not every owner.
	if r := lookupAs(t, env, token([]string{}), cvrOwner()); r.code() != "OWNER_NOT_LINKED" {
		t.Errorf("owners []: want OWNER_NOT_LINKED, got %s", r.Raw)
	}
	// Without the claim, every linked owner.
	for _, in := range []map[string]any{cvrOwner(), cprOwner()} {
		if r := lookupAs(t, env, token(nil), in); len(r.Errors) > 0 {
			t.Errorf("no owners claim, lookup for a linked owner: %s", r.Raw)
		}
	}
}

func TestOwnerUnlinkHoldsAtOnceWithAReadReplica(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	env := newTestEnv(t)
	seedLandlord(t, env)
	_, replicaURL := landlordReplica(t) // a replica that has not yet seen the unlink
	withReplica := env.withReplica(t, replicaURL)

	input := func() map[string]any { return map[string]any{"owner": ownerCVR, "darHouseNumberId": testvej1} }
	if _, r := lookup(t, withReplica, input()); len(r.Errors) > 0 {
		t.Fatalf("before the unlink: %s", r.Raw)
	}
	org, err := env.Store.Clients.OrganisationByName(ctx, "Test LANDLORD")
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Store.Clients.RemoveOwnerLink(ctx, org.ID, ownerCVR); err != nil {
		t.Fatal(err)
	}
	if _, r := lookup(t, withReplica, input()); r.code() != "OWNER_NOT_LINKED" {
		t.Errorf("after the unlink on the primary (replica behind): want OWNER_NOT_LINKED, got %d %s", r.Status, r.Raw)
	}
}
