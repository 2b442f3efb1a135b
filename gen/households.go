package gen

import "errors"

// membership is a person's stay in a household.
type membership struct {
	hh       int16
	from, to day
}

// seg is a household's stay in a dwelling.
type seg struct {
	dw       int32
	from, to day
}

// household is a group of persons who move together: a couple with the
// children living with them, or a person living alone (perhaps with
// children). Its end is forever while someone still lives in it.
type household struct {
	start, end day
	family     bool // children have lived in it
	first, n   int  // its stays, in cluster.segs
}

var errNoDwellings = errors.New("gen: no free dwelling left")

// timelines decides every person's households: the households of the
// parents while a child, then living alone or with partners as an adult.
// Parents come before their children in the cluster, so their timelines are
// ready when a child follows them.
func (g *generator) timelines() {
	c := &g.c
	for i := range c.people {
		k := int16(i)
		p := &c.people[i]
		if p.special != "" {
			continue
		}
		if p.mother >= 0 {
			g.childhood(k)
		}
		if c.people[i].start != 0 {
			g.adulthood(k)
		}
	}
}

// childhood makes a child live with its mother until its parents split,
// then with the parent who has custody, and with the other parent when the
// first one dies. A child left with no parent starts living on its own.
func (g *generator) childhood(k int16) {
	c := &g.c
	kid := &c.people[k]
	from := kid.birth
	if kid.immig != 0 {
		from = kid.immig
	}
	to := kid.leave
	if to == 0 {
		to = kid.end()
	}
	if from >= to {
		return
	}
	un := g.parentsUnion(kid)
	mother, father := kid.mother, kid.father
	t := from
	if un.split == 0 || un.split >= to {
		t = g.follow(k, t, to, mother, father)
	} else {
		t = g.follow(k, t, un.split, mother, father)
		first, second := mother, father
		if un.custodyFather {
			first, second = father, mother
		}
		if t == un.split {
			t = g.follow(k, t, to, first, second)
		}
	}
	if t < to {
		kid = &c.people[k]
		kid.leave, kid.start = t, t
	}
}

// parentsUnion returns the union a child was born in.
func (g *generator) parentsUnion(kid *person) *union {
	for _, ui := range g.c.people[kid.mother].unions {
		un := &g.c.unions[ui]
		if un.a == kid.father || un.b == kid.father {
			return un
		}
	}
	panic("gen: child without its parents' union")
}

// follow adds memberships for child k in the households of the parents
// from day from to day to, and returns the day up to which it found a home.
func (g *generator) follow(k int16, from, to day, parents ...int16) day {
	t := from
	for _, par := range parents {
		for _, m := range g.c.people[par].members {
			if m.to <= t || m.from >= to {
				continue
			}
			if m.from > t {
				break
			}
			end := minDay(m.to, to)
			g.join(k, m.hh, t, end)
			g.c.hhs[m.hh].family = true
			t = end
		}
		if t >= to {
			break
		}
	}
	return t
}

// adulthood adds an adult's households from the start of its own address
// history: its unions, with spells of living alone between them.
func (g *generator) adulthood(i int16) {
	c := &g.c
	p := &c.people[i]
	t, end := p.start, p.end()
	for n, ui := range p.unions {
		un := &c.unions[ui]
		home := maxDay(un.from, maxDay(c.people[un.a].start, c.people[un.b].start))
		leave := end
		if un.split != 0 {
			leave = minDay(leave, un.split)
		}
		if n+1 < len(p.unions) {
			leave = minDay(leave, c.unions[p.unions[n+1]].from)
		}
		if home >= leave || leave <= t {
			continue
		}
		if home-t >= 60 {
			g.alone(i, t, home)
			t = home
		}
		g.join(i, g.unionHome(un, t), t, leave)
		t = leave
	}
	if t < end {
		g.alone(i, t, end)
	}
}

func (g *generator) unionHome(un *union, start day) int16 {
	if un.hh < 0 {
		un.hh = g.newHousehold(start)
	}
	return un.hh
}

func (g *generator) alone(i int16, from, to day) {
	g.join(i, g.newHousehold(from), from, to)
}

func (g *generator) newHousehold(start day) int16 {
	g.c.hhs = append(g.c.hhs, household{start: start, end: start})
	return int16(len(g.c.hhs) - 1)
}

