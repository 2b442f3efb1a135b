package graph

import (
	"encoding/base64"
	"testing"

	"cprgraph/apperr"
)

func TestCursorReadsBackAsItsNumber(t *testing.T) {
	t.Parallel()
	for _, l := range []pagedList{birthDateList, eventList, auditList} {
		for _, n := range []int64{0, 1, 1 << 40} {
			c := l.cursor(n)
			if p, err := pageOf(l, nil, &c); err != nil || p.after != n {
				t.Errorf("%s cursor of %d reads back as %d, %v", l, n, p.after, err)
			}
		}
	}
}

// TestCursorOfAnotherListRefused: a cursor gives a position in one list
// only; any other list refuses it, as it refuses what is no cursor at all.
func TestCursorOfAnotherListRefused(t *testing.T) {
	t.Parallel()
	lists := []pagedList{birthDateList, eventList, auditList}
	for _, from := range lists {
		c := from.cursor(7)
		for _, to := range lists {
			if to == from {
				continue
			}
			if _, err := pageOf(to, nil, &c); apperr.CodeOf(err) != apperr.BadUserInput {
				t.Errorf("%s took a cursor of %s: %v", to, from, err)
			}
		}
	}
	encode := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for _, bad := range []string{"", "42", "event:1", encode("event"), encode("event:"), encode("event:-1"), encode("event:+1"), encode("event:x"), encode("event:9223372036854775808")} {
		if _, err := pageOf(eventList, nil, &bad); apperr.CodeOf(err) != apperr.BadUserInput {
			t.Errorf("%q read as a cursor: %v", bad, err)
		}
	}
}

// TestOldEventAndAuditCursorsStayValid: event cursors are promised to stay
// valid forever; the cursors given before the one format still read.
func TestOldEventAndAuditCursorsStayValid(t *testing.T) {
	t.Parallel()
	for l, c := range map[pagedList]string{eventList: "ZXZlbnQ6NDI" /* event:42 */, auditList: "YXVkaXQ6NDI" /* audit:42 */} {
		if p, err := pageOf(l, nil, &c); err != nil || p.after != 42 {
			t.Errorf("%s cursor %s: %d, %v", l, c, p.after, err)
		}
	}
}

func TestFirstDefaultsAndIsCappedPerList(t *testing.T) {
	t.Parallel()
	for l, sizes := range pageSizes {
		if p, err := pageOf(l, nil, nil); err != nil || p.size != sizes.fallback || p.limit() != sizes.fallback+1 {
			t.Errorf("%s without first: %+v, %v", l, p, err)
		}
		for _, n := range []int{0, -1, sizes.max + 1} {
			if _, err := pageOf(l, &n, nil); apperr.CodeOf(err) != apperr.BadUserInput {
				t.Errorf("%s first %d: %v", l, n, err)
			}
		}
		if p, err := pageOf(l, &sizes.max, nil); err != nil || p.size != sizes.max {
			t.Errorf("%s first %d: %+v, %v", l, sizes.max, p, err)
		}
	}
}

func TestConnectionDropsTheLookAheadRow(t *testing.T) {
	t.Parallel()
	edge := func(c string, row *int64) (string, error) { return c, nil }
	id := func(row *int64) int64 { return *row }

	p := page{list: birthDateList, after: 4, size: 2}
	edges, info, _ := connection(p, []int64{10, 20, 30}, nil, edge)
	if len(edges) != 2 || edges[0] != birthDateList.cursor(5) || edges[1] != birthDateList.cursor(6) || !info.HasNextPage || *info.EndCursor != edges[1] {
		t.Errorf("by offset: %v %+v", edges, info)
	}
	p = page{list: auditList, after: 4, size: 2}
	edges, info, _ = connection(p, []int64{10, 20}, id, edge)
	if len(edges) != 2 || edges[0] != auditList.cursor(10) || info.HasNextPage || *info.EndCursor != auditList.cursor(20) {
		t.Errorf("by ID: %v %+v", edges, info)
	}
	edges, info, _ = connection(p, []int64{}, id, edge)
	if edges == nil || len(edges) != 0 || info.HasNextPage || info.EndCursor != nil {
		t.Errorf("empty: %v %+v", edges, info)
	}
}
