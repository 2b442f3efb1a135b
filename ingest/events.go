package ingest

import (
	"fmt"
	"strings"

	"cprgraph/db"
)

// Change events
//
// An import compares every record with the stored row of the same key
// (absent: all fields NULL) and registers, in the same transaction, the
// events of seed 001's PersonHændelseSamlingHent that the change implies.
// A record equal to the stored row implies none, so a re-import emits
// nothing. The event's person is the record's cpr unless said otherwise;
// its municipality is the person's (for person records, the new one).
//
// person:
//   - new CPR number → CREATION (date: statusDato, else startDato, else
//     foedselsdato; data: status). A new record that carries gaeldendeCPR
//     is a changed number, not a new person: STATUS_CHANGE below.
//   - status or gaeldendeCPR changed → STATUS_CHANGE on the current number
//     (gaeldendeCPR when set, status 50/60) with the record's own number as
//     oldCpr (date: statusDato; data: status, previousStatus, oldCpr). This
//     covers disappearance (70) and emigration (80), which seed 001 has no
//     block of their own for.
//   - status becomes 90 → also DEATH; leaves 90 → also REVIVAL; from 80 to
//     an active status (01, 03, 05, 07) → also IMMIGRATION; leaves 70 →
//     also FOUND (date: statusDato).
//   - kommuneKode, vejKode, husnummer, etage or sideDoerNummer changed →
//     ADDRESS, the folkeregisteradresse (date: startDato).
//   - the same, while the folkeregisteradresse is the chosen forwarding
//     address (the person's personkontakt chooses no alternative address
//     today, see forwardingChoice) → also FORWARDING_ADDRESS (date:
//     startDato; data: forwardingKind FOLKEREGISTER): the forwarding address
//     moved with the person.
//   - fornavn, mellemnavn or efternavn changed → NAME_CHANGE (date:
//     navnStartDato).
//   - slutDato set or moved → PLANNED_DELETION (date: slutDato): the record
//     ends, and CSR-P deletes the person.
//
// personfamilie:
//   - civilstand or civilstandStartDato changed → CIVIL_STATUS (date:
//     civilstandStartDato; data: civilstand).
//   - mother, father or spouse changed (CPR number, or name or birth date
//     when without one) → RELATION (data: relation MOTHER, FATHER or
//     SPOUSE; date: morDato, farDato or civilstandStartDato).
//
// barnrelation: a new or changed row → RELATION of the parent (data:
// relation CHILD). foraeldremyndighedrelation: a new or changed row →
// RELATION of the child (data: relation CUSTODY, typeKode; date:
// foraeldreMyndighedStartDato).
//
// person, besides:
//   - the folkeregisteradresse of a guardian in CPR changed → GUARDIAN_ADDRESS
//     of each person whose guardian (umyndiggoerelsevaergerelation.relationCpr,
//     guardianship not ended) the mover is, unless the guardian is protected
//     (the event would tell a protected person's moving day); see
//     guardianMovesQuery.
//
// personkontakt:
//   - the chosen forwarding address changed (forwardingChoice: CSR-P's
//     priority contact address in force today > foreign > supplementary >
//     folkeregisteradresse; kind or lines) → FORWARDING_ADDRESS (date:
//     startDatoKontaktAdr for a contact address, udrejseDato for a foreign
//     one, else the end of the contact address left; data: forwardingKind).
//     A change of an address that is not the chosen one implies nothing;
//     a move while the folkeregisteradresse is the chosen one is a person
//     record's (above).
//   - a contact address expiring (sletteDatoKontaktAdr reached) changes the
//     choice with no record imported: SweepForwardingExpiries registers
//     that FORWARDING_ADDRESS (date: the end; data: forwardingKind, reason
//     CONTACT_EXPIRED), once; every import runs it for today.
//   - navneAdressebeskyttelseStartDato or -SletteDato changed →
//     ADDRESS_PROTECTION (date: the start; data: startDato, sletteDato).
//
// umyndiggoerelsevaergerelation:
//   - a new row, or typeKode, umyndigStartDato or umyndigSletteDato changed
//     → INCAPACITY (date: umyndigStartDato; data: typeKode, startDato,
//     sletteDato).
//   - relationsTekst1-5, the guardian's address, changed → GUARDIAN_ADDRESS
//     (date: vaergesNavnStartDato).
//
// The history datatypes (historiske*) record what the events above
// already announced; they, deltbopael, personudvidet and notat (a note's
// sletDato deletes the note, not the person) imply no events. The
// importer never deletes, so no event says that a row went away. Event
// data holds codes and dates only, never a name or an address.
var eventRules = map[string][]eventRule{
	"person": {
		{kind: db.EventCreation, when: "o.cpr IS NULL AND s.gaeldende_cpr IS NULL",
			date: "coalesce(s.status_dato::date, s.start_dato, s.foedselsdato)", data: object("status", "s.status")},
		{kind: db.EventStatusChange, when: changed("status", "gaeldende_cpr") + " AND (o.cpr IS NOT NULL OR s.gaeldende_cpr IS NOT NULL)",
			cpr: "coalesce(s.gaeldende_cpr, s.cpr)", date: "s.status_dato",
			data: object("status", "s.status", "previousStatus", "o.status", "oldCpr", "CASE WHEN s.gaeldende_cpr IS NOT NULL THEN s.cpr END")},
		{kind: db.EventDeath, when: "o.cpr IS NOT NULL AND s.status = '90' AND o.status IS DISTINCT FROM '90'", date: "s.status_dato"},
		{kind: db.EventRevival, when: "o.status = '90' AND s.status IS DISTINCT FROM '90'", date: "s.status_dato"},
		{kind: db.EventImmigration, when: "o.status = '80' AND s.status IN ('01', '03', '05', '07')", date: "s.status_dato"},
		{kind: db.EventFound, when: "o.status = '70' AND s.status IS DISTINCT FROM '70'", date: "s.status_dato"},
		{kind: db.EventAddress, when: "o.cpr IS NOT NULL AND " + changed("kommune_kode", "vej_kode", "husnummer", "etage", "side_doer_nummer"),
			date: "s.start_dato"},
		{kind: db.EventForwardingAddress, when: "o.cpr IS NOT NULL AND " + changed("kommune_kode", "vej_kode", "husnummer", "etage", "side_doer_nummer") +
			" AND (SELECT " + forwardingChoice("k", "danish_today()") + " FROM personkontakt k WHERE k.cpr = s.cpr) IS NULL",
			date: "s.start_dato", data: object("forwardingKind", "'FOLKEREGISTER'::text")},
		{kind: db.EventNameChange, when: "o.cpr IS NOT NULL AND " + changed("fornavn", "mellemnavn", "efternavn"), date: "s.navn_start_dato"},
		{kind: db.EventPlannedDeletion, when: "o.cpr IS NOT NULL AND s.slut_dato IS NOT NULL AND " + changed("slut_dato"), date: "s.slut_dato"},
	},
	"personfamilie": {
		{kind: db.EventCivilStatus, when: changed("civilstand", "civilstand_start_dato"),
			date: "s.civilstand_start_dato", data: object("civilstand", "s.civilstand")},
		{kind: db.EventRelation, when: changed("mor_cpr", "mor_navn", "mor_foedselsdato"), date: "s.mor_dato", data: relation("MOTHER")},
		{kind: db.EventRelation, when: changed("far_cpr", "far_navn", "far_foedselsdato"), date: "s.far_dato", data: relation("FATHER")},
		{kind: db.EventRelation, when: changed("aegtefaelle_cpr", "aegtefaelle_navn", "aegtefaelle_foedsels_dato"),
			date: "s.civilstand_start_dato", data: relation("SPOUSE")},
	},
	"barnrelation": {
		{kind: db.EventRelation, when: changed("cpr", "barn_cpr"), data: relation("CHILD")},
	},
	"foraeldremyndighedrelation": {
		{kind: db.EventRelation, when: changed("cpr", "type_kode", "relation_cpr", "foraeldre_myndighed_start_dato", "foraeldre_myndighed_slette_dato"),
			date: "s.foraeldre_myndighed_start_dato", data: object("relation", "'CUSTODY'::text", "typeKode", "s.type_kode")},
	},
	"personkontakt": {
		{kind: db.EventForwardingAddress,
			when: "(" + forwardingChoice("s", "danish_today()") + ") IS DISTINCT FROM (" + forwardingChoice("o", "danish_today()") + ")",
			date: "CASE " + forwardingKind("s", "danish_today()") + " WHEN 'CONTACT' THEN s.start_dato_kontakt_adr WHEN 'FOREIGN' THEN s.udrejse_dato::date " +
				"ELSE o.slette_dato_kontakt_adr END",
			data: object("forwardingKind", forwardingKind("s", "danish_today()"))},
		{kind: db.EventAddressProtection, when: changed("navne_adressebeskyttelse_start_dato", "navne_adressebeskyttelse_slette_dato"),
			date: "s.navne_adressebeskyttelse_start_dato",
			data: object("startDato", "s.navne_adressebeskyttelse_start_dato", "sletteDato", "s.navne_adressebeskyttelse_slette_dato")},
	},
	"umyndiggoerelsevaergerelation": {
		{kind: db.EventIncapacity, when: changed("cpr", "type_kode", "umyndig_start_dato", "umyndig_slette_dato"),
			date: "s.umyndig_start_dato",
			data: object("typeKode", "s.type_kode", "startDato", "s.umyndig_start_dato", "sletteDato", "s.umyndig_slette_dato")},
		{kind: db.EventGuardianAddress, when: changed(addressLines("relations_tekst")...), date: "s.vaerges_navn_start_dato"},
	},
}

