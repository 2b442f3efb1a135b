-- A per-client daily lookup quota (issue 13). api_client.daily_quota is the
-- most GraphQL requests the client may make per Danish calendar day (NULL:
-- no quota). client_lookup_day counts them per client and day in the
-- database, so the quota holds across server instances; a request is
-- counted by one upsert just before it runs, and refused (not counted) when
-- the count has reached the quota.

-- +goose Up
ALTER TABLE api_client ADD COLUMN daily_quota integer CHECK (daily_quota >= 0);

CREATE TABLE client_lookup_day (
    client_id  bigint NOT NULL REFERENCES api_client (id) ON DELETE CASCADE,
    day        date NOT NULL,
    lookups    integer NOT NULL CHECK (lookups >= 0),
    PRIMARY KEY (client_id, day)
);

-- +goose Down
DROP TABLE client_lookup_day;
ALTER TABLE api_client DROP COLUMN daily_quota;
