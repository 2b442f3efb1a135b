package observe

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The middleware's writer keeps what streaming transports assert: a flush
// reaches the client (server-sent events), and the status is the one
// written.
func TestMiddlewareWriter(t *testing.T) {
	t.Parallel()
	m := NewMetrics()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /stream", func(w http.ResponseWriter, r *http.Request) {
		flusher, ok := w.(http.Flusher)
		if !ok {
			t.Error("the writer is no http.Flusher")
			return
		}
		if _, ok := w.(http.Hijacker); !ok {
			t.Error("the writer is no http.Hijacker")
		}
		w.WriteHeader(http.StatusAccepted)
		flusher.Flush()
	})
	rec := httptest.NewRecorder()
	m.Middleware(mux).ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/stream?query=secret", nil))
	if !rec.Flushed || rec.Code != http.StatusAccepted {
		t.Fatalf("flushed=%v code=%d", rec.Flushed, rec.Code)
	}
	metrics := httptest.NewRecorder()
	m.Handler().ServeHTTP(metrics, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if !strings.Contains(metrics.Body.String(), `cprgraph_http_requests_total{code="202",method="POST",route="POST /stream"} 1`) {
		t.Errorf("request not counted by route:\n%s", metrics.Body.String())
	}
}

func TestOperationNames(t *testing.T) {
	t.Parallel()
	n := &operationNames{max: 2, seen: map[string]bool{}}
	if got := n.label(""); got != "anonymous" {
		t.Errorf(`label("") = %q`, got)
	}
	got := []string{n.label("A"), n.label("B"), n.label("C"), n.label("A"), n.label("Person0101801234")}
	if strings.Join(got, ",") != "A,B,other,A,other" {
		t.Errorf("labels: %v", got)
	}
	m := NewMetrics()
	if m.names.label("Person0101801234") != "PersonXXXXXX-XXXX" {
		t.Error("a CPR-like number in an operation name is not masked")
	}
}
