-- The landlord lookup of a stairwell as pgbench runs it: the four statements
-- cprgraph runs for residents(input: {owner, darHouseNumberId, from}) in
-- db.Store.Residents (OwnerLinked, darAddresses, currentOwnedFrom,
-- residents; copied from db/landlord.go), the first one folded into picking
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
SELECT max(ejet_fra) AS owned_from FROM ejerskab
		WHERE bfe_nummer = :bfe AND (ejer_cvr = :owner OR ejer_cpr = :owner)
		  AND status = 'gældende' AND ejet_fra <= :today AND (ejet_til IS NULL OR ejet_til > :today) \gset
WITH dwelling AS (
		SELECT a.id, a.kommune_kode, a.vej_kode, a.husnummer, a.etage, a.side_doer_nummer, given.position
		FROM unnest(:ids::uuid[]) WITH ORDINALITY AS given (id, position)
		JOIN dar_adresse a ON a.id = given.id
	), current_stay AS (
		SELECT d.id AS dar_adresse_id, p.cpr, k.tilflytnings_dato::date AS move_in, NULL::date AS move_out
		FROM dwelling d
		JOIN person p ON p.kommune_kode = d.kommune_kode AND p.vej_kode = d.vej_kode AND p.husnummer = d.husnummer
			AND COALESCE(p.etage, '') = d.etage AND COALESCE(p.side_doer_nummer, '') = d.side_doer_nummer
		LEFT JOIN personkontakt k ON k.cpr = p.cpr
		WHERE p.status IN ('01', '03', '05', '07')
	), past_stay AS (
		SELECT d.id AS dar_adresse_id, h.id, h.cpr, h.tilflytnings_dato::date AS move_in,
			h.fraflytnings_dato::date AS move_out,
			CASE h.ret_fortryd_aendring WHEN 'A' THEN 0 WHEN 'K' THEN 1 ELSE 2 END AS rank
		FROM dwelling d
		JOIN historiskeadresser h ON h.kommune_kode = d.kommune_kode AND h.vej_kode = d.vej_kode AND h.husnummer = d.husnummer
			AND COALESCE(h.etage, '') = d.etage AND COALESCE(h.side_doer_nummer, '') = d.side_doer_nummer
		WHERE h.fraflytnings_dato IS NOT NULL
	), stay AS (
		SELECT dar_adresse_id, cpr, move_in, move_out FROM current_stay
		UNION ALL
		SELECT s.dar_adresse_id, s.cpr, s.move_in, s.move_out FROM past_stay s
		WHERE s.rank > 0 AND NOT EXISTS (
			SELECT 1 FROM past_stay o
			WHERE o.cpr = s.cpr AND o.dar_adresse_id = s.dar_adresse_id AND o.id <> s.id
			  AND COALESCE(o.move_in, '-infinity') <= s.move_out AND COALESCE(s.move_in, '-infinity') <= o.move_out
			  AND (o.rank < s.rank OR (o.rank = s.rank AND o.id > s.id)))
	)
	SELECT s.dar_adresse_id, s.cpr, p.adresserings_navn,
		GREATEST(s.move_in, :owned_from::date) AS move_in, s.move_out,
		COALESCE(k.navne_adressebeskyttelse_start_dato, p.navnebeskyttelsestartdato::date) AS protection_start,
		CASE WHEN k.navne_adressebeskyttelse_start_dato IS NOT NULL THEN k.navne_adressebeskyttelse_slette_dato
	     ELSE p.navnebeskyttelseslettedato::date END AS protection_end
	FROM stay s
	JOIN dwelling d ON d.id = s.dar_adresse_id
	LEFT JOIN person p ON p.cpr = s.cpr
	LEFT JOIN personkontakt k ON k.cpr = s.cpr
	WHERE COALESCE(s.move_in, '-infinity') <= :to_date::date
	  AND (s.move_out IS NULL OR s.move_out >= GREATEST(:owned_from::date, :from_date::date))
	ORDER BY d.position, move_in, s.move_out NULLS LAST, s.cpr;
