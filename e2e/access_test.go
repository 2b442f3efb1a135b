package e2e

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"cprgraph/access"
	"cprgraph/app"
	"cprgraph/auth"
	"cprgraph/cli"
	"cprgraph/db"
)

// seedProtected inserts a person with an active name-and-address protection.
func seedProtected(t *testing.T, env *testEnv, cpr, lastName string) {
	t.Helper()
	person{CPR: cpr, First: "Skjult", Last: lastName}.insert(t, env)
	protect(t, env, cpr, daysFromToday(-10))
}

func TestAPIKeyWorksInEitherHeaderUntilRevokedOrRotated(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedProtected(t, env, "0101801234", "Nøglesen")
	const q = `{ person(cpr: "0101801234") { lastName } }`
	key := env.Keys[access.Authority]

	for name, headers := range map[string]map[string]string{
		"Authorization: Bearer": {"Authorization": "Bearer " + key},
		"lower-case bearer":     {"Authorization": "bearer " + key},
		"X-API-Key":             {"X-API-Key": key},
	} {
		if r := env.queryAs(t, headers, q); len(r.Errors) > 0 || !strings.Contains(r.Raw, "Nøglesen") {
			t.Errorf("%s: %s", name, r.Raw)
		}
	}
	if r := env.queryAs(t, bearer("cpr_wrong"), q); r.Status != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED" {
		t.Errorf("wrong key: %d %s", r.Status, r.Raw)
	}

	ctx := context.Background()
	org, _ := env.Store.Clients.OrganisationByName(ctx, "Test AUTHORITY")
	c, _ := env.Store.Clients.ClientByName(ctx, org.ID, "test")
	admin := func(mutation string) gqlResponse {
		r := env.query(t, access.Admin, fmt.Sprintf(mutation, c.ID), nil)
		if len(r.Errors) > 0 {
			t.Fatalf("%s: %s", mutation, r.Raw)
		}
		return r
	}
	admin(`mutation { revokeClient(id: "%d") { revokedAt } }`)
	if r := env.queryAs(t, bearer(key), q); r.Status != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED" || strings.Contains(r.Raw, "Nøglesen") {
		t.Errorf("revoked key: %d %s", r.Status, r.Raw)
	}
	var rotated struct {
		RotateClientKey struct{ Key string }
	}
	json.Unmarshal(admin(`mutation { rotateClientKey(id: "%d") { key client { revokedAt } } }`).Data, &rotated)
	if r := env.queryAs(t, bearer(rotated.RotateClientKey.Key), q); len(r.Errors) > 0 {
		t.Errorf("rotated key: %s", r.Raw)
	}
	if r := env.queryAs(t, bearer(key), q); r.Status != http.StatusUnauthorized {
		t.Errorf("old key after rotation: %d %s", r.Status, r.Raw)
	}
}

func TestAnonymousMayOnlyIntrospectAndAskVersion(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for _, q := range []string{
		`{ __typename }`,
		`query { version }`,
		`{ __schema { queryType { name } } }`,
		`query Q { ...F } fragment F on Query { version __type(name: "Person") { name } }`,
	} {
		if r := env.query(t, "", q, nil); r.Status != http.StatusOK || len(r.Errors) > 0 {
			t.Errorf("%s: %d %s", q, r.Status, r.Raw)
		}
	}
	get, _ := http.NewRequest(http.MethodGet, env.URL+"/graphql?query="+url.QueryEscape(`{ version }`), nil)
	if r := env.send(t, get); r.Status != http.StatusOK || len(r.Errors) > 0 {
		t.Errorf("GET { version }: %d %s", r.Status, r.Raw)
	}
	for _, q := range []string{
		`{ person(cpr: "0101801234") { cpr } }`,
		`{ version person(cpr: "0101801234") { cpr } }`,
		`query { ...F } fragment F on Query { version ... on Query { person(cpr: "0101801234") { cpr } } }`,
		`mutation { createOrganisation(name: "x") { id } }`,
		`{ version`,
	} {
		if r := env.query(t, "", q, nil); r.Status != http.StatusUnauthorized || r.code() != "UNAUTHENTICATED" {
			t.Errorf("%s: want 401 UNAUTHENTICATED, got %d %s", q, r.Status, r.Raw)
		}
	}

	closed := newTestEnvWith(t, func(c *app.Config) { c.AllowAnonymous, c.GraphiQL = false, false })
	if r := closed.query(t, "", `{ __typename }`, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("ALLOW_ANONYMOUS_INTROSPECTION=false: %d %s", r.Status, r.Raw)
	}
	if status, _ := closed.get(t, "", "/"); status != http.StatusNotFound {
		t.Errorf("GRAPHIQL=false: GET / answered %d", status)
	}
}

