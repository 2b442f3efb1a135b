// Package dbtest gives each test its own freshly migrated PostgreSQL
// database. It uses DATABASE_URL when set and otherwise starts the project's
// private cluster (see pgcluster), so tests always run on a real server.
package dbtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/db"
	"cprgraph/migrations"
	"cprgraph/pgcluster"
)

var (
	setupOnce sync.Once
	adminURL  string
	template  string
	setupErr  error
)

// New returns a connection to a new database migrated to the latest version,
// dropped when the test ends.
func New(tb testing.TB) *sqlx.DB {
	tb.Helper()
	conn, _ := NewWithURL(tb)
	return conn
}

// NewWithURL is New that also returns the database's URL, for tests that
// start a server process or open more connections.
func NewWithURL(tb testing.TB) (*sqlx.DB, string) {
	tb.Helper()
	setupOnce.Do(func() { setupErr = setup() })
	if setupErr != nil {
		tb.Fatalf("test database: %v", setupErr)
	}
	ctx := context.Background()
	admin, err := sqlx.Open("postgres", adminURL)
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()

	name := "cprgraph_test_" + randomHex(6)
	if _, err := admin.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, template)); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	dbURL := withDatabase(adminURL, name)
	conn, err := db.Open(ctx, dbURL, 0)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		conn.Close()
		admin, err := sqlx.Open("postgres", adminURL)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.ExecContext(context.Background(), fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", name))
	})
	return conn, dbURL
}

// setup finds the server and makes sure a migrated template database for
// the current migration set exists. The template is named by a hash of the
// migrations, so concurrent test processes share it and a changed migration
// gets a new one.
func setup() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	adminURL = os.Getenv("DATABASE_URL")
	if adminURL == "" {
		root, err := pgcluster.ModuleRoot()
		if err != nil {
			return err
		}
		if adminURL, err = pgcluster.Ensure(ctx, filepath.Join(root, ".pgdata")); err != nil {
			return err
		}
	}
	hash, err := migrationsHash()
	if err != nil {
		return err
	}
	template = "cprgraph_tpl_" + hash

	admin, err := sqlx.Open("postgres", adminURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	// One connection, so the advisory lock and the check share a session.
	lockConn, err := admin.Connx(ctx)
	if err != nil {
		return err
	}
	defer lockConn.Close()
	if _, err := lockConn.ExecContext(ctx, "SELECT pg_advisory_lock(424242)"); err != nil {
		return err
	}
	defer lockConn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(424242)")

	var exists bool
	if err := lockConn.GetContext(ctx, &exists, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", template); err != nil {
		return err
	}
	if exists {
		return nil
	}
	building := template + "_build"
	lockConn.ExecContext(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", building))
	if _, err := lockConn.ExecContext(ctx, fmt.Sprintf("CREATE DATABASE %s", building)); err != nil {
		return err
	}
	conn, err := db.Open(ctx, withDatabase(adminURL, building), 0)
	if err != nil {
		return err
	}
	err = db.Migrate(ctx, conn.DB)
	conn.Close()
	if err != nil {
		return fmt.Errorf("migrate template: %w", err)
	}
	_, err = lockConn.ExecContext(ctx, fmt.Sprintf("ALTER DATABASE %s RENAME TO %s", building, template))
	return err
}

func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%s\x00", path, b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

func withDatabase(rawURL, name string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		panic(err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
