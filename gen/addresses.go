package gen

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// streetNameMax bounds street names so that a standard address such as
// "Kastanjevænget 123B, st. 12" fits in CPR's 34 characters.
const streetNameMax = 21

// Dwelling kinds, for matching households to dwellings.
const (
	kindHouse = iota
	kindFlat
	kinds
)

// Property kinds.
const (
	propHouse  = iota // a house: one dwelling without floor and door
	propRental        // a building of flats let by one owner
	propCondo         // one flat of a building divided into condominiums
)

// street is a road (vej) of a municipality.
type street struct {
	muni   int16
	code   int16 // vejkode
	postal int16 // index into the municipality's postal codes
	name   string
	next   int // next free house number
	left   int // house numbers still to give out
}

// house is a house number (husnummer): a detached house or one stairwell.
type house struct {
	street int32
	number string
	first  int32 // first dwelling
	count  int32
}

// dwelling is one DAR address.
type dwelling struct {
	house int32
	prop  int32
	floor int8 // -1 none, 0 "st", 1..6
	door  int8 // 0 none, 1 "th", 2 "tv", 3 "mf", 10+n the number n
	md    day  // a plausible move-in day of its current occupants
}

// property is a BFE property.
type property struct {
	bfe      int64
	kind     uint8
	first    int32 // first dwelling
	count    int32
	company  int32 // owning company of a rental building, -1 for a private owner
	acquired day   // when the current owner of a rental building acquired it
}

// addressModel is the fixed part of a generated population: addresses,
// properties and landlord companies. It depends on the options only.
type addressModel struct {
	seed         int64
	today        day
	munis        []municipality
	muniCum      []float64
	streets      []street
	houses       []house
	dwellings    []dwelling
	dwellingMuni []int16  // municipality index of each dwelling
	dwellingCols []string // kommune_kode, vej_kode, husnummer, etage, side_doer_nummer of each dwelling in COPY format
	props        []property
	companies    []string // CVR numbers; companies[0] is DemoOwnerCVR
	demo         []int32  // the demo company's guaranteed buildings
	firstYear    int      // year of the first occupancy bucket
	years        int      // number of occupancy buckets
}

// dwellingsPerPerson is the number of dwellings built per person: enough
// for the current households, with some to spare as vacant dwellings.
const dwellingsPerPerson = 0.52

// demoBuildings is the number of rental buildings in Copenhagen that the
// demo company is guaranteed to own.
const demoBuildings = 3

func newAddressModel(seed int64, persons int, today day) (*addressModel, error) {
	munis, err := municipalities()
	if err != nil {
		return nil, err
	}
	m := &addressModel{seed: seed, today: today, munis: munis, firstYear: 1900}
	m.years = today.year() - m.firstYear + 1
	weights := make([]float64, len(munis))
	total := 0.0
	for i, mu := range munis {
		weights[i] = mu.pop
		total += mu.pop
	}
	m.muniCum = cumulative(weights)
	r := keyed(seed, 0xad)
	target := float64(persons) * dwellingsPerPerson
	for i := range munis {
		n := max(2, int(math.Round(target*weights[i]/total)))
		m.buildMunicipality(&r, i, n)
	}
	m.addCompanies(&r)
	m.dwellingMuni = make([]int16, len(m.dwellings))
	m.dwellingCols = make([]string, len(m.dwellings))
	for i := range m.dwellings {
		dw := int32(i)
		m.dwellingMuni[i] = m.streetOf(dw).muni
		m.dwellingCols[i] = m.copyColumns(dw)
	}
	return m, nil
}

// buildMunicipality lays out streets until the municipality has n dwellings,
// mixing flats and houses in the municipality's proportion.
func (m *addressModel) buildMunicipality(r *rng, mi, n int) {
	mu := &m.munis[mi]
	names := m.streetNames(r)
	firstStreet := len(m.streets)
	flats, total := 0, 0
	for total < n {
		if len(m.streets) == firstStreet || m.streets[len(m.streets)-1].left <= 0 {
			m.addStreet(r, mi, names[(len(m.streets)-firstStreet)%len(names)], n-total)
		}
		var added int
		if float64(flats) < mu.flats*float64(total+1) {
			added = m.addFlatBuilding(r, mi)
			flats += added
		} else {
			added = m.addHouse(r)
		}
		total += added
	}
	// Street codes spread over 1..9899 in name order.
	count := len(m.streets) - firstStreet
	step := max(1, 9899/count)
	for i := range count {
		code := 1 + i*step + r.intn(step)
		m.streets[firstStreet+i].code = int16(min(code, 9899))
	}
}

