// Package observe makes the server observable: Prometheus metrics (HTTP
// requests, GraphQL operations and their errors, the database pools, audit
// writes, rate-limit refusals) and one structured access-log line per
// request. Neither carries a GraphQL document, variables or results, so no
// person data reaches them.
package observe

import (
	"database/sql"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"cprgraph/logging"
)

// Metrics holds the server's Prometheus registry and instruments.
type Metrics struct {
	registry *prometheus.Registry
	names    *operationNames

	httpRequests  *prometheus.CounterVec
	httpDuration  *prometheus.HistogramVec
	operations    *prometheus.CounterVec
	opDuration    *prometheus.HistogramVec
	errors        *prometheus.CounterVec
	auditDuration *prometheus.HistogramVec
	rateLimited   prometheus.Counter
}

// MaxOperationNames is how many distinct operation names get their own
// label value; later ones are counted as "other".
const MaxOperationNames = 200

// NewMetrics returns a fresh registry with the Go runtime and process
// collectors and the server's instruments.
func NewMetrics() *Metrics {
	m := &Metrics{registry: prometheus.NewRegistry(), names: &operationNames{max: MaxOperationNames, seen: map[string]bool{}}}
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cprgraph_http_requests_total",
		Help: "HTTP requests by route pattern, method and status code.",
	}, []string{"route", "method", "code"})
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "cprgraph_http_request_duration_seconds",
		Help:    "HTTP request latency by route pattern.",
		Buckets: prometheus.DefBuckets,
	}, []string{"route"})
	m.operations = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cprgraph_graphql_operations_total",
		Help: "GraphQL responses by operation name (anonymous, other, invalid for a request that did not parse) and type (one per subscription event).",
	}, []string{"operation", "type"})
	m.opDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "cprgraph_graphql_operation_duration_seconds",
		Help:    "Latency of GraphQL queries and mutations by operation name, from the request's start to its response.",
		Buckets: prometheus.DefBuckets,
	}, []string{"operation", "type"})
	m.errors = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "cprgraph_graphql_errors_total",
		Help: "GraphQL errors by operation name and extensions.code.",
	}, []string{"operation", "code"})
	m.auditDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "cprgraph_audit_write_duration_seconds",
		Help:    "Latency of audit-log writes by result (ok, error).",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"result"})
	m.rateLimited = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "cprgraph_rate_limit_rejections_total",
		Help: "Requests refused with 429 by the per-client rate limit.",
	})
	m.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.httpRequests, m.httpDuration, m.operations, m.opDuration, m.errors, m.auditDuration, m.rateLimited,
	)
	return m
}

// Handler serves the metrics in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// AddDB exports the connection pool statistics of db (open, in use, idle
// connections, waits) labelled db_name=name.
func (m *Metrics) AddDB(name string, db *sql.DB) {
	m.registry.MustRegister(collectors.NewDBStatsCollector(db, name))
}

// KnowOperations gives these operation names their own label value, beyond
// the first MaxOperationNames seen.
func (m *Metrics) KnowOperations(names ...string) {
	m.names.mu.Lock()
	defer m.names.mu.Unlock()
	for _, name := range names {
		if !m.names.seen[name] {
			m.names.seen[name] = true
			m.names.max++
		}
	}
}

// RateLimited counts one request refused by the rate limit.
func (m *Metrics) RateLimited() { m.rateLimited.Inc() }

// AuditWritten records one audit write that took elapsed and failed when
// err is not nil.
func (m *Metrics) AuditWritten(elapsed time.Duration, err error) {
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.auditDuration.WithLabelValues(result).Observe(elapsed.Seconds())
}

// operationNames bounds the operation label's values: the known names and
// the first max names seen keep their own value, every later name is
// "other".
type operationNames struct {
	max int

	mu   sync.Mutex
	seen map[string]bool
}

// label returns name's label value. An unnamed operation is "anonymous";
// a name is masked like a log line, should a client put a CPR number in it.
func (n *operationNames) label(name string) string {
	if name == "" {
		return "anonymous"
	}
	name = logging.Redact(name)
	n.mu.Lock()
	defer n.mu.Unlock()
	if !n.seen[name] {
		if len(n.seen) >= n.max {
			return "other"
		}
		n.seen[name] = true
	}
	return name
}

func statusLabel(status int) string { return strconv.Itoa(status) }
