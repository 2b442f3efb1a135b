// Package tracing exports OpenTelemetry traces of HTTP requests, GraphQL
// operations, resolvers and SQL statements. It is off unless the standard
// OTEL environment variables ask for traces; then spans go to an OTLP/HTTP
// collector. No span carries person data: the exporter masks every
// CPR-like number in span names, attributes and status, drops error
// messages, and no span records a GraphQL document, variables, results or
// SQL parameters.
package tracing

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/XSAM/otelsql"
	"github.com/jmoiron/sqlx"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
)

// Enabled reports whether the environment asks for traces: an OTLP
// endpoint in OTEL_EXPORTER_OTLP_ENDPOINT or
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_TRACES_EXPORTER=otlp — unless
// OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true.
func Enabled() bool {
	if strings.EqualFold(os.Getenv("OTEL_SDK_DISABLED"), "true") {
		return false
	}
	switch exporter := strings.ToLower(os.Getenv("OTEL_TRACES_EXPORTER")); exporter {
	case "none":
		return false
	case "otlp":
		return true
	}
	return os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || os.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != ""
}

// Setup installs the global tracer provider when Enabled: OTLP over HTTP
// (endpoint, headers, timeout and TLS from the OTEL_EXPORTER_OTLP_*
// variables; protocol grpc is refused), sampling from OTEL_TRACES_SAMPLER
// (default: parent-based, always on), the service name from
// OTEL_SERVICE_NAME (default cprgraph) and OTEL_RESOURCE_ATTRIBUTES, and
// W3C trace-context propagation. The returned function flushes and stops
// it; when tracing is off, Setup does nothing and returns a no-op.
func Setup(ctx context.Context, version string) (shutdown func(context.Context) error, err error) {
	if !Enabled() {
		return func(context.Context) error { return nil }, nil
	}
	protocol := os.Getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
	if protocol == "" {
		protocol = os.Getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
	}
	if protocol != "" && protocol != "http/protobuf" {
		return nil, fmt.Errorf("OTEL_EXPORTER_OTLP_PROTOCOL %q: only http/protobuf is supported", protocol)
	}
	exporter, err := otlptracehttp.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("OTLP trace exporter: %w", err)
	}
	res, err := resource.Merge(
		resource.NewSchemaless(semconv.ServiceName("cprgraph"), semconv.ServiceVersion(version)),
		resource.Default(), // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win
	)
	if err != nil {
		return nil, err
	}
	provider := sdktrace.NewTracerProvider(
		sdktrace.WithBatcher(RedactingExporter(exporter)),
		sdktrace.WithResource(res),
	)
	otel.SetTracerProvider(provider)
	otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	return provider.Shutdown, nil
}

var registerSQLDriver = sync.OnceValue(func() string {
	name, err := otelsql.Register("postgres",
		otelsql.WithAttributes(semconv.DBSystemNamePostgreSQL),
		otelsql.WithSpanOptions(otelsql.SpanOptions{
			DisableErrSkip:       true,
			OmitConnResetSession: true,
			OmitRows:             true,
		}),
	)
	if err != nil { // only when lib/pq is not linked in
		panic(err)
	}
	sqlx.BindDriver(name, sqlx.DOLLAR)
	return name
})

// SQLDriver returns the name of lib/pq's driver wrapped to trace every
// statement (span name = the database/sql method; db.query.text = the SQL
// with its $n placeholders, never the parameters), for sqlx.Open and
// db.OpenDriver.
func SQLDriver() string { return registerSQLDriver() }
