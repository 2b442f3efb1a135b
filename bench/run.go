package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/pgcluster"
)

// report is everything one bench run measured.
type report struct {
	cfg   config
	Setup setup
	Main  *popResults
	Scale *popResults
	Total time.Duration
}

// popResults are the measurements on one population.
type popResults struct {
	Persons  int
	LoadTime time.Duration // zero when a kept database was reused
	Runs     []measurement
	Notes    []string // what could not be measured, and why
}

// measurement is one load run of one shape against one system.
type measurement struct {
	Shape  string
	System string // cprgraph, PostGraphile or pgbench
	Mode   string // closed or constant
	Res    result
	Others float64 // share of the machine's CPU other processes used meanwhile (-1: unknown)
	// Evidence is what the server and the database did during a
	// constant-rate run of cprgraph (nil: not read).
	Evidence *evidence
}

// Systems and modes of a measurement.
const (
	sysOurs     = "cprgraph"
	sysPGL      = "PostGraphile"
	sysPgbench  = "pgbench"
	modeClosed  = "closed"
	modeRate    = "constant"
	shapeTypeOf = "__typename"
)

func (p *popResults) add(m measurement) {
	p.Runs = append(p.Runs, m)
	r := m.Res
	slog.Info("measured", "persons", p.Persons, "shape", m.Shape, "system", m.System, "mode", m.Mode,
		"requests", r.Requests, "errors", r.Errors, "req/s", fmt.Sprintf("%.0f", r.Throughput()),
		"p50", r.Quantile(0.5).Round(10*time.Microsecond), "p99", r.Quantile(0.99).Round(10*time.Microsecond))
	if r.Errors > 0 {
		slog.Warn("errors", "shape", m.Shape, "system", m.System, "first", r.FirstError)
	}
}

// find returns the measurement of shape, system and mode.
func (p *popResults) find(shape, system, mode string) (measurement, bool) {
	if p == nil {
		return measurement{}, false
	}
	for _, m := range p.Runs {
		if m.Shape == shape && m.System == system && m.Mode == mode {
			return m, true
		}
	}
	return measurement{}, false
}

// run measures everything cfg asks for.
func run(ctx context.Context, cfg config) (*report, error) {
	adminURL := os.Getenv("DATABASE_URL")
	if adminURL == "" {
		// A cluster of its own that commits durably, as production does
		// (the development cluster in .pgdata runs with fsync off).
		dir := os.Getenv("BENCH_PGDATA")
		if dir == "" {
			dir = filepath.Join(cfg.Root, ".pgdata-bench")
		}
		var err error
		if adminURL, err = pgcluster.EnsureDurable(ctx, dir); err != nil {
			return nil, err
		}
	}
	work, err := os.MkdirTemp("", "cprgraph-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	bin := cfg.Server
	if bin == "" {
		slog.Info("building the server")
		if bin, err = buildServer(ctx, cfg.Root, work); err != nil {
			return nil, err
		}
	}
	b := &bencher{cfg: cfg, bin: bin, work: work, postmaster: findPostmaster(ctx, adminURL)}
	rep := &report{cfg: cfg, Setup: describeSetup(ctx, adminURL)}

	main, err := openPopulation(ctx, adminURL, fmt.Sprintf("%s%d", cfg.DBPrefix, cfg.Persons), cfg.Persons, cfg.Keep)
	if err != nil {
		return nil, err
	}
	rep.Main, err = b.measureAll(ctx, main)
	if cerr := main.close(context.Background(), adminURL, cfg.Keep); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if cfg.ScalePersons > 0 && cfg.ScalePersons != cfg.Persons {
		small, err := openPopulation(ctx, adminURL, fmt.Sprintf("%s%d", cfg.DBPrefix, cfg.ScalePersons), cfg.ScalePersons, cfg.Keep)
		if err != nil {
			return nil, err
		}
		rep.Scale, err = b.measureScaling(ctx, small, rep.Main)
		if cerr := small.close(context.Background(), adminURL, cfg.Keep); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, err
		}
	}
	rep.Setup.LoadAfter = loadAverage()
	rep.Setup.Node, rep.Setup.PostGraphile = postGraphileVersions(ctx, cfg.Root) // installed by the run
	return rep, nil
}

