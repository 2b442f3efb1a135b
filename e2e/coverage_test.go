package e2e

// Seed 004 field coverage: every field of the 18 datatypes of the "CPR
// Udvidet" data model (../shared/seeds/004_*.txt, parsed here) is stored in
// a column of migrations/00001_cpr_model.sql and reachable through GraphQL
// by a declared path (seedFieldPaths) that the live schema, read by
// introspection, has. A field added to the seed, a path renamed in the
// schema or a mapping left out fails the test.

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// seedFieldPaths maps each seed-004 field, "datatype.field" as the seed
// spells it, to the GraphQL path that reads it: a type, then fields, each a
// field of the previous one's type.
var seedFieldPaths = map[string]string{
	"barnrelation.barnCPR":    "Person.relations.cpr",
	"barnrelation.cpr":        "Person.cpr",
	"barnrelation.id":         "Person.relations.recordId",
	"barnrelation.unreliable": "Person.relations.unreliable",

	"deltbopael.cpr":                "Person.cpr",
	"deltbopael.startDato":          "Person.sharedResidenceSince",
	"deltbopael.startDatoMarkering": "Person.sharedResidenceSinceUncertainty",
	"deltbopael.unreliable":         "Person.sharedResidenceUnreliable",

	"foraeldremyndighedrelation.cpr":                                  "Person.cpr",
	"foraeldremyndighedrelation.foraeldreMyndighedSletteDato":         "Person.custody.deleteDate",
	"foraeldremyndighedrelation.foraeldreMyndighedStartDato":          "Person.custody.startDate",
	"foraeldremyndighedrelation.foraeldreMyndighedStartDatoMarkering": "Person.custody.startDateUncertainty",
	"foraeldremyndighedrelation.id":                                   "Person.custody.recordId",
	"foraeldremyndighedrelation.relationCpr":                          "Person.custody.holderCpr",
	"foraeldremyndighedrelation.relationCprStartDato":                 "Person.custody.holderSince",
	"foraeldremyndighedrelation.typeKode":                             "Person.custody.typeCode",
	"foraeldremyndighedrelation.typeTekst":                            "Person.custody.typeText",
	"foraeldremyndighedrelation.unreliable":                           "Person.custody.unreliable",

	"historiskeadresser.bygningsnummer":            "Person.addressHistory.buildingNumber",
	"historiskeadresser.coNavn":                    "Person.addressHistory.coName",
	"historiskeadresser.cpr":                       "Person.cpr",
	"historiskeadresser.etage":                     "Person.addressHistory.floor",
	"historiskeadresser.fraflytningsDato":          "Person.addressHistory.validTo",
	"historiskeadresser.fraflytningsDatoMarkering": "Person.addressHistory.validToUncertainty",
	"historiskeadresser.husnummer":                 "Person.addressHistory.houseNumber",
	"historiskeadresser.id":                        "Person.addressHistory.recordId",
	"historiskeadresser.kommuneKode":               "Person.addressHistory.municipalityCode",
	"historiskeadresser.retFortrydAendring":        "Person.addressHistory.correction",
	"historiskeadresser.sideDoerNummer":            "Person.addressHistory.door",
	"historiskeadresser.tilflytningsDato":          "Person.addressHistory.validFrom",
	"historiskeadresser.tilflytningsDatoMarkering": "Person.addressHistory.validFromUncertainty",
	"historiskeadresser.unreliable":                "Person.addressHistory.unreliable",
	"historiskeadresser.vejKode":                   "Person.addressHistory.streetCode",

	"historiskecivilstande.aegtefaelleCPR":                   "Person.civilStatusHistory.spouseCpr",
	"historiskecivilstande.aegtefaelleFoedselsDato":          "Person.civilStatusHistory.spouseBirthDate",
	"historiskecivilstande.aegtefaelleFoedselsDatoMarkering": "Person.civilStatusHistory.spouseBirthDateUncertainty",
	"historiskecivilstande.aegtefaelleNavn":                  "Person.civilStatusHistory.spouseName",
	"historiskecivilstande.aegtefaelleNavnMarkering":         "Person.civilStatusHistory.spouseNameUncertainty",
	"historiskecivilstande.civilstand":                       "Person.civilStatusHistory.code",
	"historiskecivilstande.cpr":                              "Person.cpr",
	"historiskecivilstande.id":                               "Person.civilStatusHistory.recordId",
	"historiskecivilstande.retFortrydAendring":               "Person.civilStatusHistory.correction",
	"historiskecivilstande.seperationHenvisning":             "Person.civilStatusHistory.separationReference",
	"historiskecivilstande.slutDato":                         "Person.civilStatusHistory.validTo",
	"historiskecivilstande.slutDatoMarkering":                "Person.civilStatusHistory.validToUncertainty",
	"historiskecivilstande.startDato":                        "Person.civilStatusHistory.validFrom",
	"historiskecivilstande.startDatoMarkering":               "Person.civilStatusHistory.validFromUncertainty",
	"historiskecivilstande.unreliable":                       "Person.civilStatusHistory.unreliable",

	"historiskefolkekirkeoplysninger.cpr":                "Person.cpr",
	"historiskefolkekirkeoplysninger.folkekirkeforhold":  "Person.churchHistory.code",
	"historiskefolkekirkeoplysninger.id":                 "Person.churchHistory.recordId",
	"historiskefolkekirkeoplysninger.slutDato":           "Person.churchHistory.validTo",
	"historiskefolkekirkeoplysninger.slutDatoMarkering":  "Person.churchHistory.validToUncertainty",
	"historiskefolkekirkeoplysninger.startDato":          "Person.churchHistory.validFrom",
	"historiskefolkekirkeoplysninger.startDatoMarkering": "Person.churchHistory.validFromUncertainty",
	"historiskefolkekirkeoplysninger.unreliable":         "Person.churchHistory.unreliable",

	"historiskeforsvindgenfindoplysninger.cpr":                       "Person.cpr",
	"historiskeforsvindgenfindoplysninger.forsvindingsDato":          "Person.disappearanceHistory.disappearedOn",
	"historiskeforsvindgenfindoplysninger.forsvindingsDatoMarkering": "Person.disappearanceHistory.disappearedOnUncertainty",
	"historiskeforsvindgenfindoplysninger.genfindingsDato":           "Person.disappearanceHistory.foundOn",
	"historiskeforsvindgenfindoplysninger.genfindingsDatoMarkering":  "Person.disappearanceHistory.foundOnUncertainty",
	"historiskeforsvindgenfindoplysninger.id":                        "Person.disappearanceHistory.recordId",
	"historiskeforsvindgenfindoplysninger.retFortrydAendring":        "Person.disappearanceHistory.correction",
	"historiskeforsvindgenfindoplysninger.unreliable":                "Person.disappearanceHistory.unreliable",

	"historiskenavneoplysninger.cpr":                 "Person.cpr",
	"historiskenavneoplysninger.efternavn":           "Person.nameHistory.lastName",
	"historiskenavneoplysninger.efternavnMarkering":  "Person.nameHistory.lastNameUncertainty",
	"historiskenavneoplysninger.fornavn":             "Person.nameHistory.firstName",
	"historiskenavneoplysninger.fornavnMarkering":    "Person.nameHistory.firstNameUncertainty",
	"historiskenavneoplysninger.id":                  "Person.nameHistory.recordId",
	"historiskenavneoplysninger.mellemnavn":          "Person.nameHistory.middleName",
	"historiskenavneoplysninger.mellemnavnMarkering": "Person.nameHistory.middleNameUncertainty",
	"historiskenavneoplysninger.retFortrydAendring":  "Person.nameHistory.correction",
	"historiskenavneoplysninger.slutDato":            "Person.nameHistory.validTo",
	"historiskenavneoplysninger.slutDatoMarkering":   "Person.nameHistory.validToUncertainty",
	"historiskenavneoplysninger.startDato":           "Person.nameHistory.validFrom",
	"historiskenavneoplysninger.startDatoMarkering":  "Person.nameHistory.validFromUncertainty",
	"historiskenavneoplysninger.unreliable":          "Person.nameHistory.unreliable",

	"historiskepersonnumre.cpr":                "Person.cpr",
	"historiskepersonnumre.historiskCPR":       "Person.cprNumberHistory.previousCpr",
	"historiskepersonnumre.id":                 "Person.cprNumberHistory.recordId",
	"historiskepersonnumre.slutDato":           "Person.cprNumberHistory.validTo",
	"historiskepersonnumre.slutDatoMarkering":  "Person.cprNumberHistory.validToUncertainty",
	"historiskepersonnumre.startDato":          "Person.cprNumberHistory.validFrom",
	"historiskepersonnumre.startDatoMarkering": "Person.cprNumberHistory.validFromUncertainty",
	"historiskepersonnumre.unreliable":         "Person.cprNumberHistory.unreliable",

	"historiskerejseoplysninger.cpr":                "Person.cpr",
	"historiskerejseoplysninger.id":                 "Person.travelHistory.recordId",
	"historiskerejseoplysninger.indrejseDato":       "Person.travelHistory.entryDate",
	"historiskerejseoplysninger.indrejseLandekode":  "Person.travelHistory.entryCountryCode",
	"historiskerejseoplysninger.indrejseMarkering":  "Person.travelHistory.entryDateUncertainty",
	"historiskerejseoplysninger.retFortrydAendring": "Person.travelHistory.correction",
	"historiskerejseoplysninger.udlandsAdr1":        "Person.travelHistory.foreignAddressLines",
	"historiskerejseoplysninger.udlandsAdr2":        "Person.travelHistory.foreignAddressLines",
	"historiskerejseoplysninger.udlandsAdr3":        "Person.travelHistory.foreignAddressLines",
	"historiskerejseoplysninger.udlandsAdr4":        "Person.travelHistory.foreignAddressLines",
	"historiskerejseoplysninger.udlandsAdr5":        "Person.travelHistory.foreignAddressLines",
	"historiskerejseoplysninger.udrejseDato":        "Person.travelHistory.exitDate",
	"historiskerejseoplysninger.udrejseLandekode":   "Person.travelHistory.exitCountryCode",
	"historiskerejseoplysninger.udrejseMarkering":   "Person.travelHistory.exitDateUncertainty",
	"historiskerejseoplysninger.unreliable":         "Person.travelHistory.unreliable",

	"historiskeseparationer.civilstandHenvisning": "Person.separationHistory.civilStatusReference",
	"historiskeseparationer.cpr":                  "Person.cpr",
	"historiskeseparationer.id":                   "Person.separationHistory.recordId",
	"historiskeseparationer.retFortrydAendring":   "Person.separationHistory.correction",
	"historiskeseparationer.slutDato":             "Person.separationHistory.validTo",
	"historiskeseparationer.slutDatoMarkering":    "Person.separationHistory.validToUncertainty",
	"historiskeseparationer.startDato":            "Person.separationHistory.validFrom",
	"historiskeseparationer.startDatoMarkering":   "Person.separationHistory.validFromUncertainty",
	"historiskeseparationer.unreliable":           "Person.separationHistory.unreliable",

	"historiskestatsborgerskaber.cpr":                "Person.cpr",
	"historiskestatsborgerskaber.id":                 "Person.citizenshipHistory.recordId",
	"historiskestatsborgerskaber.landekode":          "Person.citizenshipHistory.countryCode",
	"historiskestatsborgerskaber.retFortrydAendring": "Person.citizenshipHistory.correction",
	"historiskestatsborgerskaber.slutDato":           "Person.citizenshipHistory.validTo",
	"historiskestatsborgerskaber.slutDatoMarkering":  "Person.citizenshipHistory.validToUncertainty",
	"historiskestatsborgerskaber.startDato":          "Person.citizenshipHistory.validFrom",
	"historiskestatsborgerskaber.startDatoMarkering": "Person.citizenshipHistory.validFromUncertainty",
	"historiskestatsborgerskaber.unreliable":         "Person.citizenshipHistory.unreliable",

	"notat.cpr":         "Person.cpr",
	"notat.id":          "Person.notes.recordId",
	"notat.notatLinje":  "Person.notes.line",
	"notat.notatNummer": "Person.notes.number",
	"notat.sletDato":    "Person.notes.deleteDate",
	"notat.startDato":   "Person.notes.startDate",
	"notat.unreliable":  "Person.notes.unreliable",

	"person.adresseringsNavn":           "Person.addressingName",
	"person.bygningsnummer":             "Person.address.buildingNumber",
	"person.bynavn":                     "Person.address.cityName",
	"person.coNavn":                     "Person.address.coName",
	"person.cpr":                        "Person.cpr",
	"person.efternavn":                  "Person.lastName",
	"person.efternavnMarkering":         "Person.lastNameUncertainty",
	"person.etage":                      "Person.address.floor",
	"person.foedselsdato":               "Person.birthDate",
	"person.foedselsdatoMarkering":      "Person.birthDateUncertainty",
	"person.fornavn":                    "Person.firstName",
	"person.fornavnMarkering":           "Person.firstNameUncertainty",
	"person.gaeldendeCPR":               "Person.newCpr",
	"person.husnummer":                  "Person.address.houseNumber",
	"person.koen":                       "Person.sex",
	"person.kommuneKode":                "Person.address.municipalityCode",
	"person.lokalitet":                  "Person.address.locality",
	"person.mellemnavn":                 "Person.middleName",
	"person.mellemnavnMarkering":        "Person.middleNameUncertainty",
	"person.navnebeskyttelseslettedato": "Person.protections.deleteDate",
	"person.navnebeskyttelsestartdato":  "Person.protections.startDate",
	"person.navnStartDato":              "Person.nameStartDate",
	"person.navnStartDatoMarkering":     "Person.nameStartDateUncertainty",
	"person.postdistrikt":               "Person.address.postalDistrict",
	"person.postnummer":                 "Person.address.postalCode",
	"person.sideDoerNummer":             "Person.address.door",
	"person.slutDato":                   "Person.recordEndDate",
	"person.slutDatoMarkering":          "Person.recordEndDateUncertainty",
	"person.standardAdresse":            "Person.address.standardAddress",
	"person.startDato":                  "Person.recordStartDate",
	"person.startDatoMarkering":         "Person.recordStartDateUncertainty",
	"person.status":                     "Person.status",
	"person.statusDato":                 "Person.statusDate",
	"person.statusMarkering":            "Person.statusDateUncertainty",
	"person.stilling":                   "Person.occupation",
	"person.unreliable":                 "Person.unreliable",
	"person.vejKode":                    "Person.address.streetCode",
	"person.vejnavn":                    "Person.address.streetName",

	"personfamilie.aegtefaelleCPR":                   "Person.civilStatus.spouseCpr",
	"personfamilie.aegtefaelleFoedselsDato":          "Person.civilStatus.spouseBirthDate",
	"personfamilie.aegtefaelleFoedselsDatoMarkering": "Person.civilStatus.spouseBirthDateUncertainty",
	"personfamilie.aegtefaelleNavn":                  "Person.civilStatus.spouseName",
	"personfamilie.aegtefaelleNavnMarkering":         "Person.civilStatus.spouseNameUncertainty",
	"personfamilie.civilstand":                       "Person.civilStatus.code",
	"personfamilie.civilstandSeperationsHenvisning":  "Person.civilStatus.separationReference",
	"personfamilie.civilstandStartDato":              "Person.civilStatus.validFrom",
	"personfamilie.civilstandStartDatoMarkering":     "Person.civilStatus.validFromUncertainty",
	"personfamilie.cpr":                              "Person.cpr",
	"personfamilie.farCPR":                           "Person.relations.cpr",
	"personfamilie.farDato":                          "Person.relations.since",
	"personfamilie.farDatoMarkering":                 "Person.relations.sinceUncertainty",
	"personfamilie.farFoedselsdato":                  "Person.relations.birthDate",
	"personfamilie.farFoedselsdatoMarkering":         "Person.relations.birthDateUncertainty",
	"personfamilie.farNavn":                          "Person.relations.name",
	"personfamilie.farNavnMarkering":                 "Person.relations.nameUncertainty",
	"personfamilie.morCPR":                           "Person.relations.cpr",
	"personfamilie.morDato":                          "Person.relations.since",
	"personfamilie.morDatoMarkering":                 "Person.relations.sinceUncertainty",
	"personfamilie.morFoedselsdato":                  "Person.relations.birthDate",
	"personfamilie.morFoedselsdatoMarkering":         "Person.relations.birthDateUncertainty",
	"personfamilie.morNavn":                          "Person.relations.name",
	"personfamilie.morNavnMarkering":                 "Person.relations.nameUncertainty",
	"personfamilie.seperationCivilstandHenvisning":   "Person.civilStatus.separationCivilStatusReference",
	"personfamilie.seperationStartDato":              "Person.civilStatus.separatedSince",
	"personfamilie.seperationStartDatoMarkering":     "Person.civilStatus.separatedSinceUncertainty",
	"personfamilie.unreliable":                       "Person.familyUnreliable",

	"personkontakt.bygningsnummer":                       "Person.contactRecordAddress.buildingNumber",
	"personkontakt.coNavn":                               "Person.contactRecordAddress.coName",
	"personkontakt.cpr":                                  "Person.cpr",
	"personkontakt.etage":                                "Person.contactRecordAddress.floor",
	"personkontakt.forskerbeskyttelseSletteDato":         "Person.protections.deleteDate",
	"personkontakt.forskerbeskyttelseStartDato":          "Person.protections.startDate",
	"personkontakt.forsvindingsDato":                     "Person.disappearedOn",
	"personkontakt.forsvindingsDatoMarkering":            "Person.disappearedOnUncertainty",
	"personkontakt.fraflytningKommuneDato":               "Person.municipalityMoveOutDate",
	"personkontakt.fraflytningKommuneDatoMarkering":      "Person.municipalityMoveOutDateUncertainty",
	"personkontakt.fraflytningKommuneKode":               "Person.previousMunicipalityCode",
	"personkontakt.husnummer":                            "Person.contactRecordAddress.houseNumber",
	"personkontakt.kommuneKode":                          "Person.contactRecordAddress.municipalityCode",
	"personkontakt.kontaktAdr1":                          "Person.contactAddress.lines",
	"personkontakt.kontaktAdr2":                          "Person.contactAddress.lines",
	"personkontakt.kontaktAdr3":                          "Person.contactAddress.lines",
	"personkontakt.kontaktAdr4":                          "Person.contactAddress.lines",
	"personkontakt.kontaktAdr5":                          "Person.contactAddress.lines",
	"personkontakt.markedsfoeringsbeskyttelseSletteDato": "Person.protections.deleteDate",
	"personkontakt.markedsfoeringsbeskyttelseStartDato":  "Person.protections.startDate",
	"personkontakt.navneAdressebeskyttelseSletteDato":    "Person.protections.deleteDate",
	"personkontakt.navneAdressebeskyttelseStartDato":     "Person.protections.startDate",
	"personkontakt.sideDoerNummer":                       "Person.contactRecordAddress.door",
	"personkontakt.sletDatoAdr":                          "Person.contactRecordAddress.validTo",
	"personkontakt.sletteDatoKontaktAdr":                 "Person.contactAddress.validTo",
	"personkontakt.startDatoAdr":                         "Person.contactRecordAddress.validFrom",
	"personkontakt.startDatoKontaktAdr":                  "Person.contactAddress.validFrom",
	"personkontakt.startMyndighedAdr":                    "Person.contactRecordAddress.startAuthorityCode",
	"personkontakt.statsborgerskabLandekode":             "Person.citizenship.countryCode",
	"personkontakt.statsborgerskabStartDato":             "Person.citizenship.validFrom",
	"personkontakt.statsborgerskabStartDatoMarkering":    "Person.citizenship.validFromUncertainty",
	"personkontakt.supplerendeAdr1":                      "Person.supplementaryAddress.lines",
	"personkontakt.supplerendeAdr2":                      "Person.supplementaryAddress.lines",
	"personkontakt.supplerendeAdr3":                      "Person.supplementaryAddress.lines",
	"personkontakt.supplerendeAdr4":                      "Person.supplementaryAddress.lines",
	"personkontakt.supplerendeAdr5":                      "Person.supplementaryAddress.lines",
	"personkontakt.tilflytningKommuneDato":               "Person.municipalityMoveInDate",
	"personkontakt.tilflytningKommuneDatoMarkering":      "Person.municipalityMoveInDateUncertainty",
	"personkontakt.tilflytningsDato":                     "Person.address.validFrom",
	"personkontakt.tilflytningsDatoMarkering":            "Person.address.validFromUncertainty",
	"personkontakt.udlandsAdr1":                          "Person.foreignAddress.lines",
	"personkontakt.udlandsAdr2":                          "Person.foreignAddress.lines",
	"personkontakt.udlandsAdr3":                          "Person.foreignAddress.lines",
	"personkontakt.udlandsAdr4":                          "Person.foreignAddress.lines",
	"personkontakt.udlandsAdr5":                          "Person.foreignAddress.lines",
	"personkontakt.udrejseDato":                          "Person.foreignAddress.validFrom",
	"personkontakt.UdrejseDatoMarkering":                 "Person.foreignAddress.validFromUncertainty",
	"personkontakt.udrejseLandekode":                     "Person.foreignAddress.countryCode",
	"personkontakt.unreliable":                           "Person.contactUnreliable",
	"personkontakt.vejKode":                              "Person.contactRecordAddress.streetCode",
	"personkontakt.vejviserbeskyttelseSletteDato":        "Person.protections.deleteDate",
	"personkontakt.vejviserbeskyttelseStartDato":         "Person.protections.startDate",

	"personudvidet.cpr":                                "Person.cpr",
	"personudvidet.flyttepaabudBemaerkninger":          "Person.relocationOrder.remarks",
	"personudvidet.flyttepaabudStartDato":              "Person.relocationOrder.startDate",
	"personudvidet.foedselsregistreringsstedKode":      "Person.birthRegistrationPlace.code",
	"personudvidet.foedselsregistreringsstedTekst":     "Person.birthRegistrationPlace.text",
	"personudvidet.folkekirkeForhold":                  "Person.church.code",
	"personudvidet.folkekirkeStartDato":                "Person.church.validFrom",
	"personudvidet.folkekirkeStartDatoMarkering":       "Person.church.validFromUncertainty",
	"personudvidet.kommunaleforholdBemaerkninger":      "Person.municipalCondition.remarks",
	"personudvidet.kommunaleforholdKode":               "Person.municipalCondition.code",
	"personudvidet.kommunaleforholdStartDato":          "Person.municipalCondition.startDate",
	"personudvidet.kommunaleforholdStartDatoMarkering": "Person.municipalCondition.startDateUncertainty",
	"personudvidet.kommunaleforholdType":               "Person.municipalCondition.type",
	"personudvidet.unreliable":                         "Person.extendedUnreliable",
	"personudvidet.valgKode":                           "Person.votingRights.code",
	"personudvidet.valgOplysningerSletteDato":          "Person.votingRights.deleteDate",
	"personudvidet.valgOplysningerStartDato":           "Person.votingRights.startDate",
	"personudvidet.valgretDato":                        "Person.votingRights.votingRightDate",

	"umyndiggoerelsevaergerelation.cpr":                       "Person.cpr",
	"umyndiggoerelsevaergerelation.id":                        "Person.guardianships.recordId",
	"umyndiggoerelsevaergerelation.relationCpr":               "Person.guardianships.guardianCpr",
	"umyndiggoerelsevaergerelation.relationCprStartDato":      "Person.guardianships.guardianSince",
	"umyndiggoerelsevaergerelation.relationsTekst1":           "Person.guardianships.guardianAddressLines",
	"umyndiggoerelsevaergerelation.relationsTekst2":           "Person.guardianships.guardianAddressLines",
	"umyndiggoerelsevaergerelation.relationsTekst3":           "Person.guardianships.guardianAddressLines",
	"umyndiggoerelsevaergerelation.relationsTekst4":           "Person.guardianships.guardianAddressLines",
	"umyndiggoerelsevaergerelation.relationsTekst5":           "Person.guardianships.guardianAddressLines",
	"umyndiggoerelsevaergerelation.typeKode":                  "Person.guardianships.typeCode",
	"umyndiggoerelsevaergerelation.typeTekst":                 "Person.guardianships.typeText",
	"umyndiggoerelsevaergerelation.umyndigSletteDato":         "Person.guardianships.incapacityEnd",
	"umyndiggoerelsevaergerelation.umyndigStartDato":          "Person.guardianships.incapacityStart",
	"umyndiggoerelsevaergerelation.umyndigStartDatoMarkering": "Person.guardianships.incapacityStartUncertainty",
	"umyndiggoerelsevaergerelation.unreliable":                "Person.guardianships.unreliable",
	"umyndiggoerelsevaergerelation.vaergesNavn":               "Person.guardianships.guardianName",
	"umyndiggoerelsevaergerelation.vaergesNavnStartDato":      "Person.guardianships.guardianNameSince",
}

