-- Registered purposes (issue 17): api_client.purposes restricts an API
-- client to stating one of these purposes (access rule 18); NULL leaves it
-- unrestricted. Set by `cprgraph admin client-purposes`; an empty list is
-- not allowed (it would refuse every request: revoke the key instead).

-- +goose Up
ALTER TABLE api_client ADD COLUMN purposes text[] CHECK (cardinality(purposes) > 0);

-- +goose Down
ALTER TABLE api_client DROP COLUMN purposes;
