-- cprgraph_app is the group role of the running server. It may read and write
-- the register's tables but only read and append to audit_log: no UPDATE,
-- DELETE or TRUNCATE there, so even a compromised server cannot rewrite
-- history (the hash chain and audit-verify detect what a superuser does).
-- Production runs migrations as the owner role and the server as a LOGIN role
-- that is a member of cprgraph_app (see README "Access and audit").
-- Roles belong to the whole cluster, so the role is created only when absent.

-- +goose Up
-- +goose StatementBegin
DO $$
BEGIN
    CREATE ROLE cprgraph_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;
-- +goose StatementEnd
GRANT USAGE ON SCHEMA public TO cprgraph_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO cprgraph_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO cprgraph_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM cprgraph_app;
-- The server checks the migration state on start but never migrates as this role.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON goose_db_version FROM cprgraph_app;
-- Tables and sequences of later migrations (run by the same owner) too.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO cprgraph_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO cprgraph_app;

-- +goose Down
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM cprgraph_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM cprgraph_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM cprgraph_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM cprgraph_app;
REVOKE USAGE ON SCHEMA public FROM cprgraph_app;
