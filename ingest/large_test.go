package ingest_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"cprgraph/cpr"
	"cprgraph/db/dbtest"
	"cprgraph/ingest"
)

// TestLargeImport imports a generated person file of 20,000 records, or
// 200,000 with CPRGRAPH_LARGE_IMPORT set, then imports it again, and logs
// the rates:
//
//	CPRGRAPH_LARGE_IMPORT=1 go test -run TestLargeImport -v ./ingest/
//
// It is not parallel, so that the heap it measures is its own.
func TestLargeImport(t *testing.T) {
	n := 20_000
	if os.Getenv("CPRGRAPH_LARGE_IMPORT") != "" {
		n = 200_000
	}
	conn := dbtest.New(t)
	path := filepath.Join(t.TempDir(), "person.jsonl")
	size := writePersons(t, path, n)

	var first ingest.Result
	peak := peakHeapGrowth(func() { first = importFile(t, conn, path) })
	t.Logf("%d records, %d MiB: %v; peak heap growth %d MiB", n, size>>20, first, peak>>20)
	if first.Read != n || first.Inserted != n || first.Events != n {
		t.Errorf("first import: %+v", first)
	}
	// The file is never held in memory: the heap grows by far less than
	// the 200,000-record file (about 60 MiB).
	const limit = 32 << 20
	if peak > limit {
		t.Errorf("heap grew by %d MiB, limit %d MiB", peak>>20, limit>>20)
	}

	again := importFile(t, conn, path)
	t.Logf("re-import: %v", again)
	if again.Unchanged != n || again.Events != 0 || again.Inserted+again.Updated != 0 {
		t.Errorf("re-import: %+v", again)
	}
}

// writePersons writes n person records with distinct synthetic CPR numbers
// and returns the file's size.
func writePersons(t *testing.T, path string, n int) int64 {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	municipalities := cpr.Municipalities()
	first := time.Date(1925, 1, 1, 0, 0, 0, 0, time.UTC)
	const days = 36_500
	for i := range n {
		birth := first.AddDate(0, 0, i%days)
		sex := []cpr.Sex{cpr.Female, cpr.Male}[i%2]
		number, err := cpr.New(birth, i/days, sex)
		if err != nil {
			t.Fatal(err)
		}
		m := municipalities[i%len(municipalities)].Code
		fmt.Fprintf(w, `{"cpr":"%[1]s","fornavn":"Fornavn%[2]d","efternavn":"Efternavn%[2]d","adresseringsNavn":"Efternavn%[2]d,Fornavn%[2]d",`+
			`"koen":"%[3]s","foedselsdato":"%[4]s","status":"01","statusDato":"%[4]sT00:00:00","kommuneKode":%[5]d,"vejKode":%[6]d,`+
			`"vejnavn":"Vej %[6]d","husnummer":"%[7]d","etage":"%[8]d","sideDoerNummer":"th","postnummer":%[9]d,"postdistrikt":"By %[9]d"}`+"\n",
			number, i, sex, birth.Format(time.DateOnly), m, i%900+1, i%99+1, i%5, 1000+i%8000)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	info, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

// peakHeapGrowth runs fn and returns by how much the heap's live objects
// grew at most meanwhile, sampled every few milliseconds.
func peakHeapGrowth(fn func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	runtime.GC()
	base := read()
	done, peakc := make(chan struct{}), make(chan uint64)
	go func() {
		peak := base
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, read())
			select {
			case <-done:
				peakc <- peak
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	return <-peakc - base
}
