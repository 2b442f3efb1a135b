// Command cprgraph serves the CPR person register as GraphQL.
//
//	cprgraph [serve] [-demo]   run the server (the default command)
//	cprgraph migrate           apply pending migrations and exit
//	cprgraph import FILE...    import seed-004 datatype files (JSON Lines or CSV)
//	cprgraph seed -persons N   load a synthetic population into an empty register
//	cprgraph admin <command>   manage organisations, clients and owner links
//	cprgraph audit-verify      check the audit log's hash chain
//	cprgraph persisted-queries register FILE_OR_DIR...   register documents for the allow-list
//
// Configuration comes from the environment; see README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/auth"
	"cprgraph/db"
	"cprgraph/eventfeed"
	"cprgraph/export"
	"cprgraph/gen"
	"cprgraph/graph"
	"cprgraph/ingest"
	"cprgraph/limits"
	"cprgraph/observe"
	"cprgraph/pgcluster"
	"cprgraph/tracing"
	"cprgraph/web"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// config is the server's configuration, read from the environment.
type config struct {
	DatabaseURL      string        // DATABASE_URL; empty: start a private cluster in PGDATA_DIR
	PGDataDir        string        // PGDATA_DIR, default .pgdata
	ListenAddr       string        // LISTEN_ADDR, default 127.0.0.1:8080
	StatementTimeout time.Duration // STATEMENT_TIMEOUT, default 5s
	Introspection    bool          // INTROSPECTION, default true
	ShutdownTimeout  time.Duration // SHUTDOWN_TIMEOUT, default 15s
	accessConfig                   // authentication and limits: see access_config.go
	LoaderWait       time.Duration // LOADER_WAIT, default 2ms: how long nested reads gather into one query (docs/performance.md)
	opsConfig                      // replica, metrics, persisted queries: see ops_config.go
}

func loadConfig() (config, error) {
	c := config{
		DatabaseURL:      os.Getenv("DATABASE_URL"),
		PGDataDir:        envOr("PGDATA_DIR", ".pgdata"),
		ListenAddr:       envOr("LISTEN_ADDR", "127.0.0.1:8080"),
		StatementTimeout: 5 * time.Second,
		Introspection:    true,
		ShutdownTimeout:  15 * time.Second,
		LoaderWait:       2 * time.Millisecond,
	}
	var err error
	if v := os.Getenv("STATEMENT_TIMEOUT"); v != "" {
		if c.StatementTimeout, err = time.ParseDuration(v); err != nil {
			return c, fmt.Errorf("STATEMENT_TIMEOUT: %w", err)
		}
	}
	if v := os.Getenv("SHUTDOWN_TIMEOUT"); v != "" {
		if c.ShutdownTimeout, err = time.ParseDuration(v); err != nil {
			return c, fmt.Errorf("SHUTDOWN_TIMEOUT: %w", err)
		}
	}
	if v := os.Getenv("LOADER_WAIT"); v != "" {
		if c.LoaderWait, err = time.ParseDuration(v); err != nil {
			return c, fmt.Errorf("LOADER_WAIT: %w", err)
		}
	}
	if v := os.Getenv("INTROSPECTION"); v != "" {
		if c.Introspection, err = strconv.ParseBool(v); err != nil {
			return c, fmt.Errorf("INTROSPECTION: %w", err)
		}
	}
	if c.accessConfig, err = loadAccessConfig(); err != nil {
		return c, err
	}
	c.opsConfig, err = loadOpsConfig()
	return c, err
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func main() {
	logger := slog.New(newLogHandler(os.Stderr))
	slog.SetDefault(logger)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		logger.Error("fatal", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, args)
	case "migrate":
		return withDB(ctx, cfg, func(*sqlx.DB) error { return nil })
	case "import":
		return importFiles(ctx, cfg, args)
	case "seed":
		return seed(ctx, cfg, args)
	case "admin":
		return withDB(ctx, cfg, func(conn *sqlx.DB) error {
			return adminCommand(ctx, db.NewStore(conn), args, os.Stdout)
		})
	case "audit-verify":
		return withDB(ctx, cfg, func(conn *sqlx.DB) error {
			return auditVerify(ctx, db.NewStore(conn), os.Stdout)
		})
	case "persisted-queries":
		return withDB(ctx, cfg, func(conn *sqlx.DB) error {
			return persistedQueriesCommand(ctx, db.NewStore(conn), args, os.Stdout)
		})
	default:
		return fmt.Errorf("unknown command %q (want serve, migrate, import, seed, admin, audit-verify or persisted-queries)", cmd)
	}
}

// databaseURL returns DATABASE_URL, or when that is unset the URL of the
// private cluster, which it starts.
func databaseURL(ctx context.Context, cfg config) (string, error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, nil
	}
	slog.Info("DATABASE_URL not set: starting the private PostgreSQL cluster", "dir", cfg.PGDataDir)
	return pgcluster.Ensure(ctx, cfg.PGDataDir)
}

// openDB connects to the database of databaseURL and applies pending
// migrations.
func openDB(ctx context.Context, cfg config) (*sqlx.DB, error) {
	dsn, err := databaseURL(ctx, cfg)
	if err != nil {
		return nil, err
	}
	conn, err := db.OpenDriver(ctx, openDriver(), dsn, cfg.StatementTimeout)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx, conn.DB); err != nil {
		conn.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return conn, nil
}