// forwardingChoice is the SQL expression of the alternative address CSR-P
// chooses as forwarding address from personkontakt row a on day: its kind
// and lines, one a line; NULL when none is chosen (the folkeregisteradresse
// is). The same priority as db.Person.ForwardingAddress: a contact address
// with no start, or in force on day; else a foreign address; else a
// supplementary one.
func forwardingChoice(a, day string) string {
	lines := func(prefix string) string {
		cols := make([]string, 5)
		for i := range cols {
			cols[i] = fmt.Sprintf("%s.%s%d", a, prefix, i+1)
		}
		return "nullif(concat_ws(E'\\n', " + strings.Join(cols, ", ") + "), '')"
	}
	return fmt.Sprintf(`CASE WHEN %[3]s IS NOT NULL AND (%[1]s.start_dato_kontakt_adr IS NULL OR (%[1]s.start_dato_kontakt_adr <= %[2]s
			AND (%[1]s.slette_dato_kontakt_adr IS NULL OR %[2]s < %[1]s.slette_dato_kontakt_adr))) THEN 'CONTACT' || E'\n' || %[3]s
		WHEN %[4]s IS NOT NULL THEN 'FOREIGN' || E'\n' || %[4]s
		WHEN %[5]s IS NOT NULL THEN 'SUPPLEMENTARY' || E'\n' || %[5]s END`,
		a, day, lines("kontakt_adr"), lines("udlands_adr"), lines("supplerende_adr"))
}

