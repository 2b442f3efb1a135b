package model

import (
	"time"

	"cprgraph/access"
	"cprgraph/cohabitation"
	"cprgraph/graph/scalar"
)

// CohabitationResult is the answer of a cohabitation check. Its subject is
// the stricter of the deciding pair, so its explanation and dates are
// masked when either person is protected.
type CohabitationResult struct {
	FeeDue      bool
	Rule        cohabitation.Rule
	Explanation *string
	Dates       *CohabitationDates
	Primary     *string
	NewOwner    string
	Date        scalar.Date
	Pairs       []*CohabitationPair
	Subject     access.Subject
}

// SubjectCPR returns the CPR number of the result's subject.
func (r CohabitationResult) SubjectCPR() string { return r.Subject.SubjectCPR() }

// NameAddressProtection returns the protection of the result's subject.
func (r CohabitationResult) NameAddressProtection() (start, deleteDate *time.Time) {
	return r.Subject.NameAddressProtection()
}

// CohabitationPair is the check of one pair, masked like CohabitationResult.
type CohabitationPair struct {
	Primary     string
	NewOwner    string
	Rule        cohabitation.Rule
	Explanation *string
	Dates       *CohabitationDates
	Subject     access.Subject
}

// SubjectCPR returns the CPR number of the pair's subject.
func (p CohabitationPair) SubjectCPR() string { return p.Subject.SubjectCPR() }

// NameAddressProtection returns the protection of the pair's subject.
func (p CohabitationPair) NameAddressProtection() (start, deleteDate *time.Time) {
	return p.Subject.NameAddressProtection()
}
