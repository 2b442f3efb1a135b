package graph

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/db"
	"cprgraph/eventfeed"
	"cprgraph/graph/model"
)

const (
	// maxEventCPRs caps the CPR numbers of an event filter.
	maxEventCPRs = 100
	// subscriptionBuffer is how many events a subscription holds for a
	// client that is busy: beyond it the feed waits (reading no further).
	subscriptionBuffer = 64
	// subscriberStall is how long a full buffer may wait for the client
	// before the subscription is dropped.
	subscriberStall = time.Minute
)

var errTooSlow = apperr.Errorf(apperr.TooSlow,
	"the subscriber did not keep up with the events; subscribe again with the cursor of the last event received")

// eventFilter turns the filter argument into a store filter for the events
// after the cursor number after: BAD_USER_INPUT for a malformed CPR number
// or too many numbers.
func eventFilter(in *model.PersonEventFilter, after int64) (db.EventFilter, error) {
	f := db.EventFilter{AfterID: after}
	if in == nil {
		return f, nil
	}
	if len(in.Cprs) > maxEventCPRs {
		return f, apperr.Errorf(apperr.BadUserInput, "at most %d CPR numbers", maxEventCPRs)
	}
	for _, c := range in.Cprs {
		n, err := parseCPR(c)
		if err != nil {
			return f, err
		}
		f.CPRs = append(f.CPRs, n)
	}
	f.From, f.To, f.Kinds, f.Municipality = in.From, in.To, in.Kinds, in.MunicipalityCode
	f.FinalOfDay = in.FinalOfDay != nil && *in.FinalOfDay
	return f, nil
}

// hiddenEvent reports whether an event must be left out for p: when the
// filter asks for a municipality, the event of a person p sees masked would
// tell where that person lives.
func hiddenEvent(p *access.Principal, f db.EventFilter, e access.Subject) bool {
	return f.Municipality != nil && access.Masks(p, e)
}

// eventEdge is the edge of an event connection or subscription.
func eventEdge(cursor string, e *db.Event) (*model.PersonEventEdge, error) {
	node, err := model.NewPersonEvent(*e, cursor)
	return &model.PersonEventEdge{Cursor: cursor, Node: node}, err
}

// eventID is the ID events are paged by.
func eventID(e *db.Event) int64 { return e.ID }

// eventConnection returns the page of events, fetched with pg.limit(),
// without those left out for p. The page still ends at the last event
// read, so the next page does not read a left-out event again.
func eventConnection(p *access.Principal, f db.EventFilter, pg page, events []db.Event) (*model.PersonEventConnection, error) {
	edges, info, err := connection(pg, events, eventID, eventEdge)
	if err != nil {
		return nil, err
	}
	edges = slices.DeleteFunc(edges, func(e *model.PersonEventEdge) bool { return hiddenEvent(p, f, e.Node) })
	return &model.PersonEventConnection{Edges: edges, PageInfo: info}, nil
}

// streamEvents runs feed.Stream for a subscription in the background and
// returns its channel, which holds at most buffer events: while it is full
// the feed reads no further, and when it stays full for stall the
// subscription ends with SUBSCRIBER_TOO_SLOW. The channel closes when the
// subscription ends.
func streamEvents(ctx context.Context, feed *eventfeed.Feed, p *access.Principal, f db.EventFilter, buffer int, stall time.Duration) <-chan *model.PersonEventEdge {
	ch := make(chan *model.PersonEventEdge, buffer)
	go func() {
		defer close(ch)
		err := feed.Stream(ctx, f, func(e db.Event) error {
			if hiddenEvent(p, f, e) {
				return nil
			}
			edge, err := eventEdge(eventList.cursor(e.ID), &e)
			if err != nil {
				return err
			}
			return send(ctx, ch, edge, stall)
		})
		if err != nil && ctx.Err() == nil {
			endSubscription(ctx, err)
		}
	}()
	return ch
}

// send puts v on ch, waiting at most stall for room.
func send[T any](ctx context.Context, ch chan<- T, v T, stall time.Duration) error {
	select {
	case ch <- v:
		return nil
	default:
	}
	timer := time.NewTimer(stall)
	defer timer.Stop()
	select {
	case ch <- v:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return errTooSlow
	}
}

// endSubscription tells the client why its subscription ends early: over a
// websocket as an error message for the operation. Server-sent events have
// no such message; that stream just completes, and the client resumes with
// its last cursor.
func endSubscription(ctx context.Context, err error) {
	requestID := access.RecordFrom(ctx).RequestID
	if errors.Is(err, eventfeed.ErrClosed) {
		err = apperr.Errorf(apperr.Internal, "the server is shutting down; subscribe again with the cursor of the last event received")
	}
	slog.WarnContext(ctx, "subscription ended", "err", err, "request_id", requestID)
	if graphql.HasOperationContext(ctx) && overWebsocket(graphql.GetOperationContext(ctx)) {
		transport.AddSubscriptionError(ctx, presentError(ctx, err))
	}
}

func overWebsocket(op *graphql.OperationContext) bool {
	return strings.EqualFold(op.Headers.Get("Upgrade"), "websocket")
}

// streamFrom returns the event ID a subscription starts after: the cursor
// given, or the newest event now. It reads the primary, like the listener
// that wakes the stream: a replica may not yet hold the events a
// notification announces. INTERNAL when the server has no event listener.
func (r *Resolver) streamFrom(ctx context.Context, after *string) (int64, error) {
	if r.Events == nil {
		return 0, apperr.Errorf(apperr.Internal, "subscriptions are not available on this server")
	}
	if after != nil {
		return eventList.after(after)
	}
	return r.Store.Events.LastID(ctx)
}
