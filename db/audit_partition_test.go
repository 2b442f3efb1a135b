package db_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"cprgraph/db"
	"cprgraph/db/dbtest"
)

// TestAuditRetentionDropsOnlyCoveredOldPartitions: rows of five and four
// months ago and of today land in their monthly partitions; retention of
// three months drops the old partitions only once a checkpoint covers
// them, and the chain still verifies from the retention horizon with every
// checkpoint's row count.
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
		for _, m := range []time.Time{at} {
			name := fmt.Sprintf("audit_log_y%04dm%02d", m.Year(), int(m.Month()))
			conn.MustExec(fmt.Sprintf(`DO $$ BEGIN IF to_regclass('%[1]s') IS NULL THEN
				EXECUTE format('CREATE TABLE %%I PARTITION OF audit_log FOR VALUES FROM (%%L) TO (%%L)', '%[1]s', '%[2]s'::timestamptz, '%[3]s'::timestamptz); END IF; END $$`,
				name, time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339), time.Date(m.Year(), m.Month()+1, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)))
		}
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
