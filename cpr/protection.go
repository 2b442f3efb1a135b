package cpr

import "time"

// ProtectionActive reports whether a protection (such as name and address
// protection) with the given start and deletion dates is in force on today.
// It is in force from start up to, but not including, deleteDate; a nil
// start means no protection and a nil deleteDate means no end. Only the
// calendar dates of the arguments, in their own locations, are compared.
func ProtectionActive(start, deleteDate *time.Time, today time.Time) bool {
	if start == nil {
		return false
	}
	t := CalendarDate(today)
	if CalendarDate(*start).After(t) {
		return false
	}
	return deleteDate == nil || t.Before(CalendarDate(*deleteDate))
}
