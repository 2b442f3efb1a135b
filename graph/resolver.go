// Package graph is the GraphQL layer: resolvers translate GraphQL arguments
// into calls to the access policy and the stores in db, and nothing more.
package graph

//go:generate go tool gqlgen generate

import (
	"cprgraph/db"
	"cprgraph/eventfeed"
)

// Resolver is the root resolver; it holds the services resolvers delegate to.
type Resolver struct {
	Version string
	Store   *db.Store
	// ReadStore, when set, is a read replica for read-only queries (see
	// reader in replica.go).
	ReadStore *db.Store
	// Events streams change events to subscriptions; nil: subscriptions
	// are refused.
	Events *eventfeed.Feed
	// ClientChanged, when set, is called after a mutation changed an API
	// client, so this instance forgets cached credentials before the
	// mutation answers (every instance also learns it from the api_client
	// notification, moments later).
	ClientChanged func()
}

// clientChanged calls ClientChanged, if set.
func (r *Resolver) clientChanged() {
	if r.ClientChanged != nil {
		r.ClientChanged()
	}
}
