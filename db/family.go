package db

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/cpr"
)

// RelationCode is a person's family relation to another person
// (PersonTilknytningKode): what the relative is to the person.
type RelationCode string

// The relation codes.
const (
	RelationSelf    RelationCode = "SELF"
	RelationSpouse  RelationCode = "SPOUSE"  // ægtefælle (civil status G)
	RelationPartner RelationCode = "PARTNER" // registreret partner (civil status P)
	RelationMother  RelationCode = "MOTHER"
	RelationFather  RelationCode = "FATHER"
	RelationChild   RelationCode = "CHILD"
)

// Relation is one relative of a person: the relative's CPR number or, for a
// relative without one, the name and birth date the register holds.
type Relation struct {
	Code      RelationCode
	CPR       *string
	Name      *string
	BirthDate *time.Time
	// Since is when the relation was registered: the civil status start for
	// a spouse, the mother and father dates (mor/far dato) for parents.
	Since *time.Time
	// The uncertainty markers of Name, BirthDate and Since.
	NameMark, BirthDateMark, SinceMark *string
	// RecordID and Unreliable are the barnrelation record's, for a child.
	RecordID, Unreliable *string
	// View is the view the relation was read in; the relative is read in it too.
	View View
}

// Relations returns the person's current spouse or partner, mother, father
// and the given children (from Children), in that order.
func (p Person) Relations(children []ChildRelation) []Relation {
	f, v := p.Family, p.View()
	var out []Relation
	if spouse := p.SpouseCPR(); spouse != nil {
		code := RelationSpouse
		if cpr.CivilStatus(*f.CivilStatus) == cpr.CivilRegisteredPartnership {
			code = RelationPartner
		}
		out = append(out, Relation{Code: code, CPR: spouse, Since: f.CivilStatusStart, SinceMark: f.CivilStatusStartMark, View: v})
	}
	if f.MotherCPR != nil || f.MotherName != nil {
		out = append(out, Relation{Code: RelationMother, CPR: f.MotherCPR, Name: f.MotherName, BirthDate: f.MotherBirthDate, Since: f.MotherDate,
			NameMark: f.MotherNameMark, BirthDateMark: f.MotherBirthDateMark, SinceMark: f.MotherDateMark, View: v})
	}
	if f.FatherCPR != nil || f.FatherName != nil {
		out = append(out, Relation{Code: RelationFather, CPR: f.FatherCPR, Name: f.FatherName, BirthDate: f.FatherBirthDate, Since: f.FatherDate,
			NameMark: f.FatherNameMark, BirthDateMark: f.FatherBirthDateMark, SinceMark: f.FatherDateMark, View: v})
	}
	for _, c := range children {
		out = append(out, Relation{Code: RelationChild, CPR: &c.ChildCPR, RecordID: &c.ID, Unreliable: c.Unreliable, View: v})
	}
	return out
}

// ChildRelation is one barnrelation record: a parent and a child.
type ChildRelation struct {
	ID         string  `db:"id"`
	ParentCPR  string  `db:"cpr"`
	ChildCPR   string  `db:"barn_cpr"`
	Unreliable *string `db:"unreliable"`
}

// Children returns the children (barnrelation) of each of the persons, by
// the parent's CPR number, in the children's CPR-number order.
func (s *RegisterStore) Children(ctx context.Context, cprs []string) (map[string][]ChildRelation, error) {
	const query = `SELECT id, cpr, barn_cpr, unreliable FROM barnrelation WHERE cpr = ANY($1) ORDER BY cpr, barn_cpr, id`
	return selectByCPR(ctx, s.q, query, cprs, func(r ChildRelation) string { return r.ParentCPR })
}

// Custody is one holder of parental custody (forældremyndighed) over a
// child (foraeldremyndighedrelation). HolderCPR is the relation CPR number
// for another holder (0005, 0006) and the child's mother or father (from
// personfamilie) for 0003 and 0004.
type Custody struct {
	ChildCPR          string     `db:"cpr"`
	TypeCode          string     `db:"type_kode"`
	TypeText          string     `db:"type_tekst"`
	HolderCPR         *string    `db:"holder_cpr"`
	StartDate         *time.Time `db:"foraeldre_myndighed_start_dato"`
	DeleteDate        *time.Time `db:"foraeldre_myndighed_slette_dato"`
	RelationStartDate *time.Time `db:"relation_cpr_start_dato"`
	StartDateMark     *string    `db:"foraeldre_myndighed_start_dato_markering"`
	RecordID          string     `db:"id"`
	Unreliable        *string    `db:"unreliable"`
	// View is the view the record was read in; the holder is read in it too.
	View View `db:"-"`
}

