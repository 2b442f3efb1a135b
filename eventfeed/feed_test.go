package eventfeed_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/db"
	"cprgraph/db/dbtest"
	"cprgraph/eventfeed"
)

func newFeed(t *testing.T, dsn string, source eventfeed.Source) *eventfeed.Feed {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f, err := eventfeed.New(ctx, dsn, source)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func insert(t *testing.T, conn *sqlx.DB, events ...db.Event) {
	t.Helper()
	err := db.NewStore(conn).InTx(context.Background(), func(tx *db.Store) error { return tx.Events.Insert(context.Background(), events) })
	if err != nil {
		t.Fatal(err)
	}
}

// stream runs f.Stream in the background and returns the events it sends.
func stream(t *testing.T, f *eventfeed.Feed, filter db.EventFilter) <-chan db.Event {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan db.Event, 1000)
	done := make(chan error, 1)
	go func() {
		done <- f.Stream(ctx, filter, func(e db.Event) error { out <- e; return nil })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) && !errors.Is(err, eventfeed.ErrClosed) {
			t.Errorf("Stream returned %v", err)
		}
	})
	return out
}

// receive takes n events from ch, failing after a timeout.
func receive(t *testing.T, ch <-chan db.Event, n int) []db.Event {
	t.Helper()
	var got []db.Event
	timeout := time.After(10 * time.Second)
	for len(got) < n {
		select {
		case e := <-ch:
			got = append(got, e)
		case <-timeout:
			t.Fatalf("got %d events, want %d", len(got), n)
		}
	}
	return got
}

func expectNone(t *testing.T, ch <-chan db.Event) {
	t.Helper()
	select {
	case e := <-ch:
		t.Fatalf("unexpected event %+v", e)
	case <-time.After(300 * time.Millisecond):
	}
}

func TestStreamReplaysThenFollows(t *testing.T) {
	t.Parallel()
	conn, dsn := dbtest.NewWithURL(t)
	store := db.NewStore(conn)
	insert(t, conn, db.Event{Kind: db.EventCreation, CPR: "0101901234"}, db.Event{Kind: db.EventDeath, CPR: "0101901234"})
	f := newFeed(t, dsn, store.Events)

	all := stream(t, f, db.EventFilter{})
	replayed := receive(t, all, 2)
	if replayed[0].Kind != db.EventCreation || replayed[1].Kind != db.EventDeath {
		t.Fatalf("replayed %+v", replayed)
	}
	fromSecond := stream(t, f, db.EventFilter{AfterID: replayed[0].ID})
	if got := receive(t, fromSecond, 1); got[0].ID != replayed[1].ID {
		t.Fatalf("from cursor: %+v", got)
	}
	deaths := stream(t, f, db.EventFilter{Kinds: []db.EventKind{db.EventDeath}, AfterID: replayed[1].ID})

	insert(t, conn, db.Event{Kind: db.EventRevival, CPR: "0101901234"})
	if got := receive(t, all, 1); got[0].Kind != db.EventRevival {
		t.Fatalf("live: %+v", got)
	}
	receive(t, fromSecond, 1)
	expectNone(t, deaths)

	insert(t, conn, db.Event{Kind: db.EventDeath, CPR: "0202902345"})
	if got := receive(t, deaths, 1); got[0].CPR != "0202902345" {
		t.Fatalf("filtered: %+v", got)
	}
	receive(t, all, 1)
}

// TestStreamFlood: a transaction of many events (one notification each)
// arrives complete and in order, across several pages.
func TestStreamFlood(t *testing.T) {
	t.Parallel()
	conn, dsn := dbtest.NewWithURL(t)
	f := newFeed(t, dsn, db.NewStore(conn).Events)
	out := stream(t, f, db.EventFilter{})
	time.Sleep(100 * time.Millisecond) // the stream's first read sees no events
	events := make([]db.Event, 3*eventfeed.PageSize+7)
	for i := range events {
		events[i] = db.Event{Kind: db.EventAddress, CPR: "0101901234"}
	}
	insert(t, conn, events...)
	got := receive(t, out, len(events))
	for i := 1; i < len(got); i++ {
		if got[i].ID != got[i-1].ID+1 {
			t.Fatalf("event %d has ID %d after %d", i, got[i].ID, got[i-1].ID)
		}
	}
	expectNone(t, out)
}

// TestTwoInstances: feeds on two listeners (two server processes) both
// deliver an event registered through a third connection.
func TestTwoInstances(t *testing.T) {
	t.Parallel()
	conn, dsn := dbtest.NewWithURL(t)
	a := stream(t, newFeed(t, dsn, db.NewStore(conn).Events), db.EventFilter{})
	b := stream(t, newFeed(t, dsn, db.NewStore(conn).Events), db.EventFilter{})
	time.Sleep(100 * time.Millisecond)
	insert(t, conn, db.Event{Kind: db.EventNameChange, CPR: "0101901234"})
	if ea, eb := receive(t, a, 1)[0], receive(t, b, 1)[0]; ea.ID != eb.ID || ea.Kind != db.EventNameChange {
		t.Fatalf("instances got %+v and %+v", ea, eb)
	}
}

// cursorSource records the cursor of the read that returned events.
type cursorSource struct {
	*db.EventStore
	cursor atomic.Int64
}

func (s *cursorSource) List(ctx context.Context, f db.EventFilter) ([]db.Event, error) {
	events, err := s.EventStore.List(ctx, f)
	if len(events) > 0 {
		s.cursor.Store(f.AfterID)
	}
	return events, err
}

// TestStreamCursorSkipsUnmatched: after a drain the cursor moves past the
// events the filter did not match, so they are not scanned again.
func TestStreamCursorSkipsUnmatched(t *testing.T) {
	t.Parallel()
	conn, dsn := dbtest.NewWithURL(t)
	source := &cursorSource{EventStore: db.NewStore(conn).Events}
	f := newFeed(t, dsn, source)
	out := stream(t, f, db.EventFilter{CPRs: []string{"0202902345"}})
	for range 3 {
		insert(t, conn, db.Event{Kind: db.EventAddress, CPR: "0101901234"})
	}
	time.Sleep(300 * time.Millisecond) // the stream reads and finds nothing
	insert(t, conn, db.Event{Kind: db.EventAddress, CPR: "0202902345"})
	got := receive(t, out, 1)
	if c := source.cursor.Load(); c != got[0].ID-1 {
		t.Errorf("the event was read after cursor %d, want %d", c, got[0].ID-1)
	}
}

func TestStreamEnds(t *testing.T) {
	t.Parallel()
	conn, dsn := dbtest.NewWithURL(t)
	insert(t, conn, db.Event{Kind: db.EventCreation, CPR: "0101901234"}, db.Event{Kind: db.EventDeath, CPR: "0101901234"})
	f := newFeed(t, dsn, db.NewStore(conn).Events)

	stop := errors.New("stop")
	n := 0
	err := f.Stream(context.Background(), db.EventFilter{}, func(db.Event) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("send error: Stream = %v after %d events", err, n)
	}

	done := make(chan error)
	go func() { done <- f.Stream(context.Background(), db.EventFilter{}, func(db.Event) error { return nil }) }()
	time.Sleep(100 * time.Millisecond)
	f.Close()
	select {
	case err := <-done:
		if !errors.Is(err, eventfeed.ErrClosed) {
			t.Errorf("after Close: Stream = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Stream did not end on Close")
	}
}