// streetNames returns the possible street names in random order.
func (m *addressModel) streetNames(r *rng) []string {
	var names []string
	for _, s := range streetStems {
		for _, e := range streetEndings {
			names = append(names, s+e)
		}
	}
	for _, s := range streetPersons {
		for _, e := range streetPersonEndings {
			if name := s + e; utf8.RuneCountInString(name) <= streetNameMax {
				names = append(names, name)
			}
		}
	}
	for i := len(names) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		names[i], names[j] = names[j], names[i]
	}
	return names
}

func (m *addressModel) addStreet(r *rng, mi int, name string, remaining int) {
	mu := &m.munis[mi]
	// Long streets where many dwellings remain, so names seldom run out.
	left := r.between(6, 40) + remaining/2000
	m.streets = append(m.streets, street{
		muni:   int16(mi),
		postal: int16(r.intn(len(mu.postal))),
		name:   name,
		next:   r.between(1, 3),
		left:   left,
	})
}

// addHouseNumber gives out the next house number of the current street,
// sometimes with a letter as in "12B".
func (m *addressModel) addHouseNumber(r *rng, letter byte) int32 {
	si := int32(len(m.streets) - 1)
	s := &m.streets[si]
	number := strconv.Itoa(s.next)
	if letter != 0 {
		number += string(letter)
	}
	m.houses = append(m.houses, house{street: si, number: number, first: int32(len(m.dwellings))})
	return int32(len(m.houses) - 1)
}

// advance moves the current street past the house numbers just used.
func (m *addressModel) advance(r *rng) {
	s := &m.streets[len(m.streets)-1]
	s.next += oneOf(r, []int{1, 2, 2, 2, 3})
	s.left--
	if s.next > 990 {
		s.left = 0 // house numbers have at most four characters
	}
}

func (m *addressModel) addHouse(r *rng) int {
	letters := []byte{0}
	if r.chance(0.05) {
		letters = []byte{'A', 'B'}
	}
	for _, l := range letters {
		h := m.addHouseNumber(r, l)
		prop := m.addProperty(propHouse, 1)
		m.addDwelling(r, h, prop, -1, 0, kindHouse)
	}
	m.advance(r)
	return len(letters)
}

// addFlatBuilding adds a building of one to four stairwells, either let as
// one property or divided into condominiums, and returns its dwellings.
func (m *addressModel) addFlatBuilding(r *rng, mi int) int {
	stairs := 1 + r.pick(cumulative([]float64{40, 30, 20, 10}))
	top := 2 + r.pick(cumulative([]float64{15, 25, 30, 20, 10}))
	var doors []int8
	switch x := r.float(); {
	case x < 0.55:
		doors = []int8{1, 2}
	case x < 0.7:
		doors = []int8{1, 3, 2}
	default:
		for n := range r.between(2, 6) {
			doors = append(doors, int8(11+n))
		}
	}
	condo := r.chance(0.3)
	demo := mi == 0 && len(m.demo) < demoBuildings
	if demo {
		stairs, top, doors, condo = 3-len(m.demo), 4, []int8{1, 2}, false
	}
	var prop int32 = -1
	if !condo {
		prop = m.addProperty(propRental, 0)
		if demo {
			m.demo = append(m.demo, prop)
		}
	}
	added := 0
	for range stairs {
		h := m.addHouseNumber(r, 0)
		for floor := int8(0); floor <= int8(top); floor++ {
			for _, door := range doors {
				dp := prop
				if condo {
					dp = m.addProperty(propCondo, 1)
				}
				m.addDwelling(r, h, dp, floor, door, kindFlat)
				added++
			}
		}
		m.advance(r)
	}
	if !condo {
		m.props[prop].count = int32(added)
	}
	return added
}

func (m *addressModel) addProperty(kind uint8, count int32) int32 {
	i := int32(len(m.props))
	m.props = append(m.props, property{
		bfe:     2000001 + int64(i),
		kind:    kind,
		first:   int32(len(m.dwellings)),
		count:   count,
		company: -1,
	})
	return i
}

func (m *addressModel) addDwelling(r *rng, h, prop int32, floor, door int8, kind int) {
	m.dwellings = append(m.dwellings, dwelling{house: h, prop: prop, floor: floor, door: door, md: m.tenureStart(r, kind)})
	m.houses[h].count++
}

// tenureStart draws the day the occupants of a dwelling of the given kind
// moved in: flats change hands more often than houses.
func (m *addressModel) tenureStart(r *rng, kind int) day {
	var y float64
	x := r.float()
	if kind == kindFlat {
		switch {
		case x < 0.5:
			y = r.exp(2)
		case x < 0.85:
			y = 12 * r.float()
		default:
			y = 12 + 30*r.float()
		}
	} else {
		switch {
		case x < 0.25:
			y = r.exp(3)
		case x < 0.65:
			y = 15 * r.float()
		default:
			y = 15 + 35*r.float()
		}
	}
	return maxDay(m.today-years(y), date(1950, 1, 1))
}

