package gen

import (
	"context"
	"database/sql/driver"
	"sort"
	"testing"
	"time"
)

var testToday = time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)

func newTestGenerator(t testing.TB, persons int) *generator {
	t.Helper()
	opts := Options{Persons: persons, Seed: 7, Today: testToday}
	m, err := newAddressModel(opts.Seed, persons, dayOf(opts.Today))
	if err != nil {
		t.Fatal(err)
	}
	return newGenerator(m, opts, tableID(len(tables)), nil, &tape{})
}

// TestShape checks that the population looks like Denmark's: its age
// pyramid, statuses and households, within broad bounds.
func TestShape(t *testing.T) {
	g := newTestGenerator(t, 50000)
	var ages [11]int
	status := map[string]int{}
	persons, residents, stays, current := 0, 0, 0, 0
	for g.budget > 0 {
		if err := g.cluster(); err != nil {
			t.Fatal(err)
		}
		for i := range g.c.people {
			p := &g.c.people[i]
			persons++
			s, _ := g.status(p)
			status[string(s)]++
			if p.resident() {
				residents++
				ages[min(age(p.birth, g.today)/10, 10)]++
			}
			for _, sg := range g.addresses(p) {
				if sg.to != forever {
					stays++
				}
			}
		}
		for _, h := range g.c.hhs {
			if h.end == forever {
				current++
			}
		}
	}
	share := func(n, of int) float64 { return float64(n) / float64(of) }
	t.Logf("ages by decade %v, statuses %v", ages, status)
	t.Logf("%.2f earlier addresses and %.2f current households per person", share(stays, persons), share(current, persons))
	for decade, want := range []struct{ lo, hi float64 }{
		{0.08, 0.15}, {0.08, 0.15}, {0.08, 0.15}, {0.09, 0.17}, {0.09, 0.17},
		{0.09, 0.16}, {0.07, 0.14}, {0.05, 0.12}, {0.02, 0.07}, {0.002, 0.02},
	} {
		if got := share(ages[decade], residents); got < want.lo || got > want.hi {
			t.Errorf("%d%% of residents aged %d-%d, want %.0f-%.0f%%", int(100*got), 10*decade, 10*decade+9, 100*want.lo, 100*want.hi)
		}
	}
	for s, want := range map[string]struct{ lo, hi float64 }{
		"01": {0.82, 0.92}, "90": {0.06, 0.14}, "80": {0.005, 0.03},
	} {
		if got := share(status[s], persons); got < want.lo || got > want.hi {
			t.Errorf("%.3f with status %s, want %.3f-%.3f", got, s, want.lo, want.hi)
		}
	}
	if perPerson := share(current, persons); perPerson > dwellingsPerPerson*0.97 || perPerson < 0.4 {
		t.Errorf("%.3f current households per person, with %.2f dwellings per person", perPerson, dwellingsPerPerson)
	}
}

// TestNoOverlap checks that the stays of different households in a dwelling
// never overlap, and that each person's stays follow one another.
func TestNoOverlap(t *testing.T) {
	g := newTestGenerator(t, 30000)
	type stay struct {
		hh       int
		from, to day
	}
	byDwelling := map[int32][]stay{}
	n := 0
	for g.budget > 0 {
		if err := g.cluster(); err != nil {
			t.Fatal(err)
		}
		for i, h := range g.c.hhs {
			for _, s := range g.c.segs[h.first : h.first+h.n] {
				byDwelling[s.dw] = append(byDwelling[s.dw], stay{n + i, s.from, s.to})
			}
		}
		n += len(g.c.hhs)
		for i := range g.c.people {
			segs := g.addresses(&g.c.people[i])
			for j, s := range segs {
				if s.from >= s.to || (j > 0 && s.from < segs[j-1].to) {
					t.Fatalf("person %d: stays %v", i, segs)
				}
			}
		}
	}
	for dw, stays := range byDwelling {
		sort.Slice(stays, func(i, j int) bool { return stays[i].from < stays[j].from })
		for i := 1; i < len(stays); i++ {
			if stays[i].from < stays[i-1].to {
				t.Fatalf("dwelling %d: %+v overlaps %+v", dw, stays[i-1], stays[i])
			}
		}
	}
}

// discard is a COPY statement that drops its rows.
type discard struct{}

func (discard) CopyData(context.Context, string) (driver.Result, error) { return nil, nil }
func (discard) Exec([]driver.Value) (driver.Result, error)              { return nil, nil }
func (discard) Close() error                                            { return nil }

// BenchmarkGenerate measures the generator without a database: the first
// run, which decides where everyone lives, and a later run replaying it.
func BenchmarkGenerate(b *testing.B) {
	opts := Options{Persons: 100000, Seed: 1, Today: testToday}
	m, err := newAddressModel(opts.Seed, opts.Persons, dayOf(opts.Today))
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, id tableID, tp *tape) {
		w := newRowWriter(context.Background(), discard{})
		if err := newGenerator(m, opts, id, w, tp).run(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("first", func(b *testing.B) {
		for range b.N {
			run(b, tEjerskab, &tape{})
		}
	})
	tp := &tape{}
	run(b, tEjerskab, tp)
	for _, id := range []tableID{tPerson, tHistAdresser} {
		b.Run(tables[id].name, func(b *testing.B) {
			for range b.N {
				run(b, id, tp)
			}
		})
	}
}
