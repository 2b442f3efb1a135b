package gen

import (
	"strings"
	"unicode/utf8"

	"cprgraph/cpr"
)

// Tags of the keyed generators that derive facts about a person. Each fact
// has its own generator so that it comes out the same in every run, whatever
// else the run computes.
const (
	tagNames = iota + 1
	tagChurch
	tagCitizenship
	tagProtection
	tagContact
	tagOccupation
	tagBirthPlace
	tagElection
	tagMunicipal
	tagFamily
	tagSeparation
	tagCustody
	tagShared
	tagGuardian
	tagNote
	tagMissing
	tagMoves
	tagTravel
	tagOwner
	tagSpecial
)

func (g *generator) keyed(p *person, tag uint64) rng {
	return keyed(g.opts.Seed, uint64(p.ord), tag)
}

// addresses returns the stays of a person in dwellings, in time order, in a
// buffer that the next call reuses.
func (g *generator) addresses(p *person) []seg {
	out := g.segBuf[:0]
	for _, m := range p.members {
		h := &g.c.hhs[m.hh]
		for _, s := range g.c.segs[h.first : h.first+h.n] {
			from, to := maxDay(s.from, m.from), minDay(s.to, m.to)
			if from >= to {
				continue
			}
			if n := len(out); n > 0 && out[n-1].dw == s.dw && out[n-1].to == from {
				out[n-1].to = to
				continue
			}
			out = append(out, seg{s.dw, from, to})
		}
	}
	g.segBuf = out
	return out
}

// current returns a person's current dwelling and move-in day, or -1.
func (g *generator) current(p *person) (int32, day) {
	segs := g.addresses(p)
	if n := len(segs); n > 0 && segs[n-1].to == forever {
		return segs[n-1].dw, segs[n-1].from
	}
	return -1, 0
}

// name is a person's name from a day on.
type name struct {
	first, middle, last string
	from                day
}

// names returns a person's names in time order; the last one is current.
// Women who marry a man often take his surname, sometimes keeping their own
// as a middle name, and may take it back after a divorce; a new legal sex
// comes with a new first name; a few add a middle name.
func (g *generator) names(p *person) []name {
	r := g.keyed(p, tagNames)
	out := append(g.nameBuf[:0], name{p.first, p.middle, p.last, p.birth})
	cur := out[0]
	if p.oldStatus == cpr.StatusChanged {
		out[0].first = g.otherSexName(p, &r)
		cur.from = p.renumbered
		out = append(out, cur)
	}
	for _, ui := range p.unions {
		un := &g.c.unions[ui]
		other := &g.c.people[un.a]
		if un.a == p.self {
			other = &g.c.people[un.b]
		}
		if un.married == 0 || p.male || !other.male || other.last == cur.last {
			continue
		}
		maiden := cur
		switch x := r.float(); {
		case x < 0.35:
			cur.last = other.last
		case x < 0.55:
			cur.middle, cur.last = cur.last, other.last
		default:
			continue
		}
		cur.from = un.married
		out = append(out, cur)
		if un.split != 0 && r.chance(0.3) {
			maiden.from = un.split
			cur = maiden
			out = append(out, cur)
		}
	}
	if cur.middle == "" && p.start != 0 && r.chance(0.01) {
		if from := p.start + day(r.intn(3650)); from < minDay(g.today, p.end()) && from > cur.from {
			cur.middle, cur.from = oneOf(&r, middleNames), from
			out = append(out, cur)
		}
	}
	g.nameBuf = out
	return out
}

func (g *generator) otherSexName(p *person, r *rng) string {
	era := eraOf(p.birth)
	if p.male {
		return oneOf(r, femaleNames[era])
	}
	return oneOf(r, maleNames[era])
}

// addressingName formats a name the way CPR's adresseringsnavn does:
// "Lastname,Firstnames M" with middle names as initials, shortened to 34
// characters by reducing first names to initials.
func addressingName(n name) string {
	var mid strings.Builder
	for _, m := range strings.Fields(n.middle) {
		mid.WriteString(" ")
		mid.WriteString(initial(m))
	}
	s := n.last + "," + n.first + mid.String()
	if utf8.RuneCountInString(s) <= 34 {
		return s
	}
	var first strings.Builder
	for i, f := range strings.Fields(n.first) {
		if i > 0 {
			first.WriteString(" ")
		}
		first.WriteString(initial(f))
	}
	s = n.last + "," + first.String() + mid.String()
	if utf8.RuneCountInString(s) > 34 {
		s = string([]rune(s)[:34])
	}
	return s
}

func initial(s string) string {
	_, size := utf8.DecodeRuneInString(s)
	return s[:size]
}

// civil is a civil status from a day on, with the spouse it concerns.
type civil struct {
	status     cpr.CivilStatus
	spouse     int16 // cluster index, -1 for none
	from       day
	separation day // start of a legal separation during a marriage
}

// civilStatuses returns a person's civil statuses in time order; the last
// one is current.
func (g *generator) civilStatuses(p *person) []civil {
	self := p.self
	out := append(g.civilBuf[:0], civil{cpr.CivilUnmarried, -1, p.birth, 0})
	for _, ui := range p.unions {
		un := &g.c.unions[ui]
		if un.married == 0 {
			continue
		}
		other := un.a
		if other == self {
			other = un.b
		}
		married, divorced, widowed := cpr.CivilMarried, cpr.CivilDivorced, cpr.CivilWidowed
		if un.partnership {
			married, divorced, widowed = cpr.CivilRegisteredPartnership, cpr.CivilDissolvedPartnership, cpr.CivilSurvivingPartner
		}
		out = append(out, civil{married, other, un.married, un.separation})
		od := g.c.people[other].death
		switch {
		case un.split != 0:
			out = append(out, civil{divorced, other, un.split, 0})
		case od != 0 && (p.death == 0 || od < p.death):
			out = append(out, civil{widowed, other, od, 0})
		}
	}
	if p.death != 0 {
		last := out[len(out)-1]
		spouse := int16(-1)
		if last.status == cpr.CivilMarried || last.status == cpr.CivilRegisteredPartnership {
			spouse = last.spouse
		}
		out = append(out, civil{cpr.CivilDead, spouse, p.death, 0})
	}
	g.civilBuf = out
	return out
}

