package db

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"syscall"

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

// Unavailable reports whether err means the database cannot be reached or
// is not accepting work (refused, reset or lost connections; PostgreSQL
// shutting down, starting up or in recovery): an outage a client may retry
// after, not a fault of its request.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		code := string(pqErr.Code)
		return pqErr.Code.Class() == "08" || code == "57P01" || code == "57P02" || code == "57P03" || code == "53300"
	}
	var opErr *net.OpError
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ENOENT) || errors.As(err, &opErr)
}
