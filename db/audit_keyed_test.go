package db_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/db"
	"cprgraph/db/dbtest"
)

var testAuditKey = []byte("a-test-audit-key-of-at-least-32-bytes")

// keyedLog returns a store keyed with testAuditKey holding 7 audit rows and
// a checkpoint taken after the first 5.
func keyedLog(t *testing.T) (*sqlx.DB, *db.Store, db.AuditCheckpoint) {
	t.Helper()
	conn := dbtest.New(t)
	store := db.NewStore(conn).WithAuditKeys(db.NewAuditKeys(testAuditKey))
	ctx := context.Background()
	var last []byte
	var cp db.AuditCheckpoint
	for i := range 7 {
		var err error
		if last, err = store.Audit.Append(ctx, last, []db.AuditEntry{auditEntry(fmt.Sprintf("r%d", i))}); err != nil {
			t.Fatal(err)
		}
		if i == 4 {
			if cp, err = store.Audit.Checkpoint(ctx, nil); err != nil || cp.Rows != 5 {
				t.Fatalf("checkpoint %+v, %v", cp, err)
			}
		}
	}
	v, err := store.Audit.VerifyChain(ctx, store.Audit.Keys(), []db.AuditCheckpoint{cp})
	if err != nil || !v.OK() || v.Checked != 7 || v.Checkpoints != 1 || v.Unkeyed != 0 {
		t.Fatalf("untouched log: %+v, %v", v, err)
	}
	return conn, store, cp
}

// superuser runs SQL as the database's superuser would, past the
// append-only triggers.
func superuser(t *testing.T, conn *sqlx.DB, sql string, args ...any) {
	t.Helper()
	if _, err := conn.Exec(`ALTER TABLE audit_log DISABLE TRIGGER USER`); err != nil {
		t.Fatal(err)
	}
	defer conn.Exec(`ALTER TABLE audit_log ENABLE TRIGGER USER`)
	if _, err := conn.Exec(sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// plainHash is the unkeyed hash of a row as the chain had it before keying,
// which anyone who reads the code can compute.
func plainHash(e db.AuditEntry) []byte {
	h := sha256.New()
	h.Write(e.PrevHash)
	fmt.Fprintf(h, "\n%s\n%s\n%d\n%d\n%s\n%s\n%s\n%s", e.At.UTC().Format(time.RFC3339Nano), e.RequestID, e.ClientID, e.OrganisationID,
		strings.Join(e.Operations, ","), e.Purpose, strings.Join(e.CPRs, ","), e.ClientName)
	return h.Sum(nil)
}

// recompute rewrites the chain from row `from` on as a superuser who edits
// row `from` and recomputes every later hash without the key.
func recompute(t *testing.T, conn *sqlx.DB, from int64) {
	t.Helper()
	var rows []db.AuditEntry
	if err := conn.Select(&rows, `SELECT id, at, request_id, client_id, client_name, organisation_id, operations, purpose, cprs, prev_hash, hash, key_id FROM audit_log ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	superuser(t, conn, `DROP INDEX audit_log_prev_hash_key`)
	prev := []byte{}
	for _, e := range rows {
		if e.ID >= from {
			if e.ID == from {
				e.CPRs = nil // the edit: hide whom this row looked up
			}
			e.PrevHash = prev
			e.Hash = plainHash(e)
			superuser(t, conn, `UPDATE audit_log SET cprs = $2, prev_hash = $3, hash = $4, key_id = '' WHERE id = $1`, e.ID, []byte("{}"), e.PrevHash, e.Hash)
			if e.ID != from {
				superuser(t, conn, `UPDATE audit_log SET cprs = '{0101901234}' WHERE id = $1`, e.ID)
			}
		}
		prev = e.Hash
	}
}

// TestAuditVerifyCatchesRecomputedChain: a superuser who edits a row and
// recomputes the later hashes without the key is caught — from the edited
// row on (a plain hash after keyed ones), and when the whole chain is
// recomputed, by the checkpoint kept outside the database.
func TestAuditVerifyCatchesRecomputedChain(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		from int64
		want string
	}{
		{3, "plain hash after keyed rows"},
		{1, "not the one checkpointed"},
	} {
		t.Run(fmt.Sprint("from row ", tc.from), func(t *testing.T) {
			t.Parallel()
			conn, store, cp := keyedLog(t)
			recompute(t, conn, tc.from)
			v, err := store.Audit.VerifyChain(context.Background(), store.Audit.Keys(), []db.AuditCheckpoint{cp})
			if err != nil || v.OK() || !strings.Contains(v.Problem, tc.want) {
				t.Errorf("recomputed chain: %+v, %v", v, err)
			}
			// Without the key nothing can verify the keyed rows at all.
			if v, _ := store.Audit.VerifyChain(context.Background(), db.NewAuditKeys([]byte("a-guessed-key-of-at-least-32-bytes!!")), nil); v.OK() && tc.from > 1 {
				t.Errorf("verified with a wrong key: %+v", v)
			}
		})
	}
}

// TestAuditVerifyCatchesCutTail: rows deleted from the end of the log, up to
// the last checkpoint, are detected; after the checkpoint they are not (the
// checkpoint interval bounds the loss).
func TestAuditVerifyCatchesCutTail(t *testing.T) {
	t.Parallel()
	conn, store, cp := keyedLog(t)
	ctx := context.Background()
	superuser(t, conn, `DELETE FROM audit_log WHERE id > $1`, cp.LastID)
	if v, err := store.Audit.VerifyChain(ctx, store.Audit.Keys(), []db.AuditCheckpoint{cp}); err != nil || !v.OK() {
		t.Errorf("cut after the checkpoint is not detectable, and must not be reported: %+v, %v", v, err)
	}
	superuser(t, conn, `DELETE FROM audit_log WHERE id > $1`, cp.LastID-2)
	v, err := store.Audit.VerifyChain(ctx, store.Audit.Keys(), []db.AuditCheckpoint{cp})
	if err != nil || v.OK() || !strings.Contains(v.Problem, "cut from the tail") {
		t.Errorf("cut tail: %+v, %v", v, err)
	}
	// A checkpoint forged without the key is refused.
	forged := cp
	forged.Rows = 3
	if v, _ := store.Audit.VerifyChain(ctx, store.Audit.Keys(), []db.AuditCheckpoint{forged}); v.OK() || !strings.Contains(v.Problem, "MAC") {
		t.Errorf("forged checkpoint: %+v", v)
	}
}
