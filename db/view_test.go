package db_test

import (
	"context"
	"testing"

	"cprgraph/db/dbtest"
)

// TestVersionTablesMatch fails when a datatype table has a column its
// T_version lacks (a later migration added it to one only) or when T_known
// no longer returns T's rows (migration 00100).
func TestVersionTablesMatch(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	ctx := context.Background()
	var missing []string
	const q = `SELECT c.table_name || '.' || c.column_name FROM information_schema.columns c
		WHERE c.table_schema = 'public'
		  AND EXISTS (SELECT 1 FROM information_schema.tables v WHERE v.table_schema = 'public' AND v.table_name = c.table_name || '_version')
		  AND NOT EXISTS (SELECT 1 FROM information_schema.columns v
		                   WHERE v.table_schema = 'public' AND v.table_name = c.table_name || '_version' AND v.column_name = c.column_name)`
	if err := conn.SelectContext(ctx, &missing, q); err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Errorf("columns without a version column: %v", missing)
	}
	var tables []string
	if err := conn.SelectContext(ctx, &tables, `SELECT left(table_name, -8) FROM information_schema.tables
		WHERE table_schema = 'public' AND table_name LIKE '%\_version' AND table_name <> 'goose_db_version'`); err != nil {
		t.Fatal(err)
	}
	if len(tables) != 19 {
		t.Errorf("%d version tables, want 19: %v", len(tables), tables)
	}
	for _, table := range tables {
		if _, err := conn.ExecContext(ctx, `SELECT * FROM `+table+`_known(now()) LIMIT 1`); err != nil {
			t.Errorf("%s_known: %v", table, err)
		}
	}
}
