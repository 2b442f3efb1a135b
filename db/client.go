package db

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Organisation is a customer of the service: an authority, a company or a
// landlord. Its clients act on its behalf.
type Organisation struct {
	ID        int64     `db:"id"`
	Name      string    `db:"name"`
	CVR       *string   `db:"cvr"`
	CreatedAt time.Time `db:"created_at"`
}

// Client is an API client: a principal with a disclosure profile and scopes.
// Only a hash of its key is stored.
type Client struct {
	ID             int64          `db:"id"`
	OrganisationID int64          `db:"organisation_id"`
	Name           string         `db:"name"`
	Profile        string         `db:"profile"`
	Scopes         pq.StringArray `db:"scopes"`
	KeyPrefix      string         `db:"key_prefix"`
	CreatedAt      time.Time      `db:"created_at"`
	RevokedAt      *time.Time     `db:"revoked_at"`
}

// UpsertOrganisation creates the organisation with the given name, or returns
// the existing one.
func (s *Store) UpsertOrganisation(ctx context.Context, name string, cvr *string) (Organisation, error) {
	const query = `INSERT INTO organisation (name, cvr) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET cvr = COALESCE(EXCLUDED.cvr, organisation.cvr)
		RETURNING id, name, cvr, created_at`
	var o Organisation
	err := sqlx.GetContext(ctx, s.q, &o, query, name, cvr)
	return o, err
}

// CreateClient creates an API client and returns it with its new key. The
// key is shown only here: the database keeps its SHA-256 hash.
func (s *Store) CreateClient(ctx context.Context, organisationID int64, name, profile string, scopes []string) (Client, string, error) {
	key, err := NewAPIKey()
	if err != nil {
		return Client{}, "", err
	}
	const query = `INSERT INTO api_client (organisation_id, name, profile, scopes, key_hash, key_prefix)
		VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING id, organisation_id, name, profile, scopes, key_prefix, created_at, revoked_at`
	var c Client
	err = sqlx.GetContext(ctx, s.q, &c, query, organisationID, name, profile, pq.StringArray(scopes), HashAPIKey(key), key[:12])
	return c, key, err
}

// RotateClientKey gives the client a new key, invalidating the old one, and
// returns the new key.
func (s *Store) RotateClientKey(ctx context.Context, clientID int64) (string, error) {
	key, err := NewAPIKey()
	if err != nil {
		return "", err
	}
	const query = `UPDATE api_client SET key_hash = $2, key_prefix = $3, revoked_at = NULL WHERE id = $1`
	res, err := s.q.ExecContext(ctx, query, clientID, HashAPIKey(key), key[:12])
	if err != nil {
		return "", err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", errNotFound("client")
	}
	return key, nil
}

// ClientByName returns the organisation's client with the given name.
func (s *Store) ClientByName(ctx context.Context, organisationID int64, name string) (Client, error) {
	const query = `SELECT id, organisation_id, name, profile, scopes, key_prefix, created_at, revoked_at
		FROM api_client WHERE organisation_id = $1 AND name = $2`
	var c Client
	err := sqlx.GetContext(ctx, s.q, &c, query, organisationID, name)
	return c, notFound(err, "client")
}

// ClientByKey returns the active client holding key; a revoked or unknown
// key gives NOT_FOUND.
func (s *Store) ClientByKey(ctx context.Context, key string) (Client, error) {
	const query = `SELECT id, organisation_id, name, profile, scopes, key_prefix, created_at, revoked_at
		FROM api_client WHERE key_hash = $1 AND revoked_at IS NULL`
	var c Client
	err := sqlx.GetContext(ctx, s.q, &c, query, HashAPIKey(key))
	return c, notFound(err, "client")
}

// NewAPIKey returns a new random API key.
func NewAPIKey() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "cpr_" + base64.RawURLEncoding.EncodeToString(b), nil
}

// HashAPIKey returns the stored form of an API key.
func HashAPIKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}
