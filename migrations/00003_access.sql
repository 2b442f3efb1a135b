-- Organisations, API clients with hashed keys, owner links for landlords, and
-- the append-only audit log.

-- +goose Up
CREATE TABLE organisation (
    id          bigserial PRIMARY KEY,
    name        varchar(200) NOT NULL UNIQUE,
    cvr         char(8) CHECK (cvr ~ '^[0-9]{8}$'),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- api_client is a principal: its profile decides what it may see; scopes
-- name the operations it may call. Only a SHA-256 hash of the key is kept.
CREATE TABLE api_client (
    id               bigserial PRIMARY KEY,
    organisation_id  bigint NOT NULL REFERENCES organisation (id),
    name             varchar(200) NOT NULL,
    profile          varchar(20) NOT NULL CHECK (profile IN ('AUTHORITY', 'PRIVATE', 'LANDLORD', 'ADMIN')),
    scopes           text[] NOT NULL DEFAULT '{}',
    key_hash         bytea NOT NULL UNIQUE,
    key_prefix       varchar(16) NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz,
    UNIQUE (organisation_id, name)
);

-- owner_link says that an organisation may run landlord lookups for an owner
-- number (a CVR or a CPR number).
CREATE TABLE owner_link (
    organisation_id  bigint NOT NULL REFERENCES organisation (id),
    owner_number     varchar(10) NOT NULL CHECK (owner_number ~ '^([0-9]{8}|[0-9]{10})$'),
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, owner_number)
);

-- +goose Down
DROP TABLE owner_link, api_client, organisation;
