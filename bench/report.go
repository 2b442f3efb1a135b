package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// setup describes the machine and the versions measured.
type setup struct {
	CPU, Memory, OS        string
	Go, PostgreSQL         string
	Node, PostGraphile     string
	Pgbench                string
	LoadBefore, LoadAfter  string // /proc/loadavg: other work on the machine
	StartedAt              time.Time
	LoaderWait, ServerGOGC string
	ServerLogLvl           string
}

func describeSetup(ctx context.Context, adminURL string) setup {
	s := setup{
		CPU:          fmt.Sprintf("%d × %s", runtime.NumCPU(), procField("/proc/cpuinfo", "model name")),
		Memory:       procField("/proc/meminfo", "MemTotal"),
		OS:           runtime.GOOS + "/" + runtime.GOARCH,
		Go:           runtime.Version(),
		LoadBefore:   loadAverage(),
		StartedAt:    time.Now(),
		LoaderWait:   envOr("LOADER_WAIT", "server default"),
		ServerGOGC:   envOr("GOGC", "server default"),
		ServerLogLvl: envOr("LOG_LEVEL", "info"),
	}
	if conn, err := sqlx.Open("postgres", adminURL); err == nil {
		conn.GetContext(ctx, &s.PostgreSQL, "SHOW server_version")
		conn.Close()
	}
	if bin, err := findPgbench(); err == nil {
		if out, err := exec.CommandContext(ctx, bin, "--version").Output(); err == nil {
			s.Pgbench = strings.TrimSpace(string(out))
		}
	}
	return s
}

// postGraphileVersions returns the versions of the Node and PostGraphile
// that bench/postgraphile installed (empty when it is not installed).
func postGraphileVersions(ctx context.Context, root string) (node, postgraphile string) {
	dir := filepath.Join(root, "bench", "postgraphile", "node_modules")
	if out, err := exec.CommandContext(ctx, filepath.Join(dir, ".bin", "node"), "-v").Output(); err == nil {
		node = strings.TrimSpace(string(out))
	}
	var pkg struct{ Version string }
	if b, err := os.ReadFile(filepath.Join(dir, "postgraphile", "package.json")); err == nil && json.Unmarshal(b, &pkg) == nil {
		postgraphile = pkg.Version
	}
	return node, postgraphile
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// procField returns the value of the first "key: value" line of a /proc file.
func procField(file, key string) string {
	b, _ := os.ReadFile(file)
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// markdown renders the report.
func (r *report) markdown() string {
	var b strings.Builder
	s, cfg := r.Setup, r.cfg
	fmt.Fprintf(&b, "# cprgraph benchmark, %s\n\n", s.StartedAt.UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "- Machine: %s, %s, %s; load average before %s, after %s\n", s.CPU, s.Memory, s.OS, s.LoadBefore, s.LoadAfter)
	fmt.Fprintf(&b, "- Go %s, PostgreSQL %s, %s, Node %s, PostGraphile %s\n", s.Go, s.PostgreSQL, s.Pgbench, s.Node, s.PostGraphile)
	fmt.Fprintf(&b, "- Each run %s after a %s warm-up; closed loop: %d workers (pgbench: %d clients); constant rate: %.0f%% of the closed-loop throughput, latency from the intended send time\n",
		cfg.Duration, cfg.Warmup, cfg.Workers, cfg.Workers, cfg.RateShare*100)
	fmt.Fprintf(&b, "- cprgraph: RATE_LIMIT_RPS=0, LOADER_WAIT %s, GOGC %s, LOG_LEVEL %s; the whole run took %s\n",
		s.LoaderWait, s.ServerGOGC, s.ServerLogLvl, r.Total.Round(time.Second))
	b.WriteString("- others' CPU: the share of the machine's CPU that processes other than the harness, the server and the database used during the run (a shared machine: rows with much of it are disturbed)\n\n")
	if r.Main != nil {
		r.Main.measurements(&b)
		r.Main.ratios(&b)
		r.Main.evidenceTable(&b)
		for _, n := range r.Main.Notes {
			fmt.Fprintf(&b, "- %s\n", n)
		}
		if len(r.Main.Notes) > 0 {
			b.WriteString("\n")
		}
	}
	if r.Scale != nil {
		r.scaling(&b)
		r.Scale.evidenceTable(&b)
	}
	return b.String()
}

// share formats the share of the machine's CPU other processes used.
func share(others float64) string {
	if others < 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f%%", 100*others)
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond))
}

