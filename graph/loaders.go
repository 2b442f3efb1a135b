package graph

import (
	"context"
	"errors"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"cprgraph/db"
	"cprgraph/graph/scalar"
)

// loaders batch the reads of nested person fields: every Load made while a
// response is being resolved within one short window becomes one query,
// and each result is handed back by its key. They live for one response
// (one query, or one event of a subscription), so nothing is cached longer.
type loaders struct {
	person        *dataloadgen.Loader[string, db.Person]
	household     *dataloadgen.Loader[string, db.Household]
	addresses     *dataloadgen.Loader[string, []db.Address]
	children      *dataloadgen.Loader[string, []db.ChildRelation]
	custody       *dataloadgen.Loader[string, []db.Custody]
	guardianships *dataloadgen.Loader[string, []db.Guardianship]
	names         *dataloadgen.Loader[string, []db.HistoricalName]
	civilStatuses *dataloadgen.Loader[string, []db.CivilStatus]
	citizenships  *dataloadgen.Loader[string, []db.Citizenship]
	church        *dataloadgen.Loader[string, []db.ChurchRelation]
	travels       *dataloadgen.Loader[string, []db.Travel]
	separations   *dataloadgen.Loader[string, []db.Separation]
	disappearance *dataloadgen.Loader[string, []db.Disappearance]
	cprNumbers    *dataloadgen.Loader[string, []db.CPRNumberChange]
	notes         *dataloadgen.Loader[string, []db.Note]
	revivals      *dataloadgen.Loader[string, time.Time]
}

// newLoaders returns the loaders of one response; wait is how long each
// gathers keys before it queries (0: the library's default).
func newLoaders(store *db.Store, wait time.Duration) *loaders {
	var opts []dataloadgen.Option
	if wait > 0 {
		opts = append(opts, dataloadgen.WithWait(wait))
	}
	reg := store.Register
	l := &loaders{
		person:        dataloadgen.NewMappedLoader(viewed(reg, (*db.RegisterStore).PersonsByCPR), opts...),
		household:     dataloadgen.NewMappedLoader(viewed(reg, (*db.RegisterStore).Households), opts...),
		children:      groupLoader(viewed(reg, (*db.RegisterStore).Children), opts...),
		custody:       groupLoader(viewed(reg, (*db.RegisterStore).CustodyOf), opts...),
		guardianships: groupLoader(viewed(reg, (*db.RegisterStore).Guardianships), opts...),
		names:         groupLoader(viewed(reg, (*db.RegisterStore).NameHistory), opts...),
		civilStatuses: groupLoader(viewed(reg, (*db.RegisterStore).CivilStatusHistory), opts...),
		citizenships:  groupLoader(viewed(reg, (*db.RegisterStore).CitizenshipHistory), opts...),
		church:        groupLoader(viewed(reg, (*db.RegisterStore).ChurchHistory), opts...),
		travels:       groupLoader(viewed(reg, (*db.RegisterStore).TravelHistory), opts...),
		separations:   groupLoader(viewed(reg, (*db.RegisterStore).SeparationHistory), opts...),
		disappearance: groupLoader(viewed(reg, (*db.RegisterStore).DisappearanceHistory), opts...),
		cprNumbers:    groupLoader(viewed(reg, (*db.RegisterStore).CPRNumberHistory), opts...),
		notes:         groupLoader(viewed(reg, (*db.RegisterStore).Notes), opts...),
		revivals:      dataloadgen.NewMappedLoader(viewed(reg, (*db.RegisterStore).RevivalDates), opts...),
	}
	// The address history starts with the current address, so it reads the
	// persons through the person loader (usually already primed), in the
	// same view.
	l.addresses = groupLoader(viewed(reg, func(s *db.RegisterStore, ctx context.Context, cprs []string) (map[string][]db.Address, error) {
		keys := make([]string, len(cprs))
		for i, c := range cprs {
			keys[i] = s.View().Key(c)
		}
		persons, err := l.loadPersons(ctx, keys)
		if err != nil {
			return nil, err
		}
		byCPR := make(map[string]db.Person, len(persons))
		for _, p := range persons {
			byCPR[p.CPR] = *p
		}
		return s.AddressHistory(ctx, byCPR)
	}), opts...)
	return l
}

