package gen

import (
	"strconv"

	"cprgraph/cpr"
)

// personWriters write the rows of one table for one person.
var personWriters = [...]func(*generator, *person){
	tPerson:                (*generator).writePerson,
	tPersonfamilie:         (*generator).writeFamily,
	tPersonkontakt:         (*generator).writeContact,
	tPersonudvidet:         (*generator).writeExtended,
	tBarnrelation:          (*generator).writeChildRelations,
	tDeltbopael:            (*generator).writeSharedResidence,
	tForaeldremyndighed:    (*generator).writeCustody,
	tHistAdresser:          (*generator).writeAddressHistory,
	tHistCivilstande:       (*generator).writeCivilHistory,
	tHistFolkekirke:        (*generator).writeChurchHistory,
	tHistForsvind:          (*generator).writeDisappearances,
	tHistNavne:             (*generator).writeNameHistory,
	tHistPersonnumre:       (*generator).writeNumberHistory,
	tHistRejse:             (*generator).writeTravels,
	tHistSeparationer:      (*generator).writeSeparations,
	tHistStatsborgerskaber: (*generator).writeCitizenshipHistory,
	tNotat:                 (*generator).writeNotes,
	tUmyndiggoerelse:       (*generator).writeGuardianship,
}

// write writes the rows of the generator's table for the cluster.
func (g *generator) write() {
	if int(g.table) >= len(personWriters) || personWriters[g.table] == nil {
		return
	}
	fn := personWriters[g.table]
	for i := range g.c.people {
		p := &g.c.people[i]
		if p.special == cpr.StatusCancelled && g.table != tPerson {
			continue
		}
		fn(g, p)
	}
}

// id writes the id of the seq'th row of the table for p.
func (g *generator) id(p *person, seq int) {
	id := recordID(g.opts.Seed, g.table, p.ord, seq)
	g.w.bytes(id[:])
}

// writeDwelling writes kommune_kode, vej_kode, husnummer, etage and
// side_doer_nummer of a dwelling, or NULLs for -1.
func (g *generator) writeDwelling(dw int32) {
	if dw < 0 {
		for range 5 {
			g.w.null()
		}
		return
	}
	g.w.raw(g.model.dwellingCols[dw])
}

func sexOf(male bool) cpr.Sex {
	if male {
		return cpr.Male
	}
	return cpr.Female
}

func (g *generator) writePerson(p *person) {
	w := g.w
	names := g.names(p)
	cur := names[len(names)-1]
	status, since := g.status(p)
	pr := g.protectionsOf(p)
	dw, _ := g.current(p)
	w.str(string(p.num))
	w.str(addressingName(cur))
	w.str(cur.first)
	w.str(cur.middle)
	w.str(cur.last)
	w.date(cur.from)
	w.date(p.birth)
	w.str(string(sexOf(p.male)))
	w.str(string(status))
	w.date(since)
	w.null()
	w.str(g.occupation(p))
	w.date(pr.nameStart)
	w.date(pr.nameEnd)
	g.writeDwelling(dw)
	if dw < 0 {
		for range 4 {
			w.null()
		}
	} else {
		pc := g.model.postalOf(dw)
		w.str(g.model.streetOf(dw).name)
		w.int(int64(pc.code))
		w.str(pc.district)
		w.str(g.model.standardAddress(dw))
	}
	w.end()
	if p.oldNum != "" {
		g.writeOldNumber(p, names)
	}
}

// writeOldNumber writes the record of a person's earlier number, with the
// name the person had then.
func (g *generator) writeOldNumber(p *person, names []name) {
	w := g.w
	old := names[0]
	for _, n := range names {
		if n.from < p.renumbered {
			old = n
		}
	}
	w.str(string(p.oldNum))
	w.str(addressingName(old))
	w.str(old.first)
	w.str(old.middle)
	w.str(old.last)
	w.date(old.from)
	w.date(dayOf(p.oldNum.BirthDate()))
	w.str(string(p.oldNum.Sex()))
	w.str(string(p.oldStatus))
	w.date(p.renumbered)
	w.str(string(p.num))
	for range 12 {
		w.null()
	}
	w.end()
}

// occupation returns the old CPR field stilling for some adults.
func (g *generator) occupation(p *person) string {
	r := g.keyed(p, tagOccupation)
	a := age(p.birth, minDay(g.today, p.end()))
	switch {
	case p.special != "" || a < 18 || !r.chance(0.25):
		return ""
	case a >= 67:
		return "Pensionist"
	default:
		return oneOf(&r, occupations)
	}
}

