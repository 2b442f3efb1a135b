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
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"net/url"
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

// firstPort is the first loopback port tried for a new cluster: below
// Linux's ephemeral range (32768-60999), so that no client's outgoing
// connection can hold it while the cluster restarts. The project's own
// clients connect over the Unix-domain socket in the cluster's folder.
const firstPort = 25432

// Status says what Ensure found and did.
type Status struct {
	Dir         string // the cluster's folder (not the one asked for when the postgres user cannot reach that)
	Moved       bool   // Dir is outside the clone: the postgres user cannot reach the folder asked for
	Initialised bool   // initdb ran
	Started     bool   // the cluster was started; false: it was already running
}

// Message is a line for the user saying what happened.
func (s Status) Message() string {
	var m string
	switch {
	case s.Initialised:
		m = "created and started the private PostgreSQL cluster in " + s.Dir
	case s.Started:
		m = "started the private PostgreSQL cluster in " + s.Dir
	default:
		m = "the private PostgreSQL cluster in " + s.Dir + " is already running"
	}
	if s.Moved {
		m += " (outside the clone: the postgres system user cannot reach the clone's folder)"
	}
	return m
}

// Ensure makes sure a cluster is initialised and running in dir, listening on
// 127.0.0.1, and returns a connection URL for its postgres superuser. A new
// cluster takes the first free port from 54329 on and keeps it (in dir/port),
// so several checkouts on one machine each get their own.
// It installs Debian's postgresql package when no server binaries are found.
// Concurrent callers (several test processes) are serialised by a file lock.
func Ensure(ctx context.Context, dir string) (string, error) {
	url, _, err := ensure(ctx, dir, false)
	return url, err
}

// EnsureStatus is Ensure, also saying what it did.
func EnsureStatus(ctx context.Context, dir string) (string, Status, error) {
	return ensure(ctx, dir, false)
}

// EnsureDurable is Ensure for a cluster that commits as a production server
// does (fsync, synchronous_commit and full_page_writes on): the benchmark's.
// A cluster already running in dir keeps the settings it was started with.
func EnsureDurable(ctx context.Context, dir string) (string, error) {
	url, _, err := ensure(ctx, dir, true)
	return url, err
}

func ensure(ctx context.Context, dir string, durable bool) (string, Status, error) {
	var st Status
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", st, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", st, err
	}
	unlock, err := lockFile(filepath.Join(dir, ".lock"))
	if err != nil {
		return "", st, err
	}
	defer unlock()

	bin, err := serverBinaries(ctx)
	if err != nil {
		return "", st, err
	}
	if st.Dir, st.Moved, err = Location(dir); err != nil {
		return "", st, err
	}
	if st.Moved {
		if err := os.MkdirAll(st.Dir, 0o755); err != nil {
			return "", st, err
		}
		note := "The postgres system user cannot reach this folder, so the private PostgreSQL cluster lives in\n" + st.Dir + "\n"
		os.WriteFile(filepath.Join(dir, "LOCATION"), []byte(note), 0o644)
	}
	// Choosing a port and starting on it is one step across the machine:
	// two clusters starting at once (the tests' and the benchmark's) would
	// otherwise both take the first free port.
	unlockPorts, err := lockFile(filepath.Join(os.TempDir(), "cprgraph-pgcluster-ports.lock"))
	if err != nil {
		return "", st, err
	}
	defer unlockPorts()
	port, err := clusterPort(st.Dir)
	if err != nil {
		return "", st, err
	}
	c := cluster{bin: bin, dir: st.Dir, data: filepath.Join(st.Dir, "data"), port: port, durable: durable}
	if st.Initialised, err = c.initialise(ctx); err != nil {
		return "", st, err
	}
	if st.Started, err = c.start(ctx); err != nil {
		return "", st, err
	}
	if durable {
		return c.tcpURL(), st, nil // pgbench and PostGraphile connect too
	}
	return c.url(), st, nil
}

func (c cluster) tcpURL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.port)
}

// url is the connection URL of the cluster's postgres superuser: over the
// Unix-domain socket in its folder, or TCP on loopback when the socket's
// path is too long for one.
func (c cluster) url() string {
	if len(c.dir)+len("/.s.PGSQL.")+5 < 104 {
		return fmt.Sprintf("postgres://postgres@/postgres?host=%s&port=%d&sslmode=disable", url.QueryEscape(c.dir), c.port)
	}
	return c.tcpURL()
}

