package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/jmoiron/sqlx"

	"cprgraph/db"
	"cprgraph/eventfeed"
	"cprgraph/graph"
	"cprgraph/logging"
	"cprgraph/observe"
	"cprgraph/tracing"
)

// ops is what the router serves besides the primary database: the read
// replica, the metrics registry and the change-event listener.
type ops struct {
	replica *sqlx.DB         // nil: read-only queries go to the primary too
	metrics *observe.Metrics // nil: a registry of the router's own
	events  *eventfeed.Feed  // nil: subscriptions are refused
}

// newLogHandler is the server's log: JSON lines on w, every CPR-like number
// masked; LOG_LEVEL (debug, info, warn, error; default info) sets the level.
func newLogHandler(w io.Writer) slog.Handler {
	var level slog.Level
	if err := level.UnmarshalText([]byte(os.Getenv("LOG_LEVEL"))); err != nil {
		level = slog.LevelInfo
	}
	return logging.NewRedactingHandler(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

// openDriver is the database/sql driver of every connection: lib/pq,
// wrapped for tracing when tracing is on.
func openDriver() string {
	if tracing.Enabled() {
		return tracing.SQLDriver()
	}
	return "postgres"
}

// openReplica connects to DATABASE_REPLICA_URL, or returns nil when it is
// unset. A replica is never migrated: it follows the primary.
func openReplica(ctx context.Context, cfg config) (*sqlx.DB, error) {
	if cfg.ReplicaURL == "" {
		return nil, nil
	}
	conn, err := db.OpenDriver(ctx, openDriver(), cfg.ReplicaURL, cfg.StatementTimeout)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_REPLICA_URL: %w", err)
	}
	return conn, nil
}

// readStore is the store read-only resolvers use.
func (o ops) readStore() *db.Store {
	if o.replica == nil {
		return nil
	}
	return db.NewStore(o.replica)
}

// graphQLExtensions are the persisted-query, metrics and tracing
// extensions of the GraphQL endpoint. In allow-list mode the registered
// operation names get their own metrics label.
func (o ops) graphQLExtensions(cfg config, store *db.Store) []graphql.HandlerExtension {
	if cfg.PersistedQueries == graph.PersistedQueryAllowList {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if registered, err := store.PersistedQueries.List(ctx); err != nil {
			slog.Warn("could not read the persisted-query operation names for the metrics", "err", err)
		} else {
			for _, q := range registered {
				o.metrics.KnowOperations(q.OperationNames...)
			}
		}
	}
	exts := append(graph.PersistedQueries(cfg.PersistedQueries, store), o.metrics.GraphQL())
	if tracing.Enabled() {
		exts = append(exts, tracing.GraphQL())
	}
	return exts
}

// observed wraps the router: a trace span (when tracing is on) around the
// access log and the HTTP metrics.
func (o ops) observed(mux http.Handler) http.Handler {
	h := o.metrics.Middleware(mux)
	if tracing.Enabled() {
		h = tracing.Middleware(h)
	}
	return h
}

// serveMetrics serves /metrics on METRICS_ADDR, when set, until ctx ends.
// It fails when it cannot listen there.
func serveMetrics(ctx context.Context, cfg config, metrics *observe.Metrics) error {
	if cfg.MetricsAddr == "" {
		return nil
	}
	l, err := net.Listen("tcp", cfg.MetricsAddr)
	if err != nil {
		return fmt.Errorf("METRICS_ADDR: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	go func() {
		slog.Info("serving metrics", "addr", cfg.MetricsAddr, "path", "/metrics")
		if err := srv.Serve(l); err != nil && err != http.ErrServerClosed {
			slog.Error("metrics listener failed", "err", err)
		}
	}()
	return nil
}

// servePprof serves Go's profiles (/debug/pprof/) on PPROF_ADDR, when set,
// until ctx ends: for profiling under load (see docs/performance.md). Keep
// it on a private address; it is off by default. It fails when it cannot
// listen there.
func servePprof(ctx context.Context, cfg config) error {
	if cfg.PprofAddr == "" {
		return nil
	}
	l, err := net.Listen("tcp", cfg.PprofAddr)
	if err != nil {
		return fmt.Errorf("PPROF_ADDR: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	go func() {
		slog.Info("serving profiles", "addr", cfg.PprofAddr, "path", "/debug/pprof/")
		if err := srv.Serve(l); err != nil && err != http.ErrServerClosed {
			slog.Error("pprof listener failed", "err", err)
		}
	}()
	return nil
}
