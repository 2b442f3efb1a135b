package db

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cprgraph/apperr"
	"cprgraph/cpr"
)

// ResidentsQuery is one landlord lookup (Udlejersøgning, seed 000): the
// owner's CVR or CPR number, exactly one way of naming the address, and the
// period.
type ResidentsQuery struct {
	// Owner is the owner's CVR number (8 digits) or CPR number (10 digits).
	Owner string
	// DarAddressID names one dwelling by its DAR address UUID.
	DarAddressID string
	// DarHouseNumberID names a whole stairwell by its DAR house-number UUID.
	DarHouseNumberID string
	// CPRAddress names a dwelling, or without floor and door a stairwell.
	CPRAddress *CPRAddress
	// From is the first day of the period: at most 12 months back.
	From time.Time
	// To is the last day of the period; zero means today.
	To time.Time
}

// CPRAddress is an address as the CPR register writes it. Floor and door
// narrow the search: without both it names the whole stairwell.
type CPRAddress struct {
	MunicipalityCode int
	StreetCode       *int   // StreetCode or StreetName or both
	StreetName       string // case-insensitive
	HouseNumber      string // with letter, e.g. "8A"
	Floor            *string
	Door             *string
}

// DarAddress is one DAR address (dar_adresse): a dwelling, or a whole house
// number when it has neither floor nor door.
type DarAddress struct {
	ID               string `db:"id"`
	HouseNumberID    string `db:"husnummer_id"`
	MunicipalityCode int    `db:"kommune_kode"`
	StreetCode       int    `db:"vej_kode"`
	StreetName       string `db:"vejnavn"`
	HouseNumber      string `db:"husnummer"`
	Floor            string `db:"etage"`
	Door             string `db:"side_doer_nummer"`
	PostalCode       int    `db:"postnummer"`
	PostalDistrict   string `db:"postdistrikt"`
	BFE              *int64 `db:"bfe_nummer"`
}

// Label returns the address as written on a letter, e.g.
// "Dalslandsgade 8A, st. 103, 2300 København S".
func (a DarAddress) Label() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", a.StreetName, a.HouseNumber)
	switch {
	case a.Floor != "" && a.Door != "":
		fmt.Fprintf(&b, ", %s. %s", a.Floor, a.Door)
	case a.Floor != "":
		fmt.Fprintf(&b, ", %s.", a.Floor)
	case a.Door != "":
		fmt.Fprintf(&b, ", %s", a.Door)
	}
	fmt.Fprintf(&b, ", %04d %s", a.PostalCode, a.PostalDistrict)
	return b.String()
}

// Resident is one row of a landlord lookup: a person registered at the
// dwelling now, or moved out of it within the period. It carries the CPR
// number only for masking and the audit log; a landlord never sees it.
type Resident struct {
	CPR            string     `db:"cpr"`
	DarAddressID   string     `db:"dar_adresse_id"`
	AddressingName *string    `db:"adresserings_navn"`
	MoveIn         time.Time  `db:"move_in"`
	MoveOut        *time.Time `db:"move_out"`
	// Address is the dwelling's label (DarAddress.Label).
	Address string `db:"-"`
	// The dwelling's structured address, as GCTP's output gives it
	// (DAR_HUSNR_UUID, CPR_KOMK, CPR_VEJK, CPR_HUSNUMMER, CPR_ETAGE,
	// CPR_SIDEDOER); Floor and Door are nil when the dwelling has none.
	DarHouseNumberID string  `db:"-"`
	MunicipalityCode int     `db:"-"`
	MunicipalityName string  `db:"-"`
	StreetCode       int     `db:"-"`
	StreetName       string  `db:"-"`
	HouseNumber      string  `db:"-"`
	Floor            *string `db:"-"`
	Door             *string `db:"-"`

	// Protected is the resident's protection today (Person.Protected).
	Protected bool `db:"protected"`
}

// SubjectCPR returns the resident's CPR number.
func (r Resident) SubjectCPR() string { return r.CPR }