// forwardingKind is the kind of the forwarding address chosen from row a on
// day: CONTACT, FOREIGN, SUPPLEMENTARY or FOLKEREGISTER.
func forwardingKind(a, day string) string {
	return "coalesce(split_part(" + forwardingChoice(a, day) + ", E'\\n', 1), 'FOLKEREGISTER')"
}

// guardianMovesQuery registers GUARDIAN_ADDRESS for the wards of every
// staged person whose folkeregisteradresse changed: the guardian in CPR
// moved. It runs before the rows are written, like eventsQuery.
func guardianMovesQuery() string {
	return `INSERT INTO person_event (kind, cpr, kommune_kode, effective_date, data)
		SELECT 'GUARDIAN_ADDRESS', w.cpr, p.kommune_kode, s.start_dato, '{}'::jsonb
		FROM ingest_stage s
		JOIN person o ON o.cpr = s.cpr
		JOIN umyndiggoerelsevaergerelation w ON w.relation_cpr = s.cpr
		LEFT JOIN person p ON p.cpr = w.cpr
		WHERE ` + changed("kommune_kode", "vej_kode", "husnummer", "etage", "side_doer_nummer") + `
		  AND (w.umyndig_slette_dato IS NULL OR w.umyndig_slette_dato > danish_today())
		  AND NOT name_address_protected(s.cpr)
		ORDER BY s.ingest_line, w.cpr, w.id`
}

// sweepQuery registers FORWARDING_ADDRESS for every contact address that
// ended on or before $1 while it was the chosen forwarding address: it had a
// start, was registered before its end (a version of personkontakt with
// that end registered earlier), and its expiry was not registered yet.
const sweepQuery = `INSERT INTO person_event (kind, cpr, kommune_kode, effective_date, data)
	SELECT 'FORWARDING_ADDRESS', k.cpr, p.kommune_kode, k.slette_dato_kontakt_adr,
		jsonb_build_object('forwardingKind', %[1]s, 'reason', 'CONTACT_EXPIRED')
	FROM personkontakt k
	LEFT JOIN person p ON p.cpr = k.cpr
	WHERE k.slette_dato_kontakt_adr <= $1::date AND k.start_dato_kontakt_adr < k.slette_dato_kontakt_adr
	  AND coalesce(k.kontakt_adr1, k.kontakt_adr2, k.kontakt_adr3, k.kontakt_adr4, k.kontakt_adr5) IS NOT NULL
	  AND EXISTS (SELECT 1 FROM personkontakt_version v
	               WHERE v.cpr = k.cpr AND v.slette_dato_kontakt_adr = k.slette_dato_kontakt_adr
	                 AND (v.registered_from AT TIME ZONE 'Europe/Copenhagen')::date < k.slette_dato_kontakt_adr)
	  AND NOT EXISTS (SELECT 1 FROM person_event e
	                   WHERE e.cpr = k.cpr AND e.kind = 'FORWARDING_ADDRESS'
	                     AND e.effective_date = k.slette_dato_kontakt_adr AND e.data->>'reason' = 'CONTACT_EXPIRED')
	ORDER BY k.cpr`

