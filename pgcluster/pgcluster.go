// Package pgcluster starts a private PostgreSQL cluster in a project-local
// folder for development, demos and tests, so the project runs on a machine
// where no DATABASE_URL is configured.
//
// The cluster is disposable: it runs with fsync off (EnsureDurable: on, for
// measurements) and is shared by every process that calls Ensure with the
// same folder. Production deployments set DATABASE_URL instead.
package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// firstPort is the first loopback port tried for a new cluster.
const firstPort = 54329

// Ensure makes sure a cluster is initialised and running in dir, listening on
// 127.0.0.1, and returns a connection URL for its postgres superuser. A new
// cluster takes the first free port from 54329 on and keeps it (in dir/port),
// so several checkouts on one machine each get their own.
// It installs Debian's postgresql package when no server binaries are found.
// Concurrent callers (several test processes) are serialised by a file lock.
func Ensure(ctx context.Context, dir string) (string, error) {
	return ensure(ctx, dir, false)
}

// EnsureDurable is Ensure for a cluster that commits as a production server
// does (fsync, synchronous_commit and full_page_writes on): the benchmark's.
// A cluster already running in dir keeps the settings it was started with.
func EnsureDurable(ctx context.Context, dir string) (string, error) {
	return ensure(ctx, dir, true)
}

func ensure(ctx context.Context, dir string, durable bool) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	unlock, err := lockFile(filepath.Join(dir, ".lock"))
	if err != nil {
		return "", err
	}
	defer unlock()

	bin, err := serverBinaries(ctx)
	if err != nil {
		return "", err
	}
	port, err := clusterPort(dir)
	if err != nil {
		return "", err
	}
	c := cluster{bin: bin, dir: dir, data: filepath.Join(dir, "data"), port: port, durable: durable}
	if err := c.initialise(ctx); err != nil {
		return "", err
	}
	if err := c.start(ctx); err != nil {
		return "", err
	}
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port), nil
}

// ModuleRoot returns the folder holding go.mod, from the working directory
// up: where the project keeps its cluster folders (.pgdata, .pgdata-bench)
// when run from anywhere inside the module (go test runs in the package's
// folder).
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// Stop stops the cluster in dir if it runs.
func Stop(ctx context.Context, dir string) error {
	bin, err := serverBinaries(ctx)
	if err != nil {
		return err
	}
	c := cluster{bin: bin, dir: dir, data: filepath.Join(dir, "data")}
	if !c.running(ctx) {
		return nil
	}
	return c.run(ctx, "pg_ctl", "stop", "-D", c.data, "-m", "fast", "-w")
}

type cluster struct {
	bin, dir, data string
	port           int
	durable        bool // commit durably: fsync and the rest at their defaults
}

func (c cluster) initialise(ctx context.Context) error {
	if _, err := os.Stat(filepath.Join(c.data, "PG_VERSION")); err == nil {
		return nil
	}
	if err := os.MkdirAll(c.data, 0o700); err != nil {
		return err
	}
	if err := c.chownToPostgres(); err != nil {
		return err
	}
	return c.run(ctx, "initdb", "-D", c.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8")
}

func (c cluster) start(ctx context.Context) error {
	if c.running(ctx) {
		return nil
	}
	opts := []string{
		"-p", strconv.Itoa(c.port),
		"-k", c.dir,
		"-c", "listen_addresses=127.0.0.1",
		"-c", "max_connections=300",
		"-c", "shared_buffers=512MB",
	}
	if !c.durable {
		opts = append(opts, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	return c.run(ctx, "pg_ctl", "start", "-D", c.data, "-l", filepath.Join(c.dir, "postgres.log"), "-w", "-t", "60", "-o", strings.Join(opts, " "))
}

func (c cluster) running(ctx context.Context) bool {
	return c.run(ctx, "pg_ctl", "status", "-D", c.data) == nil
}

// run runs a server binary, as the postgres system user when this process is
// root (PostgreSQL refuses to run as root).
func (c cluster) run(ctx context.Context, name string, args ...string) error {
	path := filepath.Join(c.bin, name)
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		cmd = exec.CommandContext(ctx, "runuser", append([]string{"-u", "postgres", "--", path}, args...)...)
	} else {
		cmd = exec.CommandContext(ctx, path, args...)
	}
	cmd.Dir = c.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", name, err, strings.TrimSpace(string(out)))
	}
	return nil
}

func (c cluster) chownToPostgres() error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root needs the postgres system user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	for _, p := range []string{c.dir, c.data} {
		if err := os.Chown(p, uid, gid); err != nil {
			return err
		}
	}
	return nil
}

// serverBinaries finds the newest installed PostgreSQL server binaries,
// installing Debian's postgresql package first when there are none.
func serverBinaries(ctx context.Context) (string, error) {
	if dir := findBinaries(); dir != "" {
		return dir, nil
	}
	if os.Geteuid() != 0 {
		return "", errors.New("no PostgreSQL server binaries in /usr/lib/postgresql: install the postgresql package or set DATABASE_URL")
	}
	for _, args := range [][]string{{"update"}, {"install", "-y", "--no-install-recommends", "postgresql"}} {
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("apt-get %s: %w: %s", args[0], err, out)
		}
	}
	if dir := findBinaries(); dir != "" {
		return dir, nil
	}
	return "", errors.New("postgresql installed but no server binaries found")
}

func findBinaries() string {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl")
	sort.Slice(matches, func(i, j int) bool { return version(matches[i]) > version(matches[j]) })
	if len(matches) == 0 {
		return ""
	}
	return filepath.Dir(matches[0])
}

func version(pgCtl string) int {
	v, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(pgCtl))))
	return v
}

// clusterPort returns the port recorded in dir, or records and returns the
// first free loopback port.
func clusterPort(dir string) (int, error) {
	file := filepath.Join(dir, "port")
	if b, err := os.ReadFile(file); err == nil {
		return strconv.Atoi(strings.TrimSpace(string(b)))
	}
	for port := firstPort; port < firstPort+100; port++ {
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue
		}
		l.Close()
		return port, os.WriteFile(file, []byte(strconv.Itoa(port)), 0o644)
	}
	return 0, errors.New("no free port for the private PostgreSQL cluster")
}

// lockFile takes an exclusive lock on path, waiting at most two minutes.
func lockFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
		}
		if time.Now().After(deadline) {
			f.Close()
			return nil, fmt.Errorf("waiting for %s: %w", path, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
