// Command bench measures cprgraph under load, next to PostGraphile v5 over
// the same database, the raw SQL through pgbench (the database's own limit)
// and cprgraph's `{ __typename }` rate (the GraphQL layer's ceiling), and
// prints the results as markdown tables (docs/performance.md explains them).
//
//	go run ./bench [flags]     (make bench)
//
// It creates a fresh database on a private cluster of its own in
// .pgdata-bench (BENCH_PGDATA), which, unlike the development cluster,
// commits durably (fsync on), or on the server of DATABASE_URL (a superuser
// URL); it loads a synthetic population with gen, builds and starts the
// server with rate limits off and fresh API keys, picks inputs from the
// data, and runs six query shapes closed-loop and at a constant rate, all on
// loopback. Every run is bounded in time and in
// requests. A second, smaller population measures the point and landlord
// lookups again, to show how latency scales with the register's size.
// Flags default to the environment variables BENCH_*; see -h.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"cprgraph/pgcluster"
)

// config says what to measure and how long.
type config struct {
	Persons      int           // the main population
	ScalePersons int           // the smaller population of the scaling runs (0: none)
	Duration     time.Duration // each measured run
	Warmup       time.Duration // the unmeasured run before each shape
	Workers      int           // closed-loop concurrency, and pgbench's clients
	RateShare    float64       // the constant rate as a share of the closed-loop throughput
	MaxRequests  int           // the most requests of one run
	PostGraphile bool          // measure PostGraphile
	Pgbench      bool          // measure pgbench
	Keep         bool          // keep the databases, and reuse them when they hold the population
	Pprof        string        // folder for CPU profiles of the server, one per shape (empty: none)
	Out          string        // also write the report to this file
	Shapes       []string      // the shapes to measure (empty: all)
	Server       string        // a cprgraph binary to measure instead of building the module's
	DBPrefix     string        // database names: DBPrefix + persons
	Root         string        // the module's root folder
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, nil)))
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400) // the load generator shares the machine: less of it collecting garbage
	}
	cfg, err := parseConfig(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	start := time.Now()
	rep, err := run(ctx, cfg)
	if err != nil {
		slog.Error("bench failed", "err", err)
		os.Exit(1)
	}
	rep.Total = time.Since(start)
	md := rep.markdown()
	fmt.Print(md)
	if cfg.Out != "" {
		if err := os.WriteFile(cfg.Out, []byte(md), 0o644); err != nil {
			slog.Error("write report", "err", err)
			os.Exit(1)
		}
	}
}

func parseConfig(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.IntVar(&cfg.Persons, "persons", envInt("BENCH_PERSONS", 1000000), "persons of the main population (BENCH_PERSONS)")
	fs.IntVar(&cfg.ScalePersons, "scale-persons", envInt("BENCH_SCALE_PERSONS", 100000), "persons of the scaling population, 0: no scaling runs (BENCH_SCALE_PERSONS)")
	fs.DurationVar(&cfg.Duration, "duration", envDuration("BENCH_DURATION", 15*time.Second), "length of each measured run (BENCH_DURATION)")
	fs.DurationVar(&cfg.Warmup, "warmup", envDuration("BENCH_WARMUP", 2*time.Second), "unmeasured run before each shape (BENCH_WARMUP)")
	fs.IntVar(&cfg.Workers, "workers", envInt("BENCH_WORKERS", 8), "closed-loop concurrency and pgbench clients (BENCH_WORKERS)")
	fs.Float64Var(&cfg.RateShare, "rate-share", 0.6, "constant rate as a share of the closed-loop throughput")
	fs.IntVar(&cfg.MaxRequests, "max-requests", 500000, "the most requests of one run")
	fs.BoolVar(&cfg.PostGraphile, "postgraphile", envBool("BENCH_POSTGRAPHILE", true), "measure PostGraphile v5 (BENCH_POSTGRAPHILE)")
	fs.BoolVar(&cfg.Pgbench, "pgbench", envBool("BENCH_PGBENCH", true), "measure the raw SQL with pgbench (BENCH_PGBENCH)")
	fs.BoolVar(&cfg.Keep, "keep", envBool("BENCH_KEEP", false), "keep the databases and reuse them when they hold the population (BENCH_KEEP)")
	fs.StringVar(&cfg.Pprof, "pprof", os.Getenv("BENCH_PPROF"), "write a CPU profile of the server per shape into this folder (BENCH_PPROF)")
	fs.StringVar(&cfg.Out, "out", os.Getenv("BENCH_OUT"), "also write the report to this file (BENCH_OUT)")
	fs.StringVar(&cfg.DBPrefix, "db-prefix", "cprgraph_bench_", "prefix of the databases' names")
	fs.StringVar(&cfg.Server, "server", os.Getenv("BENCH_SERVER"), "measure this cprgraph binary instead of building the module's (BENCH_SERVER)")
	shapes := fs.String("shapes", os.Getenv("BENCH_SHAPES"), "comma-separated shapes to measure, default all: point,batch100,landlord,household,search,events (BENCH_SHAPES)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if *shapes != "" {
		cfg.Shapes = strings.Split(*shapes, ",")
	}
	if cfg.Persons < 1000 || cfg.Workers < 1 || cfg.Duration <= 0 || cfg.RateShare <= 0 || cfg.MaxRequests < 1 {
		return cfg, errors.New("bench: -persons must be at least 1000, -workers, -duration, -rate-share and -max-requests positive")
	}
	root, err := pgcluster.ModuleRoot()
	if err != nil {
		return cfg, err
	}
	cfg.Root = root
	return cfg, nil
}

func envInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil {
		return v
	}
	return def
}

func envDuration(key string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(os.Getenv(key)); err == nil {
		return v
	}
	return def
}

func envBool(key string, def bool) bool {
	if v, err := strconv.ParseBool(os.Getenv(key)); err == nil {
		return v
	}
	return def
}