// NameAddressProtected reports whether the resident is protected today.
func (r Resident) NameAddressProtected() bool { return r.Protected }

// CompareResidentDates orders residents by move-in, then move-out (still
// living there last).
func CompareResidentDates(a, b Resident) int {
	if c := a.MoveIn.Compare(b.MoveIn); c != 0 {
		return c
	}
	switch {
	case a.MoveOut == nil && b.MoveOut == nil:
		return 0
	case a.MoveOut == nil:
		return 1
	case b.MoveOut == nil:
		return -1
	}
	return a.MoveOut.Compare(*b.MoveOut)
}

// LandlordStore runs landlord lookups over DAR addresses, the ownership
// table and the register. Whether a client may look up an owner is the
// access package's decision (access.Principal.RepresentsOwner), over the
// owner links of ClientStore read from the primary.
type LandlordStore struct {
	q sqlx.ExtContext
}

// Residents is the answer of a landlord lookup with the criteria it was
// answered on, as CPRWeb echoes them.
type Residents struct {
	Owner     string
	BFE       int64     // the property of the first dwelling answered
	OwnedFrom time.Time // the current owner's acquisition date (ejet fra) of BFE
	From, To  time.Time
	Addresses []DarAddress // the dwellings answered: those the owner currently owns
	// LeftOut are the dwellings of a stairwell that were not answered, in
	// dwelling order, each with its reason.
	LeftOut []LeftOutDwelling
	Rows    []Resident
}

// LeftOutDwelling is a dwelling of a stairwell a lookup did not answer.
type LeftOutDwelling struct {
	DarAddressID string
	// Reason is NOT_CURRENT_OWNER (another owns its property) or NO_PROPERTY
	// (no property (BFE) is registered for it).
	Reason string
}

// Reasons a dwelling of a stairwell is left out.
const (
	LeftOutNotCurrentOwner = "NOT_CURRENT_OWNER"
	LeftOutNoProperty      = "NO_PROPERTY"
)

// maxLookback is how far back the period of a landlord lookup may start.
const maxLookback = 12 // months

// Residents runs a landlord lookup with the seed's checks after the
// owner-link check. Errors: BAD_USER_INPUT for a malformed query or a
// period starting more than 12 months back; NOT_FOUND when no DAR address
// matches; NOT_CURRENT_OWNER when the owner is not the current owner of
// the property (BFE) holding the address — for a stairwell, of none of its
// dwellings. A stairwell over several properties (owner-occupied flats,
// mixed ownership) answers the dwellings the owner currently owns, each
// from its own property's acquisition date, and lists the others in
// LeftOut. The caller must already have checked that the client may use
// the landlord operation and act for q.Owner (see Normalize).
func (s *LandlordStore) Residents(ctx context.Context, q ResidentsQuery, today time.Time) (Residents, error) {
	q, err := q.Normalize(today)
	if err != nil {
		return Residents{}, err
	}
	addresses, err := s.darAddresses(ctx, q)
	if err != nil {
		return Residents{}, err
	}
	owned, ownedFrom, leftOut, err := s.ownedDwellings(ctx, addresses, q.Owner, today)
	if err != nil {
		return Residents{}, err
	}
	rows, err := s.residents(ctx, owned, ownedFrom, q.From, q.To)
	if err != nil {
		return Residents{}, err
	}
	return Residents{Owner: q.Owner, BFE: *owned[0].BFE, OwnedFrom: ownedFrom[0], From: q.From, To: q.To,
		Addresses: owned, LeftOut: leftOut, Rows: rows}, nil
}

