package graph

import (
	"context"
	"errors"
	"reflect"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"cprgraph/access"
	"cprgraph/apperr"
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
		return next(ctx)
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
	return next(ctx)
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