// jwtKeys are the signing keys of TestJWTAcceptedOnlyWhenValidlySignedAndScoped.
type jwtKeys struct {
	secret []byte
	rsa    *rsa.PrivateKey
	ec     *ecdsa.PrivateKey
}

func TestJWTAcceptedOnlyWhenValidlySignedAndScoped(t *testing.T) {
	t.Parallel()
	keys := jwtKeys{secret: []byte("test-secret-of-at-least-32-bytes!!")}
	var err error
	if keys.rsa, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	if keys.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		t.Fatal(err)
	}
	var pemData []byte
	for _, pub := range []any{&keys.rsa.PublicKey, &keys.ec.PublicKey} {
		der, _ := x509.MarshalPKIXPublicKey(pub)
		pemData = append(pemData, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})...)
	}
	publicKeys, err := auth.ParsePublicKeys(pemData)
	if err != nil || len(publicKeys) != 2 {
		t.Fatalf("ParsePublicKeys: %d keys, %v", len(publicKeys), err)
	}
	env := newTestEnvWith(t, func(c *app.Config) {
		c.JWT = auth.JWTConfig{HS256Secret: keys.secret, PublicKeys: publicKeys, Issuer: "https://idp.test", Audience: "cprgraph"}
	})
	seedProtected(t, env, "0101801234", "Tokensen")
	const q = `{ person(cpr: "0101801234") { protected lastName } }`

	claims := func(profile string, edit ...func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"sub": "svc-" + strings.ToLower(profile), "org": 4711, "profile": profile,
			"iss": "https://idp.test", "aud": "cprgraph", "exp": time.Now().Add(time.Hour).Unix()}
		for _, e := range edit {
			e(c)
		}
		return c
	}
	sign := func(method jwt.SigningMethod, key any, c jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(method, c).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	otherSecret := []byte("another-secret-of-at-least-32-bytes")

	for _, tc := range []struct {
		name, token, wantCode string
		wantName              bool
	}{
		{"HS256 AUTHORITY", sign(jwt.SigningMethodHS256, keys.secret, claims("AUTHORITY")), "", true},
		{"RS256 PRIVATE", sign(jwt.SigningMethodRS256, keys.rsa, claims("PRIVATE")), "", false},
		{"ES256 AUTHORITY", sign(jwt.SigningMethodES256, keys.ec, claims("AUTHORITY")), "", true},
		{"ES256 LANDLORD", sign(jwt.SigningMethodES256, keys.ec, claims("LANDLORD")), "FORBIDDEN", false},
		{"scope without person", sign(jwt.SigningMethodHS256, keys.secret, claims("AUTHORITY", func(c jwt.MapClaims) { c["scope"] = "search audit" })), "FORBIDDEN", false},
		{"expired", sign(jwt.SigningMethodHS256, keys.secret, claims("AUTHORITY", func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Hour).Unix() })), "UNAUTHENTICATED", false},
		{"no exp", sign(jwt.SigningMethodHS256, keys.secret, claims("AUTHORITY", func(c jwt.MapClaims) { delete(c, "exp") })), "UNAUTHENTICATED", false},
		{"bad signature", sign(jwt.SigningMethodHS256, otherSecret, claims("AUTHORITY")), "UNAUTHENTICATED", false},
		{"unknown profile", sign(jwt.SigningMethodHS256, keys.secret, claims("SUPERUSER")), "UNAUTHENTICATED", false},
		{"wrong issuer", sign(jwt.SigningMethodHS256, keys.secret, claims("AUTHORITY", func(c jwt.MapClaims) { c["iss"] = "https://evil.test" })), "UNAUTHENTICATED", false},
		{"wrong audience", sign(jwt.SigningMethodHS256, keys.secret, claims("AUTHORITY", func(c jwt.MapClaims) { c["aud"] = "other" })), "UNAUTHENTICATED", false},
		{"no org", sign(jwt.SigningMethodHS256, keys.secret, claims("AUTHORITY", func(c jwt.MapClaims) { delete(c, "org") })), "UNAUTHENTICATED", false},
		{"alg none", sign(jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims("AUTHORITY")), "UNAUTHENTICATED", false},
	} {
		r := env.queryAs(t, bearer(tc.token), q)
		if r.code() != tc.wantCode || strings.Contains(r.Raw, "Tokensen") != tc.wantName {
			t.Errorf("%s: want code %q and name shown %v, got %d %s", tc.name, tc.wantCode, tc.wantName, r.Status, r.Raw)
		}
		if tc.wantCode == "UNAUTHENTICATED" && r.Status != http.StatusUnauthorized {
			t.Errorf("%s: HTTP %d, want 401", tc.name, r.Status)
		}
	}

	rows, err := env.Store.Audit.List(context.Background(), db.AuditFilter{CPR: "0101801234", Limit: 10})
	if err != nil || len(rows) != 3 {
		t.Fatalf("want 3 audit rows for the 3 JWT reads, got %d (%v)", len(rows), err)
	}
	if rows[0].ClientID != 0 || rows[0].ClientName != "svc-authority" || rows[0].OrganisationID != 4711 {
		t.Errorf("JWT audit row names %d %q org %d", rows[0].ClientID, rows[0].ClientName, rows[0].OrganisationID)
	}
}

