package observe

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// GraphQL returns the gqlgen extension that counts every response by
// operation name and type, measures queries and mutations, counts errors by
// extensions.code, and notes the operation name and the principal for the
// request's access-log line.
func (m *Metrics) GraphQL() graphql.HandlerExtension { return graphqlMetrics{m} }

type graphqlMetrics struct{ m *Metrics }

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = graphqlMetrics{}

func (graphqlMetrics) ExtensionName() string                   { return "Metrics" }
func (graphqlMetrics) Validate(graphql.ExecutableSchema) error { return nil }

func (g graphqlMetrics) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || !graphql.HasOperationContext(ctx) {
		return resp
	}
	opCtx := graphql.GetOperationContext(ctx)
	name, opType := "invalid", "invalid"
	if op := opCtx.Operation; op != nil {
		name, opType = g.m.names.label(op.Name), string(op.Operation)
		noteOperation(ctx, op.Name)
	}
	g.m.operations.WithLabelValues(name, opType).Inc()
	if opType != "subscription" && !opCtx.Stats.OperationStart.IsZero() {
		g.m.opDuration.WithLabelValues(name, opType).Observe(time.Since(opCtx.Stats.OperationStart).Seconds())
	}
	for _, err := range resp.Errors {
		code, _ := err.Extensions["code"].(string)
		if code == "" {
			code = "NONE"
		}
		g.m.errors.WithLabelValues(name, code).Inc()
	}
	return resp
}
