package cpr

// Status is a person's status in CPR (field status, record 001).
type Status string

// Person statuses.
const (
	StatusResidentDK            Status = "01"
	StatusResidentDKSpecialRoad Status = "03"
	StatusResidentGL            Status = "05"
	StatusResidentGLSpecialRoad Status = "07"
	StatusTaxOnly               Status = "20"
	StatusCancelled             Status = "30"
	StatusDeletedDuplicate      Status = "50"
	StatusChanged               Status = "60"
	StatusMissing               Status = "70"
	StatusEmigrated             Status = "80"
	StatusDead                  Status = "90"
)

var statusText = map[Status]string{
	StatusResidentDK:            "Aktiv, bopæl i dansk folkeregister",
	StatusResidentDKSpecialRoad: "Aktiv, speciel vejkode (9900 - 9999) i dansk folkeregister",
	StatusResidentGL:            "Aktiv, bopæl i grønlandsk folkeregister",
	StatusResidentGLSpecialRoad: "Aktiv, speciel vejkode (9900 - 9999) i grønlandsk folkeregister",
	StatusTaxOnly:               "Inaktiv, uden bopæl i dansk/grønlandsk folkeregister men tildelt personnummer af skattehensyn",
	StatusCancelled:             "Inaktiv, annulleret personnummer",
	StatusDeletedDuplicate:      "Inaktiv, slettet personnummer ved dobbeltnummer",
	StatusChanged:               "Inaktiv, ændret personnummer ved ændring af fødselsdato og køn",
	StatusMissing:               "Inaktiv, forsvundet",
	StatusEmigrated:             "Inaktiv, udrejst",
	StatusDead:                  "Inaktiv, død",
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := statusText[s]; return ok }

// Text returns the Danish description of s, or "" if s is not valid.
func (s Status) Text() string { return statusText[s] }

// Active reports whether s is one of the active statuses 01, 03, 05 and 07.
func (s Status) Active() bool {
	switch s {
	case StatusResidentDK, StatusResidentDKSpecialRoad, StatusResidentGL, StatusResidentGLSpecialRoad:
		return true
	}
	return false
}

// CivilStatus is a civil status (civilstand).
type CivilStatus string

// Civil statuses.
const (
	CivilUnmarried             CivilStatus = "U"
	CivilMarried               CivilStatus = "G"
	CivilDivorced              CivilStatus = "F"
	CivilWidowed               CivilStatus = "E"
	CivilRegisteredPartnership CivilStatus = "P"
	CivilDissolvedPartnership  CivilStatus = "O"
	CivilSurvivingPartner      CivilStatus = "L"
	CivilDead                  CivilStatus = "D"
)

var civilStatusText = map[CivilStatus]string{
	CivilUnmarried:             "Ugift",
	CivilMarried:               "Gift",
	CivilDivorced:              "Fraskilt",
	CivilWidowed:               "Enke/enkemand",
	CivilRegisteredPartnership: "Registreret partnerskab",
	CivilDissolvedPartnership:  "Ophævet partnerskab",
	CivilSurvivingPartner:      "Længstlevende partner",
	CivilDead:                  "Død",
}

// Valid reports whether c is a known civil status.
func (c CivilStatus) Valid() bool { _, ok := civilStatusText[c]; return ok }

// Text returns the Danish description of c, or "" if c is not valid.
func (c CivilStatus) Text() string { return civilStatusText[c] }

// RetFortryd is the correction marker (ret/fortryd-markering) on a
// historical record.
type RetFortryd string

// Correction markers.
const (
	RetFortrydCorrected RetFortryd = "K" // superseded by a correction
	RetFortrydUndone    RetFortryd = "A" // never had effect
	RetFortrydTechnical RetFortryd = "Æ" // technical change, e.g. a new road code
)

var retFortrydText = map[RetFortryd]string{
	RetFortrydCorrected: "Ret",
	RetFortrydUndone:    "Fortryd",
	RetFortrydTechnical: "Teknisk ændring",
}

// Valid reports whether r is a known correction marker.
func (r RetFortryd) Valid() bool { _, ok := retFortrydText[r]; return ok }

// Text returns the Danish description of r, or "" if r is not valid.
func (r RetFortryd) Text() string { return retFortrydText[r] }

// ChurchRelation is a person's relation to the Church of Denmark
// (folkekirkeforhold).
type ChurchRelation string

// Church relations.
const (
	ChurchPending              ChurchRelation = "A"
	ChurchMember               ChurchRelation = "F"
	ChurchElectiveCongregation ChurchRelation = "M"
	ChurchMemberTaxExempt      ChurchRelation = "S"
	ChurchNotMember            ChurchRelation = "U"
)

