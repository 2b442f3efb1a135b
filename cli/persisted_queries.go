package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"cprgraph/db"
	"cprgraph/graph"
)

const persistedQueriesUsage = `usage: cprgraph persisted-queries <command>

  register FILE_OR_DIR...   register .graphql documents (folders: every .graphql file in them);
                            prints each document's sha256, the hash clients send
  list                      every registered document: sha256, operations, registration time

A document is registered under the SHA-256 of its exact bytes; every one must
parse and validate against the server's schema, or nothing is registered.`

// PersistedQueries runs one `cprgraph persisted-queries` subcommand.
func PersistedQueries(ctx context.Context, store *db.Store, args []string, out io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(out, persistedQueriesUsage)
		return errors.New("persisted-queries: no command given")
	}
	switch args[0] {
	case "register":
		return registerDocuments(ctx, store, args[1:], out)
	case "list":
		return listDocuments(ctx, store, out)
	}
	fmt.Fprintln(out, persistedQueriesUsage)
	return fmt.Errorf("persisted-queries: unknown command %q", args[0])
}

// registerDocuments registers every .graphql file of paths in one
// transaction, after checking all of them against the schema.
func registerDocuments(ctx context.Context, store *db.Store, paths []string, out io.Writer) error {
	files, err := graphqlFiles(paths)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New("persisted-queries register: no .graphql files given")
	}
	schema := graph.NewExecutableSchema(graph.Config{}).Schema()
	documents := make([]string, len(files))
	names := make([][]string, len(files))
	var problems []error
	for i, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		documents[i] = string(data)
		if names[i], err = operationNames(schema, documents[i]); err != nil {
			problems = append(problems, fmt.Errorf("%s: %w", file, err))
		}
	}
	if err := errors.Join(problems...); err != nil {
		return err
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	err = store.InTx(ctx, func(tx *db.Store) error {
		for i, file := range files {
			q, err := tx.PersistedQueries.Register(ctx, documents[i], names[i])
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "%s\t%s\t%s\n", q.SHA256, file, strings.Join(q.OperationNames, ","))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return w.Flush()
}

// operationNames parses and validates document against schema and returns
// the names of its operations.
func operationNames(schema *ast.Schema, document string) ([]string, error) {
	doc, err := parser.ParseQuery(&ast.Source{Input: document})
	if err != nil {
		return nil, err
	}
	if errs := validator.Validate(schema, doc); len(errs) > 0 {
		return nil, errs
	}
	if len(doc.Operations) == 0 {
		return nil, errors.New("no operation")
	}
	names := []string{}
	for _, op := range doc.Operations {
		if op.Name != "" {
			names = append(names, op.Name)
		}
	}
	return names, nil
}

// graphqlFiles returns the files named and the .graphql files in the
// folders named, sorted by path within each folder.
func graphqlFiles(paths []string) ([]string, error) {
	var files []string
	for _, path := range paths {
		info, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			files = append(files, path)
			continue
		}
		err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && filepath.Ext(p) == ".graphql" {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

func listDocuments(ctx context.Context, store *db.Store, out io.Writer) error {
	queries, err := store.PersistedQueries.List(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "SHA256\tOPERATIONS\tREGISTERED")
	for _, q := range queries {
		fmt.Fprintf(w, "%s\t%s\t%s\n", q.SHA256, strings.Join(q.OperationNames, ","), q.RegisteredAt.Format("2006-01-02 15:04:05"))
	}
	return w.Flush()
}
