package graph

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"cprgraph/access"
	"cprgraph/db"
	"cprgraph/db/dbtest"
)

// TestStoreAuditorGroupCommit: concurrent requests each get their row,
// written before their audit call returns, in one verifying chain; when the
// write fails, every waiting request gets the error.
func TestStoreAuditorGroupCommit(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	store := db.NewStore(conn)
	audit := StoreAuditor(store)
	ctx := context.Background()
	principal := &access.Principal{ClientID: 1, ClientName: "c", OrganisationID: 2, Profile: access.Authority}

	const requests = 64
	var wg sync.WaitGroup
	errs := make([]error, requests)
	for i := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, rec := access.WithRecord(ctx, fmt.Sprintf("req-%d", i))
			rec.AddCPR(fmt.Sprintf("01019012%02d", i))
			if errs[i] = audit(ctx, principal, rec, rec.TakeCPRs()); errs[i] != nil {
				return
			}
			// The row is committed when the call returns.
			rows, err := store.Audit.List(ctx, db.AuditFilter{CPR: fmt.Sprintf("01019012%02d", i), Limit: 10})
			if err == nil && (len(rows) != 1 || rows[0].RequestID != fmt.Sprintf("req-%d", i)) {
				err = fmt.Errorf("rows %+v", rows)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("request %d: %v", i, err)
		}
	}
	if bad, checked, err := store.Audit.Verify(ctx); err != nil || bad != 0 || checked != requests {
		t.Errorf("Verify: bad row %d, %d checked, %v", bad, checked, err)
	}

	conn.MustExec(`CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`)
	conn.MustExec(`CREATE TRIGGER refuse BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse()`)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, rec := access.WithRecord(ctx, "refused")
			errs[i] = audit(ctx, principal, rec, []string{"0101901234"})
		}()
	}
	wg.Wait()
	for i := range 8 {
		if errs[i] == nil {
			t.Errorf("request %d: no error from a failed audit write", i)
		}
	}
}
