package graph

import (
	"context"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"cprgraph/access"
	"cprgraph/db"
	"cprgraph/graph/model"
)

// StoreAuditor returns an Auditor appending to the audit log in store.
// Requests that audit at the same time share one transaction (group
// commit, see auditBatcher): each waits until the transaction holding its
// row has committed, and a failed write fails every request of the batch.
func StoreAuditor(store *db.Store) Auditor {
	b := &auditBatcher{store: store}
	return func(ctx context.Context, p *access.Principal, rec *access.Record, cprs []string) error {
		e := db.AuditEntry{At: time.Now(), RequestID: rec.RequestID, CPRs: cprs}
		for _, op := range rec.Operations() {
			e.Operations = append(e.Operations, string(op))
		}
		if p != nil {
			e.ClientID, e.ClientName, e.OrganisationID, e.Purpose = p.ClientID, p.ClientName, p.OrganisationID, p.Purpose
		}
		return b.append(ctx, e)
	}
}

// auditFilter turns auditLog's arguments into a filter for the page p.
func auditFilter(cpr, clientID *string, p page) (db.AuditFilter, error) {
	f := db.AuditFilter{AfterID: p.after, Limit: p.limit()}
	var err error
	if cpr != nil {
		if f.CPR, err = parseCPR(*cpr); err != nil {
			return f, err
		}
	}
	if clientID != nil {
		if f.ClientID, err = parseID(*clientID); err != nil {
			return f, err
		}
	}
	return f, nil
}

// auditEdge is the edge of an audit log connection.
func auditEdge(cursor string, e *db.AuditEntry) (*model.AuditEntryEdge, error) {
	return &model.AuditEntryEdge{Cursor: cursor, Node: e}, nil
}

// auditID is the ID the audit log is paged by.
func auditID(e *db.AuditEntry) int64 { return e.ID }

// recordPerOperation gives every operation its own access.Record (same
// request ID), so that the operations of one websocket, which share the
// upgrade request's context, are audited each on its own.
func recordPerOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	ctx, _ = access.WithRecord(ctx, access.RecordFrom(ctx).RequestID)
	return next(ctx)
}

// auditNumbersShown applies access.AuditLookupOf to the looked-up number
// (when given) and access.AuditNumbersShown to every row.
func (r *Resolver) auditNumbersShown(ctx context.Context, p *access.Principal, lookedUp string, rows []db.AuditEntry) error {
	numbers := []string{}
	if lookedUp != "" {
		numbers = append(numbers, lookedUp)
	}
	for _, e := range rows {
		numbers = append(numbers, e.CPRs...)
	}
	protected, err := r.Store.Register.Protected(ctx, numbers)
	if err != nil {
		return err
	}
	if err := access.AuditLookupOf(p, protected[lookedUp]); err != nil {
		return err
	}
	for i := range rows {
		rows[i].CPRs = access.AuditNumbersShown(p, rows[i].CPRs, protected)
	}
	return nil
}

// lookupsOf returns the page of the principal's own lookups: none for a
// principal without a number of its own (access.Principal.OwnNumber).
func (r *Resolver) lookupsOf(ctx context.Context, p *access.Principal, pg page) ([]db.CitizenLookup, error) {
	own, ok := p.OwnNumber()
	if !ok {
		return nil, nil
	}
	return r.Store.Audit.LookupsOf(ctx, own, pg.after, pg.limit())
}

// lookupEdge is the edge of a citizen's lookups.
func lookupEdge(cursor string, l *db.CitizenLookup) (*model.LookupEdge, error) {
	return &model.LookupEdge{Cursor: cursor, Node: l}, nil
}

// lookupID is the ID a citizen's lookups are paged by (the audit row's).
func lookupID(l *db.CitizenLookup) int64 { return l.ID }
