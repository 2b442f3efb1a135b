package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"cprgraph/access"
	"cprgraph/apperr"
)

// public marks a root field anyone may call, without credentials too.
const public access.Operation = ""

// self marks a root field every profile may call about itself, and no one
// without credentials.
const self access.Operation = "self"

// rootOperations maps every root field to the one operation (scope) it is
// authorized as. A root field missing here fails TestEveryRootFieldAuthorizedAsDesigned:
// add a line when you add a root field.
var rootOperations = map[string]access.Operation{
	"Query.version":       public,
	"Query.person":        access.OpPerson,
	"Query.organisations": access.OpAdmin,
	"Query.auditLog":      access.OpAudit,
	"Query.residents":     access.OpLandlord,
	"Query.streets":       access.OpLandlord,
	"Query.viewer":        self,
	"Query.myLookups":     access.OpMyLookups,
	"Query.personEvents":  access.OpEvents,
	"Query.cohabitation":  access.OpCohabitation,

	"Query.persons":            access.OpPerson,
	"Query.searchPersons":      access.OpSearch,
	"Query.personsByBirthDate": access.OpSearch,
	"Query.addressHistory":     access.OpAddressHistory,
	"Query.sharedAddress":      access.OpAddressHistory,
	"Query.household":          access.OpHousehold,

	"Mutation.createOrganisation":  access.OpAdmin,
	"Mutation.createClient":        access.OpAdmin,
	"Mutation.revokeClient":        access.OpAdmin,
	"Mutation.setClientDailyQuota": access.OpAdmin,
	"Mutation.rotateClientKey":     access.OpAdmin,
	"Mutation.addOwnerLink":        access.OpAdmin,
	"Mutation.removeOwnerLink":     access.OpAdmin,

	"Query.landlordUsage":                 access.OpAdmin,
	"Query.webhookDeliveries":             access.OpAdmin,
	"Mutation.createResidentMovesWebhook": access.OpLandlord,
	"Mutation.createPersonEventsWebhook":  access.OpEvents,
}

// expectedAllowed is DESIGN.md's "who sees what" as operations per profile.
var expectedAllowed = map[access.Profile][]access.Operation{
	access.Authority: {access.OpPerson, access.OpSearch, access.OpAddressHistory, access.OpHousehold, access.OpEvents, access.OpCohabitation, access.OpAudit},
	access.Private:   {access.OpPerson, access.OpSearch, access.OpAddressHistory, access.OpHousehold, access.OpEvents, access.OpCohabitation},
	access.Landlord:  {access.OpLandlord},
	access.Admin:     {access.OpAdmin, access.OpAudit},
	access.Citizen:   {access.OpMyLookups},
}

// TestPolicyCeilingMatchesDesign keeps the policy's profile ceilings equal
// to the matrix this file expects.
func TestPolicyCeilingMatchesDesign(t *testing.T) {
	t.Parallel()
	for _, profile := range access.Profiles {
		p := &access.Principal{Profile: profile, Scopes: access.DefaultScopes(profile)}
		for _, op := range access.Operations {
			if want := slices.Contains(expectedAllowed[profile], op); p.May(op) != want {
				t.Errorf("%s may %s: policy says %v, design says %v", profile, op, p.May(op), want)
			}
		}
	}
}

// TestEveryRootFieldAuthorizedAsDesigned calls every root field of the live schema as
// every profile, as a client of that profile lacking the field's scope, and
// without credentials: allowed, or a FORBIDDEN error (401 UNAUTHENTICATED
// without credentials) and no data.
func TestEveryRootFieldAuthorizedAsDesigned(t *testing.T) {
	t.Parallel()
	env := leakTestEnv(t)
	fx := seedLeakFixture(t, env)
	schema := introspect(t, env)
	lacking := clientsLackingOneScope(t, env)

	for _, root := range schema.rootFields() {
		op, ok := rootOperations[root.String()]
		if !ok {
			t.Errorf("%s maps to no operation: add it to rootOperations in e2e/matrix_test.go", root)
			continue
		}
		lists, err := argLists(root.Root, root.Field)
		if err != nil {
			t.Error(err)
			continue
		}
		doc, _ := schema.operation(root, fx.expand(lists[0]), 1, 1)

		for _, profile := range access.Profiles {
			r := env.query(t, profile, doc, nil)
			allowed := op == public || op == self || slices.Contains(expectedAllowed[profile], op)
			checkOutcome(t, fmt.Sprintf("%s as %s", root, profile), r, allowed, apperr.Forbidden)
		}
		if op != public && op != self {
			for profile, key := range lacking[op] {
				r := env.queryAs(t, bearer(key), doc)
				checkOutcome(t, fmt.Sprintf("%s as %s client without scope %s", root, profile, op), r, false, apperr.Forbidden)
			}
		}
		r := env.query(t, "", doc, nil)
		if op == public {
			checkOutcome(t, fmt.Sprintf("%s anonymously", root), r, true, "")
		} else {
			checkOutcome(t, fmt.Sprintf("%s anonymously", root), r, false, apperr.Unauthenticated)
			if r.Status != http.StatusUnauthorized {
				t.Errorf("%s anonymously: HTTP %d, want 401", root, r.Status)
			}
		}
	}
}