func (g *generator) writeFamily(p *person) {
	w := g.w
	w.str(string(p.num))
	if p.special != "" {
		g.writeForeignSpouse(p)
	} else {
		civ := g.civilStatuses(p)
		cur := civ[len(civ)-1]
		w.str(string(cur.status))
		w.date(cur.from)
		g.writeRelative(cur.spouse)
		w.null()
		w.null()
		sep := g.currentSeparation(p)
		w.date(sep)
		if sep != 0 {
			w.date(cur.from)
		} else {
			w.null()
		}
	}
	r := g.keyed(p, tagFamily)
	g.writeParent(p, p.mother, false, &r)
	g.writeParent(p, p.father, true, &r)
	w.end()
}

// writeForeignSpouse writes the civil status of a person without an
// address here, whose spouse is not in CPR: by name and birth day only.
func (g *generator) writeForeignSpouse(p *person) {
	w := g.w
	r := g.keyed(p, tagFamily)
	if !r.chance(0.4) {
		w.str(string(cpr.CivilUnmarried))
		w.date(p.birth)
		for range 5 {
			w.null()
		}
		return
	}
	c := &countries[p.country]
	spouse := oneOf(&r, c.male)
	if p.male {
		spouse = oneOf(&r, c.female)
	}
	w.str(string(cpr.CivilMarried))
	w.date(p.birth + years(25+10*r.float()))
	w.null()
	w.str(spouse + " " + p.last)
	w.date(p.birth + day(r.between(-2000, 2000)))
	w.null()
	w.null()
}

// currentSeparation returns the start of a legal separation of a married
// couple that still lives together, or 0. It is decided per couple.
func (g *generator) currentSeparation(p *person) day {
	if len(p.unions) == 0 {
		return 0
	}
	un := &g.c.unions[p.unions[len(p.unions)-1]]
	if un.married == 0 || un.split != 0 || un.partnership || g.c.people[un.a].end() != forever || g.c.people[un.b].end() != forever {
		return 0
	}
	r := keyed(g.opts.Seed, uint64(g.c.people[un.a].ord), tagSeparation)
	if !r.chance(0.005) {
		return 0
	}
	return maxDay(un.married+1, g.today-day(r.between(1, 360)))
}

// writeRelative writes the CPR number of cluster person i, or NULL.
func (g *generator) writeRelative(i int16) {
	if i < 0 {
		g.w.null()
		return
	}
	g.w.str(string(g.c.people[i].num))
}

// writeParent writes the four mother or father columns of personfamilie:
// the parent's CPR number if in the register, else for some persons born
// after 1950 the parent's name and birth day.
func (g *generator) writeParent(p *person, parent int16, father bool, r *rng) {
	w := g.w
	if parent >= 0 {
		w.str(string(g.c.people[parent].num))
		d := p.birth
		if father && g.parentsUnion(p).married == 0 {
			d += day(r.intn(90))
		}
		w.date(d)
		w.null()
		w.null()
		return
	}
	if p.birth < date(1950, 1, 1) || p.country >= 0 || !r.chance(0.6) {
		for range 4 {
			w.null()
		}
		return
	}
	era := eraOf(p.birth - years(30))
	first := oneOf(r, femaleNames[era])
	if father {
		first = oneOf(r, maleNames[era])
	}
	w.null()
	w.null()
	w.str(first + " " + p.last)
	w.date(p.birth - years(22+14*r.float()))
}

func (g *generator) writeContact(p *person) {
	w := g.w
	dw, since := g.current(p)
	w.str(string(p.num))
	g.writeDwelling(dw)
	if dw < 0 {
		for range 6 {
			w.null()
		}
	} else {
		w.date(since)
		w.date(since)
		w.int(int64(g.model.muniOf(dw).code))
		g.writeMunicipalityMove(g.addresses(p))
	}
	cit := g.citizenships(p)
	w.int(int64(cit[len(cit)-1].code))
	w.date(cit[len(cit)-1].from)
	r := g.keyed(p, tagContact)
	switch {
	case p.emig != 0:
		w.date(p.emig)
		c := &countries[p.emigTo]
		w.int(int64(c.code))
		g.writeForeignAddress(c, &r)
	case p.special == cpr.StatusTaxOnly:
		w.null()
		w.null()
		g.writeForeignAddress(&countries[p.country], &r)
	default:
		for range 5 {
			w.null()
		}
	}
	w.date(p.missing)
	if c := contacts[r.intn(len(contacts))]; dw >= 0 && r.chance(0.004) {
		w.str(c.line1)
		w.str(c.line2)
		w.str(c.line3)
		w.date(g.today - day(r.between(1, 2000)))
	} else {
		for range 4 {
			w.null()
		}
	}
	if dw >= 0 && r.chance(0.003) {
		w.str(g.model.streetOf(int32(r.intn(len(g.model.dwellings)))).name + " " + strconv.Itoa(r.between(1, 60)))
		w.str("6990 Ulfborg")
	} else {
		w.null()
		w.null()
	}
	pr := g.protectionsOf(p)
	for _, d := range []day{pr.nameStart, pr.nameEnd, pr.marketStart, pr.marketEnd, pr.directoryStart, pr.directoryEnd, pr.researchStart, pr.researchEnd} {
		w.date(d)
	}
	w.end()
}