// bencher runs the load against the servers.
type bencher struct {
	cfg        config
	bin        string // the cprgraph binary
	work       string // folder for logs
	postmaster int    // the local database server's process id; 0: not local
}

// findPostmaster returns the process id of the database server of dbURL
// when it runs on this machine, else 0.
func findPostmaster(ctx context.Context, dbURL string) int {
	conn, err := sqlx.Open("postgres", dbURL)
	if err != nil {
		return 0
	}
	defer conn.Close()
	var backend int
	if err := conn.GetContext(ctx, &backend, `SELECT pg_backend_pid()`); err != nil {
		return 0
	}
	return postmasterOf(backend)
}

// metered runs measure and returns its result with the share of the
// machine's CPU other processes used meanwhile (-1 when the database does
// not run here).
func (b *bencher) metered(server *process, measure func() result) (result, float64) {
	if b.postmaster == 0 {
		return measure(), -1
	}
	m := &cpuMeter{roots: []int{b.postmaster}}
	if server != nil {
		m.roots = append(m.roots, server.cmd.Process.Pid)
	}
	before := m.sample()
	r := measure()
	return r, others(before, m.sample())
}

// measureAll measures every shape against cprgraph, PostGraphile and
// pgbench on the population, one system at a time.
func (b *bencher) measureAll(ctx context.Context, pop *population) (*popResults, error) {
	out := &popResults{Persons: pop.persons, LoadTime: pop.loadTime}
	if err := b.measureOurs(ctx, pop, out, nil); err != nil {
		return nil, err
	}
	if b.cfg.PostGraphile {
		if err := b.measurePostGraphile(ctx, pop, out); err != nil {
			slog.Warn("PostGraphile not measured", "err", err)
			out.Notes = append(out.Notes, fmt.Sprintf("PostGraphile could not be measured: %v", err))
		}
	}
	if b.cfg.Pgbench {
		if err := b.measurePgbench(ctx, pop, out); err != nil {
			slog.Warn("pgbench not measured", "err", err)
			out.Notes = append(out.Notes, fmt.Sprintf("pgbench could not be measured: %v", err))
		}
	}
	return out, nil
}

// measureScaling measures the point and landlord lookups on the smaller
// population, at the constant rates used on the main one.
func (b *bencher) measureScaling(ctx context.Context, pop *population, main *popResults) (*popResults, error) {
	out := &popResults{Persons: pop.persons, LoadTime: pop.loadTime}
	err := b.measureOurs(ctx, pop, out, func(s shape) (float64, bool) {
		if s.name != shapePoint && s.name != shapeLandlord {
			return 0, false
		}
		m, ok := main.find(s.name, sysOurs, modeRate)
		return m.Res.Rate, ok
	})
	return out, err
}

