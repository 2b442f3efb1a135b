-- Change events of persons (the event kinds of seed 001's
-- PersonHændelseSamlingHent), written by the importer in the transaction that
-- changes the register. id is the resumable cursor: writers lock the table
-- against each other (db.LockEvents), so ids become visible in id order.
-- registered_at is the registration time, the start of the inserting
-- statement (not the time the change took effect: effective_date). Every
-- insert is announced on the channel person_event with the new id as
-- payload, so subscribers on any server instance see it (LISTEN/NOTIFY).

-- +goose Up
CREATE TABLE person_event (
    id              bigserial PRIMARY KEY,
    registered_at   timestamptz NOT NULL DEFAULT statement_timestamp(),
    kind            text NOT NULL CHECK (kind IN (
                        'CREATION', 'CIVIL_STATUS', 'RELATION', 'ADDRESS', 'FORWARDING_ADDRESS',
                        'GUARDIAN_ADDRESS', 'IMMIGRATION', 'FOUND', 'ADDRESS_PROTECTION', 'DEATH',
                        'REVIVAL', 'NAME_CHANGE', 'STATUS_CHANGE', 'PLANNED_DELETION', 'INCAPACITY')),
    cpr             cpr_nummer NOT NULL,
    kommune_kode    kommune_kode,
    effective_date  date,
    data            jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX person_event_registered_idx ON person_event (registered_at, id);
CREATE INDEX person_event_cpr_idx ON person_event (cpr, id);
CREATE INDEX person_event_kind_idx ON person_event (kind, id);

-- +goose StatementBegin
CREATE FUNCTION person_event_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('person_event', NEW.id::text);
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER person_event_notify AFTER INSERT ON person_event
    FOR EACH ROW EXECUTE FUNCTION person_event_notify();

-- +goose Down
DROP TABLE person_event;
DROP FUNCTION person_event_notify();
