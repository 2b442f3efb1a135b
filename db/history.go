package db

import (
	"context"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cprgraph/cpr"
)

// The historic datatypes of seed 004 (historiske*, notat), one type and one
// batch query each. Every query takes the owners' CPR numbers, leaves out
// records marked annulled (ret/fortryd A: they never had effect) and orders
// each person's records newest first. A record marked K (superseded by a
// correction) is kept and carries its marker in Correction.

// HistoricalName is a former name (historiskenavneoplysninger).
type HistoricalName struct {
	CPR            string     `db:"cpr"`
	RecordID       *string    `db:"id"`
	ValidFromMark  *string    `db:"start_dato_markering"`
	ValidToMark    *string    `db:"slut_dato_markering"`
	Unreliable     *string    `db:"unreliable"`
	FirstName      *string    `db:"fornavn"`
	FirstNameMark  *string    `db:"fornavn_markering"`
	MiddleName     *string    `db:"mellemnavn"`
	MiddleNameMark *string    `db:"mellemnavn_markering"`
	LastName       *string    `db:"efternavn"`
	LastNameMark   *string    `db:"efternavn_markering"`
	ValidFrom      *time.Time `db:"start_dato"`
	ValidTo        *time.Time `db:"slut_dato"`
	Correction     *string    `db:"ret_fortryd_aendring"`
}

// NameHistory returns the former names of the persons, by CPR number.
func (s *RegisterStore) NameHistory(ctx context.Context, cprs []string) (map[string][]HistoricalName, error) {
	const query = `SELECT cpr, id, fornavn, fornavn_markering, mellemnavn, mellemnavn_markering, efternavn,
		efternavn_markering, start_dato, start_dato_markering, slut_dato, slut_dato_markering, ret_fortryd_aendring, unreliable
		FROM historiskenavneoplysninger
		WHERE cpr = ANY($1) AND ret_fortryd_aendring IS DISTINCT FROM 'A'
		ORDER BY cpr, start_dato DESC NULLS LAST, id`
	m, err := selectByCPR(ctx, s.q, query, cprs, func(r HistoricalName) string { return r.CPR })
	return begunBy(s.view, m, func(r HistoricalName) *time.Time { return r.ValidFrom }), err
}

// AddressRecord is a former folkeregisteradresse (historiskeadresser). The
// seed's record holds codes only; street name and postal code are looked up
// in DAR (dar_adresse) or, failing that, from a current resident of the same
// house number who is not protected; the city name (bynavn, which DAR does
// not hold) from such a resident always (a protected resident's row would make
// the answer depend on where that person lives).
type AddressRecord struct {
	CPR string `db:"cpr"`
	Address
}

// addressRecords returns the former addresses of the persons, by CPR number.
func (s *RegisterStore) addressRecords(ctx context.Context, cprs []string) (map[string][]AddressRecord, error) {
	const query = `SELECT h.cpr, h.kommune_kode, h.vej_kode, n.vejnavn, h.husnummer, h.etage, h.side_doer_nummer,
		h.bygningsnummer, h.co_navn, n.postnummer, n.postdistrikt, h.tilflytnings_dato, h.fraflytnings_dato,
		h.tilflytnings_dato_markering, h.fraflytnings_dato_markering, h.id, h.ret_fortryd_aendring, h.unreliable,
		(SELECT r.bynavn FROM person r
			WHERE r.kommune_kode = h.kommune_kode AND r.vej_kode = h.vej_kode AND r.husnummer = h.husnummer
			  AND r.bynavn IS NOT NULL AND NOT name_address_protected(r.cpr)
			ORDER BY r.cpr LIMIT 1) AS bynavn
		FROM historiskeadresser h
		LEFT JOIN LATERAL (
			SELECT a.vejnavn, a.postnummer, a.postdistrikt FROM dar_adresse a
			WHERE a.kommune_kode = h.kommune_kode AND a.vej_kode = h.vej_kode AND a.husnummer = h.husnummer
			UNION ALL
			SELECT r.vejnavn, r.postnummer, r.postdistrikt FROM person r
			WHERE r.kommune_kode = h.kommune_kode AND r.vej_kode = h.vej_kode AND r.husnummer = h.husnummer
			  AND r.vejnavn IS NOT NULL AND NOT name_address_protected(r.cpr)
			LIMIT 1) n ON true
		WHERE h.cpr = ANY($1) AND h.ret_fortryd_aendring IS DISTINCT FROM 'A'
		ORDER BY h.cpr, h.tilflytnings_dato DESC NULLS LAST, h.id`
	m, err := selectByCPR(ctx, s.q, query, cprs, func(r AddressRecord) string { return r.CPR })
	return begunBy(s.view, m, func(r AddressRecord) *time.Time { return r.ValidFrom }), err
}