// CustodyOf returns the custody holders of each of the children, by the
// child's CPR number.
func (s *RegisterStore) CustodyOf(ctx context.Context, cprs []string) (map[string][]Custody, error) {
	const query = `SELECT r.cpr, r.type_kode, r.type_tekst,
		COALESCE(r.relation_cpr, CASE r.type_kode WHEN '0003' THEN f.mor_cpr WHEN '0004' THEN f.far_cpr END) AS holder_cpr,
		r.foraeldre_myndighed_start_dato, r.foraeldre_myndighed_slette_dato, r.relation_cpr_start_dato,
		r.foraeldre_myndighed_start_dato_markering, r.id, r.unreliable
		FROM foraeldremyndighedrelation r LEFT JOIN personfamilie f ON f.cpr = r.cpr
		WHERE r.cpr = ANY($1)
		ORDER BY r.cpr, r.type_kode, r.id`
	m, err := selectByCPR(ctx, s.q, query, cprs, func(r Custody) string { return r.ChildCPR })
	inView(s.view, m, func(r *Custody) { r.View = s.view })
	return inForceOn(s.view, m, func(r Custody) (start, end *time.Time) { return r.StartDate, r.DeleteDate }), err
}

// Guardianship is a deprivation of legal capacity (umyndiggørelse) and the
// guardian (værge) appointed (umyndiggoerelsevaergerelation). A guardian in
// CPR has GuardianCPR; one outside CPR has a name and address lines.
type Guardianship struct {
	CPR               string     `db:"cpr"`
	TypeCode          string     `db:"type_kode"`
	TypeText          string     `db:"type_tekst"`
	IncapacityStart   *time.Time `db:"umyndig_start_dato"`
	IncapacityEnd     *time.Time `db:"umyndig_slette_dato"`
	GuardianCPR       *string    `db:"relation_cpr"`
	GuardianSince     *time.Time `db:"relation_cpr_start_dato"`
	GuardianName      *string    `db:"vaerges_navn"`
	GuardianNameSince *time.Time `db:"vaerges_navn_start_dato"`
	Line1             *string    `db:"relations_tekst1"`
	Line2             *string    `db:"relations_tekst2"`
	Line3             *string    `db:"relations_tekst3"`
	Line4             *string    `db:"relations_tekst4"`
	Line5             *string    `db:"relations_tekst5"`
	IncapacityStartMk *string    `db:"umyndig_start_dato_markering"`
	RecordID          string     `db:"id"`
	Unreliable        *string    `db:"unreliable"`
	// View is the view the record was read in; the guardian is read in it too.
	View View `db:"-"`
}

// GuardianAddressLines returns the non-empty lines of the guardian's
// address (relationstekst) for a guardian outside CPR.
func (g Guardianship) GuardianAddressLines() []string {
	return nonEmpty(g.Line1, g.Line2, g.Line3, g.Line4, g.Line5)
}

// Guardianships returns the guardianships of each of the persons, newest
// first, by CPR number.
func (s *RegisterStore) Guardianships(ctx context.Context, cprs []string) (map[string][]Guardianship, error) {
	const query = `SELECT cpr, type_kode, type_tekst, umyndig_start_dato, umyndig_slette_dato, relation_cpr,
		relation_cpr_start_dato, vaerges_navn, vaerges_navn_start_dato,
		relations_tekst1, relations_tekst2, relations_tekst3, relations_tekst4, relations_tekst5,
		umyndig_start_dato_markering, id, unreliable
		FROM umyndiggoerelsevaergerelation
		WHERE cpr = ANY($1)
		ORDER BY cpr, umyndig_start_dato DESC NULLS LAST, id`
	m, err := selectByCPR(ctx, s.q, query, cprs, func(r Guardianship) string { return r.CPR })
	inView(s.view, m, func(r *Guardianship) { r.View = s.view })
	return inForceOn(s.view, m, func(r Guardianship) (start, end *time.Time) { return r.IncapacityStart, r.IncapacityEnd }), err
}

