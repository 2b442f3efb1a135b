package gen

import (
	"cprgraph/cpr"
)

// writeAddressHistory writes a person's earlier addresses. As in CPR, a
// correction is a row marked 'K' next to the unmarked row it supersedes,
// and an annulment is a row marked 'A' next to the unmarked row of the move
// that never took effect. A few persons have a stay first recorded with a
// wrong move-in day and corrected, and some have a move, often within the
// last year, that was annulled.
func (g *generator) writeAddressHistory(p *person) {
	segs := g.addresses(p)
	r := g.keyed(p, tagMoves)
	corrected := -1
	if n := len(segs); n > 0 && r.chance(0.01) {
		corrected = r.intn(n)
	}
	seq := 0
	for i, s := range segs {
		if s.to == forever {
			continue
		}
		if i == corrected {
			wrong := s
			wrong.from -= day(r.between(3, 40))
			g.writeAddressRow(p, &seq, wrong, "")
			g.writeAddressRow(p, &seq, s, cpr.RetFortrydCorrected)
			continue
		}
		g.writeAddressRow(p, &seq, s, "")
	}
	if dw, since := g.current(p); dw >= 0 && r.chance(0.015) {
		from := maxDay(since, g.today-730) + day(r.intn(300))
		if from >= g.today {
			return
		}
		target := int32(r.intn(len(g.model.dwellings)))
		if len(g.model.demo) > 0 && r.chance(0.1) {
			demo := &g.model.props[g.model.demo[0]]
			target = demo.first + int32(r.intn(int(demo.count)))
		}
		if target == dw {
			return
		}
		undone := seg{target, from, minDay(from+day(r.between(1, 30)), g.today)}
		g.writeAddressRow(p, &seq, undone, "")
		g.writeAddressRow(p, &seq, undone, cpr.RetFortrydUndone)
	}
}

func (g *generator) writeAddressRow(p *person, seq *int, s seg, mark cpr.RetFortryd) {
	w := g.w
	g.id(p, *seq)
	*seq++
	w.str(string(p.num))
	g.writeDwelling(s.dw)
	w.date(s.from)
	w.date(s.to)
	w.str(string(mark))
	w.end()
}

func (g *generator) writeCivilHistory(p *person) {
	if p.special != "" {
		return
	}
	civ := g.civilStatuses(p)
	w := g.w
	for i, c := range civ[:len(civ)-1] {
		g.id(p, i)
		w.str(string(p.num))
		w.str(string(c.status))
		w.date(c.from)
		w.date(civ[i+1].from)
		g.writeRelative(c.spouse)
		w.date(c.separation)
		w.end()
	}
}

func (g *generator) writeChurchHistory(p *person) {
	ch := g.churchRelations(p)
	w := g.w
	for i, c := range ch[:len(ch)-1] {
		g.id(p, i)
		w.str(string(p.num))
		w.str(string(c.code))
		w.date(c.from)
		w.date(ch[i+1].from)
		w.end()
	}
}

// writeDisappearances writes a few disappearances of persons who were found
// again, some of them annulled.
func (g *generator) writeDisappearances(p *person) {
	r := g.keyed(p, tagMissing)
	if !p.resident() || p.start == 0 || !r.chance(0.0008) {
		return
	}
	gone := r.dayIn(p.start, g.today)
	found := gone + day(r.between(5, 400))
	if found >= g.today {
		return
	}
	w := g.w
	g.id(p, 0)
	w.str(string(p.num))
	w.date(gone)
	w.date(found)
	if r.chance(0.2) {
		w.str(string(cpr.RetFortrydUndone))
	} else {
		w.null()
	}
	w.end()
}

func (g *generator) writeNameHistory(p *person) {
	names := g.names(p)
	w := g.w
	for i, n := range names[:len(names)-1] {
		g.id(p, i)
		w.str(string(p.num))
		w.str(n.first)
		w.str(n.middle)
		w.str(n.last)
		w.date(n.from)
		w.date(names[i+1].from)
		w.end()
	}
}

func (g *generator) writeNumberHistory(p *person) {
	if p.oldNum == "" {
		return
	}
	w := g.w
	g.id(p, 0)
	w.str(string(p.num))
	w.str(string(p.oldNum))
	w.date(p.birth)
	w.date(p.renumbered)
	w.end()
}