// AddressHistory returns the folkeregisteradresser of each of the persons,
// newest first: the current one, then the former ones. A move that was
// annulled (A) never appears; a version superseded by a correction (K)
// appears only when no other version of that move (same move-in date or
// same dwelling) is kept, so a corrected move shows once. Persons not in the
// register are absent from the map.
func (s *RegisterStore) AddressHistory(ctx context.Context, persons map[string]Person) (map[string][]Address, error) {
	cprs := make([]string, 0, len(persons))
	for c := range persons {
		cprs = append(cprs, c)
	}
	records, err := s.addressRecords(ctx, cprs)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]Address, len(persons))
	for c, p := range persons {
		out[c] = addressHistory(p.Address(), records[c])
	}
	return out, nil
}

func addressHistory(current *Address, records []AddressRecord) []Address {
	var kept []Address
	if current != nil {
		kept = append(kept, *current)
	}
	var superseded []Address
	for _, r := range records {
		switch {
		case r.Correction != nil && cpr.RetFortryd(*r.Correction) == cpr.RetFortrydCorrected:
			superseded = append(superseded, r.Address)
		case !slices.ContainsFunc(kept, func(a Address) bool { return sameMove(a, r.Address) && sameDwelling(a, r.Address) }):
			kept = append(kept, r.Address)
		}
	}
	for _, s := range superseded {
		if !slices.ContainsFunc(kept, func(a Address) bool { return sameMove(a, s) || sameDwelling(a, s) }) {
			kept = append(kept, s)
		}
	}
	// The current address leads; the former ones follow newest first.
	former := kept
	if current != nil {
		former = kept[1:]
	}
	slices.SortStableFunc(former, func(a, b Address) int { return -CompareDates(a.ValidFrom, b.ValidFrom) })
	return kept
}

func sameMove(a, b Address) bool { return sameDate(a.ValidFrom, b.ValidFrom) }

func sameDwelling(a, b Address) bool {
	ka, okA := a.key()
	kb, okB := b.key()
	return okA && okB && ka == kb
}

// CompareDates orders dates with nil (unknown) first.
func CompareDates(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}

func sameDate(a, b *time.Time) bool {
	return a != nil && b != nil && a.Equal(*b)
}

// SharedPeriod is a period in which two persons were registered at the
// same dwelling. To is the first day they no longer were (nil: still are,
// or the end of the asked period when that came first).
type SharedPeriod struct {
	From    *time.Time
	To      *time.Time
	Address Address
}

// SharedPeriods returns the periods in which the address histories a and b
// overlap at the same dwelling (municipality, street code, house number,
// floor and door), cut to the period [from, to) where given. A move-in date
// that is not known counts as open-ended.
func SharedPeriods(a, b []Address, from, to *time.Time) []SharedPeriod {
	var out []SharedPeriod
	for _, x := range a {
		for _, y := range b {
			if !sameDwelling(x, y) {
				continue
			}
			start := laterOf(laterOf(x.ValidFrom, y.ValidFrom), from)
			end := earlierOf(earlierOf(x.ValidTo, y.ValidTo), to)
			if start != nil && end != nil && !start.Before(*end) {
				continue
			}
			out = append(out, SharedPeriod{From: start, To: end, Address: x})
		}
	}
	slices.SortFunc(out, func(p, q SharedPeriod) int { return -CompareDates(p.From, q.From) })
	return out
}

// laterOf returns the later of two start dates, nil meaning open (earliest).
func laterOf(a, b *time.Time) *time.Time {
	if a == nil || (b != nil && b.After(*a)) {
		return b
	}
	return a
}

// earlierOf returns the earlier of two end dates, nil meaning open (latest).
func earlierOf(a, b *time.Time) *time.Time {
	if a == nil || (b != nil && b.Before(*a)) {
		return b
	}
	return a
}

