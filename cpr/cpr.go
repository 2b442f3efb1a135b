// Package cpr handles Danish CPR person numbers and the code sets of the
// CPR person register.
package cpr

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// ErrInvalid is wrapped by the errors that Parse returns. The error text
// never contains the rejected input, so it is safe to log.
var ErrInvalid = errors.New("cpr: invalid number")

// A Number is a CPR number: ten digits DDMMYYSSSS without a dash.
//
// Methods on a Number that did not come from Parse or New return zero values.
type Number string

// Parse parses a CPR number written as "DDMMYYSSSS" or "DDMMYY-SSSS",
// ignoring surrounding spaces. It checks that DDMMYY is a real date in the
// century given by the first serial digit; it does not apply the modulus-11
// check, which numbers issued since 2007 need not pass.
func Parse(s string) (Number, error) {
	s = strings.TrimSpace(s)
	if len(s) == 11 && s[6] == '-' {
		s = s[:6] + s[7:]
	}
	if len(s) != 10 {
		return "", errWrongLength
	}
	if !allDigits(s) {
		return "", errNotDigits
	}
	if _, ok := birthDate(s); !ok {
		return "", errNoBirthDate
	}
	return Number(s), nil
}

// Parse's errors, made once: the audit recording parses every string a
// response carries, and most are not CPR numbers.
var (
	errWrongLength = fmt.Errorf("%w: wrong length", ErrInvalid)
	errNotDigits   = fmt.Errorf("%w: not all digits", ErrInvalid)
	errNoBirthDate = fmt.Errorf("%w: no such birth date", ErrInvalid)
)

// MaxSerial bounds the serial argument of New. Every birth date in the
// years 1858 to 2057 has MaxSerial distinct numbers for each sex.
const MaxSerial = 2000

// New returns the CPR number for a person of the given sex born on the date
// of birth (in birth's location). Distinct serials in [0, MaxSerial) give
// distinct numbers; the same arguments always give the same number.
// The birth year must be in 1858 to 2057, the years the century table covers.
func New(birth time.Time, serial int, sex Sex) (Number, error) {
	y, m, d := birth.Date()
	switch {
	case y < 1858 || y > 2057:
		return "", errors.New("cpr: birth year outside 1858-2057")
	case serial < 0 || serial >= MaxSerial:
		return "", errors.New("cpr: serial out of range")
	case !sex.Valid():
		return "", errors.New("cpr: invalid sex")
	}
	// Pick the (serial/500)th first serial digit that maps to year y;
	// every year has at least four.
	d7, skip := 0, serial/500
	for ; ; d7++ {
		if fullYear(y%100, d7) == y {
			if skip == 0 {
				break
			}
			skip--
		}
	}
	rest := serial % 500
	last := rest % 5 * 2
	if sex == Male {
		last++
	}
	return Number(fmt.Sprintf("%02d%02d%02d%d%02d%d", d, m, y%100, d7, rest/5, last)), nil
}

// BirthDate returns the date of birth, at midnight UTC.
func (n Number) BirthDate() time.Time {
	t, _ := birthDate(string(n))
	return t
}

// Sex returns Male if the last digit is odd and Female if it is even.
func (n Number) Sex() Sex {
	if _, ok := birthDate(string(n)); !ok {
		return ""
	}
	if (n[9]-'0')%2 == 1 {
		return Male
	}
	return Female
}

// String returns the ten digits without a dash.
func (n Number) String() string { return string(n) }

// Masked returns the number as "DDMMYY-xxxx", hiding the serial digits.
func (n Number) Masked() string {
	if _, ok := birthDate(string(n)); !ok {
		return ""
	}
	return string(n[:6]) + "-xxxx"
}

// LogValue implements slog.LogValuer so that log/slog records the masked form.
func (n Number) LogValue() slog.Value { return slog.StringValue(n.Masked()) }

// Sex is a person's legal sex as coded in CPR.
type Sex string

// Sexes.
const (
	Male   Sex = "M"
	Female Sex = "K" // kvinde
)

// Valid reports whether s is Male or Female.
func (s Sex) Valid() bool { return s == Male || s == Female }

// birthDate returns the birth date encoded in s and whether s is ten digits
// encoding a real date.
func birthDate(s string) (time.Time, bool) {
	if len(s) != 10 || !allDigits(s) {
		return time.Time{}, false
	}
	num := func(i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }
	d, m, y := num(0), time.Month(num(2)), fullYear(num(4), int(s[6]-'0'))
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || t.Month() != m || t.Year() != y {
		return time.Time{}, false
	}
	return t, true
}

// fullYear returns the birth year for the two-digit year yy and the first
// serial digit d7, following the CPR century table.
func fullYear(yy, d7 int) int {
	switch {
	case d7 <= 3:
		return 1900 + yy
	case d7 == 4 || d7 == 9:
		if yy <= 36 {
			return 2000 + yy
		}
		return 1900 + yy
	default: // 5-8
		if yy <= 57 {
			return 2000 + yy
		}
		return 1800 + yy
	}
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
