-- The landlord lookup of a stairwell as pgbench runs it: the four statements
-- cprgraph runs for residents(input: {owner, darHouseNumberId, from}) in
-- db.LandlordStore.Residents and its owner check (ClientStore.OwnerNumbers, darAddresses,
-- currentOwnedFrom, residents; copied from db/client.go and db/landlord.go,
-- the residents query checked by
-- bench/sql_test.go), the first one folded into picking
-- a stairwell at random from bench.stairwell. Run with -M prepared -D n=<rows
-- of bench.stairwell>.
\set i random(1, :n)
SELECT s.owner, s.bfe, s.hid, s.ids, s.from_date, s.to_date, s.today,
	EXISTS (SELECT 1 FROM owner_link WHERE organisation_id = s.org AND owner_number = s.owner) AS linked
	FROM bench.stairwell s WHERE s.i = :i \gset
SELECT id, husnummer_id, kommune_kode, vej_kode, vejnavn, husnummer, etage,
	side_doer_nummer, postnummer, postdistrikt, bfe_nummer
	FROM dar_adresse WHERE husnummer_id = :hid
	ORDER BY CASE WHEN etage ~ '^[0-9]+$' THEN etage::integer WHEN etage = 'st' THEN 0 ELSE -1 END,
	etage, side_doer_nummer;
SELECT array_fill(max(ejet_fra), ARRAY[cardinality(:ids::uuid[])])::text AS owned_from FROM ejerskab
		WHERE bfe_nummer = :bfe AND (ejer_cvr = :owner OR ejer_cpr = :owner)
		  AND status = 'gældende' AND ejet_fra <= :today AND (ejet_til IS NULL OR ejet_til > :today) \gset
WITH dwelling AS (
		SELECT a.id, a.kommune_kode, a.vej_kode, a.husnummer, a.etage, a.side_doer_nummer, given.position,
			given.owned_from
		FROM unnest(:ids::uuid[], :owned_from::date[]) WITH ORDINALITY AS given (id, owned_from, position)
		JOIN dar_adresse a ON a.id = given.id
	), house AS MATERIALIZED (
		SELECT DISTINCT kommune_kode, vej_kode, husnummer FROM dwelling
	), registered AS MATERIALIZED (
		SELECT p.cpr, p.kommune_kode, p.vej_kode, p.husnummer,
			COALESCE(p.etage, '') AS etage, COALESCE(p.side_doer_nummer, '') AS side_doer_nummer,
			p.adresserings_navn, k.tilflytnings_dato::date AS move_in,
			name_address_protected(p.cpr) AS protected
		FROM house s
		JOIN person p ON p.kommune_kode = s.kommune_kode AND p.vej_kode = s.vej_kode AND p.husnummer = s.husnummer
		LEFT JOIN personkontakt k ON k.cpr = p.cpr
		WHERE p.status IN ('01', '03', '05', '07')
	), moved AS MATERIALIZED (
		SELECT h.id, h.cpr, h.kommune_kode, h.vej_kode, h.husnummer,
			COALESCE(h.etage, '') AS etage, COALESCE(h.side_doer_nummer, '') AS side_doer_nummer,
			h.tilflytnings_dato, h.fraflytnings_dato, h.ret_fortryd_aendring
		FROM house s
		JOIN historiskeadresser h ON h.kommune_kode = s.kommune_kode AND h.vej_kode = s.vej_kode AND h.husnummer = s.husnummer
		WHERE h.fraflytnings_dato IS NOT NULL
	), past_stay AS (
		SELECT d.id AS dar_adresse_id, d.position, d.owned_from, h.id, h.cpr, h.tilflytnings_dato::date AS move_in,
			h.fraflytnings_dato::date AS move_out,
			CASE h.ret_fortryd_aendring WHEN 'A' THEN 0 WHEN 'K' THEN 1 ELSE 2 END AS rank
		FROM moved h
		JOIN dwelling d ON d.kommune_kode = h.kommune_kode AND d.vej_kode = h.vej_kode AND d.husnummer = h.husnummer
			AND d.etage = h.etage AND d.side_doer_nummer = h.side_doer_nummer
	), stay AS (
		SELECT d.id AS dar_adresse_id, d.position, d.owned_from, r.cpr, r.adresserings_navn, r.move_in, NULL::date AS move_out,
			r.protected
		FROM registered r
		JOIN dwelling d ON d.kommune_kode = r.kommune_kode AND d.vej_kode = r.vej_kode AND d.husnummer = r.husnummer
			AND d.etage = r.etage AND d.side_doer_nummer = r.side_doer_nummer
		UNION ALL
		SELECT s.dar_adresse_id, s.position, s.owned_from, s.cpr, p.adresserings_navn, s.move_in, s.move_out,
			name_address_protected(s.cpr) AS protected
		FROM past_stay s
		LEFT JOIN person p ON p.cpr = s.cpr
		WHERE s.rank > 0 AND NOT EXISTS (
			SELECT 1 FROM past_stay o
			WHERE o.cpr = s.cpr AND o.dar_adresse_id = s.dar_adresse_id AND o.id <> s.id
			  AND COALESCE(o.move_in, '-infinity') <= s.move_out AND COALESCE(s.move_in, '-infinity') <= o.move_out
			  AND (o.rank < s.rank OR (o.rank = s.rank AND o.id > s.id)))
	)
	SELECT dar_adresse_id, cpr, adresserings_navn, GREATEST(move_in, owned_from) AS move_in, move_out,
		protected
	FROM stay
	WHERE COALESCE(move_in, '-infinity') <= :to_date::date
	  AND (move_out IS NULL OR move_out >= GREATEST(owned_from, :from_date::date))
	ORDER BY position, move_in, move_out NULLS LAST, cpr;