// CivilStatusHistory returns the former civil statuses of the persons
// (historiskecivilstande), by CPR number.
func (s *RegisterStore) CivilStatusHistory(ctx context.Context, cprs []string) (map[string][]CivilStatus, error) {
	const query = `SELECT cpr, id, civilstand, start_dato, start_dato_markering, slut_dato, slut_dato_markering, aegtefaelle_cpr,
		CASE WHEN aegtefaelle_cpr IS NULL THEN aegtefaelle_navn END AS aegtefaelle_navn,
		CASE WHEN aegtefaelle_cpr IS NULL THEN aegtefaelle_navn_markering END AS aegtefaelle_navn_markering,
		CASE WHEN aegtefaelle_cpr IS NULL THEN aegtefaelle_foedsels_dato END AS aegtefaelle_foedsels_dato,
		CASE WHEN aegtefaelle_cpr IS NULL THEN aegtefaelle_foedsels_dato_markering END AS aegtefaelle_foedsels_dato_markering,
		seperation_henvisning, ret_fortryd_aendring, unreliable
		FROM historiskecivilstande
		WHERE cpr = ANY($1) AND ret_fortryd_aendring IS DISTINCT FROM 'A' AND civilstand IS NOT NULL
		ORDER BY cpr, start_dato DESC NULLS LAST, id`
	m, err := selectByCPR(ctx, s.q, query, cprs, func(r CivilStatus) string { return r.CPR })
	inView(s.view, m, func(r *CivilStatus) { r.View = s.view })
	return begunBy(s.view, m, func(r CivilStatus) *time.Time { return r.ValidFrom }), err
}

// Citizenship is a citizenship (statsborgerskab): current in personkontakt
// or one period of historiskestatsborgerskaber.
type Citizenship struct {
	CPR           string     `db:"cpr"`
	RecordID      *string    `db:"id"`
	ValidFromMark *string    `db:"start_dato_markering"`
	ValidToMark   *string    `db:"slut_dato_markering"`
	Unreliable    *string    `db:"unreliable"`
	CountryCode   *int       `db:"landekode"`
	ValidFrom     *time.Time `db:"start_dato"`
	ValidTo       *time.Time `db:"slut_dato"`
	Correction    *string    `db:"ret_fortryd_aendring"`
}

// CitizenshipHistory returns the former citizenships of the persons, by CPR
// number.
func (s *RegisterStore) CitizenshipHistory(ctx context.Context, cprs []string) (map[string][]Citizenship, error) {
	const query = `SELECT cpr, id, landekode, start_dato, start_dato_markering, slut_dato, slut_dato_markering,
		ret_fortryd_aendring, unreliable
		FROM historiskestatsborgerskaber
		WHERE cpr = ANY($1) AND ret_fortryd_aendring IS DISTINCT FROM 'A'
		ORDER BY cpr, start_dato DESC NULLS LAST, id`
	m, err := selectByCPR(ctx, s.q, query, cprs, func(r Citizenship) string { return r.CPR })
	return begunBy(s.view, m, func(r Citizenship) *time.Time { return r.ValidFrom }), err
}

// ChurchRelation is a relation to the Church of Denmark (folkekirkeforhold):
// current in personudvidet or one period of historiskefolkekirkeoplysninger.
type ChurchRelation struct {
	CPR           string     `db:"cpr"`
	RecordID      *string    `db:"id"`
	ValidFromMark *string    `db:"start_dato_markering"`
	ValidToMark   *string    `db:"slut_dato_markering"`
	Unreliable    *string    `db:"unreliable"`
	Code          string     `db:"folkekirkeforhold"`
	ValidFrom     *time.Time `db:"start_dato"`
	ValidTo       *time.Time `db:"slut_dato"`
}

// Text is the Danish text of the church relation code.
func (c ChurchRelation) Text() string { return cpr.ChurchRelation(c.Code).Text() }

// ChurchHistory returns the former church relations of the persons, by CPR
// number (this datatype has no ret/fortryd marker).
func (s *RegisterStore) ChurchHistory(ctx context.Context, cprs []string) (map[string][]ChurchRelation, error) {
	const query = `SELECT cpr, id, folkekirkeforhold, start_dato, start_dato_markering, slut_dato, slut_dato_markering, unreliable
		FROM historiskefolkekirkeoplysninger
		WHERE cpr = ANY($1) AND folkekirkeforhold IS NOT NULL
		ORDER BY cpr, start_dato DESC NULLS LAST, id`
	m, err := selectByCPR(ctx, s.q, query, cprs, func(r ChurchRelation) string { return r.CPR })
	return begunBy(s.view, m, func(r ChurchRelation) *time.Time { return r.ValidFrom }), err
}

