// Package gen generates a synthetic, internally consistent population of the
// CPR register — persons with families, households, moves, marriages,
// children, deaths, emigrations, protections and histories — together with
// the DAR addresses they live at, the BFE properties holding those addresses
// and the properties' owners, and loads it into an empty database with COPY.
//
// The population is a function of Options: the same persons, seed and day
// give the same rows. Load streams each table's rows into one COPY, all in
// one transaction, running the generator once per table. The first run
// decides where every household lives and records that (some tens of bytes
// per person) for the later runs to replay; apart from that the generator
// holds one family at a time besides the address model. While a table is
// loaded its indexes, keys and foreign keys are dropped, then rebuilt from
// their catalog definitions, which is much faster than maintaining them row
// by row.
//
// Conventions of the generated data that readers rely on:
//   - A person's current folkeregisteradresse is on person (and repeated on
//     personkontakt, with tilflytnings_dato as the move-in day); earlier
//     addresses are in historiskeadresser. Every address matches a row of
//     dar_adresse, where a missing floor or door is the empty string
//     instead of NULL.
//   - Dead, emigrated and disappeared persons have no current address: their
//     last address is in historiskeadresser, ending on the day they left.
//   - In historiskeadresser a row marked 'K' (ret) is the corrected version
//     of an overlapping unmarked row of the same person and dwelling, which
//     it supersedes; a row marked 'A' (fortryd) annuls the matching unmarked
//     row, a move that never took effect.
//   - The stays of different households in a dwelling never overlap.
//   - Name and address protection is shared by everyone living in a dwelling.
//   - An earlier CPR number (status 50 or 60) is a person row of its own
//     whose gaeldende_cpr is the current number.
//   - Every BFE property has one or two current owners (ejet_til NULL,
//     status 'gældende'), a CVR or a CPR number, and often earlier owners.
//     Residents who own their home bought it shortly before moving in.
package gen

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// DemoOwnerCVR is the CVR number of a landlord company that the generator
// guarantees to be the current owner of rental buildings in Copenhagen with
// more than ten dwellings and current residents, for demonstrating the
// landlord lookup. Its properties are
//
//	SELECT bfe_nummer FROM ejerskab WHERE ejer_cvr = '12345674' AND ejet_til IS NULL
//
// and DemoBuilding returns the first of them.
const DemoOwnerCVR = "12345674"

// Options say what population to generate.
type Options struct {
	Persons int       // rows of person, all statuses included
	Seed    int64     // the same seed gives the same population
	Today   time.Time // the day the population is as of; the zero time means time.Now()
}

// TableCount is the number of rows loaded into a table and the time it took.
type TableCount struct {
	Table   string
	Rows    int64
	Elapsed time.Duration
}

// Stats reports what Load loaded.
type Stats struct {
	Tables  []TableCount // in load order
	Elapsed time.Duration
}

// Rows returns the number of rows loaded into table.
func (s Stats) Rows(table string) int64 {
	for _, t := range s.Tables {
		if t.Table == table {
			return t.Rows
		}
	}
	return 0
}

// String formats the counts and the elapsed time on one line.
func (s Stats) String() string {
	var b strings.Builder
	for _, t := range s.Tables {
		fmt.Fprintf(&b, "%s=%d (%s) ", t.Table, t.Rows, t.Elapsed.Round(time.Millisecond))
	}
	fmt.Fprintf(&b, "elapsed=%s", s.Elapsed.Round(time.Millisecond))
	return b.String()
}

// Load generates the population described by opts and loads it into the
// database in one transaction. It refuses to load into a database that
// already has persons, addresses or properties.
func Load(ctx context.Context, conn *sqlx.DB, opts Options) (Stats, error) {
	start := time.Now()
	if opts.Today.IsZero() {
		opts.Today = time.Now()
	}
	if opts.Persons <= 0 {
		return Stats{}, errors.New("gen: Persons must be positive")
	}
	if y := opts.Today.Year(); y < 1970 || y > 2057 {
		return Stats{}, errors.New("gen: Today must be in the years 1970 to 2057")
	}
	model, err := newAddressModel(opts.Seed, opts.Persons, dayOf(opts.Today))
	if err != nil {
		return Stats{}, err
	}
	c, err := conn.Conn(ctx)
	if err != nil {
		return Stats{}, err
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, "BEGIN"); err != nil {
		return Stats{}, err
	}
	stats, err := load(ctx, c, model, opts)
	if err != nil {
		_, rbErr := c.ExecContext(context.Background(), "ROLLBACK")
		return Stats{}, errors.Join(err, rbErr)
	}
	if _, err := c.ExecContext(ctx, "COMMIT"); err != nil {
		return Stats{}, err
	}
	stats.Elapsed = time.Since(start)
	return stats, nil
}

func load(ctx context.Context, c *sql.Conn, model *addressModel, opts Options) (Stats, error) {
	for _, t := range []string{"person", "dar_adresse", "ejendom"} {
		var exists bool
		if err := c.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM "+t+")").Scan(&exists); err != nil {
			return Stats{}, err
		}
		if exists {
			return Stats{}, fmt.Errorf("gen: %s already has rows", t)
		}
	}
	for _, q := range []string{"SET LOCAL statement_timeout = 0", "SET LOCAL maintenance_work_mem = '256MB'"} {
		if _, err := c.ExecContext(ctx, q); err != nil {
			return Stats{}, err
		}
	}
	var stats Stats
	tp := &tape{}
	for id, t := range tables {
		start := time.Now()
		rows, err := loadTable(ctx, c, tableID(id), model, opts, tp)
		if err != nil {
			return Stats{}, fmt.Errorf("gen: loading %s: %w", t.name, err)
		}
		if _, err := c.ExecContext(ctx, "ANALYZE "+t.name); err != nil {
			return Stats{}, err
		}
		stats.Tables = append(stats.Tables, TableCount{t.name, rows, time.Since(start)})
	}
	return stats, nil
}

