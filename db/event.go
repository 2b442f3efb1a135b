package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// EventKind is the kind of a person change event: one of the event blocks of
// seed 001's PersonHændelseSamlingHent. The comment on each kind names the
// seed's block and the keys of the event's Data.
type EventKind string

// The event kinds.
const (
	EventCreation          EventKind = "CREATION"           // OprettelseHændelse; data: status
	EventCivilStatus       EventKind = "CIVIL_STATUS"       // CivilstandHændelse; data: civilstand
	EventRelation          EventKind = "RELATION"           // PersonTilknytningHændelse; data: relation (MOTHER, FATHER, SPOUSE, CHILD, CUSTODY), typeKode for CUSTODY
	EventAddress           EventKind = "ADDRESS"            // FolkeregisterAdresseHændelse
	EventForwardingAddress EventKind = "FORWARDING_ADDRESS" // ForsendelseAdresseHændelse
	EventGuardianAddress   EventKind = "GUARDIAN_ADDRESS"   // VærgeAdresseHændelse
	EventImmigration       EventKind = "IMMIGRATION"        // IndrejseHændelse
	EventFound             EventKind = "FOUND"              // GenfindingHændelse
	EventAddressProtection EventKind = "ADDRESS_PROTECTION" // AdresseBeskyttelseHændelse; data: startDato, sletteDato
	EventDeath             EventKind = "DEATH"              // DødsfaldHændelse
	EventRevival           EventKind = "REVIVAL"            // GenoplivningHændelse
	EventNameChange        EventKind = "NAME_CHANGE"        // NavneændringHændelse
	EventStatusChange      EventKind = "STATUS_CHANGE"      // PersonStatusHændelse; data: status, previousStatus, oldCpr (GammeltCPRNummer)
	EventPlannedDeletion   EventKind = "PLANNED_DELETION"   // PlanlagtPersonSletningHændelse
	EventIncapacity        EventKind = "INCAPACITY"         // UmyndighedHændelse; data: typeKode, startDato, sletteDato
)

// EventKinds lists every event kind, in the order of seed 001.
var EventKinds = []EventKind{
	EventCreation, EventCivilStatus, EventRelation, EventAddress, EventForwardingAddress,
	EventGuardianAddress, EventImmigration, EventFound, EventAddressProtection, EventDeath,
	EventRevival, EventNameChange, EventStatusChange, EventPlannedDeletion, EventIncapacity,
}

