package graph

import "cprgraph/db"

// reader is the store for read-only queries that tolerate a replica's lag:
// ReadStore when the server has a read replica, else Store. Writes, the
// audit log and authentication always use Store (the primary).
func (r *Resolver) reader() *db.Store {
	if r.ReadStore != nil {
		return r.ReadStore
	}
	return r.Store
}
