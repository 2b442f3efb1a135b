// Package export serves the landlord lookup's answer as files to download
// (CSV, XLSX, PDF and RTF, as CPRWeb offers, and GCTP-style XML). An export runs the GraphQL `residents`
// query in-process through the GraphQL handler with the caller's request
// context, so it passes exactly the same authentication, policy, masking and
// audit as the query; this package only reshapes the rows.
package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/xuri/excelize/v2"

	"cprgraph/access"
	"cprgraph/apperr"
)

// Format is the file format of an export.
type Format int

// The export formats.
const (
	// CSV is UTF-8 with a byte-order mark and ';' between fields, CRLF line
	// ends and dates as dd-mm-yyyy: what Excel with Danish settings opens
	// directly, æøå included.
	CSV Format = iota
	// XLSX is an Excel workbook: sheet "Beboere" with the rows, dates as real
	// Excel dates shown dd-mm-yyyy, and sheet "Søgekriterier" with the criteria.
	XLSX
	// PDF is an A4 landscape document: the criteria, then the table with
	// every column, dates dd-mm-yyyy.
	PDF
	// RTF is a Rich Text document (Word, LibreOffice) with the criteria and
	// the table, dates dd-mm-yyyy.
	RTF
	// XML is the GCTP web service's output shape (seed 000): CprData,
	// Rolle, Field, Table, Row. See xml.go.
	XML
)

// Columns are the export's columns, in their stable order: CPRWeb's table
// (address, name, move-in, move-out, protection), then the more detailed
// columns seed 000 promises for downloads — the structured address of
// GCTP's output. A protected resident's row has only the dates and "Ja".
var Columns = []string{"Adresse", "Navn", "Indflytningsdato", "Fraflytningsdato", "Beskyttelse",
	"DAR adresse id", "DAR husnummer id", "Kommunekode", "Kommune", "Vejkode", "Vejnavn",
	"Husnummer", "Etage", "Side/dør"}

// Residents returns the handler of GET /export/residents.csv, .xlsx, .pdf,
// .rtf or .xml. It
// takes the fields of ResidentsInput as query parameters: owner, from, to,
// darAddressId, darHouseNumberId, and for a CPR address municipalityCode,
// streetCode, streetName, houseNumber, floor, door, and the query's knownAt
// (an RFC 3339 instant: the residents as registered then). Errors are the query's
// error codes in a GraphQL-shaped JSON body, with the HTTP status 400
// (BAD_USER_INPUT), 401 (UNAUTHENTICATED), 403 (FORBIDDEN, OWNER_NOT_LINKED,
// NOT_CURRENT_OWNER), 404 (NOT_FOUND) or 500. The caller wraps the handler
// in the authentication middleware, like the GraphQL endpoint.
func Residents(graphQL http.Handler, format Format) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		vars, err := residentsVariables(r.URL.Query())
		if err != nil {
			writeError(w, r, err)
			return
		}
		var data struct{ Residents residents }
		if err := runQuery(r, graphQL, residentsQuery, vars, &data); err != nil {
			writeError(w, r, err)
			return
		}
		var (
			body        []byte
			contentType string
			name        string
		)
		switch format {
		case XLSX:
			body, err = data.Residents.xlsx()
			contentType, name = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "beboere.xlsx"
		case PDF:
			body, err = data.Residents.pdf()
			contentType, name = "application/pdf", "beboere.pdf"
		case RTF:
			body = data.Residents.rtf()
			contentType, name = "application/rtf", "beboere.rtf"
		case XML:
			body, err = data.Residents.xml()
			contentType, name = "application/xml; charset=utf-8", "beboere.xml"
		default:
			body, err = data.Residents.csv()
			contentType, name = "text/csv; charset=utf-8", "beboere.csv"
		}
		if err != nil {
			writeError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
		w.Write(body)
	})
}

// residentsQuery is the GraphQL query an export runs.
const residentsQuery = `query ResidentsExport($input: ResidentsInput!, $knownAt: Time) {
  residents(input: $input, knownAt: $knownAt) {
    criteria { owner bfe ownedFrom from to darAddressIds darHouseNumberId leftOut { darAddressId reason } }
    rows { address addressingName moveIn moveOut protected darAddressId darHouseNumberId
      municipalityCode municipalityName streetCode streetName houseNumber floor door }
  }
}`

// residents is the JSON answer of residentsQuery.
type residents struct {
	Criteria struct {
		Owner            string
		Bfe              int64
		OwnedFrom        string
		From             string
		To               string
		DarAddressIds    []string
		DarHouseNumberID string `json:"darHouseNumberId"`
		LeftOut          []leftOutDwelling
	}
	Rows []residentRow
}

// residentRow is one row of the answer; every field but the dates and
// Protected is empty for a protected resident.
type residentRow struct {
	Address          string
	AddressingName   *string
	MoveIn           string
	MoveOut          *string
	Protected        bool
	DarAddressID     string `json:"darAddressId"`
	DarHouseNumberID string `json:"darHouseNumberId"`
	MunicipalityCode *int
	MunicipalityName string
	StreetCode       *int
	StreetName       string
	HouseNumber      string
	Floor            string
	Door             string
}

