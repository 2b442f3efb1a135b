package db

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// MoveKind says whether a resident moved into or out of a dwelling.
type MoveKind string

// The move kinds of a continuous landlord lookup.
const (
	MoveIn  MoveKind = "MOVE_IN"
	MoveOut MoveKind = "MOVE_OUT"
)

// ResidentMove is one row of a continuous landlord lookup: a resident
// moved into or out of a dwelling on a property one of the owners
// currently owns. Like Resident it carries the CPR number only for masking
// and the audit log.
type ResidentMove struct {
	EventID        int64      `db:"event_id"` // the person_event announcing the move: the cursor
	Kind           MoveKind   `db:"kind"`
	Date           time.Time  `db:"date"` // validity date; a move-in before the acquisition is the acquisition date
	CPR            string     `db:"cpr"`
	Owner          string     `db:"owner"`
	BFE            int64      `db:"bfe_nummer"`
	OwnedFrom      time.Time  `db:"ejet_fra"`
	AddressingName *string    `db:"adresserings_navn"`
	Protected      bool       `db:"protected"`
	Address        DarAddress `db:"dar"`
}

// SubjectCPR returns the resident's CPR number.
func (m ResidentMove) SubjectCPR() string { return m.CPR }

// NameAddressProtected reports whether the resident is protected today.
func (m ResidentMove) NameAddressProtected() bool { return m.Protected }

// Moves returns the moves an address event announces at the dwellings of
// the properties the owners currently own on today, by the landlord
// lookup's rules, all on validity dates:
//   - a move-in: the person's current folkeregisteradresse, when it began
//     on the event's effective date (or the event has none); a move-in
//     before the owner acquired the property is dated the acquisition;
//   - a move-out: a historic address of the person that ended on the
//     event's effective date or the day before, not annulled (ret/fortryd
//     "A", nor a stay an annulled row of the same dwelling overlaps), and
//     not before the acquisition.
//
// Ownership is read as it is when Moves runs: an ownership change takes
// effect on the next event. The historic address must be imported no
// later than the person record that announces the move for its move-out
// to be seen. Events of other kinds have no moves.
func (s *LandlordStore) Moves(ctx context.Context, e Event, owners []string, today time.Time) ([]ResidentMove, error) {
	const query = `WITH stay AS (
		SELECT 'MOVE_IN' AS kind, p.kommune_kode, p.vej_kode, p.husnummer,
			COALESCE(p.etage, '') AS etage, COALESCE(p.side_doer_nummer, '') AS side_doer_nummer,
			COALESCE(k.tilflytnings_dato::date, p.start_dato) AS date
		FROM person p LEFT JOIN personkontakt k ON k.cpr = p.cpr
		WHERE p.cpr = $1 AND p.status IN ('01', '03', '05', '07')
		  AND ($2::date IS NULL OR p.start_dato = $2 OR k.tilflytnings_dato::date = $2)
		UNION ALL
		SELECT 'MOVE_OUT', h.kommune_kode, h.vej_kode, h.husnummer,
			COALESCE(h.etage, ''), COALESCE(h.side_doer_nummer, ''), h.fraflytnings_dato::date
		FROM historiskeadresser h
		WHERE h.cpr = $1 AND $2::date IS NOT NULL
		  AND h.fraflytnings_dato::date BETWEEN $2::date - 1 AND $2::date
		  AND h.ret_fortryd_aendring IS DISTINCT FROM 'A'
		  AND NOT EXISTS (SELECT 1 FROM historiskeadresser a
			WHERE a.cpr = h.cpr AND a.ret_fortryd_aendring = 'A'
			  AND a.kommune_kode = h.kommune_kode AND a.vej_kode = h.vej_kode AND a.husnummer = h.husnummer
			  AND COALESCE(a.etage, '') = COALESCE(h.etage, '') AND COALESCE(a.side_doer_nummer, '') = COALESCE(h.side_doer_nummer, '')
			  AND COALESCE(a.tilflytnings_dato, '-infinity') <= h.fraflytnings_dato
			  AND COALESCE(h.tilflytnings_dato, '-infinity') <= COALESCE(a.fraflytnings_dato, 'infinity'))
	)
	SELECT s.kind, CASE WHEN s.kind = 'MOVE_IN' THEN GREATEST(COALESCE(s.date, o.ejet_fra), o.ejet_fra) ELSE s.date END AS date,
		$1 AS cpr, o.owner, d.bfe_nummer, o.ejet_fra, p.adresserings_navn, name_address_protected($1) AS protected,
		d.id AS "dar.id", d.husnummer_id AS "dar.husnummer_id", d.kommune_kode AS "dar.kommune_kode",
		d.vej_kode AS "dar.vej_kode", d.vejnavn AS "dar.vejnavn", d.husnummer AS "dar.husnummer", d.etage AS "dar.etage",
		d.side_doer_nummer AS "dar.side_doer_nummer", d.postnummer AS "dar.postnummer",
		d.postdistrikt AS "dar.postdistrikt", d.bfe_nummer AS "dar.bfe_nummer"
	FROM stay s
	JOIN dar_adresse d ON d.kommune_kode = s.kommune_kode AND d.vej_kode = s.vej_kode AND d.husnummer = s.husnummer
		AND d.etage = s.etage AND d.side_doer_nummer = s.side_doer_nummer
	JOIN LATERAL (
		SELECT COALESCE(ejer_cvr, ejer_cpr) AS owner, max(ejet_fra) AS ejet_fra FROM ejerskab
		WHERE bfe_nummer = d.bfe_nummer AND COALESCE(ejer_cvr, ejer_cpr) = ANY($3)
		  AND status = 'gældende' AND ejet_fra <= $4 AND (ejet_til IS NULL OR ejet_til > $4)
		GROUP BY 1
	) o ON true
	LEFT JOIN person p ON p.cpr = $1
	WHERE s.kind = 'MOVE_IN' OR s.date >= o.ejet_fra
	ORDER BY s.kind DESC, d.id, o.owner`
	if e.Kind != EventAddress || len(owners) == 0 {
		return nil, nil
	}
	var moves []ResidentMove
	if err := sqlx.SelectContext(ctx, s.q, &moves, query, e.CPR, e.EffectiveDate, pq.Array(owners), today); err != nil {
		return nil, err
	}
	for i := range moves {
		moves[i].EventID = e.ID
	}
	return moves, nil
}
