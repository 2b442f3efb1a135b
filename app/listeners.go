package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"cprgraph/observe"
)

// ServeMetrics serves /metrics on cfg.MetricsAddr, when set, until ctx
// ends. It fails when it cannot listen there.
func ServeMetrics(ctx context.Context, cfg Config, metrics *observe.Metrics) error {
	if cfg.MetricsAddr == "" {
		return nil
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics.Handler())
	return serveSide(ctx, "METRICS_ADDR", cfg.MetricsAddr, mux)
}

// ServePprof serves Go's profiles (/debug/pprof/) on cfg.PprofAddr, when
// set, until ctx ends: for profiling under load (see docs/performance.md).
// Keep it on a private address; it is off by default. It fails when it
// cannot listen there.
func ServePprof(ctx context.Context, cfg Config) error {
	if cfg.PprofAddr == "" {
		return nil
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return serveSide(ctx, "PPROF_ADDR", cfg.PprofAddr, mux)
}

// serveSide serves h on addr (the value of the variable name) until ctx
// ends.
func serveSide(ctx context.Context, name, addr string, h http.Handler) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	go func() {
		slog.Info("serving "+name, "addr", addr)
		if err := srv.Serve(l); err != nil && err != http.ErrServerClosed {
			slog.Error("side listener failed", "listener", name, "err", err)
		}
	}()
	return nil
}