// seedField is one field of a seed-004 datatype.
type seedField struct{ Datatype, Name string }

func (f seedField) String() string { return f.Datatype + "." + f.Name }

var (
	seedTypeRe     = regexp.MustCompile(`((?:var)?char\(\d+\)|datetime|date|int\(\d+\))$`)
	seedSuffixRe   = regexp.MustCompile(`(Ja|Nej)X?((?:var)?char\(\d+\)|datetime|date|int\(\d+\))?$`)
	seedDigitDotRe = regexp.MustCompile(`^([A-Za-z]+\d)\d\.`)
	seedPlainRe    = regexp.MustCompile(`^[A-Za-z0-9]+$`)
	seedEntryRe    = regexp.MustCompile(`^[A-Za-z]`)
)

// parseSeed004 reads the field lists of seed 004. Each datatype's section
// starts "Datatype: <name>" (sometimes glued to the previous field's type),
// then the column headings ending with "Type", then one entry per field: the
// field name glued to its description ("startDatoStartdatoJa",
// "cprCPR-nummer på barnNej", "kontaktAdr11. linje …", or the name alone on
// its line when the description follows), running until the line that
// ends with the field's type (char(n), varchar(n), int(n), date, datetime).
func parseSeed004(t *testing.T, text string) []seedField {
	t.Helper()
	text = strings.ReplaceAll(text, "Datatype: ", "\nDatatype: ")
	var out []seedField
	datatype, started, inEntry := "", false, false
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if name, ok := strings.CutPrefix(line, "Datatype: "); ok {
			datatype, started, inEntry = strings.TrimSpace(name), false, false
			continue
		}
		switch {
		case datatype == "" || line == "":
			continue
		case !started:
			started = line == "Type"
			continue
		}
		if !inEntry {
			if !seedEntryRe.MatchString(line) {
				continue // a trailer, not a field
			}
			out = append(out, seedField{datatype, seedFieldName(line)})
			inEntry = true
		}
		if seedTypeRe.MatchString(line) {
			inEntry = false
		}
	}
	return out
}

