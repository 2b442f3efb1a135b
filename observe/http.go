package observe

import (
	"bufio"
	"context"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"go.opentelemetry.io/otel/trace"

	"cprgraph/access"
	"cprgraph/logging"
)

// requestInfo is what the inner handlers learn about a request for its
// access-log line: the GraphQL operation's name and the principal.
type requestInfo struct {
	mu        sync.Mutex
	operation string
	principal *access.Principal
}

type requestInfoKey struct{}

// noteOperation records the operation name (and the principal, which the
// authentication middleware put into the inner context) for the log line.
func noteOperation(ctx context.Context, name string) {
	info, ok := ctx.Value(requestInfoKey{}).(*requestInfo)
	if !ok {
		return
	}
	info.mu.Lock()
	defer info.mu.Unlock()
	info.operation = name
	if p := access.FromContext(ctx); p != nil {
		info.principal = p
	}
}

// maxLoggedName cuts an operation name in the log.
const maxLoggedName = 100

// Middleware counts and times every request and writes one JSON log line
// for it: request id, method, path (never the query string: it may hold a
// GraphQL document, variables or an owner number), route, status, duration,
// the GraphQL operation name and the client (organisation id, client id and
// name). Probes of /healthz, /readyz and /metrics log at debug level.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{}
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		inner := r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
		next.ServeHTTP(sw, inner)
		elapsed := time.Since(start)

		route := inner.Pattern // set by the ServeMux (next) on the request it got
		if route == "" {
			route = "unmatched"
		}
		m.httpRequests.WithLabelValues(route, r.Method, statusLabel(sw.status)).Inc()
		m.httpDuration.WithLabelValues(route).Observe(elapsed.Seconds())

		level := slog.LevelInfo
		switch {
		case sw.status == http.StatusServiceUnavailable && w.Header().Get("Retry-After") != "":
			// Refused during a database outage: the breaker logs the
			// outage once (start and end); each refusal stays at info.
		case sw.status >= 500:
			level = slog.LevelError
		case r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics":
			level = slog.LevelDebug
		}
		requestID := w.Header().Get("X-Request-Id")
		if requestID == "" {
			requestID = r.Header.Get("X-Request-Id")
		}
		info.mu.Lock()
		attrs := []slog.Attr{
			slog.String("request_id", requestID),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.String("route", route),
			slog.Int("status", sw.status),
			slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		}
		if info.operation != "" {
			attrs = append(attrs, slog.String("operation", logging.Redact(cut(info.operation, maxLoggedName))))
		}
		if p := info.principal; p != nil {
			attrs = append(attrs, slog.Int64("organisation_id", p.OrganisationID),
				slog.Int64("client_id", p.ClientID), slog.String("client", p.ClientName))
		}
		info.mu.Unlock()
		if sc := trace.SpanContextFromContext(r.Context()); sc.IsValid() {
			attrs = append(attrs, slog.String("trace_id", sc.TraceID().String()))
		}
		slog.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (w *statusWriter) WriteHeader(status int) {
	if !w.wroteHeader {
		w.status, w.wroteHeader = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wroteHeader = true
	return w.ResponseWriter.Write(b)
}

// Flush passes on a flush (server-sent events assert http.Flusher).
func (w *statusWriter) Flush() {
	w.wroteHeader = true
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Hijack passes on a hijack (websockets).
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// Unwrap lets http.ResponseController reach the writer's other features.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
