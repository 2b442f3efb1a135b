// Package darejf imports DAR addresses (Danmarks Adresseregister) and EJF
// ownerships (Ejerfortegnelsen) with their property locations (EBR
// Ejendomsbeliggenhed) into the tables the landlord lookup reads:
// dar_adresse, ejendom and ejerskab.
//
// # Accepted format
//
// A file is JSON Lines (.jsonl, .ndjson): one object a line, each naming
// one Datafordeler object by its entity name as the only key, with
// Datafordeler's own field names inside, as in the registers' file
// extracts (HusnummerList, AdresseList, …):
//
//	{"NavngivenVej": {"id_lokalId": "…", "vejnavn": "Testvej", "status": "3"}}
//	{"NavngivenVejKommunedel": {"id_lokalId": "…", "navngivenVej": "…", "kommune": "0101", "vejkode": "1234", "status": "3"}}
//	{"Postnummer": {"id_lokalId": "…", "postnr": "2300", "navn": "København S", "status": "3"}}
//	{"Husnummer": {"id_lokalId": "…", "husnummertekst": "1", "adgangsadressebetegnelse": "Testvej 1, 2300 København S", "navngivenVej": "…", "postnummer": "…", "status": "3"}}
//	{"Adresse": {"id_lokalId": "…", "adressebetegnelse": "…", "etagebetegnelse": "st", "dørbetegnelse": "tv", "husnummer": "…", "status": "3"}}
//	{"Ejendomsbeliggenhed": {"id_lokalId": "…", "bestemtFastEjendomBFENr": 100001, "husnummer": "…", "adresse": null}}
//	{"Ejerskab": {"id_lokalId": "…", "bestemtFastEjendomBFENr": 100001, "ejendeVirksomhedCVRNr": "12345678", "ejendePersonBegraenset": null, "virkningFra": "2020-01-01T00:00:00+01:00", "virkningTil": null, "status": "gældende"}}
//
// A "dar" file holds NavngivenVej, NavngivenVejKommunedel, Postnummer,
// Husnummer and Adresse objects; an "ejf" file Ejendomsbeliggenhed and
// Ejerskab objects. Ids are UUIDs; references (navngivenVej, postnummer,
// husnummer, adresse) are the referenced object's id_lokalId. Only the
// current version of a DAR object is imported: a version with
// registreringTil or virkningTil set, or a status other than 3 (gældende),
// is read, checked and skipped. ejendePersonBegraenset is the owning
// person's CPR number.
//
// # Rules
//
// A dar file is self-contained: each Adresse's house number, and each
// Husnummer's street, municipal street part and postal code, are in the
// same file; a street must have exactly one current municipal part (a
// street spanning municipalities is imported one municipality a file).
// An ejf file's Ejendomsbeliggenhed names a house number or an address
// already imported: the property then holds every address of the house
// number, or the one address (an owner-occupied flat), the address's own
// taking precedence. An Ejerskab names CVR or CPR owner, not both; it is
// upserted by its id_lokalId, so an ownership change is imported as the old
// Ejerskab with virkningTil and status "historisk" and a new one for the new
// owner, and holds at the next landlord lookup.
//
// A file is applied in one transaction, all or nothing: with any bad
// record nothing is written and every problem is reported as file:line:
// field: reason (ingest.FileError), never quoting a value. A record equal to
// the stored row changes nothing, so re-importing a file is a no-op. The
// importer never deletes.
package darejf

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cprgraph/cpr"
	"cprgraph/db"
	"cprgraph/ingest"
)

// Kinds of file.
const (
	DAR = "dar"
	EJF = "ejf"
)

// entities are the objects each kind of file holds, with their fields:
// true for required.
var entities = map[string]map[string]map[string]bool{
	DAR: {
		"NavngivenVej":           {"id_lokalId": true, "vejnavn": true, "status": true},
		"NavngivenVejKommunedel": {"id_lokalId": true, "navngivenVej": true, "kommune": true, "vejkode": true, "status": true},
		"Postnummer":             {"id_lokalId": true, "postnr": true, "navn": true, "status": true},
		"Husnummer": {"id_lokalId": true, "husnummertekst": true, "adgangsadressebetegnelse": false,
			"navngivenVej": true, "postnummer": true, "status": true},
		"Adresse": {"id_lokalId": true, "adressebetegnelse": false, "etagebetegnelse": false, "dørbetegnelse": false,
			"husnummer": true, "status": true},
	},
	EJF: {
		"Ejendomsbeliggenhed": {"id_lokalId": true, "bestemtFastEjendomBFENr": true, "husnummer": false, "adresse": false},
		"Ejerskab": {"id_lokalId": true, "bestemtFastEjendomBFENr": true, "ejendeVirksomhedCVRNr": false,
			"ejendePersonBegraenset": false, "virkningFra": true, "virkningTil": false, "status": true},
	},
}