func TestRateLimitRefusesBeyondBurstPerClient(t *testing.T) {
	t.Parallel()
	env := newTestEnvWith(t, func(c *app.Config) { c.RateLimitRPS, c.RateLimitBurst = 0.5, 2 })
	const q = `{ version }`
	for i := range 2 {
		if r := env.query(t, access.Private, q, nil); r.Status != http.StatusOK {
			t.Fatalf("request %d within the burst: %d %s", i+1, r.Status, r.Raw)
		}
	}
	r := env.queryAs(t, map[string]string{"X-API-Key": env.Keys[access.Private]}, q)
	if r.Status != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" || !strings.Contains(r.Raw, `"RATE_LIMITED"`) {
		t.Errorf("over the limit: %d Retry-After=%q %s", r.Status, r.Header.Get("Retry-After"), r.Raw)
	}
	if r := env.query(t, access.Authority, q, nil); r.Status != http.StatusOK {
		t.Errorf("another client is limited too: %d %s", r.Status, r.Raw)
	}
}

func TestOversizedBodyRefused(t *testing.T) {
	t.Parallel()
	env := newTestEnvWith(t, func(c *app.Config) { c.MaxBodyBytes = 4096 })
	big := `{ version }` + strings.Repeat(" ", 5000)
	if r := env.queryAs(t, map[string]string{"X-API-Key": env.Keys[access.Private]}, big); r.Status != http.StatusRequestEntityTooLarge || r.code() != "PAYLOAD_TOO_LARGE" {
		t.Errorf("large body: %d %s", r.Status, r.Raw)
	}
	// Without a Content-Length the limit holds while reading.
	body, _ := json.Marshal(map[string]any{"query": big})
	req, _ := http.NewRequest(http.MethodPost, env.URL+"/graphql", io.MultiReader(bytes.NewReader(body)))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	if r := env.send(t, req); r.Status != http.StatusRequestEntityTooLarge || r.code() != "PAYLOAD_TOO_LARGE" {
		t.Errorf("large chunked body: %d %s", r.Status, r.Raw)
	}
	if r := env.query(t, access.Private, `{ version }`, nil); r.Status != http.StatusOK {
		t.Errorf("small body: %d %s", r.Status, r.Raw)
	}
}

