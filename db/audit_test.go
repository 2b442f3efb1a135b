package db_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"cprgraph/db"
	"cprgraph/db/dbtest"
)

func auditEntry(requestID string) db.AuditEntry {
	return db.AuditEntry{At: time.Now(), RequestID: requestID, ClientName: "c", Operations: []string{"person"}, CPRs: []string{"0101901234"}}
}

// TestAppendAuditsStaleLast: rows chained to a hash another writer has
// already followed are refused by the database and appended after the real
// last row; writers that each hold their own last hash keep one chain.
func TestAppendAuditsStaleLast(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	store := db.NewStore(conn)
	ctx := context.Background()

	first, err := store.Audit.Append(ctx, nil, []db.AuditEntry{auditEntry("a1"), auditEntry("a2")})
	if err != nil {
		t.Fatal(err)
	}
	second, err := store.Audit.Append(ctx, first, []db.AuditEntry{auditEntry("b")})
	if err != nil {
		t.Fatal(err)
	}
	// first is stale now: the row of "b" follows it.
	third, err := store.Audit.Append(ctx, first, []db.AuditEntry{auditEntry("c")})
	if err != nil {
		t.Fatalf("append after a stale hash: %v", err)
	}
	if bytes.Equal(third, second) || len(third) == 0 {
		t.Errorf("the returned last hash is not the new row's")
	}
	rows, err := store.Audit.List(ctx, db.AuditFilter{Limit: 10})
	if err != nil || len(rows) != 4 {
		t.Fatalf("rows %d, %v", len(rows), err)
	}

	// In a transaction the refusal ends the transaction: no second try, no row.
	err = store.InTx(ctx, func(tx *db.Store) error {
		_, err := tx.Audit.Append(ctx, first, []db.AuditEntry{auditEntry("d")})
		return err
	})
	if err == nil {
		t.Error("a stale hash inside a transaction was not refused")
	}

	// Writers that each keep their own last hash, as server instances do.
	const writers, appends = 4, 25
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var last []byte
			for i := range appends {
				if last, errs[w] = store.Audit.Append(ctx, last, []db.AuditEntry{auditEntry(fmt.Sprintf("w%d-%d", w, i))}); errs[w] != nil {
					return
				}
			}
		}()
	}
	wg.Wait()
	for w, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", w, err)
		}
	}
	if bad, checked, err := store.Audit.Verify(ctx); err != nil || bad != 0 || checked != 4+writers*appends {
		t.Errorf("Verify: bad row %d, %d checked, %v", bad, checked, err)
	}
}
