package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// recordReader yields the records of one file, one at a time.
type recordReader interface {
	// next returns the next record, or io.EOF after the last. The record's
	// fields are valid until the next call.
	next() (rawRecord, error)
}

// maxLine bounds the length of one JSON Lines record.
const maxLine = 1 << 20

var bom = []byte("\uFEFF")

// jsonlReader reads JSON Lines: one JSON object per line, blank lines
// skipped.
type jsonlReader struct {
	sc     *bufio.Scanner
	line   int
	fields []rawField
}

func newJSONLReader(r io.Reader) *jsonlReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	return &jsonlReader{sc: sc}
}

func (j *jsonlReader) next() (rawRecord, error) {
	for j.sc.Scan() {
		j.line++
		b := j.sc.Bytes()
		if j.line == 1 {
			b = bytes.TrimPrefix(b, bom)
		}
		if len(bytes.TrimSpace(b)) > 0 {
			return j.parse(b), nil
		}
	}
	if err := j.sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return rawRecord{}, fmt.Errorf("line %d: longer than %d bytes", j.line+1, maxLine)
		}
		return rawRecord{}, err
	}
	return rawRecord{}, io.EOF
}

// parse decodes one line. Numbers keep their text, so that an int field
// sees the digits as written.
func (j *jsonlReader) parse(b []byte) rawRecord {
	rec := rawRecord{line: j.line}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		rec.problem = "not a JSON object"
		return rec
	}
	if _, err := dec.Token(); err != io.EOF {
		rec.problem = "more than one JSON value on the line"
		return rec
	}
	j.fields = j.fields[:0]
	for name, v := range obj {
		f := rawField{name: name}
		switch v := v.(type) {
		case nil:
		case string:
			f.value = v
		case json.Number:
			f.value, f.kind = v.String(), rawNumber
		default:
			f.kind = rawOther
		}
		j.fields = append(j.fields, f)
	}
	rec.fields = j.fields
	return rec
}

// csvReader reads CSV with a header row of field names. The separator is a
// comma, or a semicolon when the header has semicolons and no comma (as
// spreadsheets write CSV in Danish locales).
type csvReader struct {
	r      *csv.Reader
	header []string
	fields []rawField
}

// newCSVReader reads the header; an empty file has no header and no
// records.
func newCSVReader(br *bufio.Reader) (*csvReader, error) {
	if b, _ := br.Peek(len(bom)); bytes.Equal(b, bom) {
		br.Discard(len(bom))
	}
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	if first := firstLine(br); bytes.IndexByte(first, ';') >= 0 && bytes.IndexByte(first, ',') < 0 {
		r.Comma = ';'
	}
	header, err := r.Read()
	if err == io.EOF {
		return &csvReader{r: r}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	return &csvReader{r: r, header: append([]string(nil), header...)}, nil
}

// firstLine returns the buffered start of br up to its first newline.
func firstLine(br *bufio.Reader) []byte {
	b, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		return b[:i]
	}
	return b
}

func (c *csvReader) next() (rawRecord, error) {
	if c.header == nil {
		return rawRecord{}, io.EOF
	}
	cells, err := c.r.Read()
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		return rawRecord{line: pe.StartLine, problem: "malformed CSV: " + pe.Err.Error()}, nil
	case err != nil:
		return rawRecord{}, err
	}
	line, _ := c.r.FieldPos(0)
	if len(cells) != len(c.header) {
		return rawRecord{line: line, problem: fmt.Sprintf("has %d fields, the header has %d", len(cells), len(c.header))}, nil
	}
	c.fields = c.fields[:0]
	for i, v := range cells {
		c.fields = append(c.fields, rawField{name: c.header[i], value: v})
	}
	return rawRecord{line: line, fields: c.fields}, nil
}

// headerProblems checks a CSV header against d: every column a field of d,
// none twice, every required field present.
func headerProblems(d *datatype, header []string) []fieldProblem {
	var problems []fieldProblem
	seen := make(map[string]bool, len(header))
	for _, name := range header {
		switch _, ok := d.index[name]; {
		case !ok:
			problems = append(problems, fieldProblem{label(name), "unknown field"})
		case seen[name]:
			problems = append(problems, fieldProblem{name, "repeated column"})
		}
		seen[name] = true
	}
	for _, f := range d.fields {
		if f.required && !seen[f.name] {
			problems = append(problems, fieldProblem{f.name, "required column missing"})
		}
	}
	return problems
}
