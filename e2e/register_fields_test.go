package e2e

// Issue 15 (first half): the seed-004 fields beyond master data, read over
// HTTP with the values the fixture writes, and the seed-001 elements of the
// person operations.

import (
	"testing"

	"cprgraph/access"
)

const (
	cprMarked    = "0303803311" // a person with markers, personkontakt and personudvidet facts
	cprProtected = "0404804411" // the same, protected
)

// markedPerson writes a person whose every datatype has markers, unreliable
// flags and record ids.
func markedPerson(t *testing.T, env *testEnv, number string) {
	t.Helper()
	insertRow(t, env, "person", map[string]any{
		"cpr": number, "fornavn": "Usikker", "fornavn_markering": "*", "efternavn": "Markersen", "efternavn_markering": "+",
		"foedselsdato": "1980-03-03", "foedselsdato_markering": "*", "koen": "K", "status": "01", "status_dato": "1980-03-03",
		"status_markering": "*", "start_dato": "1980-03-03", "start_dato_markering": "*", "slut_dato": "2099-01-01",
		"unreliable": "fornavn", "kommune_kode": 101, "vej_kode": 1234, "vejnavn": "Testvej", "husnummer": "12B",
		"postnummer": 2100, "postdistrikt": "København Ø", "bynavn": "Østerbro", "standard_adresse": "Testvej 12B",
	})
	insertRow(t, env, "personkontakt", map[string]any{
		"cpr": number, "tilflytnings_dato": "2010-05-01", "tilflytnings_dato_markering": "*",
		"kommune_kode": 101, "vej_kode": 1234, "husnummer": "12B", "etage": "2", "side_doer_nummer": "th", "bygningsnummer": "B1",
		"co_navn": "Hansen", "start_dato_adr": "2010-05-01", "slet_dato_adr": "2030-01-01", "start_myndighed_adr": 101,
		"forsvindings_dato": "2011-01-01", "forsvindings_dato_markering": "*",
		"fraflytning_kommune_dato": "2010-04-30", "fraflytning_kommune_dato_markering": "*", "fraflytning_kommune_kode": 147,
		"tilflytning_kommune_dato": "2010-05-01", "tilflytning_kommune_dato_markering": "+",
		"udlands_adr1": "1 Main Street", "udrejse_dato": "2009-01-01", "udrejse_dato_markering": "*", "udrejse_landekode": 5170,
		"statsborgerskab_landekode": 5100, "statsborgerskab_start_dato": "1980-03-03", "statsborgerskab_start_dato_markering": "*",
		"unreliable": "co_navn",
	})
	insertRow(t, env, "personfamilie", map[string]any{
		"cpr": number, "civilstand": "F", "civilstand_start_dato": "2015-01-01", "civilstand_start_dato_markering": "*",
		"civilstand_seperations_henvisning": "2014-06-01", "seperation_civilstand_henvisning": "2015-01-01",
		"seperation_start_dato": "2014-06-01", "seperation_start_dato_markering": "+",
		"mor_navn": "Mor Udenfor", "mor_navn_markering": "*", "mor_foedselsdato": "1950-01-01", "mor_foedselsdato_markering": "+",
		"mor_dato": "1980-03-03", "mor_dato_markering": "=", "unreliable": "mor_navn",
	})
	insertRow(t, env, "personudvidet", map[string]any{
		"cpr": number, "valg_kode": 1, "valgret_dato": "1998-03-03", "valg_oplysninger_start_dato": "1998-03-03",
		"valg_oplysninger_slette_dato": "2040-01-01", "kommunaleforhold_type": 1, "kommunaleforhold_kode": "A",
		"kommunaleforhold_start_dato": "2001-01-01", "kommunaleforhold_start_dato_markering": "*",
		"kommunaleforhold_bemaerkninger": "Bemærkning", "flyttepaabud_start_dato": "2002-02-02",
		"flyttepaabud_bemaerkninger": "Påbud", "foedselsregistreringssted_kode": 101,
		"foedselsregistreringssted_tekst": "København", "folkekirke_forhold": "M", "folkekirke_start_dato": "1980-03-03",
		"folkekirke_start_dato_markering": "*", "unreliable": "valg_kode",
	})
	insertRow(t, env, "historiskeadresser", map[string]any{
		"id": number + "-A1", "cpr": number, "kommune_kode": 101, "vej_kode": 1234, "husnummer": "12B",
		"tilflytnings_dato": "2000-01-01", "tilflytnings_dato_markering": "*", "fraflytnings_dato": "2005-01-01",
		"fraflytnings_dato_markering": "+", "ret_fortryd_aendring": "Æ", "unreliable": "etage",
	})
	insertRow(t, env, "historiskenavneoplysninger", map[string]any{
		"id": number + "-N1", "cpr": number, "fornavn": "Før", "fornavn_markering": "*", "start_dato": "1980-03-03",
		"start_dato_markering": "+", "slut_dato": "1990-01-01", "unreliable": "fornavn",
	})
	insertRow(t, env, "foraeldremyndighedrelation", map[string]any{
		"id": number + "-F1", "cpr": number, "type_kode": "0005", "type_tekst": "Anden indehaver 1",
		"relation_cpr": "0101701111", "relation_cpr_start_dato": "1985-01-01", "foraeldre_myndighed_start_dato": "1985-01-01",
		"foraeldre_myndighed_start_dato_markering": "*", "unreliable": "type_tekst",
	})
	insertRow(t, env, "notat", map[string]any{"id": number + "-1", "cpr": number, "notat_nummer": 1, "notat_linje": "Gældende", "unreliable": "notat_linje"})
	insertRow(t, env, "notat", map[string]any{"id": number + "-2", "cpr": number, "notat_nummer": 2, "notat_linje": "Slettet", "slet_dato": daysFromToday(0)})
	insertRow(t, env, "notat", map[string]any{"id": number + "-3", "cpr": number, "notat_nummer": 3, "notat_linje": "Slettes i morgen", "slet_dato": daysFromToday(1)})
}

