package gen

import (
	"math"

	"cprgraph/cpr"
)

// person is a person of the cluster being generated: the facts decided with
// the main random stream. Everything else about a person is derived from
// these facts and from a generator keyed by the person's ordinal when rows
// are written, so it costs nothing in runs that write other tables.
type person struct {
	self           int16 // index in the cluster
	ord            int32
	num            cpr.Number
	birth          day
	male           bool
	country        int8 // country of birth, -1 for Denmark
	nationality    int8 // citizenship at birth, -1 for Danish
	immig          day  // day of immigration, 0 for none
	gen            int8 // generation in the family: 0 for the founder
	outsider       bool // married into the family: no adult life of its own
	first, middle  string
	last           string
	mother, father int16 // cluster indices, -1 when not in the register
	kids           int8
	death          day // 0 while alive
	emig           day // emigration for good (status 80)
	emigTo         int8
	missing        day // disappearance (status 70)
	abroad         day // start of a stay abroad that ended on start
	start          day // first day of the own address history
	leave          day // day a child left its parents' home
	special        cpr.Status
	oldNum         cpr.Number // earlier number, kept as a record of status 50 or 60
	oldStatus      cpr.Status
	renumbered     day
	unions         []int16
	members        []membership
}

// end returns the day the person left the Danish register of residents:
// death, emigration or disappearance, or forever.
func (p *person) end() day {
	e := forever
	for _, d := range []day{p.death, p.emig, p.missing} {
		if d != 0 && d < e {
			e = d
		}
	}
	return e
}

// union is a couple living together, married or not.
type union struct {
	a, b          int16
	from          day // moved in together
	married       day // wedding or registration of partnership, 0 for none
	partnership   bool
	split         day // moved apart (divorce if married), 0 for never
	separation    day // legal separation before the divorce, 0 for none
	custodyFather bool
	hh            int16
}

// cluster is a family: a founder, partners, children and grandchildren,
// with their households. It is rebuilt for every family.
type cluster struct {
	people []person
	unions []union
	hhs    []household
	segs   []seg
}

func (c *cluster) reset() {
	c.people = c.people[:0]
	c.unions = c.unions[:0]
	c.hhs = c.hhs[:0]
	c.segs = c.segs[:0]
}

// add appends a person, reusing the slices of an earlier one.
func (c *cluster) add() (int16, *person) {
	if len(c.people) < cap(c.people) {
		c.people = c.people[:len(c.people)+1]
		p := &c.people[len(c.people)-1]
		*p = person{unions: p.unions[:0], members: p.members[:0]}
	} else {
		c.people = append(c.people, person{})
	}
	i := int16(len(c.people) - 1)
	p := &c.people[i]
	p.self = i
	p.mother, p.father, p.country, p.nationality, p.emigTo = -1, -1, -1, -1, -1
	return i, p
}

// Gompertz mortality: hazard b*e^(c*age) per year.
const (
	mortB = 1.3e-5
	mortC = 0.1
)

// deathAfter draws a day of death for a person born on birth who is alive
// on from (and on 1 January 1970: the register holds no one who died
// before), or 0 if the person is alive today.
func (g *generator) deathAfter(birth, from day) day {
	from = maxDay(from, date(1970, 1, 1))
	a0 := math.Max(0, float64(from-birth)/365.25)
	a := math.Log(math.Exp(mortC*a0)+mortC*g.r.exp(1)/mortB) / mortC
	d := birth + years(a)
	if d <= from {
		d = from + 1
	}
	if d > g.today {
		return 0
	}
	return d
}

// eraOf returns the name era of a birth day.
func eraOf(birth day) int {
	switch y := birth.year(); {
	case y < 1965:
		return 0
	case y < 1995:
		return 1
	default:
		return 2
	}
}

// newPerson adds a person to the cluster with a new CPR number and a name,
// or returns -1 when the population is complete.
func (g *generator) newPerson(birth day, male bool, country int8) int16 {
	if g.budget <= 0 {
		return -1
	}
	g.budget--
	i, p := g.c.add()
	p.ord = g.nextOrd
	g.nextOrd++
	p.birth, p.num = g.number(birth, male)
	p.male = male
	p.country, p.nationality = country, country
	r := &g.r
	if country >= 0 {
		c := &countries[country]
		p.first = oneOf(r, c.female)
		if male {
			p.first = oneOf(r, c.male)
		}
		p.last = oneOf(r, c.last)
		return i
	}
	era := eraOf(p.birth)
	if male {
		p.first = oneOf(r, maleNames[era])
	} else {
		p.first = oneOf(r, femaleNames[era])
	}
	if r.chance(0.2) {
		second := oneOf(r, femaleSecond)
		if male {
			second = oneOf(r, maleSecond)
		}
		if second != p.first {
			p.first += " " + second
		}
	}
	if r.chance(0.1) {
		p.middle = oneOf(r, middleNames)
	}
	p.last = lastNames[r.pick(lastNameCum)]
	return i
}

