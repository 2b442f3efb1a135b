package db

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cprgraph/apperr"
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
	// DailyQuota is the most requests the client may make per Danish
	// calendar day; nil: no quota.
	DailyQuota *int `db:"daily_quota"`
	// Purposes are the registered purposes the client must state one of
	// (access rule 20); nil: any purpose.
	Purposes pq.StringArray `db:"purposes"`
}

// ClientStore keeps the service's customers: organisations, their API
// clients and the owner numbers they may run landlord lookups for.
type ClientStore struct {
	q sqlx.ExtContext
}

// organisationColumns are the columns Organisation is scanned from.
const organisationColumns = `id, name, cvr, created_at`

// clientColumns are the columns Client is scanned from.
const clientColumns = `id, organisation_id, name, profile, scopes, key_prefix, created_at, revoked_at, daily_quota, purposes`

// UpsertOrganisation creates the organisation with the given name, or returns
// the existing one.
func (s *ClientStore) UpsertOrganisation(ctx context.Context, name string, cvr *string) (Organisation, error) {
	const query = `INSERT INTO organisation (name, cvr) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET cvr = COALESCE(EXCLUDED.cvr, organisation.cvr)
		RETURNING ` + organisationColumns
	var o Organisation
	err := sqlx.GetContext(ctx, s.q, &o, query, name, cvr)
	return o, constraint(err, "organisation")
}

// CreateOrganisation creates an organisation: CONFLICT when the name is
// taken, BAD_USER_INPUT for a CVR number that is not 8 digits.
func (s *ClientStore) CreateOrganisation(ctx context.Context, name string, cvr *string) (Organisation, error) {
	const query = `INSERT INTO organisation (name, cvr) VALUES ($1, $2) RETURNING ` + organisationColumns
	var o Organisation
	err := sqlx.GetContext(ctx, s.q, &o, query, name, cvr)
	return o, constraint(err, "organisation")
}

// OrganisationByID returns the organisation, or NOT_FOUND.
func (s *ClientStore) OrganisationByID(ctx context.Context, id int64) (Organisation, error) {
	const query = `SELECT ` + organisationColumns + ` FROM organisation WHERE id = $1`
	var o Organisation
	err := sqlx.GetContext(ctx, s.q, &o, query, id)
	return o, notFound(err, "organisation")
}

// OrganisationByName returns the organisation, or NOT_FOUND.
func (s *ClientStore) OrganisationByName(ctx context.Context, name string) (Organisation, error) {
	const query = `SELECT ` + organisationColumns + ` FROM organisation WHERE name = $1`
	var o Organisation
	err := sqlx.GetContext(ctx, s.q, &o, query, name)
	return o, notFound(err, "organisation")
}

// Organisations returns every organisation by name.
func (s *ClientStore) Organisations(ctx context.Context) ([]Organisation, error) {
	const query = `SELECT ` + organisationColumns + ` FROM organisation ORDER BY name`
	var out []Organisation
	err := sqlx.SelectContext(ctx, s.q, &out, query)
	return out, err
}

// CreateClient creates an API client and returns it with its new key. The
// key is shown only here: the database keeps its SHA-256 hash. The caller
// checks profile and scopes with access.GrantScopes. CONFLICT when the
// organisation has a client of that name, NOT_FOUND for an unknown
// organisation.
func (s *ClientStore) CreateClient(ctx context.Context, organisationID int64, name, profile string, scopes []string) (Client, string, error) {
	key, err := NewAPIKey()
	if err != nil {
		return Client{}, "", err
	}
	const query = `INSERT INTO api_client (organisation_id, name, profile, scopes, key_hash, key_prefix)
		VALUES ($1, $2, $3, $4, $5, $6)
		RETURNING ` + clientColumns
	if scopes == nil {
		scopes = []string{} // a client may hold no scope; NULL is not allowed
	}
	var c Client
	err = sqlx.GetContext(ctx, s.q, &c, query, organisationID, name, profile, pq.StringArray(scopes), HashAPIKey(key), key[:12])
	return c, key, constraint(err, "client")
}