func TestTooDeepOrTooComplexQueryRefused(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t) // default limits: depth 12, complexity 10000
	// nested(n) is organisations { clients { organisation { clients ... { id } } } }
	// with n fields between organisations and id: depth n+2.
	nested := func(levels int) string {
		q := "id"
		for i := levels - 1; i >= 0; i-- {
			if i%2 == 0 {
				q = "clients { " + q + " }"
			} else {
				q = "organisation { " + q + " }"
			}
		}
		return "{ organisations { " + q + " } }"
	}
	if r := env.query(t, access.Admin, nested(10), nil); len(r.Errors) > 0 {
		t.Errorf("depth 12: %s", r.Raw)
	}
	if r := env.query(t, access.Admin, nested(11), nil); r.code() != "QUERY_TOO_COMPLEX" {
		t.Errorf("depth 13: %s", r.Raw)
	}
	const viaFragment = `{ organisations { ...C } } fragment C on Organisation { clients { organisation { clients { organisation { clients {
		organisation { clients { organisation { clients { organisation { clients { organisation { id } } } } } } } } } } } } }`
	if r := env.query(t, access.Admin, viaFragment, nil); r.code() != "QUERY_TOO_COMPLEX" {
		t.Errorf("depth 14 through a fragment: %s", r.Raw)
	}
	// GraphiQL's schema query is deep but not counted.
	if r := env.query(t, access.Admin, introspectionQuery, nil); len(r.Errors) > 0 {
		t.Errorf("introspection: %.300s", r.Raw)
	}

	const page = `{ auditLog(first: %d) { edges { cursor node { id at requestId clientName } } pageInfo { hasNextPage } } }`
	if r := env.query(t, access.Admin, fmt.Sprintf(page, 20), nil); len(r.Errors) > 0 {
		t.Errorf("first: 20: %s", r.Raw)
	}
	const pages = `{ a: auditLog(first: 500) { ...P } b: auditLog(first: 500) { ...P } c: auditLog(first: 500) { ...P } }
		fragment P on AuditEntryConnection { edges { cursor node { id at requestId clientName } } pageInfo { hasNextPage } }`
	r := env.query(t, access.Admin, pages, nil)
	if r.code() != "QUERY_TOO_COMPLEX" || !strings.Contains(r.Errors[0].Message, "exceeds the limit of 10000") {
		t.Errorf("three pages of 500: %s", r.Raw)
	}
}

