// Package app assembles the server: the configuration read from the
// environment, the database connections, the HTTP handler with every
// endpoint, and the side listeners for metrics and profiles.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/jmoiron/sqlx"

	"cprgraph/access"
	"cprgraph/auth"
	"cprgraph/breaker"
	"cprgraph/db"
	"cprgraph/eventfeed"
	"cprgraph/export"
	"cprgraph/graph"
	"cprgraph/limits"
	"cprgraph/observe"
	"cprgraph/tracing"
	"cprgraph/web"
	"cprgraph/web/udlejer"
)

// Version is set at build time with -ldflags "-X cprgraph/app.Version=...".
var Version = "dev"

// Deps is what the handler serves from. DB and Store are required; Store
// runs on DB or on a wrapper of it (tests count its statements).
type Deps struct {
	DB      *sqlx.DB
	Store   *db.Store
	Replica *sqlx.DB         // nil: read-only queries go to the primary too
	Metrics *observe.Metrics // nil: a registry of the handler's own
	Events  *eventfeed.Feed  // nil: subscriptions are refused
	// DemoKeys are the demo clients' keys (serve -demo): GraphiQL opens
	// with the AUTHORITY key in its Headers pane. nil outside demo mode.
	DemoKeys map[access.Profile]string
}

// NewHandler wires every HTTP endpoint of the server. A GraphQL request
// passes, in order: the body size limit, authentication (401), the
// per-client rate limit (429), the client's daily quota (429), then GraphQL with its depth and complexity
// limits, the masking middleware and the audit write. Every request is
// traced (when tracing is on), counted and logged.
func NewHandler(cfg Config, d Deps) http.Handler {
	if d.Metrics == nil {
		d.Metrics = observe.NewMetrics()
	}
	var readStore *db.Store
	if d.Replica != nil {
		readStore = db.NewStore(d.Replica)
	}
	authn := auth.New(d.Store, cfg.JWT, cfg.AllowAnonymous).WithRecheck(cfg.StreamRecheck)
	if d.Events != nil {
		// The notification empties the key cache: without it, no cache.
		authn.WithKeyCache(cfg.StreamRecheck)
		d.Events.OnClientChange(authn.Revalidate)
	}
	var gql http.Handler = graph.NewHandler(&graph.Resolver{Version: Version, Store: d.Store, ReadStore: readStore, Events: d.Events, ClientChanged: authn.Revalidate}, graph.Options{
		Introspection: cfg.Introspection,
		Audit:         timedAudits(graph.StoreAuditor(d.Store), d.Metrics),
		MaxDepth:      cfg.MaxQueryDepth,
		MaxComplexity: cfg.MaxComplexity,
		WebsocketInit: authn.WebsocketInit,
		Sessions:      authn,
		LoaderWait:    cfg.LoaderWait,
		Extensions:    graphQLExtensions(cfg, d),
	})
	// Inside the rate limit: a request refused for its rate is not counted.
	gql = limits.Quota(d.Store.Clients, gql)
	if cfg.RateLimitRPS > 0 {
		limiter := limits.NewRateLimiter(cfg.RateLimitRPS, cfg.RateLimitBurst)
		limiter.OnReject = d.Metrics.RateLimited
		gql = limiter.Middleware(gql)
	}
	// During a database outage the breaker refuses requests at once (503
	// UNAVAILABLE, Retry-After) until its probe finds the database back.
	outage := breaker.New(d.DB.PingContext)
	mux := http.NewServeMux()
	mux.Handle("/graphql", outage.Middleware(limits.Body(cfg.MaxBodyBytes, authn.Middleware(gql))))
	mux.Handle("GET /export/residents.csv", outage.Middleware(authn.Middleware(export.Residents(gql, export.CSV))))
	mux.Handle("GET /export/residents.xlsx", outage.Middleware(authn.Middleware(export.Residents(gql, export.XLSX))))
	mux.Handle("GET /export/residents.pdf", outage.Middleware(authn.Middleware(export.Residents(gql, export.PDF))))
	mux.Handle("GET /export/residents.rtf", outage.Middleware(authn.Middleware(export.Residents(gql, export.RTF))))
	mux.Handle("GET /export/residents.xml", outage.Middleware(authn.Middleware(export.Residents(gql, export.XML))))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := d.DB.PingContext(ctx); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		if d.Replica != nil && d.Replica.PingContext(ctx) != nil {
			http.Error(w, "read replica unavailable", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ready")
	})
	// The landlord web client: a client of /graphql and /export like any other.
	landlordClient := udlejer.Handler()
	mux.Handle("GET /udlejer", landlordClient)
	mux.Handle("GET /udlejer/", landlordClient)
	if cfg.GraphiQL {
		mux.Handle("/", web.Handler(graphiQLOptions(d.DemoKeys)))
	}
	d.Metrics.AddDB("primary", d.DB.DB)
	if d.Replica != nil {
		d.Metrics.AddDB("replica", d.Replica.DB)
	}
	if cfg.MetricsAddr == "" {
		mux.Handle("GET /metrics", d.Metrics.Handler())
	}
	var h http.Handler = d.Metrics.Middleware(mux)
	if tracing.Enabled() {
		h = tracing.Middleware(h)
	}
	return h
}

