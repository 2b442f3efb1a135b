// Package logging keeps CPR numbers out of the logs: a slog.Handler wrapper
// masks every CPR-like number in messages and attribute values before they
// are written.
package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
)

// cprLike matches ten digits, optionally with a dash after the sixth; a
// match is masked only when no digit touches it on either side.
var cprLike = regexp.MustCompile(`[0-9]{6}-?[0-9]{4}`)

// Masked is what a CPR-like number is replaced with.
const Masked = "XXXXXX-XXXX"

// Redact masks every CPR-like number in s.
func Redact(s string) string {
	matches := cprLike.FindAllStringIndex(s, -1)
	if matches == nil {
		return s
	}
	out := make([]byte, 0, len(s))
	last := 0
	for _, m := range matches {
		if (m[0] > 0 && isDigit(s[m[0]-1])) || (m[1] < len(s) && isDigit(s[m[1]])) {
			continue
		}
		out = append(out, s[last:m[0]]...)
		out = append(out, Masked...)
		last = m[1]
	}
	return string(append(out, s[last:]...))
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// redactingHandler wraps a slog.Handler.
type redactingHandler struct{ next slog.Handler }

// NewRedactingHandler returns a handler that masks CPR-like numbers in the
// message and in every attribute (groups, errors and other values included,
// which are logged as their text) before passing the record to next.
func NewRedactingHandler(next slog.Handler) slog.Handler { return redactingHandler{next} }

func (h redactingHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

func (h redactingHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Redact(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h redactingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	clean := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		clean[i] = redactAttr(a)
	}
	return redactingHandler{h.next.WithAttrs(clean)}
}

func (h redactingHandler) WithGroup(name string) slog.Handler {
	return redactingHandler{h.next.WithGroup(name)}
}

// RequestIDKey is the attribute holding a request's id, which is logged
// unmasked: a client's X-Request-Id may hold ten digits in a row, and the
// log line must name the same id as the audit row.
const RequestIDKey = "request_id"

func redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	if a.Key == RequestIDKey && v.Kind() == slog.KindString {
		return slog.String(a.Key, v.String())
	}
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(v.String()))
	case slog.KindGroup:
		group := v.Group()
		clean := make([]any, len(group))
		for i, g := range group {
			clean[i] = redactAttr(g)
		}
		return slog.Group(a.Key, clean...)
	case slog.KindAny:
		return slog.String(a.Key, Redact(fmt.Sprint(v.Any())))
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// NewJSONHandler is the server's log: JSON lines on w, every CPR-like
// number masked; LOG_LEVEL (debug, info, warn, error; default info) sets
// the level.
func NewJSONHandler(w io.Writer) slog.Handler {
	var level slog.Level
	if err := level.UnmarshalText([]byte(os.Getenv("LOG_LEVEL"))); err != nil {
		level = slog.LevelInfo
	}
	return NewRedactingHandler(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}
