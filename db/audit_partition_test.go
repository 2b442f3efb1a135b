package db_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"cprgraph/db"
	"cprgraph/db/dbtest"
)

// TestAuditRetentionDropsOnlyCoveredOldPartitions: rows of five and four
// months ago and of today land in their monthly partitions; retention of
// three months drops the old partitions only once a checkpoint covers
// them, and the chain still verifies from the retention horizon with every
// checkpoint's row count. Their subjects' partitions go with them.
func TestAuditRetentionDropsOnlyCoveredOldPartitions(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	store := db.NewStore(conn).WithAuditKeys(db.NewAuditKeys(testAuditKey))
	ctx := context.Background()
	monthStart := func(back int) time.Time {
		n := time.Now().UTC()
		return time.Date(n.Year(), n.Month(), 1, 12, 0, 0, 0, time.UTC).AddDate(0, -back, 0)
	}
	if _, err := conn.Exec(`SELECT audit_log_ensure_partitions(0)`); err != nil {
		t.Fatal(err)
	}
	var last []byte
	appendAt := func(at time.Time, id string) {
		t.Helper()
		conn.MustExec(`SELECT audit_log_create_partition(date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`, at)
		e := auditEntry(id)
		e.At = at
		var err error
		if last, err = store.Audit.Append(ctx, last, []db.AuditEntry{e}); err != nil {
			t.Fatal(err)
		}
	}
	appendAt(monthStart(5), "old1")
	appendAt(monthStart(5).Add(time.Hour), "old2")
	appendAt(monthStart(4), "old3")
	cp1, err := store.Audit.Checkpoint(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	appendAt(time.Now(), "new1")

	var where string
	if err := conn.Get(&where, `SELECT tableoid::regclass::text FROM audit_log WHERE request_id = 'old1'`); err != nil || where != fmt.Sprintf("audit_log_y%04dm%02d", monthStart(5).Year(), int(monthStart(5).Month())) {
		t.Fatalf("old1 is in %q (%v), want its month's partition", where, err)
	}

	// Not covered by a checkpoint: nothing goes.
	if dropped, err := store.Audit.DropExpired(ctx, 3, cp1.LastID-2); err != nil || len(dropped) != 0 {
		t.Fatalf("uncovered: dropped %v, %v", dropped, err)
	}
	if dropped, err := store.Audit.DropExpired(ctx, 0, cp1.LastID); err != nil || len(dropped) != 0 {
		t.Fatalf("retention 0: dropped %v, %v", dropped, err)
	}
	dropped, err := store.Audit.DropExpired(ctx, 3, cp1.LastID)
	if err != nil || len(dropped) != 2 || !slices.IsSorted(dropped) {
		t.Fatalf("covered: dropped %v, %v; want the two old months", dropped, err)
	}
	var subjects []string
	conn.Select(&subjects, `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_subject'::regclass ORDER BY 1`)
	for _, d := range dropped {
		if s := "audit_subject_" + d[len("audit_log_"):]; slices.Contains(subjects, s) {
			t.Fatalf("%s dropped but %s kept (%v)", d, s, subjects)
		}
	}
	cp2, err := store.Audit.Checkpoint(ctx, &cp1)
	if err != nil || cp2.Rows != 4 {
		t.Fatalf("checkpoint after retention: %+v, %v (want 4 rows counted, 3 of them dropped)", cp2, err)
	}
	appendAt(time.Now(), "new2")
	v, err := store.Audit.VerifyChain(ctx, store.Audit.Keys(), []db.AuditCheckpoint{cp1, cp2})
	if err != nil || !v.OK() || v.Checked != 2 || v.Dropped != 3 || v.Checkpoints != 1 || v.BeforeHorizon != 1 {
		t.Fatalf("after retention: %+v, %v", v, err)
	}
	// A checkpoint from scratch counts the dropped rows too.
	if cp3, err := store.Audit.Checkpoint(ctx, nil); err != nil || cp3.Rows != 5 {
		t.Fatalf("fresh checkpoint: %+v, %v", cp3, err)
	}
}

// TestAuditListByCPRReadsEveryRowNamingTheNumber: rows over two months, some
// naming a number twice or with others, are found by that number (through
// audit_subject) in id order, page by page and by client, and by
// LookupsOf; a refused append leaves no subject behind.
func TestAuditListByCPRReadsEveryRowNamingTheNumber(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	store := db.NewStore(conn)
	ctx := context.Background()
	lastMonth := time.Now().UTC().AddDate(0, -1, 0)
	conn.MustExec(`SELECT audit_log_create_partition(date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`, lastMonth)
	conn.MustExec(`SELECT audit_log_ensure_partitions(0)`)

	const who, other = "0101901111", "0101902222"
	entry := func(id string, at time.Time, client int64, cprs ...string) db.AuditEntry {
		e := auditEntry(id)
		e.At, e.ClientID, e.CPRs = at, client, cprs
		return e
	}
	first, err := store.Audit.Append(ctx, nil, []db.AuditEntry{
		entry("old", lastMonth, 1, who, other),
		entry("twice", time.Now(), 2, who, who),
		entry("none", time.Now(), 1, other),
		entry("new", time.Now(), 1, other, who),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Audit.Append(ctx, []byte("not the head"), []db.AuditEntry{entry("stale", time.Now(), 1, who)}); err != nil {
		t.Fatal(err) // appended again under the lock
	}
	err = store.InTx(ctx, func(tx *db.Store) error {
		_, err := tx.Audit.Append(ctx, first, []db.AuditEntry{entry("refused", time.Now(), 1, who)})
		return err
	})
	if err == nil {
		t.Fatal("a stale hash inside a transaction was not refused")
	}

	ids := func(rows []db.AuditEntry) (out []string) {
		for _, r := range rows {
			out = append(out, r.RequestID)
		}
		return out
	}
	rows, err := store.Audit.List(ctx, db.AuditFilter{CPR: who, Limit: 10})
	if got, want := ids(rows), []string{"old", "twice", "new", "stale"}; err != nil || !slices.Equal(got, want) {
		t.Fatalf("List(%s) = %v, %v; want %v", who, got, err, want)
	}
	page, err := store.Audit.List(ctx, db.AuditFilter{CPR: who, AfterID: rows[1].ID, Limit: 1})
	if got := ids(page); err != nil || !slices.Equal(got, []string{"new"}) {
		t.Fatalf("page after %d = %v, %v", rows[1].ID, got, err)
	}
	byClient, err := store.Audit.List(ctx, db.AuditFilter{CPR: who, ClientID: 2, Limit: 10})
	if got := ids(byClient); err != nil || !slices.Equal(got, []string{"twice"}) {
		t.Fatalf("client 2 = %v, %v", got, err)
	}
	lookups, err := store.Audit.LookupsOf(ctx, who, 0, 10)
	if err != nil || len(lookups) != 4 || lookups[0].ID != rows[0].ID || lookups[3].ID != rows[3].ID {
		t.Fatalf("LookupsOf = %+v, %v", lookups, err)
	}
	var subjects, logged int
	conn.Get(&subjects, `SELECT count(*) FROM audit_subject`)
	conn.Get(&logged, `SELECT count(*) FROM audit_log`)
	if subjects != 7 || logged != 5 {
		t.Fatalf("%d subjects of %d rows; want 7 of 5 (no subject of the refused row, one of a number named twice)", subjects, logged)
	}
}

// TestAuditVerifyMonthChainsFromTheRowBefore: each month's partition
// verifies on its own, its first row chained to the last row of the month
// before; a changed row fails its own month only, a removed first row
// fails its month, and a checkpoint within the month is found there.
func TestAuditVerifyMonthChainsFromTheRowBefore(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	store := db.NewStore(conn).WithAuditKeys(db.NewAuditKeys(testAuditKey))
	ctx := context.Background()
	now := time.Now().UTC()
	thisMonth := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	months := []time.Time{thisMonth.AddDate(0, -2, 0), thisMonth.AddDate(0, -1, 0), thisMonth}
	var last []byte
	var cp db.AuditCheckpoint
	for i, m := range months {
		conn.MustExec(`SELECT audit_log_create_partition(date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`, m)
		for j := range 2 {
			e := auditEntry(fmt.Sprintf("m%d-%d", i, j))
			e.At = time.Date(m.Year(), m.Month(), 1, 12+j, 0, 0, 0, time.UTC)
			var err error
			if last, err = store.Audit.Append(ctx, last, []db.AuditEntry{e}); err != nil {
				t.Fatal(err)
			}
		}
		if i == 1 {
			var err error
			if cp, err = store.Audit.Checkpoint(ctx, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	verify := func(m time.Time) db.AuditVerification {
		t.Helper()
		v, err := store.Audit.VerifyMonth(ctx, store.Audit.Keys(), m, []db.AuditCheckpoint{cp})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for i, m := range months {
		if v := verify(m); !v.OK() || v.Checked != 2 || v.Checkpoints != map[int]int{1: 1}[i] {
			t.Errorf("month %d untouched: %+v", i, v)
		}
	}
	if v := verify(thisMonth.AddDate(0, -5, 0)); !v.OK() || v.Checked != 0 {
		t.Errorf("a month without rows: %+v", v)
	}

	superuser(t, conn, `UPDATE audit_log SET purpose = 'changed' WHERE request_id = 'm1-0'`)
	if v := verify(months[1]); v.OK() || !strings.Contains(v.Problem, "was changed") {
		t.Errorf("changed row's month: %+v", v)
	}
	for _, i := range []int{0, 2} {
		if v := verify(months[i]); !v.OK() {
			t.Errorf("month %d beside the changed one: %+v", i, v)
		}
	}
	superuser(t, conn, `DELETE FROM audit_log WHERE request_id = 'm2-0'`)
	if v := verify(months[2]); v.OK() || !strings.Contains(v.Problem, "does not follow") {
		t.Errorf("month whose first row was removed: %+v", v)
	}
}
