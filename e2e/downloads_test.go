package e2e

import (
	"bytes"
	"compress/zlib"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"cprgraph/access"
	"cprgraph/export"
)

// exportTable is what every download's table must hold for the answer a:
// the header, then each row in export.Columns' order, dates dd-mm-yyyy.
func exportTable(t *testing.T, a residentsAnswer) [][]string {
	t.Helper()
	code := func(n *int) string {
		if n == nil {
			return ""
		}
		return fmt.Sprintf("%04d", *n)
	}
	want := [][]string{export.Columns}
	for _, r := range a.Rows {
		name, moveOut, protected := "", "", "Nej"
		if r.AddressingName != nil {
			name = *r.AddressingName
		}
		if r.MoveOut != nil {
			moveOut = danish(t, *r.MoveOut)
		}
		if r.Protected {
			protected = "Ja"
		}
		want = append(want, []string{r.Address, name, danish(t, r.MoveIn), moveOut, protected,
			r.DarAddressID, r.DarHouseNumberID, code(r.MunicipalityCode), r.MunicipalityName,
			code(r.StreetCode), r.StreetName, r.HouseNumber, r.Floor, r.Door})
	}
	return want
}

// download fetches /export/residents.<format> as the LANDLORD client.
func download(t *testing.T, env *testEnv, format string, params url.Values) []byte {
	t.Helper()
	status, body := env.get(t, access.Landlord, "/export/residents."+format+"?"+params.Encode())
	if status != http.StatusOK {
		t.Fatalf("%s export: %d %s", format, status, body)
	}
	return body
}

var (
	pdfStream = regexp.MustCompile(`(?s)stream\r?\n(.*?)\r?\nendstream`)
	pdfText   = regexp.MustCompile(`\(((?:\\.|[^\\)])*)\)\s*Tj`)
)

