package logging

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0101801234":                   Masked,
		"cpr 010180-1234 read":         "cpr " + Masked + " read",
		"a=0101801234,b=3112991234":    "a=" + Masked + ",b=" + Masked,
		"cpr_0101801234":               "cpr_" + Masked,
		"12345678901 eleven digits":    "12345678901 eleven digits",
		"cvr 12345678, 2025-01-02":     "cvr 12345678, 2025-01-02",
		"request a1b2c3d4e5f601234567": "request a1b2c3d4e5f601234567",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedactingHandler(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(NewRedactingHandler(slog.NewJSONHandler(&buf, nil))).With("with", "0101801234")
	log.Error("lookup of 0101801234 failed",
		"err", errors.New(`pq: key (cpr)=(0101801234) exists`),
		"cprs", []string{"0101801234", "020280-4321"},
		slog.Group("req", "cpr", "0101801234"),
		"n", 42)
	out := buf.String()
	if strings.Contains(out, "0101801234") || strings.Contains(out, "4321") {
		t.Fatalf("CPR number in log: %s", out)
	}
	if strings.Count(out, Masked) != 6 || !strings.Contains(out, `"n":42`) {
		t.Fatalf("unexpected log: %s", out)
	}
}

// TestRequestIDNotMasked: a request id is logged as sent, ten digits in a
// row included, so that log lines and audit rows name the same id.
func TestRequestIDNotMasked(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	slog.New(NewRedactingHandler(slog.NewJSONHandler(&buf, nil))).Info("request", RequestIDKey, "job-0101801234-7", "cpr", "0101801234")
	if out := buf.String(); !strings.Contains(out, `"request_id":"job-0101801234-7"`) || strings.Count(out, Masked) != 1 {
		t.Fatalf("unexpected log: %s", out)
	}
}