// seedFieldName cuts the field name off the first line of a field entry.
func seedFieldName(line string) string {
	glued := seedSuffixRe.MatchString(line)
	line = seedSuffixRe.ReplaceAllString(line, "")
	if m := seedDigitDotRe.FindStringSubmatch(line); m != nil {
		return m[1] // "kontaktAdr11. linje": the number repeated
	}
	if i := strings.Index(line, "CPR-"); i > 0 && seedPlainRe.MatchString(line[:i]) {
		return line[:i] // "barnCPRCPR-nummer"
	}
	runes := []rune(line)
	stop := slices.IndexFunc(runes, func(r rune) bool {
		return r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r))
	})
	switch {
	case stop < 0 && !glued:
		return line // the name alone
	case stop < 0:
		stop = len(runes)
	case unicode.IsUpper(runes[stop]):
		return string(runes[:stop]) // "aegtefaelleCPRÆgtefælles"
	case runes[stop] == ' ' && strings.HasSuffix(string(runes[:stop]), "Markering"):
		return string(runes[:stop]) // "startDatoMarkering Startdato, …"
	}
	// The description is the capitalised word the first non-letter is in.
	for j := stop - 1; j > 0; j-- {
		if runes[j] >= 'A' && runes[j] <= 'Z' {
			return string(runes[:j])
		}
	}
	return string(runes[:stop])
}