// citizenship is a citizenship from a day on.
type citizenship struct {
	code int
	from day
}

// citizenships returns a person's citizenships in time order; the last one
// is current. Foreigners who have lived here nine years or more are often
// naturalised.
func (g *generator) citizenships(p *person) []citizenship {
	if p.nationality < 0 {
		return []citizenship{{denmark, p.birth}}
	}
	own := citizenship{countries[p.nationality].code, p.birth}
	r := g.keyed(p, tagCitizenship)
	here := maxDay(p.birth, p.immig)
	if p.end() != forever || here+years(9) >= g.today || !r.chance(0.45) {
		return []citizenship{own}
	}
	return []citizenship{own, {denmark, r.dayIn(here+years(9), g.today)}}
}

// church is a relation to the Church of Denmark from a day on.
type church struct {
	code cpr.ChurchRelation
	from day
}

// churchRelations returns a person's relations to the Church of Denmark in
// time order; the last one is current. Most Danes are baptised as infants
// and some leave as adults; infants awaiting baptism are marked A.
func (g *generator) churchRelations(p *person) []church {
	r := g.keyed(p, tagChurch)
	arrived := maxDay(p.birth, p.immig)
	if p.country >= 0 || p.nationality >= 0 {
		if r.chance(0.1) {
			return []church{{cpr.ChurchMember, arrived + day(r.intn(3*365))}}
		}
		return []church{{cpr.ChurchNotMember, arrived}}
	}
	if !r.chance(0.8) {
		out := []church{{cpr.ChurchNotMember, p.birth}}
		if join := p.birth + years(20+20*r.float()); join < g.today && r.chance(0.04) {
			out = append(out, church{cpr.ChurchMember, join})
		}
		return out
	}
	baptism := p.birth + day(r.between(30, 240))
	if baptism > g.today {
		return []church{{cpr.ChurchPending, p.birth}}
	}
	member := cpr.ChurchMember
	switch x := r.float(); {
	case x < 0.01:
		member = cpr.ChurchElectiveCongregation
	case x < 0.015:
		member = cpr.ChurchMemberTaxExempt
	}
	out := []church{{member, baptism}}
	if left := p.birth + years(18+40*r.float()); left < minDay(g.today, p.end()) && r.chance(0.15) {
		out = append(out, church{cpr.ChurchNotMember, left})
	}
	return out
}

// protections holds a person's protections: name and address protection,
// marketing protection, directory protection and research protection, each
// as a start and a deletion day (0 for none).
type protections struct {
	nameStart, nameEnd           day
	marketStart, marketEnd       day
	directoryStart, directoryEnd day
	researchStart, researchEnd   day
}

// protectionsOf decides a person's protections. Name and address protection
// is decided per dwelling, so a household is protected as a whole: about 1%
// have an active protection, some an expired one and a few one that starts
// soon. The first dwelling of the demo building is always protected.
func (g *generator) protectionsOf(p *person) protections {
	var pr protections
	if dw, _ := g.current(p); dw >= 0 {
		r := keyed(g.opts.Seed, uint64(dw), tagProtection)
		switch x := r.float(); {
		case x < 0.011 || dw == g.demoProtected:
			pr.nameStart = g.today - day(r.between(1, 2500))
			if r.chance(0.5) {
				pr.nameEnd = g.today + day(r.between(1, 365))
			}
		case x < 0.016:
			pr.nameStart = g.today - day(r.between(400, 4000))
			pr.nameEnd = pr.nameStart + day(r.between(30, 365))
		case x < 0.019:
			pr.nameStart = g.today + day(r.between(1, 60))
		}
	}
	r := g.keyed(p, tagProtection)
	adult := p.birth.addYears(18)
	if adult >= g.today {
		return pr
	}
	if r.chance(0.2) {
		pr.marketStart = adult + day(r.intn(int(g.today-adult)))
	}
	if r.chance(0.06) {
		pr.directoryStart = adult + day(r.intn(int(g.today-adult)))
		if r.chance(0.2) {
			pr.directoryEnd = pr.directoryStart + day(r.between(30, 3000))
		}
	}
	if r.chance(0.01) {
		pr.researchStart = adult + day(r.intn(int(g.today-adult)))
	}
	return pr
}

// status returns a person's status and its day.
func (g *generator) status(p *person) (cpr.Status, day) {
	switch {
	case p.special != "":
		r := g.keyed(p, tagSpecial)
		return p.special, g.today - day(r.between(30, 7000))
	case p.death != 0:
		return cpr.StatusDead, p.death
	case p.emig != 0:
		return cpr.StatusEmigrated, p.emig
	case p.missing != 0:
		return cpr.StatusMissing, p.missing
	case p.abroad != 0:
		return cpr.StatusResidentDK, p.start
	default:
		return cpr.StatusResidentDK, maxDay(p.birth, p.immig)
	}
}

// resident reports whether a person lives in Denmark today.
func (p *person) resident() bool { return p.special == "" && p.end() == forever }
