// Command cprgraph serves the CPR person register as GraphQL.
//
//	cprgraph [serve] [-demo]   run the server (the default command)
//	cprgraph migrate           apply pending migrations and exit
//	cprgraph import FILE...    import seed-004 datatype files (JSON Lines or CSV)
//	cprgraph seed -persons N   load a synthetic population into an empty register
//	cprgraph admin <command>   manage organisations, clients and owner links
//	cprgraph audit-verify      check the audit log's hash chain (-month YYYY-MM: one month)
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
	"syscall"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/access"
	"cprgraph/app"
	"cprgraph/cli"
	"cprgraph/db"
	"cprgraph/eventfeed"
	"cprgraph/graph"
	"cprgraph/logging"
	"cprgraph/observe"
	"cprgraph/tracing"
	"cprgraph/webhook"
)

func main() {
	logger := slog.New(logging.NewJSONHandler(os.Stderr))
	slog.SetDefault(logger)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:])
	switch {
	case errors.Is(err, flag.ErrHelp):
	case err != nil && ctx.Err() != nil:
		// Interrupted (Ctrl-C, SIGTERM) while starting: not a failure.
		logger.Info("interrupted", "err", err)
	case err != nil:
		logger.Error("fatal", "err", err)
		os.Exit(1)
	}
}

// usage is the help of -h, -help and help.
const usage = `cprgraph serves the CPR person register as GraphQL.

Usage: cprgraph [command] [flags]

Commands:
  serve [-demo] [-demo-persons N]   run the server (the default command); -demo loads a
                                    demo population and creates demo clients
  migrate                           apply pending migrations and exit
  import [-type T] FILE...          import seed-004 datatype files (JSON Lines or CSV)
  seed [-persons N] [-seed S]       load a synthetic population into an empty register
  admin <command>                   manage organisations, clients and owner links
  audit-verify [-month YYYY-MM]     check the audit log's hash chain (-month: one month's
                                    partition, chained from the row before it)
  persisted-queries register|list   manage the persisted-query allow-list

Configuration comes from the environment (DATABASE_URL, LISTEN_ADDR, ...): see README.md.
Without DATABASE_URL a private PostgreSQL cluster is started in PGDATA_DIR (.pgdata).
`

func run(ctx context.Context, args []string) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	if cmd == "help" || (cmd == "serve" && len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help")) {
		fmt.Fprint(os.Stdout, usage)
		return flag.ErrHelp
	}
	cfg, err := app.LoadConfig()
	if err != nil {
		return err
	}
	out := os.Stdout
	switch cmd {
	case "serve":
		return serve(ctx, cfg, args)
	case "migrate":
		return withDB(ctx, cfg, func(*sqlx.DB) error { return nil })
	case "import":
		return withDB(ctx, cfg, func(conn *sqlx.DB) error { return cli.Import(ctx, conn, args, out) })
	case "seed":
		return withDB(ctx, cfg, func(conn *sqlx.DB) error { return cli.Seed(ctx, conn, args, out) })
	case "admin":
		return withDB(ctx, cfg, func(conn *sqlx.DB) error { return cli.Admin(ctx, db.NewStore(conn), args, out) })
	case "audit-verify":
		return withDB(ctx, cfg, func(conn *sqlx.DB) error {
			checkpoints, err := app.ReadAuditCheckpoints(cfg.AuditCheckpointFile)
			if err != nil {
				return err
			}
			return cli.AuditVerify(ctx, db.NewStore(conn).WithAuditKeys(app.AuditKeys(cfg)), checkpoints, args, out)
		})
	case "persisted-queries":
		return withDB(ctx, cfg, func(conn *sqlx.DB) error { return cli.PersistedQueries(ctx, db.NewStore(conn), args, out) })
	default:
		return fmt.Errorf("unknown command %q (want serve, migrate, import, seed, admin, audit-verify or persisted-queries)", cmd)
	}
}

