package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// cpuMeter tells how much of the machine's CPU other work used during a
// run, so a table row measured on a busy shared machine can be told apart:
// machine-wide busy time (/proc/stat) minus the time of the harness, its
// children (pgbench), the server and the database cluster's processes.
type cpuMeter struct {
	roots []int // the server's and the postmaster's process ids
}

// cpuSample is a reading of the meter, in clock ticks.
type cpuSample struct {
	busy, total, ours float64
}

func (m *cpuMeter) sample() cpuSample {
	var s cpuSample
	if b, err := os.ReadFile("/proc/stat"); err == nil {
		line, _, _ := strings.Cut(string(b), "\n")
		// user nice system idle iowait irq softirq steal (guest time is
		// within user and nice)
		for i, f := range strings.Fields(line)[1:] {
			if i > 7 {
				break
			}
			v, _ := strconv.ParseFloat(f, 64)
			s.total += v
			if i != 3 && i != 4 {
				s.busy += v
			}
		}
	}
	s.ours = processTicks(os.Getpid(), true)
	children := childrenOf()
	for _, root := range m.roots {
		// The root with its reaped children: backends that ended (pgbench's)
		// count too.
		s.ours += processTicks(root, true)
		for _, pid := range descendants(root, children)[1:] {
			s.ours += processTicks(pid, false)
		}
	}
	return s
}

// others is the share of the machine's CPU that other processes used
// between two samples, 0 to 1.
func others(a, b cpuSample) float64 {
	if b.total <= a.total {
		return 0
	}
	return max(0, ((b.busy-a.busy)-(b.ours-a.ours))/(b.total-a.total))
}

// processTicks is the user and system time of a process, with that of its
// waited-for children when withChildren.
func processTicks(pid int, withChildren bool) float64 {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0
	}
	s := string(b)
	_, rest, ok := strings.Cut(s[strings.LastIndexByte(s, ')')+1:], " ")
	if !ok {
		return 0
	}
	f := strings.Fields(rest) // from field 3 (state) on
	n := 2                    // utime, stime
	if withChildren {
		n = 4 // cutime, cstime
	}
	var t float64
	for i := 11; i < 11+n && i < len(f); i++ {
		v, _ := strconv.ParseFloat(f[i], 64)
		t += v
	}
	return t
}

// childrenOf maps every process to its children.
func childrenOf() map[int][]int {
	out := map[int][]int{}
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", d.Name(), "stat"))
		if err != nil {
			continue
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) > 1 {
			ppid, _ := strconv.Atoi(f[1])
			out[ppid] = append(out[ppid], pid)
		}
	}
	return out
}

// descendants returns root and all processes below it.
func descendants(root int, children map[int][]int) []int {
	out := []int{root}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}

// postmasterOf returns the process id of the local PostgreSQL server that
// runs backend, or 0 when it is not on this machine.
func postmasterOf(backend int) int {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(backend), "stat"))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}
