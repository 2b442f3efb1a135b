package db

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
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

	// OrganisationName is read by AuditStore.List; it is not part of the row.
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

// AuditStore appends to and reads the audit log (audit_log).
type AuditStore struct {
	q sqlx.ExtContext
}

// Append appends the entries to the audit log in their order, each
// chained to the one before and the first to last, the hash the caller
// holds as the log's last (nil: unknown), and returns the hash of the last
// row written, for the next call: all are written or none. With last, that
// is one statement. When last is no longer the log's last hash (another
// writer appended), the unique index on prev_hash refuses the rows instead
// of forking the chain, and they are appended again as without last: under
// the audit lock, after reading the last hash. The caller fails every
// request whose entry is among them on error.
func (s *AuditStore) Append(ctx context.Context, last []byte, entries []AuditEntry) ([]byte, error) {
	if len(entries) == 0 {
		return last, nil
	}
	if last != nil {
		tail, err := s.insertAudits(ctx, last, entries)
		if !linkTaken(err) || inTransaction(s.q) { // a refusal ends the transaction
			return tail, err
		}
	}
	var tail []byte
	err := inTx(ctx, s.q, func(q sqlx.ExtContext) error {
		tx := &AuditStore{q: q}
		// The lock is taken before the last hash is read, in a statement of
		// its own: a statement's snapshot predates its locks, so only a
		// later statement sees the row of the previous holder.
		if _, err := tx.q.ExecContext(ctx, auditLock); err != nil {
			return err
		}
		const lastHash = `SELECT COALESCE((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), ''::bytea)`
		if err := sqlx.GetContext(ctx, tx.q, &last, lastHash); err != nil {
			return err
		}
		var err error
		tail, err = tx.insertAudits(ctx, last, entries)
		return err
	})
	return tail, err
}

// auditLock serialises appends (on every instance) so the hash chain has
// one order; auditLockKey is the audit log's advisory lock key.
const (
	auditLockKey = `7202611`
	auditLock    = `SELECT pg_advisory_xact_lock(` + auditLockKey + `)`
)

// linkTaken reports whether err is the refusal of rows chained to a hash
// another row already follows.
func linkTaken(err error) bool {
	var pqErr *pq.Error
	return errors.As(err, &pqErr) && pqErr.Code.Name() == "unique_violation" && pqErr.Constraint == "audit_log_prev_hash_key"
}

// insertAudits inserts the entries chained after prev in one statement that
// takes the audit lock itself, and returns the last one's hash.
func (s *AuditStore) insertAudits(ctx context.Context, prev []byte, entries []AuditEntry) ([]byte, error) {
	n := len(entries)
	var (
		at, requestIDs, clientNames = make([]string, n), make([]string, n), make([]string, n)
		clientIDs, organisations    = make([]int64, n), make([]int64, n)
		operations, cprs, purposes  = make([]string, n), make([]string, n), make([]string, n)
		prevHashes, hashes          = make([][]byte, n), make([][]byte, n)
	)
	for i, e := range entries {
		e.At = e.At.UTC().Truncate(time.Microsecond) // PostgreSQL keeps microseconds
		e.PrevHash = prev
		e.Hash = e.contentHash()
		prev = e.Hash
		at[i], requestIDs[i], clientIDs[i], clientNames[i] = e.At.Format(time.RFC3339Nano), e.RequestID, e.ClientID, e.ClientName
		organisations[i], operations[i], purposes[i], cprs[i] = e.OrganisationID, arrayLiteral(e.Operations), e.Purpose, arrayLiteral(e.CPRs)
		prevHashes[i], hashes[i] = e.PrevHash, e.Hash
	}
	// One row per array position, inserted in that order so the ids
	// follow the chain; operations and cprs come as array literals.
	const insert = `INSERT INTO audit_log (at, request_id, client_id, client_name, organisation_id, operations, purpose, cprs, prev_hash, hash)
		SELECT at, request_id, client_id, client_name, organisation_id, operations::text[], purpose, cprs::text[], prev_hash, hash
		FROM (` + auditLock + `) AS audit_lock, unnest($1::timestamptz[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::bytea[], $10::bytea[])
			WITH ORDINALITY AS e (at, request_id, client_id, client_name, organisation_id, operations, purpose, cprs, prev_hash, hash, n)
		ORDER BY n`
	_, err := s.q.ExecContext(ctx, insert, pq.Array(at), pq.Array(requestIDs), pq.Array(clientIDs), pq.Array(clientNames),
		pq.Array(organisations), pq.Array(operations), pq.Array(purposes), pq.Array(cprs), pq.Array(prevHashes), pq.Array(hashes))
	if err != nil {
		return nil, err
	}
	return prev, nil
}

// arrayLiteral returns a text array literal, {} for none.
func arrayLiteral(a pq.StringArray) string {
	if len(a) == 0 {
		return "{}"
	}
	v, _ := a.Value()
	return v.(string)
}

// Verify walks the whole audit log in order and returns the id of the
// first row whose hash or chain link is wrong, or 0 when the chain holds.
func (s *AuditStore) Verify(ctx context.Context) (badID int64, checked int, err error) {
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

// List returns audit rows matching f, oldest first, with the name of
// the organisation.
func (s *AuditStore) List(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
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
