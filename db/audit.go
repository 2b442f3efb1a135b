package db

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
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
	KeyID          string         `db:"key_id"` // the AuditKeys key the hash is keyed with; "": plain SHA-256 (rows from before keying)

	// OrganisationName is read by AuditStore.List; it is not part of the row.
	OrganisationName *string `db:"organisation_name"`
}

// contentHash is the entry's hash over the previous hash and the entry's
// fields in a fixed text form: HMAC-SHA256 with the key KeyID names, or
// plain SHA-256 for a row without a key id (written before the chain was
// keyed). The client name comes last and only when set, so rows written
// before it was recorded keep their hash. An unknown key id is an error.
func (e AuditEntry) contentHash(keys *AuditKeys) ([]byte, error) {
	var h hash.Hash
	if e.KeyID == "" {
		h = sha256.New()
	} else {
		secret, ok := keys.secret(e.KeyID)
		if !ok {
			return nil, fmt.Errorf("audit row %d is keyed with key id %s, which is not configured (AUDIT_KEY, AUDIT_PREVIOUS_KEYS)", e.ID, e.KeyID)
		}
		h = hmac.New(sha256.New, secret)
	}
	h.Write(e.PrevHash)
	fmt.Fprintf(h, "\n%s\n%s\n%d\n%d\n%s\n%s\n%s",
		e.At.UTC().Format(time.RFC3339Nano), e.RequestID, e.ClientID, e.OrganisationID,
		strings.Join(e.Operations, ","), e.Purpose, strings.Join(e.CPRs, ","))
	if e.ClientName != "" {
		fmt.Fprintf(h, "\n%s", e.ClientName)
	}
	if e.KeyID != "" {
		fmt.Fprintf(h, "\n%s", e.KeyID)
	}
	return h.Sum(nil), nil
}

// AuditKeys are the secrets the audit chain is keyed with: the current one,
// which new rows use, and previous ones, for verifying rows written before
// a rotation. The database never holds them; it names each row's key by
// its id (AuditKeyID).
type AuditKeys struct {
	current string
	byID    map[string][]byte
}

// NewAuditKeys returns the keys with current as the key of new rows.
func NewAuditKeys(current []byte, previous ...[]byte) *AuditKeys {
	k := &AuditKeys{current: AuditKeyID(current), byID: map[string][]byte{}}
	for _, secret := range append([][]byte{current}, previous...) {
		k.byID[AuditKeyID(secret)] = secret
	}
	return k
}

// AuditKeyID names a key without telling anything about it: the first 8
// bytes of an HMAC of a fixed text with the key, in hex.
func AuditKeyID(secret []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("cprgraph audit key id"))
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// CurrentID is the id of the key new rows are keyed with ("" without keys).
func (k *AuditKeys) CurrentID() string {
	if k == nil {
		return ""
	}
	return k.current
}

func (k *AuditKeys) secret(id string) ([]byte, bool) {
	if k == nil {
		return nil, false
	}
	s, ok := k.byID[id]
	return s, ok
}

// AuditStore appends to and reads the audit log (audit_log).
type AuditStore struct {
	q    sqlx.ExtContext
	keys *AuditKeys // nil: rows are chained with plain SHA-256
}

