package db

import (
	"database/sql"
	"errors"

	"github.com/lib/pq"

	"cprgraph/apperr"
)

// notFound turns sql.ErrNoRows into a NOT_FOUND error naming what was
// looked for; other errors pass through.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return errNotFound(what)
	}
	return err
}

func errNotFound(what string) error {
	return apperr.Errorf(apperr.NotFound, "%s not found", what)
}

// constraint translates a write's constraint violation into the error
// vocabulary: a unique violation is CONFLICT ("<what> already exists"), a
// check violation BAD_USER_INPUT, a missing referenced row NOT_FOUND. Other
// errors pass through. The messages never echo the values written.
func constraint(err error, what string) error {
	var pqErr *pq.Error
	if !errors.As(err, &pqErr) {
		return err
	}
	switch pqErr.Code.Name() {
	case "unique_violation":
		return apperr.Errorf(apperr.Conflict, "%s already exists", what)
	case "check_violation":
		return apperr.Errorf(apperr.BadUserInput, "invalid %s (%s)", what, pqErr.Constraint)
	case "foreign_key_violation":
		return apperr.Errorf(apperr.NotFound, "%s refers to a row that does not exist", what)
	}
	return err
}
