package gen

// occupancy tracks, during one generation run, who lives where and when, so
// that the residents of a dwelling never overlap in time.
//
// Every dwelling has a day lo: periods may be given to it only if they end
// on or before lo, and a period [a, b) given to it lowers lo to a. A
// dwelling starts with lo at its plausible move-in day md; when a current
// household moves in on day m, lo becomes m if no period was given yet. A
// current household takes only a dwelling with md <= m, so it moves in
// after every earlier resident has left.
type occupancy struct {
	m      *addressModel
	state  []dwellingState
	loB    [][]slot
	freeB  [][]slot
	base   day     // first day of yearIdx
	yearOf []uint8 // year bucket of each day from base to today
}

// dwellingState is what occupancy knows about one dwelling.
type dwellingState struct {
	lo      day
	pos     int32 // index in its lo bucket
	muni    int16
	claimed bool // a past period was given to it
	taken   bool // a current household lives in it
}

// slot is a dwelling in a bucket with its lo or md, kept together so that
// searching a bucket reads consecutive memory.
type slot struct {
	dw int32
	d  day
}

func newOccupancy(m *addressModel) *occupancy {
	o := &occupancy{
		m:     m,
		state: make([]dwellingState, len(m.dwellings)),
		loB:   make([][]slot, len(m.munis)*m.years),
		freeB: make([][]slot, len(m.munis)*kinds*m.years),
		base:  date(m.firstYear, 1, 1),
	}
	o.yearOf = make([]uint8, m.today-o.base+1)
	for i := range o.yearOf {
		o.yearOf[i] = uint8((o.base + day(i)).year() - m.firstYear)
	}
	for i := range m.dwellings {
		dw := int32(i)
		d := &m.dwellings[i]
		o.state[i] = dwellingState{lo: d.md, muni: m.dwellingMuni[i]}
		o.addLo(dw)
		k := o.freeKey(o.muni(dw), m.kindOf(dw), o.yearIdx(d.md))
		o.freeB[k] = append(o.freeB[k], slot{dw, d.md})
	}
	return o
}

func (o *occupancy) muni(dw int32) int { return int(o.state[dw].muni) }

func (o *occupancy) yearIdx(d day) int {
	switch {
	case d < o.base:
		return 0
	case int(d-o.base) >= len(o.yearOf):
		return o.m.years - 1
	}
	return int(o.yearOf[d-o.base])
}

func (o *occupancy) loKey(muni, y int) int { return muni*o.m.years + y }

func (o *occupancy) freeKey(muni, kind, y int) int { return (muni*kinds+kind)*o.m.years + y }

func (o *occupancy) addLo(dw int32) {
	st := &o.state[dw]
	k := o.loKey(int(st.muni), o.yearIdx(st.lo))
	st.pos = int32(len(o.loB[k]))
	o.loB[k] = append(o.loB[k], slot{dw, st.lo})
}

func (o *occupancy) removeLo(dw int32) {
	st := &o.state[dw]
	k := o.loKey(int(st.muni), o.yearIdx(st.lo))
	b := o.loB[k]
	last := b[len(b)-1]
	b[st.pos] = last
	o.state[last.dw].pos = st.pos
	o.loB[k] = b[:len(b)-1]
}

func (o *occupancy) setLo(dw int32, d day) {
	o.removeLo(dw)
	o.state[dw].lo = d
	o.addLo(dw)
}

// takeCurrent finds a free dwelling for a household that wants to move in
// on day want, preferring the municipality and kind asked for, and returns
// it with the actual move-in day (want, or later when no dwelling was free
// by then). It returns -1 when every dwelling is taken.
func (o *occupancy) takeCurrent(r *rng, muni, kind int, want day) (int32, day) {
	for _, k := range []int{kind, 1 - kind} {
		if dw := o.takeFree(r, muni, k, want); dw >= 0 {
			return dw, o.moveIn(dw, want)
		}
	}
	start := r.intn(len(o.m.munis))
	for i := range o.m.munis {
		mu := (start + i) % len(o.m.munis)
		for k := range kinds {
			if dw := o.takeFree(r, mu, k, want); dw >= 0 {
				return dw, o.moveIn(dw, want)
			}
		}
	}
	return -1, 0
}

// moveIn makes a household that wants to move in on day want the current
// occupants of dw and returns the actual move-in day.
func (o *occupancy) moveIn(dw int32, want day) day {
	st := &o.state[dw]
	st.taken = true
	if st.claimed {
		return maxDay(want, o.m.dwellings[dw].md)
	}
	if st.lo != want {
		o.setLo(dw, want)
	}
	return want
}

// takeFree removes and returns a free dwelling of the municipality and kind
// whose md is as close to want as possible: at or before it if there is
// one, else the earliest after it.
func (o *occupancy) takeFree(r *rng, muni, kind int, want day) int32 {
	wy := o.yearIdx(want)
	for y := wy; y >= 0; y-- {
		if dw := o.popFree(r, o.freeKey(muni, kind, y), want); dw >= 0 {
			return dw
		}
	}
	for y := wy + 1; y < o.m.years; y++ {
		if dw := o.popFree(r, o.freeKey(muni, kind, y), forever); dw >= 0 {
			return dw
		}
	}
	return -1
}

// popFree removes and returns a free dwelling of bucket k with md <= limit,
// trying a few at random, or returns -1. Dwellings found taken are dropped.
func (o *occupancy) popFree(r *rng, k int, limit day) int32 {
	for tries := 0; tries < 4 && len(o.freeB[k]) > 0; {
		b := o.freeB[k]
		j := r.intn(len(b))
		s := b[j]
		if o.state[s.dw].taken {
			b[j] = b[len(b)-1]
			o.freeB[k] = b[:len(b)-1]
			continue
		}
		if s.d <= limit {
			b[j] = b[len(b)-1]
			o.freeB[k] = b[:len(b)-1]
			return s.dw
		}
		tries++
	}
	return -1
}

// claim gives the period [a, b) to a dwelling of the municipality (or, if
// it has none free then, of another one) whose lo is at or soon after b,
// never to the dwelling not. It returns -1 if no dwelling can take it.
func (o *occupancy) claim(r *rng, muni int, a, b day, not int32) int32 {
	if dw := o.claimIn(r, muni, b, not); dw >= 0 {
		o.give(dw, a)
		return dw
	}
	for range 3 {
		if dw := o.claimIn(r, r.pick(o.m.muniCum), b, not); dw >= 0 {
			o.give(dw, a)
			return dw
		}
	}
	return -1
}

func (o *occupancy) give(dw int32, a day) {
	o.state[dw].claimed = true
	o.setLo(dw, a)
}

// claimIn finds a dwelling of the municipality with lo >= b, searching the
// year of b and the years after it.
func (o *occupancy) claimIn(r *rng, muni int, b day, not int32) int32 {
	by := o.yearIdx(b)
	for y := by; y < o.m.years; y++ {
		bucket := o.loB[o.loKey(muni, y)]
		n := len(bucket)
		if n == 0 {
			continue
		}
		tries := 1
		if y == by {
			tries = 4
		}
		for range min(tries, n) {
			s := bucket[r.intn(n)]
			if s.d >= b && s.dw != not {
				return s.dw
			}
		}
	}
	return -1
}