// Keys returns the keys the store chains new rows with (nil: none).
func (s *AuditStore) Keys() *AuditKeys { return s.keys }

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
		tx := &AuditStore{q: q, keys: s.keys}
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
		keyID                       = s.keys.CurrentID()
	)
	for i, e := range entries {
		e.At = e.At.UTC().Truncate(time.Microsecond) // PostgreSQL keeps microseconds
		e.PrevHash = prev
		e.KeyID = keyID
		var err error
		if e.Hash, err = e.contentHash(s.keys); err != nil {
			return nil, err
		}
		prev = e.Hash
		at[i], requestIDs[i], clientIDs[i], clientNames[i] = e.At.Format(time.RFC3339Nano), e.RequestID, e.ClientID, e.ClientName
		organisations[i], operations[i], purposes[i], cprs[i] = e.OrganisationID, arrayLiteral(e.Operations), e.Purpose, arrayLiteral(e.CPRs)
		prevHashes[i], hashes[i] = e.PrevHash, e.Hash
	}
	// One row per array position, inserted in that order so the ids
	// follow the chain; operations and cprs come as array literals. The
	// same statement writes each row's numbers to audit_subject (List's
	// and LookupsOf's index), so a row is never without them. The
	// transaction (the statement's own, or the caller's) commits
	// synchronously whatever the server's default: the row is on disk
	// before the answer it records leaves.
	const insert = `WITH appended AS (
			INSERT INTO audit_log (at, request_id, client_id, client_name, organisation_id, operations, purpose, cprs, prev_hash, hash, key_id)
			SELECT at, request_id, client_id, client_name, organisation_id, operations::text[], purpose, cprs::text[], prev_hash, hash, $11
			FROM (` + auditLock + `) AS audit_lock, (SELECT set_config('synchronous_commit', 'on', true)) AS durable, unnest($1::timestamptz[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::bytea[], $10::bytea[])
				WITH ORDINALITY AS e (at, request_id, client_id, client_name, organisation_id, operations, purpose, cprs, prev_hash, hash, n)
			ORDER BY n
			RETURNING id, at, cprs)
		INSERT INTO audit_subject (cpr, audit_id, at)
		SELECT DISTINCT s.cpr, a.id, a.at FROM appended a, unnest(a.cprs) AS s (cpr)`
	_, err := s.q.ExecContext(ctx, insert, pq.Array(at), pq.Array(requestIDs), pq.Array(clientIDs), pq.Array(clientNames),
		pq.Array(organisations), pq.Array(operations), pq.Array(purposes), pq.Array(cprs), pq.Array(prevHashes), pq.Array(hashes), keyID)
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

// Verify walks the whole audit log in order with the store's keys and
// returns the id of the first row whose hash or chain link is wrong, or 0
// when the chain holds (VerifyChain says more).
func (s *AuditStore) Verify(ctx context.Context) (badID int64, checked int, err error) {
	r, err := s.VerifyChain(ctx, s.keys, nil)
	return r.BadID, r.Checked, err
}

// AuditVerification is what VerifyChain found.
type AuditVerification struct {
	Checked  int    // rows checked
	BadID    int64  // the first row whose hash, link or key is wrong (0: none)
	Problem  string // what is wrong, when anything is
	Unkeyed  int    // rows with plain SHA-256 hashes (from before keying)
	LastID   int64  // the last row
	LastHash []byte
	// Checkpoints is how many of the checkpoints given were found in the
	// chain (their row with their hash and row count).
	Checkpoints int
	// Dropped is how many rows went with partitions dropped by retention
	// (the chain is checked from their last row's hash, AuditHorizon), and
	// BeforeHorizon how many checkpoints named such rows.
	Dropped       int64
	BeforeHorizon int
}

// AuditHorizon is where the audit log begins after retention dropped its
// oldest partitions: the last dropped row's id and hash and how many rows
// were dropped (all zero when none were).
type AuditHorizon struct {
	LastID   int64  `db:"last_id"`
	LastHash []byte `db:"last_hash"`
	Rows     int64  `db:"rows"`
}

// Horizon returns the log's retention horizon.
func (s *AuditStore) Horizon(ctx context.Context) (AuditHorizon, error) {
	var h AuditHorizon
	const q = `SELECT last_id, last_hash, rows FROM audit_log_horizon`
	err := sqlx.GetContext(ctx, s.q, &h, q)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return h, err
}

// EnsurePartitions creates the audit log's monthly partitions up to ahead
// months from now (rows of a month without one go to the DEFAULT partition).
func (s *AuditStore) EnsurePartitions(ctx context.Context, ahead int) error {
	_, err := s.q.ExecContext(ctx, `SELECT audit_log_ensure_partitions($1)`, ahead)
	return err
}

// DropExpired drops the audit log's whole monthly partitions whose month
// ended more than months months ago, oldest first, only those whose every
// row a checkpoint covers (id at most coveredID) and after which no row has
// a smaller id; it returns the partitions dropped. months < 1 drops none.
func (s *AuditStore) DropExpired(ctx context.Context, months int, coveredID int64) ([]string, error) {
	var dropped []string
	err := sqlx.SelectContext(ctx, s.q, &dropped, `SELECT audit_log_drop_expired($1, $2)`, months, coveredID)
	return dropped, err
}

// OK reports whether the chain holds.
func (v AuditVerification) OK() bool { return v.Problem == "" }

