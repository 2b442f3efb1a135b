package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPgbenchScriptsFollowTheStore checks that pgbench runs the SQL cprgraph
// runs: the statements of bench/sql are copies of constants in package db,
// with the parameters replaced by pgbench variables.
func TestPgbenchScriptsFollowTheStore(t *testing.T) {
	t.Parallel()
	consts := storeConstants(t)
	for _, c := range []struct {
		script, function, constant string
		params                     []string // $1, $2, ... become these
	}{
		{"point.sql", "PersonsByCPR", "byNumber", []string{"(SELECT cpr FROM bench.cpr WHERE i = :i)"}},
		{"landlord.sql", "residents", "query", []string{":ids", ":owned_from", ":from_date", ":to_date"}},
	} {
		stored, ok := consts[c.function+"."+c.constant]
		if !ok {
			t.Fatalf("no constant %s in %s of package db", c.constant, c.function)
		}
		for i := len(c.params); i > 0; i-- {
			stored = strings.ReplaceAll(stored, "$"+strconv.Itoa(i), c.params[i-1])
		}
		script, err := os.ReadFile(filepath.Join("sql", c.script))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(squeeze(string(script)), squeeze(stored)+";") {
			t.Errorf("bench/sql/%s does not run %s's %s as package db has it now:\n%s", c.script, c.function, c.constant, stored)
		}
	}
}

// squeeze collapses runs of white space into one space.
func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }

// storeConstants evaluates the string constants of package db: the
// package's own by name, and those declared in a function as
// FUNCTION.NAME.
func storeConstants(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join("..", "db", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	exprs := map[string]ast.Expr{}
	local := map[string]map[string]ast.Expr{}
	addSpecs := func(into map[string]ast.Expr, decl *ast.GenDecl) {
		if decl.Tok != token.CONST {
			return
		}
		for _, spec := range decl.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					into[name.Name] = vs.Values[i]
				}
			}
		}
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				addSpecs(exprs, d)
			case *ast.FuncDecl:
				scope := map[string]ast.Expr{}
				ast.Inspect(d, func(n ast.Node) bool {
					if g, ok := n.(*ast.GenDecl); ok {
						addSpecs(scope, g)
					}
					return true
				})
				local[d.Name.Name] = scope
			}
		}
	}
	var eval func(e ast.Expr, scope map[string]ast.Expr) (string, bool)
	eval = func(e ast.Expr, scope map[string]ast.Expr) (string, bool) {
		switch e := e.(type) {
		case *ast.BasicLit:
			s, err := strconv.Unquote(e.Value)
			return s, err == nil && e.Kind == token.STRING
		case *ast.ParenExpr:
			return eval(e.X, scope)
		case *ast.BinaryExpr:
			x, ok1 := eval(e.X, scope)
			y, ok2 := eval(e.Y, scope)
			return x + y, ok1 && ok2 && e.Op == token.ADD
		case *ast.Ident:
			if v, ok := scope[e.Name]; ok {
				return eval(v, scope)
			}
			if v, ok := exprs[e.Name]; ok {
				return eval(v, nil)
			}
		}
		return "", false
	}
	out := map[string]string{}
	for name, e := range exprs {
		if s, ok := eval(e, nil); ok {
			out[name] = s
		}
	}
	for fn, scope := range local {
		for name, e := range scope {
			if s, ok := eval(e, scope); ok {
				out[fn+"."+name] = s
			}
		}
	}
	return out
}
