-- Ownerships imported from Ejerfortegnelsen (EJF Ejerskab) carry EJF's id
-- (id_lokalId), so that a re-import updates the ownership it imported before
-- (an ownership change ends the old one: virkningTil, status historisk).

-- +goose Up
ALTER TABLE ejerskab ADD COLUMN ejf_id uuid UNIQUE;

-- +goose Down
ALTER TABLE ejerskab DROP COLUMN ejf_id;
