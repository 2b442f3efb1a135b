package e2e

import (
	"bufio"
	"bytes"
	"cprgraph/logging"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// TestMain runs the package's tests — the end-to-end suite — with the
// server's own log handler (newLogHandler) writing into a buffer as well as
// to stderr, and fails the run when any log line holds person data (see
// personDataInLogs).
func TestMain(m *testing.M) {
	logs := &syncBuffer{}
	slog.SetDefault(slog.New(logging.NewJSONHandler(io.MultiWriter(logs, os.Stderr))))
	code := m.Run()
	if problems := personDataInLogs(logs.Bytes()); len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "FAIL: the end-to-end suite's logs hold person data:\n  %s\n", strings.Join(problems, "\n  "))
		code = 1
	}
	os.Exit(code)
}

var (
	// unmaskedCPR is a CPR-like number no digit touches.
	unmaskedCPR = regexp.MustCompile(`(^|[^0-9])[0-9]{6}-?[0-9]{4}([^0-9]|$)`)
	// fixturePersonData are the names and addresses of the suite's
	// fixtures: the leak test's markers (written into every name and
	// address column), and the names and streets of the other fixtures.
	fixturePersonData = regexp.MustCompile(`(?i)zqxp[0-9]n[0-9]{3}|Markørsen|Hansen|Jensen|Skjult|Hemmelig|Testvej|Andenvej|Dalslandsgade|København|Målt|Replikasen|Primærsen`)
)

// personDataInLogs checks log output: every line is one JSON object and none
// holds a CPR number or a fixture's name or address. It returns the
// offending lines, cut short.
func personDataInLogs(logs []byte) []string {
	var problems []string
	sc := bufio.NewScanner(bytes.NewReader(logs))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		var record map[string]any
		switch {
		case json.Unmarshal([]byte(line), &record) != nil:
			problems = append(problems, "not JSON: "+cut(line))
		case unmaskedCPR.MatchString(line):
			problems = append(problems, "CPR number: "+cut(line))
		case fixturePersonData.MatchString(line):
			problems = append(problems, "name or address: "+cut(line))
		}
	}
	return problems
}

func cut(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

func TestPersonDataInLogsDetected(t *testing.T) {
	t.Parallel()
	ok := `{"level":"INFO","msg":"request","request_id":"a1b2c3d4e5f60718293a4b5c","status":200,"duration_ms":1.5}
{"level":"ERROR","msg":"internal error","err":"pq: XXXXXX-XXXX"}
`
	if p := personDataInLogs([]byte(ok)); len(p) > 0 {
		t.Errorf("clean logs flagged: %v", p)
	}
	for _, bad := range []string{
		`{"msg":"lookup of 0101801234"}`,
		`{"msg":"x","cpr":"010180-1234"}`,
		`{"msg":"x","name":"Hansen,Hans"}`,
		`{"msg":"x","v":"ZqxP1n004"}`,
		`plain text 1`,
	} {
		if p := personDataInLogs([]byte(bad + "\n")); len(p) != 1 {
			t.Errorf("not flagged: %s", bad)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Bytes() []byte {
	b.mu.Lock()
	defer b.mu.Unlock()
	return bytes.Clone(b.buf.Bytes())
}