func (p *popResults) measurements(b *strings.Builder) {
	load := "reused database"
	if p.LoadTime > 0 {
		load = "loaded in " + p.LoadTime.Round(time.Second).String()
	}
	fmt.Fprintf(b, "## Measurements at %d persons (%s)\n\n", p.Persons, load)
	b.WriteString("| shape | system | load | requests | errors | req/s | p50 ms | p99 ms | others' CPU |\n")
	b.WriteString("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, m := range p.Runs {
		mode := "closed loop"
		if m.Mode == modeRate {
			mode = fmt.Sprintf("constant %.0f/s", m.Res.Rate)
		}
		fmt.Fprintf(b, "| %s | %s | %s | %d | %d | %.0f | %s | %s | %s |\n", m.Shape, m.System, mode,
			m.Res.Requests, m.Res.Errors, m.Res.Throughput(), ms(m.Res.Quantile(0.5)), ms(m.Res.Quantile(0.99)), share(m.Others))
	}
	b.WriteString("\n")
}

// ratios relates cprgraph's closed-loop figures to the anchors:
// PostGraphile's throughput and p99, pgbench's TPS and cprgraph's own
// __typename rate.
func (p *popResults) ratios(b *strings.Builder) {
	fmt.Fprintf(b, "## Ratios at %d persons (cprgraph closed loop against the anchors)\n\n", p.Persons)
	b.WriteString("| shape | cprgraph req/s | × PostGraphile req/s | p99 ÷ PostGraphile p99 | ÷ pgbench TPS | ÷ cprgraph __typename |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: |\n")
	tn, haveTN := p.find(shapeTypeOf, sysOurs, modeClosed)
	for _, name := range []string{shapeTypeOf, shapePoint, shapeBatch, shapeLandlord, shapeHousehold, shapeSearch, shapeEvents} {
		ours, ok := p.find(name, sysOurs, modeClosed)
		if !ok {
			continue
		}
		row := []string{name, fmt.Sprintf("%.0f", ours.Res.Throughput()), "–", "–", "–", "–"}
		if pgl, ok := p.find(name, sysPGL, modeClosed); ok && pgl.Res.Throughput() > 0 {
			row[2] = fmt.Sprintf("%.2f", ours.Res.Throughput()/pgl.Res.Throughput())
			row[3] = fmt.Sprintf("%.2f", float64(ours.Res.Quantile(0.99))/float64(pgl.Res.Quantile(0.99)))
		}
		if pg, ok := p.find(name, sysPgbench, modeClosed); ok && pg.Res.Throughput() > 0 {
			row[4] = fmt.Sprintf("%.0f%%", 100*ours.Res.Throughput()/pg.Res.Throughput())
		}
		if haveTN && tn.Res.Throughput() > 0 {
			row[5] = fmt.Sprintf("%.1f%%", 100*ours.Res.Throughput()/tn.Res.Throughput())
		}
		fmt.Fprintf(b, "| %s |\n", strings.Join(row, " | "))
	}
	b.WriteString("\n")
}

// scaling puts the point and landlord lookups at both sizes side by side.
func (r *report) scaling(b *strings.Builder) {
	fmt.Fprintf(b, "## Scaling: %d and %d persons\n\n", r.Scale.Persons, r.Main.Persons)
	b.WriteString("| shape | persons | closed loop req/s | p50 ms | p99 ms | constant rate | p50 ms | p99 ms |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, name := range []string{shapePoint, shapeLandlord} {
		for _, p := range []*popResults{r.Scale, r.Main} {
			c, ok1 := p.find(name, sysOurs, modeClosed)
			k, ok2 := p.find(name, sysOurs, modeRate)
			if !ok1 || !ok2 {
				continue
			}
			fmt.Fprintf(b, "| %s | %d | %.0f | %s | %s | %.0f/s | %s | %s |\n", name, p.Persons,
				c.Res.Throughput(), ms(c.Res.Quantile(0.5)), ms(c.Res.Quantile(0.99)),
				k.Res.Rate, ms(k.Res.Quantile(0.5)), ms(k.Res.Quantile(0.99)))
		}
	}
	b.WriteString("\n")
}