// withDB runs fn on the migrated database and closes it afterwards.
func withDB(ctx context.Context, cfg app.Config, fn func(conn *sqlx.DB) error) error {
	conn, err := app.OpenDB(ctx, cfg)
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

// serve runs the server until ctx ends, then shuts it down gracefully:
// requests in flight finish within cfg.ShutdownTimeout, subscriptions end,
// and the database closes last.
func serve(ctx context.Context, cfg app.Config, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	demo := fs.Bool("demo", false, "on start, load a demo population into an empty register and create demo clients")
	demoPersons := fs.Int("demo-persons", 5000, "size of the demo population")
	fs.SetOutput(os.Stdout)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.AuditKey == "" {
		if !*demo {
			return errors.New("AUDIT_KEY is not set: the audit chain is keyed with a secret the database never sees (docs/operations.md)")
		}
		cfg.AuditKey = app.EphemeralAuditKey()
		slog.Warn("AUDIT_KEY is not set: the demo keys its audit chain with a key generated for this run; audit-verify cannot check this run's rows after it ends")
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGOGC)
	}
	stopTracing, err := tracing.Setup(ctx, app.Version)
	if err != nil {
		return err
	}
	defer stopTracing(context.Background())
	if cfg.DatabaseURL, err = app.DatabaseURL(ctx, cfg); err != nil {
		return err
	}
	conn, err := app.OpenDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close()
	replica, err := app.OpenReplica(ctx, cfg)
	if err != nil {
		return err
	}
	if replica != nil {
		defer replica.Close()
	}
	store := db.NewStore(conn).WithAuditKeys(app.AuditKeys(cfg))
	events, err := eventfeed.New(ctx, cfg.DatabaseURL, store.Events)
	if err != nil {
		return fmt.Errorf("event listener: %w", err)
	}
	defer events.Close()
	metrics := observe.NewMetrics()
	if err := app.ServeMetrics(ctx, cfg, metrics); err != nil {
		return err
	}
	if err := app.ServePprof(ctx, cfg); err != nil {
		return err
	}
	var demoKeys map[access.Profile]string
	if *demo {
		if demoKeys, err = app.SetupDemo(ctx, conn, *demoPersons, os.Stdout); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}

	checkpointsDone := make(chan struct{})
	if cfg.AuditCheckpointFile != "" {
		checkpointCtx, stopCheckpoints := context.WithCancel(context.Background())
		go func() {
			defer close(checkpointsDone)
			app.RunAuditCheckpoints(checkpointCtx, store, cfg.AuditCheckpointFile, cfg.AuditCheckpointInterval, cfg.AuditRetentionMonths)
		}()
		defer func() { stopCheckpoints(); <-checkpointsDone }() // the last checkpoint after the last request, before the database closes
	} else {
		close(checkpointsDone)
		slog.Warn("AUDIT_CHECKPOINT_FILE is not set: no checkpoints of the audit chain are kept outside the database, so rows cut from its tail go unnoticed")
	}
	// The daily sweep of forwarding-address expiries (each expiry once,
	// whichever instance sweeps first).
	sweepCtx, stopSweeps := context.WithCancel(ctx)
	swept := make(chan struct{})
	go func() {
		defer close(swept)
		app.RunForwardingSweeps(sweepCtx, conn, time.Hour)
	}()
	defer func() { stopSweeps(); <-swept }()
	// Webhook deliveries: every instance runs a dispatcher; the queue's row
	// locks make each delivery once.
	dispatchCtx, stopDispatch := context.WithCancel(ctx)
	dispatched := make(chan struct{})
	go func() {
		defer close(dispatched)
		(&webhook.Dispatcher{Store: store, Audit: webhook.Auditor(graph.StoreAuditor(store))}).Run(dispatchCtx)
	}()
	defer func() { stopDispatch(); <-dispatched }()

	srv := &http.Server{
		Addr:              cfg.ListenAddr,
		Handler:           app.NewHandler(cfg, app.Deps{DB: conn, Store: store, Replica: replica, Metrics: metrics, Events: events, DemoKeys: demoKeys}),
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