// viewed turns a store method reading by CPR numbers into a fetch by
// loader keys (db.View.Key): the keys are grouped by view and each group is
// read in its view (RegisterStore.At); the results come back by key.
func viewed[T any](reg *db.RegisterStore, fetch func(*db.RegisterStore, context.Context, []string) (map[string]T, error)) func(context.Context, []string) (map[string]T, error) {
	return func(ctx context.Context, keys []string) (map[string]T, error) {
		type group struct {
			view db.View
			cprs []string
			keys []string
		}
		var groups []*group
		byView := map[string]*group{}
		for _, k := range keys {
			c, v := db.ViewKey(k)
			id := v.Key("")
			g, ok := byView[id]
			if !ok {
				g = &group{view: v}
				byView[id] = g
				groups = append(groups, g)
			}
			g.cprs, g.keys = append(g.cprs, c), append(g.keys, k)
		}
		out := make(map[string]T, len(keys))
		for _, g := range groups {
			got, err := fetch(reg.At(g.view), ctx, g.cprs)
			if err != nil {
				return nil, err
			}
			for i, c := range g.cprs {
				if v, ok := got[c]; ok {
					out[g.keys[i]] = v
				}
			}
		}
		return out, nil
	}
}

// groupLoader returns a loader of per-person lists from a store method
// returning them by CPR number; a person without any gets an empty list.
func groupLoader[T any](fetch func(context.Context, []string) (map[string][]T, error), opts ...dataloadgen.Option) *dataloadgen.Loader[string, []T] {
	return dataloadgen.NewLoader(func(ctx context.Context, cprs []string) ([][]T, []error) {
		byCPR, err := fetch(ctx, cprs)
		values, errs := make([][]T, len(cprs)), make([]error, len(cprs))
		for i, c := range cprs {
			values[i], errs[i] = byCPR[c], err
		}
		return values, errs
	}, opts...)
}

// loadPerson returns the person with the CPR number read in view v, or nil
// when the number is nil or not in the register.
func (l *loaders) loadPerson(ctx context.Context, v db.View, cpr *string) (*db.Person, error) {
	if cpr == nil {
		return nil, nil
	}
	p, err := l.person.Load(ctx, v.Key(*cpr))
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// loadPersons returns the persons with the loader keys (db.View.Key) that
// are in the register, in the order given.
func (l *loaders) loadPersons(ctx context.Context, cprs []string) ([]*db.Person, error) {
	thunks := make([]func() (db.Person, error), len(cprs))
	for i, c := range cprs {
		thunks[i] = l.person.LoadThunk(ctx, c)
	}
	out := make([]*db.Person, 0, len(cprs))
	for _, thunk := range thunks {
		p, err := thunk()
		if errors.Is(err, dataloadgen.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, &p)
	}
	return out, nil
}

// revivalDate returns the revival date of the person with the loader key
// (db.View.Key), or nil when none is recorded.
func (l *loaders) revivalDate(ctx context.Context, key string) (*scalar.Date, error) {
	d, err := l.revivals.Load(ctx, key)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	day := scalar.Date(d)
	return &day, nil
}

type loadersKey struct{}

// withLoaders is the response middleware that gives each response its own
// loaders.
func withLoaders(store *db.Store, wait time.Duration) graphql.ResponseMiddleware {
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		return next(context.WithValue(ctx, loadersKey{}, newLoaders(store, wait)))
	}
}

// loaders returns the response's loaders; outside a response (no
// middleware) it returns fresh ones, correct but not shared.
func (r *Resolver) loaders(ctx context.Context) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return newLoaders(r.Store, 0)
}

// list loads the owner's list from a group loader as pointers.
func list[T any](ctx context.Context, l *dataloadgen.Loader[string, []T], cpr string) ([]*T, error) {
	rows, err := l.Load(ctx, cpr)
	if err != nil {
		return nil, err
	}
	return pointers(rows), nil
}
