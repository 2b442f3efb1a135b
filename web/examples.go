package web

import (
	"encoding/json"
	"time"
)

// Example is one example query, shown as a GraphiQL tab on first visit and
// in README.md. A test runs each one against the demo population
// (gen.LoadDemoFamily names its persons) and checks the README holds it.
type Example struct {
	Operation string // the CSR-P operation it shows
	Query     string
	Variables string // JSON, as the README shows it
	// DaysBack are variables set, when the example runs, to the date that
	// many days before today (a landlord lookup's period starts at most
	// 12 months back); the README names them.
	DaysBack map[string]int
	// Profile is the disclosure profile whose key runs it (GraphiQL's demo
	// tab headers, the test): "AUTHORITY" when empty.
	Profile string
	// Want is a text the demo population's answer holds (the test's check
	// that the example answers with data).
	Want string
}

// VariablesOn returns the example's variables as of the day today: its
// Variables with every DaysBack variable set.
func (e Example) VariablesOn(today time.Time) string {
	if len(e.DaysBack) == 0 {
		return e.Variables
	}
	vars := map[string]any{}
	if e.Variables != "" {
		if err := json.Unmarshal([]byte(e.Variables), &vars); err != nil {
			panic("web: example " + e.Operation + ": " + err.Error())
		}
	}
	for name, days := range e.DaysBack {
		vars[name] = today.AddDate(0, 0, -days).Format(time.DateOnly)
	}
	b, _ := json.Marshal(vars)
	return string(b)
}

