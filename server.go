// Command cprgraph serves the CPR person register as GraphQL.
//
//	cprgraph [serve] [-demo]   run the server (the default command)
//	cprgraph migrate           apply pending migrations and exit
//	cprgraph seed -persons N   load a synthetic population
//	cprgraph admin <command>   manage organisations, clients and owner links
//	cprgraph audit-verify      check the audit log's hash chain
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
	"strconv"
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/auth"
	"cprgraph/db"
	"cprgraph/graph"
	"cprgraph/limits"
	"cprgraph/logging"
	"cprgraph/pgcluster"
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

	GraphiQL       bool           // GRAPHIQL, default true: serve the IDE at /
	AllowAnonymous bool           // ALLOW_ANONYMOUS_INTROSPECTION, default true
	JWT            auth.JWTConfig // JWT_HS256_SECRET, JWT_PUBLIC_KEYS_FILE, JWT_ISSUER, JWT_AUDIENCE
	MaxQueryDepth  int            // MAX_QUERY_DEPTH, default 12 (0: none)
	MaxComplexity  int            // MAX_QUERY_COMPLEXITY, default 1000 (0: none)
	MaxBodyBytes   int64          // MAX_BODY_BYTES, default 1 MiB
	RateLimitRPS   float64        // RATE_LIMIT_RPS per client, default 50 (0: none)
	RateLimitBurst int            // RATE_LIMIT_BURST, default 100
}

func loadConfig() (config, error) {
	c := config{
		DatabaseURL: os.Getenv("DATABASE_URL"),
		PGDataDir:   envOr("PGDATA_DIR", ".pgdata"),
		ListenAddr:  envOr("LISTEN_ADDR", "127.0.0.1:8080"),
		JWT: auth.JWTConfig{
			HS256Secret: []byte(os.Getenv("JWT_HS256_SECRET")),
			Issuer:      os.Getenv("JWT_ISSUER"),
			Audience:    os.Getenv("JWT_AUDIENCE"),
		},
	}
	err := errors.Join(
		envParse("STATEMENT_TIMEOUT", &c.StatementTimeout, 5*time.Second, time.ParseDuration),
		envParse("SHUTDOWN_TIMEOUT", &c.ShutdownTimeout, 15*time.Second, time.ParseDuration),
		envParse("INTROSPECTION", &c.Introspection, true, strconv.ParseBool),
		envParse("GRAPHIQL", &c.GraphiQL, true, strconv.ParseBool),
		envParse("ALLOW_ANONYMOUS_INTROSPECTION", &c.AllowAnonymous, true, strconv.ParseBool),
		envParse("MAX_QUERY_DEPTH", &c.MaxQueryDepth, 12, strconv.Atoi),
		envParse("MAX_QUERY_COMPLEXITY", &c.MaxComplexity, 1000, strconv.Atoi),
		envParse("MAX_BODY_BYTES", &c.MaxBodyBytes, 1<<20, func(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }),
		envParse("RATE_LIMIT_RPS", &c.RateLimitRPS, 50, func(s string) (float64, error) { return strconv.ParseFloat(s, 64) }),
		envParse("RATE_LIMIT_BURST", &c.RateLimitBurst, 100, strconv.Atoi),
	)
	if err != nil {
		return c, err
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

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func main() {
	logger := slog.New(logging.NewRedactingHandler(slog.NewJSONHandler(os.Stderr, nil)))
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
		conn, err := openDB(ctx, cfg)
		if err != nil {
			return err
		}
		return conn.Close()
	case "admin":
		conn, err := openDB(ctx, cfg)
		if err != nil {
			return err
		}
		defer conn.Close()
		return adminCommand(ctx, db.NewStore(conn), args, os.Stdout)
	case "audit-verify":
		conn, err := openDB(ctx, cfg)
		if err != nil {
			return err
		}
		defer conn.Close()
		return auditVerify(ctx, db.NewStore(conn), os.Stdout)
	default:
		return fmt.Errorf("unknown command %q (want serve, migrate, admin or audit-verify)", cmd)
	}
}

// openDB connects to DATABASE_URL, or to the private cluster it starts when
// that is unset, and applies pending migrations.
func openDB(ctx context.Context, cfg config) (*sqlx.DB, error) {
	dsn := cfg.DatabaseURL
	if dsn == "" {
		slog.Info("DATABASE_URL not set: starting the private PostgreSQL cluster", "dir", cfg.PGDataDir)
		var err error
		if dsn, err = pgcluster.Ensure(ctx, cfg.PGDataDir); err != nil {
			return nil, err
		}
	}
	conn, err := db.Open(ctx, dsn, cfg.StatementTimeout)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx, conn.DB); err != nil {
		conn.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return conn, nil
}

func serve(ctx context.Context, cfg config, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "load a demo population and create demo clients on start")
	if err := fs.Parse(args); err != nil {
		return err
	}
	conn, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close()
	if *demo {
		if err := setupDemo(ctx, conn); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}

	srv := &http.Server{
		Addr:              cfg.ListenAddr,
		Handler:           newRouter(cfg, conn),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
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

// newRouter wires every HTTP endpoint of the server. A GraphQL request
// passes, in order: the body size limit, authentication (401), the
// per-client rate limit (429), then GraphQL with its depth and complexity
// limits, the masking middleware and the audit write.
func newRouter(cfg config, conn *sqlx.DB) http.Handler {
	store := db.NewStore(conn)
	authn := auth.New(store, cfg.JWT, cfg.AllowAnonymous)
	var gql http.Handler = graph.NewHandler(&graph.Resolver{Version: version, Store: store}, graph.Options{
		Introspection: cfg.Introspection,
		Audit:         graph.StoreAuditor(store),
		MaxDepth:      cfg.MaxQueryDepth,
		MaxComplexity: cfg.MaxComplexity,
		WebsocketInit: authn.WebsocketInit,
	})
	if cfg.RateLimitRPS > 0 {
		gql = limits.NewRateLimiter(cfg.RateLimitRPS, cfg.RateLimitBurst).Middleware(gql)
	}
	mux := http.NewServeMux()
	mux.Handle("/graphql", limits.Body(cfg.MaxBodyBytes, authn.Middleware(gql)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := conn.PingContext(ctx); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	if cfg.GraphiQL {
		mux.Handle("/", web.Handler(web.Options{Endpoint: "/graphql", SubscriptionEndpoint: "/graphql"}))
	}
	return mux
}
