package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/db"
	"cprgraph/gen"
)

// population is one benchmark database holding a synthetic population
// loaded by gen, with the clients, the read-only role and the tables the
// load generators draw their inputs from.
type population struct {
	persons   int
	name      string        // database name
	url       string        // superuser URL of the database
	readerURL string        // URL of the read-only role PostGraphile connects as
	conn      *sqlx.DB      // superuser connection
	loadTime  time.Duration // gen.Load, zero when an existing database was reused
	authority string        // API key of an AUTHORITY client
	landlord  string        // API key of a LANDLORD client linked to the stairwells' owners
	in        inputs
}

// eventCount is the number of change events added to the generated
// population (which has none) so the event feed has pages to read.
const eventCount = 20000

// readerRole is the login role PostGraphile connects as: SELECT on the
// register's tables only (not on API clients, owner links or the audit log).
const readerRole = "cprgraph_bench_reader"

// openPopulation creates the database name on the server of adminURL (or
// with keep reuses it when it already holds a population of that size),
// loads the population and prepares the clients, the reader role and the
// inputs that need no running server.
func openPopulation(ctx context.Context, adminURL, name string, persons int, keep bool) (*population, error) {
	p := &population{persons: persons, name: name, url: withDatabase(adminURL, name)}
	reuse := false
	if keep {
		var err error
		if reuse, err = holdsPopulation(ctx, p.url, persons); err != nil {
			return nil, err
		}
	}
	if !reuse {
		if err := recreateDatabase(ctx, adminURL, name); err != nil {
			return nil, err
		}
	}
	conn, err := db.Open(ctx, p.url, 0)
	if err != nil {
		return nil, err
	}
	p.conn = conn
	if err := db.Migrate(ctx, conn.DB); err != nil {
		return nil, fmt.Errorf("migrate %s: %w", name, err)
	}
	if !reuse {
		if err := p.load(ctx); err != nil {
			return nil, err
		}
	}
	if err := p.prepare(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// close closes the connection and, unless keep, drops the database.
func (p *population) close(ctx context.Context, adminURL string, keep bool) error {
	p.conn.Close()
	if keep {
		return nil
	}
	admin, err := sqlx.Open("postgres", adminURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	_, err = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+pq.QuoteIdentifier(p.name)+" WITH (FORCE)")
	return err
}

func holdsPopulation(ctx context.Context, dbURL string, persons int) (bool, error) {
	conn, err := sqlx.Open("postgres", dbURL)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	var n int
	err = conn.GetContext(ctx, &n, `SELECT persons FROM bench.info`)
	if err != nil {
		return false, nil // no database, or not loaded to the end
	}
	return n == persons, nil
}

func recreateDatabase(ctx context.Context, adminURL, name string) error {
	admin, err := sqlx.Open("postgres", adminURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	for _, q := range []string{
		"DROP DATABASE IF EXISTS " + pq.QuoteIdentifier(name) + " WITH (FORCE)",
		"CREATE DATABASE " + pq.QuoteIdentifier(name),
	} {
		if _, err := admin.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// load loads the population with gen, adds change events, vacuums (as a
// production database would be), checkpoints (so the load's writes are on
// disk before the measurements, not flushed during them) and records the
// size in bench.info.
func (p *population) load(ctx context.Context) error {
	stats, err := gen.Load(ctx, p.conn, gen.Options{Persons: p.persons, Seed: 1})
	if err != nil {
		return fmt.Errorf("gen.Load %d persons: %w", p.persons, err)
	}
	p.loadTime = stats.Elapsed
	slog.Info("population loaded", "db", p.name, "persons", p.persons, "elapsed", stats.Elapsed.Round(time.Millisecond))
	if err := p.addEvents(ctx); err != nil {
		return fmt.Errorf("events: %w", err)
	}
	start := time.Now()
	if _, err := p.conn.ExecContext(ctx, "VACUUM (ANALYZE)"); err != nil {
		return err
	}
	slog.Info("vacuumed", "db", p.name, "elapsed", time.Since(start).Round(time.Millisecond))
	for _, q := range []string{
		`CHECKPOINT`,
		`CREATE SCHEMA IF NOT EXISTS bench`,
		`CREATE TABLE bench.info (persons integer NOT NULL)`,
	} {
		if _, err := p.conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	_, err = p.conn.ExecContext(ctx, `INSERT INTO bench.info VALUES ($1)`, p.persons)
	return err
}

// addEvents registers eventCount address-change events of random current
// residents through the store, as an import would.
func (p *population) addEvents(ctx context.Context) error {
	var residents []struct {
		CPR          string `db:"cpr"`
		Municipality *int   `db:"kommune_kode"`
	}
	const query = `SELECT cpr, kommune_kode FROM person TABLESAMPLE BERNOULLI (20) REPEATABLE (1)
		WHERE status = '01' AND kommune_kode IS NOT NULL LIMIT $1`
	if err := p.conn.SelectContext(ctx, &residents, query, eventCount); err != nil {
		return err
	}
	events := make([]db.Event, len(residents))
	day := time.Now().AddDate(0, 0, -7)
	for i, r := range residents {
		moved := day.AddDate(0, 0, i%7)
		data, _ := json.Marshal(map[string]string{"addressValidFrom": moved.Format(time.DateOnly)})
		events[i] = db.Event{Kind: db.EventKind("ADDRESS"), CPR: r.CPR, MunicipalityCode: r.Municipality, EffectiveDate: &moved, Data: data}
	}
	return db.NewStore(p.conn).InTx(ctx, func(tx *db.Store) error { return tx.Events.Insert(ctx, events) })
}

// prepare creates fresh API keys, the reader role and the inputs.
func (p *population) prepare(ctx context.Context) error {
	if err := p.pickInputs(ctx); err != nil {
		return fmt.Errorf("inputs: %w", err)
	}
	if err := p.createClients(ctx); err != nil {
		return fmt.Errorf("clients: %w", err)
	}
	if err := p.createReader(ctx); err != nil {
		slog.Warn("no read-only role: PostGraphile connects as the superuser", "err", err)
		p.readerURL = p.url
	}
	return p.createPgbenchTables(ctx)
}

// createClients creates (or re-keys) an AUTHORITY and a LANDLORD client;
// the landlord's organisation is linked to every owner of the stairwells.
func (p *population) createClients(ctx context.Context) error {
	return db.NewStore(p.conn).InTx(ctx, func(tx *db.Store) error {
		var err error
		if p.authority, _, err = benchClient(ctx, tx, "bench authority", access.Authority); err != nil {
			return err
		}
		var org int64
		if p.landlord, org, err = benchClient(ctx, tx, "bench landlord", access.Landlord); err != nil {
			return err
		}
		for i := range p.in.stairwells {
			p.in.stairwells[i].Organisation = org
			if err := tx.Clients.AddOwnerLink(ctx, org, p.in.stairwells[i].Owner); err != nil {
				return err
			}
		}
		return nil
	})
}

// benchClient creates the organisation and its client "bench", or gives
// the existing client a new key, and returns the key and the
// organisation's id.
func benchClient(ctx context.Context, tx *db.Store, organisation string, profile access.Profile) (string, int64, error) {
	org, err := tx.Clients.UpsertOrganisation(ctx, organisation, nil)
	if err != nil {
		return "", 0, err
	}
	c, err := tx.Clients.ClientByName(ctx, org.ID, "bench")
	var key string
	switch {
	case apperr.CodeOf(err) == apperr.NotFound:
		_, key, err = tx.Clients.CreateClient(ctx, org.ID, "bench", string(profile), access.DefaultScopes(profile))
	case err == nil:
		key, err = tx.Clients.RotateClientKey(ctx, c.ID)
	}
	return key, org.ID, err
}

// createReader creates the login role PostGraphile connects as, with SELECT
// on the register's tables and nothing else.
func (p *population) createReader(ctx context.Context) error {
	password := fmt.Sprintf("bench%016x", rand.Uint64())
	var exists bool
	if err := p.conn.GetContext(ctx, &exists, `SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)`, readerRole); err != nil {
		return err
	}
	create := "CREATE ROLE " + readerRole + " LOGIN PASSWORD " + pq.QuoteLiteral(password)
	if exists {
		create = "ALTER ROLE " + readerRole + " LOGIN PASSWORD " + pq.QuoteLiteral(password)
	}
	for _, q := range []string{
		create,
		"GRANT CONNECT ON DATABASE " + pq.QuoteIdentifier(p.name) + " TO " + readerRole,
		"GRANT USAGE ON SCHEMA public TO " + readerRole,
		"GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + readerRole,
		"REVOKE SELECT ON api_client, audit_log, organisation, owner_link, persisted_query, goose_db_version FROM " + readerRole,
	} {
		if _, err := p.conn.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	u, err := url.Parse(p.url)
	if err != nil {
		return err
	}
	u.User = url.UserPassword(readerRole, password)
	p.readerURL = u.String()
	return nil
}

// createPgbenchTables (re)creates the tables pgbench's scripts pick their
// inputs from by row number: bench.cpr (the sampled CPR numbers) and
// bench.stairwell (the landlord lookups).
func (p *population) createPgbenchTables(ctx context.Context) error {
	stairwells, err := json.Marshal(p.in.stairwells)
	if err != nil {
		return err
	}
	today := time.Now().Format(time.DateOnly)
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`CREATE SCHEMA IF NOT EXISTS bench`, nil},
		{`DROP TABLE IF EXISTS bench.cpr, bench.stairwell`, nil},
		{`CREATE TABLE bench.cpr (i integer PRIMARY KEY, cpr char(10) NOT NULL)`, nil},
		{`INSERT INTO bench.cpr SELECT n, c FROM unnest($1::text[]) WITH ORDINALITY AS t (c, n)`, []any{pq.Array(p.in.cprs)}},
		{`CREATE TABLE bench.stairwell (i integer PRIMARY KEY, org bigint, owner text, bfe bigint, hid uuid,
			ids text, from_date date, to_date date, today date)`, nil},
		{`INSERT INTO bench.stairwell
			SELECT n, s.organisation, s.owner, s.bfe, s.hid,
				(SELECT array_agg(a.id ORDER BY CASE WHEN etage ~ '^[0-9]+$' THEN etage::integer WHEN etage = 'st' THEN 0 ELSE -1 END,
					etage, side_doer_nummer)::text FROM dar_adresse a WHERE a.husnummer_id = s.hid),
				$2::date, $3::date, $3::date
			FROM ROWS FROM (json_to_recordset($1::json) AS (organisation bigint, owner text, bfe bigint, hid uuid))
				WITH ORDINALITY AS s (organisation, owner, bfe, hid, n)`,
			[]any{string(stairwells), p.in.landlordFrom, today}},
		{`ANALYZE bench.cpr, bench.stairwell`, nil},
	} {
		if _, err := p.conn.ExecContext(ctx, q.sql, q.args...); err != nil {
			return fmt.Errorf("%.60s: %w", q.sql, err)
		}
	}
	return nil
}

// withDatabase returns rawURL with its database replaced by name.
func withDatabase(rawURL, name string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return rawURL
	}
	u.Path = "/" + name
	return u.String()
}
