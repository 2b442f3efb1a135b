package tracing

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	gqlgraphql "github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"cprgraph/access"
	"cprgraph/db"
	"cprgraph/db/dbtest"
	"cprgraph/graph"
)

type graphqlExtension = gqlgraphql.HandlerExtension

// The tests set the global tracer provider and environment variables, so
// none of them runs in parallel.

func TestEnabled(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, false},
		{map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, true},
		{map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, true},
		{map[string]string{"OTEL_TRACES_EXPORTER": "otlp"}, true},
		{map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, false},
		{map[string]string{"OTEL_SDK_DISABLED": "true", "OTEL_TRACES_EXPORTER": "otlp"}, false},
	} {
		for _, key := range []string{"OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_TRACES_EXPORTER", "OTEL_SDK_DISABLED"} {
			t.Setenv(key, tc.env[key])
		}
		if got := Enabled(); got != tc.want {
			t.Errorf("%v: Enabled() = %v", tc.env, got)
		}
	}
}

// TestSetupExportsOverOTLP points the standard variable at a fake collector
// and checks that a span arrives there when the provider shuts down.
func TestSetupExportsOverOTLP(t *testing.T) {
	var received atomic.Int32
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.URL.Path == "/v1/traces" && r.Header.Get("Content-Type") == "application/x-protobuf" && len(body) > 0 {
			received.Add(1)
		}
	}))
	defer collector.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.URL)
	t.Setenv("OTEL_SERVICE_NAME", "cprgraph-test")
	defer otel.SetTracerProvider(otel.GetTracerProvider())

	shutdown, err := Setup(context.Background(), "test")
	if err != nil {
		t.Fatal(err)
	}
	_, span := otel.Tracer(scope).Start(context.Background(), "probe")
	span.End()
	if err := shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	if received.Load() == 0 {
		t.Fatal("the collector got no spans")
	}

	t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
	if _, err := Setup(context.Background(), "test"); err == nil {
		t.Fatal("protocol grpc accepted")
	}
}

// TestGraphQLRequestTrace runs a person lookup through the HTTP middleware,
// the GraphQL extension and the traced SQL driver, and checks the spans
// form one trace and hold no person data.
func TestGraphQLRequestTrace(t *testing.T) {
	exporter := tracetest.NewInMemoryExporter()
	provider := sdktrace.NewTracerProvider(sdktrace.WithSyncer(RedactingExporter(exporter)))
	defer otel.SetTracerProvider(otel.GetTracerProvider())
	otel.SetTracerProvider(provider)

	plain, url := dbtest.NewWithURL(t)
	conn, err := db.OpenDriver(context.Background(), SQLDriver(), url, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := plain.Exec(`INSERT INTO person (cpr, fornavn, efternavn) VALUES ('0101801234', 'Sporløs', 'Spansen')`); err != nil {
		t.Fatal(err)
	}
	gql := graph.NewHandler(&graph.Resolver{Store: db.NewStore(conn)}, graph.Options{
		Audit:      func(context.Context, *access.Principal, *access.Record, []string) error { return nil },
		Extensions: []graphqlExtension{GraphQL()},
	})
	authority := &access.Principal{Profile: access.Authority, Scopes: access.DefaultScopes(access.Authority)}
	h := Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, _ := access.WithRecord(r.Context(), "req-1")
		gql.ServeHTTP(w, r.WithContext(access.NewContext(ctx, authority)))
	}))
	req := httptest.NewRequest(http.MethodPost, "/graphql",
		strings.NewReader(`{"query":"query Lookup { person(cpr: \"0101801234\") { cpr firstName lastName } }"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if !strings.Contains(rec.Body.String(), "Spansen") {
		t.Fatalf("lookup failed: %s", rec.Body.String())
	}
	provider.ForceFlush(context.Background())

	spans := exporter.GetSpans()
	names := map[string]tracetest.SpanStub{}
	for _, s := range spans {
		names[s.Name] = s
		text := s.Name + s.Status.Description + attrText(s.Attributes)
		for _, ev := range s.Events {
			text += ev.Name + attrText(ev.Attributes)
		}
		for _, secret := range []string{"0101801234", "010180-1234", "Sporløs", "Spansen"} {
			if strings.Contains(text, secret) {
				t.Errorf("span %q holds %q: %s", s.Name, secret, text)
			}
		}
	}
	server, op, field := names["POST /graphql"], names["query Lookup"], names["Query.person"]
	if !server.SpanContext.IsValid() || !op.SpanContext.IsValid() || !field.SpanContext.IsValid() {
		t.Fatalf("missing spans: %v", keys(names))
	}
	if op.Parent.SpanID() != server.SpanContext.SpanID() || field.Parent.SpanID() != op.SpanContext.SpanID() {
		t.Error("operation span not under the request span, or resolver span not under the operation span")
	}
	var sqlUnderResolver bool
	for _, s := range spans {
		if s.Parent.SpanID() == field.SpanContext.SpanID() && strings.HasPrefix(s.Name, "sql.") {
			sqlUnderResolver = true
			if !strings.Contains(attrText(s.Attributes), "$1") {
				t.Errorf("SQL span without its statement: %s", attrText(s.Attributes))
			}
		}
	}
	if !sqlUnderResolver {
		t.Errorf("no SQL span under the resolver span: %v", keys(names))
	}
	if _, ok := names["Person.firstName"]; ok {
		t.Error("a field without a resolver got a span")
	}
}

func TestRedactingExporter(t *testing.T) {
	exporter := tracetest.NewInMemoryExporter()
	provider := sdktrace.NewTracerProvider(sdktrace.WithSyncer(RedactingExporter(exporter)))
	_, span := provider.Tracer("t").Start(context.Background(), "lookup 0101801234",
		trace.WithAttributes(attribute.String("a", "cpr=010180-1234"), attribute.StringSlice("b", []string{"0101801234"})))
	span.RecordError(errTest)
	span.End()
	s := exporter.GetSpans()[0]
	text := s.Name + attrText(s.Attributes) + attrText(s.Events[0].Attributes)
	if strings.Contains(text, "1234") || strings.Contains(text, "Hansen") || !strings.Contains(text, "exception.type") {
		t.Fatalf("not redacted: %s", text)
	}
}

type testError string

func (e testError) Error() string { return string(e) }

var errTest = testError(`pq: invalid input syntax: "Hansen 0101801234"`)

func attrText(attrs []attribute.KeyValue) string {
	var b strings.Builder
	for _, a := range attrs {
		b.WriteString(" " + string(a.Key) + "=" + a.Value.Emit())
	}
	return b.String()
}

func keys(m map[string]tracetest.SpanStub) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