// cells returns the row's cells in Columns' order, dates as written by
// date ("" stays "").
func (row residentRow) cells(date func(string) string) []string {
	return []string{row.Address, text(row.AddressingName), date(row.MoveIn), date(text(row.MoveOut)),
		yesNo(row.Protected), row.DarAddressID, row.DarHouseNumberID, code(row.MunicipalityCode, 4),
		row.MunicipalityName, code(row.StreetCode, 4), row.StreetName, row.HouseNumber, row.Floor, row.Door}
}

// table returns the header and the rows as text, dates dd-mm-yyyy.
func (res residents) table() [][]string {
	out := [][]string{Columns}
	for _, row := range res.Rows {
		out = append(out, row.cells(danishDate))
	}
	return out
}

// criteria returns the search criteria as label and text, as CPRWeb shows
// them above its table.
func (res residents) criteria() [][2]string {
	c := res.Criteria
	out := [][2]string{
		{ownerLabel(c.Owner), c.Owner},
		{"BFE-nr", strconv.FormatInt(c.Bfe, 10)},
		{"Ejet fra", danishDate(c.OwnedFrom)},
		{"Fra dato", danishDate(c.From)},
		{"Til dato", danishDate(c.To)},
		{"DAR husnummer id", c.DarHouseNumberID},
	}
	for _, id := range c.DarAddressIds {
		out = append(out, [2]string{"DAR adresse id", id})
	}
	for _, l := range c.LeftOut {
		out = append(out, [2]string{"Udeladt bolig", l.text()})
	}
	return out
}

// leftOutDwelling is a dwelling of a stairwell the lookup did not answer.
type leftOutDwelling struct {
	DarAddressID string `json:"darAddressId"`
	Reason       string
}

// text is the dwelling's DAR address id and the reason, in Danish.
func (l leftOutDwelling) text() string {
	why := map[string]string{"NOT_CURRENT_OWNER": "ejes ikke af ejeren", "NO_PROPERTY": "ingen ejendom registreret"}[l.Reason]
	if why == "" {
		why = l.Reason
	}
	return l.DarAddressID + " (" + why + ")"
}

// ownerLabel names the owner number: a CVR number has 8 digits.
func ownerLabel(owner string) string {
	if len(owner) == 8 {
		return "CVR-nr"
	}
	return "CPR-nr"
}

// code writes a municipality or street code with leading zeros, as CPR
// does (0101); nil gives "".
func code(n *int, width int) string {
	if n == nil {
		return ""
	}
	return fmt.Sprintf("%0*d", width, *n)
}

// residentsVariables returns the variables of residentsQuery from the
// export's query parameters; BAD_USER_INPUT for a malformed number or
// instant.
func residentsVariables(params url.Values) (map[string]any, error) {
	input, err := residentsInput(params)
	if err != nil {
		return nil, err
	}
	vars := map[string]any{"input": input}
	if params.Has("knownAt") {
		if _, err := time.Parse(time.RFC3339Nano, params.Get("knownAt")); err != nil {
			return nil, apperr.Errorf(apperr.BadUserInput, "knownAt must be an RFC 3339 instant")
		}
		vars["knownAt"] = params.Get("knownAt")
	}
	return vars, nil
}

// residentsInput builds the ResidentsInput variable from query parameters;
// absent parameters stay absent, so GraphQL judges what is missing.
func residentsInput(params url.Values) (map[string]any, error) {
	input := map[string]any{}
	for _, key := range []string{"owner", "from", "to", "darAddressId", "darHouseNumberId"} {
		if params.Has(key) {
			input[key] = params.Get(key)
		}
	}
	address := map[string]any{}
	for _, key := range []string{"streetName", "houseNumber", "floor", "door"} {
		if params.Has(key) {
			address[key] = params.Get(key)
		}
	}
	for _, key := range []string{"municipalityCode", "streetCode"} {
		if !params.Has(key) {
			continue
		}
		n, err := strconv.Atoi(params.Get(key))
		if err != nil {
			return nil, apperr.Errorf(apperr.BadUserInput, "%s must be a number", key)
		}
		address[key] = n
	}
	if len(address) > 0 {
		input["cprAddress"] = address
	}
	return input, nil
}

// csv renders the rows as a CSV file with a header row.
func (res residents) csv() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	w.UseCRLF = true
	w.WriteAll(res.table())
	return buf.Bytes(), w.Error()
}

