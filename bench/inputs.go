package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lib/pq"

	"cprgraph/gen"
)

// inputs are the arguments the shapes are run with, picked from the data.
// Picks are deterministic for a population (ordered by a hash, not at
// random), so runs are comparable.
type inputs struct {
	cprs         []string // current residents
	stairwells   []stairwell
	households   []household
	searches     []search
	landlordFrom string // the landlord lookups' period start (YYYY-MM-DD)
	eventCursors []string
	pglCursors   []string
}

// stairwell is a landlord lookup: a house number (DAR husnummer) whose
// dwellings all belong to one property, and that property's current owner.
type stairwell struct {
	Organisation int64  `json:"organisation" db:"-"`
	Owner        string `json:"owner" db:"owner"`
	BFE          int64  `json:"bfe" db:"bfe"`
	HID          string `json:"hid" db:"hid"`
	Municipality int    `json:"-" db:"kommune_kode"`
	Street       int    `json:"-" db:"vej_kode"`
	HouseNumber  string `json:"-" db:"husnummer"`
}

// household is a person living with others, and the person's dwelling.
type household struct {
	CPR          string  `db:"cpr"`
	Municipality int     `db:"kommune_kode"`
	Street       int     `db:"vej_kode"`
	HouseNumber  string  `db:"husnummer"`
	Floor        *string `db:"etage"`
	Door         *string `db:"side_doer_nummer"`
}

// search is PersonSøg's required criteria, from a real person.
type search struct {
	PostalCode  int    `db:"postnummer"`
	Name        string `db:"efternavn"`
	Street      string `db:"street"`
	HouseNumber string `db:"house_number"`
}

// Input counts.
const (
	sampleCPRs      = 10000
	sampleStairwell = 500
	sampleHousehold = 1000
	sampleSearch    = 1000
	landlordOwners  = 10 // the owners of the most stairwells, gen.DemoOwnerCVR first
)

// pickInputs picks the inputs that need no running server.
func (p *population) pickInputs(ctx context.Context) error {
	in := &p.in
	in.landlordFrom = time.Now().AddDate(0, -11, 0).Format(time.DateOnly)
	const (
		cprs = `SELECT cpr FROM person WHERE status = '01' AND kommune_kode IS NOT NULL ORDER BY md5(cpr) LIMIT $1`
		// The owners (CVR) of the most stairwells of more than one
		// dwelling, and those stairwells that belong to one property
		// only and have current residents.
		stairwells = `WITH owner AS (
			SELECT e.ejer_cvr AS owner
			FROM ejerskab e JOIN dar_adresse a ON a.bfe_nummer = e.bfe_nummer
			WHERE e.ejet_til IS NULL AND e.status = 'gældende' AND e.ejer_cvr IS NOT NULL
			GROUP BY e.ejer_cvr
			ORDER BY e.ejer_cvr = $1 DESC, count(DISTINCT a.husnummer_id) DESC, e.ejer_cvr
			LIMIT $2
		), candidate AS (
			SELECT o.owner, a.husnummer_id AS hid, min(a.bfe_nummer) AS bfe, min(a.kommune_kode) AS kommune_kode,
				min(a.vej_kode) AS vej_kode, min(a.husnummer) AS husnummer
			FROM owner o
			JOIN ejerskab e ON e.ejer_cvr = o.owner AND e.ejet_til IS NULL AND e.status = 'gældende' AND e.ejet_fra <= current_date
			JOIN dar_adresse a ON a.bfe_nummer = e.bfe_nummer
			GROUP BY o.owner, a.husnummer_id
			HAVING count(*) > 1
		)
		SELECT c.owner, c.hid, c.bfe, c.kommune_kode, c.vej_kode, c.husnummer
		FROM candidate c
		WHERE NOT EXISTS (SELECT 1 FROM dar_adresse x WHERE x.husnummer_id = c.hid AND x.bfe_nummer IS DISTINCT FROM c.bfe)
		  AND EXISTS (SELECT 1 FROM person p WHERE p.kommune_kode = c.kommune_kode AND p.vej_kode = c.vej_kode
			AND p.husnummer = c.husnummer AND p.status = '01')
		ORDER BY md5(c.hid::text)
		LIMIT $3`
		households = `SELECT p.cpr, p.kommune_kode, p.vej_kode, p.husnummer, p.etage, p.side_doer_nummer
		FROM person p
		WHERE p.cpr = ANY($1) AND p.vej_kode IS NOT NULL AND p.husnummer IS NOT NULL
		  AND (SELECT count(*) FROM person q WHERE q.kommune_kode = p.kommune_kode AND q.vej_kode = p.vej_kode
			AND q.husnummer = p.husnummer AND q.etage IS NOT DISTINCT FROM p.etage
			AND q.side_doer_nummer IS NOT DISTINCT FROM p.side_doer_nummer AND q.status IN ('01', '03', '05', '07')) > 1
		ORDER BY md5(p.cpr)
		LIMIT $2`
		searches = `SELECT postnummer, efternavn, left(vejnavn, 5) AS street, substring(husnummer from '[0-9]+') AS house_number
		FROM person
		WHERE cpr = ANY($1) AND postnummer IS NOT NULL AND length(efternavn) >= 3 AND length(vejnavn) >= 3
		  AND husnummer ~ '^[0-9]{1,3}'
		ORDER BY md5(cpr)
		LIMIT $2`
	)
	if err := p.conn.SelectContext(ctx, &in.cprs, cprs, sampleCPRs); err != nil {
		return fmt.Errorf("CPR numbers: %w", err)
	}
	if len(in.cprs) < batchSize {
		return fmt.Errorf("only %d current residents: the batch needs %d", len(in.cprs), batchSize)
	}
	if err := p.conn.SelectContext(ctx, &in.stairwells, stairwells, gen.DemoOwnerCVR, landlordOwners, sampleStairwell); err != nil {
		return fmt.Errorf("stairwells: %w", err)
	}
	if err := p.conn.SelectContext(ctx, &in.households, households, pq.Array(in.cprs), sampleHousehold); err != nil {
		return fmt.Errorf("households: %w", err)
	}
	if err := p.conn.SelectContext(ctx, &in.searches, searches, pq.Array(in.cprs), sampleSearch); err != nil {
		return fmt.Errorf("searches: %w", err)
	}
	if len(in.stairwells) == 0 || len(in.households) == 0 || len(in.searches) == 0 {
		return fmt.Errorf("too small a population: %d stairwells, %d households, %d searches",
			len(in.stairwells), len(in.households), len(in.searches))
	}
	return nil
}

