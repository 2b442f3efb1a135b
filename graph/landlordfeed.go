package graph

import (
	"context"
	"strconv"
	"time"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/db"
	"cprgraph/eventfeed"
	"cprgraph/graph/model"
	"cprgraph/webhook"
)

// streamMoves runs feed.Stream over the address events for a residentMoves
// subscription in the background and returns its channel, like
// streamEvents: each event's moves are read with the owner links and the
// ownership as they are then.
func streamMoves(ctx context.Context, feed *eventfeed.Feed, store *db.Store, p *access.Principal, f db.EventFilter, buffer int, stall time.Duration) <-chan *model.ResidentMoveEdge {
	ch := make(chan *model.ResidentMoveEdge, buffer)
	go func() {
		defer close(ch)
		err := feed.Stream(ctx, f, func(e db.Event) error {
			links, err := store.Clients.OwnerNumbers(ctx, p.OrganisationID)
			if err != nil {
				return err
			}
			moves, err := store.Landlord.Moves(ctx, e, p.OwnerNumbers(links), access.Today())
			if err != nil {
				return err
			}
			for i := range moves {
				if err := store.Landlord.CountLookup(ctx, p.OrganisationID, access.Today()); err != nil {
					return err
				}
				edge := &model.ResidentMoveEdge{Cursor: eventList.cursor(e.ID), Node: &moves[i]}
				if err := send(ctx, ch, edge, stall); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil && ctx.Err() == nil {
			endSubscription(ctx, err)
		}
	}()
	return ch
}

// createWebhook subscribes p's API client to feed at url after the cursor
// (none: from the last event now). BAD_USER_INPUT for a bad url or cursor,
// or a principal that is not an API client (a JWT has no client to
// deliver as).
func (r *Resolver) createWebhook(ctx context.Context, p *access.Principal, feed db.WebhookFeed, url string, after *string) (*model.WebhookSubscriptionWithSecret, error) {
	if p.ClientID == 0 {
		return nil, apperr.Errorf(apperr.BadUserInput, "webhooks are delivered to API clients: sign in with an API key")
	}
	if err := webhook.CheckURL(url); err != nil {
		return nil, err
	}
	cursor, err := eventList.after(after)
	if err != nil {
		return nil, err
	}
	if after == nil {
		if cursor, err = r.Store.Events.LastID(ctx); err != nil {
			return nil, err
		}
	}
	sub, err := r.Store.Webhooks.Create(ctx, p.ClientID, feed, url, cursor)
	if err != nil {
		return nil, err
	}
	return &model.WebhookSubscriptionWithSecret{ID: strconv.FormatInt(sub.ID, 10), Feed: model.WebhookFeed(sub.Feed), URL: sub.URL, Secret: sub.Secret}, nil
}

// deliveryEdge is the edge of a webhook delivery log.
func deliveryEdge(cursor string, d *db.WebhookDelivery) (*model.WebhookDeliveryEdge, error) {
	return &model.WebhookDeliveryEdge{Cursor: cursor, Node: d}, nil
}

func deliveryID(d *db.WebhookDelivery) int64 { return d.ID }
