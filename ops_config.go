package main

import (
	"os"

	"cprgraph/graph"
)

// opsConfig is the part of config about running several instances in
// production: the read replica, metrics and persisted queries. Tracing is
// configured by the standard OTEL_* variables (package tracing).
type opsConfig struct {
	ReplicaURL       string                   // DATABASE_REPLICA_URL: read-only queries go there (default: none)
	MetricsAddr      string                   // METRICS_ADDR: serve /metrics on this address only (default: on LISTEN_ADDR)
	PersistedQueries graph.PersistedQueryMode // PERSISTED_QUERIES: apq (default), allowlist or off
	PprofAddr        string                   // PPROF_ADDR: serve Go's /debug/pprof/ on this address (default: off)
}

func loadOpsConfig() (opsConfig, error) {
	c := opsConfig{ReplicaURL: os.Getenv("DATABASE_REPLICA_URL"), MetricsAddr: os.Getenv("METRICS_ADDR"), PprofAddr: os.Getenv("PPROF_ADDR")}
	err := envParse("PERSISTED_QUERIES", &c.PersistedQueries, graph.AutomaticPersistedQueries, graph.ParsePersistedQueryMode)
	return c, err
}
