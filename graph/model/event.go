package model

import (
	"fmt"
	"time"

	"cprgraph/access"
	"cprgraph/cpr"
	"cprgraph/db"
	"cprgraph/graph/scalar"
)

// PersonEvent is the schema's PersonEvent interface: a change event as the
// object type of its kind. Every one is an access.Subject, masked by its
// person's protection.
type PersonEvent interface {
	access.Subject
	event() db.Event // seals the interface to the kinds' types below
}

// NewPersonEvent returns e, whose cursor is cursor, as the object type of
// its kind; an unknown kind or undecodable data is an error.
func NewPersonEvent(e db.Event, cursor string) (PersonEvent, error) {
	data, err := e.Fields()
	if err != nil {
		return nil, fmt.Errorf("event %d: %w", e.ID, err)
	}
	b := Event{e: e, d: data, cursor: cursor}
	switch e.Kind {
	case db.EventCreation:
		return CreationEvent{b}, nil
	case db.EventCivilStatus:
		return CivilStatusEvent{b}, nil
	case db.EventRelation:
		return RelationEvent{b}, nil
	case db.EventAddress:
		return AddressEvent{b}, nil
	case db.EventForwardingAddress:
		return ForwardingAddressEvent{b}, nil
	case db.EventGuardianAddress:
		return GuardianAddressEvent{b}, nil
	case db.EventImmigration:
		return ImmigrationEvent{b}, nil
	case db.EventFound:
		return FoundEvent{b}, nil
	case db.EventAddressProtection:
		return AddressProtectionEvent{b}, nil
	case db.EventDeath:
		return DeathEvent{b}, nil
	case db.EventRevival:
		return RevivalEvent{b}, nil
	case db.EventNameChange:
		return NameChangeEvent{b}, nil
	case db.EventStatusChange:
		return StatusChangeEvent{b}, nil
	case db.EventPlannedDeletion:
		return PlannedDeletionEvent{b}, nil
	case db.EventIncapacity:
		return IncapacityEvent{b}, nil
	}
	return nil, fmt.Errorf("event %d: unknown kind %q", e.ID, e.Kind)
}

// Event holds the fields every kind shares; the kinds' types embed it.
type Event struct {
	e      db.Event
	d      db.EventData
	cursor string
}

func (b Event) event() db.Event { return b.e }

// SubjectCPR returns the person's CPR number.
func (b Event) SubjectCPR() string { return b.e.CPR }

// NameAddressProtected reports whether the person is protected now.
func (b Event) NameAddressProtected() bool { return b.e.NameAddressProtected() }

func (b Event) ID() int64                   { return b.e.ID }
func (b Event) Cursor() string              { return b.cursor }
func (b Event) Kind() db.EventKind          { return b.e.Kind }
func (b Event) RegisteredAt() time.Time     { return b.e.RegisteredAt }
func (b Event) Cpr() string                 { return b.e.CPR }
func (b Event) EffectiveDate() *scalar.Date { return date(b.e.EffectiveDate) }
func (b Event) MunicipalityCode() *int      { return b.e.MunicipalityCode }
func (b Event) Protected() bool             { return b.e.Protected }

// registeredOn is the day the event was registered, in Denmark: the date
// seed 001 gives for a protection, name or incapacity change.
func (b Event) registeredOn() *scalar.Date {
	day := scalar.Date(cpr.DanishDate(b.e.RegisteredAt))
	return &day
}

func date(t *time.Time) *scalar.Date {
	if t == nil {
		return nil
	}
	d := scalar.Date(*t)
	return &d
}

// dataDate reads a YYYY-MM-DD date of the event data; nil when absent.
func dataDate(s *string) *scalar.Date {
	if s == nil {
		return nil
	}
	t, err := time.Parse(time.DateOnly, *s)
	if err != nil {
		return nil
	}
	return date(&t)
}

// The object types of the kinds (see graph/events.graphqls).
type (
	CreationEvent          struct{ Event }
	CivilStatusEvent       struct{ Event }
	RelationEvent          struct{ Event }
	AddressEvent           struct{ Event }
	ForwardingAddressEvent struct{ Event }
	GuardianAddressEvent   struct{ Event }
	ImmigrationEvent       struct{ Event }
	FoundEvent             struct{ Event }
	AddressProtectionEvent struct{ Event }
	DeathEvent             struct{ Event }
	RevivalEvent           struct{ Event }
	NameChangeEvent        struct{ Event }
	StatusChangeEvent      struct{ Event }
	PlannedDeletionEvent   struct{ Event }
	IncapacityEvent        struct{ Event }
)

func (e CreationEvent) Status() *string                   { return e.d.Status }
func (e CivilStatusEvent) CivilStatus() *string           { return e.d.CivilStatus }
func (e CivilStatusEvent) CivilStatusDate() *scalar.Date  { return e.EffectiveDate() }
func (e AddressEvent) AddressValidFrom() *scalar.Date     { return e.EffectiveDate() }
func (e ForwardingAddressEvent) ValidFrom() *scalar.Date  { return e.EffectiveDate() }
func (e GuardianAddressEvent) ValidFrom() *scalar.Date    { return e.EffectiveDate() }
func (e ImmigrationEvent) ImmigrationDate() *scalar.Date  { return e.EffectiveDate() }
func (e FoundEvent) FoundDate() *scalar.Date              { return e.EffectiveDate() }
func (e DeathEvent) DeathDate() *scalar.Date              { return e.EffectiveDate() }
func (e RevivalEvent) RevivalDate() *scalar.Date          { return e.EffectiveDate() }
func (e NameChangeEvent) NameValidFrom() *scalar.Date     { return e.registeredOn() }
func (e PlannedDeletionEvent) DeletionDate() *scalar.Date { return e.EffectiveDate() }

func (e RelationEvent) Relation() *PersonEventRelation {
	if e.d.Relation == nil {
		return nil
	}
	r := PersonEventRelation(*e.d.Relation)
	return &r
}

func (e RelationEvent) CustodyType() *string { return e.d.TypeCode }

func (e AddressProtectionEvent) ProtectionDate() *scalar.Date  { return e.registeredOn() }
func (e AddressProtectionEvent) ProtectionStart() *scalar.Date { return dataDate(e.d.StartDate) }
func (e AddressProtectionEvent) ProtectionEnd() *scalar.Date   { return dataDate(e.d.EndDate) }

func (e StatusChangeEvent) Status() *string          { return e.d.Status }
func (e StatusChangeEvent) StatusDate() *scalar.Date { return e.EffectiveDate() }
func (e StatusChangeEvent) PreviousStatus() *string  { return e.d.PreviousStatus }
func (e StatusChangeEvent) OldCpr() *string          { return e.d.OldCPR }

// IncapacityCode is nil, the seed's blank code, when the event ends the
// incapacity.
func (e IncapacityEvent) IncapacityCode() *string {
	if e.d.EndDate != nil {
		return nil
	}
	return e.d.TypeCode
}

func (e IncapacityEvent) IncapacityFrom() *scalar.Date { return e.registeredOn() }
func (e IncapacityEvent) StartDate() *scalar.Date      { return dataDate(e.d.StartDate) }
func (e IncapacityEvent) EndDate() *scalar.Date        { return dataDate(e.d.EndDate) }