// Travel is one stay abroad (historiskerejseoplysninger): exit, entry and
// the foreign address.
type Travel struct {
	CPR              string     `db:"cpr"`
	RecordID         *string    `db:"id"`
	ExitDateMark     *string    `db:"udrejse_markering"`
	EntryDateMark    *string    `db:"indrejse_markering"`
	Unreliable       *string    `db:"unreliable"`
	ExitDate         *time.Time `db:"udrejse_dato"`
	ExitCountryCode  *int       `db:"udrejse_landekode"`
	EntryDate        *time.Time `db:"indrejse_dato"`
	EntryCountryCode *int       `db:"indrejse_landekode"`
	Line1            *string    `db:"udlands_adr1"`
	Line2            *string    `db:"udlands_adr2"`
	Line3            *string    `db:"udlands_adr3"`
	Line4            *string    `db:"udlands_adr4"`
	Line5            *string    `db:"udlands_adr5"`
	Correction       *string    `db:"ret_fortryd_aendring"`
}

// ForeignAddressLines returns the non-empty lines of the foreign address.
func (t Travel) ForeignAddressLines() []string {
	return nonEmpty(t.Line1, t.Line2, t.Line3, t.Line4, t.Line5)
}

// TravelHistory returns the stays abroad of the persons, by CPR number.
func (s *RegisterStore) TravelHistory(ctx context.Context, cprs []string) (map[string][]Travel, error) {
	const query = `SELECT cpr, id, udrejse_dato, udrejse_markering, udrejse_landekode, indrejse_dato, indrejse_markering,
		indrejse_landekode, udlands_adr1, udlands_adr2, udlands_adr3, udlands_adr4, udlands_adr5,
		ret_fortryd_aendring, unreliable
		FROM historiskerejseoplysninger
		WHERE cpr = ANY($1) AND ret_fortryd_aendring IS DISTINCT FROM 'A'
		ORDER BY cpr, COALESCE(udrejse_dato, indrejse_dato) DESC NULLS LAST, id`
	m, err := selectByCPR(ctx, s.q, query, cprs, func(r Travel) string { return r.CPR })
	return begunBy(s.view, m, func(r Travel) *time.Time { return r.ExitDate }), err
}

// Separation is a separation period (historiskeseparationer).
type Separation struct {
	CPR                  string     `db:"cpr"`
	RecordID             *string    `db:"id"`
	ValidFromMark        *string    `db:"start_dato_markering"`
	ValidToMark          *string    `db:"slut_dato_markering"`
	Unreliable           *string    `db:"unreliable"`
	ValidFrom            *time.Time `db:"start_dato"`
	ValidTo              *time.Time `db:"slut_dato"`
	CivilStatusReference *time.Time `db:"civilstand_henvisning"`
	Correction           *string    `db:"ret_fortryd_aendring"`
}

// SeparationHistory returns the separations of the persons, by CPR number.
func (s *RegisterStore) SeparationHistory(ctx context.Context, cprs []string) (map[string][]Separation, error) {
	const query = `SELECT cpr, id, start_dato, start_dato_markering, slut_dato, slut_dato_markering,
		civilstand_henvisning, ret_fortryd_aendring, unreliable
		FROM historiskeseparationer
		WHERE cpr = ANY($1) AND ret_fortryd_aendring IS DISTINCT FROM 'A'
		ORDER BY cpr, start_dato DESC NULLS LAST, id`
	m, err := selectByCPR(ctx, s.q, query, cprs, func(r Separation) string { return r.CPR })
	return begunBy(s.view, m, func(r Separation) *time.Time { return r.ValidFrom }), err
}

// Disappearance is a period in which the person was registered as missing
// (historiskeforsvindgenfindoplysninger).
type Disappearance struct {
	CPR               string     `db:"cpr"`
	RecordID          *string    `db:"id"`
	DisappearedOnMark *string    `db:"forsvindings_dato_markering"`
	FoundOnMark       *string    `db:"genfindings_dato_markering"`
	Unreliable        *string    `db:"unreliable"`
	DisappearedOn     *time.Time `db:"forsvindings_dato"`
	FoundOn           *time.Time `db:"genfindings_dato"`
	Correction        *string    `db:"ret_fortryd_aendring"`
}

