package graph

import (
	"context"
	"time"

	"cprgraph/access"
	"cprgraph/db"
)

// StoreAuditor returns an Auditor appending to the audit log in store.
func StoreAuditor(store *db.Store) Auditor {
	return func(ctx context.Context, p *access.Principal, rec *access.Record, cprs []string) error {
		e := db.AuditEntry{At: time.Now(), RequestID: rec.RequestID, CPRs: cprs}
		for _, op := range rec.Operations() {
			e.Operations = append(e.Operations, string(op))
		}
		if p != nil {
			e.ClientID, e.OrganisationID, e.Purpose = p.ClientID, p.OrganisationID, p.Purpose
		}
		return store.AppendAudit(ctx, e)
	}
}
