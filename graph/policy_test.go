package graph

import (
	"reflect"
	"testing"
	"time"

	"cprgraph/db"
	"cprgraph/graph/model"
)

// TestMayHoldSubjectSkipsOnlyValuesThatCannotHoldAPerson: the audit
// recording skips walking a field value only when its type cannot hold a
// subject within the depth it looks.
func TestMayHoldSubjectSkipsOnlyValuesThatCannotHoldAPerson(t *testing.T) {
	for _, tc := range []struct {
		value any
		depth int
		want  bool
	}{
		{&db.Person{}, 0, true},
		{[]*db.Person{}, 1, true},
		{[]db.HouseholdMember{}, 1, true},
		{&model.PersonEventConnection{}, maxSubjectDepth, true}, // edges → edge → node (an interface)
		{[]any{}, 1, true},
		{&db.Address{}, maxSubjectDepth, false},
		{[]time.Time{}, maxSubjectDepth, false},
		{[]*db.Person{}, 0, false}, // beyond the depth recordSubjects looks
	} {
		if got := mayHoldSubject(reflect.TypeOf(tc.value), tc.depth); got != tc.want {
			t.Errorf("mayHoldSubject(%T, %d) = %v, want %v", tc.value, tc.depth, got, tc.want)
		}
	}
}
