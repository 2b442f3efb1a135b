package graph

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"cprgraph/access"
	"cprgraph/apperr"
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

// maxAuditPage caps auditLog's `first`.
const maxAuditPage = 500

// auditFilter turns auditLog's arguments into a filter that asks for one
// row more than the page, to know whether another page follows.
func auditFilter(cpr, clientID *string, first *int, after *string) (db.AuditFilter, error) {
	var f db.AuditFilter
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
	if after != nil {
		if f.AfterID, err = decodeAuditCursor(*after); err != nil {
			return f, err
		}
	}
	n := 50
	if first != nil {
		n = *first
	}
	if n < 1 || n > maxAuditPage {
		return f, apperr.Errorf(apperr.BadUserInput, "first must be between 1 and %d", maxAuditPage)
	}
	f.Limit = n + 1
	return f, nil
}

// auditConnection returns the first n rows as a page.
func auditConnection(rows []db.AuditEntry, n int) *model.AuditEntryConnection {
	page := &model.AuditEntryConnection{PageInfo: &model.PageInfo{HasNextPage: len(rows) > n}}
	rows = rows[:min(n, len(rows))]
	for i := range rows {
		cursor := encodeAuditCursor(rows[i].ID)
		page.Edges = append(page.Edges, &model.AuditEntryEdge{Cursor: cursor, Node: &rows[i]})
		page.PageInfo.EndCursor = &cursor
	}
	if page.Edges == nil {
		page.Edges = []*model.AuditEntryEdge{}
	}
	return page
}

func encodeAuditCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("audit:" + strconv.FormatInt(id, 10)))
}

func decodeAuditCursor(cursor string) (int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if s, ok := strings.CutPrefix(string(b), "audit:"); err == nil && ok {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id >= 0 {
			return id, nil
		}
	}
	return 0, apperr.Errorf(apperr.BadUserInput, "not an audit log cursor: %q", cursor)
}

// recordPerOperation gives every operation its own access.Record (same
// request ID), so that the operations of one websocket, which share the
// upgrade request's context, are audited each on its own.
func recordPerOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	ctx, _ = access.WithRecord(ctx, access.RecordFrom(ctx).RequestID)
	return next(ctx)
}
