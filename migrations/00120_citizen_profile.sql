-- The CITIZEN profile (issue 17): a citizen asks who looked up its own CPR
-- number (myLookups). Citizens come by JWT, their subject the number; an API
-- client of the profile may exist but has no number of its own and lists
-- nothing (access rule 17).

-- +goose Up
ALTER TABLE api_client DROP CONSTRAINT api_client_profile_check;
ALTER TABLE api_client ADD CONSTRAINT api_client_profile_check
    CHECK (profile IN ('AUTHORITY', 'PRIVATE', 'LANDLORD', 'ADMIN', 'CITIZEN'));

-- +goose Down
DELETE FROM api_client WHERE profile = 'CITIZEN';
ALTER TABLE api_client DROP CONSTRAINT api_client_profile_check;
ALTER TABLE api_client ADD CONSTRAINT api_client_profile_check
    CHECK (profile IN ('AUTHORITY', 'PRIVATE', 'LANDLORD', 'ADMIN'));
