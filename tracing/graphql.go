package tracing

import (
	"context"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
)

const scope = "cprgraph"

// Middleware starts a server span for every HTTP request ("GET /graphql"),
// continuing a trace from a traceparent header.
func Middleware(next http.Handler) http.Handler {
	return otelhttp.NewHandler(next, "http",
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string { return r.Method + " " + r.URL.Path }))
}

// GraphQL returns the gqlgen extension that traces each operation (span
// "query Name": operation type and name, the error codes of its response)
// and each field that runs a resolver (span "Type.field": the field's path).
// Fields answered from an already loaded object get no span.
func GraphQL() graphql.HandlerExtension { return graphqlTracer{} }

type graphqlTracer struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
	graphql.FieldInterceptor
} = graphqlTracer{}

func (graphqlTracer) ExtensionName() string                   { return "Tracing" }
func (graphqlTracer) Validate(graphql.ExecutableSchema) error { return nil }

func (graphqlTracer) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	op := graphql.GetOperationContext(ctx).Operation
	opType := string(op.Operation)
	ctx, span := otel.Tracer(scope).Start(ctx, strings.TrimSpace(opType+" "+op.Name), trace.WithAttributes(
		attribute.String("graphql.operation.type", opType),
		attribute.String("graphql.operation.name", op.Name),
	))
	responses := next(ctx)
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if resp == nil {
			span.End()
			return nil
		}
		if errCodes := errorCodes(resp); len(errCodes) > 0 {
			span.SetAttributes(attribute.StringSlice("graphql.error.codes", errCodes))
			span.SetStatus(codes.Error, strings.Join(errCodes, ","))
		}
		if opType != "subscription" {
			span.End()
		}
		return resp
	}
}

func (graphqlTracer) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !fc.IsResolver {
		return next(ctx)
	}
	ctx, span := otel.Tracer(scope).Start(ctx, fc.Object+"."+fc.Field.Name,
		trace.WithAttributes(attribute.String("graphql.field.path", fc.Path().String())))
	defer span.End()
	res, err := next(ctx)
	if err != nil {
		span.SetStatus(codes.Error, "resolver error")
	}
	return res, err
}

// errorCodes are the extensions.code values of a response's errors.
func errorCodes(resp *graphql.Response) []string {
	var out []string
	for _, err := range resp.Errors {
		if code, ok := err.Extensions["code"].(string); ok {
			out = append(out, code)
		}
	}
	return out
}