// RotateClientKey gives the client a new key, invalidating the old one (and
// lifting a revocation), and returns the new key; NOT_FOUND for an unknown
// client.
func (s *ClientStore) RotateClientKey(ctx context.Context, clientID int64) (string, error) {
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

// RevokeClient revokes the client's key from now on and returns the client;
// revoking a revoked client keeps its first revocation time. NOT_FOUND for
// an unknown client.
func (s *ClientStore) RevokeClient(ctx context.Context, clientID int64) (Client, error) {
	const query = `UPDATE api_client SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1
		RETURNING ` + clientColumns
	var c Client
	err := sqlx.GetContext(ctx, s.q, &c, query, clientID)
	return c, notFound(err, "client")
}

// SetDailyQuota sets the client's daily lookup quota (nil: none) and
// returns the client. BAD_USER_INPUT for a negative quota, NOT_FOUND for an
// unknown client.
func (s *ClientStore) SetDailyQuota(ctx context.Context, clientID int64, quota *int) (Client, error) {
	if quota != nil && *quota < 0 {
		return Client{}, apperr.Errorf(apperr.BadUserInput, "a daily quota is 0 or more")
	}
	const query = `UPDATE api_client SET daily_quota = $2 WHERE id = $1 RETURNING ` + clientColumns
	var c Client
	err := sqlx.GetContext(ctx, s.q, &c, query, clientID, quota)
	return c, notFound(err, "client")
}

// SetPurposes restricts the client to the registered purposes (each as
// access.CleanPurpose leaves it; nil or none: no restriction) and returns
// the client. BAD_USER_INPUT for an empty purpose, NOT_FOUND for an
// unknown client. Requests already authenticated, and open streams, keep
// the list they were authenticated with.
func (s *ClientStore) SetPurposes(ctx context.Context, clientID int64, purposes []string) (Client, error) {
	var list any // NULL: unrestricted
	if len(purposes) > 0 {
		if slices.Contains(purposes, "") {
			return Client{}, apperr.Errorf(apperr.BadUserInput, "a registered purpose is not empty")
		}
		list = pq.StringArray(purposes)
	}
	const query = `UPDATE api_client SET purposes = $2 WHERE id = $1 RETURNING ` + clientColumns
	var c Client
	err := sqlx.GetContext(ctx, s.q, &c, query, clientID, list)
	return c, notFound(err, "client")
}

// CountLookup counts one request of the client on day (a Danish calendar
// date) against quota, in one upsert, so that concurrent requests on any
// number of server instances never pass the quota together. It reports
// false, counting nothing, when the day's count has reached quota.
func (s *ClientStore) CountLookup(ctx context.Context, clientID int64, day time.Time, quota int) (bool, error) {
	if quota <= 0 {
		return false, nil
	}
	const query = `INSERT INTO client_lookup_day (client_id, day, lookups) VALUES ($1, $2, 1)
		ON CONFLICT (client_id, day) DO UPDATE SET lookups = client_lookup_day.lookups + 1
			WHERE client_lookup_day.lookups < $3
		RETURNING lookups`
	var n int
	err := sqlx.GetContext(ctx, s.q, &n, query, clientID, day, quota)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// ClientByID returns the client, or NOT_FOUND.
func (s *ClientStore) ClientByID(ctx context.Context, id int64) (Client, error) {
	const query = `SELECT ` + clientColumns + ` FROM api_client WHERE id = $1`
	var c Client
	err := sqlx.GetContext(ctx, s.q, &c, query, id)
	return c, notFound(err, "client")
}

// ClientByName returns the organisation's client with the given name.
func (s *ClientStore) ClientByName(ctx context.Context, organisationID int64, name string) (Client, error) {
	const query = `SELECT ` + clientColumns + ` FROM api_client WHERE organisation_id = $1 AND name = $2`
	var c Client
	err := sqlx.GetContext(ctx, s.q, &c, query, organisationID, name)
	return c, notFound(err, "client")
}

// OfOrganisation returns the organisation's clients by name, revoked ones included.
func (s *ClientStore) OfOrganisation(ctx context.Context, organisationID int64) ([]Client, error) {
	const query = `SELECT ` + clientColumns + ` FROM api_client WHERE organisation_id = $1 ORDER BY name`
	var out []Client
	err := sqlx.SelectContext(ctx, s.q, &out, query, organisationID)
	return out, err
}

// ClientByKey returns the active client holding key; a revoked or unknown
// key gives NOT_FOUND.
func (s *ClientStore) ClientByKey(ctx context.Context, key string) (Client, error) {
	const query = `SELECT ` + clientColumns + ` FROM api_client WHERE key_hash = $1 AND revoked_at IS NULL`
	var c Client
	err := sqlx.GetContext(ctx, s.q, &c, query, HashAPIKey(key))
	return c, notFound(err, "client")
}

// ActiveKeyHashes returns those of the key hashes (HashAPIKey) that belong
// to an active client: a revoked client's, a rotated-away or deleted key's
// are not among them.
func (s *ClientStore) ActiveKeyHashes(ctx context.Context, hashes [][]byte) ([][]byte, error) {
	const query = `SELECT key_hash FROM api_client WHERE key_hash = ANY($1::bytea[]) AND revoked_at IS NULL`
	var out [][]byte
	err := sqlx.SelectContext(ctx, s.q, &out, query, pq.Array(hashes))
	return out, err
}

// AddOwnerLink lets the organisation run landlord lookups for the owner
// with this CVR (8 digits) or CPR (10 digits) number. Adding an existing link
// changes nothing. BAD_USER_INPUT for a malformed number, NOT_FOUND for an
// unknown organisation.
func (s *ClientStore) AddOwnerLink(ctx context.Context, organisationID int64, ownerNumber string) error {
	const query = `INSERT INTO owner_link (organisation_id, owner_number) VALUES ($1, $2)
		ON CONFLICT DO NOTHING`
	_, err := s.q.ExecContext(ctx, query, organisationID, ownerNumber)
	return constraint(err, "owner number")
}

// RemoveOwnerLink removes the link; NOT_FOUND when there is none.
func (s *ClientStore) RemoveOwnerLink(ctx context.Context, organisationID int64, ownerNumber string) error {
	const query = `DELETE FROM owner_link WHERE organisation_id = $1 AND owner_number = $2`
	res, err := s.q.ExecContext(ctx, query, organisationID, ownerNumber)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNotFound("owner link")
	}
	return nil
}

// OwnerNumbers returns the owner CVR and CPR numbers linked to the
// organisation, sorted.
func (s *ClientStore) OwnerNumbers(ctx context.Context, organisationID int64) ([]string, error) {
	const query = `SELECT owner_number FROM owner_link WHERE organisation_id = $1 ORDER BY owner_number`
	var out []string
	err := sqlx.SelectContext(ctx, s.q, &out, query, organisationID)
	return out, err
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