// Household is everyone registered at a person's folkeregisteradresse
// (PersonBopælsamlingHent), the person included. It belongs to the person
// asked for: its Subject is that person.
type Household struct {
	Owner   Person
	Members []HouseholdMember
}

// SubjectCPR returns the CPR number of the person asked for.
func (h Household) SubjectCPR() string { return h.Owner.CPR }

// NameAddressProtected reports whether the person asked for is protected.
func (h Household) NameAddressProtected() bool { return h.Owner.Protected }

// Address returns the folkeregisteradresse.
func (h Household) Address() *Address { return h.Owner.Address() }

// HouseholdMember is one person at the address with the relation to the
// person asked for (nil for no family relation, e.g. a lodger).
type HouseholdMember struct {
	Member   Person
	Relation *RelationCode
}

// SubjectCPR returns the member's CPR number.
func (m HouseholdMember) SubjectCPR() string { return m.Member.CPR }

// NameAddressProtected reports whether the member is protected.
func (m HouseholdMember) NameAddressProtected() bool { return m.Member.Protected }

// resident is one row of the household query: a person at the address of
// the owner, and whether barnrelation makes the person the owner's child.
type resident struct {
	OwnerCPR string `db:"owner_cpr"`
	IsChild  bool   `db:"is_child"`
	Person
}

// Households returns the household of each of the persons at their current
// folkeregisteradresse, by CPR number; persons not in the register are
// absent. Residents are persons at the same municipality, street code,
// house number, floor and door whose status is not an inactive one (20-90);
// a person without a fixed address (no street code or house number) forms a
// household of one. In a View the household is the one at the address of
// that view, everyone read in it (householdsAsOf for AsOf).
func (s *RegisterStore) Households(ctx context.Context, cprs []string) (map[string]Household, error) {
	if s.view.AsOf != nil {
		return s.householdsAsOf(ctx, cprs, *s.view.AsOf)
	}
	const (
		query = `SELECT o.cpr AS owner_cpr,
		EXISTS (SELECT 1 FROM barnrelation b WHERE b.cpr = o.cpr AND b.barn_cpr = p.cpr) AS is_child,
		` + personColumns + personFrom + `
		JOIN person o ON o.cpr = p.cpr OR (
			p.kommune_kode = o.kommune_kode AND p.vej_kode = o.vej_kode AND p.husnummer = o.husnummer
			AND p.etage IS NOT DISTINCT FROM o.etage AND p.side_doer_nummer IS NOT DISTINCT FROM o.side_doer_nummer
			AND (p.status IS NULL OR p.status IN ('01', '03', '05', '07')))`
		order     = ` ORDER BY o.cpr, p.foedselsdato NULLS LAST, p.cpr`
		byNumbers = query + ` WHERE o.cpr = ANY($1)` + order
		byNumber  = query + ` WHERE o.cpr = $1` + order // one number: see selectNumbers
	)
	var rows []resident
	if err := selectNumbers(ctx, s.q, &rows, byNumber, byNumbers, cprs); err != nil {
		return nil, err
	}
	owners := map[string]Person{}
	for i := range rows {
		rows[i].KnownAt = s.view.KnownAt
	}
	for _, r := range rows {
		if r.CPR == r.OwnerCPR {
			owners[r.OwnerCPR] = r.Person
		}
	}
	out := make(map[string]Household, len(owners))
	for _, r := range rows {
		h := out[r.OwnerCPR]
		h.Owner = owners[r.OwnerCPR]
		h.Members = append(h.Members, HouseholdMember{Member: r.Person, Relation: relationTo(h.Owner, r.Person, r.IsChild)})
		out[r.OwnerCPR] = h
	}
	return out, nil
}

