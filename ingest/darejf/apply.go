package darejf

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cprgraph/cpr"
	"cprgraph/ingest"
)

// byID indexes the current records of each entity by id_lokalId; a second
// current version of an id is a problem.
func byID(recs []record, fe *ingest.FileError) map[string]map[string]record {
	out := map[string]map[string]record{}
	for _, r := range recs {
		if !r.current() {
			continue
		}
		m := out[r.entity]
		if m == nil {
			m = map[string]record{}
			out[r.entity] = m
		}
		id := strings.ToLower(r.f["id_lokalId"])
		if first, dup := m[id]; dup {
			problem(fe, r.line, "id_lokalId", "a second current version of the object on line "+strconv.Itoa(first.line))
			fe.BadRecords++
			continue
		}
		m[id] = r
	}
	return out
}

// refused returns fe sorted by line when it holds problems.
func refused(fe *ingest.FileError) error {
	if fe.Count == 0 {
		return nil
	}
	slices.SortStableFunc(fe.Problems, func(a, b ingest.RecordError) int { return a.Line - b.Line })
	return fe
}

// darRow is a row of dar_adresse as a DAR file gives it (bfe_nummer comes
// from EBR).
type darRow struct {
	line                                           int
	id, houseNumberID                              string
	municipality, streetCode, postalCode           int
	streetName, houseNumber, floor, door, district string
}

func applyDAR(ctx context.Context, tx *sqlx.Tx, recs []record, fe *ingest.FileError, res *ingest.Result) error {
	objs := byID(recs, fe)
	parts := map[string][]record{} // municipal street parts by street id
	for _, p := range objs["NavngivenVejKommunedel"] {
		street := strings.ToLower(p.f["navngivenVej"])
		parts[street] = append(parts[street], p)
	}
	var rows []darRow
	missing := func(line int, field, what string) {
		problem(fe, line, field, "names no current "+what+" in the file")
		fe.BadRecords++
	}
	for _, a := range objs["Adresse"] {
		h, ok := objs["Husnummer"][strings.ToLower(a.f["husnummer"])]
		if !ok {
			missing(a.line, "husnummer", "Husnummer")
			continue
		}
		street, ok := objs["NavngivenVej"][strings.ToLower(h.f["navngivenVej"])]
		if !ok {
			missing(h.line, "navngivenVej", "NavngivenVej")
			continue
		}
		post, ok := objs["Postnummer"][strings.ToLower(h.f["postnummer"])]
		if !ok {
			missing(h.line, "postnummer", "Postnummer")
			continue
		}
		ps := parts[strings.ToLower(h.f["navngivenVej"])]
		if len(ps) != 1 {
			problem(fe, h.line, "navngivenVej", "its street must have exactly one current NavngivenVejKommunedel in the file, has "+strconv.Itoa(len(ps)))
			fe.BadRecords++
			continue
		}
		municipality, _ := strconv.Atoi(ps[0].f["kommune"])
		streetCode, _ := strconv.Atoi(ps[0].f["vejkode"])
		postalCode, _ := strconv.Atoi(post.f["postnr"])
		rows = append(rows, darRow{
			line: a.line, id: strings.ToLower(a.f["id_lokalId"]), houseNumberID: strings.ToLower(h.f["id_lokalId"]),
			municipality: municipality, streetCode: streetCode, postalCode: postalCode,
			streetName: street.f["vejnavn"], houseNumber: strings.ToUpper(h.f["husnummertekst"]),
			floor: strings.ToLower(a.f["etagebetegnelse"]), door: strings.ToLower(a.f["dørbetegnelse"]),
			district: post.f["navn"],
		})
	}
	if err := refused(fe); err != nil {
		return err
	}
	slices.SortFunc(rows, func(a, b darRow) int { return a.line - b.line })
	// An address's property (bfe_nummer) is EBR's: left as it is.
	const upsert = `INSERT INTO dar_adresse (id, husnummer_id, kommune_kode, vej_kode, vejnavn, husnummer, etage,
		side_doer_nummer, postnummer, postdistrikt)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (id) DO UPDATE SET husnummer_id = excluded.husnummer_id, kommune_kode = excluded.kommune_kode,
			vej_kode = excluded.vej_kode, vejnavn = excluded.vejnavn, husnummer = excluded.husnummer,
			etage = excluded.etage, side_doer_nummer = excluded.side_doer_nummer,
			postnummer = excluded.postnummer, postdistrikt = excluded.postdistrikt
		WHERE (dar_adresse.husnummer_id, dar_adresse.kommune_kode, dar_adresse.vej_kode, dar_adresse.vejnavn,
			dar_adresse.husnummer, dar_adresse.etage, dar_adresse.side_doer_nummer, dar_adresse.postnummer,
			dar_adresse.postdistrikt) IS DISTINCT FROM (excluded.husnummer_id, excluded.kommune_kode, excluded.vej_kode,
			excluded.vejnavn, excluded.husnummer, excluded.etage, excluded.side_doer_nummer, excluded.postnummer,
			excluded.postdistrikt)
		RETURNING xmax = 0`
	for _, r := range rows {
		var inserted []bool
		err := sqlx.SelectContext(ctx, tx, &inserted, upsert, r.id, r.houseNumberID, r.municipality, r.streetCode,
			r.streetName, r.houseNumber, r.floor, r.door, r.postalCode, r.district)
		if err != nil {
			return rowError(err, fe, r.line)
		}
		count(res, inserted)
	}
	res.Unchanged = res.Read - res.Inserted - res.Updated
	return nil
}

