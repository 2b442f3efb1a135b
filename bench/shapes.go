package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

// A shape is one fixed query shape: its GraphQL document for cprgraph and,
// where PostGraphile's default schema can express it, the nearest document
// for PostGraphile, each with one set of variables per input.
type shape struct {
	name     string // short name in the tables
	title    string
	landlord bool // sent with the LANDLORD key (else AUTHORITY)
	ours     string
	oursVars []map[string]any
	// pgl is the PostGraphile document; empty when not expressible, with
	// pglNote saying why. pglNote also says how the document differs.
	pgl     string
	pglVars []map[string]any
	pglNote string
}

// Shape names, in the order of the report.
const (
	shapePoint     = "point"
	shapeBatch     = "batch100"
	shapeLandlord  = "landlord"
	shapeHousehold = "household"
	shapeSearch    = "search"
	shapeEvents    = "events"
)

// The cprgraph documents.
const (
	pointQuery = `query Point($cpr: String!) {
  person(cpr: $cpr) {
    cpr protected firstName middleName lastName addressingName birthDate sex status statusDate
    address { lines municipalityCode streetCode postalCode validFrom }
  }
}`
	batchQuery = `query Batch($cprs: [String!]!) {
  persons(cprs: $cprs) {
    cpr
    error { code }
    person {
      cpr protected firstName lastName birthDate status
      address { lines }
      civilStatus { code validFrom }
      relations { code cpr name }
    }
  }
}`
	landlordQuery = `query Landlord($input: ResidentsInput!) {
  residents(input: $input) {
    criteria { bfe ownedFrom from to }
    rows { address addressingName moveIn moveOut protected }
  }
}`
	householdQuery = `query Household($cpr: String!) {
  household(cpr: $cpr) {
    cpr protected
    address { lines }
    members { cpr relation protected person { firstName lastName birthDate } }
  }
}`
	searchQuery = `query Search($criteria: PersonSearchInput!) {
  searchPersons(criteria: $criteria) {
    moreHits
    persons { cpr protected firstName lastName address { lines } }
  }
}`
	eventsQuery = `query Events($after: String) {
  personEvents(first: 100, after: $after) {
    edges { cursor node { kind cpr registeredAt effectiveDate protected } }
    pageInfo { hasNextPage endCursor }
  }
}`
	typenameQuery = `{ __typename }`
)

// The PostGraphile documents (amber preset, no filter plugin). The register
// has no foreign keys between the person tables, so PostGraphile offers no
// relations: what cprgraph answers as nested fields takes more root fields
// here, and what takes a second round trip (a relative's name, a household
// from a CPR number) is left out or given its inputs.
const (
	pglPointQuery = `query Point($cpr: CprNummer!) {
  personByCpr(cpr: $cpr) {
    cpr fornavn mellemnavn efternavn adresseringsNavn foedselsdato koen status statusDato
    vejnavn husnummer etage sideDoerNummer postnummer postdistrikt kommuneKode vejKode
  }
}`
	pglLandlordQuery = `query Stairwell($hid: UUID!, $bfe: BigInt!, $k: KommuneKode!, $v: Int!, $h: String!) {
  allDarAdresses(condition: { husnummerId: $hid }) { nodes { rowId etage sideDoerNummer vejnavn husnummer postnummer postdistrikt bfeNummer } }
  allEjerskabs(condition: { bfeNummer: $bfe }) { nodes { ejerCvr ejerCpr ejetFra ejetTil status } }
  allPeople(condition: { kommuneKode: $k, vejKode: $v, husnummer: $h }) { nodes { cpr adresseringsNavn etage sideDoerNummer status } }
  allHistoriskeadressers(condition: { kommuneKode: $k, vejKode: $v, husnummer: $h }) {
    nodes { cpr etage sideDoerNummer tilflytningsDato fraflytningsDato retFortrydAendring }
  }
}`
	pglHouseholdQuery = `query Household($k: KommuneKode!, $v: Int!, $h: String!, $e: String, $d: String) {
  allPeople(condition: { kommuneKode: $k, vejKode: $v, husnummer: $h, etage: $e, sideDoerNummer: $d }) {
    nodes { cpr fornavn efternavn foedselsdato status }
  }
}`
	pglEventsQuery = `query Events($after: Cursor) {
  allPersonEvents(first: 100, after: $after, orderBy: PRIMARY_KEY_ASC) {
    edges { cursor node { rowId kind cpr registeredAt effectiveDate } }
    pageInfo { hasNextPage endCursor }
  }
}`
)

