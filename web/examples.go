package web

// Example is one example query, shown as a GraphiQL tab on first visit and
// in README.md (a test runs each one and checks the README holds it).
type Example struct {
	Operation string // the CSR-P operation it shows
	Query     string
	Variables string
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
	},
	{
		Operation: "PersonkredsSøg",
		Query: `query BirthDates($from: Date!, $to: Date, $after: String) {
  personsByBirthDate(from: $from, to: $to, first: 50, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { cpr protected birthDate status firstName lastName } }
  }
}`,
		Variables: `{"from": "1970-01-01", "to": "1970-03-31"}`,
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
	},
}

// ExampleTabs returns the examples as GraphiQL tabs.
func ExampleTabs() []Tab {
	tabs := make([]Tab, len(Examples))
	for i, e := range Examples {
		tabs[i] = Tab{Query: "# " + e.Operation + "\n" + e.Query, Variables: e.Variables}
	}
	return tabs
}