func TestSeed004FieldsReadableWithMarkersBesideTheirFields(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	markedPerson(t, env, cprMarked)
	q := `query($cpr: String!) { person(cpr: $cpr) {
		firstName firstNameUncertainty lastNameUncertainty birthDateUncertainty statusDateUncertainty
		recordStartDate recordStartDateUncertainty recordEndDate unreliable contactUnreliable familyUnreliable extendedUnreliable
		address { houseNumber houseNumberOnly houseLetter standardAddress validFrom validFromUncertainty cityName }
		contactRecordAddress { municipalityCode streetCode houseNumber floor door buildingNumber coName validFrom validTo startAuthorityCode }
		disappearedOn disappearedOnUncertainty municipalityMoveOutDate municipalityMoveOutDateUncertainty previousMunicipalityCode
		municipalityMoveInDate municipalityMoveInDateUncertainty
		foreignAddress { lines countryCode validFrom validFromUncertainty }
		citizenship { validFromUncertainty }
		civilStatus { validFromUncertainty separatedSince separatedSinceUncertainty separationReference separationCivilStatusReference }
		relations { code name nameUncertainty birthDateUncertainty sinceUncertainty }
		votingRights { code votingRightDate startDate deleteDate }
		municipalCondition { type code startDate startDateUncertainty remarks }
		relocationOrder { startDate remarks }
		birthRegistrationPlace { code text }
		church { validFromUncertainty }
		addressHistory { recordId correction validFromUncertainty validToUncertainty unreliable }
		nameHistory { recordId firstNameUncertainty validFromUncertainty unreliable }
		custody { recordId holderCpr holderSince startDateUncertainty unreliable }
		notes { number line recordId unreliable }
	} }`
	r := ok(t, env.query(t, access.Authority, q, map[string]any{"cpr": cprMarked}))
	for path, want := range map[string]any{
		"person.firstNameUncertainty": "*", "person.lastNameUncertainty": "+", "person.birthDateUncertainty": "*",
		"person.statusDateUncertainty": "*", "person.recordStartDate": "1980-03-03", "person.recordStartDateUncertainty": "*",
		"person.recordEndDate": "2099-01-01", "person.unreliable": "fornavn", "person.contactUnreliable": "co_navn",
		"person.familyUnreliable": "mor_navn", "person.extendedUnreliable": "valg_kode",
		"person.address": map[string]any{"houseNumber": "12B", "houseNumberOnly": "12", "houseLetter": "B", "standardAddress": "Testvej 12B",
			"validFrom": "2010-05-01", "validFromUncertainty": "*", "cityName": "Østerbro"},
		"person.contactRecordAddress": map[string]any{"municipalityCode": 101, "streetCode": 1234, "houseNumber": "12B", "floor": "2",
			"door": "th", "buildingNumber": "B1", "coName": "Hansen", "validFrom": "2010-05-01", "validTo": "2030-01-01", "startAuthorityCode": 101},
		"person.disappearedOn": "2011-01-01", "person.disappearedOnUncertainty": "*",
		"person.municipalityMoveOutDate": "2010-04-30", "person.municipalityMoveOutDateUncertainty": "*",
		"person.previousMunicipalityCode": 147, "person.municipalityMoveInDate": "2010-05-01",
		"person.municipalityMoveInDateUncertainty": "+",
		"person.foreignAddress":                    map[string]any{"lines": []any{"1 Main Street"}, "countryCode": 5170, "validFrom": "2009-01-01", "validFromUncertainty": "*"},
		"person.citizenship":                       map[string]any{"validFromUncertainty": "*"},
		"person.civilStatus": map[string]any{"validFromUncertainty": "*", "separatedSince": "2014-06-01", "separatedSinceUncertainty": "+",
			"separationReference": "2014-06-01", "separationCivilStatusReference": "2015-01-01"},
		"person.relations": []any{map[string]any{"code": "MOTHER", "name": "Mor Udenfor", "nameUncertainty": "*",
			"birthDateUncertainty": "+", "sinceUncertainty": "="}},
		"person.votingRights":           map[string]any{"code": 1, "votingRightDate": "1998-03-03", "startDate": "1998-03-03", "deleteDate": "2040-01-01"},
		"person.municipalCondition":     map[string]any{"type": 1, "code": "A", "startDate": "2001-01-01", "startDateUncertainty": "*", "remarks": "Bemærkning"},
		"person.relocationOrder":        map[string]any{"startDate": "2002-02-02", "remarks": "Påbud"},
		"person.birthRegistrationPlace": map[string]any{"code": 101, "text": "København"},
		"person.church":                 map[string]any{"validFromUncertainty": "*"},
		"person.addressHistory.1": map[string]any{"recordId": cprMarked + "-A1", "correction": "Æ", "validFromUncertainty": "*",
			"validToUncertainty": "+", "unreliable": "etage"},
		"person.nameHistory.0": map[string]any{"recordId": cprMarked + "-N1", "firstNameUncertainty": "*", "validFromUncertainty": "+", "unreliable": "fornavn"},
		"person.custody.0": map[string]any{"recordId": cprMarked + "-F1", "holderCpr": "0101701111", "holderSince": "1985-01-01",
			"startDateUncertainty": "*", "unreliable": "type_tekst"},
	} {
		wantEqual(t, r, path, want)
	}
	// Notes: not served from their deletion date on.
	wantEqual(t, r, "person.notes", []any{
		map[string]any{"number": 1, "line": "Gældende", "recordId": cprMarked + "-1", "unreliable": "notat_linje"},
		map[string]any{"number": 3, "line": "Slettes i morgen", "recordId": cprMarked + "-3", "unreliable": nil},
	})
}

