package access

import (
	"context"
	"slices"

	"cprgraph/apperr"
)

// Profile is a disclosure profile: it decides which operations a principal
// may be granted and what it sees of protected persons.
type Profile string

// The disclosure profiles of DESIGN.md.
const (
	// Authority (public authority) sees every field, protected persons included.
	Authority Profile = "AUTHORITY"
	// Private (private company) never sees the name or address of a person
	// with active name-and-address protection.
	Private Profile = "PRIVATE"
	// Landlord may only run the landlord lookup, for its linked owner numbers.
	Landlord Profile = "LANDLORD"
	// Admin manages organisations, clients and owner links and reads the audit log.
	Admin Profile = "ADMIN"
	// Citizen is a person asking who looked up their own CPR number (the
	// right of access to the audit log), and nothing else: see OwnNumber.
	Citizen Profile = "CITIZEN"
)

// Profiles lists every profile.
var Profiles = []Profile{Authority, Private, Landlord, Admin, Citizen}

// MaxSearchHits is the most persons a person search (PersonSøg) answers,
// as seed 001's operation does: a search matching more answers these and
// says so (refine the search), and cannot be paged past them, so a name
// and address search cannot enumerate a street.
const MaxSearchHits = 9

// Valid reports whether p is a known profile.
func (p Profile) Valid() bool { return slices.Contains(Profiles, p) }

// Operation is a group of GraphQL fields that a client is granted as a scope.
type Operation string

// The operations. The string is the scope name a client must hold.
const (
	OpPerson         Operation = "person"          // PersonStamoplysningerMultiHent
	OpSearch         Operation = "search"          // PersonSøg, PersonkredsSøg
	OpAddressHistory Operation = "address_history" // PersonAdresseHistorikSamlingHent
	OpHousehold      Operation = "household"       // PersonBopælsamlingHent
	OpEvents         Operation = "events"          // PersonHændelseSamlingHent
	OpCohabitation   Operation = "cohabitation"    // SamboendeOpslag
	OpLandlord       Operation = "landlord"        // Udlejersøgning
	OpAdmin          Operation = "admin"           // organisations, clients, owner links
	OpAudit          Operation = "audit"           // reading the audit log
	OpMyLookups      Operation = "my_lookups"      // a citizen's own reads in the audit log
)

// Operations lists every operation.
var Operations = []Operation{OpPerson, OpSearch, OpAddressHistory, OpHousehold, OpEvents, OpCohabitation, OpLandlord, OpAdmin, OpAudit, OpMyLookups}

// allowed is the ceiling of each profile: a scope outside it has no effect.
var allowed = map[Profile][]Operation{
	Authority: {OpPerson, OpSearch, OpAddressHistory, OpHousehold, OpEvents, OpCohabitation, OpAudit},
	Private:   {OpPerson, OpSearch, OpAddressHistory, OpHousehold, OpEvents, OpCohabitation},
	Landlord:  {OpLandlord},
	Admin:     {OpAdmin, OpAudit},
	Citizen:   {OpMyLookups},
}

// DefaultScopes returns every operation the profile may be granted.
func DefaultScopes(p Profile) []string {
	var out []string
	for _, op := range allowed[p] {
		out = append(out, string(op))
	}
	return out
}

// Audited reports whether a call of op is written to the audit log: every
// operation that returns person data, and reading the audit log itself (it
// tells who was looked up). Only the management of clients is not.
func (op Operation) Audited() bool {
	return op != OpAdmin
}

