package model

import (
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

// NameAddressProtected reports whether the result's subject is protected.
func (r CohabitationResult) NameAddressProtected() bool { return r.Subject.NameAddressProtected() }

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

// NameAddressProtected reports whether the pair's subject is protected.
func (p CohabitationPair) NameAddressProtected() bool { return p.Subject.NameAddressProtected() }
