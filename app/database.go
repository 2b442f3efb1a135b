package app

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jmoiron/sqlx"

	"cprgraph/db"
	"cprgraph/pgcluster"
	"cprgraph/tracing"
)

// DatabaseURL returns cfg.DatabaseURL, or when that is unset the URL of the
// private cluster in cfg.PGDataDir, which it starts.
func DatabaseURL(ctx context.Context, cfg Config) (string, error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, nil
	}
	url, st, err := pgcluster.EnsureStatus(ctx, cfg.PGDataDir)
	if err != nil {
		return "", fmt.Errorf("private PostgreSQL cluster in %s: %w", cfg.PGDataDir, err)
	}
	slog.Info("DATABASE_URL not set: "+st.Message(), "dir", st.Dir)
	return url, nil
}

// OpenDB connects to the database of DatabaseURL and applies pending
// migrations.
func OpenDB(ctx context.Context, cfg Config) (*sqlx.DB, error) {
	dsn, err := DatabaseURL(ctx, cfg)
	if err != nil {
		return nil, err
	}
	conn, err := db.OpenDriver(ctx, driver(), dsn, cfg.StatementTimeout)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx, conn.DB); err != nil {
		conn.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return conn, nil
}

// OpenReplica connects to cfg.ReplicaURL, or returns nil when it is unset.
// A replica is never migrated: it follows the primary.
func OpenReplica(ctx context.Context, cfg Config) (*sqlx.DB, error) {
	if cfg.ReplicaURL == "" {
		return nil, nil
	}
	conn, err := db.OpenDriver(ctx, driver(), cfg.ReplicaURL, cfg.StatementTimeout)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_REPLICA_URL: %w", err)
	}
	return conn, nil
}

// driver is the database/sql driver of every connection: lib/pq, wrapped
// for tracing when tracing is on.
func driver() string {
	if tracing.Enabled() {
		return tracing.SQLDriver()
	}
	return "postgres"
}