// Fields every Datafordeler object may carry besides its own; read and
// ignored unless said otherwise.
var common = map[string]bool{
	"id_namespace": true, "registreringFra": true, "registreringTil": true, "registreringsaktør": true,
	"virkningFra": true, "virkningTil": true, "virkningsaktør": true, "forretningshændelse": true,
	"forretningsområde": true, "forretningsproces": true, "datafordelerOpdateringstid": true,
}

// record is one line of a file.
type record struct {
	line   int
	entity string
	f      map[string]string // fields as text; absent or null: missing
}

func (r record) current() bool {
	return r.f["registreringTil"] == "" && (r.entity == "Ejerskab" || r.f["virkningTil"] == "") &&
		(r.entity == "Ejerskab" || r.entity == "Ejendomsbeliggenhed" || r.f["status"] == "3")
}

// ImportFile imports one file of the given kind (DAR or EJF) in one
// transaction. Bad records give an *ingest.FileError; any other error also
// means nothing was written.
func ImportFile(ctx context.Context, conn *sqlx.DB, path, kind string) (ingest.Result, error) {
	start := time.Now()
	res := ingest.Result{File: path, Datatype: kind}
	if _, ok := entities[kind]; !ok {
		return res, fmt.Errorf("%s: type %q: want %q or %q", path, kind, DAR, EJF)
	}
	f, err := os.Open(path)
	if err != nil {
		return res, err
	}
	defer f.Close()
	fe := &ingest.FileError{File: path}
	recs, err := read(f, kind, fe)
	if err != nil {
		return res, fmt.Errorf("%s: %w", path, err)
	}
	res.Read = len(recs)
	err = db.InTx(ctx, conn, func(tx *sqlx.Tx) error {
		if kind == DAR {
			return applyDAR(ctx, tx, recs, fe, &res)
		}
		return applyEJF(ctx, tx, recs, fe, &res)
	})
	res.Elapsed = time.Since(start)
	var bad *ingest.FileError
	if err != nil && !errors.As(err, &bad) {
		var pe *pq.Error
		if errors.As(err, &pe) {
			err = fmt.Errorf("database: %s %s %s", pe.Code.Name(), pe.Table, pe.Constraint)
		}
		err = fmt.Errorf("%s: %w", path, err)
	}
	return res, err
}

// Run imports the files in order, each in its own transaction, printing a
// line per file, like ingest.Run.
func Run(ctx context.Context, conn *sqlx.DB, paths []string, kind string, out io.Writer) error {
	failed := 0
	for _, path := range paths {
		res, err := ImportFile(ctx, conn, path, kind)
		if err != nil {
			fmt.Fprintln(out, err)
			failed++
			continue
		}
		fmt.Fprintln(out, res)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files not imported", failed, len(paths))
	}
	return nil
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// problem adds one problem of the record at line.
func problem(fe *ingest.FileError, line int, field, reason string) {
	fe.Count++
	if len(fe.Problems) < ingest.MaxReported {
		fe.Problems = append(fe.Problems, ingest.RecordError{File: fe.File, Line: line, Field: field, Reason: reason})
	}
}

// read parses and checks every line, recording problems in fe.
func read(r io.Reader, kind string, fe *ingest.FileError) ([]record, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var out []record
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		before := fe.Count
		rec, ok := parse(text, line, kind, fe)
		if fe.Count > before {
			fe.BadRecords++
		}
		if ok {
			out = append(out, rec)
		}
	}
	return out, sc.Err()
}

