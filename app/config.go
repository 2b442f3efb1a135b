package app

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"cprgraph/auth"
	"cprgraph/graph"
)

// Config is the server's configuration. LoadConfig reads it from the
// environment; the variable of each field and its default are beside it.
type Config struct {
	DatabaseURL      string        // DATABASE_URL; empty: start a private cluster in PGDataDir
	PGDataDir        string        // PGDATA_DIR, default .pgdata
	ListenAddr       string        // LISTEN_ADDR, default 127.0.0.1:8080
	StatementTimeout time.Duration // STATEMENT_TIMEOUT, default 5s
	ShutdownTimeout  time.Duration // SHUTDOWN_TIMEOUT, default 15s
	LoaderWait       time.Duration // LOADER_WAIT, default 2ms: how long nested reads gather into one query (docs/performance.md)

	// Who may call, and how much.
	Introspection  bool           // INTROSPECTION, default true
	GraphiQL       bool           // GRAPHIQL, default true: serve the IDE at /
	AllowAnonymous bool           // ALLOW_ANONYMOUS_INTROSPECTION, default true
	JWT            auth.JWTConfig // JWT_HS256_SECRET, JWT_PUBLIC_KEYS_FILE, JWT_ISSUER, JWT_AUDIENCE, JWT_LEEWAY (default 30s)
	StreamRecheck  time.Duration  // STREAM_RECHECK_INTERVAL, default 5s: how often an open stream's credential is checked again, and how long an API key's client is cached at most
	MaxQueryDepth  int            // MAX_QUERY_DEPTH, default 12 (0: none)
	MaxComplexity  int            // MAX_QUERY_COMPLEXITY, default 10000 (0: none)
	MaxBodyBytes   int64          // MAX_BODY_BYTES, default 1 MiB
	RateLimitRPS   float64        // RATE_LIMIT_RPS per client, default 50 (0: none)
	RateLimitBurst int            // RATE_LIMIT_BURST, default 100

	// Running several instances in production. Tracing is configured by
	// the standard OTEL_* variables (package tracing).
	ReplicaURL       string                   // DATABASE_REPLICA_URL: read-only queries go there (default: none)
	MetricsAddr      string                   // METRICS_ADDR: serve /metrics on this address only (default: on ListenAddr)
	PersistedQueries graph.PersistedQueryMode // PERSISTED_QUERIES: apq (default), allowlist or off
	PprofAddr        string                   // PPROF_ADDR: serve Go's /debug/pprof/ on this address (default: off)

	// The audit log's tamper evidence (docs/operations.md): the key its
	// chain is keyed with, which the database never sees, and the
	// checkpoints of its head kept outside the database.
	AuditKey                string        // AUDIT_KEY: required by serve (serve -demo generates one for the run)
	AuditPreviousKeys       []string      // AUDIT_PREVIOUS_KEYS: comma-separated keys of before a rotation, for audit-verify
	AuditCheckpointFile     string        // AUDIT_CHECKPOINT_FILE: append checkpoints to this file (default: none)
	AuditCheckpointInterval time.Duration // AUDIT_CHECKPOINT_INTERVAL, default 1m
	// AUDIT_RETENTION_MONTHS: drop the audit log's monthly partitions whose
	// month ended more than this many months ago, once a checkpoint covers
	// them (0, the default: keep every row; needs AUDIT_CHECKPOINT_FILE).
	AuditRetentionMonths int
}

