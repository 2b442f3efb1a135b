package access

import (
	"context"
	"strings"
	"testing"

	"cprgraph/apperr"
)

// TestPurposeSanitised: control characters (which separate the fields the
// audit hash covers) become spaces, runs collapse, invalid UTF-8 goes, and
// the purpose is cut to MaxPurpose bytes on a rune boundary.
func TestPurposeSanitised(t *testing.T) {
	for in, want := range map[string]string{
		"  Sagsbehandling  ":                    "Sagsbehandling",
		"line one\nrequest_id\r\nforged\tfield": "line one request_id forged field",
		"nul\x00and\x1bescape\u2028sep":         "nul and escape sep",
		"bad utf8 \xff\xfe here":                "bad utf8 here",
		strings.Repeat("æ", 150):                strings.Repeat("æ", 100),
	} {
		if got := CleanPurpose(in); got != want {
			t.Errorf("CleanPurpose(%q) = %q, want %q", in, got, want)
		}
	}
	if got := CleanPurpose(strings.Repeat("x", 300)); len(got) != MaxPurpose {
		t.Errorf("length %d", len(got))
	}
}

// TestAuthorizeRefusesAPurposeNotRegistered: a principal with registered
// purposes passes Authorize only with one of them; without a list any
// purpose, none included, passes.
func TestAuthorizeRefusesAPurposeNotRegistered(t *testing.T) {
	for _, tc := range []struct {
		purposes []string
		purpose  string
		want     apperr.Code
	}{
		{nil, "", ""},
		{nil, "anything", ""},
		{[]string{"Sagsbehandling", "Kontrol"}, "Kontrol", ""},
		{[]string{"Sagsbehandling"}, "Markedsføring", apperr.PurposeNotRegistered},
		{[]string{"Sagsbehandling"}, "", apperr.PurposeNotRegistered},
		{[]string{"Sagsbehandling"}, "sagsbehandling", apperr.PurposeNotRegistered},
	} {
		p := &Principal{Profile: Authority, Scopes: DefaultScopes(Authority), Purposes: tc.purposes, Purpose: tc.purpose}
		ctx, _ := WithRecord(NewContext(context.Background(), p), "r")
		_, err := Authorize(ctx, OpPerson)
		got := apperr.Code("")
		if err != nil {
			got = apperr.CodeOf(err)
		}
		if got != tc.want {
			t.Errorf("purposes %q, purpose %q: %v, want %q", tc.purposes, tc.purpose, err, tc.want)
		}
		if rec := RecordFrom(ctx); tc.want != "" && len(rec.Operations()) != 0 {
			t.Errorf("purposes %q, purpose %q: a refused call was recorded", tc.purposes, tc.purpose)
		}
	}
}
