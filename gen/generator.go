package gen

import (
	"context"

	"cprgraph/cpr"
)

// ownerRing is the number of recent adults remembered as candidate owners
// of properties their owners do not live in.
const ownerRing = 4096

// generator generates the population once, writing the rows of one table.
// Persons and their lives come from one random stream consumed in a fixed
// order, so every run decides the same. The first run also decides where
// households live and which CPR numbers persons get, and records that on a
// tape that later runs replay. Facts needed by one table only are derived
// with keyed generators when that table is written.
type generator struct {
	opts          Options
	model         *addressModel
	today         day
	table         tableID
	w             *rowWriter
	r             rng // decides persons and their lives
	pr            rng // decides where households live
	tape          *tape
	hhPos         int // households replayed from the tape
	stayPos       int // stays replayed from the tape
	numPos        int // numbers replayed from the tape
	occ           *occupancy
	serials       []uint16
	serialBase    day
	serialOff     int
	budget        int
	nextOrd       int32
	c             cluster
	demoQueue     []int32
	demoProtected int32
	owners        [ownerRing]cpr.Number
	ownersN       int
	owned         []bool // properties whose owners have been written
	segBuf        []seg
	nameBuf       []name
	civilBuf      []civil
}

// tape records the decisions of the first run that are costly to make —
// where households live and the CPR numbers — so that later runs replay
// them instead of deciding again.
type tape struct {
	replaying bool
	stays     []seg    // the stays of every household, in order
	counts    []uint16 // the number of stays of each household
	births    []day    // the birth day of each number given out
	numbers   [][10]byte
}

// newGenerator returns a generator that writes the rows of table to w,
// recording its costly decisions on t or replaying them from it.
func newGenerator(m *addressModel, opts Options, table tableID, w *rowWriter, t *tape) *generator {
	g := &generator{
		opts:   opts,
		model:  m,
		today:  m.today,
		table:  table,
		w:      w,
		r:      keyed(opts.Seed, 1),
		pr:     keyed(opts.Seed, 3),
		tape:   t,
		budget: opts.Persons,
	}
	if table == tEjerskab {
		g.owned = make([]bool, len(m.props))
	}
	if !t.replaying {
		g.occ = newOccupancy(m)
		g.serialBase = m.today - years(110)
		g.serials = make([]uint16, 2*int(m.today-g.serialBase+400))
		sr := keyed(opts.Seed, 2)
		g.serialOff = sr.intn(cpr.MaxSerial)
	}
	g.demoProtected = -1
	for _, prop := range m.demo {
		p := &m.props[prop]
		for dw := p.first; dw < p.first+p.count; dw++ {
			g.demoQueue = append(g.demoQueue, dw)
		}
	}
	if len(g.demoQueue) > 0 {
		g.demoProtected = g.demoQueue[0]
	}
	return g
}

// run generates the population and writes the rows of the generator's table.
func (g *generator) run(ctx context.Context) error {
	switch g.table {
	case tEjendom:
		g.writeProperties()
		return nil
	case tDarAdresse:
		g.writeAddresses()
		return nil
	}
	for n := 0; g.budget > 0; n++ {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := g.cluster(); err != nil {
			return err
		}
		g.write()
		if g.w.err != nil {
			return g.w.err
		}
	}
	if g.table == tEjerskab {
		g.writeRemainingOwners()
	}
	g.tape.replaying = true
	return nil
}

// cluster generates one family (or a single person) and places its
// households.
func (g *generator) cluster() error {
	g.c.reset()
	switch x := g.r.float(); {
	case x < 0.004:
		g.special()
	case x < 0.1 || g.budget < 4:
		g.family(false, true)
	case x < 0.21:
		g.family(true, false)
	default:
		g.family(false, false)
	}
	g.timelines()
	if err := g.placeHouseholds(); err != nil {
		return err
	}
	g.rememberOwners()
	return nil
}

// rememberOwners keeps the adults of the family who live here as
// candidate owners of later properties.
func (g *generator) rememberOwners() {
	for i := range g.c.people {
		p := &g.c.people[i]
		if p.resident() && p.start != 0 && age(p.birth, g.today) >= 25 {
			g.owners[g.ownersN%ownerRing] = p.num
			g.ownersN++
		}
	}
}

// settle is called for every current household hi, living in dw since day
// m. In the ejerskab run it writes the owners of a house or condominium
// flat: mostly its adult residents, otherwise a landlord.
func (g *generator) settle(hi int16, dw int32, m day) {
	if g.table != tEjerskab {
		return
	}
	prop := g.model.dwellings[dw].prop
	if g.model.props[prop].kind == propRental {
		return
	}
	g.owned[prop] = true
	r := keyed(g.opts.Seed, uint64(prop), tagOwner)
	share := 0.85
	if g.model.props[prop].kind == propCondo {
		share = 0.65
	}
	var adults []cpr.Number
	for i := range g.c.people {
		p := &g.c.people[i]
		for _, mb := range p.members {
			if mb.hh == hi && mb.to == forever && age(p.birth, g.today) >= 20 {
				adults = append(adults, p.num)
			}
		}
	}
	if len(adults) == 0 || !r.chance(share) {
		g.writeOwnership(prop, &r, m-day(r.intn(3000)))
		return
	}
	if len(adults) > 2 || !r.chance(0.6) {
		adults = adults[:1]
	}
	from := m - day(r.intn(90))
	g.writeOwners(prop, &r, adults, from)
}