// LoadConfig reads the configuration from the environment. A malformed
// value is an error naming its variable.
func LoadConfig() (Config, error) {
	c := Config{
		DatabaseURL: os.Getenv("DATABASE_URL"),
		ReplicaURL:  os.Getenv("DATABASE_REPLICA_URL"),
		MetricsAddr: os.Getenv("METRICS_ADDR"),
		PprofAddr:   os.Getenv("PPROF_ADDR"),

		AuditKey:            os.Getenv("AUDIT_KEY"),
		AuditCheckpointFile: os.Getenv("AUDIT_CHECKPOINT_FILE"),
		JWT: auth.JWTConfig{
			HS256Secret: []byte(os.Getenv("JWT_HS256_SECRET")),
			Issuer:      os.Getenv("JWT_ISSUER"),
			Audience:    os.Getenv("JWT_AUDIENCE"),
		},
	}
	text := func(s string) (string, error) { return s, nil }
	int64s := func(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }
	floats := func(s string) (float64, error) { return strconv.ParseFloat(s, 64) }
	err := errors.Join(
		envParse("PGDATA_DIR", &c.PGDataDir, ".pgdata", text),
		envParse("LISTEN_ADDR", &c.ListenAddr, "127.0.0.1:8080", text),
		envParse("STATEMENT_TIMEOUT", &c.StatementTimeout, 5*time.Second, time.ParseDuration),
		envParse("SHUTDOWN_TIMEOUT", &c.ShutdownTimeout, 15*time.Second, time.ParseDuration),
		envParse("LOADER_WAIT", &c.LoaderWait, 2*time.Millisecond, time.ParseDuration),
		envParse("JWT_LEEWAY", &c.JWT.Leeway, 30*time.Second, time.ParseDuration),
		envParse("STREAM_RECHECK_INTERVAL", &c.StreamRecheck, auth.DefaultRecheckInterval, time.ParseDuration),
		envParse("INTROSPECTION", &c.Introspection, true, strconv.ParseBool),
		envParse("GRAPHIQL", &c.GraphiQL, true, strconv.ParseBool),
		envParse("ALLOW_ANONYMOUS_INTROSPECTION", &c.AllowAnonymous, true, strconv.ParseBool),
		envParse("MAX_QUERY_DEPTH", &c.MaxQueryDepth, 12, strconv.Atoi),
		envParse("MAX_QUERY_COMPLEXITY", &c.MaxComplexity, 10000, strconv.Atoi),
		envParse("MAX_BODY_BYTES", &c.MaxBodyBytes, 1<<20, int64s),
		envParse("RATE_LIMIT_RPS", &c.RateLimitRPS, 50, floats),
		envParse("RATE_LIMIT_BURST", &c.RateLimitBurst, 100, strconv.Atoi),
		envParse("AUDIT_CHECKPOINT_INTERVAL", &c.AuditCheckpointInterval, time.Minute, time.ParseDuration),
		envParse("AUDIT_RETENTION_MONTHS", &c.AuditRetentionMonths, 0, strconv.Atoi),
		envParse("PERSISTED_QUERIES", &c.PersistedQueries, graph.AutomaticPersistedQueries, graph.ParsePersistedQueryMode),
	)
	if err != nil {
		return c, err
	}
	for k := range strings.SplitSeq(os.Getenv("AUDIT_PREVIOUS_KEYS"), ",") {
		if k = strings.TrimSpace(k); k != "" {
			c.AuditPreviousKeys = append(c.AuditPreviousKeys, k)
		}
	}
	if c.AuditKey != "" && len(c.AuditKey) < 32 {
		return c, errors.New("AUDIT_KEY: at least 32 characters (e.g. openssl rand -hex 32)")
	}
	if file := os.Getenv("JWT_PUBLIC_KEYS_FILE"); file != "" {
		data, err := os.ReadFile(file)
		if err == nil {
			c.JWT.PublicKeys, err = auth.ParsePublicKeys(data)
		}
		if err != nil {
			return c, fmt.Errorf("JWT_PUBLIC_KEYS_FILE: %w", err)
		}
	}
	return c, nil
}

// envParse sets *dst from the environment variable key, or to def when it
// is unset.
func envParse[T any](key string, dst *T, def T, parse func(string) (T, error)) error {
	v := os.Getenv(key)
	if v == "" {
		*dst = def
		return nil
	}
	var err error
	if *dst, err = parse(v); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	return nil
}