// ownedDwellings splits the addresses into those of properties the owner
// currently owns, with each one's acquisition date, and those left out.
// None owned is NOT_CURRENT_OWNER.
func (s *LandlordStore) ownedDwellings(ctx context.Context, addresses []DarAddress, owner string, today time.Time) (
	owned []DarAddress, ownedFrom []time.Time, leftOut []LeftOutDwelling, err error) {
	acquired := map[int64]*time.Time{} // by BFE; nil: not the current owner
	for _, a := range addresses {
		if a.BFE == nil {
			leftOut = append(leftOut, LeftOutDwelling{DarAddressID: a.ID, Reason: LeftOutNoProperty})
			continue
		}
		from, seen := acquired[*a.BFE]
		if !seen {
			from, err = s.currentOwnedFrom(ctx, *a.BFE, owner, today)
			if err != nil {
				return nil, nil, nil, err
			}
			acquired[*a.BFE] = from
		}
		if from == nil {
			leftOut = append(leftOut, LeftOutDwelling{DarAddressID: a.ID, Reason: LeftOutNotCurrentOwner})
			continue
		}
		owned = append(owned, a)
		ownedFrom = append(ownedFrom, *from)
	}
	if len(owned) == 0 {
		if len(addresses) == 1 && addresses[0].BFE == nil {
			return nil, nil, nil, apperr.Errorf(apperr.NotCurrentOwner, "no property (BFE) is registered for the address")
		}
		return nil, nil, nil, apperr.Errorf(apperr.NotCurrentOwner, "the owner is not the current owner of the property holding the address")
	}
	return owned, ownedFrom, leftOut, nil
}

var (
	cvrPattern  = regexp.MustCompile(`^[0-9]{8}$`)
	uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
)

// Normalize checks q and returns it with the owner number trimmed (the
// form owner links are stored in), the address parts in the register's
// case and To defaulted to today. Every error is BAD_USER_INPUT. Normalizing
// twice changes nothing.
func (q ResidentsQuery) Normalize(today time.Time) (ResidentsQuery, error) {
	var err error
	if q.Owner, err = ownerNumber(q.Owner); err != nil {
		return q, err
	}
	if err := q.checkAddressChoice(); err != nil {
		return q, err
	}
	if q.CPRAddress != nil {
		if q.CPRAddress, err = q.CPRAddress.normalize(); err != nil {
			return q, err
		}
	}
	if q.To.IsZero() {
		q.To = today
	}
	return q, checkPeriod(q.From, q.To, today)
}

// ownerNumber returns the owner's CVR or CPR number without spaces or dash.
func ownerNumber(s string) (string, error) {
	s = strings.TrimSpace(s)
	if cvrPattern.MatchString(s) {
		return s, nil
	}
	n, err := cpr.Parse(s)
	if err != nil {
		return "", apperr.Errorf(apperr.BadUserInput, "owner must be a CVR number (8 digits) or a CPR number (10 digits)")
	}
	return n.String(), nil
}

// checkAddressChoice checks that q names its address in exactly one way and
// that DAR ids are UUIDs.
func (q ResidentsQuery) checkAddressChoice() error {
	given := 0
	for _, set := range []bool{q.DarAddressID != "", q.DarHouseNumberID != "", q.CPRAddress != nil} {
		if set {
			given++
		}
	}
	if given != 1 {
		return apperr.Errorf(apperr.BadUserInput, "give exactly one of a CPR address, a DAR address id and a DAR house-number id")
	}
	for _, id := range []string{q.DarAddressID, q.DarHouseNumberID} {
		if id != "" && !uuidPattern.MatchString(id) {
			return apperr.Errorf(apperr.BadUserInput, "not a DAR id (UUID): %q", id)
		}
	}
	return nil
}

// normalize returns the address trimmed, with the house number's letter in
// upper case and floor and door in lower case, as the register writes them.
func (a CPRAddress) normalize() (*CPRAddress, error) {
	a.StreetName = strings.TrimSpace(a.StreetName)
	a.HouseNumber = strings.ToUpper(strings.TrimSpace(a.HouseNumber))
	a.Floor = lowerTrimmed(a.Floor)
	a.Door = lowerTrimmed(a.Door)
	switch {
	case a.StreetCode == nil && a.StreetName == "":
		return nil, apperr.Errorf(apperr.BadUserInput, "a CPR address needs a street code or a street name")
	case a.HouseNumber == "":
		return nil, apperr.Errorf(apperr.BadUserInput, "a CPR address needs a house number")
	}
	return &a, nil
}