// count adds an upsert's outcome: no row returned is unchanged.
func count(res *ingest.Result, inserted []bool) {
	switch {
	case len(inserted) == 0:
	case inserted[0]:
		res.Inserted++
	default:
		res.Updated++
	}
}

// rowError turns a constraint violation by the record at line into a
// problem of the file.
func rowError(err error, fe *ingest.FileError, line int) error {
	var pe *pq.Error
	if !errors.As(err, &pe) || pe.Code.Class() != "23" {
		return err
	}
	reason := "conflicts with the register (" + pe.Code.Name() + " " + pe.Constraint + ")"
	if pe.Code.Name() == "unique_violation" {
		reason = "another address with another id has the same municipality, street code, house number, floor and door"
	}
	problem(fe, line, "id_lokalId", reason)
	fe.BadRecords++
	return fe
}

func applyEJF(ctx context.Context, tx *sqlx.Tx, recs []record, fe *ingest.FileError, res *ingest.Result) error {
	objs := byID(recs, fe)
	if err := refused(fe); err != nil {
		return err
	}
	var todo []record
	for _, e := range []string{"Ejendomsbeliggenhed", "Ejerskab"} {
		for _, r := range objs[e] {
			todo = append(todo, r)
		}
	}
	// House numbers first, then single addresses: an address's own
	// property takes precedence over its house number's.
	rank := func(r record) int {
		switch {
		case r.entity == "Ejendomsbeliggenhed" && r.f["husnummer"] != "":
			return 0
		case r.entity == "Ejendomsbeliggenhed":
			return 1
		}
		return 2
	}
	slices.SortFunc(todo, func(a, b record) int {
		if c := rank(a) - rank(b); c != 0 {
			return c
		}
		return a.line - b.line
	})
	const (
		property = `INSERT INTO ejendom (bfe_nummer) VALUES ($1) ON CONFLICT DO NOTHING`
		known    = `SELECT count(*) FROM dar_adresse WHERE husnummer_id = $1 OR id = $2`
		locate   = `UPDATE dar_adresse SET bfe_nummer = $1
			WHERE (husnummer_id = $2 OR id = $3) AND bfe_nummer IS DISTINCT FROM $1 AND id <> ALL ($4::uuid[])
			RETURNING false`
		owner = `INSERT INTO ejerskab (ejf_id, bfe_nummer, ejer_cvr, ejer_cpr, ejet_fra, ejet_til, status)
			VALUES ($1, $2, $3, $4, $5, $6, $7)
			ON CONFLICT (ejf_id) DO UPDATE SET bfe_nummer = excluded.bfe_nummer, ejer_cvr = excluded.ejer_cvr,
				ejer_cpr = excluded.ejer_cpr, ejet_fra = excluded.ejet_fra, ejet_til = excluded.ejet_til,
				status = excluded.status
			WHERE (ejerskab.bfe_nummer, ejerskab.ejer_cvr, ejerskab.ejer_cpr, ejerskab.ejet_fra, ejerskab.ejet_til,
				ejerskab.status) IS DISTINCT FROM (excluded.bfe_nummer, excluded.ejer_cvr, excluded.ejer_cpr,
				excluded.ejet_fra, excluded.ejet_til, excluded.status)
			RETURNING xmax = 0`
	)
	// Addresses with their own property are left out of their house
	// number's.
	own := []string{}
	for _, r := range objs["Ejendomsbeliggenhed"] {
		if a := r.f["adresse"]; a != "" {
			own = append(own, strings.ToLower(a))
		}
	}
	null := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	for _, r := range todo {
		bfe, _ := strconv.ParseInt(r.f["bestemtFastEjendomBFENr"], 10, 64)
		if _, err := tx.ExecContext(ctx, property, bfe); err != nil {
			return err
		}
		var inserted []bool
		switch r.entity {
		case "Ejendomsbeliggenhed":
			house, addr := null(strings.ToLower(r.f["husnummer"])), null(strings.ToLower(r.f["adresse"]))
			var n int
			if err := sqlx.GetContext(ctx, tx, &n, known, house, addr); err != nil {
				return err
			}
			if n == 0 {
				field := "husnummer"
				if addr != nil {
					field = "adresse"
				}
				problem(fe, r.line, field, "names no imported DAR address (import the DAR file first)")
				fe.BadRecords++
				continue
			}
			except := own
			if addr != nil {
				except = []string{}
			}
			if err := sqlx.SelectContext(ctx, tx, &inserted, locate, bfe, house, addr, pq.Array(except)); err != nil {
				return rowError(err, fe, r.line)
			}
			if len(inserted) > 0 {
				inserted = inserted[:1]
			}
		case "Ejerskab":
			from, _ := datePart(r.f["virkningFra"])
			var to any
			if r.f["virkningTil"] != "" {
				to, _ = datePart(r.f["virkningTil"])
			}
			personNr := r.f["ejendePersonBegraenset"]
			if personNr != "" {
				n, _ := cpr.Parse(personNr) // checked on reading
				personNr = n.String()
			}
			err := sqlx.SelectContext(ctx, tx, &inserted, owner, strings.ToLower(r.f["id_lokalId"]), bfe,
				null(r.f["ejendeVirksomhedCVRNr"]), null(personNr), from, to, r.f["status"])
			if err != nil {
				return rowError(err, fe, r.line)
			}
		}
		count(res, inserted)
	}
	if err := refused(fe); err != nil {
		return err
	}
	res.Unchanged = res.Read - res.Inserted - res.Updated
	return nil
}
