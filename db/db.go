// Package db holds the domain types of the register and the SQL that reads
// and writes them. Every store function takes a context first and runs on a
// sqlx.ExtContext, so the same code works on the pool and inside a transaction.
package db

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq" // PostgreSQL driver
	"github.com/pressly/goose/v3"

	"cprgraph/migrations"
)

// Open connects to the database at dsn (a postgres:// URL) and checks that it answers. Every
// connection runs with the given statement timeout (0: none).
func Open(ctx context.Context, dsn string, statementTimeout time.Duration) (*sqlx.DB, error) {
	return OpenDriver(ctx, "postgres", dsn, statementTimeout)
}

// OpenDriver is Open through another name of lib/pq's driver, e.g. one
// wrapped for tracing (sqlx must know its bind type). Each connection
// prepares the statements with parameters it runs once and reuses them
// (see preparingConnector).
func OpenDriver(ctx context.Context, driver, dsn string, statementTimeout time.Duration) (*sqlx.DB, error) {
	// Every commit waits for its WAL to be written, whatever the server's
	// default: an audit row is durable before the answer it records leaves
	// (the development cluster runs with synchronous_commit off, and lost
	// audit rows of answered requests when PostgreSQL crashed; make faulttest).
	dsn, err := withRuntimeParam(dsn, "synchronous_commit", "on")
	if err != nil {
		return nil, err
	}
	if statementTimeout > 0 {
		if dsn, err = withRuntimeParam(dsn, "statement_timeout", strconv.FormatInt(statementTimeout.Milliseconds(), 10)); err != nil {
			return nil, err
		}
	}
	registered, err := sql.Open(driver, "") // only for the driver
	if err != nil {
		return nil, err
	}
	d := registered.Driver()
	registered.Close()
	connector, err := newPreparingConnector(d, dsn)
	if err != nil {
		return nil, err
	}
	conn := sqlx.NewDb(sql.OpenDB(connector), driver)
	conn.SetMaxOpenConns(32)
	conn.SetMaxIdleConns(32)
	conn.SetConnMaxIdleTime(5 * time.Minute)
	if err := conn.PingContext(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// withRuntimeParam adds a run-time setting to a connection URL; lib/pq sends
// unknown parameters to the server as settings of every new session.
func withRuntimeParam(rawURL, key, value string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme == "" {
		return "", fmt.Errorf("database URL must be a postgres:// URL")
	}
	q := u.Query()
	q.Set(key, value)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// Migrate applies every pending migration.
func Migrate(ctx context.Context, conn *sql.DB) error {
	provider, err := goose.NewProvider(goose.DialectPostgres, conn, migrations.FS)
	if err != nil {
		return err
	}
	_, err = provider.Up(ctx)
	return err
}

// Store is the database by domain: one store per group of tables, each
// holding that group's queries, all running on the same connection pool or
// the same transaction, so a transaction (InTx) spans domains.
type Store struct {
	Register         *RegisterStore       // persons: master data, family, households, history, search
	Landlord         *LandlordStore       // landlord lookups: DAR addresses, ownership, residents
	Events           *EventStore          // person change events
	Audit            *AuditStore          // the hash-chained audit log
	Clients          *ClientStore         // organisations, API clients and owner links
	PersistedQueries *PersistedQueryStore // registered GraphQL documents
	Webhooks         *WebhookStore        // webhook subscriptions and their delivery queue

	q sqlx.ExtContext
}

// NewStore returns a Store running on q: a *sqlx.DB or a *sqlx.Tx.
func NewStore(q sqlx.ExtContext) *Store {
	return &Store{
		Register:         &RegisterStore{q: q},
		Landlord:         &LandlordStore{q: q},
		Events:           &EventStore{q: q},
		Audit:            &AuditStore{q: q},
		Clients:          &ClientStore{q: q},
		PersistedQueries: &PersistedQueryStore{q: q},
		Webhooks:         &WebhookStore{q: q},
		q:                q,
	}
}

// InTx runs fn with a Store inside one transaction, committing when fn
// returns nil and rolling back otherwise. A Store already inside a
// transaction runs fn in that transaction.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	return inTx(ctx, s.q, func(tx sqlx.ExtContext) error { return fn(NewStore(tx).WithAuditKeys(s.Audit.keys)) })
}

// WithAuditKeys makes the store chain new audit rows with keys (nil: plain
// SHA-256) and returns it.
func (s *Store) WithAuditKeys(keys *AuditKeys) *Store {
	s.Audit.keys = keys
	return s
}

// inTx runs fn in a transaction: a new one on a pool (see InTx), or q
// itself when it is already a transaction.
func inTx(ctx context.Context, q sqlx.ExtContext, fn func(tx sqlx.ExtContext) error) error {
	conn, ok := q.(*sqlx.DB)
	if !ok {
		return fn(q)
	}
	return InTx(ctx, conn, func(tx *sqlx.Tx) error { return fn(tx) })
}

// inTransaction reports whether q is a transaction rather than a pool.
func inTransaction(q sqlx.ExtContext) bool {
	_, ok := q.(*sqlx.DB)
	return !ok
}

// InTx runs fn in a transaction on conn, committing when fn returns nil and
// rolling back otherwise.
func InTx(ctx context.Context, conn *sqlx.DB, fn func(tx *sqlx.Tx) error) error {
	tx, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
