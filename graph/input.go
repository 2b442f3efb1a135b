package graph

import (
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
