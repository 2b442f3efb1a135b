package graph

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/db"
	"cprgraph/db/dbtest"
	"cprgraph/eventfeed"
)

// TestSlowSubscriberDropped: a subscriber that takes nothing holds at most
// the buffer; when the buffer stays full the subscription ends, and the
// buffered events are still delivered before the channel closes.
func TestSlowSubscriberDropped(t *testing.T) {
	t.Parallel()
	conn, dsn := dbtest.NewWithURL(t)
	store := db.NewStore(conn)
	events := make([]db.Event, 50)
	for i := range events {
		events[i] = db.Event{Kind: db.EventAddress, CPR: "0101901234"}
	}
	if err := store.InTx(context.Background(), func(tx *db.Store) error { return tx.Events.Insert(context.Background(), events) }); err != nil {
		t.Fatal(err)
	}
	feed, err := eventfeed.New(context.Background(), dsn, store.Events)
	if err != nil {
		t.Fatal(err)
	}
	defer feed.Close()

	ch := streamEvents(context.Background(), feed, &access.Principal{Profile: access.Authority}, db.EventFilter{}, 5, 100*time.Millisecond)
	time.Sleep(500 * time.Millisecond) // the client takes nothing
	n := 0
	for e := range ch {
		if e.Node.SubjectCPR() != "0101901234" {
			t.Fatalf("event %+v", e)
		}
		n++
	}
	if n != 5 {
		t.Errorf("got %d events before the subscription ended, want the buffer's 5", n)
	}
}

func TestSend(t *testing.T) {
	t.Parallel()
	ch := make(chan int, 1)
	if err := send(context.Background(), ch, 1, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := send(context.Background(), ch, 2, 10*time.Millisecond); apperr.CodeOf(err) != apperr.TooSlow {
		t.Errorf("full buffer: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := send(ctx, ch, 3, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("ended context: %v", err)
	}
}

// TestMaskerFailsClosedWithoutParent: a subject field with no parent (the
// root value of a subscription message) is neither masked by guess nor
// shown: it is an error.
func TestMaskerFailsClosedWithoutParent(t *testing.T) {
	t.Parallel()
	m := masker{subjectTypes: map[string]bool{"DeathEvent": true}}
	ctx := graphql.WithFieldContext(context.Background(), &graphql.FieldContext{
		Object: "DeathEvent",
		Field:  graphql.CollectedField{Field: &ast.Field{Name: "municipalityCode", Definition: &ast.FieldDefinition{Name: "municipalityCode"}}},
	})
	ran := false
	_, err := m.aroundFields(ctx, func(context.Context) (any, error) { ran = true; return 101, nil })
	if ran || apperr.CodeOf(err) != apperr.Internal {
		t.Errorf("resolver ran: %v, err %v", ran, err)
	}
}