// Valid reports whether k is one of EventKinds.
func (k EventKind) Valid() bool {
	for _, v := range EventKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Event is a registered change of a person. The CPR number is the person's
// current number (after a change of number, the new one; the old one is in
// Data as oldCpr). Data never holds a name or an address, so masking a
// protected person in an event needs no more than its CPR number.
type Event struct {
	ID               int64           `db:"id"`            // ascending in insertion order: the cursor
	RegisteredAt     time.Time       `db:"registered_at"` // when the change was registered
	Kind             EventKind       `db:"kind"`
	CPR              string          `db:"cpr"`
	MunicipalityCode *int            `db:"kommune_kode"`   // the person's municipality when registered
	EffectiveDate    *time.Time      `db:"effective_date"` // when the change took effect, if known
	Data             json.RawMessage `db:"data"`           // the kind's fields, a JSON object (EventData)

	// Protected is the person's protection when the event is read
	// (Person.Protected; read, never written).
	Protected bool `db:"protected"`
}

// SubjectCPR returns the person's CPR number.
func (e Event) SubjectCPR() string { return e.CPR }

// NameAddressProtected reports whether the person is protected now.
func (e Event) NameAddressProtected() bool { return e.Protected }

// EventData is the decoded Data of an event. Which fields are set depends
// on the kind (see the kinds' comments); dates are YYYY-MM-DD.
type EventData struct {
	Status         *string `json:"status"`         // CREATION, STATUS_CHANGE: the person status code
	PreviousStatus *string `json:"previousStatus"` // STATUS_CHANGE
	OldCPR         *string `json:"oldCpr"`         // STATUS_CHANGE: the number before a change of number
	CivilStatus    *string `json:"civilstand"`     // CIVIL_STATUS: the civil status code
	Relation       *string `json:"relation"`       // RELATION: MOTHER, FATHER, SPOUSE, CHILD or CUSTODY
	TypeCode       *string `json:"typeKode"`       // RELATION (CUSTODY), INCAPACITY
	StartDate      *string `json:"startDato"`      // ADDRESS_PROTECTION, INCAPACITY
	EndDate        *string `json:"sletteDato"`     // ADDRESS_PROTECTION, INCAPACITY
}

// Fields decodes the event's Data.
func (e Event) Fields() (EventData, error) {
	var d EventData
	if len(e.Data) == 0 {
		return d, nil
	}
	err := json.Unmarshal(e.Data, &d)
	return d, err
}

// EventFilter selects events. Zero fields do not filter.
type EventFilter struct {
	From         *time.Time  // registered at or after
	To           *time.Time  // registered before
	AfterID      int64       // cursor: only events with a greater ID
	Kinds        []EventKind // any of these kinds
	CPRs         []string    // any of these persons
	Municipality *int        // municipality code
	Limit        int         // at most this many; 0: MaxEventPage
	// FinalOfDay leaves out every event that a later event of the same
	// person and group (event_group: DEATH and REVIVAL together, RELATION
	// per relation, else per kind) registered the same day (Copenhagen
	// time) supersedes: the day's final status (seed 001). Until the day
	// is over its final status may still change.
	FinalOfDay bool
}

// EventStore reads and writes the person change events (person_event).
type EventStore struct {
	q sqlx.ExtContext
}

// MaxEventPage is the Limit of an EventFilter that sets none, and the
// largest page of events a client may ask for.
const MaxEventPage = 1000

// List returns the events that match f, ordered by ID, each with its
// person's current protection and current CPR number (current_cpr,
// migration 00101: an event stored under an old number answers with the
// new one, and a filter by CPR number finds the events of every number of
// the person); page on by passing the last ID as the next call's AfterID.
func (s *EventStore) List(ctx context.Context, f EventFilter) ([]Event, error) {
	const query = `WITH wanted AS (
			SELECT DISTINCT unnest(person_numbers(n)) AS cpr FROM unnest($5::text[]) AS n
		)
		SELECT e.id, e.registered_at, e.kind, current_cpr(e.cpr) AS cpr, e.kommune_kode, e.effective_date, e.data,
		name_address_protected(e.cpr) AS protected
		FROM person_event e
		WHERE e.id > $1
		  AND ($2::timestamptz IS NULL OR e.registered_at >= $2)
		  AND ($3::timestamptz IS NULL OR e.registered_at < $3)
		  AND (coalesce(cardinality($4::text[]), 0) = 0 OR e.kind = ANY($4))
		  AND (coalesce(cardinality($5::text[]), 0) = 0 OR e.cpr IN (SELECT cpr FROM wanted))
		  AND ($6::integer IS NULL OR e.kommune_kode = $6)
		  AND (NOT $8 OR NOT EXISTS (
			SELECT 1 FROM person_event later
			 WHERE later.cpr = ANY(person_numbers(e.cpr)) AND later.id > e.id
			   AND event_group(later.kind, later.data) = event_group(e.kind, e.data)
			   AND (later.registered_at AT TIME ZONE 'Europe/Copenhagen')::date
			     = (e.registered_at AT TIME ZONE 'Europe/Copenhagen')::date))
		ORDER BY e.id
		LIMIT $7`
	limit := f.Limit
	if limit <= 0 {
		limit = MaxEventPage
	}
	kinds := make([]string, len(f.Kinds))
	for i, k := range f.Kinds {
		kinds[i] = string(k)
	}
	events := []Event{}
	err := sqlx.SelectContext(ctx, s.q, &events, query,
		f.AfterID, f.From, f.To, pq.StringArray(kinds), pq.StringArray(f.CPRs), f.Municipality, limit, f.FinalOfDay)
	return events, err
}

// LastID returns the highest event ID (0 when there is none). Every
// event with a lower ID has committed by then (see Lock), so a reader
// that has seen all events up to it may move its cursor there.
func (s *EventStore) LastID(ctx context.Context) (int64, error) {
	const query = `SELECT coalesce(max(id), 0) FROM person_event`
	var id int64
	err := sqlx.GetContext(ctx, s.q, &id, query)
	return id, err
}

// Lock takes the lock every writer of events holds from its first
// insert to its commit: writers then commit in the order of their IDs, so a
// reader paging by AfterID never skips an event that commits later. Readers
// are not blocked. s must be inside a transaction (Store.InTx).
func (s *EventStore) Lock(ctx context.Context) error {
	_, err := s.q.ExecContext(ctx, `LOCK TABLE person_event IN SHARE ROW EXCLUSIVE MODE`)
	return err
}

// Insert registers events; s must be inside a transaction
// (Store.InTx). Their ID and RegisteredAt are assigned by the database, in
// order; each insert is announced on the person_event channel when the
// transaction commits.
func (s *EventStore) Insert(ctx context.Context, events []Event) error {
	const query = `INSERT INTO person_event (kind, cpr, kommune_kode, effective_date, data)
		SELECT kind, cpr, kommune_kode, effective_date, coalesce(data, '{}')
		FROM unnest($1::text[], $2::text[], $3::integer[], $4::date[], $5::jsonb[])
			WITH ORDINALITY AS e(kind, cpr, kommune_kode, effective_date, data, n)
		ORDER BY n`
	if len(events) == 0 {
		return nil
	}
	if err := s.Lock(ctx); err != nil {
		return err
	}
	kinds := make([]string, len(events))
	cprs := make([]string, len(events))
	municipalities := make([]sql.NullInt64, len(events))
	dates := make([]sql.NullString, len(events))
	data := make([]sql.NullString, len(events))
	for i, e := range events {
		kinds[i], cprs[i] = string(e.Kind), e.CPR
		if e.MunicipalityCode != nil {
			municipalities[i] = sql.NullInt64{Int64: int64(*e.MunicipalityCode), Valid: true}
		}
		if e.EffectiveDate != nil {
			dates[i] = sql.NullString{String: e.EffectiveDate.Format(time.DateOnly), Valid: true}
		}
		if len(e.Data) > 0 {
			data[i] = sql.NullString{String: string(e.Data), Valid: true}
		}
	}
	_, err := s.q.ExecContext(ctx, query, pq.StringArray(kinds), pq.StringArray(cprs),
		pq.GenericArray{A: municipalities}, pq.GenericArray{A: dates}, pq.GenericArray{A: data})
	return err
}
