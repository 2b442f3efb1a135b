// Package scalar holds the custom GraphQL scalars of the schema.
package scalar

import (
	"fmt"
	"io"
	"strconv"
	"time"
)

// Date is a calendar date, marshalled as YYYY-MM-DD.
type Date time.Time

// MarshalGQL writes the date as a quoted ISO 8601 date.
func (d Date) MarshalGQL(w io.Writer) {
	io.WriteString(w, strconv.Quote(time.Time(d).Format(time.DateOnly)))
}

// UnmarshalGQL reads a YYYY-MM-DD string.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("Date must be a string YYYY-MM-DD")
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return fmt.Errorf("Date must be YYYY-MM-DD: %q", s)
	}
	*d = Date(t)
	return nil
}
