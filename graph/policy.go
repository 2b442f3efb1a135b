package graph

import (
	"context"
	"errors"
	"reflect"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/cpr"
)

// masker is the field middleware every field of every response passes
// through. It asks access whether the principal may read the field at all
// (scopes apply to nested fields too). When the object a field belongs to
// is an access.Subject, it notes the subject's CPR number in the request's
// audit record (failing the field with PERSON_BUDGET_EXCEEDED when that is
// a person beyond the request's access.PersonBudget); when the principal
// must not see the subject's name and address, it answers null for every
// field the schema does not mark @unmasked — without running its resolver.
// Masking is deny-by-default: a field added later is masked until someone
// marks it @unmasked.
//
// Every CPR number that leaves in the answer is noted too, whatever type
// it sits on (see recorded): a field whose value is a CPR number
// (relatives' numbers, an event's old number, the audit log's own), the
// subjects a field returns even when none of their fields is selected (an
// existence answer such as rows { __typename }), and the CPR numbers among
// a root field's arguments once the call got past the access gate (the
// answer, data or NOT_FOUND, tells whether they exist).
type masker struct {
	// subjectTypes are the object types the schema marks @subject.
	subjectTypes map[string]bool
}

func newMasker(schema *ast.Schema) masker {
	m := masker{subjectTypes: map[string]bool{}}
	for name, t := range schema.Types {
		if t.Directives.ForName("subject") != nil {
			m.subjectTypes[name] = true
		}
	}
	return m
}

func (m masker) aroundFields(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil {
		return next(ctx)
	}
	if err := access.AuthorizeField(ctx, fc.Object, fc.Field.Name); err != nil {
		return nil, err
	}
	if !m.subjectTypes[fc.Object] {
		return recorded(ctx, fc, next)
	}
	// A subject with no parent field is the root value of a subscription
	// event (gqlgen marshals those without the subscription's field
	// context): it cannot be read, so it fails closed too.
	var subject access.Subject
	ok := fc.Parent != nil
	if ok {
		subject, ok = subjectOf(fc.Parent.Result)
	}
	if !ok {
		// A @subject type bound to a value that cannot say whether it is
		// protected: fail closed.
		return nil, apperr.Errorf(apperr.Internal, "unmaskable subject %s", fc.Object)
	}
	// Every subject is recorded, masked ones too: the audit log answers a
	// protected person's "who looked me up" as well (its readers see
	// protected persons' numbers only as access.AuditNumbersShown says).
	// Beyond the request's person budget the subject is not shown at all;
	// the first of its fields reports why, and so does a non-null one
	// (which cannot be null).
	if err := access.RecordFrom(ctx).AddCPR(subject.SubjectCPR()); errors.Is(err, access.ErrAlreadyRefused) {
		if fc.Field.Definition.Type.NonNull {
			return nil, access.ErrPersonBudget(access.PersonBudget + 1)
		}
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if fc.Field.Definition.Directives.ForName("unmasked") == nil &&
		access.Masks(access.FromContext(ctx), subject) {
		return nil, nil
	}
	if fc.Object == "Person" && access.WithholdsReplaced(subject, fc.Field.Name) {
		return nil, nil
	}
	return recorded(ctx, fc, next)
}

// recorded resolves the field and notes every CPR number its answer
// carries in the request's audit record: the arguments of a root query or
// subscription field unless the gate refused the call
// (access.RefusedAtGate), and the value.
func recorded(ctx context.Context, fc *graphql.FieldContext, next graphql.Resolver) (any, error) {
	res, err := next(ctx)
	rec := access.RecordFrom(ctx)
	if fc.Object == "Query" || fc.Object == "Subscription" {
		if !access.RefusedAtGate(err) {
			for _, v := range fc.Args {
				recordCPRs(rec, reflect.ValueOf(v), maxArgDepth)
			}
		}
	}
	if err == nil {
		recordValue(rec, res)
	}
	return res, err
}

// maxArgDepth bounds how deeply recordCPRs looks into an argument (input
// objects, lists of them).
const maxArgDepth = 4

// recordCPRs notes every string in v that is a CPR number, looking through
// pointers, interfaces, lists, maps and struct fields depth levels deep.
func recordCPRs(rec *access.Record, v reflect.Value, depth int) {
	if depth < 0 || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			recordCPRs(rec, v.Elem(), depth)
		}
	case reflect.String:
		addIfCPR(rec, v.String())
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			recordCPRs(rec, v.Index(i), depth-1)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			recordCPRs(rec, it.Value(), depth-1)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				recordCPRs(rec, v.Field(i), depth-1)
			}
		}
	}
}