// pdfStrings returns the text shown by the Tj operators of every content
// stream of a PDF, in order, decoded from Windows-1252.
func pdfStrings(t *testing.T, body []byte) []string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", body[:min(len(body), 20)])
	}
	var out []string
	for _, m := range pdfStream.FindAllSubmatch(body, -1) {
		content := m[1]
		if zr, err := zlib.NewReader(bytes.NewReader(content)); err == nil {
			if inflated, err := io.ReadAll(zr); err == nil {
				content = inflated
			}
		}
		for _, s := range pdfText.FindAllSubmatch(content, -1) {
			raw := strings.NewReplacer(`\(`, "(", `\)`, ")", `\\`, `\`, `\r`, "\r").Replace(string(s[1]))
			text, err := charmap.Windows1252.NewDecoder().String(raw)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, text)
		}
	}
	return out
}

var (
	rtfRow     = regexp.MustCompile(`(?s)\\trowd(.*?)\\row\b`)
	rtfCell    = regexp.MustCompile(`(?s)\\pard\\intbl (.*?)\\cell\b`)
	rtfUnicode = regexp.MustCompile(`\\u(-?[0-9]+)\?`)
)

// rtfTable returns the cells of every table row of an RTF document.
func rtfTable(t *testing.T, body []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(body, []byte(`{\rtf1`)) {
		t.Fatalf("not RTF: %q", body[:min(len(body), 20)])
	}
	var out [][]string
	for _, row := range rtfRow.FindAllSubmatch(body, -1) {
		var cells []string
		for _, c := range rtfCell.FindAllSubmatch(row[1], -1) {
			text := strings.TrimSuffix(strings.TrimPrefix(string(c[1]), `{\b `), "}")
			text = rtfUnicode.ReplaceAllStringFunc(text, func(m string) string {
				n, _ := strconv.Atoi(rtfUnicode.FindStringSubmatch(m)[1])
				return string(rune(uint16(int16(n))))
			})
			text = strings.NewReplacer(`\\`, `\`, `\{`, "{", `\}`, "}").Replace(text)
			cells = append(cells, text)
		}
		out = append(out, cells)
	}
	return out
}

// nonEmpty returns the non-empty cells of a table, row by row.
func nonEmpty(table [][]string) []string {
	var out []string
	for _, row := range table {
		for _, c := range row {
			if c != "" {
				out = append(out, c)
			}
		}
	}
	return out
}

// TestLandlordDownloadsMatchQuery downloads a stairwell lookup in every
// format and parses each back: CSV, XLSX and RTF hold exactly the GraphQL
// answer's table (every column, the structured address included), the
// PDF shows the same cells in the same order; the protected row shows only
// its dates and "Ja".
func TestLandlordDownloadsMatchQuery(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	a := mustLookup(t, env, stairwell1())
	want := exportTable(t, a)
	params := url.Values{"owner": {ownerCVR}, "municipalityCode": {"101"}, "streetName": {"testvej"},
		"houseNumber": {"1"}, "from": {iso(monthsAgo(12))}}
	checkDownloads(t, env, params, a)
	for _, row := range want[1:] {
		if row[4] == "Ja" && len(nonEmpty([][]string{slices.Concat(row[:2], row[5:])})) > 0 {
			t.Errorf("protected row with more than dates: %q", row)
		}
		if row[4] == "Nej" && (row[6] == "" || row[7] != "0101" || row[8] != "København" || row[9] != "1234" || row[10] != "Testvej") {
			t.Errorf("visible row without its structured address: %q", row)
		}
	}
}

// checkDownloads downloads params as CSV, XLSX, PDF and RTF and compares
// each with the GraphQL answer a.
func checkDownloads(t *testing.T, env *testEnv, params url.Values, a residentsAnswer) {
	t.Helper()
	want := exportTable(t, a)
	if got := exportCSV(t, env, params); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("CSV:\n got %q\nwant %q", got, want)
	}
	if got := exportXLSX(t, env, params); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("XLSX:\n got %q\nwant %q", got, want)
	}
	if got := rtfTable(t, download(t, env, "rtf", params)); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("RTF:\n got %q\nwant %q", got, want)
	}
	strs := pdfStrings(t, download(t, env, "pdf", params))
	if i := slices.Index(strs, export.Columns[0]); i < 0 || !slices.Equal(strs[i:], nonEmpty(want)) {
		t.Errorf("PDF:\n got %q\nwant %q", strs, nonEmpty(want))
	}
	for _, c := range []string{"Udlejersøgning", ownerCVR, strconv.Itoa(a.Criteria.Bfe), danish(t, a.Criteria.OwnedFrom)} {
		if !slices.Contains(strs, c) {
			t.Errorf("PDF criteria: %q missing from %q", c, strs)
		}
	}
}

// xmlElement is a generic XML element: name, attributes, children.
type xmlElement struct {
	XMLName  xml.Name
	Attrs    []xml.Attr   `xml:",any,attr"`
	Children []xmlElement `xml:",any"`
}

func (e xmlElement) attr(name string) (string, bool) {
	for _, a := range e.Attrs {
		if a.Name.Local == name {
			return a.Value, true
		}
	}
	return "", false
}

// shape is an element's path of names with its attribute names, and for a
// Field its r, e.g. "CprData/Rolle/Table/Row/Field[r=CPR_KOMK] @r @t @v".
func shapes(e xmlElement, parent string, out map[string]bool) {
	path := e.XMLName.Local
	if parent != "" {
		path = parent + "/" + path
	}
	key := path
	if r, ok := e.attr("r"); ok && e.XMLName.Local == "Field" {
		key += "[r=" + r + "]"
	}
	var names []string
	for _, a := range e.Attrs {
		names = append(names, "@"+a.Name.Local)
	}
	slices.Sort(names)
	out[strings.Join(append([]string{key}, names...), " ")] = true
	for _, c := range e.Children {
		shapes(c, path, out)
	}
}

// TestLandlordXMLFollowsGCTPExample validates /export/residents.xml
// against seed 000's GCTP example: every element, nesting, attribute and
// field name of the example (a row with floor and door) appears in the
// rendition, the rendition uses no element the example lacks, and its
// values are the GraphQL answer's; a protected row holds only dates and
// the marker.
func TestLandlordXMLFollowsGCTPExample(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	example, err := os.ReadFile("testdata/gctp_example.xml")
	if err != nil {
		t.Fatal(err)
	}
	var ex xmlElement
	if err := xml.Unmarshal(example, &ex); err != nil {
		t.Fatal(err)
	}
	a := mustLookup(t, env, stairwell1())
	params := url.Values{"owner": {ownerCVR}, "darHouseNumberId": {testvej1}, "from": {iso(monthsAgo(12))}}
	body := download(t, env, "xml", params)
	var got xmlElement
	if err := xml.Unmarshal(body, &got); err != nil {
		t.Fatalf("XML: %v\n%s", err, body)
	}
	want, have := map[string]bool{}, map[string]bool{}
	shapes(ex, "", want)
	shapes(got, "", have)
	for s := range want {
		if !have[s] {
			t.Errorf("XML lacks the example's %s", s)
		}
	}
	elements := map[string]bool{"CprData": true, "CprData/Rolle": true, "CprData/Rolle/Field": true,
		"CprData/Rolle/Table": true, "CprData/Rolle/Table/Row": true, "CprData/Rolle/Table/Row/Field": true}
	for s := range have {
		if path, _, _ := strings.Cut(strings.Fields(s)[0], "["); !elements[path] {
			t.Errorf("XML has an element the example lacks: %s", s)
		}
	}

	rolle := got.Children[0]
	fields := map[string]string{}
	for _, f := range rolle.Children {
		if f.XMLName.Local == "Field" {
			r, _ := f.attr("r")
			fields[r], _ = f.attr("v")
		}
	}
	compact := func(iso string) string { return strings.ReplaceAll(iso, "-", "") }
	if fields["CVR"] != ownerCVR || fields["DAR_BFE"] != strconv.Itoa(a.Criteria.Bfe) ||
		fields["EJF_EJET_FRA"] != compact(a.Criteria.OwnedFrom) || fields["CPR_TIL"] != compact(a.Criteria.To) {
		t.Errorf("XML criteria %v, answer %+v", fields, a.Criteria)
	}
	table := rolle.Children[len(rolle.Children)-1]
	if len(table.Children) != len(a.Rows) {
		t.Fatalf("XML has %d rows, the answer %d", len(table.Children), len(a.Rows))
	}
	for i, row := range table.Children {
		r := a.Rows[i]
		v := map[string]string{}
		for _, f := range row.Children {
			name, _ := f.attr("r")
			v[name], _ = f.attr("v")
			if t, ok := f.attr("t"); ok {
				v[name+"@t"] = t
			}
		}
		if r.Protected {
			if len(v) != 2 && len(v) != 3 || v["CPR_BESKYTTELSE"] != "J" || v["CPR_TILFLYT_DTO"] != compact(r.MoveIn) {
				t.Errorf("protected XML row holds more than dates and marker: %v", v)
			}
			continue
		}
		if v["DAR_ADR_UUID"] != r.DarAddressID || v["DAR_HUSNR_UUID"] != r.DarHouseNumberID || v["CPR_ADRESSE"] != r.Address ||
			v["CPR_KOMK"] != "0101" || v["CPR_KOMK@t"] != r.MunicipalityName || v["CPR_VEJK"] != "1234" || v["CPR_VEJK@t"] != r.StreetName ||
			v["CPR_HUSNUMMER"] != r.HouseNumber || v["CPR_ETAGE"] != r.Floor || v["CPR_SIDEDEOER"] != r.Door ||
			v["CPR_ADRNVN"] != *r.AddressingName || v["CPR_BESKYTTELSE"] != "N" {
			t.Errorf("XML row %d %v, answer %+v", i, v, r)
		}
	}
}

// TestViewerAndStreets: the viewer query tells a LANDLORD its owner numbers
// and every other profile none; streets suggests the register's streets.
func TestViewerAndStreets(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seedLandlord(t, env)
	const q = `{ viewer { clientName organisationId organisationName profile scopes ownerNumbers } }`
	r := env.query(t, access.Landlord, q, nil)
	if len(r.Errors) > 0 || !strings.Contains(r.Raw, `"ownerNumbers":["`) || !strings.Contains(r.Raw, ownerCVR) ||
		!strings.Contains(r.Raw, `"profile":"LANDLORD"`) {
		t.Errorf("LANDLORD viewer: %s", r.Raw)
	}
	for _, p := range []access.Profile{access.Authority, access.Private, access.Admin} {
		if r := env.query(t, p, q, nil); len(r.Errors) > 0 || !strings.Contains(r.Raw, `"ownerNumbers":[]`) {
			t.Errorf("%s viewer: %s", p, r.Raw)
		}
	}
	if r := env.query(t, "", q, nil); r.code() != "UNAUTHENTICATED" {
		t.Errorf("anonymous viewer: %s", r.Raw)
	}
	r = env.query(t, access.Landlord, `{ streets(municipalityCode: 101, prefix: "test") { municipalityCode code name } }`, nil)
	if len(r.Errors) > 0 || !strings.Contains(r.Raw, `{"municipalityCode":101,"code":1234,"name":"Testvej"}`) {
		t.Errorf("streets: %s", r.Raw)
	}
	for _, args := range []string{`prefix: ""`, `prefix: "t", first: 51`} {
		if r := env.query(t, access.Landlord, `{ streets(municipalityCode: 101, `+args+`) { name } }`, nil); r.code() != "BAD_USER_INPUT" {
			t.Errorf("streets(%s): %s", args, r.Raw)
		}
	}
	if r := env.query(t, access.Landlord, `{ streets(municipalityCode: 101, prefix: "%") { name } }`, nil); len(r.Errors) > 0 || strings.Contains(r.Raw, "Testvej") {
		t.Errorf("streets(%%) matches as a wildcard: %s", r.Raw)
	}
}