// writeMunicipalityMove writes tilflytning_kommune_dato,
// fraflytning_kommune_kode and fraflytning_kommune_dato of a person with a
// current address and the given addresses: when the person moved into the
// current municipality, and from where.
func (g *generator) writeMunicipalityMove(segs []seg) {
	w := g.w
	n := len(segs) - 1
	muni := g.model.streetOf(segs[n].dw).muni
	i := n
	for i > 0 && g.model.streetOf(segs[i-1].dw).muni == muni && segs[i-1].to == segs[i].from {
		i--
	}
	w.date(segs[i].from)
	if i == 0 || segs[i-1].to != segs[i].from {
		w.null()
		w.null()
		return
	}
	w.int(int64(g.model.muniOf(segs[i-1].dw).code))
	w.date(segs[i].from)
}

// writeForeignAddress writes three lines of an address in country c.
func (g *generator) writeForeignAddress(c *country, r *rng) {
	n := strconv.Itoa(r.between(1, 250))
	line1 := c.street + " " + n
	if c.numFirst {
		line1 = n + " " + c.street
	}
	city := oneOf(r, c.cities)
	line2 := city
	if c.postDigit > 0 {
		code := strconv.Itoa(r.between(1, 9))
		for range c.postDigit - 1 {
			code += strconv.Itoa(r.intn(10))
		}
		line2 = code + " " + city
	}
	g.w.str(line1)
	g.w.str(line2)
	g.w.str(c.name)
}

func (g *generator) writeExtended(p *person) {
	w := g.w
	w.str(string(p.num))
	ch := g.churchRelations(p)
	w.str(string(ch[len(ch)-1].code))
	w.date(ch[len(ch)-1].from)
	g.writeBirthPlace(p)
	g.writeElection(p)
	g.writeMunicipalRelation(p)
	w.end()
}

// writeBirthPlace writes where a birth was registered: the municipality of
// the first address, or the country of birth.
func (g *generator) writeBirthPlace(p *person) {
	w := g.w
	if p.country >= 0 {
		w.int(int64(countries[p.country].code))
		w.str(countries[p.country].name)
		return
	}
	var mu *municipality
	if segs := g.addresses(p); len(segs) > 0 && segs[0].from == p.birth {
		mu = g.model.muniOf(segs[0].dw)
	} else {
		r := g.keyed(p, tagBirthPlace)
		mu = &g.model.munis[r.pick(g.model.muniCum)]
	}
	w.int(int64(mu.code))
	name := []rune(mu.name)
	w.str(string(name[:min(len(name), 20)]))
}

// writeElection writes the election code and its days: ordinary suffrage
// for adult Danish citizens, EU suffrage for some EU citizens living here,
// and the codes for Danes abroad for some emigrants.
func (g *generator) writeElection(p *person) {
	w := g.w
	cit := g.citizenships(p)
	cur := cit[len(cit)-1]
	adult := p.birth.addYears(18)
	r := g.keyed(p, tagElection)
	code, from, until := cpr.ElectionCode(0), day(0), day(0)
	switch {
	case p.special != "" || adult >= g.today:
	case cur.code == denmark && p.emig != 0:
		if r.chance(0.15) {
			code, from = cpr.ElectionEUNo, p.emig
			if r.chance(0.5) {
				code = cpr.ElectionEUCopenhagen
			}
		}
	case cur.code == denmark:
		code, from = cpr.ElectionOrdinary, maxDay(adult, cur.from)
		until = p.death
	case p.resident() && cur.code != 5172 && cur.code != 5390 && cur.code != 5110 && cur.code != 5170 && r.chance(0.4):
		code, from = cpr.ElectionEUYes, maxDay(adult, p.immig+day(r.intn(700)))
		if from >= g.today {
			code = 0
		}
	}
	if code == 0 {
		for range 4 {
			w.null()
		}
		return
	}
	w.int(int64(code))
	if code == cpr.ElectionOrdinary {
		w.date(from)
	} else {
		w.null()
	}
	w.date(from)
	w.date(until)
}

