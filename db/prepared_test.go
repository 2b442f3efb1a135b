package db_test

import (
	"context"
	"testing"

	"cprgraph/db/dbtest"
)

// TestPreparedStatements checks that a connection prepares a statement with
// parameters once and reuses it, also inside and after a transaction, and
// prepares it again when a change of a table it reads makes it stale.
func TestPreparedStatements(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	conn.SetMaxOpenConns(1) // one connection: its statements are the session's
	ctx := context.Background()
	const add = `SELECT $1::integer + 1`
	for i := range 10 {
		var n int
		if err := conn.GetContext(ctx, &n, add, i); err != nil || n != i+1 {
			t.Fatalf("%s with %d: %d, %v", add, i, n, err)
		}
	}
	tx := conn.MustBeginTx(ctx, nil)
	var n int
	if err := tx.GetContext(ctx, &n, add, 41); err != nil || n != 42 {
		t.Fatalf("in a transaction: %d, %v", n, err)
	}
	tx.Rollback()
	var prepared int
	if err := conn.GetContext(ctx, &prepared, `SELECT count(*) FROM pg_prepared_statements WHERE statement = '`+add+`'`); err != nil {
		t.Fatal(err)
	}
	if prepared != 1 {
		t.Errorf("%d prepared statements of %q, want 1", prepared, add)
	}

	conn.MustExecContext(ctx, `CREATE TABLE prepared_test (a integer)`)
	conn.MustExecContext(ctx, `INSERT INTO prepared_test VALUES (1)`)
	const read = `SELECT * FROM prepared_test WHERE a = $1`
	columns := func() []string {
		rows, err := conn.QueryxContext(ctx, read, 1)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			t.Fatal(err)
		}
		return cols
	}
	if got := columns(); len(got) != 1 {
		t.Fatalf("columns %v", got)
	}
	conn.MustExecContext(ctx, `ALTER TABLE prepared_test ADD COLUMN b integer`)
	if got := columns(); len(got) != 2 {
		t.Errorf("after ALTER TABLE: columns %v, want a and b", got)
	}
}
