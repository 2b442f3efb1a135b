package graph

import (
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// Options configures the GraphQL endpoint.
type Options struct {
	// Introspection allows __schema and __type queries.
	Introspection bool
}

// NewHandler returns the GraphQL endpoint over HTTP for the resolver.
func NewHandler(r *Resolver, opts Options) http.Handler {
	srv := handler.New(NewExecutableSchema(Config{Resolvers: r}))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.Websocket{KeepAlivePingInterval: 10 * time.Second})
	if opts.Introspection {
		srv.Use(extension.Introspection{})
	}
	return srv
}
