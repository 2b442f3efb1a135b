// Command faulttest puts load on a cprgraph server while its database and
// the server itself fail, and reports what clients saw (make faulttest;
// the report is in docs/operations.md). It uses a private cluster of its own
// (.pgdata-fault), a server binary built from the working tree, and only
// loopback traffic; every loop is bounded by time.
//
// Phases, each with load before, during and after the fault:
//   - restart: pg_ctl restart -m fast
//   - crash:   pg_ctl stop -m immediate, then start
//   - kill:    the server is killed (SIGKILL) and started again
//   - crash rounds (-crash-rounds N, default 5): the crash phase again N
//     times in a row, the audit chain carried across them
//
// For each phase it reports the outage (first to last refused response),
// the responses by HTTP status and error code, and whether every response
// that carried person data has its audit row (by request id); after each
// phase it runs `cprgraph audit-verify` with the server's AUDIT_KEY and
// AUDIT_CHECKPOINT_FILE (checkpoints every second), which must pass.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"

	"cprgraph/pgcluster"
)

const query = `query($cpr: String!) { person(cpr: $cpr) { cpr firstName lastName } }`

type result struct {
	at        time.Time
	status    int
	code      string
	requestID string
	data      bool
	netErr    bool
}

func main() {
	workers := flag.Int("workers", 4, "concurrent clients")
	phase := flag.Duration("phase", 8*time.Second, "load time per phase (the fault comes after a quarter of it)")
	rounds := flag.Int("crash-rounds", 5, "further crash phases (pg_ctl stop -m immediate, then start) after the first three")
	flag.Parse()
	if err := run(*workers, *phase, *rounds); err != nil {
		fmt.Fprintln(os.Stderr, "faulttest:", err)
		os.Exit(1)
	}
}

func run(workers int, phase time.Duration, rounds int) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	root, err := pgcluster.ModuleRoot()
	if err != nil {
		return err
	}
	dir := filepath.Join(root, ".pgdata-fault")
	dbURL, err := pgcluster.Ensure(ctx, dir)
	if err != nil {
		return err
	}
	defer pgcluster.Stop(context.Background(), dir)
	bin := filepath.Join(root, "bin", "cprgraph-faulttest")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		return fmt.Errorf("build: %v: %s", err, out)
	}
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	// A fixed key for the run and a fresh checkpoint file, so audit-verify
	// can check the chain after every phase as an operator would.
	env := []string{"DATABASE_URL=" + dbURL, "LISTEN_ADDR=" + addr, "RATE_LIMIT_RPS=0",
		"AUDIT_KEY=faulttest-audit-key-0123456789abcdef0123456789",
		"AUDIT_CHECKPOINT_FILE=" + filepath.Join(dir, "audit-checkpoints.jsonl"), "AUDIT_CHECKPOINT_INTERVAL=1s"}
	os.Remove(filepath.Join(dir, "audit-checkpoints.jsonl"))
	srv, key, err := startServer(ctx, bin, env, addr, logFile, true)
	if err != nil {
		return err
	}
	defer func() { srv.Process.Kill(); srv.Wait() }()
	conn, err := sqlx.Open("postgres", dbURL)
	if err != nil {
		return err
	}
	defer conn.Close()

	fmt.Printf("faulttest: %d workers, %s of load per phase, server %s, cluster %s\n\n", workers, phase, addr, dir)
	faults := []struct {
		name string
		do   func() error
	}{
		{"restart (pg_ctl restart -m fast)", func() error { return pgcluster.Ctl(ctx, dir, "restart", "-m", "fast", "-w") }},
		{"crash (pg_ctl stop -m immediate, then start)", func() error {
			if err := pgcluster.Ctl(ctx, dir, "stop", "-m", "immediate", "-w"); err != nil {
				return err
			}
			time.Sleep(time.Second)
			_, err := pgcluster.Ensure(ctx, dir)
			return err
		}},
		{"server killed (SIGKILL), then started", func() error {
			srv.Process.Kill()
			srv.Wait()
			var err error
			srv, _, err = startServer(ctx, bin, env, addr, logFile, false)
			return err
		}},
	}
	crash := faults[1]
	for i := 1; i <= rounds; i++ {
		faults = append(faults, struct {
			name string
			do   func() error
		}{fmt.Sprintf("crash round %d of %d (pg_ctl stop -m immediate, then start)", i, rounds), crash.do})
	}
	failed := false
	for _, f := range faults {
		results, faultAt, faultErr := load(ctx, addr, key, workers, phase, f.do)
		if faultErr != nil {
			return fmt.Errorf("%s: %w", f.name, faultErr)
		}
		if !report(ctx, conn, f.name, results, faultAt) {
			failed = true
		}
		if !verify(ctx, bin, env) {
			failed = true
		}
	}
	if failed {
		return fmt.Errorf("a response with person data lacks its audit row, a refusal had a non-retryable code, or audit-verify failed")
	}
	return nil
}

