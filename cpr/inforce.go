package cpr

import "time"

// InForce reports whether a registration with the given start and deletion
// dates (such as a contact address) is in force on today: from start up to,
// but not including, deleteDate; a nil start means not registered and a nil
// deleteDate means no end. Name-and-address protection is not judged here
// but by the database's name_address_protected (see access). Only the
// calendar dates of the arguments, in their own locations, are compared.
func InForce(start, deleteDate *time.Time, today time.Time) bool {
	if start == nil {
		return false
	}
	t := CalendarDate(today)
	if CalendarDate(*start).After(t) {
		return false
	}
	return deleteDate == nil || t.Before(CalendarDate(*deleteDate))
}
