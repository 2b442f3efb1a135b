package scalar

import (
	"time"

	"github.com/99designs/gqlgen/graphql"

	"cprgraph/apperr"
)

// MarshalTime writes an instant as RFC 3339 (with fractional seconds).
func MarshalTime(t time.Time) graphql.Marshaler { return graphql.MarshalTime(t) }

// UnmarshalTime reads an RFC 3339 instant; anything else is BAD_USER_INPUT.
func UnmarshalTime(v any) (time.Time, error) {
	if s, ok := v.(string); ok {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, apperr.Errorf(apperr.BadUserInput, "Time must be an RFC 3339 instant, e.g. 2025-01-31T09:30:00Z")
}
