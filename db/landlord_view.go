package db

import "time"

// KnownAt returns the landlord store reading the register's datatype
// tables (persons, addresses) as registered at instant at, as
// RegisterStore.At does; nil reads them as they stand. DAR addresses,
// properties and ownerships are not versioned and are read as they stand.
func (s *LandlordStore) KnownAt(at *time.Time) *LandlordStore {
	if at == nil {
		return s
	}
	return &LandlordStore{q: knownAt{ExtContext: s.q, at: *at}}
}
