package ingest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"cprgraph/db"
)

// stage is the temporary table a file is copied into: the datatype's
// columns and the record's line number.
const stage = "ingest_stage"

// loader imports one file of datatype d within transaction tx.
type loader struct {
	tx       *sqlx.Tx
	d        *datatype
	problems *FileError
}

// open returns the file's record reader. A CSV header that does not fit
// the datatype rejects the file at once: its rows cannot be read right.
func (l *loader) open(br *bufio.Reader, jsonl bool) (recordReader, error) {
	if jsonl {
		return newJSONLReader(br), nil
	}
	c, err := newCSVReader(br)
	if err != nil {
		return nil, err
	}
	if c.header != nil {
		if problems := headerProblems(l.d, c.header); len(problems) > 0 {
			l.problems.add(1, problems)
			return nil, l.problems
		}
	}
	return c, nil
}

// load stages the file's valid records, reports the bad ones, and when
// there are none applies the file.
func (l *loader) load(ctx context.Context, rd recordReader, res *Result) error {
	// An import is a batch job: the server's per-statement limit is for
	// requests.
	if _, err := l.tx.ExecContext(ctx, "SET LOCAL statement_timeout = 0"); err != nil {
		return err
	}
	if err := l.createStage(ctx); err != nil {
		return err
	}
	if err := l.copy(ctx, rd, res); err != nil {
		return err
	}
	if err := l.findDuplicates(ctx); err != nil {
		return err
	}
	if l.problems.Count > 0 {
		slices.SortStableFunc(l.problems.Problems, func(a, b RecordError) int { return a.Line - b.Line })
		return l.problems
	}
	return l.apply(ctx, res)
}

func (l *loader) createStage(ctx context.Context) error {
	q := fmt.Sprintf("CREATE TEMP TABLE %s (LIKE %s) ON COMMIT DROP; ALTER TABLE %[1]s ADD COLUMN ingest_line integer NOT NULL",
		stage, l.d.name)
	_, err := l.tx.ExecContext(ctx, q)
	return err
}

// copy validates every record and streams the good ones into the stage.
func (l *loader) copy(ctx context.Context, rd recordReader, res *Result) error {
	stmt, err := l.tx.PrepareContext(ctx, pq.CopyIn(stage, append(l.d.columns(), "ingest_line")...))
	if err != nil {
		return err
	}
	defer stmt.Close()
	for {
		rec, err := rd.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		res.Read++
		r, problems := l.d.validate(rec)
		if len(problems) > 0 {
			l.problems.add(rec.line, problems)
			continue
		}
		if _, err := stmt.ExecContext(ctx, r...); err != nil {
			return err
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		return err
	}
	return stmt.Close()
}

// findDuplicates reports every record whose key an earlier record of the
// file already has.
func (l *loader) findDuplicates(ctx context.Context) error {
	q := fmt.Sprintf(`SELECT ingest_line, first FROM (
			SELECT ingest_line, min(ingest_line) OVER (PARTITION BY %s) AS first FROM %s
		) d WHERE ingest_line <> first ORDER BY ingest_line`, l.d.key, stage)
	rows, err := l.tx.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var line, first int
		if err := rows.Scan(&line, &first); err != nil {
			return err
		}
		l.problems.add(line, []fieldProblem{{l.d.fieldOf(l.d.key), fmt.Sprintf("repeats the key of line %d", first)}})
	}
	return rows.Err()
}

// apply writes the staged rows and the events they imply. The table is
// locked against other writers (not readers) so that the stored rows the
// events are computed from stay put until commit.
func (l *loader) apply(ctx context.Context, res *Result) error {
	d := l.d
	if _, err := l.tx.ExecContext(ctx, fmt.Sprintf("ANALYZE %s; LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE", stage, d.name)); err != nil {
		return err
	}
	cols := d.columns()
	diff := distinct("o", "s", cols)
	countQuery := fmt.Sprintf(`SELECT count(*) FILTER (WHERE o.%[1]s IS NULL), count(*) FILTER (WHERE o.%[1]s IS NOT NULL AND %[2]s)
		FROM %[3]s s LEFT JOIN %[4]s o ON o.%[1]s = s.%[1]s`, d.key, diff, stage, d.name)
	if err := l.tx.QueryRowContext(ctx, countQuery).Scan(&res.Inserted, &res.Updated); err != nil {
		return err
	}
	res.Unchanged = res.Read - res.Inserted - res.Updated
	if q := eventsQuery(d); q != "" {
		if err := db.NewStore(l.tx).Events.Lock(ctx); err != nil {
			return err
		}
		n, err := execCount(ctx, l.tx, q)
		if err != nil {
			return err
		}
		res.Events = n
	}
	if d.name == "person" {
		n, err := execCount(ctx, l.tx, guardianMovesQuery())
		if err != nil {
			return err
		}
		res.Events += n
	}
	written, err := execCount(ctx, l.tx, upsertQuery(d))
	if err != nil {
		return err
	}
	if written != res.Inserted+res.Updated {
		return fmt.Errorf("wrote %d rows, expected %d", written, res.Inserted+res.Updated)
	}
	if d.name == "personkontakt" {
		n, err := sweep(ctx, l.tx, time.Now())
		if err != nil {
			return err
		}
		res.Events += n
	}
	return nil
}

