package export

import (
	"fmt"
	"strings"
	"unicode/utf16"
)

// rtf renders the answer as a Rich Text document (A4 landscape): a title,
// the criteria, and a table with every column. Every table cell is written
// as `\pard\intbl <text>\cell`, characters outside ASCII as \uN? escapes.
func (res residents) rtf() []byte {
	var b strings.Builder
	b.WriteString(`{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Helvetica;}}` + "\n")
	b.WriteString(`\paperw16838\paperh11906\landscape\margl567\margr567\margt567\margb567\f0\fs16` + "\n")
	fmt.Fprintf(&b, "{\\pard\\b\\fs28 %s\\b0\\par}\n", rtfText("Udlejersøgning"))
	for _, c := range res.criteria() {
		fmt.Fprintf(&b, "{\\pard %s:\\tab %s\\par}\n", rtfText(c[0]), rtfText(c[1]))
	}
	b.WriteString("{\\pard\\par}\n")
	// 14 columns over 15704 twips (A4 landscape less margins).
	widths := []int{2200, 1600, 900, 900, 800, 1900, 1900, 600, 1000, 600, 1200, 700, 600, 700}
	for r, row := range res.table() {
		b.WriteString(`\trowd\trgaph40`)
		if r == 0 {
			b.WriteString(`\trhdr`)
		}
		x := 0
		for _, w := range widths {
			x += w
			fmt.Fprintf(&b, `\clbrdrt\brdrs\clbrdrl\brdrs\clbrdrb\brdrs\clbrdrr\brdrs\cellx%d`, x)
		}
		b.WriteString("\n")
		for _, cell := range row {
			text := rtfText(cell)
			if r == 0 {
				text = `{\b ` + text + `}`
			}
			fmt.Fprintf(&b, "\\pard\\intbl %s\\cell\n", text)
		}
		b.WriteString("\\row\n")
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// rtfText escapes s for RTF: \, { and } with a backslash, other
// characters than printable ASCII as \uN? (N a signed 16-bit number).
func rtfText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == '{' || r == '}':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r > 0xffff:
			hi, lo := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%d?\u%d?`, int16(hi), int16(lo))
		default:
			fmt.Fprintf(&b, `\u%d?`, int16(r))
		}
	}
	return b.String()
}