// snakeCase is the column name of a seed field (the migration's rule).
func snakeCase(name string) string {
	var sb strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && nextLower) {
				sb.WriteByte('_')
			}
		}
		sb.WriteRune(unicode.ToLower(r))
	}
	return sb.String()
}

// migrationColumns returns the columns of each table of the seed-004 migration.
func migrationColumns(t *testing.T) map[string]map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "migrations", "00001_cpr_model.sql"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]bool{}
	for _, m := range regexp.MustCompile(`(?s)CREATE TABLE (\w+) \((.*?)\n\);`).FindAllStringSubmatch(string(b), -1) {
		cols := map[string]bool{}
		for _, l := range strings.Split(m[2], "\n") {
			if f := strings.Fields(l); len(f) > 0 && f[0] != "CHECK" {
				cols[f[0]] = true
			}
		}
		out[m[1]] = cols
	}
	return out
}

// reachable reports whether the path's fields exist, each on the type the
// previous one returns.
func (s *liveSchema) reachable(path string) bool {
	parts := strings.Split(path, ".")
	typ := s.byName[parts[0]]
	for _, name := range parts[1:] {
		if typ == nil {
			return false
		}
		i := slices.IndexFunc(typ.Fields, func(f introField) bool { return f.Name == name })
		if i < 0 {
			return false
		}
		typ = s.byName[typ.Fields[i].Type.named()]
	}
	return true
}

