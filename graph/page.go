package graph

import (
	"encoding/base64"
	"strconv"
	"strings"

	"cprgraph/apperr"
	"cprgraph/db"
	"cprgraph/graph/model"
)

// pagedList names a connection. Its cursors are base64url of "<list>:<n>", n a
// non-negative integer: the row ID in a list paged by ID (events, audit
// rows), the row's position counting from 1 in a list paged by offset
// (persons), so "after n" is "ID above n" or "OFFSET n". No cursor carries
// personal data. The event and audit cursors are those the server gave
// before there was one format, so clients' stored cursors stay valid.
type pagedList string

const (
	birthDateList pagedList = "birthdate"
	eventList     pagedList = "event"
	auditList     pagedList = "audit"
	deliveryList  pagedList = "delivery"
	lookupList    pagedList = "lookup"
)

// pageSizes is each list's page size without `first` and the most `first`
// may ask for; more is BAD_USER_INPUT rather than silently fewer. The
// person search (PersonSøg) is not a list here: it answers at most
// access.MaxSearchHits persons and does not page.
var pageSizes = map[pagedList]struct{ fallback, max int }{
	birthDateList: {50, 200},
	eventList:     {100, db.MaxEventPage},
	auditList:     {50, 500},
	deliveryList:  {50, 500},
	lookupList:    {50, 500},
}

// page is the page of a list a client asked for: size rows after the
// cursor number after (0 without a cursor).
type page struct {
	list  pagedList
	after int64
	size  int
}

// pageOf checks first and after against l: BAD_USER_INPUT for a size out
// of range or a cursor that is not one of l's.
func pageOf(l pagedList, first *int, after *string) (page, error) {
	p := page{list: l, size: pageSizes[l].fallback}
	if first != nil {
		p.size = *first
	}
	if most := pageSizes[l].max; p.size < 1 || p.size > most {
		return page{}, apperr.Errorf(apperr.BadUserInput, "first must be between 1 and %d", most)
	}
	var err error
	p.after, err = l.after(after)
	return p, err
}

// after returns the number of the cursor, 0 for none: BAD_USER_INPUT for
// a cursor that is not one of l's.
func (l pagedList) after(cursor *string) (int64, error) {
	if cursor == nil {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*cursor)
	name, n, ok := strings.Cut(string(raw), ":")
	if err != nil || !ok {
		return 0, apperr.Errorf(apperr.BadUserInput, "after is not a cursor: %q", *cursor)
	}
	if pagedList(name) != l {
		return 0, apperr.Errorf(apperr.BadUserInput, "after is a cursor of another list, not of this one: %q", *cursor)
	}
	u, err := strconv.ParseUint(n, 10, 63)
	if err != nil {
		return 0, apperr.Errorf(apperr.BadUserInput, "after is not a cursor: %q", *cursor)
	}
	return int64(u), nil
}

// limit is how many rows to fetch for p: one more than the page, so that
// the extra row tells whether another page follows.
func (p page) limit() int { return p.size + 1 }

// cursor is the cursor of the row numbered n in l.
func (l pagedList) cursor(n int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(string(l) + ":" + strconv.FormatInt(n, 10)))
}

// connection cuts rows, fetched with p.limit(), to the page and returns the
// edges edge makes of them with their cursors, and the page's PageInfo: the
// end cursor is the last row's. id gives a row's ID in a list paged by ID;
// a list paged by offset passes nil. The first error of edge is returned.
func connection[T, E any](p page, rows []T, id func(*T) int64, edge func(cursor string, row *T) (E, error)) ([]E, *model.PageInfo, error) {
	info := &model.PageInfo{HasNextPage: len(rows) > p.size}
	rows = rows[:min(len(rows), p.size)]
	edges := make([]E, len(rows))
	for i := range rows {
		n := p.after + int64(i) + 1
		if id != nil {
			n = id(&rows[i])
		}
		c := p.list.cursor(n)
		var err error
		if edges[i], err = edge(c, &rows[i]); err != nil {
			return nil, nil, err
		}
		info.EndCursor = &c
	}
	return edges, info, nil
}
