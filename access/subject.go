package access

import (
	"slices"
	"time"

	"cprgraph/apperr"
	"cprgraph/cpr"
)

// Subject is an object in the graph that belongs to one person and so may be
// under name-and-address protection: a person, a household member, a
// landlord-lookup row, a change event. The GraphQL layer shows a masked
// subject only through the fields its schema marks @unmasked.
type Subject interface {
	// SubjectCPR is the person's CPR number (recorded in the audit log).
	SubjectCPR() string
	// NameAddressProtected reports whether the person has a name-and-address
	// protection in force, as the database's name_address_protected judged
	// it when the subject was read: every source, every CPR number of the
	// person, failing closed (see the package doc).
	NameAddressProtected() bool
}

// Masks reports whether p must not see the name and address of s. Only
// AUTHORITY sees protected persons unmasked.
func Masks(p *Principal, s Subject) bool {
	return !SeesProtected(p) && s.NameAddressProtected()
}

// Replaced is a subject whose CPR number may have been replaced by a new
// one (omplaceret): ReplacedBy is the new number, or nil.
type Replaced interface {
	ReplacedBy() *string
}

// replacedShows are the Person fields a replaced number answers with.
var replacedShows = map[string]bool{"cpr": true, "newCpr": true, "protected": true, "asOf": true, "knownAt": true}

// WithholdsReplaced reports whether field of s is withheld because s's
// number was replaced: seed 001's PersonStamoplysningerMultiHent answers a
// number that was later replaced "udelukkende [med] det nye nummer, dvs.
// ingen yderligere oplysninger". Only the number, the new number (itself
// masked for a protected person: Masks applies first), the protection
// marker and the view read in remain, for every profile, wherever the person
// appears in the graph.
func WithholdsReplaced(s Subject, field string) bool {
	r, ok := s.(Replaced)
	return ok && r.ReplacedBy() != nil && !replacedShows[field]
}

// SeesProtected reports whether p sees the name and address of protected
// persons (AUTHORITY only). A search by name or address leaves protected
// persons out for everyone else, so it cannot confirm them.
func SeesProtected(p *Principal) bool {
	return p != nil && p.Profile == Authority
}

// Today returns the current calendar date in Denmark: the day the landlord
// lookup's period and the cohabitation check are judged on (protections are
// judged in the database, on its danish_today(), the same day).
func Today() time.Time { return cpr.DanishDate(time.Now()) }

// MaskedLast returns rows with the subjects that p must not see moved to
// the end, keeping the order within both parts, so that a list ordered by
// address or name does not give a masked subject's address or name away by
// its place. rows itself is left as it is (it may be shared by resolvers
// running at the same time).
func MaskedLast[T Subject](p *Principal, rows []T) []T {
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(a, b T) int {
		ma, mb := Masks(p, a), Masks(p, b)
		switch {
		case ma == mb:
			return 0
		case mb:
			return -1
		default:
			return 1
		}
	})
	return out
}

// Stricter returns the one of a and b that is protected, or a when
// neither or both are: the subject of a value that shows data of both
// persons, so that it is masked when either is protected.
func Stricter(a, b Subject) Subject {
	if !a.NameAddressProtected() && b.NameAddressProtected() {
		return b
	}
	return a
}

// WithholdDerived refuses a derived answer — a yes/no, a date or a rule
// computed from several persons' registered facts (sharedAddress,
// cohabitation) — with WITHHELD when any participant is protected and p may
// not see protected persons: bisecting such an answer over chosen windows
// would recover the protected person's facts. Its outcome depends only on
// who takes part, never on what the answer would have been.
func WithholdDerived(p *Principal, participants ...Subject) error {
	if SeesProtected(p) {
		return nil
	}
	for _, s := range participants {
		if s.NameAddressProtected() {
			return apperr.Errorf(apperr.Withheld, "withheld: a person with name-and-address protection takes part, and this client may not see protected persons")
		}
	}
	return nil
}

// AuditNumbersShown returns the CPR numbers of an audit row that p may
// read: every one for AUTHORITY; for any other reader (ADMIN), only those
// of persons who are not protected (protected says who is). Which lookups
// touched a protected person would tell whom it lives with and where.
func AuditNumbersShown(p *Principal, numbers []string, protected map[string]bool) []string {
	if SeesProtected(p) {
		return numbers
	}
	return slices.DeleteFunc(slices.Clone(numbers), func(n string) bool { return protected[n] })
}

// AuditLookupOf refuses a reader who may not see protected persons the
// audit log of a protected person (WITHHELD).
func AuditLookupOf(p *Principal, protected bool) error {
	if protected && !SeesProtected(p) {
		return apperr.Errorf(apperr.Withheld, "withheld: the person has name-and-address protection, and this client may not see protected persons")
	}
	return nil
}

// LandlordRows returns the rows of a landlord lookup over the given number
// of dwellings that p may see, in an order that says nothing of where a
// protected resident lives. A protected resident is at most a dated marker,
// and only in a lookup of several dwellings (a stairwell): in a lookup of
// one dwelling the marker would place the person in it, so it is left out.
// Markers come last, ordered by their dates alone (byDates), not by
// dwelling.
func LandlordRows[T Subject](p *Principal, rows []T, dwellings int, byDates func(a, b T) int) []T {
	if !SeesProtected(p) && dwellings == 1 {
		rows = slices.DeleteFunc(slices.Clone(rows), func(r T) bool { return r.NameAddressProtected() })
	}
	out := MaskedLast(p, rows)
	if i := slices.IndexFunc(out, func(r T) bool { return Masks(p, r) }); i >= 0 {
		slices.SortStableFunc(out[i:], byDates)
	}
	return out
}

// SearchExcludesProtected reports whether a search that places persons —
// PersonSøg by name and address, a birth-date circle narrowed to a
// municipality (byPlace) — must leave protected persons out for p: a hit
// would confirm a protected person's name or address.
func SearchExcludesProtected(p *Principal, byPlace bool) bool {
	return byPlace && !SeesProtected(p)
}
