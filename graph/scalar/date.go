// Package scalar holds the custom GraphQL scalars of the schema.
package scalar

import (
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"cprgraph/apperr"
)

// Date is a calendar date, marshalled as YYYY-MM-DD.
type Date time.Time

// MarshalGQL writes the date as a quoted ISO 8601 date.
func (d Date) MarshalGQL(w io.Writer) {
	io.WriteString(w, strconv.Quote(time.Time(d).Format(time.DateOnly)))
}

// UnmarshalGQL reads a YYYY-MM-DD string; anything else is BAD_USER_INPUT.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return apperr.Errorf(apperr.BadUserInput, "Date must be a string YYYY-MM-DD")
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return apperr.Errorf(apperr.BadUserInput, "Date must be YYYY-MM-DD: %q", s)
	}
	*d = Date(t)
	return nil
}

// MarshalTimeDate writes a time.Time as the quoted calendar date of its own
// location; it lets domain types keep time.Time fields for Date.
func MarshalTimeDate(t time.Time) graphql.Marshaler {
	return Date(t)
}

// UnmarshalTimeDate reads a YYYY-MM-DD string into a time.Time at midnight UTC.
func UnmarshalTimeDate(v any) (time.Time, error) {
	var d Date
	err := d.UnmarshalGQL(v)
	return time.Time(d), err
}
