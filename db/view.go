package db

import (
	"context"
	"database/sql"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// View is the point in time a register read answers for, in both of the
// register's times: AsOf is validity time (what held on that day), KnownAt
// registration time (what the register had been told by that instant,
// corrections imported later unseen). The zero View is the register as it
// stands. Protection is never read in a View: name_address_protected
// judges it today, from the current tables, whatever the View.
type View struct {
	AsOf    *time.Time
	KnownAt *time.Time
}

// Current reports whether v is the register as it stands.
func (v View) Current() bool { return v.AsOf == nil && v.KnownAt == nil }

// Key returns a loader key for the CPR number read in v: the number itself
// for the current view, else the number with v appended (ViewKey splits it).
func (v View) Key(cpr string) string {
	if v.Current() {
		return cpr
	}
	var b strings.Builder
	b.WriteString(cpr)
	b.WriteString("|")
	if v.AsOf != nil {
		b.WriteString(v.AsOf.Format(time.DateOnly))
	}
	b.WriteString("|")
	if v.KnownAt != nil {
		b.WriteString(v.KnownAt.UTC().Format(time.RFC3339Nano))
	}
	return b.String()
}

// ViewKey splits a key of View.Key into the CPR number and the view.
func ViewKey(key string) (string, View) {
	cpr, rest, ok := strings.Cut(key, "|")
	if !ok {
		return key, View{}
	}
	asOf, knownAt, _ := strings.Cut(rest, "|")
	var v View
	if t, err := time.Parse(time.DateOnly, asOf); err == nil {
		v.AsOf = &t
	}
	if t, err := time.Parse(time.RFC3339Nano, knownAt); err == nil {
		v.KnownAt = &t
	}
	return cpr, v
}

// At returns the register store reading in view v. With a KnownAt every
// query reads the datatype tables as registered at that instant
// (T_known(k), migration 00100) instead of the current tables; AsOf is
// applied by the methods that read persons and histories (PersonsAsOf,
// the *History methods).
func (s *RegisterStore) At(v View) *RegisterStore {
	c := &RegisterStore{q: s.base(), view: v}
	if v.KnownAt != nil {
		c.q = knownAt{ExtContext: c.q, at: *v.KnownAt}
	}
	return c
}

// View returns the view the store reads in.
func (s *RegisterStore) View() View { return s.view }

// base is the store's connection without a registration time.
func (s *RegisterStore) base() sqlx.ExtContext {
	if k, ok := s.q.(knownAt); ok {
		return k.ExtContext
	}
	return s.q
}

// versioned are the tables with a T_version and T_known (migration 00100).
var versioned = []string{
	"personkommunikation", "personfamilie", "personkontakt", "personudvidet", "person", "deltbopael",
	"barnrelation", "foraeldremyndighedrelation", "historiskeadresser", "historiskecivilstande",
	"historiskefolkekirkeoplysninger", "historiskeforsvindgenfindoplysninger", "historiskenavneoplysninger",
	"historiskepersonnumre", "historiskerejseoplysninger", "historiskeseparationer",
	"historiskestatsborgerskaber", "notat", "umyndiggoerelsevaergerelation",
}

var (
	tableRef = regexp.MustCompile(`\b(FROM|JOIN)\s+(` + strings.Join(versioned, "|") + `)\b(\s+(?:AS\s+)?([A-Za-z_][A-Za-z0-9_]*))?`)
	keywords = map[string]bool{
		"where": true, "on": true, "left": true, "right": true, "inner": true, "full": true, "cross": true,
		"join": true, "order": true, "group": true, "limit": true, "offset": true, "union": true,
		"except": true, "intersect": true, "having": true, "window": true, "using": true, "natural": true,
	}
	maxParam = regexp.MustCompile(`\$(\d+)`)
)

// knownAt runs every query against the versions registered at instant at:
// each FROM or JOIN of a versioned table T becomes T_known($n) under the
// same alias (or T's name), $n an added parameter (none for a query
// without a versioned table, such as DAR's). Functions called by the
// query (name_address_protected) are not rewritten: they read today.
type knownAt struct {
	sqlx.ExtContext
	at time.Time
}

func (k knownAt) rewrite(query string, args []any) (string, []any) {
	if !tableRef.MatchString(query) {
		return query, args // no versioned table: no parameter to add
	}
	n := 0
	for _, m := range maxParam.FindAllStringSubmatch(query, -1) {
		if i, _ := strconv.Atoi(m[1]); i > n {
			n = i
		}
	}
	param := "$" + strconv.Itoa(n+1)
	query = tableRef.ReplaceAllStringFunc(query, func(ref string) string {
		m := tableRef.FindStringSubmatch(ref)
		alias, tail := m[4], ""
		if alias == "" || keywords[strings.ToLower(alias)] {
			alias, tail = m[2], m[3]
		}
		return m[1] + " " + m[2] + "_known(" + param + "::timestamptz) AS " + alias + tail
	})
	return query, append(args[:len(args):len(args)], k.at)
}

func (k knownAt) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	query, args = k.rewrite(query, args)
	return k.ExtContext.QueryContext(ctx, query, args...)
}

func (k knownAt) QueryxContext(ctx context.Context, query string, args ...any) (*sqlx.Rows, error) {
	query, args = k.rewrite(query, args)
	return k.ExtContext.QueryxContext(ctx, query, args...)
}

func (k knownAt) QueryRowxContext(ctx context.Context, query string, args ...any) *sqlx.Row {
	query, args = k.rewrite(query, args)
	return k.ExtContext.QueryRowxContext(ctx, query, args...)
}

func (k knownAt) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	query, args = k.rewrite(query, args)
	return k.ExtContext.ExecContext(ctx, query, args...)
}