// seed loads a synthetic population into an empty register.
func seed(ctx context.Context, cfg config, args []string) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	persons := fs.Int("persons", 100000, "number of persons")
	seedValue := fs.Int64("seed", 1, "the same seed gives the same population")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withDB(ctx, cfg, func(conn *sqlx.DB) error {
		stats, err := gen.Load(ctx, conn, gen.Options{Persons: *persons, Seed: *seedValue})
		if err != nil {
			return err
		}
		fmt.Fprintln(os.Stdout, stats)
		return nil
	})
}

// importFiles imports seed-004 datatype files, each all-or-nothing.
func importFiles(ctx context.Context, cfg config, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	datatype := fs.String("type", "", "seed-004 datatype of every file (default: from each file name)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	return withDB(ctx, cfg, func(conn *sqlx.DB) error {
		return ingest.Run(ctx, conn, fs.Args(), ingest.Options{Datatype: *datatype}, os.Stdout)
	})
}

// withDB runs fn on the migrated database and closes it afterwards.
func withDB(ctx context.Context, cfg config, fn func(conn *sqlx.DB) error) error {
	conn, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close()
	return fn(conn)
}

// defaultGOGC is the server's GOGC when the environment sets none. The live
// heap is small (tens of MB), so Go's default of 100 collects many times a
// second under load; 400 gives a fifth to a third more throughput at 1M
// persons (docs/performance.md) for a few tens of MB more memory.
const defaultGOGC = 400

func serve(ctx context.Context, cfg config, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "on start, load a demo population into an empty register and create demo clients")
	demoPersons := fs.Int("demo-persons", 5000, "size of the demo population")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGOGC)
	}
	stopTracing, err := tracing.Setup(ctx, version)
	if err != nil {
		return err
	}
	defer stopTracing(context.Background())
	dsn, err := databaseURL(ctx, cfg)
	if err != nil {
		return err
	}
	cfg.DatabaseURL = dsn
	conn, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close()
	replica, err := openReplica(ctx, cfg)
	if err != nil {
		return err
	}
	if replica != nil {
		defer replica.Close()
	}
	events, err := eventfeed.New(ctx, dsn, db.NewStore(conn).Events)
	if err != nil {
		return fmt.Errorf("event listener: %w", err)
	}
	defer events.Close()
	o := ops{replica: replica, metrics: observe.NewMetrics(), events: events}
	if err := serveMetrics(ctx, cfg, o.metrics); err != nil {
		return err
	}
	if err := servePprof(ctx, cfg); err != nil {
		return err
	}
	if *demo {
		if err := setupDemo(ctx, conn, *demoPersons); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}

	srv := &http.Server{
		Addr:              cfg.ListenAddr,
		Handler:           newRouterWith(cfg, conn, db.NewStore(conn), o),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	srv.RegisterOnShutdown(func() { events.Close() }) // ends the subscriptions, which Shutdown does not wait for
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	slog.Info("serving", "addr", cfg.ListenAddr, "graphiql", "http://"+cfg.ListenAddr+"/", "graphql", "/graphql")

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newRouter wires every HTTP endpoint of the server; store runs the
// queries (on conn, or on a wrapper of it in tests). A GraphQL request
// passes, in order: the body size limit, authentication (401), the
// per-client rate limit (429), then GraphQL with its depth and complexity
// limits, the masking middleware and the audit write.
func newRouter(cfg config, conn *sqlx.DB, store *db.Store) http.Handler {
	return newRouterWith(cfg, conn, store, ops{})
}

// newRouterWith is newRouter with a read replica, a metrics registry and
// the change-event listener (see ops.go). Every request is traced (when
// tracing is on), counted and logged.
func newRouterWith(cfg config, conn *sqlx.DB, store *db.Store, o ops) http.Handler {
	if o.metrics == nil {
		o.metrics = observe.NewMetrics()
	}
	authn := auth.New(store, cfg.JWT, cfg.AllowAnonymous)
	var gql http.Handler = graph.NewHandler(&graph.Resolver{Version: version, Store: store, ReadStore: o.readStore(), Events: o.events}, graph.Options{
		Introspection: cfg.Introspection,
		Audit:         o.metrics.TimeAudits(graph.StoreAuditor(store)),
		MaxDepth:      cfg.MaxQueryDepth,
		MaxComplexity: cfg.MaxComplexity,
		WebsocketInit: authn.WebsocketInit,
		LoaderWait:    cfg.LoaderWait,
		Extensions:    o.graphQLExtensions(cfg, store),
	})
	if cfg.RateLimitRPS > 0 {
		limiter := limits.NewRateLimiter(cfg.RateLimitRPS, cfg.RateLimitBurst)
		limiter.OnReject = o.metrics.RateLimited
		gql = limiter.Middleware(gql)
	}
	mux := http.NewServeMux()
	mux.Handle("/graphql", limits.Body(cfg.MaxBodyBytes, authn.Middleware(gql)))
	mux.Handle("GET /export/residents.csv", authn.Middleware(export.Residents(gql, export.CSV)))
	mux.Handle("GET /export/residents.xlsx", authn.Middleware(export.Residents(gql, export.XLSX)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := conn.PingContext(ctx); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		if o.replica != nil && o.replica.PingContext(ctx) != nil {
			http.Error(w, "read replica unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	if cfg.GraphiQL {
		mux.Handle("/", web.Handler(web.Options{Endpoint: "/graphql", SubscriptionEndpoint: "/graphql", DefaultTabs: exampleTabs}))
	}
	o.metrics.AddDB("primary", conn.DB)
	if o.replica != nil {
		o.metrics.AddDB("replica", o.replica.DB)
	}
	if cfg.MetricsAddr == "" {
		mux.Handle("GET /metrics", o.metrics.Handler())
	}
	return o.observed(mux)
}
