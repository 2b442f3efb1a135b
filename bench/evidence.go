package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// evidence is what the server and the database did during one run: the
// usual suspects of a latency tail, read before and after the run from the
// server's /metrics and the database's statistics.
type evidence struct {
	AuditWrites  int       // requests that waited for their audit row's commit
	AuditBuckets []float64 // upper bounds (seconds) of the audit wait histogram
	AuditCounts  []float64 // cumulative counts per bucket
	GCCycles     int
	GCPause      time.Duration // stop-the-world pauses, summed
	PoolWaits    int           // waits for a free database connection
	PoolWait     time.Duration // their total
	Checkpoints  int
	Autovacuums  int // autovacuum and autoanalyze runs
	WALSyncs     int
	WALSyncTime  time.Duration // needs track_wal_io_timing (on in the bench cluster)
}

// snapshot reads the counters evidence is the difference of.
func snapshot(ctx context.Context, metricsURL string, conn *sqlx.DB) (evidence, error) {
	var e evidence
	var buf bytes.Buffer
	if err := fetch(ctx, metricsURL, &buf); err != nil {
		return e, err
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(&buf)
	if err != nil {
		return e, err
	}
	if f := families["cprgraph_audit_write_duration_seconds"]; f != nil {
		for _, m := range f.Metric {
			if label(m, "result") != "ok" {
				continue
			}
			h := m.GetHistogram()
			e.AuditWrites = int(h.GetSampleCount())
			for _, b := range h.Bucket {
				e.AuditBuckets = append(e.AuditBuckets, b.GetUpperBound())
				e.AuditCounts = append(e.AuditCounts, float64(b.GetCumulativeCount()))
			}
		}
	}
	if f := families["go_gc_duration_seconds"]; f != nil && len(f.Metric) > 0 {
		s := f.Metric[0].GetSummary()
		e.GCCycles, e.GCPause = int(s.GetSampleCount()), seconds(s.GetSampleSum())
	}
	for _, m := range families["go_sql_wait_count_total"].GetMetric() {
		if label(m, "db_name") == "primary" {
			e.PoolWaits = int(m.GetCounter().GetValue())
		}
	}
	for _, m := range families["go_sql_wait_duration_seconds_total"].GetMetric() {
		if label(m, "db_name") == "primary" {
			e.PoolWait = seconds(m.GetCounter().GetValue())
		}
	}
	var syncMS float64
	err = conn.QueryRowContext(ctx, `SELECT
		(SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter),
		(SELECT COALESCE(sum(autovacuum_count + autoanalyze_count), 0) FROM pg_stat_all_tables),
		(SELECT wal_sync FROM pg_stat_wal), (SELECT wal_sync_time FROM pg_stat_wal)`).Scan(&e.Checkpoints, &e.Autovacuums, &e.WALSyncs, &syncMS)
	e.WALSyncTime = seconds(syncMS / 1000)
	return e, err
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.Label {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// since returns what happened between before and e.
func (e evidence) since(before evidence) evidence {
	d := evidence{
		AuditWrites: e.AuditWrites - before.AuditWrites,
		GCCycles:    e.GCCycles - before.GCCycles, GCPause: e.GCPause - before.GCPause,
		PoolWaits: e.PoolWaits - before.PoolWaits, PoolWait: e.PoolWait - before.PoolWait,
		Checkpoints: e.Checkpoints - before.Checkpoints, Autovacuums: e.Autovacuums - before.Autovacuums,
		WALSyncs: e.WALSyncs - before.WALSyncs, WALSyncTime: e.WALSyncTime - before.WALSyncTime,
		AuditBuckets: e.AuditBuckets,
	}
	for i, c := range e.AuditCounts {
		if i < len(before.AuditCounts) {
			c -= before.AuditCounts[i]
		}
		d.AuditCounts = append(d.AuditCounts, c)
	}
	return d
}

// auditQuantile is the upper bound of the histogram bucket holding the
// q-quantile of the audit waits ("> 2.5 s" beyond the last bucket).
func (e evidence) auditQuantile(q float64) string {
	if e.AuditWrites == 0 {
		return "–"
	}
	want := math.Ceil(q * float64(e.AuditWrites))
	for i, c := range e.AuditCounts {
		if c >= want {
			return fmt.Sprintf("≤ %s", ms(seconds(e.AuditBuckets[i])))
		}
	}
	return fmt.Sprintf("> %s", ms(seconds(e.AuditBuckets[len(e.AuditBuckets)-1])))
}

// evidenceTable renders the evidence of cprgraph's constant-rate runs.
func (p *popResults) evidenceTable(b *strings.Builder) {
	var rows []measurement
	for _, m := range p.Runs {
		if m.Evidence != nil {
			rows = append(rows, m)
		}
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(b, "## Where the tail comes from at %d persons (cprgraph at a constant rate)\n\n", p.Persons)
	b.WriteString("What the server and the database did during each constant-rate run: the wait for the audit row's commit (bucket bounds of the server's histogram), Go's garbage collector, waits for a pooled connection, checkpoints, autovacuum and WAL flushes.\n\n")
	b.WriteString("| shape | rate | p50 ms | p99 ms | audit wait p50 ms | audit wait p99 ms | GC cycles | GC pauses ms | pool waits | pool wait ms | checkpoints | autovacuums | WAL syncs | mean WAL sync ms |\n")
	b.WriteString("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, m := range rows {
		e := m.Evidence
		meanSync := "–"
		if e.WALSyncs > 0 && e.WALSyncTime > 0 {
			meanSync = ms(e.WALSyncTime / time.Duration(e.WALSyncs))
		}
		fmt.Fprintf(b, "| %s | %.0f/s | %s | %s | %s | %s | %d | %s | %d | %s | %d | %d | %d | %s |\n", m.Shape, m.Res.Rate,
			ms(m.Res.Quantile(0.5)), ms(m.Res.Quantile(0.99)), e.auditQuantile(0.5), e.auditQuantile(0.99),
			e.GCCycles, ms(e.GCPause), e.PoolWaits, ms(e.PoolWait), e.Checkpoints, e.Autovacuums, e.WALSyncs, meanSync)
	}
	b.WriteString("\n")
}