// number allocates the CPR number of a person born on birth. Numbers of one
// birth day and sex are spread over the serials in a seeded order; when a
// day has no serial left the person is born a day later. Later runs take
// the numbers from the tape.
func (g *generator) number(birth day, male bool) (day, cpr.Number) {
	t := g.tape
	if t.replaying {
		i := g.numPos
		g.numPos++
		return t.births[i], cpr.Number(t.numbers[i][:])
	}
	sex := cpr.Female
	if male {
		sex = cpr.Male
	}
	for {
		i := int(birth-g.serialBase) * 2
		if male {
			i++
		}
		if n := int(g.serials[i]); n < cpr.MaxSerial {
			g.serials[i]++
			num, err := cpr.New(birth.time(), (n*397+g.serialOff)%cpr.MaxSerial, sex)
			if err != nil {
				panic(err) // birth days are kept in the range cpr.New accepts
			}
			t.births = append(t.births, birth)
			t.numbers = append(t.numbers, [10]byte([]byte(num)))
			return birth, num
		}
		birth++
	}
}

// founderAge is the distribution of the age of a family's founder today.
var founderAge = []struct {
	lo, hi int
	weight float64
}{{18, 24, 0.35}, {25, 34, 0.4}, {35, 44, 0.5}, {45, 54, 0.7}, {55, 64, 1}, {65, 74, 2.2}, {75, 84, 2.8}, {85, 100, 2}}

var founderAgeCum = func() []float64 {
	w := make([]float64, len(founderAge))
	for i, a := range founderAge {
		w[i] = a.weight
	}
	return cumulative(w)
}()

func (g *generator) founderBirth() day {
	a := founderAge[g.r.pick(founderAgeCum)]
	return g.today - years(float64(a.lo)) - day(g.r.intn(int(years(float64(a.hi-a.lo+1)))))
}

// ownStart draws the day a person born in Denmark without parents in the
// register started an address history of its own.
func (g *generator) ownStart(birth day) day {
	return birth + years(18+math.Min(g.r.exp(2.5), 12))
}

// family generates a family cluster: a founder, the founder's partners and
// children, and the lives of the children and grandchildren.
func (g *generator) family(immigrant, single bool) {
	r := &g.r
	birth := g.founderBirth()
	male := single && r.chance(0.5)
	var country int8 = -1
	var immig day
	if immigrant {
		immig = birth + years(20+20*r.float())
		if immig < g.today-30 {
			country = int8(r.pick(immigrantCum))
		}
	}
	i := g.newPerson(birth, male, country)
	if i < 0 {
		return
	}
	p := &g.c.people[i]
	if country >= 0 {
		p.immig, p.start = immig, immig
	} else {
		p.start = g.ownStart(p.birth)
	}
	p.death = g.deathAfter(p.birth, p.start)
	if p.start >= g.today || (p.death != 0 && p.death <= p.start) {
		p.start = minDay(g.today-1, p.birth+years(18))
		p.death = 0
	}
	g.adultLife(i, !single)
	for j := int16(1); int(j) < len(g.c.people); j++ {
		q := &g.c.people[j]
		if !q.outsider && q.start != 0 && q.gen < 3 {
			g.adultLife(j, true)
		}
	}
	g.renumber()
}

// adultLife decides the unions of an adult from the start of its own address
// history: up to three partners, each with children, ended by a split or a
// partner's death; and, for those who end up alone without children, perhaps
// emigration or disappearance.
func (g *generator) adultLife(i int16, partnering bool) {
	r := &g.r
	t := g.c.people[i].start
	for n := 0; partnering && n < 3; n++ {
		p := &g.c.people[i]
		var u day
		if n == 0 {
			mean := 27.0
			if p.male {
				mean = 29
			}
			u = p.birth + years(math.Max(18.5, r.normal(mean, 4.5)))
			if p.immig == 0 || u > p.immig {
				// Immigrants may have come as a couple; others meet after
				// leaving home.
				u = maxDay(u, t+day(r.intn(365)))
			}
		} else {
			u = t + years(0.5+r.exp(3))
		}
		if u >= g.today || u >= p.end() || age(p.birth, u) > 75 {
			break
		}
		if !r.chance([]float64{0.88, 0.6, 0.35}[n]) {
			break
		}
		q := g.newPartner(i, u)
		if q < 0 {
			break
		}
		un := &g.c.unions[g.union(i, q, u)]
		if un.split != 0 {
			t = un.split
			continue
		}
		// The union lasts until a death; the survivor may find a new partner.
		p, other := &g.c.people[i], &g.c.people[q]
		if other.death == 0 || (p.death != 0 && p.death < other.death) || !r.chance(0.3) {
			return
		}
		t = other.death
	}
	g.leaveCountry(i, t)
}

