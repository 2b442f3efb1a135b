package access

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"cprgraph/apperr"
)

// MaxPurpose is the most bytes of a purpose kept: the audit log's column size.
const MaxPurpose = 200

// CleanPurpose is a stated purpose as the audit log keeps it and as a
// registered purpose is compared, from the X-Purpose header, a websocket's
// connection_init payload or the admin command alike: valid UTF-8, every
// control character (newlines and tabs included, which separate the fields
// the audit hash covers) replaced by a space, runs of spaces collapsed,
// trimmed, and cut to MaxPurpose bytes on a rune boundary.
func CleanPurpose(p string) string {
	p = strings.ToValidUTF8(p, "")
	p = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, p)
	p = strings.Join(strings.Fields(p), " ")
	if len(p) > MaxPurpose {
		cut := MaxPurpose
		for cut > 0 && !utf8.RuneStart(p[cut]) {
			cut--
		}
		p = strings.TrimSpace(p[:cut])
	}
	return p
}

// checkPurpose is rule 20: a principal restricted to registered purposes
// (Purposes not nil) states one of them, exactly as CleanPurpose leaves
// both, or is refused with PURPOSE_NOT_REGISTERED.
func (p *Principal) checkPurpose() error {
	if p.Purposes == nil || slices.Contains(p.Purposes, p.Purpose) {
		return nil
	}
	if p.Purpose == "" {
		return apperr.Errorf(apperr.PurposeNotRegistered, "this client must state one of its registered purposes in X-Purpose")
	}
	return apperr.Errorf(apperr.PurposeNotRegistered, "the purpose %q is not among this client's registered purposes", p.Purpose)
}
