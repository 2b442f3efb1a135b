package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"cprgraph/access"
	"cprgraph/export"
)

// chromium returns the path of Debian's headless-capable Chromium. Without
// it the test is skipped outside CI and fails in CI (.ci/run installs it).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed, and CI must run the browser test: apt-get install -y chromium")
	}
	t.Skip("SKIP: chromium is not installed (apt-get install -y chromium); the landlord client's browser test runs in CI")
	return ""
}

// newBrowser starts headless Chromium with a fresh profile, downloading
// into dir; page errors and Content-Security-Policy violations are
// collected into problems.
func newBrowser(t *testing.T, dir string, problems *[]string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 1000),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	// The allocator makes a fresh profile folder of its own and removes it
	// once the browser has exited (a t.TempDir could be removed while
	// Chromium's helper processes still write to it).
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	chromedp.ListenTarget(ctx, func(ev any) {
		problemsMu.Lock()
		defer problemsMu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			*problems = append(*problems, "exception: "+ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.LevelError {
				*problems = append(*problems, "console: "+ev.Entry.Text)
			}
		}
	})
	err := chromedp.Run(ctx, log.Enable(),
		browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllow).WithDownloadPath(dir))
	if err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	return ctx
}

// problemsMu guards the problems a browser's listener collects.
var problemsMu sync.Mutex

// tableText reads the result table's cells.
const tableText = `Array.from(document.querySelectorAll("#beboere tbody tr")).map(tr => Array.from(tr.cells).map(td => td.textContent))`

