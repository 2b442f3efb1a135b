-- The point lookup as pgbench runs it: the statement cprgraph runs for
-- person(cpr) (db.RegisterStore.PersonsByCPR of one number: personSelect WHERE
-- p.cpr = $1, copied from db/person.go; bench/sql_test.go checks the copy),
-- with the CPR number picked at random from bench.cpr inside the same
-- statement. Run with -M prepared -D n=<rows of bench.cpr>.
\set i random(1, :n)
SELECT p.cpr, p.adresserings_navn, p.bygningsnummer, p.bynavn, p.co_navn, p.efternavn,
	p.efternavn_markering, p.etage, p.foedselsdato, p.foedselsdato_markering, p.fornavn, p.fornavn_markering,
	p.gaeldende_cpr, p.husnummer, p.koen, p.kommune_kode, p.lokalitet, p.mellemnavn, p.mellemnavn_markering,
	p.navn_start_dato, p.navn_start_dato_markering, p.postdistrikt, p.postnummer, p.side_doer_nummer,
	p.standard_adresse, p.status, p.status_dato, p.status_markering, p.stilling, p.vej_kode, p.vejnavn,
	name_address_protected(p.cpr) AS protected,
	p.navnebeskyttelsestartdato::date AS "n.start", p.navnebeskyttelseslettedato::date AS "n.delete",
	COALESCE(protection_active(p.navnebeskyttelsestartdato::date, p.navnebeskyttelseslettedato::date, danish_today()), false) AS "n.active",
	k.navne_adressebeskyttelse_start_dato AS "k.na.start", k.navne_adressebeskyttelse_slette_dato AS "k.na.delete",
	COALESCE(protection_active(k.navne_adressebeskyttelse_start_dato, k.navne_adressebeskyttelse_slette_dato, danish_today()), false) AS "k.na.active",
	k.vejviserbeskyttelse_start_dato AS "k.dir.start", k.vejviserbeskyttelse_slette_dato AS "k.dir.delete",
	COALESCE(protection_active(k.vejviserbeskyttelse_start_dato, k.vejviserbeskyttelse_slette_dato, danish_today()), false) AS "k.dir.active",
	k.markedsfoeringsbeskyttelse_start_dato AS "k.mkt.start", k.markedsfoeringsbeskyttelse_slette_dato AS "k.mkt.delete",
	COALESCE(protection_active(k.markedsfoeringsbeskyttelse_start_dato, k.markedsfoeringsbeskyttelse_slette_dato, danish_today()), false) AS "k.mkt.active",
	k.forskerbeskyttelse_start_dato AS "k.res.start", k.forskerbeskyttelse_slette_dato AS "k.res.delete",
	COALESCE(protection_active(k.forskerbeskyttelse_start_dato, k.forskerbeskyttelse_slette_dato, danish_today()), false) AS "k.res.active",
	k.tilflytnings_dato AS "k.tilflytnings_dato",
	k.kontakt_adr1 AS "k.kontakt_adr1", k.kontakt_adr2 AS "k.kontakt_adr2", k.kontakt_adr3 AS "k.kontakt_adr3",
	k.kontakt_adr4 AS "k.kontakt_adr4", k.kontakt_adr5 AS "k.kontakt_adr5",
	k.start_dato_kontakt_adr AS "k.start_dato_kontakt_adr", k.slette_dato_kontakt_adr AS "k.slette_dato_kontakt_adr",
	k.udlands_adr1 AS "k.udlands_adr1", k.udlands_adr2 AS "k.udlands_adr2", k.udlands_adr3 AS "k.udlands_adr3",
	k.udlands_adr4 AS "k.udlands_adr4", k.udlands_adr5 AS "k.udlands_adr5",
	k.udrejse_dato AS "k.udrejse_dato", k.udrejse_landekode AS "k.udrejse_landekode",
	k.supplerende_adr1 AS "k.supplerende_adr1", k.supplerende_adr2 AS "k.supplerende_adr2",
	k.supplerende_adr3 AS "k.supplerende_adr3", k.supplerende_adr4 AS "k.supplerende_adr4",
	k.supplerende_adr5 AS "k.supplerende_adr5",
	k.statsborgerskab_landekode AS "k.statsborgerskab_landekode", k.statsborgerskab_start_dato AS "k.statsborgerskab_start_dato",
	f.civilstand AS "f.civilstand", f.civilstand_start_dato AS "f.civilstand_start_dato",
	f.aegtefaelle_cpr AS "f.aegtefaelle_cpr",
	CASE WHEN f.aegtefaelle_cpr IS NULL THEN f.aegtefaelle_navn END AS "f.aegtefaelle_navn",
	CASE WHEN f.aegtefaelle_cpr IS NULL THEN f.aegtefaelle_foedsels_dato END AS "f.aegtefaelle_foedsels_dato",
	f.seperation_start_dato AS "f.seperation_start_dato",
	f.mor_cpr AS "f.mor_cpr", CASE WHEN f.mor_cpr IS NULL THEN f.mor_navn END AS "f.mor_navn",
	CASE WHEN f.mor_cpr IS NULL THEN f.mor_foedselsdato END AS "f.mor_foedselsdato", f.mor_dato AS "f.mor_dato",
	f.far_cpr AS "f.far_cpr", CASE WHEN f.far_cpr IS NULL THEN f.far_navn END AS "f.far_navn",
	CASE WHEN f.far_cpr IS NULL THEN f.far_foedselsdato END AS "f.far_foedselsdato", f.far_dato AS "f.far_dato",
	u.folkekirke_forhold AS "u.folkekirke_forhold", u.folkekirke_start_dato AS "u.folkekirke_start_dato",
	d.start_dato AS shared_residence_start,
	m.email, m.mobil_telefon AS mobile_phone, m.mobil_udenlandsk AS foreign_mobile_phone
	FROM person p
	LEFT JOIN personkontakt k ON k.cpr = p.cpr
	LEFT JOIN personfamilie f ON f.cpr = p.cpr
	LEFT JOIN personudvidet u ON u.cpr = p.cpr
	LEFT JOIN deltbopael d ON d.cpr = p.cpr
	LEFT JOIN personkommunikation m ON m.cpr = p.cpr WHERE p.cpr = (SELECT cpr FROM bench.cpr WHERE i = :i);