// checkPeriod checks that [from, to] starts at most maxLookback months back
// and ends by today.
func checkPeriod(from, to, today time.Time) error {
	switch earliest := today.AddDate(0, -maxLookback, 0); {
	case from.Before(earliest):
		return apperr.Errorf(apperr.BadUserInput, "the period may start at most %d months back, on %s at the earliest",
			maxLookback, earliest.Format(time.DateOnly))
	case to.Before(from):
		return apperr.Errorf(apperr.BadUserInput, "the period ends before it starts")
	case to.After(today):
		return apperr.Errorf(apperr.BadUserInput, "the period may not end after today")
	}
	return nil
}

func lowerTrimmed(s *string) *string {
	if s == nil {
		return nil
	}
	v := strings.ToLower(strings.TrimSpace(*s))
	return &v
}

const (
	darAddressSelect = `SELECT id, husnummer_id, kommune_kode, vej_kode, vejnavn, husnummer, etage,
	side_doer_nummer, postnummer, postdistrikt, bfe_nummer
	FROM dar_adresse`
	// dwellingOrder orders the dwellings of a stairwell as on its door
	// plates: the ground floor (st) after basements (kl, k1) and before the
	// numbered floors, then by door.
	dwellingOrder = ` ORDER BY CASE WHEN etage ~ '^[0-9]+$' THEN etage::integer WHEN etage = 'st' THEN 0 ELSE -1 END,
	etage, side_doer_nummer`
)

// darAddresses returns the DAR addresses q names, in dwellingOrder: one
// dwelling, or every dwelling of a stairwell. None is NOT_FOUND.
func (s *LandlordStore) darAddresses(ctx context.Context, q ResidentsQuery) ([]DarAddress, error) {
	const (
		byID          = darAddressSelect + ` WHERE id = $1`
		byHouseNumber = darAddressSelect + ` WHERE husnummer_id = $1` + dwellingOrder
		byCPRAddress  = darAddressSelect + ` WHERE kommune_kode = $1
			AND ($2::integer IS NULL OR vej_kode = $2)
			AND ($3 = '' OR lower(vejnavn) = lower($3))
			AND husnummer = $4
			AND ($5::text IS NULL OR etage = $5)
			AND ($6::text IS NULL OR side_doer_nummer = $6)` + dwellingOrder
	)
	var (
		out []DarAddress
		err error
	)
	switch {
	case q.DarAddressID != "":
		err = sqlx.SelectContext(ctx, s.q, &out, byID, q.DarAddressID)
	case q.DarHouseNumberID != "":
		err = sqlx.SelectContext(ctx, s.q, &out, byHouseNumber, q.DarHouseNumberID)
	default:
		a := q.CPRAddress
		err = sqlx.SelectContext(ctx, s.q, &out, byCPRAddress,
			a.MunicipalityCode, a.StreetCode, a.StreetName, a.HouseNumber, a.Floor, a.Door)
	}
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errNotFound("address")
	}
	return out, nil
}

// currentOwnedFrom returns the date the owner acquired the property, when it
// is a current owner of it on the given day by the ownership table
// (Ejerfortegnelsen): status 'gældende', acquired by that day and not given
// up by it. Otherwise nil.
func (s *LandlordStore) currentOwnedFrom(ctx context.Context, bfe int64, owner string, day time.Time) (*time.Time, error) {
	const query = `SELECT max(ejet_fra) FROM ejerskab
		WHERE bfe_nummer = $1 AND (ejer_cvr = $2 OR ejer_cpr = $2)
		  AND status = 'gældende' AND ejet_fra <= $3 AND (ejet_til IS NULL OR ejet_til > $3)`
	var ownedFrom *time.Time
	if err := sqlx.GetContext(ctx, s.q, &ownedFrom, query, bfe, owner, day); err != nil {
		return nil, err
	}
	return ownedFrom, nil
}