// SweepForwardingExpiries registers, in one transaction, the
// FORWARDING_ADDRESS events of the contact addresses that expired on or
// before day (Danish calendar) while chosen, each once: an expiry changes
// the forwarding address with no record imported. Every import of
// personkontakt runs it for today; a daily job runs it for the days without
// one. It returns the number of events registered.
func SweepForwardingExpiries(ctx context.Context, conn *sqlx.DB, day time.Time) (int, error) {
	n := 0
	err := db.InTx(ctx, conn, func(tx *sqlx.Tx) error {
		var err error
		n, err = sweep(ctx, tx, day)
		return err
	})
	return n, err
}

func sweep(ctx context.Context, tx *sqlx.Tx, day time.Time) (int, error) {
	if err := db.NewStore(tx).Events.Lock(ctx); err != nil {
		return 0, err
	}
	q := fmt.Sprintf(sweepQuery, forwardingKind("k", "$1::date"))
	r, err := tx.ExecContext(ctx, q, day.In(copenhagen).Format(time.DateOnly))
	if err != nil {
		return 0, err
	}
	n, err := r.RowsAffected()
	return int(n), err
}

// copenhagen is the time zone of the register's calendar days.
var copenhagen = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// upsertQuery writes the staged rows that are new or differ from the
// stored row of their key; the others are not touched (not even locked).
func upsertQuery(d *datatype) string {
	cols := d.columns()
	var set []string
	for _, c := range cols {
		if c != d.key {
			set = append(set, c+" = EXCLUDED."+c)
		}
	}
	return fmt.Sprintf(`INSERT INTO %[1]s (%[2]s)
		SELECT %[3]s FROM %[4]s s LEFT JOIN %[1]s o ON o.%[5]s = s.%[5]s
		WHERE o.%[5]s IS NULL OR %[6]s
		ON CONFLICT (%[5]s) DO UPDATE SET %[7]s`,
		d.name, strings.Join(cols, ", "), "s."+strings.Join(cols, ", s."), stage, d.key, distinct("o", "s", cols), strings.Join(set, ", "))
}

// distinct is the condition that rows a and b differ in any of the columns.
func distinct(a, b string, cols []string) string {
	as, bs := make([]string, len(cols)), make([]string, len(cols))
	for i, c := range cols {
		as[i], bs[i] = a+"."+c, b+"."+c
	}
	return fmt.Sprintf("ROW(%s) IS DISTINCT FROM ROW(%s)", strings.Join(as, ", "), strings.Join(bs, ", "))
}

func execCount(ctx context.Context, tx *sqlx.Tx, q string) (int, error) {
	r, err := tx.ExecContext(ctx, q)
	if err != nil {
		return 0, err
	}
	n, err := r.RowsAffected()
	return int(n), err
}

// columns lists d's columns in the order of its fields.
func (d *datatype) columns() []string {
	cols := make([]string, len(d.fields))
	for i, f := range d.fields {
		cols[i] = f.column
	}
	return cols
}

// fieldOf returns the seed 004 name of a column of d.
func (d *datatype) fieldOf(column string) string {
	for _, f := range d.fields {
		if f.column == column {
			return f.name
		}
	}
	return column
}

// safe drops from a PostgreSQL error what its message, detail or context
// may quote from the data, keeping the condition and the object it
// concerns.
func safe(err error) error {
	var pe *pq.Error
	if !errors.As(err, &pe) {
		return err
	}
	where := strings.Join(nonEmpty(pe.Table, pe.Column, pe.Constraint), " ")
	return fmt.Errorf("database: %s %s", pe.Code.Name(), where)
}

func nonEmpty(list ...string) []string {
	var out []string
	for _, s := range list {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