// graphQLExtensions are the persisted-query, metrics and tracing
// extensions of the GraphQL endpoint. In allow-list mode the registered
// operation names get their own metrics label.
func graphQLExtensions(cfg Config, d Deps) []graphql.HandlerExtension {
	if cfg.PersistedQueries == graph.PersistedQueryAllowList {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if registered, err := d.Store.PersistedQueries.List(ctx); err != nil {
			slog.Warn("could not read the persisted-query operation names for the metrics", "err", err)
		} else {
			for _, q := range registered {
				d.Metrics.KnowOperations(q.OperationNames...)
			}
		}
	}
	exts := append(graph.PersistedQueries(cfg.PersistedQueries, d.Store), d.Metrics.GraphQL())
	if tracing.Enabled() {
		exts = append(exts, tracing.GraphQL())
	}
	return exts
}

// timedAudits measures every audit write of next in metrics.
func timedAudits(next graph.Auditor, metrics *observe.Metrics) graph.Auditor {
	return func(ctx context.Context, p *access.Principal, rec *access.Record, cprs []string) error {
		start := time.Now()
		err := next(ctx, p, rec, cprs)
		metrics.AuditWritten(time.Since(start), err)
		return err
	}
}

// graphiQLOptions opens GraphiQL on the README's examples. In demo mode
// each tab carries the demo key of its example's profile (AUTHORITY in the
// Headers pane of the first), so the first Run answers with data; otherwise
// the page says where a key goes and holds none.
func graphiQLOptions(demoKeys map[access.Profile]string) web.Options {
	opts := web.Options{Endpoint: "/graphql", SubscriptionEndpoint: "/graphql", Title: "cprgraph — GraphiQL"}
	if len(demoKeys) == 0 {
		opts.DefaultTabs = web.ExampleTabs(time.Now(), nil)
		opts.Hint = `Send your API key in the Headers pane (below the query): {"Authorization": "Bearer <your key>"}. ` +
			`Without one only __typename, __schema and version answer.`
		return opts
	}
	keys := map[string]string{}
	for p, k := range demoKeys {
		keys[string(p)] = k
	}
	opts.DefaultTabs = web.ExampleTabs(time.Now(), keys)
	opts.DefaultHeaders = web.AuthorizationHeader(demoKeys[access.Authority])
	opts.Hint = "Demo mode: the demo AUTHORITY key is already in the Headers pane (below the query; the landlord tab has " +
		"the LANDLORD key). Press Run (▶). Keys change on every start: the first tab gets the new one; a tab your " +
		"browser kept from an earlier start needs the key make run printed."
	return opts
}
