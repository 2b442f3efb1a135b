package breaker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lib/pq"
)

// TestOutageRefusedFastAndLoggedTwice: the first request that meets a lost
// database opens the circuit; later requests get 503 UNAVAILABLE with
// Retry-After without reaching the handler; the probe closes the circuit
// when the database answers, and the outage is logged in two lines, the
// second with the count refused.
func TestOutageRefusedFastAndLoggedTwice(t *testing.T) {
	var logs bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logs, nil)))
	defer slog.SetDefault(old)

	var down atomic.Bool
	down.Store(true)
	var reached atomic.Int64
	b := New(func(context.Context) error {
		if down.Load() {
			return syscall.ECONNREFUSED
		}
		return nil
	})
	h := b.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		if down.Load() && Observe(r.Context(), &pq.Error{Code: "57P01", Message: "terminating connection due to administrator command"}) {
			WriteUnavailable(w)
			return
		}
		w.Write([]byte("ok"))
	}))
	get := func() *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/graphql", nil))
		return w
	}
	for range 50 {
		w := get()
		var body struct {
			Errors []struct{ Extensions map[string]string }
		}
		json.Unmarshal(w.Body.Bytes(), &body)
		if w.Code != 503 || w.Header().Get("Retry-After") != "1" || len(body.Errors) != 1 || body.Errors[0].Extensions["code"] != "UNAVAILABLE" {
			t.Fatalf("during the outage: %d %v %s", w.Code, w.Header(), w.Body)
		}
	}
	if n := reached.Load(); n != 1 {
		t.Errorf("%d requests reached the handler during the outage, want 1 (the one that opened the circuit)", n)
	}
	down.Store(false)
	deadline := time.Now().Add(5 * time.Second)
	for b.Open() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if w := get(); w.Code != 200 {
		t.Fatalf("after the outage: %d %s", w.Code, w.Body)
	}
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "database outage") || !strings.Contains(lines[1], `"refused":50`) {
		t.Errorf("want two log lines, the second with refused=50:\n%s", logs.String())
	}
}

func TestObserveIgnoresOtherErrors(t *testing.T) {
	for _, err := range []error{nil, errors.New("boom"), &pq.Error{Code: "57014"}, &pq.Error{Code: "23505"}, context.Canceled} {
		if Observe(context.Background(), err) {
			t.Errorf("%v taken for an outage", err)
		}
	}
}
