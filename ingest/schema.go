package ingest

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"cprgraph/cpr"
)

// fieldKind is the type of a field of seed 004.
type fieldKind int

const (
	textField     fieldKind = iota // char(n) or varchar(n): at most size characters
	intField                       // int(n): at most size decimal digits
	dateField                      // date: YYYY-MM-DD
	datetimeField                  // datetime: YYYY-MM-DD with an optional time of day
	cprField                       // a CPR number, checked with cpr.Parse
)

// valueSet is a closed set of values (a seed 004 "Værdisæt").
type valueSet struct {
	name string // says what the values are, in an error
	ok   func(v string) bool
}

var (
	statusSet      = valueSet{"person status code", func(v string) bool { return cpr.Status(v).Valid() }}
	sexSet         = valueSet{"sex (M or K)", func(v string) bool { return cpr.Sex(v).Valid() }}
	civilStatusSet = valueSet{"civil status code", func(v string) bool { return cpr.CivilStatus(v).Valid() }}
	retFortrydSet  = valueSet{"ret/fortryd marker (K, A or Æ)", func(v string) bool { return cpr.RetFortryd(v).Valid() }}
	nameMarkSet    = valueSet{"name marker (+, * or =)", func(v string) bool { return cpr.UncertaintyMark(v).Valid() }}
	churchSet      = valueSet{"folkekirkeforhold code", func(v string) bool { return cpr.ChurchRelation(v).Valid() }}
	custodySet     = valueSet{"custody type code (0003-0006)", func(v string) bool { return cpr.CustodyType(v).Valid() }}
	guardianSet    = valueSet{"guardian type code (0000-0002)", func(v string) bool { return cpr.GuardianType(v).Valid() }}
	electionSet    = valueSet{"valgKode (1-6)", func(v string) bool { n, err := strconv.Atoi(v); return err == nil && cpr.ElectionCode(n).Valid() }}
	municipalTypes = valueSet{"kommunaleforholdType (1-9)", func(v string) bool { n, err := strconv.Atoi(v); return err == nil && n >= 1 && n <= 9 }}
)

// field is one field of a datatype: its seed 004 name, type, optionality
// and value set, and the table column it is stored in.
type field struct {
	name     string // as in seed 004, e.g. adresseringsNavn
	column   string // the name in snake_case, e.g. adresserings_navn
	kind     fieldKind
	size     int // characters of a text field, digits of an int field
	required bool
	set      *valueSet
}

func newField(name string, kind fieldKind, size int) field {
	return field{name: name, column: snakeCase(name), kind: kind, size: size}
}

func text(name string, size int) field    { return newField(name, textField, size) }
func integer(name string, size int) field { return newField(name, intField, size) }
func date(name string) field              { return newField(name, dateField, 0) }
func datetime(name string) field          { return newField(name, datetimeField, 0) }
func cprNumber(name string) field         { return newField(name, cprField, 10) }

// req marks f as required (seed 004 "Optional: Nej").
func (f field) req() field { f.required = true; return f }

// in restricts f to a value set.
func (f field) in(s valueSet) field { f.set = &s; return f }

// snakeCase turns a seed 004 field name into its column name: an underscore
// before each capital that follows a small letter or digit, all in lower
// case (kontaktAdr1 → kontakt_adr1, barnCPR → barn_cpr).
func snakeCase(name string) string {
	var b strings.Builder
	prev := rune(0)
	for i, r := range name {
		if i > 0 && unicode.IsUpper(r) && (unicode.IsLower(prev) || unicode.IsDigit(prev)) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
		prev = r
	}
	return b.String()
}

// datatype is one datatype of seed 004 and the table holding it.
type datatype struct {
	name   string // datatype and table name
	key    string // the unique key column: cpr or id
	fields []field
	index  map[string]int // field name → position in fields
	// check applies the rules between fields that the table's CHECK
	// constraints hold; nil when there are none.
	check func(d *datatype, r row) []fieldProblem
}