func TestEverySeed004FieldIsStoredAndReachableThroughGraphQL(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "shared", "seeds", "004_*.txt"))
	if err != nil || len(files) != 1 {
		t.Skipf("seed 004 not found beside the repository (../shared/seeds): %v", err)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	fields := parseSeed004(t, string(b))
	datatypes := map[string]bool{}
	for _, f := range fields {
		datatypes[f.Datatype] = true
	}
	if len(datatypes) != 18 {
		t.Errorf("parsed %d datatypes of seed 004, want 18", len(datatypes))
	}

	env := newTestEnv(t)
	schema := introspect(t, env)
	columns := migrationColumns(t)
	covered, seen := 0, map[string]bool{}
	for _, f := range fields {
		seen[f.String()] = true
		stored := columns[f.Datatype][snakeCase(f.Name)]
		path, mapped := seedFieldPaths[f.String()]
		switch {
		case !stored:
			t.Errorf("%s: no column %s.%s in migrations/00001_cpr_model.sql", f, f.Datatype, snakeCase(f.Name))
		case !mapped:
			t.Errorf("%s: stored but no GraphQL path declared in seedFieldPaths", f)
		case !schema.reachable(path):
			t.Errorf("%s: declared path %s is not in the live schema", f, path)
		default:
			covered++
		}
	}
	for key := range seedFieldPaths {
		if !seen[key] {
			t.Errorf("seedFieldPaths maps %s, which seed 004 does not have", key)
		}
	}
	t.Logf("seed 004: %d of %d fields stored and reachable through GraphQL", covered, len(fields))
	if covered != len(fields) || len(fields) != 279 {
		t.Errorf("seed 004 coverage: %d of %d fields (the seed has 279)", covered, len(fields))
	}
}