// writeTravels writes immigrations, stays abroad and emigrations.
func (g *generator) writeTravels(p *person) {
	if p.special != "" {
		return
	}
	seq := 0
	if p.immig != 0 {
		g.writeTravel(p, &seq, 0, nil, p.immig, countries[p.country].code)
	}
	if p.abroad != 0 {
		r := g.keyed(p, tagTravel)
		c := &countries[r.pick(emigrationCum)]
		g.writeTravel(p, &seq, p.abroad, c, p.start, c.code)
	}
	if p.emig != 0 {
		g.writeTravel(p, &seq, p.emig, &countries[p.emigTo], 0, 0)
	}
}

// writeTravel writes a stay abroad: leaving on out for country to (with an
// address there), coming back on in from country code from.
func (g *generator) writeTravel(p *person, seq *int, out day, to *country, in day, from int) {
	w := g.w
	g.id(p, *seq)
	*seq++
	w.str(string(p.num))
	w.date(out)
	if to == nil {
		for range 4 {
			w.null()
		}
	} else {
		w.int(int64(to.code))
		r := g.keyed(p, tagContact)
		g.writeForeignAddress(to, &r)
	}
	w.date(in)
	w.intOrNull(from)
	w.end()
}

func (g *generator) writeSeparations(p *person) {
	w := g.w
	seq := 0
	for _, ui := range p.unions {
		un := &g.c.unions[ui]
		if un.separation == 0 {
			continue
		}
		g.id(p, seq)
		seq++
		w.str(string(p.num))
		w.date(un.separation)
		w.date(un.split)
		w.date(un.married)
		w.end()
	}
}

func (g *generator) writeCitizenshipHistory(p *person) {
	cit := g.citizenships(p)
	w := g.w
	for i, c := range cit[:len(cit)-1] {
		g.id(p, i)
		w.str(string(p.num))
		w.int(int64(c.code))
		w.date(c.from)
		w.date(cit[i+1].from)
		w.end()
	}
}

// writeNotes writes folkeregister notes for a few persons.
func (g *generator) writeNotes(p *person) {
	r := g.keyed(p, tagNote)
	if !r.chance(0.004) {
		return
	}
	w := g.w
	for n := range r.between(1, 2) {
		start := r.dayIn(maxDay(p.birth, p.immig), g.today+1)
		w.str(string(p.num) + string(rune('0'+n/10)) + string(rune('1'+n%10)) + "1")
		w.str(string(p.num))
		w.int(int64(n + 1))
		w.str(oneOf(&r, noteLines))
		w.date(start)
		if r.chance(0.3) {
			w.date(start + day(r.between(30, 3650)))
		} else {
			w.null()
		}
		w.end()
	}
}

// writeGuardianship writes the deprivation of legal capacity of a few
// adults, with an adult child as guardian when there is one in the register
// and otherwise a guardian known by name and address only.
func (g *generator) writeGuardianship(p *person) {
	r := g.keyed(p, tagGuardian)
	adult := p.birth.addYears(25)
	if !p.resident() || adult >= g.today || !r.chance(0.0015) {
		return
	}
	start := r.dayIn(adult, g.today)
	w := g.w
	guardian := g.adultChild(p)
	typ := cpr.GuardianNotInCPR
	if guardian != nil {
		typ = cpr.GuardianCPR
	}
	w.str(string(p.num) + string(typ) + "0000001")
	w.str(string(p.num))
	w.str(string(typ))
	w.str(typ.Text())
	w.date(start)
	w.null()
	if guardian != nil {
		w.str(string(guardian.num))
		w.date(start)
		for range 4 {
			w.null()
		}
	} else {
		v := guardians[r.intn(len(guardians))]
		w.null()
		w.null()
		w.str(v.name)
		w.date(start)
		w.str(v.line1)
		w.str(v.line2)
	}
	w.end()
}

// adultChild returns a child of p in the register who is an adult living
// here, or nil.
func (g *generator) adultChild(p *person) *person {
	for i := range g.c.people {
		k := &g.c.people[i]
		if (k.mother == p.self || k.father == p.self) && k.resident() && k.birth.addYears(25) < g.today {
			return k
		}
	}
	return nil
}
