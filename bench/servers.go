package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"time"
)

// process is a server the harness started: cprgraph or PostGraphile.
type process struct {
	name string
	url  string // base URL, e.g. http://127.0.0.1:40123
	cmd  *exec.Cmd
	logs *os.File      // its stdout and stderr
	done chan struct{} // closed when the process has exited
}

// goTool returns the go command: on PATH or in GOROOT.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(runtime.GOROOT(), "bin", "go")
}

// buildServer builds the cprgraph binary from the module at root into dir.
func buildServer(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "cprgraph")
	cmd := exec.CommandContext(ctx, goTool(), "build", "-o", bin, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
}

// freeAddr returns a free loopback address.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// benchAuditKey keys the audit chain of the benchmarked server (serve
// requires a key; the benchmark's audit log is thrown away).
const benchAuditKey = "bench-audit-key-of-at-least-32-characters"

// startCprgraph runs `cprgraph serve` on the database with rate limits off
// and waits until it is ready. The rest of the environment (LOADER_WAIT,
// LOG_LEVEL, ...) is the harness's own; pprofAddr, when set, becomes
// PPROF_ADDR.
func startCprgraph(ctx context.Context, bin, logDir, databaseURL, pprofAddr string) (*process, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(),
		"DATABASE_URL="+databaseURL,
		"LISTEN_ADDR="+addr,
		"RATE_LIMIT_RPS=0",
		"GRAPHIQL=false",
		"PPROF_ADDR="+pprofAddr,
		"AUDIT_KEY="+benchAuditKey,
	)
	p, err := start("cprgraph", cmd, "http://"+addr, logDir)
	if err != nil {
		return nil, err
	}
	return p, p.waitReady(ctx, 60*time.Second, func(c *http.Client) bool {
		resp, err := c.Get(p.url + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// startPostGraphile runs bench/postgraphile/server.mjs on the database with
// the Node its npm packages bring (PostGraphile 5 needs Node 22; the
// packages are installed with npm ci when missing) and waits until it
// answers { __typename }.
func startPostGraphile(ctx context.Context, root, logDir, databaseURL string) (*process, error) {
	dir := filepath.Join(root, "bench", "postgraphile")
	node := filepath.Join(dir, "node_modules", ".bin", "node")
	if _, err := os.Stat(node); err != nil {
		slog.Info("installing PostGraphile and Node (npm ci)", "dir", dir)
		cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("npm ci in %s: %w\n%s", dir, err, out)
		}
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(node, "server.mjs")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "DATABASE_URL="+databaseURL, "LISTEN_ADDR="+addr, "NODE_ENV=production", "GRAPHILE_ENV=production")
	p, err := start("postgraphile", cmd, "http://"+addr, logDir)
	if err != nil {
		return nil, err
	}
	t := &target{url: p.url + "/graphql"}
	return p, p.waitReady(ctx, 90*time.Second, func(c *http.Client) bool {
		var buf bytes.Buffer
		return t.send(ctx, c, []byte(`{"query":"{ __typename }"}`), &buf) == nil
	})
}

// start starts cmd with its output in a file in logDir (a file, not a
// pipe, so the server's request log costs the harness nothing).
func start(name string, cmd *exec.Cmd, url, logDir string) (*process, error) {
	logs, err := os.CreateTemp(logDir, name+"-*.log")
	if err != nil {
		return nil, err
	}
	p := &process{name: name, url: url, cmd: cmd, logs: logs, done: make(chan struct{})}
	cmd.Stdout = logs
	cmd.Stderr = logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		logs.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() {
		cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// waitReady polls ready until it holds, the process exits or the timeout
// passes; on failure it stops the process.
func (p *process) waitReady(ctx context.Context, timeout time.Duration, ready func(*http.Client) bool) error {
	c := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		select {
		case <-p.done:
			return fmt.Errorf("%s exited while starting:\n%s", p.name, p.tail())
		default:
		}
		if ready(c) {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	logs := p.tail()
	p.stop()
	return fmt.Errorf("%s not ready within %s:\n%s", p.name, timeout, logs)
}

// stop sends SIGTERM to the process (and its children) and kills it when it
// has not exited within ten seconds.
func (p *process) stop() {
	pid := p.cmd.Process.Pid
	syscall.Kill(-pid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		syscall.Kill(-pid, syscall.SIGKILL)
		<-p.done
	}
	p.logs.Close()
	os.Remove(p.logs.Name())
}

// tail returns the end of the process's output.
func (p *process) tail() string {
	const most = 8 << 10
	b, _ := os.ReadFile(p.logs.Name())
	if len(b) > most {
		b = b[len(b)-most:]
	}
	return string(b)
}

// fetch GETs url into w (a profile).
func fetch(ctx context.Context, url string, w io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	_, err = io.Copy(w, resp.Body)
	return err
}