// VerifyChain walks the whole audit log in order and checks every row's
// link and hash, the keyed ones with keys: a row with a hash that does
// not verify, a plain row after a keyed one (a downgrade), or a key id not
// among keys is a problem. Each checkpoint (whose own MAC must verify with
// keys) must find its row with its hash after its count of rows: a
// rewritten chain fails there, and rows cut from the tail leave a
// checkpoint beyond the end.
func (s *AuditStore) VerifyChain(ctx context.Context, keys *AuditKeys, checkpoints []AuditCheckpoint) (AuditVerification, error) {
	var v AuditVerification
	byID, ok := validCheckpoints(keys, checkpoints, &v)
	if !ok {
		return v, nil
	}
	h, err := s.Horizon(ctx)
	if err != nil {
		return v, err
	}
	v.Dropped = h.Rows
	for id := range byID {
		if id <= h.LastID { // its row went with a partition past retention
			delete(byID, id)
			v.BeforeHorizon++
		}
	}
	w := chainWalk{keys: keys, prev: append([]byte{}, h.LastHash...), checkpoints: byID, counted: true}
	const query = `SELECT ` + auditColumns + ` FROM audit_log ORDER BY id`
	if err := w.walk(ctx, s.q, &v, query); err != nil {
		return v, err
	}
	if v.Problem == "" {
		for _, c := range byID {
			if c.LastID > v.LastID || c.Rows > v.Dropped+int64(v.Checked) {
				v.Problem = fmt.Sprintf("checkpoint of %s names row %d after %d rows, but the log ends at row %d after %d: rows were cut from the tail",
					c.At.Format(time.RFC3339), c.LastID, c.Rows, v.LastID, v.Checked)
			} else {
				v.Problem = fmt.Sprintf("checkpoint of %s names row %d, which is not in the log: rows were removed", c.At.Format(time.RFC3339), c.LastID)
			}
			break
		}
	}
	return v, nil
}

// VerifyMonth checks one month's partition of the audit log (the month of
// month, UTC) as VerifyChain checks the whole log: every row from the
// month's first id to its last (with any row of a neighbouring month
// among them), the first chained to the row before it, which is read but
// not itself verified (retention's horizon when that row was dropped). A
// checkpoint naming a row in that range must find it with its hash; its
// row count is not checked (that needs every row before the month), nor
// is the link to the month after, which verifying that month checks. A
// month without rows verifies with none checked.
func (s *AuditStore) VerifyMonth(ctx context.Context, keys *AuditKeys, month time.Time, checkpoints []AuditCheckpoint) (AuditVerification, error) {
	var v AuditVerification
	byID, ok := validCheckpoints(keys, checkpoints, &v)
	if !ok {
		return v, nil
	}
	from := time.Date(month.Year(), month.Month(), 1, 0, 0, 0, 0, time.UTC)
	var ids struct {
		First sql.NullInt64 `db:"first"`
		Last  sql.NullInt64 `db:"last"`
	}
	const bounds = `SELECT min(id) AS first, max(id) AS last FROM audit_log WHERE at >= $1 AND at < $2`
	if err := sqlx.GetContext(ctx, s.q, &ids, bounds, from, from.AddDate(0, 1, 0)); err != nil || !ids.First.Valid {
		return v, err
	}
	var before struct {
		Hash  []byte `db:"hash"`
		KeyID string `db:"key_id"`
	}
	const rowBefore = `SELECT hash, key_id FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT 1`
	err := sqlx.GetContext(ctx, s.q, &before, rowBefore, ids.First.Int64)
	if errors.Is(err, sql.ErrNoRows) {
		var h AuditHorizon
		h, err = s.Horizon(ctx)
		before.Hash = h.LastHash
	}
	if err != nil {
		return v, err
	}
	for id := range byID {
		if id < ids.First.Int64 || id > ids.Last.Int64 {
			delete(byID, id)
		}
	}
	w := chainWalk{keys: keys, prev: append([]byte{}, before.Hash...), keyed: before.KeyID != "", checkpoints: byID}
	const query = `SELECT ` + auditColumns + ` FROM audit_log WHERE id BETWEEN $1 AND $2 ORDER BY id`
	if err := w.walk(ctx, s.q, &v, query, ids.First.Int64, ids.Last.Int64); err != nil {
		return v, err
	}
	if v.Problem == "" {
		for _, c := range byID {
			v.Problem = fmt.Sprintf("checkpoint of %s names row %d, which is not in the log: rows were removed", c.At.Format(time.RFC3339), c.LastID)
			break
		}
	}
	return v, nil
}