// householdsAsOf is Households as of the validity date day: the owners read
// as of day (PersonsAsOf), and everyone who, read as of day, was registered
// at the owner's dwelling then with an active status (or none). The
// candidates are the persons registered at the house number now or in a
// former address record; the dwelling and status are decided on the
// persons as of day.
func (s *RegisterStore) householdsAsOf(ctx context.Context, cprs []string, day time.Time) (map[string]Household, error) {
	owners, err := s.PersonsByCPR(ctx, cprs)
	if err != nil || len(owners) == 0 {
		return nil, err
	}
	children, err := s.Children(ctx, cprs)
	if err != nil {
		return nil, err
	}
	const candidates = `SELECT p.cpr FROM person p WHERE p.kommune_kode = $1 AND p.vej_kode = $2 AND p.husnummer = $3
		UNION
		SELECT h.cpr FROM historiskeadresser h
		WHERE h.kommune_kode = $1 AND h.vej_kode = $2 AND h.husnummer = $3 AND h.ret_fortryd_aendring IS DISTINCT FROM 'A'`
	out := make(map[string]Household, len(owners))
	for c, owner := range owners {
		h := Household{Owner: owner, Members: []HouseholdMember{{Member: owner, Relation: relationTo(owner, owner, false)}}}
		if owner.MunicipalityCode != nil && owner.StreetCode != nil && owner.HouseNumber != nil {
			var numbers []string
			if err := sqlx.SelectContext(ctx, s.q, &numbers, candidates, *owner.MunicipalityCode, *owner.StreetCode, *owner.HouseNumber); err != nil {
				return nil, err
			}
			residents, err := s.PersonsByCPR(ctx, numbers)
			if err != nil {
				return nil, err
			}
			isChild := map[string]bool{}
			for _, r := range children[c] {
				isChild[r.ChildCPR] = true
			}
			for _, p := range residents {
				if p.CPR != c && sameDwellingAs(owner, p) && (p.Status == nil || activeStatus[*p.Status]) {
					h.Members = append(h.Members, HouseholdMember{Member: p, Relation: relationTo(owner, p, isChild[p.CPR])})
				}
			}
		}
		slices.SortFunc(h.Members, func(a, b HouseholdMember) int { // as the query: birth date, nulls last, then CPR
			x, y := a.Member.BirthDate, b.Member.BirthDate
			switch {
			case x == nil && y != nil:
				return 1
			case x != nil && y == nil:
				return -1
			case x != nil && !x.Equal(*y):
				return x.Compare(*y)
			}
			return strings.Compare(a.Member.CPR, b.Member.CPR)
		})
		out[c] = h
	}
	return out, nil
}

// activeStatus are the status codes of a person who lives at the address
// (the household query's status IN ('01', '03', '05', '07')).
var activeStatus = map[string]bool{"01": true, "03": true, "05": true, "07": true}

// sameDwellingAs reports whether a and b are registered at the same
// municipality, street code, house number, floor and door.
func sameDwellingAs(a, b Person) bool {
	eqInt := func(x, y *int) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	eq := func(x, y *string) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return eqInt(a.MunicipalityCode, b.MunicipalityCode) && eqInt(a.StreetCode, b.StreetCode) &&
		eq(a.HouseNumber, b.HouseNumber) && eq(a.Floor, b.Floor) && eq(a.Door, b.Door)
}

// relationTo returns what member is to owner, or nil for no family relation.
func relationTo(owner, member Person, isChild bool) *RelationCode {
	var code RelationCode
	is := func(c *string) bool { return c != nil && *c == member.CPR }
	switch {
	case member.CPR == owner.CPR:
		code = RelationSelf
	case is(owner.SpouseCPR()):
		code = RelationSpouse
		if cpr.CivilStatus(*owner.Family.CivilStatus) == cpr.CivilRegisteredPartnership {
			code = RelationPartner
		}
	case is(owner.Family.MotherCPR):
		code = RelationMother
	case is(owner.Family.FatherCPR):
		code = RelationFather
	case isChild || deref(member.Family.MotherCPR) == owner.CPR || deref(member.Family.FatherCPR) == owner.CPR:
		code = RelationChild
	default:
		return nil
	}
	return &code
}

// CPR returns the CPR number of the person asked for.
func (h Household) CPR() string { return h.Owner.CPR }

// CPR returns the member's CPR number.
func (m HouseholdMember) CPR() string { return m.Member.CPR }

// ChildCPRs returns the children's CPR numbers, in order.
func ChildCPRs(children []ChildRelation) []string {
	out := make([]string, len(children))
	for i, c := range children {
		out[i] = c.ChildCPR
	}
	return out
}