// row is a validated record: one value per field of its datatype (nil or a
// string PostgreSQL reads as the column's type), then the line number.
type row []any

// fieldProblem is a bad value of one field.
type fieldProblem struct {
	field, reason string
}

func newDatatype(name, key string, fields ...field) *datatype {
	d := &datatype{name: name, key: key, fields: fields, index: make(map[string]int, len(fields))}
	for i, f := range fields {
		d.index[f.name] = i
	}
	return d
}

// withCheck sets the datatype's rules between fields.
func (d *datatype) withCheck(check func(d *datatype, r row) []fieldProblem) *datatype {
	d.check = check
	return d
}

// get returns the value of the named field in r, "" when absent.
func (d *datatype) get(r row, name string) string {
	s, _ := r[d.index[name]].(string)
	return s
}

// retFortryd is the ret/fortryd marker every historical datatype has.
func retFortryd() field { return text("retFortrydAendring", 1).in(retFortrydSet) }

func unreliable() field { return text("unreliable", 2000) }

// datatypes holds the 18 datatypes of seed 004 by name, with their fields in
// the seed's order.
var datatypes = byName(
	newDatatype("barnrelation", "id",
		cprNumber("barnCPR").req(),
		cprNumber("cpr").req(),
		text("id", 21).req(),
		unreliable(),
	),
	newDatatype("deltbopael", "cpr",
		cprNumber("cpr").req(),
		date("startDato"),
		text("startDatoMarkering", 1),
		unreliable(),
	),
	newDatatype("foraeldremyndighedrelation", "id",
		cprNumber("cpr").req(),
		date("foraeldreMyndighedSletteDato"),
		date("foraeldreMyndighedStartDato"),
		text("foraeldreMyndighedStartDatoMarkering", 1),
		text("id", 21).req(),
		cprNumber("relationCpr"),
		date("relationCprStartDato"),
		text("typeKode", 4).req().in(custodySet),
		text("typeTekst", 50).req(),
		unreliable(),
	).withCheck(checkCustodyHolder),
	newDatatype("historiskeadresser", "id",
		text("bygningsnummer", 4),
		text("coNavn", 34),
		cprNumber("cpr").req(),
		text("etage", 2),
		datetime("fraflytningsDato"),
		text("fraflytningsDatoMarkering", 1),
		text("husnummer", 4),
		text("id", 32).req(),
		integer("kommuneKode", 4),
		retFortryd(),
		text("sideDoerNummer", 4),
		datetime("tilflytningsDato"),
		text("tilflytningsDatoMarkering", 1),
		unreliable(),
		integer("vejKode", 4),
	),
	newDatatype("historiskecivilstande", "id",
		cprNumber("aegtefaelleCPR"),
		date("aegtefaelleFoedselsDato"),
		text("aegtefaelleFoedselsDatoMarkering", 1),
		text("aegtefaelleNavn", 34),
		text("aegtefaelleNavnMarkering", 1),
		text("civilstand", 1).in(civilStatusSet),
		cprNumber("cpr").req(),
		text("id", 32).req(),
		retFortryd(),
		datetime("seperationHenvisning"),
		datetime("slutDato"),
		text("slutDatoMarkering", 1),
		datetime("startDato"),
		text("startDatoMarkering", 1),
		unreliable(),
	),
	newDatatype("historiskefolkekirkeoplysninger", "id",
		cprNumber("cpr").req(),
		text("folkekirkeforhold", 1).in(churchSet),
		text("id", 32).req(),
		date("slutDato"),
		text("slutDatoMarkering", 1),
		date("startDato"),
		text("startDatoMarkering", 1),
		unreliable(),
	),
	newDatatype("historiskeforsvindgenfindoplysninger", "id",
		cprNumber("cpr").req(),
		datetime("forsvindingsDato"),
		text("forsvindingsDatoMarkering", 1),
		datetime("genfindingsDato"),
		text("genfindingsDatoMarkering", 1),
		text("id", 32).req(),
		retFortryd(),
		unreliable(),
	),
	newDatatype("historiskenavneoplysninger", "id",
		cprNumber("cpr").req(),
		text("efternavn", 40),
		text("efternavnMarkering", 1).in(nameMarkSet),
		text("fornavn", 50),
		text("fornavnMarkering", 1).in(nameMarkSet),
		text("id", 32).req(),
		text("mellemnavn", 40),
		text("mellemnavnMarkering", 1).in(nameMarkSet),
		retFortryd(),
		datetime("slutDato"),
		text("slutDatoMarkering", 1),
		datetime("startDato"),
		text("startDatoMarkering", 1),
		unreliable(),
	),
	newDatatype("historiskepersonnumre", "id",
		cprNumber("cpr").req(),
		cprNumber("historiskCPR").req(),
		text("id", 32).req(),
		date("slutDato"),
		text("slutDatoMarkering", 1),
		date("startDato"),
		text("startDatoMarkering", 1),
		unreliable(),
	),
	newDatatype("historiskerejseoplysninger", "id",
		cprNumber("cpr").req(),
		text("id", 32).req(),
		datetime("indrejseDato"),
		integer("indrejseLandekode", 4),
		text("indrejseMarkering", 1),
		retFortryd(),
		text("udlandsAdr1", 34),
		text("udlandsAdr2", 34),
		text("udlandsAdr3", 34),
		text("udlandsAdr4", 34),
		text("udlandsAdr5", 34),
		datetime("udrejseDato"),
		integer("udrejseLandekode", 4),
		text("udrejseMarkering", 1),
		unreliable(),
	),
	newDatatype("historiskeseparationer", "id",
		datetime("civilstandHenvisning"),
		cprNumber("cpr").req(),
		text("id", 32).req(),
		retFortryd(),
		date("slutDato"),
		text("slutDatoMarkering", 1),
		date("startDato"),
		text("startDatoMarkering", 1),
		unreliable(),
	),
	newDatatype("historiskestatsborgerskaber", "id",
		cprNumber("cpr").req(),
		text("id", 32).req(),
		integer("landekode", 4),
		retFortryd(),
		datetime("slutDato"),
		text("slutDatoMarkering", 1),
		datetime("startDato"),
		text("startDatoMarkering", 1),
		unreliable(),
	),
	newDatatype("notat", "id",
		cprNumber("cpr").req(),
		text("id", 13).req(),
		text("notatLinje", 40),
		integer("notatNummer", 2).req(),
		date("sletDato"),
		date("startDato"),
		unreliable(),
	),
	newDatatype("person", "cpr",
		text("adresseringsNavn", 34),
		text("bygningsnummer", 10),
		text("bynavn", 34),
		text("coNavn", 34),
		cprNumber("cpr").req(),
		text("efternavn", 40),
		text("efternavnMarkering", 1).in(nameMarkSet),
		text("etage", 2),
		date("foedselsdato"),
		text("foedselsdatoMarkering", 1),
		text("fornavn", 50),
		text("fornavnMarkering", 1).in(nameMarkSet),
		cprNumber("gaeldendeCPR"),
		text("husnummer", 4),
		text("koen", 1).in(sexSet),
		integer("kommuneKode", 4),
		text("lokalitet", 34),
		text("mellemnavn", 40),
		text("mellemnavnMarkering", 1).in(nameMarkSet),
		datetime("navnebeskyttelseslettedato"),
		datetime("navnebeskyttelsestartdato"),
		datetime("navnStartDato"),
		text("navnStartDatoMarkering", 1),
		text("postdistrikt", 20),
		integer("postnummer", 4),
		text("sideDoerNummer", 4),
		date("slutDato"),
		text("slutDatoMarkering", 1),
		text("standardAdresse", 34),
		date("startDato"),
		text("startDatoMarkering", 1),
		text("status", 2).in(statusSet),
		datetime("statusDato"),
		text("statusMarkering", 1),
		text("stilling", 50),
		unreliable(),
		integer("vejKode", 4),
		text("vejnavn", 30),
	),
	newDatatype("personfamilie", "cpr",
		cprNumber("aegtefaelleCPR"),
		date("aegtefaelleFoedselsDato"),
		text("aegtefaelleFoedselsDatoMarkering", 1),
		text("aegtefaelleNavn", 34),
		text("aegtefaelleNavnMarkering", 1),
		text("civilstand", 1).in(civilStatusSet),
		datetime("civilstandSeperationsHenvisning"),
		datetime("civilstandStartDato"),
		text("civilstandStartDatoMarkering", 1),
		cprNumber("cpr").req(),
		cprNumber("farCPR"),
		date("farDato"),
		text("farDatoMarkering", 1),
		date("farFoedselsdato"),
		text("farFoedselsdatoMarkering", 1),
		text("farNavn", 34),
		text("farNavnMarkering", 1),
		cprNumber("morCPR"),
		date("morDato"),
		text("morDatoMarkering", 1),
		date("morFoedselsdato"),
		text("morFoedselsdatoMarkering", 1),
		text("morNavn", 34),
		text("morNavnMarkering", 1),
		datetime("seperationCivilstandHenvisning"),
		date("seperationStartDato"),
		text("seperationStartDatoMarkering", 1),
		unreliable(),
	),
	newDatatype("personkontakt", "cpr",
		text("bygningsnummer", 4),
		text("coNavn", 34),
		cprNumber("cpr").req(),
		text("etage", 2),
		date("forskerbeskyttelseSletteDato"),
		date("forskerbeskyttelseStartDato"),
		datetime("forsvindingsDato"),
		text("forsvindingsDatoMarkering", 1),
		datetime("fraflytningKommuneDato"),
		text("fraflytningKommuneDatoMarkering", 1),
		integer("fraflytningKommuneKode", 4),
		text("husnummer", 4),
		integer("kommuneKode", 4),
		text("kontaktAdr1", 34),
		text("kontaktAdr2", 34),
		text("kontaktAdr3", 34),
		text("kontaktAdr4", 34),
		text("kontaktAdr5", 34),
		date("markedsfoeringsbeskyttelseSletteDato"),
		date("markedsfoeringsbeskyttelseStartDato"),
		date("navneAdressebeskyttelseSletteDato"),
		date("navneAdressebeskyttelseStartDato"),
		text("sideDoerNummer", 4),
		date("sletDatoAdr"),
		date("sletteDatoKontaktAdr"),
		date("startDatoAdr"),
		date("startDatoKontaktAdr"),
		integer("startMyndighedAdr", 4),
		integer("statsborgerskabLandekode", 4),
		datetime("statsborgerskabStartDato"),
		text("statsborgerskabStartDatoMarkering", 1),
		text("supplerendeAdr1", 34),
		text("supplerendeAdr2", 34),
		text("supplerendeAdr3", 34),
		text("supplerendeAdr4", 34),
		text("supplerendeAdr5", 34),
		datetime("tilflytningKommuneDato"),
		text("tilflytningKommuneDatoMarkering", 1),
		datetime("tilflytningsDato"),
		text("tilflytningsDatoMarkering", 1),
		text("udlandsAdr1", 34),
		text("udlandsAdr2", 34),
		text("udlandsAdr3", 34),
		text("udlandsAdr4", 34),
		text("udlandsAdr5", 34),
		datetime("udrejseDato"),
		text("UdrejseDatoMarkering", 1), // capital U as in seed 004
		integer("udrejseLandekode", 4),
		unreliable(),
		integer("vejKode", 4),
		date("vejviserbeskyttelseSletteDato"),
		date("vejviserbeskyttelseStartDato"),
	),
	newDatatype("personudvidet", "cpr",
		cprNumber("cpr").req(),
		text("flyttepaabudBemaerkninger", 40),
		date("flyttepaabudStartDato"),
		integer("foedselsregistreringsstedKode", 4),
		text("foedselsregistreringsstedTekst", 20),
		text("folkekirkeForhold", 1).in(churchSet),
		date("folkekirkeStartDato"),
		text("folkekirkeStartDatoMarkering", 1),
		text("kommunaleforholdBemaerkninger", 30),
		text("kommunaleforholdKode", 5),
		date("kommunaleforholdStartDato"),
		text("kommunaleforholdStartDatoMarkering", 1),
		integer("kommunaleforholdType", 1).in(municipalTypes),
		unreliable(),
		integer("valgKode", 4).in(electionSet),
		date("valgOplysningerSletteDato"),
		date("valgOplysningerStartDato"),
		date("valgretDato"),
	).withCheck(checkMunicipalRelation),
	newDatatype("umyndiggoerelsevaergerelation", "id",
		cprNumber("cpr").req(),
		text("id", 21).req(),
		cprNumber("relationCpr"),
		datetime("relationCprStartDato"),
		text("relationsTekst1", 50),
		text("relationsTekst2", 50),
		text("relationsTekst3", 50),
		text("relationsTekst4", 50),
		text("relationsTekst5", 50),
		text("typeKode", 4).req().in(guardianSet),
		text("typeTekst", 50).req(),
		date("umyndigSletteDato"),
		date("umyndigStartDato"),
		text("umyndigStartDatoMarkering", 1),
		unreliable(),
		text("vaergesNavn", 50),
		datetime("vaergesNavnStartDato"),
	).withCheck(checkGuardian),
)

