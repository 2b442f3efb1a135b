package access

import (
	"errors"
	"fmt"
	"testing"

	"cprgraph/apperr"
)

func TestRecordRefusesTheHundredAndFirstDistinctPersonOnce(t *testing.T) {
	t.Parallel()
	r := &Record{cprs: map[string]struct{}{}}
	for i := range PersonBudget {
		if err := r.AddCPR(fmt.Sprintf("01019012%02d", i)); err != nil {
			t.Fatalf("person %d: %v", i+1, err)
		}
	}
	if err := r.AddCPR("0101901200"); err != nil {
		t.Errorf("a person already read counts once: %v", err)
	}
	if err := r.AddCPR("0202902200"); apperr.CodeOf(err) != apperr.PersonBudgetExceeded {
		t.Errorf("101st person: %v", err)
	}
	if err := r.AddCPR("0202902200"); !errors.Is(err, ErrAlreadyRefused) {
		t.Errorf("101st person again: %v", err)
	}
	if n := len(r.TakeCPRs()); n != PersonBudget {
		t.Errorf("%d persons recorded, want %d", n, PersonBudget)
	}
	if err := r.AddCPR("0202902200"); err != nil {
		t.Errorf("after TakeCPRs (next subscription event) the budget starts again: %v", err)
	}
	if CheckPersonBudget(PersonBudget) != nil || apperr.CodeOf(CheckPersonBudget(PersonBudget+1)) != apperr.PersonBudgetExceeded {
		t.Error("CheckPersonBudget")
	}
}
