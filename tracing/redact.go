package tracing

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"cprgraph/logging"
)

// RedactingExporter passes spans to next with every CPR-like number masked
// (logging.Redact) in span names, string attributes, event attributes and
// status descriptions, and with the message of recorded errors dropped
// (a database error may quote a value): an error event keeps its type.
func RedactingExporter(next sdktrace.SpanExporter) sdktrace.SpanExporter {
	return redactingExporter{next}
}

type redactingExporter struct{ sdktrace.SpanExporter }

func (e redactingExporter) ExportSpans(ctx context.Context, spans []sdktrace.ReadOnlySpan) error {
	clean := make([]sdktrace.ReadOnlySpan, len(spans))
	for i, s := range spans {
		clean[i] = redactedSpan{s}
	}
	return e.SpanExporter.ExportSpans(ctx, clean)
}

type redactedSpan struct{ sdktrace.ReadOnlySpan }

func (s redactedSpan) Name() string { return logging.Redact(s.ReadOnlySpan.Name()) }

func (s redactedSpan) Attributes() []attribute.KeyValue {
	return redactAttributes(s.ReadOnlySpan.Attributes())
}

func (s redactedSpan) Status() sdktrace.Status {
	st := s.ReadOnlySpan.Status()
	st.Description = logging.Redact(st.Description)
	return st
}

func (s redactedSpan) Events() []sdktrace.Event {
	events := s.ReadOnlySpan.Events()
	out := make([]sdktrace.Event, len(events))
	for i, ev := range events {
		attrs := ev.Attributes
		if ev.Name == "exception" {
			attrs = nil
			for _, a := range ev.Attributes {
				if a.Key == "exception.type" {
					attrs = append(attrs, a)
				}
			}
		}
		ev.Attributes = redactAttributes(attrs)
		out[i] = ev
	}
	return out
}

func redactAttributes(attrs []attribute.KeyValue) []attribute.KeyValue {
	out := make([]attribute.KeyValue, len(attrs))
	for i, a := range attrs {
		switch a.Value.Type() {
		case attribute.STRING:
			a.Value = attribute.StringValue(logging.Redact(a.Value.AsString()))
		case attribute.STRINGSLICE:
			values := a.Value.AsStringSlice()
			for j := range values {
				values[j] = logging.Redact(values[j])
			}
			a.Value = attribute.StringSliceValue(values)
		}
		out[i] = a
	}
	return out
}
