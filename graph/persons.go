package graph

import (
	"context"
	"time"

	"cprgraph/apperr"
	"cprgraph/db"
	"cprgraph/graph/model"
	"cprgraph/graph/scalar"
)

// maxBatch is the most CPR numbers one batch request takes (CSR-P: "Der kan
// maksimalt fremsøges 100 personer").
const maxBatch = 100

// batchItem is one position of a batch request: the number as given and,
// when well-formed, the parsed number.
type batchItem struct {
	input, number string
}

// parseBatch parses the numbers of a batch request and returns its items
// and the distinct well-formed numbers. BAD_USER_INPUT for an empty list or
// more than maxBatch numbers.
func parseBatch(inputs []string) ([]batchItem, []string, error) {
	if len(inputs) == 0 || len(inputs) > maxBatch {
		return nil, nil, apperr.Errorf(apperr.BadUserInput, "give 1 to %d CPR numbers, got %d", maxBatch, len(inputs))
	}
	items := make([]batchItem, len(inputs))
	var numbers []string
	seen := map[string]bool{}
	for i, in := range inputs {
		items[i].input = in
		if n, err := parseCPR(in); err == nil {
			items[i].number = n
			if !seen[n] {
				seen[n] = true
				numbers = append(numbers, n)
			}
		}
	}
	return items, numbers, nil
}

// itemError is the error of a batch item whose number is malformed or, when
// well-formed, not in the register.
func (it batchItem) itemError() *model.ItemError {
	code := apperr.NotFound
	if it.number == "" {
		code = apperr.BadUserInput
	}
	return &model.ItemError{Code: string(code), Message: "CPR-nummer er ikke korrekt: " + it.input}
}

// historyError is the error of an addressHistory item: as itemError, but a
// well-formed number not in the register gets PersonAdresseHistorikSamlingHent's
// own text, "Personen findes ikke." (seed 001).
func (it batchItem) historyError() *model.ItemError {
	if it.number == "" {
		return it.itemError()
	}
	return &model.ItemError{Code: string(apperr.NotFound), Message: "Personen findes ikke."}
}

// onePerson parses cpr and returns it with the person read in view v;
// BAD_USER_INPUT or NOT_FOUND as person(cpr) does.
func onePerson(ctx context.Context, l *loaders, v db.View, cpr string) (db.Person, error) {
	number, err := parseCPR(cpr)
	if err != nil {
		return db.Person{}, err
	}
	p, err := l.loadPerson(ctx, v, &number)
	if err != nil {
		return db.Person{}, err
	}
	if p == nil {
		return db.Person{}, errUnknownCPR(cpr)
	}
	return *p, nil
}

// dateOf converts an optional Date argument.
func dateOf(d *scalar.Date) *time.Time {
	if d == nil {
		return nil
	}
	t := time.Time(*d)
	return &t
}

// birthDateRanges translates the criteria of personsByBirthDate, the list
// or the single-criterion form from-to (to defaulting to from); one of the
// two forms is required. BAD_USER_INPUT for neither or both.
func birthDateRanges(criteria []*model.BirthDateCriterion, from, to *scalar.Date) ([]db.DateRange, error) {
	if (criteria == nil) == (from == nil) {
		return nil, apperr.Errorf(apperr.BadUserInput, "give either criteria or from (with to), not both or neither")
	}
	if from != nil {
		criteria = []*model.BirthDateCriterion{{From: *from, To: to}}
	} else if to != nil {
		return nil, apperr.Errorf(apperr.BadUserInput, "to goes with from; in criteria each criterion has its own to")
	}
	out := make([]db.DateRange, len(criteria))
	for i, c := range criteria {
		out[i] = db.DateRange{From: time.Time(c.From), To: time.Time(c.From)}
		if c.To != nil {
			out[i].To = time.Time(*c.To)
		}
	}
	return out, nil
}

// searchResult is the answer of a person search fetched with one row more
// than max: the first max rows, and whether more matched.
func searchResult(rows []db.Person, max int) *model.PersonSearchResult {
	out := &model.PersonSearchResult{MoreHits: len(rows) > max, Persons: []*db.Person{}}
	for i := range rows[:min(len(rows), max)] {
		out.Persons = append(out.Persons, &rows[i])
	}
	return out
}

// personEdge is the edge of a person connection.
func personEdge(cursor string, p *db.Person) (*model.PersonEdge, error) {
	return &model.PersonEdge{Cursor: cursor, Node: p}, nil
}

// readPersons reads the persons in the view of asOf and knownAt (both nil:
// as they stand), priming the person loader with them.
func (r *Resolver) readPersons(ctx context.Context, numbers []string, asOf *scalar.Date, knownAt *time.Time) (map[string]db.Person, error) {
	v := view(asOf, knownAt)
	persons, err := r.Store.Register.At(v).PersonsByCPR(ctx, numbers)
	if err != nil {
		return nil, err
	}
	l := r.loaders(ctx)
	for c, p := range persons {
		l.person.Prime(v.Key(c), p)
	}
	return persons, nil
}

// view is the db.View of the arguments asOf and knownAt.
func view(asOf *scalar.Date, knownAt *time.Time) db.View {
	var v db.View
	if asOf != nil {
		day := time.Time(*asOf)
		v.AsOf = &day
	}
	if knownAt != nil {
		at := *knownAt
		v.KnownAt = &at
	}
	return v
}

// maxAddressHistory is how many addresses addressHistory gives per person
// (CSR-P: "maksimalt de 10 seneste adresser pr. person").
const maxAddressHistory = 10
