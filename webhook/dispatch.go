package webhook

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"cprgraph/access"
	"cprgraph/db"
)

// Auditor writes the audit row of a delivery before it is sent; it is
// graph.Auditor.
type Auditor func(ctx context.Context, p *access.Principal, rec *access.Record, cprs []string) error

// Dispatcher turns new events into deliveries and makes them. Any number
// of dispatchers (one per server instance) may run on one database: a
// subscription is worked on by whichever holds its row lock (FOR UPDATE
// SKIP LOCKED), so each delivery is made by one of them, in order.
type Dispatcher struct {
	Store  *db.Store // on the primary
	Audit  Auditor
	Client *http.Client
	// Interval is how often the queue is looked at (default 1s).
	Interval time.Duration
	// Backoff is the wait after a first failed attempt, doubled per
	// further attempt up to MaxBackoff (defaults 1s and 10m).
	Backoff, MaxBackoff time.Duration
	// Batch is how many events or deliveries one turn handles per
	// subscription (default 100).
	Batch int
}

func (d *Dispatcher) defaults() {
	if d.Client == nil {
		d.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if d.Interval <= 0 {
		d.Interval = time.Second
	}
	if d.Backoff <= 0 {
		d.Backoff = time.Second
	}
	if d.MaxBackoff <= 0 {
		d.MaxBackoff = 10 * time.Minute
	}
	if d.Batch <= 0 {
		d.Batch = 100
	}
}

// Run works the queue every Interval until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) {
	d.defaults()
	ticker := time.NewTicker(d.Interval)
	defer ticker.Stop()
	for {
		if err := d.Turn(ctx); err != nil && ctx.Err() == nil {
			slog.WarnContext(ctx, "webhook dispatch", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// Turn works each subscription no other dispatcher holds once: enqueue
// its new events, then deliver what is due.
func (d *Dispatcher) Turn(ctx context.Context) error {
	d.defaults()
	var last int64
	for {
		found := false
		err := d.Store.InTx(ctx, func(tx *db.Store) error {
			sub, ok, err := tx.Webhooks.LockNext(ctx, last)
			if err != nil || !ok {
				return err
			}
			found, last = true, sub.ID
			return d.work(ctx, tx, sub)
		})
		if err != nil {
			return err
		}
		if !found {
			return nil
		}
	}
}

// work handles one locked subscription inside tx.
func (d *Dispatcher) work(ctx context.Context, tx *db.Store, sub db.WebhookSubscription) error {
	client, err := d.Store.Clients.ClientByID(ctx, sub.ClientID)
	if err != nil {
		return err
	}
	p := &access.Principal{ClientID: client.ID, ClientName: client.Name, OrganisationID: client.OrganisationID,
		Profile: access.Profile(client.Profile), Scopes: client.Scopes, Purpose: "webhook"}
	op := feedOperation(sub.Feed)
	if !p.May(op) {
		return nil // scope withdrawn: nothing is enqueued or sent
	}
	if err := d.enqueue(ctx, tx, sub, p); err != nil {
		return err
	}
	return d.deliver(ctx, tx, sub, p, op)
}

func feedOperation(f db.WebhookFeed) access.Operation {
	if f == db.FeedResidentMoves {
		return access.OpLandlord
	}
	return access.OpEvents
}

// enqueue turns the events after the subscription's cursor into
// deliveries and moves the cursor past them.
func (d *Dispatcher) enqueue(ctx context.Context, tx *db.Store, sub db.WebhookSubscription, p *access.Principal) error {
	lastID, err := tx.Events.LastID(ctx)
	if err != nil || lastID <= sub.Cursor {
		return err
	}
	f := db.EventFilter{AfterID: sub.Cursor, Limit: d.Batch}
	if sub.Feed == db.FeedResidentMoves {
		f.Kinds = []db.EventKind{db.EventAddress}
	}
	events, err := tx.Events.List(ctx, f)
	if err != nil {
		return err
	}
	cursor := lastID
	if len(events) == d.Batch {
		cursor = events[len(events)-1].ID
	}
	var owners []string
	if sub.Feed == db.FeedResidentMoves {
		links, err := tx.Clients.OwnerNumbers(ctx, p.OrganisationID)
		if err != nil {
			return err
		}
		owners = p.OwnerNumbers(links)
	}
	var out []db.WebhookDelivery
	for _, e := range events {
		if e.ID > cursor {
			break
		}
		ds, err := d.deliveriesOf(ctx, tx, sub, p, owners, e)
		if err != nil {
			return err
		}
		out = append(out, ds...)
	}
	return tx.Webhooks.Enqueue(ctx, sub.ID, cursor, out)
}

// EventCursor is the cursor of event id, as personEvents and
// residentMoves give it (graph/page.go, list "event").
func EventCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("event:" + strconv.FormatInt(id, 10)))
}

// deliveriesOf returns the deliveries event e makes for sub, masked for p.
func (d *Dispatcher) deliveriesOf(ctx context.Context, tx *db.Store, sub db.WebhookSubscription, p *access.Principal, owners []string, e db.Event) ([]db.WebhookDelivery, error) {
	msg := map[string]any{"subscriptionId": strconv.FormatInt(sub.ID, 10), "feed": sub.Feed, "cursor": EventCursor(e.ID)}
	if sub.Feed == db.FeedPersonEvents {
		msg["event"] = eventBody(p, e)
		body, err := json.Marshal(msg)
		return []db.WebhookDelivery{{EventID: e.ID, Body: string(body), CPRs: []string{e.CPR}}}, err
	}
	moves, err := tx.Landlord.Moves(ctx, e, owners, access.Today())
	if err != nil {
		return nil, err
	}
	var out []db.WebhookDelivery
	for _, m := range moves {
		msg["move"] = MoveBody(p, m)
		body, err := json.Marshal(msg)
		if err != nil {
			return nil, err
		}
		if err := tx.Landlord.CountLookup(ctx, p.OrganisationID, access.Today()); err != nil {
			return nil, err
		}
		out = append(out, db.WebhookDelivery{EventID: e.ID, Body: string(body), CPRs: []string{m.CPR}})
	}
	return out, nil
}

// MoveBody is a move as a webhook tells it to p: for a resident p must not
// see, only a dated marker (kind, date, protected).
func MoveBody(p *access.Principal, m db.ResidentMove) map[string]any {
	out := map[string]any{"kind": m.Kind, "date": m.Date.Format(time.DateOnly), "protected": m.Protected}
	if access.Masks(p, m) {
		return out
	}
	out["owner"], out["bfe"], out["address"] = m.Owner, m.BFE, m.Address.Label()
	out["darAddressId"], out["darHouseNumberId"], out["addressingName"] = m.Address.ID, m.Address.HouseNumberID, m.AddressingName
	return out
}

// eventBody is a change event as personEvents shows it to p.
func eventBody(p *access.Principal, e db.Event) map[string]any {
	out := map[string]any{"id": strconv.FormatInt(e.ID, 10), "kind": e.Kind, "registeredAt": e.RegisteredAt,
		"cpr": e.CPR, "protected": e.Protected, "data": e.Data}
	if e.EffectiveDate != nil {
		out["effectiveDate"] = e.EffectiveDate.Format(time.DateOnly)
	}
	if !access.Masks(p, e) {
		out["municipalityCode"] = e.MunicipalityCode
	}
	return out
}

// deliver sends the subscription's due deliveries in order, stopping at
// the first that fails (it is retried after its backoff, the ones after it
// wait), so a receiver that was down gets its backlog in order.
func (d *Dispatcher) deliver(ctx context.Context, tx *db.Store, sub db.WebhookSubscription, p *access.Principal, op access.Operation) error {
	due, err := tx.Webhooks.Due(ctx, sub.ID, time.Now(), d.Batch)
	if err != nil {
		return err
	}
	for _, del := range due {
		status, sendErr := d.send(ctx, sub, p, op, del)
		if sendErr == nil {
			if err := tx.Webhooks.Delivered(ctx, del.ID, status); err != nil {
				return err
			}
			continue
		}
		wait := d.Backoff << min(del.Attempts, 20)
		if wait > d.MaxBackoff || wait <= 0 {
			wait = d.MaxBackoff
		}
		return tx.Webhooks.Failed(ctx, del.ID, status, sendErr.Error(), time.Now().Add(wait))
	}
	return nil
}

// send audits and POSTs one delivery; a nil error means a 2xx answer.
func (d *Dispatcher) send(ctx context.Context, sub db.WebhookSubscription, p *access.Principal, op access.Operation, del db.WebhookDelivery) (int, error) {
	actx, rec := access.WithRecord(access.NewContext(ctx, p), fmt.Sprintf("webhook-%d-%d", del.ID, del.Attempts+1))
	if _, err := access.Authorize(actx, op); err != nil {
		return 0, err
	}
	if err := d.Audit(actx, p, rec, del.CPRs); err != nil {
		return 0, fmt.Errorf("audit: %w", err)
	}
	now := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, sub.URL, bytes.NewReader([]byte(del.Body)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderDelivery, strconv.FormatInt(del.ID, 10))
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10))
	req.Header.Set(HeaderSignature, Sign(sub.Secret, now, []byte(del.Body)))
	resp, err := d.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("receiver answered %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}