func TestAuditLogPagesLookupsAndAuditsItsReading(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedProtected(t, env, "0101801234", "Revisen")
	const read = `{ person(cpr: "0101801234") { cpr } }`
	for i, profile := range []access.Profile{access.Private, access.Authority, access.Private} {
		headers := map[string]string{"X-API-Key": env.Keys[profile], "X-Purpose": fmt.Sprintf("sag %d", i+1)}
		if r := env.queryAs(t, headers, read); len(r.Errors) > 0 {
			t.Fatal(r.Raw)
		}
	}
	const lookups = `query($after: String) { auditLog(cpr: "010180-1234", first: 2, after: $after) {
		edges { cursor node { clientName organisationName operations purpose cprs } } pageInfo { hasNextPage endCursor } } }`
	type page struct {
		AuditLog struct {
			Edges []struct {
				Node struct {
					ClientName, OrganisationName, Purpose string
					Operations, Cprs                      []string
				}
			}
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
		}
	}
	var first, second page
	r := env.query(t, access.Authority, lookups, nil)
	json.Unmarshal(r.Data, &first)
	if len(r.Errors) > 0 || len(first.AuditLog.Edges) != 2 || !first.AuditLog.PageInfo.HasNextPage {
		t.Fatalf("first page: %s", r.Raw)
	}
	if n := first.AuditLog.Edges[0].Node; n.OrganisationName != "Test PRIVATE" || n.Purpose != "sag 1" || n.Operations[0] != "person" || n.Cprs[0] != "0101801234" {
		t.Errorf("first row: %+v", n)
	}
	r = env.query(t, access.Authority, lookups, map[string]any{"after": first.AuditLog.PageInfo.EndCursor})
	json.Unmarshal(r.Data, &second)
	// The third read, and AUTHORITY's reading of the audit log about this
	// number, which is itself audited.
	if len(r.Errors) > 0 || len(second.AuditLog.Edges) != 2 || second.AuditLog.PageInfo.HasNextPage {
		t.Fatalf("second page: %s", r.Raw)
	}
	if n := second.AuditLog.Edges[1].Node; n.OrganisationName != "Test AUTHORITY" || n.Operations[0] != "audit" {
		t.Errorf("reading the audit log was not audited: %+v", n)
	}
	// ADMIN, who may not see protected persons, gets neither the protected
	// person's log nor its number in the rows it may read.
	if r := env.query(t, access.Admin, lookups, nil); r.code() != "WITHHELD" || hasData(r.Data) {
		t.Errorf("ADMIN reading a protected person's log: %s", r.Raw)
	}
	if r := env.query(t, access.Admin, `{ auditLog { edges { node { cprs } } } }`, nil); len(r.Errors) > 0 || strings.Contains(r.Raw, "0101801234") {
		t.Errorf("ADMIN sees the protected person's number in the log: %s", r.Raw)
	}
	if r := env.query(t, access.Admin, `{ auditLog(after: "bogus") { pageInfo { hasNextPage } } }`, nil); r.code() != "BAD_USER_INPUT" {
		t.Errorf("bad cursor: %s", r.Raw)
	}
	if r := env.query(t, access.Admin, `{ auditLog(first: 0) { pageInfo { hasNextPage } } }`, nil); r.code() != "BAD_USER_INPUT" {
		t.Errorf("first: 0: %s", r.Raw)
	}
}

// appRoleURL creates a LOGIN role in the cprgraph_app group and returns the
// test database's URL for it; the role is dropped when the test ends.
func appRoleURL(t *testing.T, env *testEnv) string {
	t.Helper()
	role := fmt.Sprintf("cprgraph_test_%d", time.Now().UnixNano())
	env.exec(t, fmt.Sprintf(`CREATE ROLE %s LOGIN PASSWORD 'app' IN ROLE cprgraph_app`, role))
	t.Cleanup(func() { env.Conn.Exec(fmt.Sprintf(`DROP ROLE IF EXISTS %s`, role)) })
	u, err := url.Parse(env.DBURL)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(role, "app")
	return u.String()
}