// eventRule registers one kind of event for the imported rows that meet a
// condition. The expressions are SQL over s, the imported row, and o, the
// stored row of the same key (all NULL when there is none).
type eventRule struct {
	kind db.EventKind
	when string // the condition
	cpr  string // the event's person; "" for s.cpr
	date string // the date the change took effect; "" when unknown
	data string // a jsonb object; "" for {}
}

// changed is the condition that any of the columns differs between s and o.
func changed(columns ...string) string { return distinct("s", "o", columns) }

// object builds a jsonb object from key, SQL expression pairs, leaving out
// the keys whose value is NULL.
func object(pairs ...string) string {
	args := make([]string, len(pairs))
	for i, p := range pairs {
		if i%2 == 0 {
			p = "'" + p + "'"
		}
		args[i] = p
	}
	return "jsonb_strip_nulls(jsonb_build_object(" + strings.Join(args, ", ") + "))"
}

func relation(code string) string { return object("relation", "'"+code+"'::text") }

// addressLines lists the five line columns of each prefix (kontakt_adr →
// kontakt_adr1 … kontakt_adr5).
func addressLines(prefixes ...string) []string {
	var columns []string
	for _, p := range prefixes {
		for i := 1; i <= 5; i++ {
			columns = append(columns, fmt.Sprint(p, i))
		}
	}
	return columns
}

// eventsQuery returns the statement that registers the events the staged
// rows of d imply, in the order of the file, or "" when d implies none. It
// runs before the rows are written, so o is the stored row. Only new and
// changed rows are tested against the rules' conditions, and an event's
// columns are computed only for the rules that fire.
func eventsQuery(d *datatype) string {
	rules := eventRules[d.name]
	if len(rules) == 0 {
		return ""
	}
	conditions := make([]string, len(rules))
	for i, r := range rules {
		conditions[i] = r.when
	}
	municipality := "NULL::integer"
	if d.name == "person" {
		municipality = "s.kommune_kode"
	}
	return fmt.Sprintf(`INSERT INTO person_event (kind, cpr, kommune_kode, effective_date, data)
		SELECT e.kind, e.cpr, coalesce(e.kommune_kode, p.kommune_kode), e.effective_date, e.data
		FROM (
			SELECT s.ingest_line, f.ord, %[1]s AS kommune_kode,
				CASE f.ord %[2]s END AS kind,
				CASE f.ord %[3]s END AS cpr,
				CASE f.ord %[4]s END AS effective_date,
				CASE f.ord %[5]s END AS data
			FROM ingest_stage s
			LEFT JOIN %[6]s o ON o.%[7]s = s.%[7]s
			CROSS JOIN LATERAL unnest(ARRAY[%[8]s]) WITH ORDINALITY AS f (fire, ord)
			WHERE (o.%[7]s IS NULL OR %[9]s) AND f.fire
		) e
		LEFT JOIN person p ON p.cpr = e.cpr
		ORDER BY e.ingest_line, e.ord`,
		municipality,
		branches(rules, func(r eventRule) string { return "'" + string(r.kind) + "'" }),
		branches(rules, func(r eventRule) string { return "(" + or(r.cpr, "s.cpr") + ")::char(10)" }),
		branches(rules, func(r eventRule) string { return "(" + or(r.date, "NULL") + ")::date" }),
		branches(rules, func(r eventRule) string { return "(" + or(r.data, "'{}'") + ")::jsonb" }),
		d.name, d.key, strings.Join(conditions, ", "), distinct("o", "s", d.columns()))
}

// branches returns the WHEN clauses of a CASE over the rule number.
func branches(rules []eventRule, expr func(eventRule) string) string {
	whens := make([]string, len(rules))
	for i, r := range rules {
		whens[i] = fmt.Sprintf("WHEN %d THEN %s", i+1, expr(r))
	}
	return strings.Join(whens, " ")
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
