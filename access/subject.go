package access

import (
	"slices"
	"time"

	"cprgraph/cpr"
)

// Subject is an object in the graph that belongs to one person and so may be
// under name-and-address protection: a person, a household member, a
// landlord-lookup row, a change event. The GraphQL layer shows a masked
// subject only through the fields its schema marks @unmasked.
type Subject interface {
	// SubjectCPR is the person's CPR number (recorded in the audit log).
	SubjectCPR() string
	// NameAddressProtection returns the protection's start and delete date.
	NameAddressProtection() (start, deleteDate *time.Time)
}

// Protected reports whether s has an active name-and-address protection on
// the given day: start ≤ day < delete date.
func Protected(s Subject, day time.Time) bool {
	start, end := s.NameAddressProtection()
	return cpr.ProtectionActive(start, end, day)
}

// Masks reports whether p must not see the name and address of s on the
// given day. Only AUTHORITY sees protected persons unmasked.
func Masks(p *Principal, s Subject, day time.Time) bool {
	return !SeesProtected(p) && Protected(s, day)
}

// SeesProtected reports whether p sees the name and address of protected
// persons (AUTHORITY only). A search by name or address leaves protected
// persons out for everyone else, so it cannot confirm them.
func SeesProtected(p *Principal) bool {
	return p != nil && p.Profile == Authority
}

// Today returns the current calendar date in Denmark, the day protections
// are judged on.
func Today() time.Time { return cpr.DanishDate(time.Now()) }

// MaskedLast moves the subjects that p must not see to the end of rows,
// keeping the order within both parts, so that a list ordered by address or
// name does not give a masked subject's address or name away by its place.
func MaskedLast[T Subject](p *Principal, rows []T, day time.Time) {
	slices.SortStableFunc(rows, func(a, b T) int {
		ma, mb := Masks(p, a, day), Masks(p, b, day)
		switch {
		case ma == mb:
			return 0
		case mb:
			return -1
		default:
			return 1
		}
	})
}

// Stricter returns the one of a and b that is protected on day, or a when
// neither or both are: the subject of a value that shows data of both
// persons, so that it is masked when either is protected.
func Stricter(a, b Subject, day time.Time) Subject {
	if !Protected(a, day) && Protected(b, day) {
		return b
	}
	return a
}
