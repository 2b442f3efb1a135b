// Package cli holds the commands of the cprgraph binary besides serve:
// loading data (seed, import), managing clients (admin), checking the audit
// log (audit-verify) and registering persisted queries. Each runs on an
// open, migrated database and writes its result to out.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/jmoiron/sqlx"

	"cprgraph/gen"
	"cprgraph/ingest"
	"cprgraph/ingest/darejf"
)

// Seed loads a synthetic population into an empty register.
func Seed(ctx context.Context, conn *sqlx.DB, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	persons := fs.Int("persons", 100000, "number of persons")
	seedValue := fs.Int64("seed", 1, "the same seed gives the same population")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stats, err := gen.Load(ctx, conn, gen.Options{Persons: *persons, Seed: *seedValue})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, stats)
	return nil
}

// Import imports seed-004 datatype files, or with -type dar or -type ejf
// DAR address and EJF ownership files (package darejf), each
// all-or-nothing.
func Import(ctx context.Context, conn *sqlx.DB, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	datatype := fs.String("type", "", "seed-004 datatype of every file (default: from each file name), "+
		"or dar (DAR addresses) or ejf (EJF ownerships and EBR property locations)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *datatype == darejf.DAR || *datatype == darejf.EJF {
		return darejf.Run(ctx, conn, fs.Args(), *datatype, out)
	}
	return ingest.Run(ctx, conn, fs.Args(), ingest.Options{Datatype: *datatype}, out)
}
