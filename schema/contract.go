// Package schema keeps the GraphQL schema as a contract with its clients.
// schema.graphql is the server's printed schema (written by go generate, so
// CI's check-generate sees every change); baseline.graphql is the last
// published contract. The package's tests fail when schema.graphql is stale
// and when the server breaks a client written against the baseline (see
// Breaking). To publish a new contract, copy schema.graphql over
// baseline.graphql in the change that releases it.
package schema

//go:generate go run ./print -o schema.graphql

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
)

// Print returns the schema in SDL: directives and types sorted by name,
// without the built-in ones.
func Print(s *ast.Schema) string {
	var b strings.Builder
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(s)
	return b.String()
}

// Breaking lists the changes from old to new that break a client written
// against old, graphql-inspector's "breaking" class:
//
//   - a type removed, or of another kind;
//   - a field, argument, input field or enum value removed, unless old
//     marks it @deprecated;
//   - an output field's type made nullable or otherwise changed (making it
//     non-null is safe);
//   - an argument's or input field's type made non-null or otherwise
//     changed (making it nullable is safe), or a new required one (non-null
//     without a default);
//   - a union member or an implemented interface removed.
//
// Additions (types, fields, optional arguments, enum values) are not
// breaking.
func Breaking(old, new *ast.Schema) []string {
	var out []string
	report := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	names := make([]string, 0, len(old.Types))
	for name, t := range old.Types {
		if !t.BuiltIn {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		ot, nt := old.Types[name], new.Types[name]
		switch {
		case nt == nil:
			report("type %s removed", name)
			continue
		case nt.Kind != ot.Kind:
			report("type %s changed from %s to %s", name, ot.Kind, nt.Kind)
			continue
		}
		switch ot.Kind {
		case ast.Object, ast.Interface:
			for _, of := range ot.Fields {
				if strings.HasPrefix(of.Name, "__") {
					continue
				}
				where := name + "." + of.Name
				nf := nt.Fields.ForName(of.Name)
				if nf == nil {
					if !deprecated(of.Directives) {
						report("field %s removed without being deprecated first", where)
					}
					continue
				}
				if !outputCompatible(of.Type, nf.Type) {
					report("field %s changed type from %s to %s", where, of.Type, nf.Type)
				}
				inputsBreaking(report, where+" argument", of.Arguments, nf.Arguments)
			}
			for _, iface := range ot.Interfaces {
				if !slices.Contains(nt.Interfaces, iface) {
					report("type %s no longer implements %s", name, iface)
				}
			}
		case ast.InputObject:
			inputsBreaking(report, name+" field", asArguments(ot.Fields), asArguments(nt.Fields))
		case ast.Enum:
			for _, ov := range ot.EnumValues {
				if nt.EnumValues.ForName(ov.Name) == nil && !deprecated(ov.Directives) {
					report("enum value %s.%s removed without being deprecated first", name, ov.Name)
				}
			}
		case ast.Union:
			for _, member := range ot.Types {
				if !slices.Contains(nt.Types, member) {
					report("union %s lost member %s", name, member)
				}
			}
		}
	}
	return out
}

// inputsBreaking reports the breaking changes between two lists of inputs
// (a field's arguments or an input object's fields).
func inputsBreaking(report func(string, ...any), what string, old, new ast.ArgumentDefinitionList) {
	for _, oa := range old {
		na := new.ForName(oa.Name)
		switch {
		case na == nil && !deprecated(oa.Directives):
			report("%s %s removed without being deprecated first", what, oa.Name)
		case na != nil && !inputCompatible(oa.Type, na.Type):
			report("%s %s changed type from %s to %s", what, oa.Name, oa.Type, na.Type)
		}
	}
	for _, na := range new {
		if old.ForName(na.Name) == nil && na.Type.NonNull && na.DefaultValue == nil {
			report("required %s %s added", what, na.Name)
		}
	}
}

func asArguments(fields ast.FieldList) ast.ArgumentDefinitionList {
	out := make(ast.ArgumentDefinitionList, len(fields))
	for i, f := range fields {
		out[i] = &ast.ArgumentDefinition{Name: f.Name, Type: f.Type, DefaultValue: f.DefaultValue, Directives: f.Directives}
	}
	return out
}

// outputCompatible: a client reading new gets what it expected of old.
func outputCompatible(old, new *ast.Type) bool {
	if old.NonNull && !new.NonNull {
		return false
	}
	return sameShape(old, new, outputCompatible)
}

// inputCompatible: what a client sent for old is still valid for new.
func inputCompatible(old, new *ast.Type) bool {
	if !old.NonNull && new.NonNull {
		return false
	}
	return sameShape(old, new, inputCompatible)
}

// sameShape compares the list structure and named type, checking list
// elements with elem.
func sameShape(old, new *ast.Type, elem func(old, new *ast.Type) bool) bool {
	if (old.Elem == nil) != (new.Elem == nil) {
		return false
	}
	if old.Elem != nil {
		return elem(old.Elem, new.Elem)
	}
	return old.NamedType == new.NamedType
}

func deprecated(directives ast.DirectiveList) bool {
	return directives.ForName("deprecated") != nil
}