// checkOutcome checks that r answered without errors (allowed) or with
// exactly the error code want and no data (null, or null root fields). An
// allowed call may also be WITHHELD: it passed authorization, and a
// protected person takes part.
func checkOutcome(t *testing.T, what string, r gqlResponse, allowed bool, want apperr.Code) {
	t.Helper()
	switch {
	case allowed && len(r.Errors) > 0 && r.code() != string(apperr.Withheld):
		t.Errorf("%s: want allowed, got %s", what, r.Raw)
	case !allowed && (r.code() != string(want) || len(r.Errors) != 1):
		t.Errorf("%s: want one %s error, got %s", what, want, r.Raw)
	case !allowed && hasData(r.Data):
		t.Errorf("%s: %s with data %s", what, want, r.Data)
	}
}

func hasData(data json.RawMessage) bool {
	var fields map[string]any
	json.Unmarshal(data, &fields)
	for _, v := range fields {
		if v != nil {
			return true
		}
	}
	return false
}

// clientsLackingOneScope creates, for every operation and every profile
// allowed it, a client of that profile holding every scope of the profile
// but that one, and returns their keys by operation and profile.
func clientsLackingOneScope(t *testing.T, env *testEnv) map[access.Operation]map[access.Profile]string {
	t.Helper()
	ctx := context.Background()
	out := map[access.Operation]map[access.Profile]string{}
	for _, profile := range access.Profiles {
		org, err := env.Store.Clients.OrganisationByName(ctx, "Test "+string(profile))
		if err != nil {
			t.Fatal(err)
		}
		all := access.DefaultScopes(profile)
		for _, scope := range all {
			op := access.Operation(scope)
			rest := slices.DeleteFunc(slices.Clone(all), func(s string) bool { return s == scope })
			_, key, err := env.Store.Clients.CreateClient(ctx, org.ID, "without "+scope, string(profile), rest)
			if err != nil {
				t.Fatal(err)
			}
			if out[op] == nil {
				out[op] = map[access.Profile]string{}
			}
			out[op][profile] = key
		}
	}
	return out
}

// TestEveryPersonFieldAuthorizedPerScope reads every field of the live
// schema's Person under every root that returns persons, as a client that
// holds only that root's scope: an identity field is allowed, a field that
// needs another operation's scope is FORBIDDEN (access.PersonFieldScope).
// A Person field added without an access rule fails here.
func TestEveryPersonFieldAuthorizedPerScope(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedPrivacy(t, env)
	schema := introspect(t, env)
	roots := map[access.Operation]string{
		access.OpPerson:         `{ person(cpr: "` + privV + `") { %s } }`,
		access.OpSearch:         `{ personsByBirthDate(from: "1980-12-12") { edges { node { %s } } } }`,
		access.OpHousehold:      `{ household(cpr: "` + privV + `") { members { person { %s } } } }`,
		access.OpAddressHistory: `{ sharedAddress(cprA: "` + privV + `", cprB: "` + privK + `") { personA { %s } } }`,
	}
	for op, root := range roots {
		key := scopedClient(t, env, string(op))
		for _, f := range schema.byName["Person"].Fields {
			need, ok := access.PersonFieldScope(f.Name)
			if !ok {
				t.Errorf("Person.%s has no access rule: add it to access/fields.go", f.Name)
				continue
			}
			selection := f.Name
			if typ := schema.byName[f.Type.named()]; typ != nil && len(typ.Fields) > 0 {
				selection += " { __typename }"
			}
			r := env.queryAs(t, bearer(key), fmt.Sprintf(root, selection))
			what := fmt.Sprintf("Person.%s under a %s-only client", f.Name, op)
			switch allowed := need == "" || need == op; {
			case allowed && len(r.Errors) > 0:
				t.Errorf("%s: want allowed, got %s", what, r.Raw)
			case !allowed && (r.code() != string(apperr.Forbidden) || !strings.Contains(r.Raw, `"`+f.Name+`":null`)):
				t.Errorf("%s: want FORBIDDEN and null, got %s", what, r.Raw)
			}
		}
	}
}