// pglBatchQuery is 100 aliased lookups of person, personfamilie (spouse and
// parents by number) and barnrelation (children) in one document.
func pglBatchQuery(n int) string {
	var b strings.Builder
	b.WriteString("query Batch(")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "$c%d: CprNummer!", i)
	}
	b.WriteString(") {\n")
	for i := range n {
		fmt.Fprintf(&b, "  p%d: personByCpr(cpr: $c%d) { cpr fornavn efternavn foedselsdato status vejnavn husnummer etage sideDoerNummer postnummer postdistrikt }\n", i, i)
		fmt.Fprintf(&b, "  f%d: personfamilieByCpr(cpr: $c%d) { civilstand civilstandStartDato aegtefaelleCpr morCpr farCpr }\n", i, i)
		fmt.Fprintf(&b, "  b%d: allBarnrelations(condition: { cpr: $c%d }) { nodes { barnCpr } }\n", i, i)
	}
	b.WriteString("}")
	return b.String()
}

// batchSize is the number of CPR numbers of the batch shape. It is the
// person budget of a request (access.PersonBudget), so the shape reads no
// relative as a Person (spouse { … }): relations give their numbers.
const batchSize = 100

// shapes builds the six shapes from the inputs.
func shapes(in *inputs) []shape {
	point := shape{name: shapePoint, title: "point lookup: person(cpr)", ours: pointQuery, pgl: pglPointQuery,
		pglNote: "personByCpr: the person row only (cprgraph also joins contact, family, extended and communication rows, checks protection)"}
	for _, c := range in.cprs {
		point.oursVars = append(point.oursVars, map[string]any{"cpr": c})
		point.pglVars = append(point.pglVars, map[string]any{"cpr": c})
	}

	batch := shape{name: shapeBatch, title: "100-CPR batch with relations: persons(cprs)", ours: batchQuery, pgl: pglBatchQuery(batchSize),
		pglNote: "100 × (personByCpr + personfamilieByCpr + allBarnrelations) aliases: relatives by number only (their names would take a second request)"}
	for i := 0; i+batchSize <= len(in.cprs); i += batchSize {
		cprs := in.cprs[i : i+batchSize]
		batch.oursVars = append(batch.oursVars, map[string]any{"cprs": cprs})
		vars := map[string]any{}
		for j, c := range cprs {
			vars[fmt.Sprintf("c%d", j)] = c
		}
		batch.pglVars = append(batch.pglVars, vars)
	}

	landlord := shape{name: shapeLandlord, title: "landlord lookup of a stairwell: residents(input)", landlord: true, ours: landlordQuery, pgl: pglLandlordQuery,
		pglNote: "raw reads of the tables the lookup uses (dwellings, ownership, current and past residents of the house number): no owner check, period, annulment or correction rules, protection or names of movers-out"}
	for _, s := range in.stairwells {
		landlord.oursVars = append(landlord.oursVars, map[string]any{"input": map[string]any{
			"owner": s.Owner, "darHouseNumberId": s.HID, "from": in.landlordFrom}})
		landlord.pglVars = append(landlord.pglVars, map[string]any{
			"hid": s.HID, "bfe": fmt.Sprint(s.BFE), "k": s.Municipality, "v": s.Street, "h": s.HouseNumber})
	}

	household := shape{name: shapeHousehold, title: "household: household(cpr)", ours: householdQuery, pgl: pglHouseholdQuery,
		pglNote: "allPeople by the dwelling's address, given as input (PostGraphile cannot go from the CPR number to the dwelling in one request)"}
	for _, h := range in.households {
		household.oursVars = append(household.oursVars, map[string]any{"cpr": h.CPR})
		household.pglVars = append(household.pglVars, map[string]any{"k": h.Municipality, "v": h.Street, "h": h.HouseNumber, "e": h.Floor, "d": h.Door})
	}

	search := shape{name: shapeSearch, title: "search: searchPersons(criteria)", ours: searchQuery,
		pglNote: "not expressible: the default schema's conditions are equality only (no name substring or street-name prefix without the filter plugin)"}
	for _, s := range in.searches {
		search.oursVars = append(search.oursVars, map[string]any{"criteria": map[string]any{
			"postalCode": s.PostalCode, "name": s.Name, "streetName": s.Street, "houseNumber": s.HouseNumber}})
	}

	events := shape{name: shapeEvents, title: "event feed page: personEvents(first: 100, after)", ours: eventsQuery, pgl: pglEventsQuery,
		pglNote: "allPersonEvents(first: 100, after) in key order: without the protection join"}
	for _, c := range in.eventCursors {
		events.oursVars = append(events.oursVars, map[string]any{"after": nullable(c)})
	}
	for _, c := range in.pglCursors {
		events.pglVars = append(events.pglVars, map[string]any{"after": nullable(c)})
	}
	return []shape{point, batch, landlord, household, search, events}
}

// nullable is nil for the empty string: the first page has no cursor.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// bodies marshals one request body per set of variables.
func bodies(query string, vars []map[string]any) [][]byte {
	out := make([][]byte, len(vars))
	for i, v := range vars {
		out[i], _ = json.Marshal(map[string]any{"query": query, "variables": v})
	}
	return out
}