// Examples are the README's example queries, one per operation.
var Examples = []Example{
	{
		Operation: "PersonStamoplysningerMultiHent (one person)",
		Query: `query Person($cpr: String!) {
  person(cpr: $cpr) {
    cpr protected newCpr firstName middleName lastName addressingName
    birthDate sex status statusText statusDate deathDate
    civilStatus { code text validFrom spouse { cpr protected firstName lastName } }
    relations { code cpr name person { protected firstName lastName } }
    custody { typeCode typeText holderCpr }
    guardianships { typeText incapacityStart guardianCpr guardianName guardianAddressLines }
    address { lines municipalityCode municipalityName streetCode validFrom }
    forwardingAddress { kind lines countryCode }
    email mobilePhone
    protections { kind startDate deleteDate active }
    nameHistory { firstName lastName validFrom validTo }
    cprNumberHistory { previousCpr validTo }
  }
}`,
		Variables: `{"cpr": "0101701111"}`,
		Want:      "Testesen",
	},
	{
		Operation: "PersonStamoplysningerMultiHent (batch, as of a date)",
		Query: `query Persons($cprs: [String!]!, $asOf: Date) {
  persons(cprs: $cprs, asOf: $asOf) {
    cpr
    error { code message }
    person { cpr protected asOf firstName lastName civilStatus { code } address { lines validFrom } }
  }
}`,
		Variables: `{"cprs": ["0101701111", "0202721122", "0101011234"], "asOf": "2008-01-01"}`,
		Want:      "Midtvej",
	},
	{
		Operation: "PersonStamoplysningerMultiHent (as registered at an instant)",
		Query: `query KnownAt($cpr: String!, $asOf: Date, $knownAt: Time) {
  person(cpr: $cpr, asOf: $asOf, knownAt: $knownAt) {
    cpr protected asOf knownAt firstName lastName
    civilStatus { code validFrom }
    address { lines validFrom }
    nameHistory { lastName validFrom validTo }
  }
}`,
		Variables: `{"cpr": "0101701111", "asOf": "2008-01-01", "knownAt": "2030-01-01T00:00:00Z"}`,
		Want:      `"cpr":"0101701111","protected":false,"asOf":"2008-01-01"`,
	},
	{
		Operation: "PersonSøg",
		Query: `query Search($criteria: PersonSearchInput!) {
  searchPersons(criteria: $criteria) {
    moreHits
    persons { cpr protected firstName lastName address { lines } }
  }
}`,
		Variables: `{"criteria": {"postalCode": 2100, "name": "Testesen", "streetName": "Testv", "houseNumber": "12"}}`,
		Want:      "Clara",
	},
	{
		Operation: "PersonSøg (as of a date: a former name and address)",
		Query: `query SearchAsOf($criteria: PersonSearchInput!, $asOf: Date) {
  searchPersons(criteria: $criteria, asOf: $asOf) {
    moreHits
    persons { cpr protected asOf firstName lastName address { lines validFrom } }
  }
}`,
		Variables: `{"criteria": {"postalCode": 2300, "name": "Hansen", "streetName": "Midt", "houseNumber": "7", "houseLetter": "B"}, "asOf": "2008-01-01"}`,
		Want:      `"asOf":"2008-01-01","firstName":"Hans","lastName":"Hansen"`,
	},
	{
		Operation: "PersonkredsSøg",
		Query: `query BirthDates($criteria: [BirthDateCriterion!], $after: String) {
  personsByBirthDate(criteria: $criteria, first: 50, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { cpr protected birthDate status firstName lastName } }
  }
}`,
		Variables: `{"criteria": [{"from": "1970-01-01", "to": "1970-03-31"}, {"from": "1972-02-02"}]}`,
		Want:      "0202721122",
	},
	{
		Operation: "PersonAdresseHistorikSamlingHent",
		Query: `query AddressHistory($cprs: [String!]!) {
  addressHistory(cprs: $cprs) {
    cpr
    error { code message }
    history { cpr protected addresses { streetName houseNumber floor door postalCode municipalityCode validFrom validTo } }
  }
}`,
		Variables: `{"cprs": ["0101701111", "0202721122"]}`,
		Want:      "Gammelvej",
	},
	{
		Operation: "Shared address (lived together?)",
		Query: `query Shared($a: String!, $b: String!, $from: Date, $to: Date) {
  sharedAddress(cprA: $a, cprB: $b, from: $from, to: $to) {
    shared
    personA { cpr protected }
    personB { cpr protected }
    periods { from to address { lines } }
  }
}`,
		Variables: `{"a": "0101701111", "b": "0202721122", "from": "2000-01-01"}`,
		Want:      "Midtvej",
	},
	{
		Operation: "PersonBopælsamlingHent",
		Query: `query Household($cpr: String!) {
  household(cpr: $cpr) {
    cpr protected
    address { lines municipalityCode streetCode }
    members { cpr relation protected person { firstName lastName } }
  }
}`,
		Variables: `{"cpr": "0101701111"}`,
		Want:      "Mette",
	},
	{
		Operation: "PersonBopælsamlingHent (as of a date)",
		Query: `query HouseholdAsOf($cpr: String!, $asOf: Date, $knownAt: Time) {
  household(cpr: $cpr, asOf: $asOf, knownAt: $knownAt) {
    cpr protected
    address { lines validFrom }
    members { cpr relation protected person { asOf firstName lastName } }
  }
}`,
		Variables: `{"cpr": "0101701111", "asOf": "2008-01-01"}`,
		Want:      `"relation":null,"protected":false,"person":{"asOf":"2008-01-01","firstName":"Mette"`,
	},
	{
		Operation: "Udlejersøgning (landlord lookup, as the LANDLORD key)",
		Query: `query Residents($owner: String!, $house: ID!, $from: Date!) {
  residents(input: { owner: $owner, darHouseNumberId: $house, from: $from }) {
    criteria { owner bfe ownedFrom from to }
    rows { address addressingName moveIn moveOut protected }
  }
}`,
		Variables: `{"owner": "12345674", "house": "5a1e0d6c-1d2b-4c1e-9f00-000000000012"}`,
		DaysBack:  map[string]int{"from": 90},
		Profile:   "LANDLORD",
		Want:      "Lejer,Lise",
	},
	{
		Operation: "PersonHændelseSamlingHent",
		Query: `query Events($kinds: [PersonEventKind!]) {
  personEvents(filter: { kinds: $kinds }, first: 100) {
    edges { node { kind cpr registeredAt effectiveDate ... on AddressEvent { addressValidFrom } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
		Variables: `{"kinds": ["ADDRESS", "DEATH"]}`,
		Want:      "DEATH",
	},
	{
		Operation: "SamboendeOpslag (cohabitation check)",
		Query: `query Cohabitation($primary: [String!]!, $newOwner: [String!]!) {
  cohabitation(primary: $primary, newOwner: $newOwner) {
    feeDue rule explanation
    dates { marriedSince marriageEnded separatedSince deathDate commonAddressFrom commonAddressTo }
    pairs { primary newOwner rule explanation }
  }
}`,
		Variables: `{"primary": ["0101701111"], "newOwner": ["0202721122"]}`,
		Want:      "SPOUSES",
	},
}

// ExampleTabs returns the examples as GraphiQL tabs, their variables as of
// today. With keys (the demo keys by profile) each tab's headers carry the
// key of its example's profile.
func ExampleTabs(today time.Time, keys map[string]string) []Tab {
	tabs := make([]Tab, len(Examples))
	for i, e := range Examples {
		tabs[i] = Tab{Query: "# " + e.Operation + "\n" + e.Query, Variables: e.VariablesOn(today)}
		if key := keys[e.ProfileName()]; key != "" {
			tabs[i].Headers = AuthorizationHeader(key)
		}
	}
	return tabs
}

// ProfileName is the example's Profile, AUTHORITY when empty.
func (e Example) ProfileName() string {
	if e.Profile == "" {
		return "AUTHORITY"
	}
	return e.Profile
}

// AuthorizationHeader is the headers editor's JSON sending key.
func AuthorizationHeader(key string) string {
	b, _ := json.Marshal(map[string]string{"Authorization": "Bearer " + key})
	return string(b)
}
