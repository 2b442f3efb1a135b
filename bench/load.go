package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// target is one query shape against one server: the endpoint, the headers
// and the request bodies, which the load generators send in turn.
type target struct {
	url    string
	header map[string]string // besides Content-Type
	bodies [][]byte
}

// result is what one load run measured.
type result struct {
	Requests   int             // completed requests, failed ones included
	Errors     int             // non-200 answers, answers with "errors", transport errors and requests never sent
	FirstError string          // the first error, for the log
	Elapsed    time.Duration   // from the first send to the last answer
	Rate       float64         // the offered rate of a constant-rate run; 0 for closed loop
	latencies  []time.Duration // sorted
}

// Throughput is the completed requests per second.
func (r result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Quantile returns the latency at quantile q (0..1), nearest rank.
func (r result) Quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(q*float64(len(r.latencies))+0.5) - 1
	return r.latencies[max(0, min(i, len(r.latencies)-1))]
}

// newClient returns a keep-alive HTTP client for up to conns concurrent
// requests to one host.
func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
	}
}

// send posts body and reads the whole answer. An answer other than 200, or
// one holding GraphQL errors, is an error.
func (t *target) send(ctx context.Context, c *http.Client, body []byte, buf *bytes.Buffer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range t.header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	buf.Reset()
	if _, err := io.Copy(buf, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || bytes.Contains(buf.Bytes(), []byte(`"errors"`)) {
		return fmt.Errorf("status %d: %.300s", resp.StatusCode, buf.Bytes())
	}
	return nil
}

// recorder gathers the latencies and errors of one run from many workers.
type recorder struct {
	mu        sync.Mutex
	latencies []time.Duration
	errors    int
	first     string
}

func (r *recorder) add(lat []time.Duration, errs int, first string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.latencies = append(r.latencies, lat...)
	r.errors += errs
	if r.first == "" {
		r.first = first
	}
}

func (r *recorder) result(elapsed time.Duration, rate float64) result {
	slices.Sort(r.latencies)
	return result{Requests: len(r.latencies), Errors: r.errors, FirstError: r.first, Elapsed: elapsed, Rate: rate, latencies: r.latencies}
}

// worker is one goroutine's share of a run.
type worker struct {
	latencies []time.Duration
	errors    int
	first     string
	buf       bytes.Buffer
}

func (w *worker) do(ctx context.Context, t *target, c *http.Client, body []byte, since time.Time) {
	err := t.send(ctx, c, body, &w.buf)
	w.latencies = append(w.latencies, time.Since(since))
	if err != nil {
		w.errors++
		if w.first == "" {
			w.first = err.Error()
		}
	}
}

// closedLoop runs workers that each send the next request as soon as the
// previous one is answered, for the duration or until maxRequests were
// sent, whichever comes first.
func closedLoop(ctx context.Context, t *target, c *http.Client, workers int, duration time.Duration, maxRequests int) result {
	var (
		rec  recorder
		next atomic.Int64
		wg   sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(duration)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var w worker
			for {
				n := next.Add(1)
				now := time.Now()
				if n > int64(maxRequests) || now.After(deadline) || ctx.Err() != nil {
					break
				}
				w.do(ctx, t, c, t.bodies[int(n)%len(t.bodies)], now)
			}
			rec.add(w.latencies, w.errors, w.first)
		}()
	}
	wg.Wait()
	return rec.result(time.Since(start), 0)
}

// constantRate sends rate requests per second for the duration (at most
// maxRequests), each at its intended time whether or not earlier ones were
// answered, from up to workers concurrent requests. A request's latency is
// measured from its intended send time, so a server that falls behind is
// charged for the queue it causes (no coordinated omission). Requests still
// unsent a grace period after the duration are counted as errors.
func constantRate(ctx context.Context, t *target, c *http.Client, workers int, rate float64, duration time.Duration, maxRequests int) result {
	n := min(int(rate*duration.Seconds()), maxRequests)
	if n < 1 {
		n = 1
	}
	interval := time.Duration(float64(time.Second) / rate)
	jobs := make(chan time.Time, n)
	start := time.Now().Add(10 * time.Millisecond)
	cutoff := start.Add(duration + 5*time.Second)
	go func() {
		defer close(jobs)
		for i := range n {
			at := start.Add(time.Duration(i) * interval)
			if d := time.Until(at); d > 0 {
				select {
				case <-time.After(d):
				case <-ctx.Done():
					return
				}
			}
			jobs <- at
		}
	}()
	var (
		rec recorder
		wg  sync.WaitGroup
		seq atomic.Int64
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var w worker
			unsent := 0
			for at := range jobs {
				if time.Now().After(cutoff) || ctx.Err() != nil {
					unsent++
					continue
				}
				i := seq.Add(1)
				w.do(ctx, t, c, t.bodies[int(i)%len(t.bodies)], at)
			}
			first := w.first
			if unsent > 0 && first == "" {
				first = fmt.Sprintf("%d requests not sent within %s of their time", unsent, cutoff.Sub(start))
			}
			rec.add(w.latencies, w.errors+unsent, first)
		}()
	}
	wg.Wait()
	return rec.result(time.Since(start), rate)
}

// decode posts body and decodes the JSON answer into v.
func (t *target) decode(ctx context.Context, c *http.Client, body []byte, v any) error {
	var buf bytes.Buffer
	err := t.send(ctx, c, body, &buf)
	if buf.Len() == 0 {
		return err
	}
	return json.Unmarshal(buf.Bytes(), v)
}