// loadTable loads one table. Building an index from scratch is much faster
// than growing it row by row, and checking a foreign key once is faster
// than checking it per row, so the table's indexes, its foreign keys and its
// primary and unique keys (unless a foreign key refers to them) are dropped
// first and restored from their own definitions after the COPY, in the
// same transaction.
func loadTable(ctx context.Context, c *sql.Conn, id tableID, model *addressModel, opts Options, tp *tape) (int64, error) {
	drops, restores, err := relax(ctx, c, tables[id].name)
	if err != nil {
		return 0, err
	}
	for _, q := range drops {
		if _, err := c.ExecContext(ctx, q); err != nil {
			return 0, err
		}
	}
	var n int64
	err = c.Raw(func(dc any) error {
		n, err = copyTable(ctx, dc, id, model, opts, tp)
		return err
	})
	if err != nil {
		return 0, err
	}
	for _, q := range restores {
		if _, err := c.ExecContext(ctx, q); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// relax returns the statements that drop the indexes and constraints of a
// table that slow down loading it, and those that restore them: keys
// before indexes before foreign keys.
func relax(ctx context.Context, c *sql.Conn, table string) (drops, restores []string, err error) {
	const query = `
		SELECT 1 AS step, 'ALTER TABLE ' || $1 || ' DROP CONSTRAINT ' || quote_ident(k.conname),
			'ALTER TABLE ' || $1 || ' ADD CONSTRAINT ' || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid)
		FROM pg_constraint k
		WHERE k.conrelid = $1::regclass AND k.contype IN ('p', 'u')
			AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = k.conindid)
		UNION ALL
		SELECT 2, 'DROP INDEX ' || i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
		FROM pg_index i
		WHERE i.indrelid = $1::regclass
			AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
		UNION ALL
		SELECT 3, 'ALTER TABLE ' || $1 || ' DROP CONSTRAINT ' || quote_ident(k.conname),
			'ALTER TABLE ' || $1 || ' ADD CONSTRAINT ' || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid)
		FROM pg_constraint k
		WHERE k.conrelid = $1::regclass AND k.contype = 'f'
		ORDER BY 1, 2`
	rows, err := c.QueryContext(ctx, query, table)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var step int
		var drop, restore string
		if err := rows.Scan(&step, &drop, &restore); err != nil {
			return nil, nil, err
		}
		drops = append(drops, drop)
		restores = append(restores, restore)
	}
	// Foreign keys go first, so that the keys they use can go too.
	slices.Reverse(drops)
	return drops, restores, rows.Err()
}

// copyTable runs the generator and streams the rows of one table through
// COPY on the driver connection dc.
func copyTable(ctx context.Context, dc any, id tableID, model *addressModel, opts Options, tp *tape) (int64, error) {
	prep, ok := dc.(driver.ConnPrepareContext)
	if !ok {
		return 0, errors.New("driver cannot prepare statements")
	}
	t := tables[id]
	st, err := prep.PrepareContext(ctx, "COPY "+t.name+" ("+t.cols+") FROM STDIN")
	if err != nil {
		return 0, err
	}
	stmt, ok := st.(copyStmt)
	if !ok {
		st.Close()
		return 0, errors.New("driver does not support COPY FROM STDIN")
	}
	w := newRowWriter(ctx, stmt)
	g := newGenerator(model, opts, id, w, tp)
	err = g.run(ctx)
	if cerr := w.close(); err == nil {
		err = cerr
	}
	return w.rows, err
}

// DemoAddress is an address of the demo company's first building.
type DemoAddress struct {
	BFE          int64  `db:"bfe_nummer"`
	HusnummerID  string `db:"husnummer_id"`
	KommuneKode  int    `db:"kommune_kode"`
	VejKode      int    `db:"vej_kode"`
	Vejnavn      string `db:"vejnavn"`
	Husnummer    string `db:"husnummer"`
	Postnummer   int    `db:"postnummer"`
	Postdistrikt string `db:"postdistrikt"`
	Dwellings    int    `db:"dwellings"`
	Residents    int    `db:"residents"`
}

// DemoBuilding returns the first stairwell of the lowest-numbered property
// currently owned by DemoOwnerCVR, with its number of dwellings and current
// residents: an address to try the landlord lookup on.
func DemoBuilding(ctx context.Context, q sqlx.QueryerContext) (DemoAddress, error) {
	const query = `
		SELECT a.bfe_nummer, a.husnummer_id, a.kommune_kode, a.vej_kode, a.vejnavn, a.husnummer,
			a.postnummer, a.postdistrikt, count(*) AS dwellings,
			(SELECT count(*) FROM person p WHERE p.kommune_kode = a.kommune_kode AND p.vej_kode = a.vej_kode
				AND p.husnummer = a.husnummer) AS residents
		FROM dar_adresse a
		WHERE a.bfe_nummer = (SELECT min(bfe_nummer) FROM ejerskab WHERE ejer_cvr = $1 AND ejet_til IS NULL)
		GROUP BY a.bfe_nummer, a.husnummer_id, a.kommune_kode, a.vej_kode, a.vejnavn, a.husnummer, a.postnummer, a.postdistrikt
		ORDER BY a.husnummer
		LIMIT 1`
	var d DemoAddress
	err := sqlx.GetContext(ctx, q, &d, query, DemoOwnerCVR)
	return d, err
}