func addIfCPR(rec *access.Record, s string) {
	if n, err := cpr.Parse(s); err == nil {
		rec.AddCPR(string(n))
	}
}

// recordValue notes the CPR numbers of a field's value: a string (or list
// of strings) that is one, and the subjects it holds up to maxSubjectDepth
// levels down (a list of persons, a connection's edges' nodes).
func recordValue(rec *access.Record, v any) {
	if v == nil {
		return
	}
	rv := reflect.ValueOf(v)
	str := reflect.Indirect(rv)
	switch {
	case str.Kind() == reflect.String:
		addIfCPR(rec, str.String())
	case rv.Kind() == reflect.Slice && (rv.Type().Elem().Kind() == reflect.String ||
		rv.Type().Elem().Kind() == reflect.Pointer && rv.Type().Elem().Elem().Kind() == reflect.String):
		recordCPRs(rec, rv, 1)
	default:
		recordSubjects(rec, rv, maxSubjectDepth)
	}
}

// maxSubjectDepth is how deeply recordValue looks for subjects in a value:
// enough for connection → edges → edge → node.
const maxSubjectDepth = 3

func recordSubjects(rec *access.Record, v reflect.Value, depth int) {
	if depth < 0 || !v.IsValid() || !mayHoldSubject(v.Type(), depth) {
		return
	}
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		return
	}
	if v.CanInterface() {
		if s, ok := subjectOf(v.Interface()); ok {
			rec.AddCPR(s.SubjectCPR())
			return
		}
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		recordSubjects(rec, v.Elem(), depth)
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			e := v.Index(i)
			if e.CanAddr() && e.Kind() == reflect.Struct {
				e = e.Addr() // subjects are methods on pointers
			}
			recordSubjects(rec, e, depth-1)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); v.Type().Field(i).IsExported() && (f.Kind() == reflect.Pointer || f.Kind() == reflect.Slice || f.Kind() == reflect.Interface) {
				recordSubjects(rec, f, depth-1)
			}
		}
	}
}

// subjectType is access.Subject's type.
var subjectType = reflect.TypeFor[access.Subject]()

type typeDepth struct {
	t     reflect.Type
	depth int
}

// holdsSubject caches mayHoldSubject's answers: field values are of few types.
var holdsSubject sync.Map // typeDepth → bool

// mayHoldSubject reports whether recordSubjects could find a subject in a
// value of type t depth levels deep, following its walk over the type
// instead of the value: false only when it surely finds none (an address,
// a list of dates), so it can skip the walk.
func mayHoldSubject(t reflect.Type, depth int) bool {
	if depth < 0 {
		return false
	}
	key := typeDepth{t, depth}
	if v, ok := holdsSubject.Load(key); ok {
		return v.(bool)
	}
	var may bool
	switch {
	case t.Kind() == reflect.Interface, t.Implements(subjectType), reflect.PointerTo(t).Implements(subjectType):
		may = true
	case t.Kind() == reflect.Pointer:
		may = mayHoldSubject(t.Elem(), depth)
	case t.Kind() == reflect.Slice, t.Kind() == reflect.Array:
		may = mayHoldSubject(t.Elem(), depth-1)
	case t.Kind() == reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			k := f.Type.Kind()
			if f.IsExported() && (k == reflect.Pointer || k == reflect.Slice || k == reflect.Interface) && mayHoldSubject(f.Type, depth-1) {
				may = true
				break
			}
		}
	}
	holdsSubject.Store(key, may)
	return may
}

// subjectOf finds an access.Subject in a field result, looking through
// pointers (list items are held as pointers to elements).
func subjectOf(v any) (access.Subject, bool) {
	if s, ok := v.(access.Subject); ok {
		return s, true
	}
	rv := reflect.ValueOf(v)
	for rv.Kind() == reflect.Pointer && !rv.IsNil() {
		rv = rv.Elem()
		if s, ok := rv.Interface().(access.Subject); ok {
			return s, true
		}
	}
	return nil, false
}