// cursorSpacing is the distance between the event cursors picked; every
// cursor has at least a page of events after it.
const cursorSpacing = 50

// pickCursors pages through the event feed of a GraphQL server with
// document (which must select edges { cursor } and pageInfo { hasNextPage
// endCursor } of the connection at path) and returns the empty cursor and
// every cursorSpacing-th cursor that has at least a page after it.
func pickCursors(ctx context.Context, t *target, document, field string, pages int) ([]string, error) {
	var all []string
	var after any
	c := newClient(1)
	for range pages {
		body, _ := json.Marshal(map[string]any{"query": document, "variables": map[string]any{"after": after}})
		var resp struct {
			Data   map[string]connection `json:"data"`
			Errors []json.RawMessage     `json:"errors"`
		}
		if err := t.decode(ctx, c, body, &resp); err != nil {
			return nil, err
		}
		if len(resp.Errors) > 0 {
			return nil, fmt.Errorf("%s: %s", field, resp.Errors[0])
		}
		page := resp.Data[field]
		for _, e := range page.Edges {
			all = append(all, e.Cursor)
		}
		if !page.PageInfo.HasNextPage {
			break
		}
		after = page.PageInfo.EndCursor
	}
	out := []string{""}
	for i := cursorSpacing - 1; i+100 < len(all); i += cursorSpacing {
		out = append(out, all[i])
	}
	return out, nil
}

// connection is the part of a cursor connection pickCursors reads.
type connection struct {
	Edges []struct {
		Cursor string `json:"cursor"`
	} `json:"edges"`
	PageInfo struct {
		HasNextPage bool   `json:"hasNextPage"`
		EndCursor   string `json:"endCursor"`
	} `json:"pageInfo"`
}

// Documents that collect cursors, a thousand at a time.
const (
	oursCursorQuery = `query Cursors($after: String) { personEvents(first: 1000, after: $after) {
  edges { cursor } pageInfo { hasNextPage endCursor } } }`
	pglCursorQuery = `query Cursors($after: Cursor) { allPersonEvents(first: 1000, after: $after, orderBy: PRIMARY_KEY_ASC) {
  edges { cursor } pageInfo { hasNextPage endCursor } } }`
)
