package graph

import (
	"strconv"

	"cprgraph/apperr"
	"cprgraph/cpr"
)

// parseCPR parses a CPR number argument; a malformed one is BAD_USER_INPUT
// naming the number, as CSR-P does ("CPR-nummer er ikke korrekt").
func parseCPR(s string) (string, error) {
	n, err := cpr.Parse(s)
	if err != nil {
		return "", apperr.Errorf(apperr.BadUserInput, "CPR-nummer er ikke korrekt: %s", s)
	}
	return n.String(), nil
}

// errUnknownCPR is the error for a well-formed number not in the register.
func errUnknownCPR(s string) error {
	return apperr.Errorf(apperr.NotFound, "CPR-nummer er ikke korrekt: %s (findes ikke)", s)
}

// parseID parses the ID of an organisation, client or audit row.
func parseID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.Errorf(apperr.BadUserInput, "not an ID: %q", s)
	}
	return id, nil
}

// pointers returns pointers to the elements of s, as gqlgen's lists want.
func pointers[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}
