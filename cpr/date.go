package cpr

import (
	"time"
	_ "time/tzdata" // Europe/Copenhagen on machines without zoneinfo
)

// copenhagen is Denmark's time zone, the one the register's days are in.
var copenhagen = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		panic(err) // the time/tzdata import embeds it
	}
	return loc
}()

// CalendarDate returns the calendar date of t in t's own location, as
// midnight UTC: the form of the register's dates.
func CalendarDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DanishDate returns the calendar date in Denmark at the instant t, as
// midnight UTC.
func DanishDate(t time.Time) time.Time { return CalendarDate(t.In(copenhagen)) }

// DanishMidnightAfter returns the instant the next calendar day begins in
// Denmark after t.
func DanishMidnightAfter(t time.Time) time.Time {
	y, m, d := t.In(copenhagen).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, copenhagen)
}
