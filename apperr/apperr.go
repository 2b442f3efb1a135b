// Package apperr is the application's small, closed error vocabulary. Every
// error shown to a client carries one of these codes (in GraphQL responses as
// extensions.code); any other error is internal and is never shown.
package apperr

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Code is a stable, machine-readable error code.
type Code string

// The error codes clients can rely on.
const (
	Unauthenticated Code = "UNAUTHENTICATED"
	Forbidden       Code = "FORBIDDEN"
	BadUserInput    Code = "BAD_USER_INPUT"
	NotFound        Code = "NOT_FOUND"
	RateLimited     Code = "RATE_LIMITED"
	TooComplex      Code = "QUERY_TOO_COMPLEX" // depth or complexity limit
	TooLarge        Code = "PAYLOAD_TOO_LARGE" // request body size limit
	Conflict        Code = "CONFLICT"
	Internal        Code = "INTERNAL"
	// Unavailable: the database is down (HTTP 503 with Retry-After); the
	// same request may be retried after that many seconds.
	Unavailable Code = "UNAVAILABLE"
	// TooSlow ends a subscription whose client does not keep up; it may
	// resume from its last cursor.
	TooSlow Code = "SUBSCRIBER_TOO_SLOW"

	// OwnerNotLinked (a kind of FORBIDDEN): the landlord lookup's owner
	// number is not linked to the caller's organisation.
	OwnerNotLinked Code = "OWNER_NOT_LINKED"
	// NotCurrentOwner (a kind of FORBIDDEN): the owner is not the current
	// owner of the property holding the address.
	NotCurrentOwner Code = "NOT_CURRENT_OWNER"
	// OwnerNotEligible: an owner link was refused because the owner does
	// not hold more than 10 dwellings (seed 000's condition for access).
	OwnerNotEligible Code = "OWNER_NOT_ELIGIBLE"

	// Withheld: the answer would be computed from the facts of a person
	// with name-and-address protection whom the caller may not see
	// (sharedAddress, cohabitation). It is given whatever the answer
	// would have been, so it tells nothing but that a protected person
	// takes part.
	Withheld Code = "WITHHELD"
	// PersonBudgetExceeded: the request would read more distinct persons
	// than access.PersonBudget across all its fields and aliases.
	PersonBudgetExceeded Code = "PERSON_BUDGET_EXCEEDED"
	// QuotaExceeded: the client has used its daily lookup quota; the error
	// says when it resets (HTTP 429 with Retry-After).
	QuotaExceeded Code = "QUOTA_EXCEEDED"

	// PersistedQueryNotAllowed: in allow-list mode (PERSISTED_QUERIES=
	// allowlist) the document is not registered.
	PersistedQueryNotAllowed Code = "PERSISTED_QUERY_NOT_ALLOWED"

	// PurposeNotRegistered: the client is restricted to registered
	// purposes and the request states none of them (access rule 20).
	PurposeNotRegistered Code = "PURPOSE_NOT_REGISTERED"
)

// Error is an error meant for the client: its message is safe to show.
type Error struct {
	Code    Code
	Message string
	// Extensions are facts beside the code a client may act on, e.g. when
	// a quota resets; shown in extensions next to code.
	Extensions map[string]any
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of err, or Internal when err is not an *Error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns the client-safe message of err, or a generic message for
// internal errors.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// WriteHTTP writes err as a GraphQL-shaped response with the given HTTP
// status, for refusals made before GraphQL runs (authentication, limits).
func WriteHTTP(w http.ResponseWriter, status int, err *Error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": err.Message, "extensions": err.extensions()}},
	})
}

// extensions returns the error's extensions with its code.
func (e *Error) extensions() map[string]any {
	ext := map[string]any{"code": string(e.Code)}
	for k, v := range e.Extensions {
		if k != "code" {
			ext[k] = v
		}
	}
	return ext
}

// ExtensionsOf returns the GraphQL extensions of err: its code and
// Extensions, or just INTERNAL when err is not an *Error.
func ExtensionsOf(err error) map[string]any {
	var e *Error
	if errors.As(err, &e) {
		return e.extensions()
	}
	return map[string]any{"code": string(Internal)}
}
