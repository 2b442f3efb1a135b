package model

import (
	"context"

	"cprgraph/access"
	"cprgraph/db"
)

// AddressHistory is one person's latest folkeregisteradresser; it is masked
// by the person's protection.
type AddressHistory struct {
	Person    db.Person
	Addresses []db.Address
}

// CPR returns the person's CPR number.
func (h AddressHistory) CPR() string { return h.Person.CPR }

// SubjectCPR returns the person's CPR number.
func (h AddressHistory) SubjectCPR() string { return h.Person.CPR }

// NameAddressProtected reports whether the person is protected.
func (h AddressHistory) NameAddressProtected() bool { return h.Person.NameAddressProtected() }

// SharedPeriod is a period two persons shared a dwelling. Its subject is
// the one of the two who is protected today, so the address is masked when
// either is.
type SharedPeriod struct {
	db.SharedPeriod
	subject access.Subject
}

// NewSharedPeriod returns the period with the stricter of a and b as its
// subject.
func NewSharedPeriod(p db.SharedPeriod, a, b access.Subject) *SharedPeriod {
	return &SharedPeriod{SharedPeriod: p, subject: access.Stricter(a, b)}
}

// SubjectCPR returns the CPR number of the period's subject.
func (p SharedPeriod) SubjectCPR() string { return p.subject.SubjectCPR() }

// NameAddressProtected reports whether the period's subject is protected.
func (p SharedPeriod) NameAddressProtected() bool { return p.subject.NameAddressProtected() }

// PersonConnection is a page of persons; Count counts every match.
type PersonConnection struct {
	Edges    []*PersonEdge
	PageInfo *PageInfo
	Count    func(context.Context) (int, error)
}
