package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// findPgbench returns the pgbench binary: on PATH, else the newest in
// /usr/lib/postgresql/*/bin.
func findPgbench() (string, error) {
	if p, err := exec.LookPath("pgbench"); err == nil {
		return p, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pgbench")
	if len(matches) == 0 {
		return "", errors.New("pgbench not found (it comes with Debian's postgresql package)")
	}
	slices.Sort(matches)
	return matches[len(matches)-1], nil
}

var tpsLine = regexp.MustCompile(`(?m)^tps = ([0-9.]+)`)

// runPgbench runs the script file (bench/sql/NAME.sql) with pgbench in
// prepared mode: clients connections, duration, picking among n inputs.
// Latencies come from pgbench's per-transaction log, written to dir.
func runPgbench(ctx context.Context, bin, script, dbURL, dir string, clients int, duration time.Duration, n int) (result, error) {
	prefix := filepath.Join(dir, "pgbench-"+strings.TrimSuffix(filepath.Base(script), ".sql"))
	secs := max(1, int(duration.Round(time.Second).Seconds()))
	args := []string{"-n", "-M", "prepared", "-c", strconv.Itoa(clients), "-j", strconv.Itoa(min(clients, 2)),
		"-T", strconv.Itoa(secs), "-D", "n=" + strconv.Itoa(n), "-f", script, "-l", "--log-prefix=" + prefix, dbURL}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return result{}, fmt.Errorf("pgbench %s: %w\n%s", filepath.Base(script), err, out)
	}
	m := tpsLine.FindSubmatch(out)
	if m == nil {
		return result{}, fmt.Errorf("pgbench %s: no tps in its output:\n%s", filepath.Base(script), out)
	}
	tps, _ := strconv.ParseFloat(string(m[1]), 64)
	lat, err := readPgbenchLogs(prefix)
	if err != nil {
		return result{}, err
	}
	slices.Sort(lat)
	// The elapsed time that gives pgbench's own tps for the transactions logged.
	elapsed := time.Duration(float64(len(lat)) / tps * float64(time.Second))
	return result{Requests: len(lat), Elapsed: elapsed, latencies: lat}, nil
}

// readPgbenchLogs reads the latencies (third field, microseconds) of
// pgbench's per-transaction logs PREFIX.PID[.THREAD], and removes them.
func readPgbenchLogs(prefix string) ([]time.Duration, error) {
	files, err := filepath.Glob(prefix + ".*")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no pgbench logs %s.*", prefix)
	}
	var lat []time.Duration
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		s := bufio.NewScanner(f)
		for s.Scan() {
			fields := strings.Fields(s.Text())
			if len(fields) < 3 {
				continue
			}
			us, err := strconv.ParseInt(fields[2], 10, 64)
			if err != nil {
				continue
			}
			lat = append(lat, time.Duration(us)*time.Microsecond)
		}
		f.Close()
		os.Remove(name)
		if err := s.Err(); err != nil {
			return nil, err
		}
	}
	return lat, nil
}
