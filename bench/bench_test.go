package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"cprgraph/pgcluster"
)

// TestBenchSmoke runs the whole harness on a small population for a moment
// per run, so the code behind `make bench` (which CI does not run) keeps
// working: databases, inputs, server, load generators, pgbench, report.
// PostGraphile is measured when its npm packages are installed
// (bench/postgraphile/node_modules), pgbench when it is found.
func TestBenchSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the server")
	}
	t.Parallel()
	root, err := pgcluster.ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	_, pgbenchErr := findPgbench()
	_, nodeErr := os.Stat(filepath.Join(root, "bench", "postgraphile", "node_modules", ".bin", "node"))
	suffix := make([]byte, 4)
	rand.Read(suffix)
	cfg := config{
		Persons:      3000,
		ScalePersons: 2000,
		Duration:     time.Second,
		Warmup:       200 * time.Millisecond,
		Workers:      4,
		RateShare:    0.5,
		MaxRequests:  2000,
		PostGraphile: nodeErr == nil,
		Pgbench:      pgbenchErr == nil,
		DBPrefix:     "cprgraph_bench_smoke_" + hex.EncodeToString(suffix) + "_",
		Root:         root,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// Stop the benchmark's cluster afterwards unless it was running.
	if benchDir := filepath.Join(root, ".pgdata-bench"); os.Getenv("DATABASE_URL") == "" && os.Getenv("BENCH_PGDATA") == "" &&
		!pgcluster.Running(ctx, benchDir) {
		t.Cleanup(func() {
			if err := pgcluster.Stop(context.Background(), benchDir); err != nil {
				t.Errorf("stopping the benchmark's cluster: %v", err)
			}
		})
	}
	rep, err := run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ shape, system, mode string }{{shapeTypeOf, sysOurs, modeClosed}}
	for _, s := range []string{shapePoint, shapeBatch, shapeLandlord, shapeHousehold, shapeSearch, shapeEvents} {
		want = append(want, struct{ shape, system, mode string }{s, sysOurs, modeClosed}, struct{ shape, system, mode string }{s, sysOurs, modeRate})
		if cfg.PostGraphile && s != shapeSearch {
			want = append(want, struct{ shape, system, mode string }{s, sysPGL, modeClosed})
		}
	}
	if cfg.Pgbench {
		want = append(want, struct{ shape, system, mode string }{shapePoint, sysPgbench, modeClosed}, struct{ shape, system, mode string }{shapeLandlord, sysPgbench, modeClosed})
	}
	for _, w := range want {
		m, ok := rep.Main.find(w.shape, w.system, w.mode)
		switch {
		case !ok:
			t.Errorf("%s %s %s: not measured (notes: %v)", w.shape, w.system, w.mode, rep.Main.Notes)
		case m.Res.Requests == 0 || m.Res.Errors > 0:
			t.Errorf("%s %s %s: %d requests, %d errors (%s)", w.shape, w.system, w.mode, m.Res.Requests, m.Res.Errors, m.Res.FirstError)
		}
	}
	for _, s := range []string{shapePoint, shapeBatch, shapeLandlord, shapeHousehold, shapeSearch, shapeEvents} {
		if m, ok := rep.Main.find(s, sysOurs, modeRate); ok && (m.Evidence == nil || m.Evidence.AuditWrites == 0) {
			t.Errorf("%s at a constant rate: no evidence of audit writes: %+v", s, m.Evidence)
		}
	}
	for _, s := range []string{shapePoint, shapeLandlord} {
		for _, mode := range []string{modeClosed, modeRate} {
			if m, ok := rep.Scale.find(s, sysOurs, mode); !ok || m.Res.Requests == 0 || m.Res.Errors > 0 {
				t.Errorf("scaling %s %s: %+v", s, mode, m)
			}
		}
	}
	md := rep.markdown()
	for _, heading := range []string{"## Measurements at 3000 persons", "## Ratios at 3000 persons", "## Scaling: 2000 and 3000 persons",
		"## Where the tail comes from at 3000 persons"} {
		if !strings.Contains(md, heading) {
			t.Errorf("report without %q:\n%s", heading, md)
		}
	}
	if t.Failed() {
		t.Log(md)
	}
}