// load runs workers clients for d, doing fault after a quarter of it.
func load(ctx context.Context, addr, key string, workers int, d time.Duration, fault func() error) ([]result, time.Time, error) {
	var (
		mu      sync.Mutex
		results []result
		seq     atomic.Int64
		wg      sync.WaitGroup
	)
	end := time.Now().Add(d)
	client := &http.Client{Timeout: 5 * time.Second}
	body, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{"cpr": "0101701111"}})
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(end) && ctx.Err() == nil {
				id := fmt.Sprintf("fault-%d-%d", time.Now().UnixNano(), seq.Add(1))
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+key)
				req.Header.Set("X-Request-Id", id)
				r := result{at: time.Now(), requestID: id}
				resp, err := client.Do(req)
				if err != nil {
					r.netErr = true
					time.Sleep(50 * time.Millisecond)
				} else {
					raw, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					r.status = resp.StatusCode
					var out struct {
						Data struct {
							Person *struct{ CPR string }
						}
						Errors []struct{ Extensions map[string]any }
					}
					json.Unmarshal(raw, &out)
					r.data = out.Data.Person != nil
					if len(out.Errors) > 0 {
						r.code, _ = out.Errors[0].Extensions["code"].(string)
					}
					if ra := resp.Header.Get("Retry-After"); ra != "" && r.status == 503 {
						time.Sleep(100 * time.Millisecond) // a client honouring Retry-After would wait longer
					}
				}
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
			}
		}()
	}
	time.Sleep(d / 4)
	faultAt := time.Now()
	err := fault()
	wg.Wait()
	return results, faultAt, err
}

// report prints one phase and says whether it passed: every response with
// person data audited, every refusal retryable.
func report(ctx context.Context, conn *sqlx.DB, name string, results []result, faultAt time.Time) bool {
	byOutcome := map[string]int{}
	var first, last time.Time
	var withData []string
	nonRetryable := 0
	for _, r := range results {
		outcome := fmt.Sprintf("%d %s", r.status, r.code)
		if r.netErr {
			outcome = "connection refused/reset (server down)"
		}
		byOutcome[outcome]++
		if r.data {
			withData = append(withData, r.requestID)
		}
		if r.netErr || r.status != 200 || r.code != "" {
			if first.IsZero() || r.at.Before(first) {
				first = r.at
			}
			if r.at.After(last) {
				last = r.at
			}
			if !r.netErr && r.code != "UNAVAILABLE" {
				nonRetryable++
			}
		}
	}
	var audited int
	const q = `SELECT count(DISTINCT request_id) FROM audit_log WHERE request_id = ANY($1)`
	if err := conn.GetContext(ctx, &audited, q, pqArray(withData)); err != nil {
		fmt.Printf("audit check failed: %v\n", err)
		return false
	}
	fmt.Printf("### %s\n\n", name)
	fmt.Printf("- responses: %d; with person data: %d; audit rows found for them: %d; missing: %d\n", len(results), len(withData), audited, len(withData)-audited)
	if first.IsZero() {
		fmt.Printf("- outage seen by clients: none\n")
	} else {
		fmt.Printf("- outage seen by clients: %s (first refusal %s after the fault, last %s after it)\n",
			last.Sub(first).Round(time.Millisecond), first.Sub(faultAt).Round(time.Millisecond), last.Sub(faultAt).Round(time.Millisecond))
	}
	keys := make([]string, 0, len(byOutcome))
	for k := range byOutcome {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Printf("- by status and code:")
	for _, k := range keys {
		fmt.Printf(" `%s`: %d;", strings.TrimSpace(k), byOutcome[k])
	}
	fmt.Printf("\n- refusals with a non-retryable code: %d\n", nonRetryable)
	return audited == len(withData) && nonRetryable == 0
}

// verify runs audit-verify with the server's environment and prints its
// verdict; it reports whether the chain holds.
func verify(ctx context.Context, bin string, env []string) bool {
	cmd := exec.CommandContext(ctx, bin, "audit-verify")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	verdict := ""
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if strings.Contains(line, "audit log") {
			verdict = line
		}
	}
	if verdict == "" {
		verdict = strings.TrimSpace(string(out))
	}
	fmt.Printf("- `cprgraph audit-verify`: %s\n\n", verdict)
	return err == nil
}

// pqArray passes a []string as a PostgreSQL text array.
func pqArray(s []string) any {
	return "{" + strings.Join(s, ",") + "}"
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// startServer starts the server; with demo it loads the demo and returns
// the AUTHORITY key it printed.
func startServer(ctx context.Context, bin string, env []string, addr string, log io.Writer, demo bool) (*exec.Cmd, string, error) {
	args := []string{"serve"}
	if demo {
		args = append(args, "-demo", "-demo-persons", "500")
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = log
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	keyc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) >= 2 && f[0] == "AUTHORITY" {
				keyc <- f[len(f)-1]
			}
		}
	}()
	key := ""
	if demo {
		select {
		case key = <-keyc:
		case <-time.After(2 * time.Minute):
			cmd.Process.Kill()
			return nil, "", fmt.Errorf("the server printed no demo key")
		}
	}
	for i := 0; i < 100; i++ {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			return cmd, key, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	cmd.Process.Kill()
	return nil, "", fmt.Errorf("the server did not come up")
}
