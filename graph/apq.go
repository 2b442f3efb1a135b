package graph

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/db"
)

// PersistedQueryMode says which documents the endpoint runs.
type PersistedQueryMode string

// The persisted-query modes (PERSISTED_QUERIES).
const (
	// PersistedQueriesOff: every request sends its document.
	PersistedQueriesOff PersistedQueryMode = "off"
	// AutomaticPersistedQueries: a client may send a document's SHA-256
	// instead of the document once the instance has seen it (Apollo's
	// automatic persisted queries). Each instance keeps its own LRU cache
	// of documents; a miss answers PERSISTED_QUERY_NOT_FOUND and the client
	// sends the document again.
	AutomaticPersistedQueries PersistedQueryMode = "apq"
	// PersistedQueryAllowList: only documents registered in the
	// persisted_query table run (by hash or in full); any other gets
	// PERSISTED_QUERY_NOT_ALLOWED.
	PersistedQueryAllowList PersistedQueryMode = "allowlist"
)

// ParsePersistedQueryMode parses a mode name.
func ParsePersistedQueryMode(s string) (PersistedQueryMode, error) {
	switch m := PersistedQueryMode(s); m {
	case PersistedQueriesOff, AutomaticPersistedQueries, PersistedQueryAllowList:
		return m, nil
	}
	return "", fmt.Errorf("unknown persisted-query mode %q (want off, apq or allowlist)", s)
}

// apqCacheSize is how many documents an instance keeps for automatic
// persisted queries, and how many registered documents it keeps in memory
// in allow-list mode.
const apqCacheSize = 1000

// PersistedQueries returns the extensions implementing mode; store holds
// the registered documents of the allow-list.
func PersistedQueries(mode PersistedQueryMode, store *db.Store) []graphql.HandlerExtension {
	switch mode {
	case AutomaticPersistedQueries:
		return []graphql.HandlerExtension{extension.AutomaticPersistedQuery{Cache: lru.New[string](apqCacheSize)}}
	case PersistedQueryAllowList:
		docs := registeredDocuments{store: store, cache: lru.New[string](apqCacheSize)}
		return []graphql.HandlerExtension{extension.AutomaticPersistedQuery{Cache: docs}, allowList{docs}}
	}
	return nil
}

// registeredDocuments is the allow-list as a gqlgen cache: documents are
// looked up in the store by hash (and kept in memory: a hash's document
// never changes); Add does nothing, since only the register command adds.
type registeredDocuments struct {
	store *db.Store
	cache *lru.LRU[string]
}

var _ graphql.Cache[string] = registeredDocuments{}

func (r registeredDocuments) Get(ctx context.Context, hash string) (string, bool) {
	document, err := r.lookup(ctx, hash)
	return document, err == nil && document != ""
}

func (registeredDocuments) Add(context.Context, string, string) {}

// lookup returns the document registered under hash, or "" when none is;
// err is a database failure.
func (r registeredDocuments) lookup(ctx context.Context, hash string) (string, error) {
	if document, ok := r.cache.Get(ctx, hash); ok {
		return document, nil
	}
	document, err := r.store.PersistedQueries.Document(ctx, hash)
	switch {
	case apperr.CodeOf(err) == apperr.NotFound:
		return "", nil
	case err != nil:
		slog.ErrorContext(ctx, "persisted query lookup failed", "err", err, "request_id", access.RecordFrom(ctx).RequestID)
		return "", err
	}
	r.cache.Add(ctx, hash, document)
	return document, nil
}

// allowList refuses every document that is not registered. It runs after
// automatic persisted queries, which has filled in a document sent by hash.
type allowList struct{ docs registeredDocuments }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationParameterMutator
} = allowList{}

func (allowList) ExtensionName() string                   { return "PersistedQueryAllowList" }
func (allowList) Validate(graphql.ExecutableSchema) error { return nil }

func (a allowList) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	hash := db.PersistedQueryHash(params.Query)
	document, err := a.docs.lookup(ctx, hash)
	switch {
	case err != nil:
		return codedError(apperr.Internal, "the persisted-query allow-list could not be read")
	case document == "":
		return codedError(apperr.PersistedQueryNotAllowed,
			"only registered documents run on this server; this one (sha256 %s) is not registered", hash)
	}
	return nil
}

func codedError(code apperr.Code, format string, args ...any) *gqlerror.Error {
	err := gqlerror.Errorf(format, args...)
	err.Extensions = map[string]any{"code": string(code)}
	return err
}