func (g *generator) join(i, hh int16, from, to day) {
	p := &g.c.people[i]
	p.members = append(p.members, membership{hh, from, to})
	h := &g.c.hhs[hh]
	h.start = minDay(h.start, from)
	h.end = maxDay(h.end, to)
}

// placeHouseholds gives every household its dwellings: the current one
// for a household that still exists, and earlier ones back to its start.
// The first run records the stays on the tape; later runs replay them.
func (g *generator) placeHouseholds() error {
	for i := range g.c.hhs {
		hi := int16(i)
		h := &g.c.hhs[i]
		if g.tape.replaying {
			g.replayStays(hi)
		} else {
			if err := g.place(hi); err != nil {
				return err
			}
			g.tape.stays = append(g.tape.stays, g.c.segs[h.first:h.first+h.n]...)
			g.tape.counts = append(g.tape.counts, uint16(h.n))
		}
		if h.end == forever {
			cur := g.c.segs[h.first+h.n-1]
			g.settle(hi, cur.dw, cur.from)
		}
	}
	return nil
}

func (g *generator) replayStays(hi int16) {
	h := &g.c.hhs[hi]
	t := g.tape
	h.first = len(g.c.segs)
	h.n = int(t.counts[g.hhPos])
	g.hhPos++
	g.c.segs = append(g.c.segs, t.stays[g.stayPos:g.stayPos+h.n]...)
	g.stayPos += h.n
}

func (g *generator) place(hi int16) error {
	r := &g.pr
	c := &g.c
	h := &c.hhs[hi]
	h.first = len(c.segs)
	muni := r.pick(g.model.muniCum)
	cursor := h.end
	var next int32 = -1
	if h.end == forever {
		dw, m := g.home(h, muni)
		if dw < 0 {
			return errNoDwellings
		}
		c.segs = append(c.segs, seg{dw, m, forever})
		cursor, next, muni = m, dw, g.occ.muni(dw)
	}
	for cursor-h.start >= 30 {
		a := cursor - g.stayLength()
		if a-h.start < 180 {
			a = h.start
		}
		if !r.chance(0.65) {
			muni = r.pick(g.model.muniCum)
		}
		dw := g.occ.claim(r, muni, a, cursor, next)
		if dw < 0 {
			break
		}
		c.segs = append(c.segs, seg{dw, a, cursor})
		cursor, next, muni = a, dw, g.occ.muni(dw)
	}
	segs := c.segs[h.first:]
	for i, j := 0, len(segs)-1; i < j; i, j = i+1, j-1 {
		segs[i], segs[j] = segs[j], segs[i]
	}
	h.n = len(segs)
	return nil
}

// home finds the current dwelling of a household and its move-in day. The
// first households of a run fill the demo company's buildings.
func (g *generator) home(h *household, muni int) (int32, day) {
	r := &g.pr
	want := g.moveInDay(h.start)
	if len(g.demoQueue) > 0 {
		dw := g.demoQueue[0]
		g.demoQueue = g.demoQueue[1:]
		if r.chance(0.3) {
			want = maxDay(h.start, g.today-day(r.between(20, 300)))
		}
		return dw, g.occ.moveIn(dw, want)
	}
	house := 0.3
	if h.family {
		house = 0.6
	}
	kind := kindFlat
	if r.chance(house) {
		kind = kindHouse
	}
	return g.occ.takeCurrent(r, muni, kind, want)
}

// moveInDay draws the day a household living together since start moved
// into its current dwelling.
func (g *generator) moveInDay(start day) day {
	r := &g.pr
	for range 3 {
		var y float64
		switch x := r.float(); {
		case x < 0.35:
			y = r.exp(2.5)
		case x < 0.75:
			y = 15 * r.float()
		default:
			y = 15 + 30*r.float()
		}
		if m := g.today - years(y); m >= start {
			if m-start < 180 {
				return start // moved straight into it
			}
			return m
		}
	}
	return r.dayIn(start, g.today+1)
}

// stayLength draws how long a household stayed in an earlier dwelling.
func (g *generator) stayLength() day {
	r := &g.pr
	switch x := r.float(); {
	case x < 0.3:
		return years(1 + 3*r.float())
	case x < 0.75:
		return years(4 + 8*r.float())
	default:
		return years(12 + 15*r.float())
	}
}
