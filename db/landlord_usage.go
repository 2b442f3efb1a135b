package db

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/apperr"
)

// MinOwnerDwellings is seed 000's condition for access to the landlord
// lookup: the owner must own (and let out) more than 10 dwellings.
const MinOwnerDwellings = 11

// Dwellings returns how many dwellings (DAR addresses) lie on the
// properties the owner (CVR or CPR number) currently owns on day by the
// ownership table.
func (s *LandlordStore) Dwellings(ctx context.Context, owner string, day time.Time) (int, error) {
	const query = `SELECT count(*) FROM dar_adresse a
		WHERE a.bfe_nummer IN (SELECT bfe_nummer FROM ejerskab
			WHERE (ejer_cvr = $1 OR ejer_cpr = $1) AND status = 'gældende'
			  AND ejet_fra <= $2 AND (ejet_til IS NULL OR ejet_til > $2))`
	var n int
	err := sqlx.GetContext(ctx, s.q, &n, query, owner, day)
	return n, err
}

// CheckEligible is seed 000's eligibility rule, checked when an owner is
// linked to an organisation: nil when the owner currently holds more than
// 10 dwellings, OWNER_NOT_ELIGIBLE (saying how many it holds) otherwise,
// BAD_USER_INPUT for a malformed owner number. It returns the number in
// the form owner links are stored in.
func (s *LandlordStore) CheckEligible(ctx context.Context, owner string, day time.Time) (string, error) {
	owner, err := ownerNumber(owner)
	if err != nil {
		return "", err
	}
	n, err := s.Dwellings(ctx, owner, day)
	if err != nil {
		return "", err
	}
	if n < MinOwnerDwellings {
		return "", apperr.Errorf(apperr.OwnerNotEligible,
			"the owner holds %d dwellings by the ownership register; landlord access requires more than %d (seed 000)",
			n, MinOwnerDwellings-1)
	}
	return owner, nil
}

// LookupCount is how many landlord lookups an organisation made in a
// month (seed 000 prices each lookup).
type LookupCount struct {
	OrganisationID   int64     `db:"organisation_id"`
	OrganisationName string    `db:"organisation_name"`
	Month            time.Time `db:"month"`
	Lookups          int64     `db:"lookups"`
}

// monthOf returns the first day of t's month.
func monthOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// CountLookup adds one landlord lookup to the organisation's count for the
// month of day.
func (s *LandlordStore) CountLookup(ctx context.Context, organisationID int64, day time.Time) error {
	const query = `INSERT INTO landlord_lookup_month (organisation_id, month, lookups) VALUES ($1, $2, 1)
		ON CONFLICT (organisation_id, month) DO UPDATE SET lookups = landlord_lookup_month.lookups + 1`
	_, err := s.q.ExecContext(ctx, query, organisationID, monthOf(day))
	return err
}

// LookupCounts returns the lookups per organisation in the month of day,
// by organisation name; organisations without lookups are left out.
func (s *LandlordStore) LookupCounts(ctx context.Context, day time.Time) ([]LookupCount, error) {
	const query = `SELECT u.organisation_id, o.name AS organisation_name, u.month, u.lookups
		FROM landlord_lookup_month u JOIN organisation o ON o.id = u.organisation_id
		WHERE u.month = $1 ORDER BY o.name`
	out := []LookupCount{}
	err := sqlx.SelectContext(ctx, s.q, &out, query, monthOf(day))
	return out, err
}
