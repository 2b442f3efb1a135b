package db_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cprgraph/db"
	"cprgraph/db/dbtest"
)

// TestAuditScale measures the partitioned audit log at scale (the figures
// are in docs/performance.md): AUDIT_BENCH_ROWS rows generated over the
// last 12 months (one monthly partition each), then the cost of Append (one
// row, chained, durable) and of the auditLog(cpr) query (AuditStore.List by
// CPR, first page of 50). Half the rows name one person, 30% two, 20% three
// (a batch or a household), from a pool of 1M persons. The rows are
// generated in bulk, in chunks of AUDIT_BENCH_CHUNK (default 1M), with
// every index of audit_log and audit_subject dropped and built again
// afterwards; their hashes are not HMACs and the chain is not verified.
// Skipped without AUDIT_BENCH_ROWS:
//
//	AUDIT_BENCH_ROWS=1000000 go test -count=1 -run TestAuditScale -v -timeout 60m ./db/
//
// The test cluster runs with fsync off; point DATABASE_URL at a durable
// server for append figures that include the WAL flush.
func TestAuditScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("AUDIT_BENCH_ROWS"))
	if n <= 0 {
		t.Skip("AUDIT_BENCH_ROWS not set")
	}
	chunk, _ := strconv.Atoi(os.Getenv("AUDIT_BENCH_CHUNK"))
	if chunk <= 0 {
		chunk = 1000000
	}
	conn := dbtest.New(t)
	store := db.NewStore(conn).WithAuditKeys(db.NewAuditKeys(testAuditKey))
	ctx := context.Background()
	person := func(i int) string { return fmt.Sprintf("%06d%04d", 10101+i%280000, i%10000) }

	start := time.Now()
	conn.MustExec(`SELECT audit_log_create_partition(date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(months => k))
		FROM generate_series(1, 12) k`)
	conn.MustExec(`SELECT audit_log_ensure_partitions(2)`)
	conn.MustExec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain_guard`)
	// Generated rows: hashes are not HMACs (the chain is not verified
	// here), each row links to the one before; the numbers go to
	// audit_subject as Append writes them, in the same statement.
	const gen = `WITH appended AS (
			INSERT INTO audit_log (id, at, request_id, client_id, client_name, organisation_id, operations, purpose, cprs, prev_hash, hash, key_id)
			SELECT g, now() - interval '365 days' + (g::float8 / $1) * interval '364 days', 'bench-' || g, 1 + g % 50, 'bench', 1 + g % 20,
				'{person}', 'sag ' || (g % 1000),
				CASE WHEN g % 10 < 5 THEN ARRAY[lpad(((g * 7919) % 1000000)::text, 10, '0')]
				     WHEN g % 10 < 8 THEN ARRAY[lpad(((g * 7919) % 1000000)::text, 10, '0'), lpad(((g * 7919 + 104729) % 1000000)::text, 10, '0')]
				     ELSE ARRAY[lpad(((g * 7919) % 1000000)::text, 10, '0'), lpad(((g * 7919 + 104729) % 1000000)::text, 10, '0'), lpad(((g * 7919 + 209458) % 1000000)::text, 10, '0')] END,
				decode(lpad(to_hex(g - 1), 64, '0'), 'hex'), decode(lpad(to_hex(g), 64, '0'), 'hex'), ''
			FROM generate_series($2::bigint, $3::bigint) g
			RETURNING id, at, cprs)
		INSERT INTO audit_subject (cpr, audit_id, at)
		SELECT s.cpr, a.id, a.at FROM appended a, unnest(a.cprs) AS s (cpr)`
	withoutIndexes(t, conn, []string{"audit_log", "audit_subject"}, func() {
		for from := 1; from <= n; from += chunk {
			conn.MustExec(gen, n, from, min(from+chunk-1, n))
			if to := min(from+chunk-1, n); to%(10*chunk) == 0 || to == n {
				t.Logf("%d rows in %s", to, time.Since(start).Round(time.Second))
			}
		}
	})
	conn.MustExec(`SELECT setval('audit_log_id_seq', $1)`, n)
	conn.MustExec(`UPDATE audit_chain_head SET hash = decode(lpad(to_hex($1::bigint), 64, '0'), 'hex')`, n)
	conn.MustExec(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_chain_guard`)
	// Autovacuum's insert threshold vacuums audit_subject's full months,
	// which lets the lookup read the index alone; audit_log is analysed only.
	conn.MustExec(`VACUUM ANALYZE audit_subject`)
	conn.MustExec(`ANALYZE audit_log`)
	var size struct {
		Log      string `db:"log"`
		Subjects string `db:"subjects"`
		Parts    int    `db:"parts"`
	}
	conn.Get(&size, `SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid)) FILTER (WHERE inhparent = 'audit_log'::regclass)) AS log,
			pg_size_pretty(sum(pg_total_relation_size(inhrelid)) FILTER (WHERE inhparent = 'audit_subject'::regclass)) AS subjects,
			count(*) FILTER (WHERE inhparent = 'audit_log'::regclass) AS parts
		FROM pg_inherits WHERE inhparent IN ('audit_log'::regclass, 'audit_subject'::regclass)`)
	t.Logf("generated %d rows in %d partitions (audit_log %s, audit_subject %s, with indexes) in %s", n, size.Parts, size.Log, size.Subjects, time.Since(start).Round(time.Second))

	// Append: one row at a time, chained to the last hash as the server does.
	var last []byte
	var appends []time.Duration
	for i := range 300 {
		e := auditEntry(fmt.Sprintf("bench-append-%d", i))
		e.CPRs = []string{person(i)}
		t0 := time.Now()
		var err error
		if last, err = store.Audit.Append(ctx, last, []db.AuditEntry{e}); err != nil {
			t.Fatal(err)
		}
		appends = append(appends, time.Since(t0))
	}
	t.Logf("Append (1 row, synchronous commit): %s", quantiles(appends))

	// auditLog(cpr): the first page of 50 for numbers that are in the log.
	var lists []time.Duration
	rows := 0
	for range 300 {
		cpr := fmt.Sprintf("%010d", (rand.IntN(n)+1)*7919%1000000)
		t0 := time.Now()
		got, err := store.Audit.List(ctx, db.AuditFilter{CPR: cpr, Limit: 51})
		if err != nil {
			t.Fatal(err)
		}
		lists = append(lists, time.Since(t0))
		rows += len(got)
	}
	t.Logf("auditLog(cpr) first page: %s; %.1f rows per answer", quantiles(lists), float64(rows)/300)
}

