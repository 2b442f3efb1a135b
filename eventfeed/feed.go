// Package eventfeed streams the register's change events live, to every
// subscriber on every server instance.
//
// One PostgreSQL listener per process (LISTEN person_event, reconnecting by
// itself) wakes every subscriber when an event is registered anywhere; the
// subscriber then reads the events after its cursor from the database, page
// by page, until there are none. A notification only says "look again": a
// flood of them is one read, and the ones lost while the listener reconnects
// are made up for by the read every subscriber does after a reconnect. The
// database is the buffer, so a subscriber that starts from an old cursor, or
// a slow one, costs one page of memory, never a queue.
package eventfeed

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/lib/pq"

	"cprgraph/db"
)

// channel is the notification channel the person_event trigger announces
// every insert on (migration 00040); clientChannel the one the api_client
// trigger announces every revocation and key rotation on (migration 00090).
const (
	channel       = "person_event"
	clientChannel = "api_client"
)

// PageSize is how many events a subscriber reads at a time.
const PageSize = 100

// pingInterval is how often the listener checks its connection, so a
// silently dropped one is noticed and reconnected.
const pingInterval = time.Minute

// ErrClosed ends the streams of a closed Feed.
var ErrClosed = errors.New("event feed closed")

// Source reads the stored events; *db.EventStore is one.
type Source interface {
	List(ctx context.Context, f db.EventFilter) ([]db.Event, error)
	LastID(ctx context.Context) (int64, error)
}

// Feed is the process's listener and its subscribers.
type Feed struct {
	source   Source
	listener *pq.Listener

	mu       sync.Mutex
	wakers   map[chan struct{}]struct{}
	onClient []func()
	closed   chan struct{}
	done     chan struct{} // closed when run has returned
}

// New listens on the database at dsn and serves streams read from source.
// It returns once the listener is connected, or with ctx's error.
func New(ctx context.Context, dsn string, source Source) (*Feed, error) {
	f := &Feed{
		source: source,
		wakers: map[chan struct{}]struct{}{},
		closed: make(chan struct{}),
		done:   make(chan struct{}),
	}
	f.listener = pq.NewListener(dsn, 100*time.Millisecond, 10*time.Second, logListenerEvent)
	listening := make(chan error, 1)
	go func() {
		err := f.listener.Listen(channel)
		if err == nil {
			err = f.listener.Listen(clientChannel)
		}
		listening <- err
	}()
	select {
	case err := <-listening:
		if err != nil {
			f.listener.Close()
			return nil, err
		}
	case <-ctx.Done():
		f.listener.Close()
		return nil, ctx.Err()
	}
	go f.run()
	return f, nil
}

// Close stops the listener and ends every stream with ErrClosed.
func (f *Feed) Close() error {
	f.mu.Lock()
	select {
	case <-f.closed:
		f.mu.Unlock()
		return nil
	default:
		close(f.closed)
	}
	f.mu.Unlock()
	err := f.listener.Close()
	<-f.done
	return err
}

// run wakes every subscriber on each notification, and on each reconnect
// (a nil notification), after which notifications may have been missed.
func (f *Feed) run() {
	defer close(f.done)
	ping := time.NewTicker(pingInterval)
	defer ping.Stop()
	for {
		select {
		case n, ok := <-f.listener.Notify:
			if !ok {
				return
			}
			if n == nil || n.Channel == clientChannel {
				f.clientsChanged()
			}
			if n == nil || n.Channel == channel {
				f.wakeAll()
			}
		case <-ping.C:
			go f.listener.Ping()
		case <-f.closed:
			// Drain until the listener, being closed, closes Notify.
			for range f.listener.Notify {
			}
			return
		}
	}
}

// OnClientChange registers fn to be called whenever an API client's
// credential changes on any instance (revoked, rotated, deleted), and after
// the listener reconnected, when such changes may have been missed. fn must
// not block.
func (f *Feed) OnClientChange(fn func()) {
	f.mu.Lock()
	f.onClient = append(f.onClient, fn)
	f.mu.Unlock()
}

func (f *Feed) clientsChanged() {
	f.mu.Lock()
	fns := f.onClient
	f.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

func (f *Feed) wakeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for w := range f.wakers {
		select {
		case w <- struct{}{}:
		default: // already due to look again
		}
	}
}

func (f *Feed) subscribe() chan struct{} {
	w := make(chan struct{}, 1)
	f.mu.Lock()
	f.wakers[w] = struct{}{}
	f.mu.Unlock()
	return w
}

func (f *Feed) unsubscribe(w chan struct{}) {
	f.mu.Lock()
	delete(f.wakers, w)
	f.mu.Unlock()
}

// Stream calls send with every event that matches filter and has an ID
// above filter.AfterID, in ID order: first those already stored, then each
// new one soon after its transaction commits, on whichever server instance.
// It runs until ctx ends (returning ctx's error), the feed is closed
// (ErrClosed), or send or the source fails (that error). filter.Limit is
// the page size, at most PageSize.
func (f *Feed) Stream(ctx context.Context, filter db.EventFilter, send func(db.Event) error) error {
	wake := f.subscribe()
	defer f.unsubscribe(wake)
	if filter.Limit <= 0 || filter.Limit > PageSize {
		filter.Limit = PageSize
	}
	for {
		if err := f.drain(ctx, &filter, send); err != nil {
			if ctx.Err() != nil {
				return ctx.Err() // the driver reports a cancelled query as its own error
			}
			return err
		}
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		case <-f.closed:
			return ErrClosed
		}
	}
}

// drain sends the matching events after the cursor until none are left,
// then moves the cursor to the highest event ID seen before it began: every
// event up to that one was committed and read (writers commit in ID order,
// see db.EventStore.Lock), so a filter that matches few events does not rescan
// the others on the next wake-up.
func (f *Feed) drain(ctx context.Context, filter *db.EventFilter, send func(db.Event) error) error {
	last, err := f.source.LastID(ctx)
	if err != nil {
		return err
	}
	for {
		events, err := f.source.List(ctx, *filter)
		if err != nil {
			return err
		}
		for _, e := range events {
			if err := send(e); err != nil {
				return err
			}
			filter.AfterID = e.ID
		}
		if len(events) < filter.Limit {
			break
		}
	}
	filter.AfterID = max(filter.AfterID, last)
	return nil
}

func logListenerEvent(event pq.ListenerEventType, err error) {
	switch event {
	case pq.ListenerEventConnected:
	case pq.ListenerEventReconnected:
		slog.Info("event listener reconnected")
	default:
		slog.Warn("event listener", "event", event.String(), "err", err)
	}
}
