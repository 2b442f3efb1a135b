package db_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cprgraph/db"
	"cprgraph/db/dbtest"
)

func insertEvents(conn *sqlx.DB, events ...db.Event) error {
	return db.NewStore(conn).InTx(context.Background(), func(tx *db.Store) error {
		return tx.Events.Insert(context.Background(), events)
	})
}

func TestEventKindsMatchSchema(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	for _, k := range db.EventKinds {
		if !k.Valid() {
			t.Errorf("%s not Valid", k)
		}
		if err := insertEvents(conn, db.Event{Kind: k, CPR: "0101901234"}); err != nil {
			t.Errorf("insert %s: %v", k, err)
		}
	}
	if db.EventKind("MOVE").Valid() {
		t.Error("MOVE is Valid")
	}
	if err := insertEvents(conn, db.Event{Kind: "MOVE", CPR: "0101901234"}); err == nil {
		t.Error("schema accepted kind MOVE")
	}
}

func TestListEvents(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	ctx := context.Background()
	kbh, aarhus := 101, 751
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	events := []db.Event{
		{Kind: db.EventCreation, CPR: "0101901234", MunicipalityCode: &kbh, Data: json.RawMessage(`{"status":"01"}`)},
		{Kind: db.EventAddress, CPR: "0101901234", MunicipalityCode: &aarhus, EffectiveDate: &day},
		{Kind: db.EventDeath, CPR: "0202902345", MunicipalityCode: &kbh},
		{Kind: db.EventAddress, CPR: "0202902345"},
	}
	if err := insertEvents(conn, events...); err != nil {
		t.Fatal(err)
	}
	all, err := db.NewStore(conn).Events.List(ctx, db.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 {
		t.Fatalf("got %d events, want 4", len(all))
	}
	for i, e := range all {
		if e.Kind != events[i].Kind || e.CPR != events[i].CPR {
			t.Errorf("event %d = %s %s, want %s %s", i, e.Kind, e.CPR, events[i].Kind, events[i].CPR)
		}
	}
	if string(all[0].Data) != `{"status": "01"}` || string(all[1].Data) != `{}` {
		t.Errorf("data = %s, %s", all[0].Data, all[1].Data)
	}
	if all[1].EffectiveDate == nil || !all[1].EffectiveDate.Equal(day) || all[3].MunicipalityCode != nil {
		t.Errorf("event 1 = %+v, event 3 = %+v", all[1], all[3])
	}

	count := func(f db.EventFilter) int {
		t.Helper()
		got, err := db.NewStore(conn).Events.List(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(got)
	}
	past, future := all[0].RegisteredAt.Add(-time.Hour), all[0].RegisteredAt.Add(time.Hour)
	for name, tt := range map[string]struct {
		f    db.EventFilter
		want int
	}{
		"kind":         {db.EventFilter{Kinds: []db.EventKind{db.EventAddress}}, 2},
		"kinds":        {db.EventFilter{Kinds: []db.EventKind{db.EventAddress, db.EventDeath}}, 3},
		"cpr":          {db.EventFilter{CPRs: []string{"0202902345"}}, 2},
		"municipality": {db.EventFilter{Municipality: &kbh}, 2},
		"after":        {db.EventFilter{AfterID: all[1].ID}, 2},
		"limit":        {db.EventFilter{Limit: 3}, 3},
		"interval":     {db.EventFilter{From: &past, To: &future}, 4},
		"before":       {db.EventFilter{To: &past}, 0},
		"after time":   {db.EventFilter{From: &future}, 0},
		"combined":     {db.EventFilter{Kinds: []db.EventKind{db.EventAddress}, CPRs: []string{"0101901234"}, AfterID: all[0].ID}, 1},
	} {
		if got := count(tt.f); got != tt.want {
			t.Errorf("%s: got %d events, want %d", name, got, tt.want)
		}
	}
}

func TestEventNotify(t *testing.T) {
	t.Parallel()
	conn, url := dbtest.NewWithURL(t)
	listener := pq.NewListener(url, time.Second, time.Second, nil)
	defer listener.Close()
	if err := listener.Listen("person_event"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := insertEvents(conn, db.Event{Kind: db.EventDeath, CPR: "0101901234"}); err != nil {
		t.Fatal(err)
	}
	events, err := db.NewStore(conn).Events.List(ctx, db.EventFilter{})
	if err != nil || len(events) != 1 {
		t.Fatalf("List = %v, %v", events, err)
	}
	select {
	case n := <-listener.Notify:
		if want := events[0].ID; n.Extra != strconv.FormatInt(want, 10) {
			t.Errorf("notification payload %q, want %d", n.Extra, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no notification")
	}
}

// TestEventWritersCommitInIDOrder: a second writer waits for the first to
// commit, so its IDs are higher and a reader paging by ID skips nothing;
// readers do not wait.
func TestEventWritersCommitInIDOrder(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	ctx := context.Background()
	first, err := conn.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Rollback()
	if err := db.NewStore(first).Events.Insert(ctx, []db.Event{{Kind: db.EventDeath, CPR: "0101901234"}}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- insertEvents(conn, db.Event{Kind: db.EventCreation, CPR: "0202902345"}) }()
	select {
	case err := <-done:
		t.Fatalf("second writer did not wait (err %v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	if events, err := db.NewStore(conn).Events.List(ctx, db.EventFilter{}); err != nil || len(events) != 0 {
		t.Fatalf("reader: %v, %v", events, err)
	}
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	events, err := db.NewStore(conn).Events.List(ctx, db.EventFilter{})
	if err != nil || len(events) != 2 || events[0].Kind != db.EventDeath || events[1].ID <= events[0].ID {
		t.Fatalf("events %+v, %v", events, err)
	}
	if events[1].RegisteredAt.Before(events[0].RegisteredAt) {
		t.Errorf("registered_at not in ID order: %v, %v", events[0].RegisteredAt, events[1].RegisteredAt)
	}
}

func TestListEventsProtectionAndFields(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	ctx := context.Background()
	store := db.NewStore(conn)
	if id, err := store.Events.LastID(ctx); err != nil || id != 0 {
		t.Fatalf("LastID of no events = %d, %v", id, err)
	}
	if _, err := conn.Exec(`INSERT INTO person (cpr) VALUES ('0101901234'), ('0202902345');
		INSERT INTO personkontakt (cpr, navne_adressebeskyttelse_start_dato, navne_adressebeskyttelse_slette_dato)
		VALUES ('0101901234', '2020-01-01', '2030-01-01')`); err != nil {
		t.Fatal(err)
	}
	if err := insertEvents(conn,
		db.Event{Kind: db.EventAddressProtection, CPR: "0101901234", Data: json.RawMessage(`{"startDato":"2020-01-01","sletteDato":"2030-01-01"}`)},
		db.Event{Kind: db.EventStatusChange, CPR: "0202902345", Data: json.RawMessage(`{"status":"60","previousStatus":"01","oldCpr":"0303903456"}`)},
		db.Event{Kind: db.EventDeath, CPR: "0404904567"},
	); err != nil {
		t.Fatal(err)
	}
	events, err := store.Events.List(ctx, db.EventFilter{})
	if err != nil || len(events) != 3 {
		t.Fatalf("List = %v, %v", events, err)
	}
	if events[0].SubjectCPR() != "0101901234" || !events[0].NameAddressProtected() {
		t.Errorf("protected event: %s %v", events[0].SubjectCPR(), events[0].NameAddressProtected())
	}
	for _, e := range events[1:] {
		if e.NameAddressProtected() {
			t.Errorf("%s: protected", e.CPR)
		}
	}
	d, err := events[1].Fields()
	if err != nil || *d.Status != "60" || *d.PreviousStatus != "01" || *d.OldCPR != "0303903456" || d.CivilStatus != nil {
		t.Errorf("Fields = %+v, %v", d, err)
	}
	if d, err := events[0].Fields(); err != nil || *d.StartDate != "2020-01-01" || *d.EndDate != "2030-01-01" {
		t.Errorf("Fields = %+v, %v", d, err)
	}
	if id, err := store.Events.LastID(ctx); err != nil || id != events[2].ID {
		t.Errorf("LastID = %d, %v; want %d", id, err, events[2].ID)
	}
}