func TestSeed004FieldsOfProtectedPersonMaskedForPrivate(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	markedPerson(t, env, cprProtected)
	env.exec(t, `UPDATE personkontakt SET navne_adressebeskyttelse_start_dato = $1 WHERE cpr = $2`, daysFromToday(-10), cprProtected)
	q := `query($cpr: String!) { person(cpr: $cpr) { protected firstNameUncertainty recordStartDate unreliable
		contactRecordAddress { coName } disappearedOn municipalityMoveInDate previousMunicipalityCode foreignAddress { lines }
		votingRights { code } municipalCondition { code } relocationOrder { remarks } birthRegistrationPlace { text } } }`
	r := ok(t, env.query(t, access.Private, q, map[string]any{"cpr": cprProtected}))
	wantEqual(t, r, "person", map[string]any{"protected": true, "firstNameUncertainty": nil, "recordStartDate": nil, "unreliable": nil,
		"contactRecordAddress": nil, "disappearedOn": nil, "municipalityMoveInDate": nil, "previousMunicipalityCode": nil,
		"foreignAddress": nil, "votingRights": nil, "municipalCondition": nil, "relocationOrder": nil, "birthRegistrationPlace": nil})
}

func TestAddressHistoryUnknownPersonAnswersPersonenFindesIkkeAndFillsCityName(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	markedPerson(t, env, cprMarked)
	q := `query($cprs: [String!]!) { addressHistory(cprs: $cprs) { cpr error { code message }
		history { addresses { streetName houseNumberOnly houseLetter cityName validFrom } } } }`
	r := ok(t, env.query(t, access.Authority, q, map[string]any{"cprs": []string{cprMarked, "0101011234", "x"}}))
	wantEqual(t, r, "addressHistory.0.history.addresses", []any{
		map[string]any{"streetName": "Testvej", "houseNumberOnly": "12", "houseLetter": "B", "cityName": "Østerbro", "validFrom": "2010-05-01"},
		map[string]any{"streetName": "Testvej", "houseNumberOnly": "12", "houseLetter": "B", "cityName": "Østerbro", "validFrom": "2000-01-01"},
	})
	wantEqual(t, r, "addressHistory.1.error", map[string]any{"code": "NOT_FOUND", "message": "Personen findes ikke."})
	wantEqual(t, r, "addressHistory.2.error", map[string]any{"code": "BAD_USER_INPUT", "message": "CPR-nummer er ikke korrekt: x"})
}
