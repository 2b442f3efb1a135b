// Package migrations holds the numbered SQL migrations of the database,
// embedded so the binary can migrate any database it is pointed at.
package migrations

import "embed"

// FS holds the goose migration files (NNNNN_name.sql).
//
//go:embed *.sql
var FS embed.FS