// withoutIndexes drops the indexes and primary keys of the partitioned
// tables, runs load, and builds them again from their definitions, as a
// bulk load would.
func withoutIndexes(t *testing.T, conn *sqlx.DB, tables []string, load func()) {
	t.Helper()
	var indexes []struct {
		Table      string `db:"tbl"`
		Name       string `db:"name"`
		Def        string `db:"def"`
		Constraint string `db:"constraint_def"`
	}
	err := conn.Select(&indexes, `SELECT i.indrelid::regclass::text AS tbl, i.indexrelid::regclass::text AS name,
			replace(pg_get_indexdef(i.indexrelid), ' ON ONLY ', ' ON ') AS def, coalesce(pg_get_constraintdef(c.oid), '') AS constraint_def
		FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
		WHERE i.indrelid = ANY($1::regclass[])`, pq.Array(tables))
	if err != nil {
		t.Fatal(err)
	}
	for _, ix := range indexes {
		if ix.Constraint != "" {
			conn.MustExec(fmt.Sprintf(`ALTER TABLE %s DROP CONSTRAINT %s`, ix.Table, ix.Name))
		} else {
			conn.MustExec(`DROP INDEX ` + ix.Name)
		}
	}
	load()
	start := time.Now()
	ctx := context.Background()
	build, err := conn.Connx(ctx) // one session for the SET
	if err != nil {
		t.Fatal(err)
	}
	defer build.Close()
	statements := []string{`SET maintenance_work_mem = '1GB'`}
	for _, ix := range indexes {
		if ix.Constraint != "" {
			statements = append(statements, fmt.Sprintf(`ALTER TABLE %s ADD CONSTRAINT %s %s`, ix.Table, ix.Name, ix.Constraint))
		} else {
			statements = append(statements, ix.Def)
		}
	}
	for _, q := range statements {
		if _, err := build.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	t.Logf("indexes built again in %s", time.Since(start).Round(time.Second))
}

func quantiles(d []time.Duration) string {
	slices.Sort(d)
	q := func(p float64) time.Duration { return d[int(p*float64(len(d)-1))].Round(10 * time.Microsecond) }
	return fmt.Sprintf("n=%d p50 %s p90 %s p99 %s max %s", len(d), q(0.5), q(0.9), q(0.99), d[len(d)-1].Round(10*time.Microsecond))
}
