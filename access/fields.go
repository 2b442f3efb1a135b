package access

import (
	"context"

	"cprgraph/apperr"
)

// Scopes apply to every field path, not only to root fields: a person
// reached through search, a household, an address history or a cohabitation
// check shows its identity (identityFields) under that root's scope, and
// every other field of a Person needs the scope of the operation that serves
// it at the root (fieldOperations) — a nested addressHistory needs
// address_history, a nested household needs household, master data needs
// person. A Person field in neither list is refused (fail closed; a test
// checks that every field of the schema's Person is classified).

// identityFields are the Person fields every operation that returns persons
// may show: who the person is and where they are registered.
var identityFields = map[string]bool{
	"cpr": true, "protected": true, "newCpr": true, "asOf": true, "knownAt": true,
	"firstName": true, "middleName": true, "lastName": true, "addressingName": true,
	"birthDate": true, "sex": true, "status": true, "statusText": true, "statusDate": true,
	"deathDate": true, "revivalDate": true, "address": true,
}

// fieldOperations are the Person fields that need an operation's scope of
// their own.
var fieldOperations = map[string]Operation{
	"addressHistory": OpAddressHistory,
	"household":      OpHousehold,

	"nameStartDate": OpPerson, "occupation": OpPerson, "civilStatus": OpPerson,
	"spouse": OpPerson, "mother": OpPerson, "father": OpPerson, "children": OpPerson,
	"relations": OpPerson, "custody": OpPerson, "guardianships": OpPerson,
	"forwardingAddress": OpPerson, "email": OpPerson, "mobilePhone": OpPerson,
	"foreignMobilePhone": OpPerson, "protections": OpPerson, "citizenship": OpPerson,
	"church": OpPerson, "sharedResidenceSince": OpPerson, "nameHistory": OpPerson,
	"civilStatusHistory": OpPerson, "citizenshipHistory": OpPerson, "churchHistory": OpPerson,
	"travelHistory": OpPerson, "separationHistory": OpPerson, "disappearanceHistory": OpPerson,
	"cprNumberHistory": OpPerson, "notes": OpPerson,

	// Seed 004's remaining fields (issue 15): markers, unreliable flags,
	// personkontakt and personudvidet facts: master data.
	"firstNameUncertainty": OpPerson, "middleNameUncertainty": OpPerson, "lastNameUncertainty": OpPerson,
	"nameStartDateUncertainty": OpPerson, "birthDateUncertainty": OpPerson, "statusDateUncertainty": OpPerson,
	"recordStartDate": OpPerson, "recordStartDateUncertainty": OpPerson, "recordEndDate": OpPerson,
	"recordEndDateUncertainty": OpPerson, "unreliable": OpPerson, "contactUnreliable": OpPerson,
	"familyUnreliable": OpPerson, "extendedUnreliable": OpPerson, "sharedResidenceSinceUncertainty": OpPerson,
	"sharedResidenceUnreliable": OpPerson, "contactRecordAddress": OpPerson, "disappearedOn": OpPerson,
	"disappearedOnUncertainty": OpPerson, "municipalityMoveOutDate": OpPerson,
	"municipalityMoveOutDateUncertainty": OpPerson, "previousMunicipalityCode": OpPerson,
	"municipalityMoveInDate": OpPerson, "municipalityMoveInDateUncertainty": OpPerson,
	"contactAddress": OpPerson, "foreignAddress": OpPerson, "supplementaryAddress": OpPerson,
	"votingRights": OpPerson, "municipalCondition": OpPerson, "relocationOrder": OpPerson,
	"birthRegistrationPlace": OpPerson,
}

// PersonFieldScope returns the operation whose scope reading the Person
// field needs besides its root's: none ("") for an identity field, and
// false for a field without a rule.
func PersonFieldScope(field string) (Operation, bool) {
	if identityFields[field] {
		return "", true
	}
	op, ok := fieldOperations[field]
	return op, ok
}

// AuthorizeField is the gate of every field of type typeName below the root:
// nil when the principal may read it, FORBIDDEN naming the scope it lacks
// otherwise. Only Person fields have rules of their own; other types' fields
// are read under their root's scope.
func AuthorizeField(ctx context.Context, typeName, field string) error {
	if typeName != "Person" {
		return nil
	}
	op, ok := PersonFieldScope(field)
	switch {
	case !ok:
		return apperr.Errorf(apperr.Forbidden, "Person.%s has no access rule", field)
	case op == "":
		return nil
	case !FromContext(ctx).May(op):
		return apperr.Errorf(apperr.Forbidden, "Person.%s needs the %s scope, which this client does not hold", field, op)
	}
	if op.Audited() {
		RecordFrom(ctx).addOperation(op)
	}
	return nil
}