// Location returns the folder the cluster asked for in dir lives in: dir
// itself, or, when this process is root and the postgres system user
// cannot reach dir (a clone under /root, mode 700), a folder in the postgres
// user's home named after the clone (moved true).
func Location(dir string) (string, bool, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", false, err
	}
	if os.Geteuid() != 0 || exec.Command("runuser", "-u", "postgres", "--", "test", "-x", dir).Run() == nil {
		return dir, false, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return "", false, fmt.Errorf("running as root needs the postgres system user: %w", err)
	}
	sum := sha256.Sum256([]byte(dir))
	clone := filepath.Base(filepath.Dir(dir))
	name := fmt.Sprintf("%s-%s-%x", clone, strings.TrimPrefix(filepath.Base(dir), "."), sum[:4])
	return filepath.Join(u.HomeDir, "cprgraph", name), true, nil
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

// Running reports whether the cluster of dir runs.
func Running(ctx context.Context, dir string) bool {
	bin := findBinaries()
	if bin == "" {
		return false
	}
	dir, _, err := Location(dir)
	if err != nil {
		return false
	}
	return cluster{bin: bin, dir: dir, data: filepath.Join(dir, "data")}.running(ctx)
}

// Stop stops the cluster in dir if it runs.
func Stop(ctx context.Context, dir string) error {
	bin, err := serverBinaries(ctx)
	if err != nil {
		return err
	}
	if dir, _, err = Location(dir); err != nil {
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

func (c cluster) initialise(ctx context.Context) (bool, error) {
	if _, err := os.Stat(filepath.Join(c.data, "PG_VERSION")); err == nil {
		return false, nil
	}
	if err := os.MkdirAll(c.data, 0o700); err != nil {
		return false, err
	}
	if err := c.chownToPostgres(); err != nil {
		return false, err
	}
	return true, c.run(ctx, "initdb", "-D", c.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8")
}

// start starts the cluster unless it runs. Its settings (port, socket
// folder, durability) are written into the data folder's
// cprgraph.conf, included by postgresql.conf, so that a plain
// `pg_ctl start -D <dir>/data` starts it the same way.
func (c cluster) start(ctx context.Context) (bool, error) {
	if c.running(ctx) {
		return false, nil
	}
	conf := fmt.Sprintf("# written by cprgraph's pgcluster on every start\nport = %d\nunix_socket_directories = '%s'\nlisten_addresses = '127.0.0.1'\nmax_connections = 300\nshared_buffers = 512MB\n", c.port, c.dir)
	if !c.durable {
		conf += "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
	} else {
		conf += "fsync = on\nsynchronous_commit = on\nfull_page_writes = on\ntrack_wal_io_timing = on\n"
	}
	if err := c.writeConf(conf); err != nil {
		return false, err
	}
	return true, c.run(ctx, "pg_ctl", "start", "-D", c.data, "-l", filepath.Join(c.dir, "postgres.log"), "-w", "-t", "60")
}

// writeConf writes cprgraph.conf into the data folder and includes it from
// postgresql.conf once.
func (c cluster) writeConf(conf string) error {
	file := filepath.Join(c.data, "cprgraph.conf")
	if err := os.WriteFile(file, []byte(conf), 0o644); err != nil {
		return err
	}
	main := filepath.Join(c.data, "postgresql.conf")
	b, err := os.ReadFile(main)
	if err != nil {
		return err
	}
	if !strings.Contains(string(b), "include_if_exists = 'cprgraph.conf'") {
		f, err := os.OpenFile(main, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_, err = f.WriteString("\ninclude_if_exists = 'cprgraph.conf'\n")
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return c.chownToPostgres(file)
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

// chownToPostgres gives the cluster's folders (and any extra paths) to the
// postgres system user when this process is root.
func (c cluster) chownToPostgres(extra ...string) error {
	if os.Geteuid() != 0 {
		return nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root needs the postgres system user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	for _, p := range append([]string{c.dir, c.data}, extra...) {
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

// Ctl runs pg_ctl on the cluster of dir (as the postgres system user when
// this process is root), e.g. Ctl(ctx, dir, "restart", "-m", "fast", "-w"):
// for the fault test.
func Ctl(ctx context.Context, dir string, args ...string) error {
	bin, err := serverBinaries(ctx)
	if err != nil {
		return err
	}
	if dir, _, err = Location(dir); err != nil {
		return err
	}
	c := cluster{bin: bin, dir: dir, data: filepath.Join(dir, "data")}
	return c.run(ctx, "pg_ctl", append([]string{"-D", c.data, "-l", filepath.Join(dir, "postgres.log")}, args...)...)
}