// xlsx renders the rows and the criteria as an Excel workbook.
func (res residents) xlsx() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const rowsSheet, criteriaSheet = "Beboere", "Søgekriterier"
	if err := f.SetSheetName("Sheet1", rowsSheet); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(criteriaSheet); err != nil {
		return nil, err
	}
	dateFormat := "dd-mm-yyyy"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFormat})
	if err != nil {
		return nil, err
	}
	headerStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}

	rows := [][]any{make([]any, len(Columns))}
	for i, c := range Columns {
		rows[0][i] = c
	}
	for _, row := range res.Rows {
		cells := row.cells(func(s string) string { return s })
		out := make([]any, len(cells))
		for i, c := range cells {
			out[i] = c
		}
		out[2], out[3] = excelDate(row.MoveIn), excelDate(text(row.MoveOut))
		rows = append(rows, out)
	}
	c := res.Criteria
	criteria := [][]any{
		{"Ejer (CVR-nr/CPR-nr)", c.Owner},
		{"BFE-nr", c.Bfe},
		{"Ejet fra", excelDate(c.OwnedFrom)},
		{"Fra dato", excelDate(c.From)},
		{"Til dato", excelDate(c.To)},
		{"DAR husnummer id", c.DarHouseNumberID},
	}
	for _, id := range c.DarAddressIds {
		criteria = append(criteria, []any{"DAR adresse id", id})
	}
	for _, l := range c.LeftOut {
		criteria = append(criteria, []any{"Udeladt bolig", l.text()})
	}

	err = errors.Join(
		setRows(f, rowsSheet, rows, dateStyle),
		f.SetCellStyle(rowsSheet, "A1", "N1", headerStyle),
		f.SetColWidth(rowsSheet, "A", "A", 45),
		f.SetColWidth(rowsSheet, "B", "B", 34),
		f.SetColWidth(rowsSheet, "C", "E", 17),
		f.SetColWidth(rowsSheet, "F", "G", 38),
		f.SetColWidth(rowsSheet, "H", "N", 14),
		setRows(f, criteriaSheet, criteria, dateStyle),
		f.SetColWidth(criteriaSheet, "A", "A", 22),
		f.SetColWidth(criteriaSheet, "B", "B", 40),
	)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// setRows writes rows into sheet from A1 on, giving date cells dateStyle.
func setRows(f *excelize.File, sheet string, rows [][]any, dateStyle int) error {
	for i, row := range rows {
		for j, v := range row {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				return err
			}
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				return err
			}
			if _, isDate := v.(time.Time); isDate {
				if err := f.SetCellStyle(sheet, cell, cell, dateStyle); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func text(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func yesNo(b bool) string {
	if b {
		return "Ja"
	}
	return "Nej"
}

// danishDate writes an ISO date (YYYY-MM-DD) as dd-mm-yyyy; "" stays "".
func danishDate(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return t.Format("02-01-2006")
}

// excelDate turns an ISO date into a time for an Excel date cell; "" gives
// nil, an empty cell.
func excelDate(iso string) any {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return nil
	}
	return t
}

// runQuery executes a GraphQL query through the GraphQL handler with the
// context of r (principal, audit record) and decodes its data into out. The
// first GraphQL error comes back as an *apperr.Error with its code.
func runQuery(r *http.Request, graphQL http.Handler, query string, variables map[string]any, out any) error {
	body, err := json.Marshal(map[string]any{"query": query, "variables": variables})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, "/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	rec := &recorder{header: http.Header{}}
	graphQL.ServeHTTP(rec, req)

	var resp struct {
		Data   json.RawMessage
		Errors []struct {
			Message    string
			Path       []any
			Extensions struct{ Code string }
		}
	}
	if err := json.Unmarshal(rec.body.Bytes(), &resp); err != nil {
		return fmt.Errorf("graphql answer (status %d): %w", rec.status, err)
	}
	if len(resp.Errors) > 0 {
		e := resp.Errors[0]
		switch e.Extensions.Code {
		case errcode.ValidationFailed, errcode.ParseFailed:
			// A variable GraphQL rejected: name the query parameter.
			message := e.Message
			if len(e.Path) > 0 {
				message = fmt.Sprintf("%v: %s", e.Path[len(e.Path)-1], message)
			}
			return apperr.Errorf(apperr.BadUserInput, "%s", message)
		}
		return &apperr.Error{Code: apperr.Code(e.Extensions.Code), Message: e.Message}
	}
	return json.Unmarshal(resp.Data, out)
}

// recorder is an in-memory http.ResponseWriter for the in-process query.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(status int)      { r.status = status }

// httpStatus is the HTTP status of an error code.
func httpStatus(code apperr.Code) int {
	switch code {
	case apperr.BadUserInput:
		return http.StatusBadRequest
	case apperr.Unauthenticated:
		return http.StatusUnauthorized
	case apperr.Forbidden, apperr.OwnerNotLinked, apperr.NotCurrentOwner:
		return http.StatusForbidden
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.RateLimited:
		return http.StatusTooManyRequests
	default:
		return http.StatusInternalServerError
	}
}

// writeError writes err as a GraphQL-shaped JSON error body; an error
// outside the apperr vocabulary is logged and shown as a generic INTERNAL
// error.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var appErr *apperr.Error
	if !errors.As(err, &appErr) {
		slog.ErrorContext(r.Context(), "export failed", "err", err, "request_id", access.RecordFrom(r.Context()).RequestID)
	}
	code, message := apperr.CodeOf(err), apperr.MessageOf(err)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(httpStatus(code))
	json.NewEncoder(w).Encode(map[string]any{
		"errors": []map[string]any{{"message": message, "extensions": map[string]any{"code": code}}},
	})
}