// validCheckpoints returns the checkpoints by their last row's id, or sets
// v's problem and returns false when one's MAC does not verify with keys.
func validCheckpoints(keys *AuditKeys, checkpoints []AuditCheckpoint, v *AuditVerification) (map[int64]AuditCheckpoint, bool) {
	byID := map[int64]AuditCheckpoint{}
	for _, c := range checkpoints {
		if !c.valid(keys) {
			v.Problem = fmt.Sprintf("checkpoint of row %d (%s) has a MAC that does not verify with the configured keys: forged or from another key", c.LastID, c.At.Format(time.RFC3339))
			return nil, false
		}
		byID[c.LastID] = c
	}
	return byID, true
}

// chainWalk checks audit rows in id order, each against the hash before
// it (prev), and the checkpoints naming them, deleting each one found.
// With counted, the walk starts at the log's first row, so a checkpoint's
// row count is checked as well.
type chainWalk struct {
	keys        *AuditKeys
	prev        []byte
	keyed       bool // a keyed row came before: a plain one now is a downgrade
	checkpoints map[int64]AuditCheckpoint
	counted     bool
}

// walk runs query (audit rows, auditColumns, in id order) and records what
// it finds in v, stopping at the first problem.
func (w *chainWalk) walk(ctx context.Context, q sqlx.QueryerContext, v *AuditVerification, query string, args ...any) error {
	rows, err := q.QueryxContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var e AuditEntry
		if err := rows.StructScan(&e); err != nil {
			return err
		}
		v.Checked++
		if problem := w.check(e, v); problem != "" {
			v.BadID, v.Problem = e.ID, problem
			break
		}
		w.prev, v.LastID, v.LastHash = e.Hash, e.ID, e.Hash
	}
	return rows.Err()
}

// check returns what is wrong with the next row e, or "".
func (w *chainWalk) check(e AuditEntry, v *AuditVerification) string {
	if !bytes.Equal(e.PrevHash, w.prev) {
		return fmt.Sprintf("row %d does not follow the row before it: a row was removed or changed", e.ID)
	}
	if e.KeyID == "" && w.keyed {
		return fmt.Sprintf("row %d has a plain hash after keyed rows: the chain was recomputed without the key", e.ID)
	}
	h, err := e.contentHash(w.keys)
	if err != nil {
		return err.Error()
	}
	if !bytes.Equal(e.Hash, h) {
		return fmt.Sprintf("row %d was changed (its hash does not verify)", e.ID)
	}
	if e.KeyID == "" {
		v.Unkeyed++
	} else {
		w.keyed = true
	}
	if c, ok := w.checkpoints[e.ID]; ok {
		if !bytes.Equal(c.Head, e.Hash) || (w.counted && c.Rows != v.Dropped+int64(v.Checked)) {
			return fmt.Sprintf("row %d is not the one checkpointed at %s (hash or row count differ): the chain was rewritten", e.ID, c.At.Format(time.RFC3339))
		}
		v.Checkpoints++
		delete(w.checkpoints, e.ID)
	}
	return ""
}

// AuditCheckpoint is the audit chain's head at a moment, kept outside the
// database (see app.RunAuditCheckpoints): the last row's id and hash and
// how many rows the chain held, with a MAC under the current key, so that
// neither a database superuser nor whoever can write the file alone can
// make a shorter or rewritten chain agree with it.
type AuditCheckpoint struct {
	At     time.Time `json:"at"`
	LastID int64     `json:"lastId"`
	Rows   int64     `json:"rows"`
	Head   []byte    `json:"head"`
	KeyID  string    `json:"keyId"`
	MAC    []byte    `json:"mac"`
}

func (c AuditCheckpoint) mac(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	fmt.Fprintf(m, "cprgraph audit checkpoint\n%s\n%d\n%d\n%x\n%s", c.At.UTC().Format(time.RFC3339Nano), c.LastID, c.Rows, c.Head, c.KeyID)
	return m.Sum(nil)
}

func (c AuditCheckpoint) valid(keys *AuditKeys) bool {
	secret, ok := keys.secret(c.KeyID)
	return ok && hmac.Equal(c.MAC, c.mac(secret))
}