// DisappearanceHistory returns the disappearances of the persons, by CPR
// number.
func (s *RegisterStore) DisappearanceHistory(ctx context.Context, cprs []string) (map[string][]Disappearance, error) {
	const query = `SELECT cpr, id, forsvindings_dato, forsvindings_dato_markering, genfindings_dato,
		genfindings_dato_markering, ret_fortryd_aendring, unreliable
		FROM historiskeforsvindgenfindoplysninger
		WHERE cpr = ANY($1) AND ret_fortryd_aendring IS DISTINCT FROM 'A'
		ORDER BY cpr, forsvindings_dato DESC NULLS LAST, id`
	m, err := selectByCPR(ctx, s.q, query, cprs, func(r Disappearance) string { return r.CPR })
	return begunBy(s.view, m, func(r Disappearance) *time.Time { return r.DisappearedOn }), err
}

// CPRNumberChange is a former CPR number of the person (historiskepersonnumre).
type CPRNumberChange struct {
	CPR           string     `db:"cpr"`
	RecordID      *string    `db:"id"`
	ValidFromMark *string    `db:"start_dato_markering"`
	ValidToMark   *string    `db:"slut_dato_markering"`
	Unreliable    *string    `db:"unreliable"`
	PreviousCPR   string     `db:"historisk_cpr"`
	ValidFrom     *time.Time `db:"start_dato"`
	ValidTo       *time.Time `db:"slut_dato"`
}

// CPRNumberHistory returns the former CPR numbers of the persons, by their
// current CPR number (this datatype has no ret/fortryd marker).
func (s *RegisterStore) CPRNumberHistory(ctx context.Context, cprs []string) (map[string][]CPRNumberChange, error) {
	const query = `SELECT cpr, id, historisk_cpr, start_dato, start_dato_markering, slut_dato, slut_dato_markering, unreliable
		FROM historiskepersonnumre
		WHERE cpr = ANY($1)
		ORDER BY cpr, slut_dato DESC NULLS FIRST, id`
	m, err := selectByCPR(ctx, s.q, query, cprs, func(r CPRNumberChange) string { return r.CPR })
	return begunBy(s.view, m, func(r CPRNumberChange) *time.Time { return r.ValidTo }), err
}

// Note is a folkeregister note (notat).
type Note struct {
	CPR        string     `db:"cpr"`
	RecordID   *string    `db:"id"`
	Unreliable *string    `db:"unreliable"`
	Number     int        `db:"notat_nummer"`
	Line       *string    `db:"notat_linje"`
	StartDate  *time.Time `db:"start_dato"`
	DeleteDate *time.Time `db:"slet_dato"`
}

// Notes returns the folkeregister notes of the persons in force today, by
// CPR number, in note-number order: a note is not served from its deletion
// date (slet_dato) on.
func (s *RegisterStore) Notes(ctx context.Context, cprs []string) (map[string][]Note, error) {
	const query = `SELECT cpr, id, notat_nummer, notat_linje, start_dato, slet_dato, unreliable
		FROM notat WHERE cpr = ANY($1) AND (slet_dato IS NULL OR slet_dato > danish_today())
		ORDER BY cpr, notat_nummer, id`
	m, err := selectByCPR(ctx, s.q, query, cprs, func(r Note) string { return r.CPR })
	return inForceOn(s.view, m, func(r Note) (start, end *time.Time) { return r.StartDate, r.DeleteDate }), err
}

// selectByCPR runs query with the CPR numbers as $1 and groups the rows by
// the owner's CPR number, keeping their order.
func selectByCPR[T any](ctx context.Context, q sqlx.ExtContext, query string, cprs []string, owner func(T) string) (map[string][]T, error) {
	var rows []T
	if err := sqlx.SelectContext(ctx, q, &rows, query, pq.Array(cprs)); err != nil {
		return nil, err
	}
	out := make(map[string][]T, len(cprs))
	for _, r := range rows {
		out[owner(r)] = append(out[owner(r)], r)
	}
	return out, nil
}

