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

	"cprgraph/db"
	"cprgraph/db/dbtest"
)

// TestAuditScale measures the partitioned audit log at scale (the figures
// are in docs/performance.md): AUDIT_BENCH_ROWS rows generated over the
// last 12 months (one monthly partition each), each naming 1 to 3 of 1M
// persons, then the cost of Append (one row, chained, durable) and of the
// auditLog(cpr) query (AuditStore.List by CPR, first page of 50). Skipped
// without AUDIT_BENCH_ROWS:
//
//	AUDIT_BENCH_ROWS=1000000 go test -count=1 -run TestAuditScale -v -timeout 60m ./db/
func TestAuditScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("AUDIT_BENCH_ROWS"))
	if n <= 0 {
		t.Skip("AUDIT_BENCH_ROWS not set")
	}
	conn := dbtest.New(t)
	store := db.NewStore(conn).WithAuditKeys(db.NewAuditKeys(testAuditKey))
	ctx := context.Background()
	person := func(i int) string { return fmt.Sprintf("%06d%04d", 10101+i%280000, i%10000) }

	start := time.Now()
	conn.MustExec(`DO $$ DECLARE m timestamptz; BEGIN
		FOR k IN 1..12 LOOP
			m := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(months => k);
			EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF audit_log FOR VALUES FROM (%L) TO (%L)',
				'audit_log_' || to_char(m AT TIME ZONE 'UTC', '"y"YYYY"m"MM'), m, m + interval '1 month');
		END LOOP; END $$`)
	conn.MustExec(`SELECT audit_log_ensure_partitions(2)`)
	conn.MustExec(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_chain_guard`)
	// Generated rows: hashes are not HMACs (the chain is not verified
	// here), each row links to the one before; CPR numbers from a pool of
	// about 1M, 1 to 3 per row.
	const gen = `INSERT INTO audit_log (id, at, request_id, client_id, client_name, organisation_id, operations, purpose, cprs, prev_hash, hash, key_id)
		SELECT g, now() - interval '365 days' + (g::float8 / $1) * interval '364 days', 'bench-' || g, 1 + g % 50, 'bench', 1 + g % 20,
			'{person}', 'sag ' || (g % 1000),
			CASE WHEN g % 3 = 0 THEN ARRAY[lpad(((g * 7919) % 1000000)::text, 10, '0')]
			     WHEN g % 3 = 1 THEN ARRAY[lpad(((g * 7919) % 1000000)::text, 10, '0'), lpad(((g * 104729) % 1000000)::text, 10, '0')]
			     ELSE ARRAY[lpad(((g * 7919) % 1000000)::text, 10, '0'), lpad(((g * 104729) % 1000000)::text, 10, '0'), lpad(((g * 15485863) % 1000000)::text, 10, '0')] END,
			CASE WHEN g = 1 THEN ''::bytea ELSE sha256((g - 1)::text::bytea) END, sha256(g::text::bytea), ''
		FROM generate_series($2::bigint, $3::bigint) g`
	for from := 1; from <= n; from += 1000000 {
		conn.MustExec(gen, n, from, min(from+999999, n))
	}
	conn.MustExec(`SELECT setval('audit_log_id_seq', $1)`, n)
	conn.MustExec(`UPDATE audit_chain_head SET hash = sha256($1::text::bytea)`, strconv.Itoa(n))
	conn.MustExec(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_chain_guard`)
	// VACUUM as autovacuum would: it also moves the GIN indexes' pending
	// lists (fastupdate) into the index proper.
	conn.MustExec(`VACUUM ANALYZE audit_log`)
	var size string
	conn.Get(&size, `SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'audit_log'::regclass`)
	var parts int
	conn.Get(&parts, `SELECT count(*) FROM pg_inherits WHERE inhparent = 'audit_log'::regclass`)
	t.Logf("generated %d rows in %d partitions (%s with indexes) in %s", n, parts, size, time.Since(start).Round(time.Second))

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

func quantiles(d []time.Duration) string {
	slices.Sort(d)
	q := func(p float64) time.Duration { return d[int(p*float64(len(d)-1))].Round(10 * time.Microsecond) }
	return fmt.Sprintf("n=%d p50 %s p90 %s p99 %s max %s", len(d), q(0.5), q(0.9), q(0.99), d[len(d)-1].Round(10*time.Microsecond))
}
