package gen

import (
	"strconv"

	"cprgraph/cpr"
)

// Tags of the keyed generators for ids of the address model.
const (
	tagAddressID = iota + 100
	tagHouseID
)

// writeProperties writes ejendom.
func (g *generator) writeProperties() {
	m := g.model
	for i := range m.props {
		p := &m.props[i]
		g.w.int(p.bfe)
		g.w.str(m.designation(p))
		g.w.end()
	}
}

// designation describes a property, as in "Udlejningsejendom, Birkevej
// 10-14, 4000 Roskilde".
func (m *addressModel) designation(p *property) string {
	first := p.first
	last := p.first + p.count - 1
	pc := m.postalOf(first)
	town := strconv.Itoa(pc.code) + " " + pc.district
	switch p.kind {
	case propHouse:
		return "Enfamiliehus, " + m.standardAddress(first) + ", " + town
	case propCondo:
		return "Ejerlejlighed, " + m.standardAddress(first) + ", " + town
	}
	s := m.streetOf(first).name + " " + m.houses[m.dwellings[first].house].number
	if h := m.houses[m.dwellings[last].house].number; h != m.houses[m.dwellings[first].house].number {
		s += "-" + h
	}
	return "Udlejningsejendom, " + s + ", " + town
}

// writeAddresses writes dar_adresse.
func (g *generator) writeAddresses() {
	m := g.model
	w := g.w
	for i := range m.dwellings {
		d := &m.dwellings[i]
		s := m.streetOf(int32(i))
		pc := m.postalOf(int32(i))
		id := uuid(g.opts.Seed, tagAddressID, uint64(i))
		hid := uuid(g.opts.Seed, tagHouseID, uint64(d.house))
		w.bytes(id[:])
		w.bytes(hid[:])
		w.int(int64(m.munis[s.muni].code))
		w.int(int64(s.code))
		w.str(s.name)
		w.str(m.houses[d.house].number)
		w.text(d.floorText())
		w.text(d.doorText())
		w.int(int64(pc.code))
		w.str(pc.district)
		w.int(m.props[d.prop].bfe)
		w.end()
	}
}

// writeOwners writes the current owners of a property, who bought it on
// day from, and its earlier owners.
func (g *generator) writeOwners(prop int32, r *rng, owners []cpr.Number, from day) {
	for _, o := range owners {
		g.writeOwnerRow(prop, "", o, from, 0)
	}
	g.writeEarlierOwners(prop, r, from)
}

// writeOwnership writes a current owner who does not live in the property
// (a private landlord or a company) and the earlier owners.
func (g *generator) writeOwnership(prop int32, r *rng, from day) {
	from = maxDay(from, date(1950, 1, 1))
	cvr, num := g.someOwner(r)
	g.writeOwnerRow(prop, cvr, num, from, 0)
	g.writeEarlierOwners(prop, r, from)
}

// earlierOwners is the distribution of the number of earlier owners.
var earlierOwners = cumulative([]float64{20, 40, 30, 10})

// writeEarlierOwners writes up to three owners before day until.
func (g *generator) writeEarlierOwners(prop int32, r *rng, until day) {
	for range r.pick(earlierOwners) {
		from := until - years(2+23*r.float())
		if from < date(1900, 1, 1) {
			return
		}
		cvr, num := g.someOwner(r)
		g.writeOwnerRow(prop, cvr, num, from, until)
		until = from
	}
}

// someOwner returns a company's CVR number or an adult's CPR number.
func (g *generator) someOwner(r *rng) (string, cpr.Number) {
	if g.ownersN == 0 || r.chance(0.3) {
		return g.model.companies[1+r.intn(len(g.model.companies)-1)], ""
	}
	return "", g.owners[r.intn(min(g.ownersN, ownerRing))]
}

func (g *generator) writeOwnerRow(prop int32, cvr string, num cpr.Number, from, to day) {
	w := g.w
	w.int(g.model.props[prop].bfe)
	w.str(cvr)
	w.str(string(num))
	w.date(from)
	w.date(to)
	if to == 0 {
		w.str("gældende")
	} else {
		w.str("historisk")
	}
	w.end()
}

// writeRemainingOwners writes the owners of the rental buildings and of the
// houses and flats without an owner living in them.
func (g *generator) writeRemainingOwners() {
	m := g.model
	for i := range m.props {
		prop := int32(i)
		p := &m.props[i]
		if g.owned[i] {
			continue
		}
		r := keyed(g.opts.Seed, uint64(prop), tagOwner)
		if p.kind != propRental {
			g.writeOwnership(prop, &r, m.dwellings[p.first].md-day(r.intn(3000)))
			continue
		}
		var cvr string
		var num cpr.Number
		if p.company >= 0 {
			cvr = m.companies[p.company]
		} else {
			cvr, num = g.someOwner(&r)
		}
		g.writeOwnerRow(prop, cvr, num, p.acquired, 0)
		g.writeEarlierOwners(prop, &r, p.acquired)
	}
}
