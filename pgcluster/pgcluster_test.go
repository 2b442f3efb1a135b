package pgcluster

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/lib/pq"
)

// TestClusterOfUnreachableClone: run as root from a clone in a folder the
// postgres system user cannot enter (a clone under /root, mode 700), the
// cluster lives in the postgres user's home in a folder named after the
// clone, the clone's .pgdata says where, and the cluster answers over its
// Unix-domain socket; a second Ensure finds it running.
func TestClusterOfUnreachableClone(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: only root runs the cluster as the postgres user")
	}
	if testing.Short() {
		t.Skip("starts a cluster")
	}
	home := t.TempDir()
	if err := os.Chmod(home, 0o700); err != nil {
		t.Fatal(err)
	}
	clone := filepath.Join(home, "myclone")
	dir := filepath.Join(clone, ".pgdata")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	url, st, err := EnsureStatus(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		Stop(context.Background(), dir)
		os.RemoveAll(st.Dir)
	})
	if !st.Moved || !st.Initialised || !st.Started || !strings.Contains(filepath.Base(st.Dir), "myclone") || strings.HasPrefix(st.Dir, home) {
		t.Fatalf("status %+v", st)
	}
	if !strings.Contains(st.Message(), st.Dir) || !strings.Contains(st.Message(), "cannot reach") {
		t.Errorf("message %q", st.Message())
	}
	if note, err := os.ReadFile(filepath.Join(dir, "LOCATION")); err != nil || !strings.Contains(string(note), st.Dir) {
		t.Errorf("LOCATION: %q %v", note, err)
	}
	if !strings.Contains(url, "host=") {
		t.Errorf("URL %s does not use the socket", url)
	}
	conn, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.PingContext(ctx); err != nil {
		t.Fatal(err)
	}
	if _, again, err := EnsureStatus(ctx, dir); err != nil || again.Started || again.Initialised {
		t.Errorf("second Ensure: %+v %v", again, err)
	} else if !strings.Contains(again.Message(), "already running") {
		t.Errorf("second message %q", again.Message())
	}
	if !Running(ctx, dir) {
		t.Error("Running: false")
	}
	if err := Stop(ctx, dir); err != nil || Running(ctx, dir) {
		t.Errorf("Stop: %v", err)
	}
}