// Checkpoint returns a checkpoint of the chain's head now, signed with the
// current key, counting the rows after prev's (nil: all rows) so a
// checkpoint does not count the whole log again. Without keys it is an
// error: an unkeyed checkpoint proves nothing.
func (s *AuditStore) Checkpoint(ctx context.Context, prev *AuditCheckpoint) (AuditCheckpoint, error) {
	if s.keys == nil {
		return AuditCheckpoint{}, errors.New("audit checkpoints need AUDIT_KEY")
	}
	var c AuditCheckpoint
	err := inTx(ctx, s.q, func(q sqlx.ExtContext) error {
		if _, err := q.ExecContext(ctx, `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`); err != nil {
			return err
		}
		var head struct {
			ID   int64  `db:"id"`
			Hash []byte `db:"hash"`
		}
		err := sqlx.GetContext(ctx, q, &head, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		h, err := (&AuditStore{q: q}).Horizon(ctx)
		if err != nil {
			return err
		}
		after, base := h.LastID, h.Rows
		if prev != nil && prev.LastID <= head.ID && prev.LastID >= h.LastID {
			after, base = prev.LastID, prev.Rows
		}
		var n int64
		if err := sqlx.GetContext(ctx, q, &n, `SELECT count(*) FROM audit_log WHERE id > $1 AND id <= $2`, after, head.ID); err != nil {
			return err
		}
		c = AuditCheckpoint{At: time.Now().UTC(), LastID: head.ID, Rows: base + n, Head: head.Hash, KeyID: s.keys.current}
		return nil
	})
	if err != nil || c.LastID == 0 {
		return c, err
	}
	secret, _ := s.keys.secret(c.KeyID)
	c.MAC = c.mac(secret)
	return c, nil
}

// auditColumns are the columns of an audit row.
const auditColumns = `id, at, request_id, client_id, client_name, organisation_id, operations, purpose, cprs, prev_hash, hash, key_id`

// AuditFilter selects audit rows: by CPR number returned, by client, or all;
// rows after AfterID, at most Limit.
type AuditFilter struct {
	CPR      string
	ClientID int64
	AfterID  int64
	Limit    int
}

// List returns audit rows matching f, oldest first, with the name of
// the organisation. A filter by CPR number takes the number's first rows
// from audit_subject's (cpr, audit_id) index, one probe per monthly
// partition merged in id order, and reads only those rows of the log,
// whatever its size; with a client as well, it reads every row of the
// number and keeps the client's.
func (s *AuditStore) List(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	const columns = `SELECT a.id, a.at, a.request_id, a.client_id, a.client_name, a.organisation_id, a.operations,
			a.purpose, a.cprs, a.prev_hash, a.hash, a.key_id, o.name AS organisation_name`
	const byCPR = columns + `
		FROM (SELECT audit_id, at FROM audit_subject WHERE cpr = $1 AND audit_id > $3 ORDER BY audit_id LIMIT CASE WHEN $2 = 0 THEN $4::bigint END) s
		JOIN audit_log a ON a.id = s.audit_id AND a.at = s.at
		LEFT JOIN organisation o ON o.id = a.organisation_id
		WHERE ($2 = 0 OR a.client_id = $2)
		ORDER BY s.audit_id LIMIT $4`
	const all = columns + `
		FROM audit_log a LEFT JOIN organisation o ON o.id = a.organisation_id
		WHERE ($2 = 0 OR a.client_id = $2) AND a.id > $3 AND $1 = ''
		ORDER BY a.id LIMIT $4`
	query := all
	if f.CPR != "" {
		query = byCPR
	}
	var out []AuditEntry
	err := sqlx.SelectContext(ctx, s.q, &out, query, f.CPR, f.ClientID, f.AfterID, f.Limit)
	return out, err
}

// CitizenLookup is one read of a citizen's number as the citizen may see it
// (myLookups): when, by which organisation, for what purpose; nothing else
// of the audit row.
type CitizenLookup struct {
	ID               int64     `db:"id"`
	At               time.Time `db:"at"`
	OrganisationName *string   `db:"organisation_name"`
	Purpose          string    `db:"purpose"`
}

// LookupsOf returns the reads of the CPR number cpr (every audit row that
// holds it), oldest first, after the row afterID, at most limit; like
// List by CPR, it reads only those rows of the log.
func (s *AuditStore) LookupsOf(ctx context.Context, cpr string, afterID int64, limit int) ([]CitizenLookup, error) {
	const query = `SELECT a.id, a.at, o.name AS organisation_name, a.purpose
		FROM (SELECT audit_id, at FROM audit_subject WHERE cpr = $1 AND audit_id > $2 ORDER BY audit_id LIMIT $3) s
		JOIN audit_log a ON a.id = s.audit_id AND a.at = s.at
		LEFT JOIN organisation o ON o.id = a.organisation_id
		ORDER BY s.audit_id`
	var out []CitizenLookup
	err := sqlx.SelectContext(ctx, s.q, &out, query, cpr, afterID, limit)
	return out, err
}