// measureOurs starts cprgraph on the population and measures its
// __typename rate and the shapes: closed-loop, then at a constant rate.
// With rateOf, only the shapes it accepts are measured, at its rates;
// otherwise every shape, at RateShare of its closed-loop throughput.
func (b *bencher) measureOurs(ctx context.Context, pop *population, out *popResults, rateOf func(shape) (float64, bool)) error {
	pprofAddr := ""
	if b.cfg.Pprof != "" {
		var err error
		if pprofAddr, err = freeAddr(); err != nil {
			return err
		}
		if err := os.MkdirAll(b.cfg.Pprof, 0o755); err != nil {
			return err
		}
	}
	srv, err := startCprgraph(ctx, b.bin, b.work, pop.url, pprofAddr)
	if err != nil {
		return err
	}
	defer srv.stop()
	endpoint := srv.url + "/graphql"
	as := func(key string) *target {
		return &target{url: endpoint, header: map[string]string{"Authorization": "Bearer " + key}}
	}
	if pop.in.eventCursors, err = pickCursors(ctx, as(pop.authority), oursCursorQuery, "personEvents", 20); err != nil {
		return fmt.Errorf("event cursors: %w", err)
	}
	if rateOf == nil {
		tn := &target{url: endpoint, bodies: [][]byte{[]byte(`{"query":"{ __typename }"}`)}}
		b.warmup(ctx, tn)
		r, o := b.metered(srv, func() result { return b.closed(ctx, tn) })
		out.add(measurement{Shape: shapeTypeOf, System: sysOurs, Mode: modeClosed, Res: r, Others: o})
	}
	for _, s := range shapes(&pop.in) {
		rate, measure := 0.0, b.wants(s.name)
		if measure && rateOf != nil {
			rate, measure = rateOf(s)
		}
		if !measure {
			continue
		}
		key := pop.authority
		if s.landlord {
			key = pop.landlord
		}
		t := as(key)
		if t.bodies, err = validate(ctx, t, bodies(s.ours, s.oursVars), b.cfg.Workers); err != nil {
			return fmt.Errorf("cprgraph %s: %w", s.name, err)
		}
		b.warmup(ctx, t)
		var closed result
		var o float64
		b.profiled(ctx, pprofAddr, fmt.Sprintf("%s-%d", s.name, pop.persons), func() {
			closed, o = b.metered(srv, func() result { return b.closed(ctx, t) })
		})
		out.add(measurement{Shape: s.name, System: sysOurs, Mode: modeClosed, Res: closed, Others: o})
		if rate == 0 {
			rate = closed.Throughput() * b.cfg.RateShare
		}
		before, err := snapshot(ctx, srv.url+"/metrics", pop.conn)
		r, o := b.metered(srv, func() result { return b.constant(ctx, t, rate) })
		m := measurement{Shape: s.name, System: sysOurs, Mode: modeRate, Res: r, Others: o}
		if after, err2 := snapshot(ctx, srv.url+"/metrics", pop.conn); err == nil && err2 == nil {
			e := after.since(before)
			m.Evidence = &e
		} else {
			slog.Warn("no evidence of the run", "shape", s.name, "err", errors.Join(err, err2))
		}
		out.add(m)
	}
	return nil
}

// measurePostGraphile starts PostGraphile on the population (as the
// read-only role) and measures the shapes it can express, closed-loop.
func (b *bencher) measurePostGraphile(ctx context.Context, pop *population, out *popResults) error {
	srv, err := startPostGraphile(ctx, b.cfg.Root, b.work, pop.readerURL)
	if err != nil {
		return err
	}
	defer srv.stop()
	out.Notes = append(out.Notes, "PostGraphile serves the tables as they are, as a read-only role: no authentication, "+
		"no masking of protected persons, no audit log, no rate limit; cprgraph does all four on every request.")
	endpoint := srv.url + "/graphql"
	pgl := func() *target { return &target{url: endpoint} }
	if pop.in.pglCursors, err = pickCursors(ctx, pgl(), pglCursorQuery, "allPersonEvents", 20); err != nil {
		return fmt.Errorf("event cursors: %w", err)
	}
	tn := pgl()
	tn.bodies = [][]byte{[]byte(`{"query":"{ __typename }"}`)}
	b.warmup(ctx, tn)
	r, o := b.metered(srv, func() result { return b.closed(ctx, tn) })
	out.add(measurement{Shape: shapeTypeOf, System: sysPGL, Mode: modeClosed, Res: r, Others: o})
	for _, s := range shapes(&pop.in) {
		if !b.wants(s.name) {
			continue
		}
		if s.pgl == "" {
			out.Notes = append(out.Notes, fmt.Sprintf("PostGraphile, %s: %s.", s.name, s.pglNote))
			continue
		}
		t := pgl()
		if t.bodies, err = validate(ctx, t, bodies(s.pgl, s.pglVars), b.cfg.Workers); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		b.warmup(ctx, t)
		r, o := b.metered(srv, func() result { return b.closed(ctx, t) })
		out.add(measurement{Shape: s.name, System: sysPGL, Mode: modeClosed, Res: r, Others: o})
	}
	return nil
}

