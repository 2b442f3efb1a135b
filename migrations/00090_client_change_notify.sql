-- Every change of an API client's credential (revocation, key rotation,
-- deletion) is announced on the api_client channel with the client's id,
-- so every server instance re-checks the credentials of its open streams
-- at once (auth.Authenticator; the periodic re-check is the fallback when
-- the listener is down).

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION api_client_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('api_client', OLD.id::text);
	RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER api_client_notify
	AFTER UPDATE OF key_hash, revoked_at OR DELETE ON api_client
	FOR EACH ROW EXECUTE FUNCTION api_client_notify();

-- +goose Down
DROP TRIGGER api_client_notify ON api_client;
DROP FUNCTION api_client_notify();
