package e2e

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"cprgraph/access"
	"cprgraph/cli"
)

// TestRestrictedClientMustStateARegisteredPurpose: after `admin
// client-purposes` a client's request over HTTP reads data only when its
// X-Purpose is one of the registered purposes (compared as the audit log
// keeps a purpose); any other purpose, or none, is refused with
// PURPOSE_NOT_REGISTERED before anything is read (no data, no audit row).
// Other clients are not restricted, and `-purpose none` lifts the
// restriction.
func TestRestrictedClientMustStateARegisteredPurpose(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	ctx := context.Background()
	person{CPR: "0101801234", First: "Anne", Last: "Formålsen"}.insert(t, env)
	_, key := env.newClient(t, access.Authority, "restricted")
	admin := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := cli.Admin(ctx, env.Store, args, &out); err != nil {
			t.Fatalf("admin %v: %v\n%s", args, err, out.String())
		}
		return out.String()
	}
	org := "Test " + string(access.Authority)
	if out := admin("client-purposes", "-org", org, "-name", "restricted", "-purpose", "Sagsbehandling", "-purpose", "Kontrol af  ydelser"); !strings.Contains(out, `"Sagsbehandling", "Kontrol af ydelser"`) {
		t.Fatalf("client-purposes: %s", out)
	}
	if out := admin("list"); !strings.Contains(out, `"Sagsbehandling", "Kontrol af ydelser"`) {
		t.Errorf("admin list does not show the purposes:\n%s", out)
	}

	const q = `{ person(cpr: "0101801234") { lastName } }`
	asked := 0
	ask := func(purpose string) (gqlResponse, string) {
		t.Helper()
		asked++
		id := fmt.Sprintf("purpose-request-%c", 'a'+asked)
		h := map[string]string{"Authorization": "Bearer " + key, "X-Request-Id": id}
		if purpose != "" {
			h["X-Purpose"] = purpose
		}
		return env.queryAs(t, h, q), id
	}
	for _, purpose := range []string{"Sagsbehandling", "  Kontrol af\tydelser "} {
		r, id := ask(purpose)
		if len(r.Errors) > 0 || !strings.Contains(r.Raw, "Formålsen") {
			t.Errorf("registered purpose %q: %s", purpose, r.Raw)
		}
		if _, audited := env.auditRow(t, id); !audited {
			t.Errorf("registered purpose %q: no audit row", purpose)
		}
	}
	for _, purpose := range []string{"Markedsføring", "sagsbehandling", ""} {
		r, id := ask(purpose)
		if r.code() != "PURPOSE_NOT_REGISTERED" || strings.Contains(r.Raw, "Formålsen") {
			t.Errorf("purpose %q: want PURPOSE_NOT_REGISTERED and no data, got %s", purpose, r.Raw)
		}
		if _, audited := env.auditRow(t, id); audited {
			t.Errorf("purpose %q was refused but has an audit row: something was read", purpose)
		}
	}
	if r := env.queryAs(t, map[string]string{"Authorization": "Bearer " + env.Keys[access.Authority], "X-Purpose": "Markedsføring"}, q); len(r.Errors) > 0 {
		t.Errorf("a client without registered purposes: %s", r.Raw)
	}

	// The CLI is another process (see untilCacheSees).
	admin("client-purposes", "-org", org, "-name", "restricted", "-purpose", "none")
	untilCacheSees(t, time.Now(), time.Second, func() (bool, string) {
		r, _ := ask("Markedsføring")
		return len(r.Errors) == 0 && strings.Contains(r.Raw, "Formålsen"), "after -purpose none: " + r.Raw
	})
}
