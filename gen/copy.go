package gen

import (
	"cmp"
	"context"
	"database/sql/driver"
	"strconv"
)

// copyStmt is lib/pq's COPY FROM STDIN statement. CopyData sends text-format
// rows that are already encoded, which saves boxing every value of every row
// the way Exec needs; Exec(nil) ends the COPY and reports its errors.
type copyStmt interface {
	CopyData(ctx context.Context, line string) (driver.Result, error)
	Exec(args []driver.Value) (driver.Result, error)
	Close() error
}

// flushSize is the amount of encoded rows sent in one CopyData message.
const flushSize = 60 << 10

// rowWriter encodes rows in PostgreSQL's COPY text format and sends them in
// batches. Fields are appended one by one; end finishes a row.
type rowWriter struct {
	ctx  context.Context
	stmt copyStmt
	buf  []byte
	rows int64
	mid  bool // a field has been written in the current row
	err  error
}

func newRowWriter(ctx context.Context, stmt copyStmt) *rowWriter {
	return &rowWriter{ctx: ctx, stmt: stmt, buf: make([]byte, 0, flushSize+4096)}
}

func (w *rowWriter) sep() {
	if w.mid {
		w.buf = append(w.buf, '\t')
	}
	w.mid = true
}

// str writes a text field; the empty string is written as NULL.
func (w *rowWriter) str(s string) {
	w.sep()
	if s == "" {
		w.buf = append(w.buf, '\\', 'N')
		return
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			w.buf = append(w.buf, '\\', '\\')
		case '\t':
			w.buf = append(w.buf, '\\', 't')
		case '\n':
			w.buf = append(w.buf, '\\', 'n')
		case '\r':
			w.buf = append(w.buf, '\\', 'r')
		default:
			w.buf = append(w.buf, c)
		}
	}
}

// text writes a text field, the empty string as an empty string.
func (w *rowWriter) text(s string) {
	if s == "" {
		w.sep()
		return
	}
	w.str(s)
}

// bytes writes a text field that needs no escaping.
func (w *rowWriter) bytes(b []byte) {
	w.sep()
	w.buf = append(w.buf, b...)
}

// raw writes text already in COPY format: one field, or several separated
// by tabs.
func (w *rowWriter) raw(s string) {
	w.sep()
	w.buf = append(w.buf, s...)
}

// null writes NULL.
func (w *rowWriter) null() {
	w.sep()
	w.buf = append(w.buf, '\\', 'N')
}

// int writes an integer field.
func (w *rowWriter) int(n int64) {
	w.sep()
	w.buf = strconv.AppendInt(w.buf, n, 10)
}

// intOrNull writes n, or NULL when n is zero.
func (w *rowWriter) intOrNull(n int) {
	if n == 0 {
		w.null()
		return
	}
	w.int(int64(n))
}

// date writes d, or NULL for the zero day and for forever.
func (w *rowWriter) date(d day) {
	if d == 0 || d == forever {
		w.null()
		return
	}
	w.sep()
	w.buf = appendDate(w.buf, d)
}

// end finishes the row and sends the batch when it is full.
func (w *rowWriter) end() {
	w.buf = append(w.buf, '\n')
	w.mid = false
	w.rows++
	if len(w.buf) >= flushSize {
		w.flush()
	}
}

func (w *rowWriter) flush() {
	if len(w.buf) == 0 || w.err != nil {
		return
	}
	// CopyData adds the newline that ends the last row.
	_, w.err = w.stmt.CopyData(w.ctx, string(w.buf[:len(w.buf)-1]))
	w.buf = w.buf[:0]
}

// close sends the remaining rows, ends the COPY and returns the first error.
func (w *rowWriter) close() error {
	w.flush()
	_, err := w.stmt.Exec(nil)
	return cmp.Or(w.err, err, w.stmt.Close())
}
