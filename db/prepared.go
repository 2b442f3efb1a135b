package db

import (
	"context"
	"database/sql/driver"
	"errors"

	"github.com/lib/pq"
)

// maxPreparedPerConn caps the statements a connection keeps prepared; the
// queries beyond it run unprepared.
const maxPreparedPerConn = 256

// preparingConnector opens connections that prepare every statement with
// parameters once per connection and run it as a prepared statement from
// then on, as pgbench -M prepared does. A prepared statement costs one round
// trip per run instead of two, is parsed once, and lets PostgreSQL keep a
// generic plan where that is as good as a custom one (after five runs),
// which saves the planning of the larger joins on every request. Statements
// without parameters (BEGIN, migrations, DDL) run as before.
type preparingConnector struct {
	connector driver.Connector
}

func (c preparingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &preparingConn{Conn: conn, stmts: map[string]driver.Stmt{}}, nil
}

func (c preparingConnector) Driver() driver.Driver { return c.connector.Driver() }

// dsnConnector opens connections of a driver without a connector of its own.
type dsnConnector struct {
	driver driver.Driver
	dsn    string
}

func (c dsnConnector) Connect(context.Context) (driver.Conn, error) { return c.driver.Open(c.dsn) }
func (c dsnConnector) Driver() driver.Driver                        { return c.driver }

// newPreparingConnector returns a preparingConnector over the driver.
func newPreparingConnector(d driver.Driver, dsn string) (driver.Connector, error) {
	if dc, ok := d.(driver.DriverContext); ok {
		connector, err := dc.OpenConnector(dsn)
		if err != nil {
			return nil, err
		}
		return preparingConnector{connector}, nil
	}
	return preparingConnector{dsnConnector{d, dsn}}, nil
}

// preparingConn is one connection with its prepared statements, by query
// text. database/sql uses a connection from one goroutine at a time, so
// the map needs no lock.
type preparingConn struct {
	driver.Conn
	stmts map[string]driver.Stmt
}

// prepared returns the connection's prepared statement of query, preparing
// it on first use; nil when the connection holds maxPreparedPerConn already.
func (c *preparingConn) prepared(ctx context.Context, query string) (driver.Stmt, error) {
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	if len(c.stmts) >= maxPreparedPerConn {
		return nil, nil
	}
	st, err := c.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = st
	return st, nil
}

// stale reports whether err says that the prepared statement can no
// longer run: a table it reads was changed so that its result type changed
// (0A000), or the server no longer has it (26000).
func stale(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && (pqErr.Code == "0A000" || pqErr.Code == "26000")
}

// forget closes and forgets the prepared statement of query.
func (c *preparingConn) forget(query string) {
	if st, ok := c.stmts[query]; ok {
		delete(c.stmts, query)
		st.Close()
	}
}

func (c *preparingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if len(args) > 0 {
		for try := 0; ; try++ {
			st, err := c.prepared(ctx, query)
			if err != nil {
				return nil, err
			}
			sq, ok := st.(driver.StmtQueryContext)
			if !ok {
				break
			}
			rows, err := sq.QueryContext(ctx, args)
			if try == 0 && stale(err) {
				c.forget(query) // and prepare it again
				continue
			}
			return rows, err
		}
	}
	if q, ok := c.Conn.(driver.QueryerContext); ok {
		return q.QueryContext(ctx, query, args)
	}
	return nil, driver.ErrSkip
}

func (c *preparingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	if len(args) > 0 {
		for try := 0; ; try++ {
			st, err := c.prepared(ctx, query)
			if err != nil {
				return nil, err
			}
			se, ok := st.(driver.StmtExecContext)
			if !ok {
				break
			}
			res, err := se.ExecContext(ctx, args)
			if try == 0 && stale(err) {
				c.forget(query)
				continue
			}
			return res, err
		}
	}
	if e, ok := c.Conn.(driver.ExecerContext); ok {
		return e.ExecContext(ctx, query, args)
	}
	return nil, driver.ErrSkip
}

// The rest passes the optional interfaces of the driver's connection on.

func (c *preparingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		return p.PrepareContext(ctx, query)
	}
	return c.Conn.Prepare(query)
}

func (c *preparingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		return b.BeginTx(ctx, opts)
	}
	return c.Conn.Begin()
}

func (c *preparingConn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

func (c *preparingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *preparingConn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *preparingConn) CheckNamedValue(nv *driver.NamedValue) error {
	if ch, ok := c.Conn.(driver.NamedValueChecker); ok {
		return ch.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// Close closes the connection, and with it its prepared statements.
func (c *preparingConn) Close() error {
	c.stmts = nil
	return c.Conn.Close()
}