// writeMunicipalRelation writes kommunale forhold: old-age pension from 67,
// disability pension for a few, foster children.
func (g *generator) writeMunicipalRelation(p *person) {
	w := g.w
	r := g.keyed(p, tagMunicipal)
	a := age(p.birth, g.today)
	typ, code, from := 0, "", day(0)
	switch {
	case !p.resident():
	case a >= 67:
		typ, code, from = 3, "F", p.birth.addYears(67)
	case a >= 40 && r.chance(0.03):
		typ, code, from = 3, "I", p.birth.addYears(40)+day(r.intn(int(g.today-p.birth.addYears(40))+1))
	case a < 18 && p.mother >= 0 && r.chance(0.005):
		typ, code, from = 2, "P", p.birth+day(r.intn(int(g.today-p.birth)+1))
	}
	if typ == 0 {
		for range 3 {
			w.null()
		}
		return
	}
	w.int(int64(typ))
	w.str(code)
	w.date(from)
}

func (g *generator) writeChildRelations(p *person) {
	for _, parent := range []int16{p.mother, p.father} {
		if parent < 0 {
			continue
		}
		num := g.c.people[parent].num
		w := g.w
		w.str(string(num) + string(p.num) + "1")
		w.str(string(p.num))
		w.str(string(num))
		w.end()
	}
}

// minor reports whether p is a child living here today.
func (g *generator) minor(p *person) bool {
	return p.mother >= 0 && p.resident() && p.birth.addYears(18) > g.today
}

// deltBopael is the day shared residence of children was introduced.
var deltBopael = date(2019, 4, 1)

func (g *generator) writeSharedResidence(p *person) {
	if !g.minor(p) {
		return
	}
	un := g.parentsUnion(p)
	r := g.keyed(p, tagShared)
	if un.split == 0 || !r.chance(0.25) {
		return
	}
	start := maxDay(un.split, deltBopael) + day(r.intn(365))
	if start >= g.today {
		return
	}
	g.w.str(string(p.num))
	g.w.date(start)
	g.w.end()
}

// writeCustody writes who has parental custody of a child: both parents
// from birth (the father from paternity when unmarried), until a parent's
// death or, after some splits, the end of the shared custody; another
// holder when both parents have died.
func (g *generator) writeCustody(p *person) {
	if !g.minor(p) {
		return
	}
	r := g.keyed(p, tagCustody)
	un := g.parentsUnion(p)
	sole := un.split != 0 && r.chance(0.35)
	mother, father := &g.c.people[p.mother], &g.c.people[p.father]
	for _, parent := range []*person{mother, father} {
		typ := cpr.CustodyMother
		from := p.birth
		if parent == father {
			typ = cpr.CustodyFather
			if un.married == 0 || un.married > p.birth {
				from += day(r.intn(90))
			}
		}
		end := parent.death
		if sole && (parent == father) != un.custodyFather {
			end = minDay(g.today, un.split+day(r.between(30, 300)))
		}
		g.writeCustodyRow(p, typ, from, end, nil, 0)
	}
	if mother.death != 0 && father.death != 0 {
		if gp := g.grandparent(p); gp != nil {
			g.writeCustodyRow(p, cpr.CustodyOther1, maxDay(mother.death, father.death), 0, gp, maxDay(mother.death, father.death))
		}
	}
}

// grandparent returns a living grandparent of p in the register, or nil.
func (g *generator) grandparent(p *person) *person {
	for _, parent := range []int16{p.mother, p.father} {
		for _, gp := range []int16{g.c.people[parent].mother, g.c.people[parent].father} {
			if gp >= 0 && g.c.people[gp].resident() {
				return &g.c.people[gp]
			}
		}
	}
	return nil
}

func (g *generator) writeCustodyRow(p *person, typ cpr.CustodyType, from, end day, holder *person, holderFrom day) {
	w := g.w
	w.str(string(p.num) + string(typ) + "0000001")
	w.str(string(p.num))
	w.str(string(typ))
	w.str(typ.Text())
	w.date(from)
	w.date(end)
	if holder == nil {
		w.null()
		w.null()
	} else {
		w.str(string(holder.num))
		w.date(holderFrom)
	}
	w.end()
}