// residents returns the residents of the dwellings by the seed's rules, all
// on validity dates (tilflytnings-/fraflytningsdato), never registration
// time:
//   - persons registered at a dwelling now (folkeregisteradresse of an
//     active person, moved in by personkontakt.tilflytnings_dato), and persons
//     who moved out (historiskeadresser), whose stay overlaps [from, to];
//   - not those who moved out before ownedFrom (the owner's acquisition of
//     the dwelling's property; ownedFrom[i] is addresses[i]'s);
//   - not annulled moves: a historic stay marked 'A' (fortryd), nor a stay of
//     the same person at the same dwelling overlapping it (the move it undid);
//   - a stay corrected ('K', ret) appears once: the corrected row wins over an
//     overlapping unmarked row of the same person and dwelling (and of two
//     overlapping rows of the same rank, one is kept);
//   - a move-in before ownedFrom (or unknown) is shown as ownedFrom.
//
// Rows are ordered by dwelling (in the order given), move-in and move-out
// (current last).
func (s *LandlordStore) residents(ctx context.Context, addresses []DarAddress, ownedFrom []time.Time, from, to time.Time) ([]Resident, error) {
	// The register writes a missing floor or door as NULL, DAR as '', so
	// the indexes on the address columns can find a house number but not a
	// dwelling. The residents of each house number (one for a stairwell)
	// are therefore read once (registered, moved) and matched to the
	// dwellings in memory, rather than the house read again per dwelling;
	// a current resident's name and protection are read with it.
	const query = `WITH dwelling AS (
		SELECT a.id, a.kommune_kode, a.vej_kode, a.husnummer, a.etage, a.side_doer_nummer, given.position,
			given.owned_from
		FROM unnest($1::uuid[], $2::date[]) WITH ORDINALITY AS given (id, owned_from, position)
		JOIN dar_adresse a ON a.id = given.id
	), house AS MATERIALIZED (
		SELECT DISTINCT kommune_kode, vej_kode, husnummer FROM dwelling
	), registered AS MATERIALIZED (
		SELECT p.cpr, p.kommune_kode, p.vej_kode, p.husnummer,
			COALESCE(p.etage, '') AS etage, COALESCE(p.side_doer_nummer, '') AS side_doer_nummer,
			p.adresserings_navn, k.tilflytnings_dato::date AS move_in,
			` + protectedColumn + ` AS protected
		FROM house s
		JOIN person p ON p.kommune_kode = s.kommune_kode AND p.vej_kode = s.vej_kode AND p.husnummer = s.husnummer
		LEFT JOIN personkontakt k ON k.cpr = p.cpr
		WHERE p.status IN ('01', '03', '05', '07')
	), moved AS MATERIALIZED (
		SELECT h.id, h.cpr, h.kommune_kode, h.vej_kode, h.husnummer,
			COALESCE(h.etage, '') AS etage, COALESCE(h.side_doer_nummer, '') AS side_doer_nummer,
			h.tilflytnings_dato, h.fraflytnings_dato, h.ret_fortryd_aendring
		FROM house s
		JOIN historiskeadresser h ON h.kommune_kode = s.kommune_kode AND h.vej_kode = s.vej_kode AND h.husnummer = s.husnummer
		WHERE h.fraflytnings_dato IS NOT NULL
	), past_stay AS (
		SELECT d.id AS dar_adresse_id, d.position, d.owned_from, h.id, h.cpr, h.tilflytnings_dato::date AS move_in,
			h.fraflytnings_dato::date AS move_out,
			CASE h.ret_fortryd_aendring WHEN 'A' THEN 0 WHEN 'K' THEN 1 ELSE 2 END AS rank
		FROM moved h
		JOIN dwelling d ON d.kommune_kode = h.kommune_kode AND d.vej_kode = h.vej_kode AND d.husnummer = h.husnummer
			AND d.etage = h.etage AND d.side_doer_nummer = h.side_doer_nummer
	), stay AS (
		SELECT d.id AS dar_adresse_id, d.position, d.owned_from, r.cpr, r.adresserings_navn, r.move_in, NULL::date AS move_out,
			r.protected
		FROM registered r
		JOIN dwelling d ON d.kommune_kode = r.kommune_kode AND d.vej_kode = r.vej_kode AND d.husnummer = r.husnummer
			AND d.etage = r.etage AND d.side_doer_nummer = r.side_doer_nummer
		UNION ALL
		SELECT s.dar_adresse_id, s.position, s.owned_from, s.cpr, p.adresserings_navn, s.move_in, s.move_out,
			name_address_protected(s.cpr) AS protected
		FROM past_stay s
		LEFT JOIN person p ON p.cpr = s.cpr
		WHERE s.rank > 0 AND NOT EXISTS (
			SELECT 1 FROM past_stay o
			WHERE o.cpr = s.cpr AND o.dar_adresse_id = s.dar_adresse_id AND o.id <> s.id
			  AND COALESCE(o.move_in, '-infinity') <= s.move_out AND COALESCE(s.move_in, '-infinity') <= o.move_out
			  AND (o.rank < s.rank OR (o.rank = s.rank AND o.id > s.id)))
	)
	SELECT dar_adresse_id, cpr, adresserings_navn, GREATEST(move_in, owned_from) AS move_in, move_out,
		protected
	FROM stay
	WHERE COALESCE(move_in, '-infinity') <= $4::date
	  AND (move_out IS NULL OR move_out >= GREATEST(owned_from, $3::date))
	ORDER BY position, move_in, move_out NULLS LAST, cpr`

	ids := make([]string, len(addresses))
	byID := make(map[string]DarAddress, len(addresses))
	for i, a := range addresses {
		ids[i] = a.ID
		byID[a.ID] = a
	}
	var rows []Resident
	days := make([]string, len(ownedFrom))
	for i, d := range ownedFrom {
		days[i] = d.Format(time.DateOnly)
	}
	if err := sqlx.SelectContext(ctx, s.q, &rows, query, pq.Array(ids), pq.Array(days), from, to); err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].setDwelling(byID[rows[i].DarAddressID])
	}
	return rows, nil
}

