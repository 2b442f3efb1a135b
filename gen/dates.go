package gen

import (
	"math"
	"time"
)

// A day is a calendar date counted in days since 1800-01-01, so that every
// date of the population is positive and the zero day means "no date".
type day int32

// forever is the end of a period that has not ended.
const forever day = math.MaxInt32

// epochShift is the day number of 1970-01-01.
const epochShift = 62091

// date returns the day of y-m-d.
func date(y, m, d int) day {
	// Days from civil, after Howard Hinnant's algorithm.
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return day(era*146097+doe-719468) + epochShift
}

// dayOf returns the calendar date of t in its own location.
func dayOf(t time.Time) day {
	y, m, d := t.Date()
	return date(y, int(m), d)
}

// civil returns the year, month and day of d.
func (d day) civil() (y, m, dd int) {
	z := int(d-epochShift) + 719468
	era := z / 146097
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd = doy - (153*mp+2)/5 + 1
	m = (mp+2)%12 + 1
	if m <= 2 {
		y++
	}
	return y, m, dd
}

// year returns the year of d.
func (d day) year() int {
	y, _, _ := d.civil()
	return y
}

// time returns d at midnight UTC.
func (d day) time() time.Time {
	y, m, dd := d.civil()
	return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC)
}

// addYears returns the same month and day n years later; 29 February
// becomes 28 February in a year without it.
func (d day) addYears(n int) day {
	y, m, dd := d.civil()
	y += n
	if m == 2 && dd == 29 && !leap(y) {
		dd = 28
	}
	return date(y, m, dd)
}

// years returns a period of about n years in days.
func years(n float64) day { return day(n * 365.25) }

// age returns the completed years from birth to d.
func age(birth, d day) int {
	by, bm, bd := birth.civil()
	y, m, dd := d.civil()
	a := y - by
	if m < bm || (m == bm && dd < bd) {
		a--
	}
	return a
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// appendDate appends d as YYYY-MM-DD.
func appendDate(b []byte, d day) []byte {
	y, m, dd := d.civil()
	return append(b,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-',
		byte('0'+dd/10), byte('0'+dd%10))
}

// minDay and maxDay return the earlier and the later of two days.
func minDay(a, b day) day {
	if a < b {
		return a
	}
	return b
}

func maxDay(a, b day) day {
	if a > b {
		return a
	}
	return b
}