// PersonsAsOf is PersonsByCPR answering as the register stood on the
// validity date day (and, in a View with KnownAt, as registered then):
// names, folkeregisteradresse, civil status (with the spouse), citizenship
// and church relation are taken from the historic records where the current
// ones started after day; status, the contact and foreign addresses that
// started after day are left out. Where no record covers day the fields are
// nil (not known). The lists read through the person (custody,
// guardianships, notes, the histories) are cut to day by the methods that
// read them in the person's View. Protection is judged today.
func (s *RegisterStore) PersonsAsOf(ctx context.Context, cprs []string, day time.Time) (map[string]Person, error) {
	s = s.At(View{KnownAt: s.view.KnownAt})
	persons, err := s.PersonsByCPR(ctx, cprs) // s has no AsOf now
	if err != nil || len(persons) == 0 {
		return persons, err
	}
	names, err := s.NameHistory(ctx, cprs)
	if err != nil {
		return nil, err
	}
	addresses, err := s.addressRecords(ctx, cprs)
	if err != nil {
		return nil, err
	}
	civil, err := s.CivilStatusHistory(ctx, cprs)
	if err != nil {
		return nil, err
	}
	citizenships, err := s.CitizenshipHistory(ctx, cprs)
	if err != nil {
		return nil, err
	}
	church, err := s.ChurchHistory(ctx, cprs)
	if err != nil {
		return nil, err
	}
	for c, p := range persons {
		p.applyAsOf(day, names[c], addresses[c], civil[c])
		p.applyAsOfContact(day, citizenships[c], church[c])
		persons[c] = p
	}
	return persons, nil
}

// applyAsOfContact sets citizenship, church relation and the alternative
// addresses as of day.
func (p *Person) applyAsOfContact(day time.Time, citizenships []Citizenship, church []ChurchRelation) {
	k := &p.Contact
	if startsAfter(k.CitizenshipStart, day) {
		c, _ := covering(citizenships, day, func(c Citizenship) (from, to *time.Time, correction *string) {
			return c.ValidFrom, c.ValidTo, c.Correction
		})
		k.CitizenshipCountry, k.CitizenshipStart = c.CountryCode, c.ValidFrom
	}
	if startsAfter(p.Extended.ChurchStart, day) {
		c, ok := covering(church, day, func(c ChurchRelation) (from, to *time.Time, correction *string) {
			return c.ValidFrom, c.ValidTo, nil
		})
		p.Extended.ChurchRelation, p.Extended.ChurchStart = nil, c.ValidFrom
		if ok {
			p.Extended.ChurchRelation = &c.Code
		}
	}
	if startsAfter(k.ContactStart, day) {
		k.ContactLine1, k.ContactLine2, k.ContactLine3, k.ContactLine4, k.ContactLine5 = nil, nil, nil, nil, nil
		k.ContactStart, k.ContactEnd = nil, nil
	}
	if startsAfter(k.ExitDate, day) {
		k.ForeignLine1, k.ForeignLine2, k.ForeignLine3, k.ForeignLine4, k.ForeignLine5 = nil, nil, nil, nil, nil
		k.ExitDate, k.ExitCountryCode = nil, nil
	}
}

func (p *Person) applyAsOf(day time.Time, names []HistoricalName, addresses []AddressRecord, civil []CivilStatus) {
	p.AsOf = &day
	if startsAfter(p.NameStartDate, day) {
		n, _ := covering(names, day, func(n HistoricalName) (from, to *time.Time, correction *string) {
			return n.ValidFrom, n.ValidTo, n.Correction
		})
		p.FirstName, p.FirstNameMark = n.FirstName, n.FirstNameMark
		p.MiddleName, p.MiddleNameMark = n.MiddleName, n.MiddleNameMark
		p.LastName, p.LastNameMark = n.LastName, n.LastNameMark
		p.NameStartDate, p.NameStartDateMark, p.AddressingName = n.ValidFrom, nil, nil
	}
	if startsAfter(p.Contact.MoveInDate, day) {
		a, _ := covering(addresses, day, func(a AddressRecord) (from, to *time.Time, correction *string) {
			return a.ValidFrom, a.ValidTo, a.Correction
		})
		p.MunicipalityCode, p.StreetCode, p.StreetName = a.MunicipalityCode, a.StreetCode, a.StreetName
		p.HouseNumber, p.Floor, p.Door, p.BuildingNumber = a.HouseNumber, a.Floor, a.Door, a.BuildingNumber
		p.CoName, p.PostalCode, p.PostalDistrict = a.CoName, a.PostalCode, a.PostalDistrict
		p.CityName, p.Locality, p.StandardAddress = nil, nil, nil
		p.Contact.MoveInDate = a.ValidFrom
	}
	if startsAfter(p.Family.CivilStatusStart, day) {
		c, ok := covering(civil, day, func(c CivilStatus) (from, to *time.Time, correction *string) {
			return c.ValidFrom, c.ValidTo, c.Correction
		})
		f := &p.Family
		f.CivilStatus, f.CivilStatusStart, f.SeparationStart = nil, c.ValidFrom, nil
		if ok {
			f.CivilStatus = &c.Code
		}
		f.SpouseCPR, f.SpouseName, f.SpouseBirthDate = c.SpouseCPR, c.SpouseName, c.SpouseBirthDate
	}
	if startsAfter(p.StatusDate, day) {
		p.Status, p.StatusDate, p.StatusDateMark = nil, nil, nil
	}
}