// measurePgbench runs the point and landlord scripts.
func (b *bencher) measurePgbench(ctx context.Context, pop *population, out *popResults) error {
	bin, err := findPgbench()
	if err != nil {
		return err
	}
	for _, s := range []struct {
		shape string
		n     int
	}{{shapePoint, len(pop.in.cprs)}, {shapeLandlord, len(pop.in.stairwells)}} {
		if !b.wants(s.shape) {
			continue
		}
		script := filepath.Join(b.cfg.Root, "bench", "sql", s.shape+".sql")
		if _, err := runPgbench(ctx, bin, script, pop.url, b.work, b.cfg.Workers, b.cfg.Warmup, s.n); err != nil {
			return err
		}
		var res result
		res, o := b.metered(nil, func() result {
			res, err = runPgbench(ctx, bin, script, pop.url, b.work, b.cfg.Workers, b.cfg.Duration, s.n)
			return res
		})
		if err != nil {
			return err
		}
		out.add(measurement{Shape: s.shape, System: sysPgbench, Mode: modeClosed, Res: res, Others: o})
	}
	return nil
}

// wants reports whether the shape is to be measured.
func (b *bencher) wants(shape string) bool {
	return len(b.cfg.Shapes) == 0 || slices.Contains(b.cfg.Shapes, shape)
}

func (b *bencher) warmup(ctx context.Context, t *target) {
	closedLoop(ctx, t, newClient(b.cfg.Workers), b.cfg.Workers, b.cfg.Warmup, b.cfg.MaxRequests)
}

func (b *bencher) closed(ctx context.Context, t *target) result {
	return closedLoop(ctx, t, newClient(b.cfg.Workers), b.cfg.Workers, b.cfg.Duration, b.cfg.MaxRequests)
}

// constantWorkers bounds the concurrent requests of a constant-rate run.
const constantWorkers = 64

func (b *bencher) constant(ctx context.Context, t *target, rate float64) result {
	return constantRate(ctx, t, newClient(constantWorkers), constantWorkers, rate, b.cfg.Duration, b.cfg.MaxRequests)
}

// profiled runs measure while taking a CPU profile of the server into
// the pprof folder as NAME.pprof, when profiling is on.
func (b *bencher) profiled(ctx context.Context, pprofAddr, name string, measure func()) {
	if pprofAddr == "" {
		measure()
		return
	}
	seconds := max(1, int(b.cfg.Duration.Seconds())-1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		f, err := os.Create(filepath.Join(b.cfg.Pprof, name+".pprof"))
		if err != nil {
			slog.Warn("profile", "err", err)
			return
		}
		defer f.Close()
		if err := fetch(ctx, fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", pprofAddr, seconds), f); err != nil {
			slog.Warn("profile", "err", err)
		}
	}()
	measure()
	wg.Wait()
}

// maxInputs caps the inputs of a shape that are checked and used.
const maxInputs = 1000

// validate sends each of the first maxInputs bodies once (workers at a
// time, which also warms the caches) and returns those answered without
// error; an error when none is.
func validate(ctx context.Context, t *target, all [][]byte, workers int) ([][]byte, error) {
	all = all[:min(len(all), maxInputs)]
	ok := make([]bool, len(all))
	var (
		mu    sync.Mutex
		first string
		wg    sync.WaitGroup
		next  = make(chan int)
	)
	c := newClient(workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var w worker
			for i := range next {
				if err := t.send(ctx, c, all[i], &w.buf); err != nil {
					mu.Lock()
					if first == "" {
						first = err.Error()
					}
					mu.Unlock()
					continue
				}
				ok[i] = true
			}
		}()
	}
	for i := range all {
		next <- i
	}
	close(next)
	wg.Wait()
	var out [][]byte
	for i, body := range all {
		if ok[i] {
			out = append(out, body)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no input was answered without error; the first error: %s", first)
	}
	if dropped := len(all) - len(out); dropped > 0 {
		slog.Warn("inputs answered with an error are left out", "dropped", dropped, "of", len(all), "first", first)
	}
	return out, nil
}