// addCompanies creates the landlord companies and gives each rental
// building an owner: a few companies own many buildings, and a tenth of the
// buildings belong to private persons.
func (m *addressModel) addCompanies(r *rng) {
	rentals := 0
	for _, p := range m.props {
		if p.kind == propRental {
			rentals++
		}
	}
	n := max(8, rentals/6)
	m.companies = []string{DemoOwnerCVR}
	seen := map[string]bool{DemoOwnerCVR: true}
	cr := keyed(m.seed, 0xc0)
	for len(m.companies) < n {
		if cvr := randomCVR(&cr); !seen[cvr] {
			seen[cvr] = true
			m.companies = append(m.companies, cvr)
		}
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / math.Pow(float64(i+1), 1.1)
	}
	w[0] = w[3] // the demo company is big but not the biggest
	cum := cumulative(w)
	for i := range m.props {
		p := &m.props[i]
		if p.kind != propRental {
			continue
		}
		p.acquired = m.acquisition(r)
		if !r.chance(0.1) {
			p.company = int32(r.pick(cum))
		}
	}
	// The demo buildings: one held for years, one bought a few months ago
	// (so that earlier tenants fall outside the owner's period) and one
	// held since the nineties.
	acquired := []day{m.today - years(6) - 40, m.today - 150, date(1998, 3, 1)}
	for i, prop := range m.demo {
		m.props[prop].company = 0
		m.props[prop].acquired = acquired[i]
	}
}

// acquisition draws the day the current owner of a rental building bought it.
func (m *addressModel) acquisition(r *rng) day {
	switch x := r.float(); {
	case x < 0.15:
		return r.dayIn(date(1950, 1, 1), date(1990, 1, 1))
	case x < 0.85:
		return r.dayIn(date(1990, 1, 1), m.today-365)
	default:
		return r.dayIn(m.today-730, m.today-30)
	}
}

// randomCVR returns a CVR number that passes the modulus-11 check.
func randomCVR(r *rng) string {
	weights := [7]int{2, 7, 6, 5, 4, 3, 2}
	for {
		var b [8]byte
		sum := 0
		for i := range 7 {
			d := r.intn(10)
			if i == 0 {
				d = 1 + r.intn(9)
			}
			b[i] = byte('0' + d)
			sum += d * weights[i]
		}
		check := (11 - sum%11) % 11
		if check == 10 {
			continue
		}
		b[7] = byte('0' + check)
		return string(b[:])
	}
}

// copyColumns returns kommune_kode, vej_kode, husnummer, etage and
// side_doer_nummer of a dwelling as COPY text, with NULL for no floor or door.
func (m *addressModel) copyColumns(dw int32) string {
	d := &m.dwellings[dw]
	s := m.streetOf(dw)
	floor, door := d.floorText(), d.doorText()
	if floor == "" {
		floor = `\N`
	}
	if door == "" {
		door = `\N`
	}
	return strconv.Itoa(m.munis[s.muni].code) + "\t" + strconv.Itoa(int(s.code)) + "\t" + m.houses[d.house].number + "\t" + floor + "\t" + door
}

// Address parts of a dwelling.

func (m *addressModel) streetOf(dw int32) *street {
	return &m.streets[m.houses[m.dwellings[dw].house].street]
}

func (m *addressModel) muniOf(dw int32) *municipality {
	return &m.munis[m.streetOf(dw).muni]
}

func (m *addressModel) postalOf(dw int32) postal {
	s := m.streetOf(dw)
	return m.munis[s.muni].postal[s.postal]
}

func (m *addressModel) kindOf(dw int32) int {
	if m.dwellings[dw].floor < 0 {
		return kindHouse
	}
	return kindFlat
}

// floor returns the floor (etage) of a dwelling, "" for none.
func (d *dwelling) floorText() string {
	switch {
	case d.floor < 0:
		return ""
	case d.floor == 0:
		return "st"
	default:
		return strconv.Itoa(int(d.floor))
	}
}

// doorText returns the door (sidedør) of a dwelling, "" for none.
func (d *dwelling) doorText() string {
	switch {
	case d.door == 0:
		return ""
	case d.door == 1:
		return "th"
	case d.door == 2:
		return "tv"
	case d.door == 3:
		return "mf"
	default:
		return strconv.Itoa(int(d.door) - 10)
	}
}

// standardAddress returns the label address of a dwelling, as in
// "Birkevej 12B, 2. tv" or "Birkevej 3".
func (m *addressModel) standardAddress(dw int32) string {
	d := &m.dwellings[dw]
	s := m.streetOf(dw).name + " " + m.houses[d.house].number
	if d.floor < 0 {
		return s
	}
	s += ", " + d.floorText() + "."
	if door := d.doorText(); door != "" {
		s += " " + door
	}
	return s
}