func parse(text []byte, line int, kind string, fe *ingest.FileError) (record, bool) {
	var outer map[string]map[string]any
	if err := json.Unmarshal(text, &outer); err != nil || len(outer) != 1 {
		problem(fe, line, "", "not a JSON object with one Datafordeler object inside")
		return record{}, false
	}
	var rec record
	var raw map[string]any
	for rec.entity, raw = range outer {
	}
	fields, ok := entities[kind][rec.entity]
	if !ok || raw == nil {
		problem(fe, line, rec.entity, "not an object of a "+kind+" file")
		return record{}, false
	}
	rec.line, rec.f = line, map[string]string{}
	bad := false
	for name, v := range raw {
		if _, known := fields[name]; !known && !common[name] {
			problem(fe, line, name, "unknown field")
			bad = true
			continue
		}
		switch v := v.(type) {
		case nil:
		case string:
			rec.f[name] = strings.TrimSpace(v)
		case float64:
			rec.f[name] = strconv.FormatFloat(v, 'f', -1, 64)
		default:
			problem(fe, line, name, "not a string or number")
			bad = true
		}
	}
	for name, required := range fields {
		if required && rec.f[name] == "" {
			problem(fe, line, name, "required")
			bad = true
		}
	}
	if bad {
		return record{}, false
	}
	before := fe.Count
	check(rec, fe)
	return rec, fe.Count == before
}

// check checks the values of a record's fields.
func check(r record, fe *ingest.FileError) {
	isUUID := func(name string) {
		if v := r.f[name]; v != "" && !uuidPattern.MatchString(v) {
			problem(fe, r.line, name, "not a UUID")
		}
	}
	digits := func(name string, max int) {
		if v := r.f[name]; v != "" {
			if n, err := strconv.Atoi(v); err != nil || n < 0 || len(strings.TrimLeft(v, "0")) > max {
				problem(fe, r.line, name, fmt.Sprintf("not a number of at most %d digits", max))
			}
		}
	}
	length := func(name string, max int) {
		if len([]rune(r.f[name])) > max {
			problem(fe, r.line, name, fmt.Sprintf("longer than %d characters", max))
		}
	}
	for _, name := range []string{"id_lokalId", "navngivenVej", "postnummer", "husnummer", "adresse"} {
		isUUID(name)
	}
	for _, name := range []string{"virkningFra", "virkningTil", "registreringTil"} {
		if v := r.f[name]; v != "" {
			if _, err := datePart(v); err != nil {
				problem(fe, r.line, name, "not a date or timestamp")
			}
		}
	}
	switch r.entity {
	case "NavngivenVej":
		length("vejnavn", 40)
	case "NavngivenVejKommunedel":
		digits("kommune", 4)
		digits("vejkode", 4)
	case "Postnummer":
		digits("postnr", 4)
		length("navn", 20)
	case "Husnummer":
		length("husnummertekst", 4)
	case "Adresse":
		length("etagebetegnelse", 2)
		length("dørbetegnelse", 4)
	case "Ejendomsbeliggenhed":
		digits("bestemtFastEjendomBFENr", 18)
		if (r.f["husnummer"] == "") == (r.f["adresse"] == "") {
			problem(fe, r.line, "husnummer", "give exactly one of husnummer and adresse")
		}
	case "Ejerskab":
		digits("bestemtFastEjendomBFENr", 18)
		cvr, person := r.f["ejendeVirksomhedCVRNr"], r.f["ejendePersonBegraenset"]
		switch {
		case (cvr == "") == (person == ""):
			problem(fe, r.line, "ejendeVirksomhedCVRNr", "give exactly one of ejendeVirksomhedCVRNr and ejendePersonBegraenset")
		case cvr != "" && !regexp.MustCompile(`^[0-9]{8}$`).MatchString(cvr):
			problem(fe, r.line, "ejendeVirksomhedCVRNr", "not a CVR number (8 digits)")
		case person != "":
			if _, err := cpr.Parse(person); err != nil {
				problem(fe, r.line, "ejendePersonBegraenset", "not a CPR number")
			}
		}
		if s := r.f["status"]; s != "gældende" && s != "historisk" {
			problem(fe, r.line, "status", `not "gældende" or "historisk"`)
		}
		from, _ := datePart(r.f["virkningFra"])
		if to, err := datePart(r.f["virkningTil"]); err == nil && r.f["virkningTil"] != "" && to < from {
			problem(fe, r.line, "virkningTil", "before virkningFra")
		}
	}
}

// datePart returns the Danish calendar date (YYYY-MM-DD) of a date or an
// RFC 3339 timestamp.
func datePart(v string) (string, error) {
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t.Format(time.DateOnly), nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return "", err
	}
	if loc, err := time.LoadLocation("Europe/Copenhagen"); err == nil {
		t = t.In(loc)
	}
	return t.Format(time.DateOnly), nil
}