// RevivalDates returns, by CPR number, the effective date of the latest
// REVIVAL event (GenoplivningHændelse) recorded under each number, for those
// with one: seed 004's model has no revival date, the importer records the
// event when a status 90 is replaced. In a View only the events registered
// by its KnownAt and effective by its AsOf count.
func (s *RegisterStore) RevivalDates(ctx context.Context, cprs []string) (map[string]time.Time, error) {
	const query = `SELECT cpr, max(effective_date) AS revived FROM person_event
		WHERE kind = 'REVIVAL' AND cpr = ANY($1) AND effective_date IS NOT NULL
		  AND ($2::timestamptz IS NULL OR registered_at <= $2) AND ($3::date IS NULL OR effective_date <= $3)
		GROUP BY cpr`
	var rows []struct {
		CPR     string    `db:"cpr"`
		Revived time.Time `db:"revived"`
	}
	if err := sqlx.SelectContext(ctx, s.q, &rows, query, pq.Array(cprs), s.view.KnownAt, s.view.AsOf); err != nil {
		return nil, err
	}
	out := make(map[string]time.Time, len(rows))
	for _, r := range rows {
		out[r.CPR] = r.Revived
	}
	return out, nil
}

// inView sets, with set, the view the records of m were read in, for the
// persons they refer to be read in it too.
func inView[T any](v View, m map[string][]T, set func(*T)) {
	if v.Current() {
		return
	}
	for _, rows := range m {
		for i := range rows {
			set(&rows[i])
		}
	}
}

// begunBy keeps, in a View with AsOf, the records whose validity had begun
// on that day (an unknown start counts as begun): a history as of a day
// holds nothing that started later. Without AsOf it returns m unchanged.
func begunBy[T any](v View, m map[string][]T, start func(T) *time.Time) map[string][]T {
	if v.AsOf == nil {
		return m
	}
	for c, rows := range m {
		m[c] = slices.DeleteFunc(rows, func(r T) bool { return startsAfter(start(r), *v.AsOf) })
	}
	return m
}

// inForceOn keeps, in a View with AsOf, the records in force on that day:
// begun (start unknown or on or before it) and not ended (end unknown or
// after it).
func inForceOn[T any](v View, m map[string][]T, period func(T) (start, end *time.Time)) map[string][]T {
	if v.AsOf == nil {
		return m
	}
	day := *v.AsOf
	for c, rows := range m {
		m[c] = slices.DeleteFunc(rows, func(r T) bool {
			start, end := period(r)
			return startsAfter(start, day) || (end != nil && !day.Before(*end))
		})
	}
	return m
}

// startsAfter reports whether a current value with this start date began
// after day (and so did not hold on day). An unknown start holds.
func startsAfter(start *time.Time, day time.Time) bool {
	return start != nil && start.After(day)
}

// covering returns the record whose period [from, to) holds day,
// preferring one that was not superseded by a correction; the zero value
// and false when none does.
func covering[T any](records []T, day time.Time, period func(T) (from, to *time.Time, correction *string)) (T, bool) {
	var found T
	ok := false
	for _, r := range records {
		from, to, correction := period(r)
		if (from != nil && from.After(day)) || (to != nil && !day.Before(*to)) {
			continue
		}
		superseded := correction != nil && cpr.RetFortryd(*correction) == cpr.RetFortrydCorrected
		if !superseded {
			return r, true
		}
		if !ok {
			found, ok = r, true
		}
	}
	return found, ok
}
