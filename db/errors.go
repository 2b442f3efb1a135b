package db

import (
	"database/sql"
	"errors"

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