// leaveCountry lets an adult who is alone and childless from t emigrate or,
// rarely, disappear.
func (g *generator) leaveCountry(i int16, t day) {
	r := &g.r
	p := &g.c.people[i]
	if p.kids > 0 || p.end() != forever || t >= g.today-200 {
		return
	}
	x := r.float()
	switch {
	case x < 0.12:
		p.emig = r.dayIn(t+180, g.today)
		p.emigTo = int8(r.pick(emigrationCum))
	case x < 0.1215:
		p.missing = r.dayIn(t+180, g.today)
	}
}

// newPartner adds a partner from outside the family for person i, moving
// in together on day u.
func (g *generator) newPartner(i int16, u day) int16 {
	r := &g.r
	p := &g.c.people[i]
	male := !p.male
	if r.chance(0.02) {
		male = p.male
	}
	diff := r.normal(2.5, 3.5)
	if !male {
		diff = -diff
	}
	if male == p.male {
		diff = r.normal(0, 4)
	}
	birth := p.birth - years(diff)
	birth = minDay(birth, u-years(18.2))
	birth = maxDay(birth, g.today-years(100))
	var country int8 = -1
	immig := day(0)
	switch {
	case p.country >= 0 && r.chance(0.8):
		country = p.country
		immig = minDay(p.immig, u)
	case p.country < 0 && r.chance(0.05):
		country = int8(r.pick(immigrantCum))
		immig = u - day(r.intn(3*365))
	}
	if country >= 0 && immig < birth+years(18) {
		immig = birth + years(18)
		if immig > u {
			country, immig = -1, 0
		}
	}
	q := g.newPerson(birth, male, country)
	if q < 0 {
		return -1
	}
	qp := &g.c.people[q]
	p = &g.c.people[i]
	qp.outsider, qp.gen = true, p.gen
	if country >= 0 {
		qp.immig, qp.start = immig, immig
		if p.immig > u {
			// They came to Denmark together.
			qp.immig, qp.start = p.immig, p.immig
		}
	} else {
		qp.start = minDay(g.ownStart(qp.birth), u)
	}
	qp.death = g.deathAfter(qp.birth, maxDay(u, qp.start))
	return q
}

// union makes persons a and b a couple from day from and decides marriage,
// split and children.
func (g *generator) union(a, b int16, from day) int16 {
	r := &g.r
	c := &g.c
	c.unions = append(c.unions, union{a: a, b: b, from: from, hh: -1})
	ui := int16(len(c.unions) - 1)
	un := &c.unions[ui]
	pa, pb := &c.people[a], &c.people[b]
	pa.unions = append(pa.unions, ui)
	pb.unions = append(pb.unions, ui)
	sameSex := pa.male == pb.male
	limit := minDay(g.today, minDay(pa.end(), pb.end()))

	marry := 0.62
	switch {
	case sameSex:
		marry = 0.45
	case pa.birth < date(1960, 1, 1):
		marry = 0.85
	}
	if r.chance(marry) {
		md := from + day(r.exp(700))
		if md < limit && (!sameSex || md >= date(1989, 10, 1)) {
			un.married = md
			un.partnership = sameSex && md < date(2012, 6, 15)
		}
	}
	split := 0.45
	switch {
	case pa.birth < date(1950, 1, 1):
		split = 0.2
	case un.married != 0:
		split = 0.33
	}
	if r.chance(split) {
		if s := from + years(1+r.exp(9)); s < limit {
			un.split = s
			un.custodyFather = r.chance(0.2)
			if un.married >= s {
				un.married, un.partnership = 0, false
			}
		}
	}
	if un.married != 0 && un.split != 0 && un.split.year() < 2013 && r.chance(0.35) {
		if sep := un.split - day(r.between(180, 400)); sep > un.married {
			un.separation = sep
		}
	}
	if !sameSex {
		g.children(ui, limit)
	}
	return ui
}

