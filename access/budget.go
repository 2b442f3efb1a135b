package access

import "cprgraph/apperr"

// PersonBudget is the most distinct persons one request may read across
// all its fields and aliases (DESIGN.md; the batch cap of 100 numbers is
// per field, so without it aliases multiply it). It is enforced twice:
// before execution on the CPR numbers an operation names in its arguments
// (the GraphQL layer's static count), and during execution on the persons
// actually returned (Record.AddCPR), which catches those reached through
// relations and households.
const PersonBudget = 100

// ErrPersonBudget is the refusal of a request that reads n distinct
// persons, more than PersonBudget: PERSON_BUDGET_EXCEEDED.
func ErrPersonBudget(n int) *apperr.Error {
	return apperr.Errorf(apperr.PersonBudgetExceeded,
		"the request reads %d or more distinct persons; a request may read at most %d persons across all its fields and aliases", n, PersonBudget)
}

// CheckPersonBudget returns ErrPersonBudget when n distinct persons exceed
// the PersonBudget, else nil.
func CheckPersonBudget(n int) error {
	if n > PersonBudget {
		return ErrPersonBudget(n)
	}
	return nil
}
