package db

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// WebhookFeed is what a webhook subscription carries.
type WebhookFeed string

// The webhook feeds.
const (
	FeedResidentMoves WebhookFeed = "RESIDENT_MOVES" // a LANDLORD's resident moves (residentMoves)
	FeedPersonEvents  WebhookFeed = "PERSON_EVENTS"  // the change events (personEvents), scope events
)

// WebhookSubscription is a client's subscription to a feed by webhook.
// Cursor is the last person_event turned into deliveries.
type WebhookSubscription struct {
	ID         int64       `db:"id"`
	ClientID   int64       `db:"client_id"`
	Feed       WebhookFeed `db:"feed"`
	URL        string      `db:"url"`
	Secret     string      `db:"secret"`
	Cursor     int64       `db:"cursor"`
	CreatedAt  time.Time   `db:"created_at"`
	DisabledAt *time.Time  `db:"disabled_at"`
}

// WebhookDelivery is one POST of a subscription: the body is fixed when
// it is enqueued; CPRs are the persons it tells about (for the audit log).
type WebhookDelivery struct {
	ID             int64          `db:"id"`
	SubscriptionID int64          `db:"subscription_id"`
	EventID        int64          `db:"event_id"`
	Body           string         `db:"body"`
	CPRs           pq.StringArray `db:"cprs"`
	Status         string         `db:"status"` // PENDING or DELIVERED
	Attempts       int            `db:"attempts"`
	NextAttemptAt  *time.Time     `db:"next_attempt_at"`
	LastStatus     *int           `db:"last_status"`
	LastError      *string        `db:"last_error"`
	CreatedAt      time.Time      `db:"created_at"`
	DeliveredAt    *time.Time     `db:"delivered_at"`
}

// WebhookStore keeps webhook subscriptions and their delivery queue.
type WebhookStore struct {
	q sqlx.ExtContext
}

const webhookSubscriptionColumns = `id, client_id, feed, url, secret, cursor, created_at, disabled_at`

// Create subscribes the client to feed at url, starting after the event
// cursor, with a new random secret. NOT_FOUND for an unknown client.
func (s *WebhookStore) Create(ctx context.Context, clientID int64, feed WebhookFeed, url string, cursor int64) (WebhookSubscription, error) {
	const query = `INSERT INTO webhook_subscription (client_id, feed, url, secret, cursor) VALUES ($1, $2, $3, $4, $5)
		RETURNING ` + webhookSubscriptionColumns
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return WebhookSubscription{}, err
	}
	var sub WebhookSubscription
	err := sqlx.GetContext(ctx, s.q, &sub, query, clientID, feed, url, "whsec_"+hex.EncodeToString(key), cursor)
	return sub, constraint(err, "webhook subscription")
}

// LockNext locks the next active subscription after id whose client is not
// revoked, skipping those another dispatcher holds (FOR UPDATE SKIP
// LOCKED), and returns it; ok is false when there is none. s must be
// inside a transaction, which holds the lock until it ends.
func (s *WebhookStore) LockNext(ctx context.Context, afterID int64) (sub WebhookSubscription, ok bool, err error) {
	const query = `SELECT s.id, s.client_id, s.feed, s.url, s.secret, s.cursor, s.created_at, s.disabled_at
		FROM webhook_subscription s JOIN api_client c ON c.id = s.client_id
		WHERE s.id > $1 AND s.disabled_at IS NULL AND c.revoked_at IS NULL
		ORDER BY s.id LIMIT 1 FOR UPDATE OF s SKIP LOCKED`
	err = sqlx.GetContext(ctx, s.q, &sub, query, afterID)
	if errors.Is(err, sql.ErrNoRows) {
		return sub, false, nil
	}
	return sub, err == nil, err
}

// Enqueue adds deliveries to the subscription's queue and moves its
// cursor to cursor, in one statement each; s must be inside the
// transaction holding the subscription's lock.
func (s *WebhookStore) Enqueue(ctx context.Context, subscriptionID, cursor int64, deliveries []WebhookDelivery) error {
	const insert = `INSERT INTO webhook_delivery (subscription_id, event_id, body, cprs) VALUES ($1, $2, $3, $4)`
	for _, d := range deliveries {
		if _, err := s.q.ExecContext(ctx, insert, subscriptionID, d.EventID, d.Body, d.CPRs); err != nil {
			return err
		}
	}
	_, err := s.q.ExecContext(ctx, `UPDATE webhook_subscription SET cursor = $2 WHERE id = $1`, subscriptionID, cursor)
	return err
}

// Due returns the subscription's pending deliveries in order, at most
// limit, when the first of them is due (its next attempt has come); none
// otherwise, so a delivery that failed holds back the ones after it.
func (s *WebhookStore) Due(ctx context.Context, subscriptionID int64, now time.Time, limit int) ([]WebhookDelivery, error) {
	const query = `SELECT ` + webhookDeliveryColumns + ` FROM webhook_delivery
		WHERE subscription_id = $1 AND status = 'PENDING' ORDER BY id LIMIT $2`
	var out []WebhookDelivery
	if err := sqlx.SelectContext(ctx, s.q, &out, query, subscriptionID, limit); err != nil {
		return nil, err
	}
	if len(out) > 0 && out[0].NextAttemptAt != nil && out[0].NextAttemptAt.After(now) {
		return nil, nil
	}
	return out, nil
}

const webhookDeliveryColumns = `id, subscription_id, event_id, body, cprs, status, attempts, next_attempt_at,
	last_status, last_error, created_at, delivered_at`

// Delivered marks a delivery made, with the receiver's HTTP status.
func (s *WebhookStore) Delivered(ctx context.Context, id int64, status int) error {
	const query = `UPDATE webhook_delivery SET status = 'DELIVERED', attempts = attempts + 1, last_status = $2,
		last_error = NULL, delivered_at = now(), next_attempt_at = now() WHERE id = $1`
	_, err := s.q.ExecContext(ctx, query, id, status)
	return err
}

// Failed records a failed attempt (status 0: no HTTP answer) and when to
// try again.
func (s *WebhookStore) Failed(ctx context.Context, id int64, status int, reason string, next time.Time) error {
	const query = `UPDATE webhook_delivery SET attempts = attempts + 1, last_status = NULLIF($2, 0), last_error = $3,
		next_attempt_at = $4 WHERE id = $1`
	_, err := s.q.ExecContext(ctx, query, id, status, reason, next)
	return err
}

// Deliveries returns the subscription's deliveries after id, oldest first.
func (s *WebhookStore) Deliveries(ctx context.Context, subscriptionID, afterID int64, limit int) ([]WebhookDelivery, error) {
	const query = `SELECT ` + webhookDeliveryColumns + ` FROM webhook_delivery
		WHERE subscription_id = $1 AND id > $2 ORDER BY id LIMIT $3`
	out := []WebhookDelivery{}
	err := sqlx.SelectContext(ctx, s.q, &out, query, subscriptionID, afterID, limit)
	return out, err
}
