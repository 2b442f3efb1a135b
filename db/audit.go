package db

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// AuditEntry is one row of the append-only audit log: who read which
// persons' data, when, and why.
type AuditEntry struct {
	ID             int64          `db:"id"`
	At             time.Time      `db:"at"`
	RequestID      string         `db:"request_id"`
	ClientID       int64          `db:"client_id"`
	ClientName     string         `db:"client_name"`
	OrganisationID int64          `db:"organisation_id"`
	Operations     pq.StringArray `db:"operations"`
	Purpose        string         `db:"purpose"`
	CPRs           pq.StringArray `db:"cprs"`
	PrevHash       []byte         `db:"prev_hash"`
	Hash           []byte         `db:"hash"`

	// OrganisationName is read by ListAudit; it is not part of the row.
	OrganisationName *string `db:"organisation_name"`
}

// contentHash is the entry's hash: SHA-256 over the previous hash and the
// entry's fields in a fixed text form. The client name comes last and only
// when set, so rows written before it was recorded keep their hash.
func (e AuditEntry) contentHash() []byte {
	h := sha256.New()
	h.Write(e.PrevHash)
	fmt.Fprintf(h, "\n%s\n%s\n%d\n%d\n%s\n%s\n%s",
		e.At.UTC().Format(time.RFC3339Nano), e.RequestID, e.ClientID, e.OrganisationID,
		strings.Join(e.Operations, ","), e.Purpose, strings.Join(e.CPRs, ","))
	if e.ClientName != "" {
		fmt.Fprintf(h, "\n%s", e.ClientName)
	}
	return h.Sum(nil)
}

// auditLockKey serialises appends so the hash chain has one order.
const auditLockKey = 7202611

// AppendAudit appends e to the audit log, chained to the last row; the
// caller fails the request on error.
func (s *Store) AppendAudit(ctx context.Context, e AuditEntry) error {
	e.At = e.At.UTC().Truncate(time.Microsecond) // PostgreSQL keeps microseconds
	return s.InTx(ctx, func(tx *Store) error {
		if _, err := tx.q.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, auditLockKey); err != nil {
			return err
		}
		const last = `SELECT COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), ''::bytea)`
		if err := sqlx.GetContext(ctx, tx.q, &e.PrevHash, last); err != nil {
			return err
		}
		e.Hash = e.contentHash()
		const insert = `INSERT INTO audit_log (at, request_id, client_id, client_name, organisation_id, operations, purpose, cprs, prev_hash, hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`
		_, err := tx.q.ExecContext(ctx, insert, e.At, e.RequestID, e.ClientID, e.ClientName, e.OrganisationID,
			e.Operations, e.Purpose, e.CPRs, e.PrevHash, e.Hash)
		return err
	})
}

// VerifyAudit walks the whole audit log in order and returns the id of the
// first row whose hash or chain link is wrong, or 0 when the chain holds.
func (s *Store) VerifyAudit(ctx context.Context) (badID int64, checked int, err error) {
	const query = `SELECT ` + auditColumns + ` FROM audit_log ORDER BY id`
	rows, err := s.q.QueryxContext(ctx, query)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	prev := []byte{}
	for rows.Next() {
		var e AuditEntry
		if err := rows.StructScan(&e); err != nil {
			return 0, checked, err
		}
		checked++
		if !bytes.Equal(e.PrevHash, prev) || !bytes.Equal(e.Hash, e.contentHash()) {
			return e.ID, checked, nil
		}
		prev = e.Hash
	}
	return 0, checked, rows.Err()
}

// auditColumns are the columns of an audit row.
const auditColumns = `id, at, request_id, client_id, client_name, organisation_id, operations, purpose, cprs, prev_hash, hash`

// AuditFilter selects audit rows: by CPR number returned, by client, or all;
// rows after AfterID, at most Limit.
type AuditFilter struct {
	CPR      string
	ClientID int64
	AfterID  int64
	Limit    int
}

// ListAudit returns audit rows matching f, oldest first, with the name of
// the organisation.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	const query = `SELECT a.id, a.at, a.request_id, a.client_id, a.client_name, a.organisation_id, a.operations,
			a.purpose, a.cprs, a.prev_hash, a.hash, o.name AS organisation_name
		FROM audit_log a LEFT JOIN organisation o ON o.id = a.organisation_id
		WHERE ($1 = '' OR a.cprs @> ARRAY[$1]::text[])
		  AND ($2 = 0 OR a.client_id = $2)
		  AND a.id > $3
		ORDER BY a.id LIMIT $4`
	var out []AuditEntry
	err := sqlx.SelectContext(ctx, s.q, &out, query, f.CPR, f.ClientID, f.AfterID, f.Limit)
	return out, err
}
