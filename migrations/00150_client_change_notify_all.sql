-- Every change of an API client is announced on the api_client channel, not
-- only of its key and revocation: the servers' key caches (auth.keyCache)
-- hold the client's profile, scopes and quota too, and are emptied by the
-- notification.

-- +goose Up
DROP TRIGGER api_client_notify ON api_client;
CREATE TRIGGER api_client_notify
	AFTER UPDATE OR DELETE ON api_client
	FOR EACH ROW EXECUTE FUNCTION api_client_notify();

-- +goose Down
DROP TRIGGER api_client_notify ON api_client;
CREATE TRIGGER api_client_notify
	AFTER UPDATE OF key_hash, revoked_at OR DELETE ON api_client
	FOR EACH ROW EXECUTE FUNCTION api_client_notify();
