package db

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// CohabitationFacts are the facts of the register that the cohabitation
// check (SamboendeOpslag) decides on, for a set of persons. History rows
// that were annulled (ret/fortryd "A") are left out.
type CohabitationFacts struct {
	// Known holds every person of the set that is in the register.
	Known map[string]bool
	// Deaths holds the day of death (status 90, statusdato) of the dead.
	Deaths        map[string]time.Time
	CivilStatuses []CivilStatusPeriod
	Separations   []SeparationPeriod
	Residences    []Residence
}

// CivilStatusPeriod is one civil status of a person: the current one
// (personfamilie) or a former one (historiskecivilstande).
type CivilStatusPeriod struct {
	CPR       string     `db:"cpr"`
	Code      string     `db:"civilstand"` // cpr.CivilStatus: U, G, F, E, P, O, L, D
	SpouseCPR *string    `db:"aegtefaelle_cpr"`
	Start     *time.Time `db:"start_dato"`
	End       *time.Time `db:"slut_dato"` // nil for the current one
}

// SeparationPeriod is a separation of a person from the spouse: the current
// one (personfamilie) or a former one (historiskeseparationer).
type SeparationPeriod struct {
	CPR   string     `db:"cpr"`
	Start *time.Time `db:"start_dato"`
	End   *time.Time `db:"slut_dato"` // nil while separated
}

// Residence is a stay of a person at a dwelling of the folkeregister: the
// current one (person; moved in by personkontakt's tilflytningsdato, else
// person's startdato; a dead person's ends on the day of death) or a
// former one (historiskeadresser). Addresses on a special road code
// (vejkode 9900–9999: no dwelling) are left out.
type Residence struct {
	CPR      string     `db:"cpr"`
	Dwelling string     `db:"dwelling"` // municipality/road/house number/floor/door: equal for one dwelling
	MoveIn   *time.Time `db:"move_in"`
	MoveOut  *time.Time `db:"move_out"` // nil for the current one
}

// CohabitationFacts returns the facts of the persons with the given CPR
// numbers.
func (s *RegisterStore) CohabitationFacts(ctx context.Context, cprs []string) (CohabitationFacts, error) {
	f := CohabitationFacts{Known: map[string]bool{}, Deaths: map[string]time.Time{}}
	var persons []struct {
		CPR   string     `db:"cpr"`
		Death *time.Time `db:"death"`
	}
	const personsQuery = `SELECT cpr, CASE WHEN status = '90' THEN status_dato::date END AS death
		FROM person WHERE cpr = ANY($1)`
	if err := sqlx.SelectContext(ctx, s.q, &persons, personsQuery, pq.Array(cprs)); err != nil {
		return f, err
	}
	for _, p := range persons {
		f.Known[p.CPR] = true
		if p.Death != nil {
			f.Deaths[p.CPR] = *p.Death
		}
	}

	const civilQuery = `SELECT cpr, civilstand, aegtefaelle_cpr, civilstand_start_dato::date AS start_dato, NULL::date AS slut_dato
		FROM personfamilie WHERE cpr = ANY($1) AND civilstand IS NOT NULL
		UNION ALL
		SELECT cpr, civilstand, aegtefaelle_cpr, start_dato::date, slut_dato::date
		FROM historiskecivilstande
		WHERE cpr = ANY($1) AND civilstand IS NOT NULL AND ret_fortryd_aendring IS DISTINCT FROM 'A'
		ORDER BY cpr, start_dato NULLS FIRST`
	if err := sqlx.SelectContext(ctx, s.q, &f.CivilStatuses, civilQuery, pq.Array(cprs)); err != nil {
		return f, err
	}

	const separationQuery = `SELECT cpr, seperation_start_dato AS start_dato, NULL::date AS slut_dato
		FROM personfamilie WHERE cpr = ANY($1) AND seperation_start_dato IS NOT NULL
		UNION ALL
		SELECT cpr, start_dato, slut_dato FROM historiskeseparationer
		WHERE cpr = ANY($1) AND ret_fortryd_aendring IS DISTINCT FROM 'A'`
	if err := sqlx.SelectContext(ctx, s.q, &f.Separations, separationQuery, pq.Array(cprs)); err != nil {
		return f, err
	}

	const residenceQuery = `SELECT p.cpr,
			concat_ws('/', p.kommune_kode, p.vej_kode, upper(trim(p.husnummer)), lower(trim(coalesce(p.etage, ''))), lower(trim(coalesce(p.side_doer_nummer, '')))) AS dwelling,
			coalesce(k.tilflytnings_dato::date, p.start_dato) AS move_in,
			CASE WHEN p.status = '90' THEN p.status_dato::date END AS move_out
		FROM person p LEFT JOIN personkontakt k ON k.cpr = p.cpr
		WHERE p.cpr = ANY($1) AND p.status IN ('01', '03', '05', '07', '90')
		  AND p.kommune_kode IS NOT NULL AND p.vej_kode < 9900 AND p.husnummer IS NOT NULL
		UNION ALL
		SELECT h.cpr,
			concat_ws('/', h.kommune_kode, h.vej_kode, upper(trim(h.husnummer)), lower(trim(coalesce(h.etage, ''))), lower(trim(coalesce(h.side_doer_nummer, '')))),
			h.tilflytnings_dato::date, h.fraflytnings_dato::date
		FROM historiskeadresser h
		WHERE h.cpr = ANY($1) AND h.ret_fortryd_aendring IS DISTINCT FROM 'A'
		  AND h.kommune_kode IS NOT NULL AND h.vej_kode < 9900 AND h.husnummer IS NOT NULL
		  AND h.fraflytnings_dato IS NOT NULL
		ORDER BY cpr, move_in NULLS FIRST`
	err := sqlx.SelectContext(ctx, s.q, &f.Residences, residenceQuery, pq.Array(cprs))
	return f, err
}