// kidsFirst and kidsLater are the distributions of the number of children
// of a woman's first union and of later ones.
var (
	kidsFirst = cumulative([]float64{16, 17, 42, 19, 6})
	kidsLater = cumulative([]float64{65, 25, 10})
)

// children adds the children of a union, born while the couple lives
// together and the mother is under 44.
func (g *generator) children(ui int16, limit day) {
	r := &g.r
	c := &g.c
	un := c.unions[ui]
	mother, father := un.a, un.b
	if c.people[mother].male {
		mother, father = father, mother
	}
	m := &c.people[mother]
	cum := kidsLater
	if len(m.unions) == 1 {
		cum = kidsFirst
	}
	n := r.pick(cum)
	end := minDay(limit, m.birth+years(44))
	if un.split != 0 {
		end = minDay(end, un.split)
	}
	t := un.from + day(180+r.intn(3*365))
	for range n {
		if t >= end || g.newChild(mother, father, t, ui) < 0 {
			return
		}
		t += day(400 + r.exp(700))
	}
}

// newChild adds a child of mother and father born on birth.
func (g *generator) newChild(mother, father int16, birth day, ui int16) int16 {
	r := &g.r
	c := &g.c
	m := &c.people[mother]
	var country int8 = -1
	if birth < m.immig {
		country = m.country
	}
	k := g.newPerson(birth, r.chance(0.513), country)
	if k < 0 {
		return -1
	}
	kid := &c.people[k]
	m, f := &c.people[mother], &c.people[father]
	kid.mother, kid.father = mother, father
	kid.gen = max(m.gen, f.gen) + 1
	m.kids++
	f.kids++
	if country >= 0 {
		kid.immig = m.immig
	} else if m.nationality >= 0 && r.chance(0.5) {
		kid.nationality = m.nationality
	}
	if m.country < 0 || f.country < 0 || country < 0 {
		kid.last = f.last
		if c.unions[ui].married == 0 && r.chance(0.4) {
			kid.last = m.last
		}
		if m.last != kid.last && r.chance(0.25) {
			kid.middle = m.last
		}
	}
	kid.death = g.deathAfter(kid.birth, kid.birth)
	adult := kid.birth.addYears(18)
	if adult >= g.today || (kid.death != 0 && kid.death <= adult) {
		return k
	}
	kid.leave = adult + day(r.intn(int(minDay(years(7), g.today-adult))))
	if kid.death != 0 && kid.death <= kid.leave {
		kid.leave = 0
		return k
	}
	kid.start = kid.leave
	if r.chance(0.03) {
		back := kid.leave + years(1+r.exp(2))
		if back < g.today-30 && (kid.death == 0 || back < kid.death) {
			kid.abroad, kid.start = kid.leave, back
		}
	}
	return k
}

// cprStart is the day CPR started.
var cprStart = date(1968, 4, 2)

// renumber gives a few living persons an earlier CPR number: a duplicate
// number that was deleted (status 50), or a number changed with a new legal
// sex (status 60).
func (g *generator) renumber() {
	r := &g.r
	for i := range g.c.people {
		p := &g.c.people[i]
		if !p.resident() || g.budget <= 0 || !r.chance(0.001) {
			continue
		}
		g.budget--
		if r.chance(0.4) {
			p.oldStatus = cpr.StatusDeletedDuplicate
			from := maxDay(p.birth, cprStart)
			p.renumbered = from + day(r.intn(int(minDay(years(20), g.today-from))+1))
			_, p.oldNum = g.number(p.birth, p.male)
			continue
		}
		from := maxDay(date(2014, 9, 1), p.birth.addYears(18))
		if from >= g.today {
			g.budget++
			continue
		}
		p.oldStatus = cpr.StatusChanged
		p.renumbered = r.dayIn(from, g.today)
		_, p.oldNum = g.number(p.birth, !p.male)
	}
}

// special adds a person without an address in Denmark: a foreigner with a
// number for tax purposes only (status 20) or a cancelled number (status 30).
func (g *generator) special() {
	r := &g.r
	birth := g.today - years(20+50*r.float())
	i := g.newPerson(birth, r.chance(0.6), int8(r.pick(immigrantCum)))
	if i < 0 {
		return
	}
	p := &g.c.people[i]
	p.special = cpr.StatusTaxOnly
	if r.chance(0.2) {
		p.special = cpr.StatusCancelled
	}
}
