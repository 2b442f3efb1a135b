package db

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// PersistedQuery is a registered GraphQL document.
type PersistedQuery struct {
	// SHA256 is the hex SHA-256 of Document's exact bytes: the hash an
	// automatic-persisted-query client sends.
	SHA256         string         `db:"sha256"`
	Document       string         `db:"document"`
	OperationNames pq.StringArray `db:"operation_names"`
	RegisteredAt   time.Time      `db:"registered_at"`
}

// PersistedQueryHash returns the hash a document is registered under.
func PersistedQueryHash(document string) string {
	sum := sha256.Sum256([]byte(document))
	return hex.EncodeToString(sum[:])
}

// PersistedQueryStore keeps the registered GraphQL documents
// (persisted_query).
type PersistedQueryStore struct {
	q sqlx.ExtContext
}

const persistedQueryColumns = `sha256, document, operation_names, registered_at`

// Register registers document under its hash with the names
// of its operations; registering it again changes nothing and returns the
// row registered first.
func (s *PersistedQueryStore) Register(ctx context.Context, document string, operationNames []string) (PersistedQuery, error) {
	const query = `WITH ins AS (
			INSERT INTO persisted_query (sha256, document, operation_names) VALUES ($1, $2, $3)
			ON CONFLICT (sha256) DO NOTHING
			RETURNING ` + persistedQueryColumns + `)
		SELECT ` + persistedQueryColumns + ` FROM ins
		UNION ALL
		SELECT ` + persistedQueryColumns + ` FROM persisted_query WHERE sha256 = $1`
	var q PersistedQuery
	err := sqlx.GetContext(ctx, s.q, &q, query, PersistedQueryHash(document), document, pq.StringArray(operationNames))
	return q, constraint(err, "persisted query")
}

// Document returns the document registered under hash, or
// NOT_FOUND.
func (s *PersistedQueryStore) Document(ctx context.Context, hash string) (string, error) {
	const query = `SELECT document FROM persisted_query WHERE sha256 = $1`
	var document string
	err := sqlx.GetContext(ctx, s.q, &document, query, hash)
	return document, notFound(err, "persisted query")
}

// List returns every registered document, oldest first.
func (s *PersistedQueryStore) List(ctx context.Context) ([]PersistedQuery, error) {
	const query = `SELECT ` + persistedQueryColumns + ` FROM persisted_query ORDER BY registered_at, sha256`
	var out []PersistedQuery
	err := sqlx.SelectContext(ctx, s.q, &out, query)
	return out, err
}
