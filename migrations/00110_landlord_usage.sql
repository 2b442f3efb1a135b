-- Landlord lookups counted per organisation and month (issue 14): seed 000
-- prices each lookup (opslag), so an ADMIN can read how many lookups each
-- organisation made in a month. A lookup is counted once it has passed the
-- owner-link check, whether or not it found residents.

-- +goose Up
CREATE TABLE landlord_lookup_month (
    organisation_id  bigint NOT NULL REFERENCES organisation (id) ON DELETE CASCADE,
    month            date NOT NULL CHECK (extract(day FROM month) = 1),
    lookups          bigint NOT NULL CHECK (lookups >= 0),
    PRIMARY KEY (organisation_id, month)
);

-- +goose Down
DROP TABLE landlord_lookup_month;