// GrantScopes returns the scopes a new client of profile p gets: scopes, or
// every operation of the profile when scopes is empty. An unknown profile, or
// a scope the profile may not hold, is BAD_USER_INPUT.
func GrantScopes(p Profile, scopes []string) ([]string, error) {
	if !p.Valid() {
		return nil, apperr.Errorf(apperr.BadUserInput, "unknown profile %q (want one of %v)", p, Profiles)
	}
	if len(scopes) == 0 {
		return DefaultScopes(p), nil
	}
	var out []string
	for _, s := range scopes {
		if !slices.Contains(allowed[p], Operation(s)) {
			return nil, apperr.Errorf(apperr.BadUserInput, "the %s profile may not hold scope %q (allowed: %v)", p, s, DefaultScopes(p))
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// Principal is the authenticated caller of a request.
type Principal struct {
	ClientID       int64
	ClientName     string
	OrganisationID int64
	Profile        Profile
	Scopes         []string
	// OwnerClaim narrows a LANDLORD principal to these owner CVR and CPR
	// numbers (the owners claim of its JWT); nil: no narrowing (API keys,
	// JWTs without the claim). It never widens: see OwnerNumbers.
	OwnerClaim []string
	// Purpose is the caller's stated purpose of the request (audited).
	Purpose string
	// CitizenCPR is a CITIZEN's own CPR number, the subject of its JWT
	// (auth checks it is one); "" for every other principal and for a
	// CITIZEN API client, which has no number of its own: see OwnNumber.
	CitizenCPR string
	// DailyQuota is the most requests an API client may make per Danish
	// calendar day (nil: none; JWT principals have none): see CheckQuota.
	DailyQuota *int
	// Purposes are the registered purposes an API client is restricted to
	// (nil: any purpose; JWT principals are not restricted): see
	// checkPurpose.
	Purposes []string
}

// May reports whether the principal may call op: its profile allows it and
// it holds the scope.
func (p *Principal) May(op Operation) bool {
	return p != nil && slices.Contains(allowed[p.Profile], op) && slices.Contains(p.Scopes, string(op))
}

// OwnerNumbers returns the owner CVR and CPR numbers the principal may run
// the landlord lookup for, given its organisation's owner links: the links,
// intersected with the JWT's owners claim when the token has one. A claim
// can narrow a token to fewer owners than the organisation's, never add one.
func (p *Principal) OwnerNumbers(links []string) []string {
	if p == nil || p.Profile != Landlord {
		return nil
	}
	if p.OwnerClaim == nil {
		return slices.Clone(links)
	}
	var out []string
	for _, n := range links {
		if slices.Contains(p.OwnerClaim, n) {
			out = append(out, n)
		}
	}
	return out
}

// RepresentsOwner is the landlord lookup's second check (seed 000): nil
// when the principal may act for the owner with this CVR or CPR number,
// OWNER_NOT_LINKED otherwise. links are the organisation's owner links as
// they are now: the caller reads them from the primary database, never a
// replica, so that an unlinked owner is refused at once.
func (p *Principal) RepresentsOwner(owner string, links []string) error {
	if !slices.Contains(p.OwnerNumbers(links), owner) {
		return apperr.Errorf(apperr.OwnerNotLinked, "the owner number is not linked to your organisation")
	}
	return nil
}

// OwnNumber is the one CPR number whose reads the principal may list
// (myLookups): a CITIZEN's own, from its token. ok is false for a principal
// without one (an API client of the CITIZEN profile, any other profile),
// which lists nothing.
func (p *Principal) OwnNumber() (cpr string, ok bool) {
	if p == nil || p.Profile != Citizen || p.CitizenCPR == "" {
		return "", false
	}
	return p.CitizenCPR, true
}

type principalKey struct{}

// NewContext returns ctx carrying the principal.
func NewContext(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal of the request, or nil.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// Authorize is the gate every operation passes before it reads: it returns
// the principal, or UNAUTHENTICATED without one and FORBIDDEN when the
// principal may not call op. An authorized call of an audited operation is
// noted in the request's audit record.
func Authorize(ctx context.Context, op Operation) (*Principal, error) {
	p := FromContext(ctx)
	if p == nil {
		return nil, apperr.Errorf(apperr.Unauthenticated, "authentication required")
	}
	if !p.May(op) {
		return nil, apperr.Errorf(apperr.Forbidden, "the %s profile of this client may not use the %s operation", p.Profile, op)
	}
	if err := p.checkPurpose(); err != nil {
		return nil, err
	}
	if op.Audited() {
		RecordFrom(ctx).addOperation(op)
	}
	return p, nil
}

// RefusedAtGate reports whether err is Authorize's refusal of a call
// (UNAUTHENTICATED, FORBIDDEN, PURPOSE_NOT_REGISTERED): the call read
// nothing, so its answer tells nothing about the numbers it names.
func RefusedAtGate(err error) bool {
	switch apperr.CodeOf(err) {
	case apperr.Unauthenticated, apperr.Forbidden, apperr.PurposeNotRegistered:
		return true
	}
	return false
}

// Authenticated is the gate of the fields every profile may read about the
// caller itself (the viewer query): it returns the principal, or
// UNAUTHENTICATED without one. Such fields hold no person data, so the call
// is not noted in the audit record.
func Authenticated(ctx context.Context) (*Principal, error) {
	p := FromContext(ctx)
	if p == nil {
		return nil, apperr.Errorf(apperr.Unauthenticated, "authentication required")
	}
	return p, nil
}