// appServer serves env's database through a connection as the app role,
// starting as the server does in production: the migration check finds
// nothing to do.
func appServer(t *testing.T, env *testEnv) (*testEnv, *db.Store) {
	t.Helper()
	conn, err := db.Open(context.Background(), appRoleURL(t, env), 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(context.Background(), conn.DB); err != nil {
		t.Fatalf("migration check as app role: %v", err)
	}
	cfg, err := app.LoadConfig()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	store := db.NewStore(conn)
	return env.serve(t, cfg, app.Deps{DB: conn, Store: store}), store
}

// TestAppRoleAppendOnly runs the server as a member of cprgraph_app: it
// serves and audits, but cannot change or remove audit rows.
func TestAppRoleAppendOnly(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedProtected(t, env, "0101801234", "Rollesen")
	app, store := appServer(t, env)
	if r := app.query(t, access.Authority, `{ person(cpr: "0101801234") { lastName } }`, nil); len(r.Errors) > 0 || !strings.Contains(r.Raw, "Rollesen") {
		t.Fatalf("as app role: %s", r.Raw)
	}
	entry := db.AuditEntry{At: time.Now(), RequestID: "r", Operations: []string{"person"}, CPRs: []string{}}
	if _, err := store.Audit.Append(context.Background(), nil, []db.AuditEntry{entry}); err != nil {
		t.Fatalf("append as app role: %v", err)
	}
	appConn, err := db.Open(context.Background(), appRoleURL(t, env), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer appConn.Close()
	for _, stmt := range []string{`UPDATE audit_log SET purpose = 'x'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`, `DELETE FROM goose_db_version`} {
		if _, err := appConn.Exec(stmt); err == nil || !strings.Contains(err.Error(), "permission denied") {
			t.Errorf("%s as app role: %v", stmt, err)
		}
	}
	if bad, n, err := env.Store.Audit.Verify(context.Background()); bad != 0 || n != 2 || err != nil {
		t.Errorf("verify: bad=%d n=%d err=%v", bad, n, err)
	}
}

// TestAuditFailureWithholdsData: when the audit row cannot be written, the
// client gets an INTERNAL error and none of the data; internal details are
// logged, not shown.
func TestAuditFailureWithholdsData(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedProtected(t, env, "0101801234", "Tavsen")
	app, _ := appServer(t, env)
	env.exec(t, `REVOKE INSERT ON audit_log FROM cprgraph_app`)
	env.exec(t, `REVOKE SELECT ON organisation FROM cprgraph_app`)

	r := app.query(t, access.Authority, `{ person(cpr: "0101801234") { cpr lastName } }`, nil)
	if r.code() != "INTERNAL" || strings.Contains(r.Raw, "Tavsen") || strings.Contains(r.Raw, "0101801234") || (len(r.Data) > 0 && string(r.Data) != "null") {
		t.Errorf("audit write failed but: %s", r.Raw)
	}
	r = app.query(t, access.Admin, `{ organisations { name } }`, nil)
	if r.code() != "INTERNAL" || r.Errors[0].Message != "internal error" || strings.Contains(r.Raw, "permission") {
		t.Errorf("internal error shown: %s", r.Raw)
	}
}

// TestAuditVerifyDetectsTampering: audit-verify, of the whole log and of
// the month with -month, reports a row changed past the append-only
// trigger by its id and exits non-zero.
func TestAuditVerifyDetectsTampering(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedProtected(t, env, "0101801234", "Kædesen")
	for range 3 {
		if r := env.query(t, access.Authority, `{ person(cpr: "0101801234") { cpr } }`, nil); len(r.Errors) > 0 {
			t.Fatal(r.Raw)
		}
	}
	ctx := context.Background()
	var out bytes.Buffer
	if err := cli.AuditVerify(ctx, env.Store, nil, nil, &out); err != nil || !strings.Contains(out.String(), "intact: 3 rows") {
		t.Fatalf("untouched log: %v %s", err, out.String())
	}
	month := []string{"-month", time.Now().UTC().Format("2006-01")}
	out.Reset()
	if err := cli.AuditVerify(ctx, env.Store, nil, month, &out); err != nil || !strings.Contains(out.String(), month[1]+" intact: 3 rows") {
		t.Fatalf("untouched month: %v %s", err, out.String())
	}
	var second int64
	if err := env.Conn.Get(&second, `SELECT id FROM audit_log ORDER BY id OFFSET 1 LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Conn.Exec(`UPDATE audit_log SET purpose = 'x' WHERE id = $1`, second); err == nil {
		t.Fatal("the trigger let an UPDATE of audit_log through")
	}
	env.exec(t, `ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`)
	env.exec(t, `UPDATE audit_log SET cprs = '{}' WHERE id = $1`, second)
	env.exec(t, `ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`)

	for _, args := range [][]string{nil, month} {
		out.Reset()
		err := cli.AuditVerify(ctx, env.Store, nil, args, &out)
		if err == nil || !strings.Contains(out.String(), fmt.Sprintf("row %d", second)) {
			t.Fatalf("tampered log (%v): %v %s", args, err, out.String())
		}
	}
}

func TestAdminManagesOrganisationsClientsAndOwnerLinks(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedProtected(t, env, "0101801234", "Adminsen")
	var created struct {
		CreateOrganisation struct{ ID string }
	}
	r := env.query(t, access.Admin, `mutation { createOrganisation(name: "Boligselskabet", cvr: "12345678") { id name cvr } }`, nil)
	if json.Unmarshal(r.Data, &created); len(r.Errors) > 0 {
		t.Fatal(r.Raw)
	}
	org := created.CreateOrganisation.ID
	if r := env.query(t, access.Admin, `mutation { createOrganisation(name: "Boligselskabet") { id } }`, nil); r.code() != "CONFLICT" {
		t.Errorf("duplicate organisation: %s", r.Raw)
	}
	if r := env.query(t, access.Admin, `mutation($org: ID!) { createClient(organisationId: $org, name: "x", profile: PRIVATE, scopes: ["landlord"]) { key } }`,
		map[string]any{"org": org}); r.code() != "BAD_USER_INPUT" {
		t.Errorf("scope outside the profile: %s", r.Raw)
	}
	var client struct {
		CreateClient struct {
			Key    string
			Client struct{ Scopes []string }
		}
	}
	r = env.query(t, access.Admin, `mutation($org: ID!) { createClient(organisationId: $org, name: "web", profile: PRIVATE, scopes: ["person"]) { key client { id profile scopes keyPrefix } } }`,
		map[string]any{"org": org})
	if json.Unmarshal(r.Data, &client); len(r.Errors) > 0 || !strings.HasPrefix(client.CreateClient.Key, "cpr_") {
		t.Fatal(r.Raw)
	}
	key := client.CreateClient.Key
	if r := env.queryAs(t, bearer(key), `{ person(cpr: "0101801234") { protected lastName } }`); len(r.Errors) > 0 || strings.Contains(r.Raw, "Adminsen") {
		t.Errorf("new PRIVATE client: %s", r.Raw)
	}
	eligibleOwner(t, env, 900001, "87654321")
	eligibleOwner(t, env, 900002, "0101801234")
	for _, m := range []string{
		`mutation($org: ID!) { addOwnerLink(organisationId: $org, ownerNumber: "87654321") { ownerNumbers } }`,
		`mutation($org: ID!) { addOwnerLink(organisationId: $org, ownerNumber: "0101801234") { ownerNumbers } }`,
		`mutation($org: ID!) { removeOwnerLink(organisationId: $org, ownerNumber: "87654321") { ownerNumbers } }`,
	} {
		if r := env.query(t, access.Admin, m, map[string]any{"org": org}); len(r.Errors) > 0 {
			t.Errorf("%s: %s", m, r.Raw)
		}
	}
	if r := env.query(t, access.Admin, `mutation($org: ID!) { addOwnerLink(organisationId: $org, ownerNumber: "12") { ownerNumbers } }`, map[string]any{"org": org}); r.code() != "BAD_USER_INPUT" {
		t.Errorf("malformed owner number: %s", r.Raw)
	}
	r = env.query(t, access.Admin, `{ organisations { name ownerNumbers clients { name profile scopes revokedAt } } }`, nil)
	if !strings.Contains(r.Raw, `{"name":"Boligselskabet","ownerNumbers":["0101801234"],"clients":[{"name":"web","profile":"PRIVATE","scopes":["person"],"revokedAt":null}]}`) {
		t.Errorf("organisations: %s", r.Raw)
	}
}

func TestAdminCLIManagesOrganisationsClientsAndKeys(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedProtected(t, env, "0101801234", "Kommandosen")
	ctx := context.Background()
	run := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := cli.Admin(ctx, env.Store, args, &out); err != nil {
			t.Fatalf("admin %v: %v", args, err)
		}
		return out.String()
	}
	keyRE := regexp.MustCompile(`cpr_[A-Za-z0-9_-]+`)

	run("org-create", "-name", "Kommune X", "-cvr", "29189846")
	key := keyRE.FindString(run("client-create", "-org", "Kommune X", "-name", "sagssystem", "-profile", "authority", "-scopes", "person,audit"))
	if r := env.queryAs(t, bearer(key), `{ person(cpr: "0101801234") { lastName } }`); !strings.Contains(r.Raw, "Kommandosen") {
		t.Errorf("CLI-created AUTHORITY key: %s", r.Raw)
	}
	var refused bytes.Buffer
	if err := cli.Admin(ctx, env.Store, []string{"owner-link", "-org", "Kommune X", "-owner", "29189846"}, &refused); err == nil ||
		!strings.Contains(err.Error(), "OWNER_NOT_ELIGIBLE") && !strings.Contains(err.Error(), "more than 10") {
		t.Errorf("owner-link of an owner without dwellings: %v", err)
	}
	eligibleOwner(t, env, 900003, "29189846")
	run("owner-link", "-org", "Kommune X", "-owner", "29189846")
	if list := run("list"); !strings.Contains(list, "owner links: 29189846") || !strings.Contains(list, "sagssystem") || !strings.Contains(list, "person,audit") {
		t.Errorf("list:\n%s", list)
	}
	run("client-revoke", "-org", "Kommune X", "-name", "sagssystem")
	env.untilRefused(t, key, time.Now(), time.Second) // the CLI is another process: see untilRefused
	newKey := keyRE.FindString(run("key-rotate", "-org", "Kommune X", "-name", "sagssystem"))
	if r := env.queryAs(t, bearer(newKey), `{ version }`); r.Status != http.StatusOK {
		t.Errorf("rotated CLI key: %d %s", r.Status, r.Raw)
	}
	run("owner-unlink", "-org", "Kommune X", "-owner", "29189846")

	for _, args := range [][]string{
		{"client-create", "-org", "Kommune X", "-name", "y", "-profile", "PRIVATE", "-scopes", "admin"},
		{"client-create", "-org", "Kommune X", "-name", "y", "-profile", "ROOT"},
		{"org-create", "-name", "Kommune X"},
		{"owner-unlink", "-org", "Kommune X", "-owner", "29189846"},
		{"org-create"},
		{"bogus"},
		{},
	} {
		if err := cli.Admin(ctx, env.Store, args, io.Discard); err == nil {
			t.Errorf("admin %v: no error", args)
		}
	}
}

// TestDemoKeysActAsTheirProfiles: a request with each demo key behaves as its profile says.
func TestDemoKeysActAsTheirProfiles(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedProtected(t, env, "0101801234", "Demosen")
	keys, err := app.CreateDemoClients(context.Background(), env.Store)
	if err != nil {
		t.Fatal(err)
	}
	const person = `{ person(cpr: "0101801234") { protected lastName } }`
	const orgs = `{ organisations { name } }`
	for i, d := range app.DemoClients {
		p, o := env.queryAs(t, bearer(keys[i]), person), env.queryAs(t, bearer(keys[i]), orgs)
		var ok bool
		switch d.Profile {
		case access.Authority:
			ok = strings.Contains(p.Raw, "Demosen") && o.code() == "FORBIDDEN"
		case access.Private:
			ok = len(p.Errors) == 0 && strings.Contains(p.Raw, `"protected":true,"lastName":null`) && o.code() == "FORBIDDEN"
		case access.Landlord:
			ok = p.code() == "FORBIDDEN" && o.code() == "FORBIDDEN"
		case access.Admin:
			ok = p.code() == "FORBIDDEN" && len(o.Errors) == 0 && strings.Contains(o.Raw, "Demo Administration")
		}
		if !ok {
			t.Errorf("demo %s key: person %s; organisations %s", d.Profile, p.Raw, o.Raw)
		}
	}
}