// TestLandlordClientInBrowser drives the landlord web client (/udlejer) in
// headless Chromium: it signs in with the LANDLORD key, picks the owner
// from the viewer dropdown, types a street and takes the suggestion, runs
// a stairwell lookup, reads the table and compares it with the GraphQL
// answer, downloads every format through the page's buttons and compares
// each file with the answer, and sees a refusal in Danish. With
// CPRGRAPH_SCREENSHOT set it writes a screenshot of the result there
// (docs/udlejer.png).
func TestLandlordClientInBrowser(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var problems []string
	ctx := newBrowser(t, dir, &problems)
	env := newTestEnv(t)
	seedLandlord(t, env)

	var from, owner string
	stepCtx, cancelStep := context.WithTimeout(ctx, 30*time.Second)
	defer cancelStep()
	err := chromedp.Run(stepCtx,
		chromedp.Navigate(env.URL+"/udlejer"),
		chromedp.WaitVisible("#noegle", chromedp.ByID),
		chromedp.SendKeys("#noegle", env.Keys[access.Landlord], chromedp.ByID),
		chromedp.Click(`#login-form button[type=submit]`, chromedp.ByQuery),
		chromedp.WaitVisible("#soeg", chromedp.ByID),
		chromedp.WaitReady(`#ejer option[value="`+ownerCVR+`"]`, chromedp.ByQuery),
		chromedp.SetValue("#ejer", ownerCVR, chromedp.ByID),
		chromedp.WaitReady(`#kommune option[value="101"]`, chromedp.ByQuery),
		chromedp.SendKeys("#vej", "test", chromedp.ByID),
		chromedp.WaitReady(`#veje option[value="Testvej"]`, chromedp.ByQuery),
		chromedp.SetValue("#vej", "Testvej", chromedp.ByID),
		chromedp.SendKeys("#husnr", "1", chromedp.ByID),
		chromedp.Value("#fra", &from, chromedp.ByID),
		chromedp.Value("#ejer", &owner, chromedp.ByID),
		chromedp.Click("#soeg-knap", chromedp.ByID),
		chromedp.WaitVisible("#resultat", chromedp.ByID),
	)
	if err != nil {
		var page string
		chromedp.Run(ctx, chromedp.Evaluate(`document.getElementById("besked").textContent + " | kommune=" + document.getElementById("kommune").value + " veje=" + document.getElementById("veje").innerHTML + " vej=" + document.getElementById("vej").value + " resultat hidden=" + document.getElementById("resultat").hidden`, &page))
		t.Fatalf("sign-in and lookup: %v (page: %q; page problems: %q)", err, page, problems)
	}
	input := stairwell1()
	input["from"] = from
	input["to"] = iso(access.Today())
	a := mustLookup(t, env, input)
	if owner != ownerCVR || len(a.Rows) == 0 {
		t.Fatalf("owner %q, %d rows", owner, len(a.Rows))
	}

	var table [][]string
	var criteria string
	if err := chromedp.Run(ctx, chromedp.Evaluate(tableText, &table), chromedp.Text("#kriterier", &criteria, chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	var want [][]string
	dotted := func(iso string) string { return strings.ReplaceAll(danish(t, iso), "-", ".") }
	for _, r := range a.Rows {
		name, out, protected := "", "", "Nej"
		if r.AddressingName != nil {
			name = *r.AddressingName
		}
		if r.MoveOut != nil {
			out = dotted(*r.MoveOut)
		}
		if r.Protected {
			protected = "Ja"
		}
		want = append(want, []string{r.Address, name, dotted(r.MoveIn), out, protected})
	}
	if !slices.EqualFunc(table, want, slices.Equal) {
		t.Errorf("table:\n got %q\nwant %q", table, want)
	}
	for _, c := range []string{"CVR-nr", ownerCVR, "BFE-nr", fmt.Sprint(a.Criteria.Bfe), "Ejet fra", dotted(a.Criteria.OwnedFrom),
		"Fra dato", dotted(a.Criteria.From), "Til dato", dotted(a.Criteria.To), a.Criteria.DarHouseNumberID} {
		if !strings.Contains(criteria, c) {
			t.Errorf("criteria %q lack %q", criteria, c)
		}
	}
	if path := os.Getenv("CPRGRAPH_SCREENSHOT"); path != "" {
		var png []byte
		if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	wantTable := exportTable(t, a)
	for _, format := range []string{"xlsx", "csv", "pdf", "rtf", "xml"} {
		body := clickDownload(t, ctx, dir, format)
		switch format {
		case "csv":
			rest, _ := bytes.CutPrefix(body, []byte("\ufeff"))
			r := csv.NewReader(bytes.NewReader(rest))
			r.Comma = ';'
			got, err := r.ReadAll()
			if err != nil || !slices.EqualFunc(got, wantTable, slices.Equal) {
				t.Errorf("CSV (%v):\n got %q\nwant %q", err, got, wantTable)
			}
		case "xlsx":
			f, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("XLSX: %v", err)
			}
			got, _ := f.GetRows("Beboere")
			f.Close()
			for i := range got {
				for len(got[i]) < len(export.Columns) {
					got[i] = append(got[i], "")
				}
			}
			if !slices.EqualFunc(got, wantTable, slices.Equal) {
				t.Errorf("XLSX:\n got %q\nwant %q", got, wantTable)
			}
		case "rtf":
			if got := rtfTable(t, body); !slices.EqualFunc(got, wantTable, slices.Equal) {
				t.Errorf("RTF:\n got %q\nwant %q", got, wantTable)
			}
		case "pdf":
			strs := pdfStrings(t, body)
			if i := slices.Index(strs, export.Columns[0]); i < 0 || !slices.Equal(strs[i:], nonEmpty(wantTable)) {
				t.Errorf("PDF:\n got %q\nwant %q", strs, nonEmpty(wantTable))
			}
		case "xml":
			if !bytes.Contains(body, []byte(`<CprData u="0">`)) || bytes.Count(body, []byte("<Row ")) != len(a.Rows) {
				t.Errorf("XML: %s", body)
			}
		}
	}

	// A refusal, in Danish: the owner's CPR number does not own Testvej 1.
	var refusal string
	err = chromedp.Run(ctx,
		chromedp.SetValue("#ejer", ownerCPR, chromedp.ByID),
		chromedp.Click("#soeg-knap", chromedp.ByID),
		chromedp.WaitNotVisible("#resultat", chromedp.ByID),
		chromedp.Text("#besked", &refusal, chromedp.ByID),
	)
	if err != nil || !strings.Contains(refusal, "ikke aktuel ejer") {
		t.Errorf("refusal: %q (%v)", refusal, err)
	}
	// The period check, before any request.
	err = chromedp.Run(ctx,
		chromedp.SetValue("#ejer", ownerCVR, chromedp.ByID),
		chromedp.SetValue("#fra", iso(monthsAgo(13)), chromedp.ByID),
		chromedp.Click("#soeg-knap", chromedp.ByID),
		chromedp.Text("#besked", &refusal, chromedp.ByID),
	)
	if err != nil || !strings.Contains(refusal, "Perioden er for lang") {
		t.Errorf("period refusal: %q (%v)", refusal, err)
	}
	problemsMu.Lock()
	defer problemsMu.Unlock()
	if len(problems) > 0 {
		t.Errorf("the page logged errors (a CSP violation, a script error): %q", problems)
	}
}

// clickDownload clicks the page's download button of format and returns
// the file the browser saved.
func clickDownload(t *testing.T, ctx context.Context, dir, format string) []byte {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Click(`.downloads button[data-format="`+format+`"]`, chromedp.ByQuery)); err != nil {
		t.Fatalf("download %s: %v", format, err)
	}
	path := filepath.Join(dir, "beboere."+format)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if body, err := os.ReadFile(path); err == nil && len(body) > 0 {
			if _, err := os.Stat(path + ".crdownload"); os.IsNotExist(err) {
				time.Sleep(100 * time.Millisecond)
				body, _ = os.ReadFile(path)
				return body
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	var msg string
	chromedp.Run(ctx, chromedp.Text("#besked", &msg, chromedp.ByID))
	t.Fatalf("download %s: no file %s (page says %q)", format, path, msg)
	return nil
}