func byName(list ...*datatype) map[string]*datatype {
	m := make(map[string]*datatype, len(list))
	for _, d := range list {
		m[d.name] = d
	}
	return m
}

// municipalCodes holds the kommunaleforholdKode values that
// kommunaleforholdType 1, 2 and 3 allow.
var municipalCodes = map[string][]string{"1": {"A"}, "2": {"P"}, "3": {"F", "I", "N"}}

// checkMunicipalRelation: kommunaleforholdType 1, 2 and 3 fix the codes
// kommunaleforholdKode may take (personudvidet).
func checkMunicipalRelation(d *datatype, r row) []fieldProblem {
	allowed, ok := municipalCodes[d.get(r, "kommunaleforholdType")]
	code := d.get(r, "kommunaleforholdKode")
	if !ok || code == "" || slices.Contains(allowed, code) {
		return nil
	}
	return []fieldProblem{{"kommunaleforholdKode", "must be " + strings.Join(allowed, " or ") + " with this kommunaleforholdType"}}
}

// checkCustodyHolder: only another holder (typeKode 0005, 0006) has a
// relationCpr (foraeldremyndighedrelation).
func checkCustodyHolder(d *datatype, r row) []fieldProblem {
	switch cpr.CustodyType(d.get(r, "typeKode")) {
	case cpr.CustodyOther1, cpr.CustodyOther2:
		return nil
	}
	if d.get(r, "relationCpr") == "" {
		return nil
	}
	return []fieldProblem{{"relationCpr", "only allowed with typeKode 0005 or 0006"}}
}

// checkGuardian: a guardian with a CPR number has no name and no relation
// text (umyndiggoerelsevaergerelation).
func checkGuardian(d *datatype, r row) []fieldProblem {
	if d.get(r, "relationCpr") == "" {
		return nil
	}
	var problems []fieldProblem
	for _, name := range []string{"relationsTekst1", "vaergesNavn"} {
		if d.get(r, name) != "" {
			problems = append(problems, fieldProblem{name, "must be empty when relationCpr is given"})
		}
	}
	return problems
}
