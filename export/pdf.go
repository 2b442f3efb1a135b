package export

import (
	"bytes"

	"github.com/go-pdf/fpdf"
)

// pdf renders the answer as an A4 landscape PDF: a title, the criteria and
// the table with every column, in Helvetica (Windows-1252, so æøå print).
// The font shrinks until the widest cell of each column fits the page.
func (res residents) pdf() ([]byte, error) {
	const margin = 8.0
	doc := fpdf.New("L", "mm", "A4", "")
	doc.SetMargins(margin, margin, margin)
	doc.SetAutoPageBreak(true, margin)
	doc.SetTitle("Udlejersøgning", true)
	doc.SetCreator("cprgraph", true)
	tr := doc.UnicodeTranslatorFromDescriptor("")
	doc.AddPage()

	doc.SetFont("Helvetica", "B", 14)
	doc.CellFormat(0, 8, tr("Udlejersøgning"), "", 1, "L", false, 0, "")
	doc.SetFont("Helvetica", "", 9)
	for _, c := range res.criteria() {
		doc.CellFormat(40, 5, tr(c[0]), "", 0, "L", false, 0, "")
		doc.CellFormat(0, 5, tr(c[1]), "", 1, "L", false, 0, "")
	}
	doc.Ln(3)

	table := res.table()
	pageWidth, _ := doc.GetPageSize()
	available := pageWidth - 2*margin
	size := 7.0
	var widths []float64
	for {
		doc.SetFont("Helvetica", "", size)
		widths = make([]float64, len(Columns))
		total := 0.0
		for _, row := range table {
			for i, cell := range row {
				widths[i] = max(widths[i], doc.GetStringWidth(tr(cell))+2)
			}
		}
		for _, w := range widths {
			total += w
		}
		if total <= available || size <= 4 {
			break
		}
		size -= 0.25
	}
	height := size * 0.6
	for r, row := range table {
		style := ""
		if r == 0 {
			style = "B"
		}
		doc.SetFont("Helvetica", style, size)
		for i, cell := range row {
			doc.CellFormat(widths[i], height, tr(cell), "1", 0, "L", r == 0, 0, "")
		}
		doc.Ln(-1)
	}
	var buf bytes.Buffer
	if err := doc.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
