-- No two audit rows may follow the same row: with this index an append
-- chained to a hash that is no longer the last one fails instead of forking
-- the chain, so a writer may chain to the last hash it wrote without reading
-- the log's first (see db.Store.AppendAudits). The empty hash, the first
-- row's prev_hash, is unique too.

-- +goose Up
CREATE UNIQUE INDEX audit_log_prev_hash_key ON audit_log (prev_hash);

-- +goose Down
DROP INDEX audit_log_prev_hash_key;