var churchRelationText = map[ChurchRelation]string{
	ChurchPending:              "Afventer",
	ChurchMember:               "Medlem af folkekirken",
	ChurchElectiveCongregation: "Medlem af valgmenighed, tillige medlem af folkekirken",
	ChurchMemberTaxExempt:      "Medlem af folkekirken, men fritaget for kirkeskat",
	ChurchNotMember:            "Udenfor folkekirken",
}

// Valid reports whether c is a known church relation.
func (c ChurchRelation) Valid() bool { _, ok := churchRelationText[c]; return ok }

// Text returns the Danish description of c, or "" if c is not valid.
func (c ChurchRelation) Text() string { return churchRelationText[c] }

// UncertaintyMark is the uncertainty marker (usikkerhedsmarkering) on a name.
type UncertaintyMark string

// Name uncertainty markers.
const (
	MarkShortened    UncertaintyMark = "+"
	MarkUnreportable UncertaintyMark = "*"
	MarkUndocumented UncertaintyMark = "="
)

var uncertaintyMarkText = map[UncertaintyMark]string{
	MarkShortened:    "Navnet er forkortet",
	MarkUnreportable: "Navnet indeholder tegn der ikke kan indrapporteres til CPR",
	MarkUndocumented: "Navnet er utilstrækkeligt dokumenteret",
}

// Valid reports whether m is a known name uncertainty marker.
func (m UncertaintyMark) Valid() bool { _, ok := uncertaintyMarkText[m]; return ok }

// Text returns the Danish description of m, or "" if m is not valid.
func (m UncertaintyMark) Text() string { return uncertaintyMarkText[m] }

// CustodyType is the type of a holder of parental custody
// (forældremyndighed typeKode).
type CustodyType string

// Custody types.
const (
	CustodyMother CustodyType = "0003"
	CustodyFather CustodyType = "0004"
	CustodyOther1 CustodyType = "0005"
	CustodyOther2 CustodyType = "0006"
)

var custodyTypeText = map[CustodyType]string{
	CustodyMother: "Mor",
	CustodyFather: "Far",
	CustodyOther1: "Anden indehaver 1",
	CustodyOther2: "Anden indehaver 2",
}

// Valid reports whether c is a known custody type.
func (c CustodyType) Valid() bool { _, ok := custodyTypeText[c]; return ok }

// Text returns the Danish description of c, or "" if c is not valid.
func (c CustodyType) Text() string { return custodyTypeText[c] }

// GuardianType tells what CPR holds about a guardian (værge) appointed on
// deprivation of legal capacity (umyndiggørelse typeKode).
type GuardianType string

// Guardian types.
const (
	GuardianNotInCPR GuardianType = "0000"
	GuardianCPR      GuardianType = "0001"
	GuardianAddress  GuardianType = "0002"
)

var guardianTypeText = map[GuardianType]string{
	GuardianNotInCPR: "Værge findes ikke i CPR",
	GuardianCPR:      "Værges CPR findes",
	GuardianAddress:  "Værges adresse findes",
}

// Valid reports whether g is a known guardian type.
func (g GuardianType) Valid() bool { _, ok := guardianTypeText[g]; return ok }

// Text returns the Danish description of g, or "" if g is not valid.
func (g GuardianType) Text() string { return guardianTypeText[g] }

// ElectionCode is a person's election code (valgKode).
type ElectionCode int

// Election codes.
const (
	ElectionOrdinary                   ElectionCode = 1
	ElectionDiplomatCopenhagen         ElectionCode = 2
	ElectionDiplomatFormerMunicipality ElectionCode = 3
	ElectionEUYes                      ElectionCode = 4
	ElectionEUNo                       ElectionCode = 5
	ElectionEUCopenhagen               ElectionCode = 6
)

var electionCodeText = map[ElectionCode]string{
	ElectionOrdinary:                   "Almindelig valgret",
	ElectionDiplomatCopenhagen:         "Diplomater (gamle diplomater der alle stemmer i København)",
	ElectionDiplomatFormerMunicipality: "Diplomater (optages på valgliste i tidligere bopælskommune)",
	ElectionEUYes:                      "EU-valg ja (udenlandske statsborgere, der har sagt ja til at stemme i Danmark)",
	ElectionEUNo:                       "EU-valg nej (danske udrejste statsborgere, der har sagt nej til at stemme i Danmark)",
	ElectionEUCopenhagen:               "EU-valg København (danske udrejste statsborgere, der har sagt ja til at stemme i Danmark - KBH)",
}

// Valid reports whether e is a known election code.
func (e ElectionCode) Valid() bool { _, ok := electionCodeText[e]; return ok }

// Text returns the Danish description of e, or "" if e is not valid.
func (e ElectionCode) Text() string { return electionCodeText[e] }
