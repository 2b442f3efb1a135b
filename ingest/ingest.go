// Package ingest imports files of the seed 004 datatypes ("CPR Udvidet")
// into the register and registers the change events they imply.
//
// A file holds one datatype, as JSON Lines (.jsonl, .ndjson: one object per
// line) or CSV (.csv: a header row, comma or semicolon separated). Field
// names are exactly those of seed 004 (adresseringsNavn, UdrejseDatoMarkering);
// an empty value or JSON null is an absent field. The datatype is the file
// name up to the first "_" or "." (person.jsonl, person_2026-11-23.jsonl,
// historiskeadresser.csv) unless Options.Datatype names it.
//
// Every record is checked against seed 004 before anything is written: the
// field is known, required fields are present, text fits the field's length,
// int(n) fields hold at most n digits, dates read as YYYY-MM-DD (datetimes
// may add a time of day), CPR numbers pass cpr.Parse, codes are in their
// value set, the rules between fields hold, and no key occurs twice. A file
// is applied in one transaction, all or nothing: with any bad record nothing
// is written and every problem is reported as file:line: field: reason (the
// first MaxReported of them, and their count). A problem never quotes the
// value, so no CPR number or name reaches a log.
//
// Records are upserted by the datatype's key (cpr or id); a record equal to
// the stored row changes nothing, so re-importing a file is a no-op. The
// importer never deletes. Each file streams through a temporary table
// (COPY), so memory stays constant however large the file; the set-based
// upsert and the event registration (see eventRules) then run in SQL.
package ingest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/db"
)

// MaxReported caps the problems a FileError lists.
const MaxReported = 100

// Options tune an import.
type Options struct {
	// Datatype is the seed 004 datatype of every file, such as "person";
	// empty: each file's is taken from its name.
	Datatype string
}

// Result tells what importing one file did.
type Result struct {
	File      string
	Datatype  string
	Read      int // records in the file
	Inserted  int // new keys
	Updated   int // stored rows that changed
	Unchanged int // records equal to the stored row
	Events    int // change events registered
	Elapsed   time.Duration
}

// Rate returns the records read per second.
func (r Result) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Read) / r.Elapsed.Seconds()
}

func (r Result) String() string {
	return fmt.Sprintf("%s (%s): %d read, %d inserted, %d updated, %d unchanged, %d events in %s (%.0f records/s)",
		r.File, r.Datatype, r.Read, r.Inserted, r.Updated, r.Unchanged, r.Events, r.Elapsed.Round(time.Millisecond), r.Rate())
}

// RecordError is one problem with one record of a file. Field is "" when
// the line as a whole is unreadable.
type RecordError struct {
	File   string
	Line   int
	Field  string
	Reason string
}

func (e RecordError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s:%d: %s: %s", e.File, e.Line, e.Field, e.Reason)
}

// FileError rejects a file with bad records; nothing of the file was
// written.
type FileError struct {
	File       string
	Problems   []RecordError // the first MaxReported problems found, by line
	Count      int           // all problems
	BadRecords int           // records with at least one problem
}

// Error lists the problems, one a line, after a summary line.
func (e *FileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: rejected, nothing imported: %d bad records, %d problems", e.File, e.BadRecords, e.Count)
	for _, p := range e.Problems {
		b.WriteString("\n" + p.Error())
	}
	if more := e.Count - len(e.Problems); more > 0 {
		fmt.Fprintf(&b, "\n… and %d more", more)
	}
	return b.String()
}

// add records the problems of one record.
func (e *FileError) add(line int, problems []fieldProblem) {
	e.BadRecords++
	for _, p := range problems {
		e.Count++
		if len(e.Problems) < MaxReported {
			e.Problems = append(e.Problems, RecordError{File: e.File, Line: line, Field: p.field, Reason: p.reason})
		}
	}
}

// Run imports the files in order, each in its own transaction, and prints a
// line per file to out: its counts, time and rate, or why it was rejected.
// A rejected file does not stop the others; Run then returns an error
// naming how many were rejected.
func Run(ctx context.Context, conn *sqlx.DB, paths []string, opt Options, out io.Writer) error {
	failed := 0
	for _, path := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		res, err := ImportFile(ctx, conn, path, opt)
		if err != nil {
			fmt.Fprintln(out, err)
			failed++
			continue
		}
		fmt.Fprintln(out, res)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d files not imported", failed, len(paths))
	}
	return nil
}

// ImportFile imports one file in one transaction. It returns a *FileError
// when records are bad; any other error also means nothing was written.
func ImportFile(ctx context.Context, conn *sqlx.DB, path string, opt Options) (Result, error) {
	start := time.Now()
	d, jsonl, err := fileType(path, opt)
	if err != nil {
		return Result{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return Result{}, err
	}
	defer f.Close()
	res := Result{File: path, Datatype: d.name}
	l := &loader{d: d, problems: &FileError{File: path}}
	err = db.InTx(ctx, conn, func(tx *sqlx.Tx) error {
		l.tx = tx
		rd, err := l.open(bufio.NewReaderSize(f, 1<<20), jsonl)
		if err != nil {
			return err
		}
		return l.load(ctx, rd, &res)
	})
	res.Elapsed = time.Since(start)
	var fe *FileError
	if err != nil && !errors.As(err, &fe) {
		err = fmt.Errorf("%s: %w", path, safe(err))
	}
	return res, err
}

// fileType returns the datatype of the file at path and whether it is JSON
// Lines (else CSV).
func fileType(path string, opt Options) (*datatype, bool, error) {
	base := strings.ToLower(filepath.Base(path))
	ext := filepath.Ext(base)
	jsonl := ext == ".jsonl" || ext == ".ndjson"
	if !jsonl && ext != ".csv" {
		return nil, false, fmt.Errorf("%s: not a .jsonl, .ndjson or .csv file", path)
	}
	name := opt.Datatype
	if name == "" {
		name, _, _ = strings.Cut(strings.TrimSuffix(base, ext), "_")
	}
	d, ok := datatypes[name]
	if !ok {
		return nil, false, fmt.Errorf("%s: %q is not a seed 004 datatype", path, name)
	}
	return d, jsonl, nil
}