// setDwelling fills in the row's address from its DAR address.
func (r *Resident) setDwelling(a DarAddress) {
	r.Address = a.Label()
	r.DarHouseNumberID = a.HouseNumberID
	r.MunicipalityCode = a.MunicipalityCode
	r.MunicipalityName, _ = cpr.Municipality(a.MunicipalityCode)
	r.StreetCode = a.StreetCode
	r.StreetName = a.StreetName
	r.HouseNumber = a.HouseNumber
	r.Floor, r.Door = optional(a.Floor), optional(a.Door)
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Street is a street (vej) of a municipality, by DAR's addresses.
type Street struct {
	MunicipalityCode int    `db:"kommune_kode"`
	Code             int    `db:"vej_kode"`
	Name             string `db:"vejnavn"`
}

// MaxStreets is the most streets Streets answers.
const MaxStreets = 50

// Streets returns at most limit streets of the municipality whose name
// starts with prefix (case-insensitive), by name: the street suggestions of
// the landlord client. An empty prefix or a limit outside 1..MaxStreets is
// BAD_USER_INPUT.
func (s *LandlordStore) Streets(ctx context.Context, municipalityCode int, prefix string, limit int) ([]*Street, error) {
	const query = `SELECT DISTINCT kommune_kode, vej_kode, vejnavn FROM dar_adresse
		WHERE kommune_kode = $1 AND lower(vejnavn) LIKE $2 || '%'
		ORDER BY vejnavn, vej_kode LIMIT $3`
	prefix = strings.ToLower(strings.TrimSpace(prefix))
	switch {
	case prefix == "":
		return nil, apperr.Errorf(apperr.BadUserInput, "give the first letters of the street name")
	case limit < 1 || limit > MaxStreets:
		return nil, apperr.Errorf(apperr.BadUserInput, "first must be between 1 and %d", MaxStreets)
	}
	escaped := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(prefix)
	out := []*Street{}
	err := sqlx.SelectContext(ctx, s.q, &out, query, municipalityCode, escaped, limit)
	return out, err
}
