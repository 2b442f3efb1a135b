package access

import (
	"context"
	"errors"
	"slices"
	"sync"
)

// Record collects what one request read: the operations it was authorized
// for and the CPR numbers of every subject it returned. The GraphQL layer
// writes it to the audit log before the response leaves.
type Record struct {
	// RequestID identifies the request in logs and in the audit log.
	RequestID string

	mu         sync.Mutex
	operations []Operation
	cprs       map[string]struct{}
	refused    map[string]bool // persons beyond the budget, already reported
}

type recordKey struct{}

// WithRecord returns ctx carrying a new, empty Record for the request.
func WithRecord(ctx context.Context, requestID string) (context.Context, *Record) {
	r := &Record{RequestID: requestID, cprs: map[string]struct{}{}}
	return context.WithValue(ctx, recordKey{}, r), r
}

// RecordFrom returns the request's Record; a context without one gets a
// throwaway Record, so callers need not check.
func RecordFrom(ctx context.Context) *Record {
	if r, ok := ctx.Value(recordKey{}).(*Record); ok {
		return r
	}
	return &Record{cprs: map[string]struct{}{}}
}

func (r *Record) addOperation(op Operation) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !slices.Contains(r.operations, op) {
		r.operations = append(r.operations, op)
	}
}

// AddCPR notes that the response holds data of the person with this
// number. A person beyond the PersonBudget distinct persons of the response
// is not noted and the caller must not return that person's data: the
// first time, AddCPR returns PERSON_BUDGET_EXCEEDED (to report); after
// that, ErrAlreadyRefused (not to report again). A subscription's budget is
// per event: TakeCPRs starts the next.
func (r *Record) AddCPR(cpr string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.cprs[cpr]; ok {
		return nil
	}
	if r.refused[cpr] {
		return ErrAlreadyRefused
	}
	if len(r.cprs) >= PersonBudget {
		if r.refused == nil {
			r.refused = map[string]bool{}
		}
		r.refused[cpr] = true
		return ErrPersonBudget(len(r.cprs) + 1)
	}
	r.cprs[cpr] = struct{}{}
	return nil
}

// ErrAlreadyRefused is AddCPR's answer for a person already refused for
// the budget in this response: show nothing of it, report nothing more.
var ErrAlreadyRefused = errors.New("person already refused for the person budget")

// Operations returns the person-data operations the request was authorized
// for, sorted: fields resolve concurrently, and the order they happened to
// run in must not show in the audit log.
func (r *Record) Operations() []Operation {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.operations)
	slices.Sort(out)
	return out
}

// TakeCPRs returns the CPR numbers noted since the last call, sorted, and
// forgets them: a subscription writes one audit row per event it sends.
func (r *Record) TakeCPRs() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.cprs))
	for c := range r.cprs {
		out = append(out, c)
	}
	clear(r.cprs)
	clear(r.refused)
	slices.Sort(out)
	return out
}
