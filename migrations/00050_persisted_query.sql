-- Registered GraphQL documents (persisted queries), keyed by the SHA-256 of
-- their exact text, as automatic persisted queries name them. In allow-list
-- mode (PERSISTED_QUERIES=allowlist) only these documents run. Registered
-- with `cprgraph persisted-queries register`; a document never changes
-- under its hash.

-- +goose Up
CREATE TABLE persisted_query (
    sha256          text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    document        text NOT NULL,
    operation_names text[] NOT NULL DEFAULT '{}',
    registered_at   timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE persisted_query;
