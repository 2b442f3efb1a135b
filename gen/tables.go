package gen

// tableID names a table the generator fills.
type tableID uint8

// The tables in load order: properties before the addresses and ownerships
// that refer to them.
const (
	tEjendom tableID = iota
	tDarAdresse
	tEjerskab
	tPerson
	tPersonfamilie
	tPersonkontakt
	tPersonudvidet
	tBarnrelation
	tDeltbopael
	tForaeldremyndighed
	tHistAdresser
	tHistCivilstande
	tHistFolkekirke
	tHistForsvind
	tHistNavne
	tHistPersonnumre
	tHistRejse
	tHistSeparationer
	tHistStatsborgerskaber
	tNotat
	tUmyndiggoerelse
)

// table is a table and the columns the generator fills, in the order its
// writer writes them.
type table struct {
	name string
	cols string
}

var tables = [...]table{
	tEjendom:    {"ejendom", "bfe_nummer, betegnelse"},
	tDarAdresse: {"dar_adresse", "id, husnummer_id, kommune_kode, vej_kode, vejnavn, husnummer, etage, side_doer_nummer, postnummer, postdistrikt, bfe_nummer"},
	tEjerskab:   {"ejerskab", "bfe_nummer, ejer_cvr, ejer_cpr, ejet_fra, ejet_til, status"},
	tPerson: {"person", "cpr, adresserings_navn, fornavn, mellemnavn, efternavn, navn_start_dato, foedselsdato, koen, " +
		"status, status_dato, gaeldende_cpr, stilling, navnebeskyttelsestartdato, navnebeskyttelseslettedato, " +
		"kommune_kode, vej_kode, husnummer, etage, side_doer_nummer, vejnavn, postnummer, postdistrikt, standard_adresse"},
	tPersonfamilie: {"personfamilie", "cpr, civilstand, civilstand_start_dato, aegtefaelle_cpr, aegtefaelle_navn, aegtefaelle_foedsels_dato, " +
		"seperation_start_dato, seperation_civilstand_henvisning, " +
		"mor_cpr, mor_dato, mor_navn, mor_foedselsdato, far_cpr, far_dato, far_navn, far_foedselsdato"},
	tPersonkontakt: {"personkontakt", "cpr, kommune_kode, vej_kode, husnummer, etage, side_doer_nummer, " +
		"tilflytnings_dato, start_dato_adr, start_myndighed_adr, tilflytning_kommune_dato, fraflytning_kommune_kode, fraflytning_kommune_dato, " +
		"statsborgerskab_landekode, statsborgerskab_start_dato, udrejse_dato, udrejse_landekode, udlands_adr1, udlands_adr2, udlands_adr3, " +
		"forsvindings_dato, kontakt_adr1, kontakt_adr2, kontakt_adr3, start_dato_kontakt_adr, supplerende_adr1, supplerende_adr2, " +
		"navne_adressebeskyttelse_start_dato, navne_adressebeskyttelse_slette_dato, markedsfoeringsbeskyttelse_start_dato, " +
		"markedsfoeringsbeskyttelse_slette_dato, vejviserbeskyttelse_start_dato, vejviserbeskyttelse_slette_dato, " +
		"forskerbeskyttelse_start_dato, forskerbeskyttelse_slette_dato"},
	tPersonudvidet: {"personudvidet", "cpr, folkekirke_forhold, folkekirke_start_dato, foedselsregistreringssted_kode, foedselsregistreringssted_tekst, " +
		"valg_kode, valgret_dato, valg_oplysninger_start_dato, valg_oplysninger_slette_dato, " +
		"kommunaleforhold_type, kommunaleforhold_kode, kommunaleforhold_start_dato"},
	tBarnrelation: {"barnrelation", "id, barn_cpr, cpr"},
	tDeltbopael:   {"deltbopael", "cpr, start_dato"},
	tForaeldremyndighed: {"foraeldremyndighedrelation", "id, cpr, type_kode, type_tekst, foraeldre_myndighed_start_dato, " +
		"foraeldre_myndighed_slette_dato, relation_cpr, relation_cpr_start_dato"},
	tHistAdresser: {"historiskeadresser", "id, cpr, kommune_kode, vej_kode, husnummer, etage, side_doer_nummer, " +
		"tilflytnings_dato, fraflytnings_dato, ret_fortryd_aendring"},
	tHistCivilstande:       {"historiskecivilstande", "id, cpr, civilstand, start_dato, slut_dato, aegtefaelle_cpr, seperation_henvisning"},
	tHistFolkekirke:        {"historiskefolkekirkeoplysninger", "id, cpr, folkekirkeforhold, start_dato, slut_dato"},
	tHistForsvind:          {"historiskeforsvindgenfindoplysninger", "id, cpr, forsvindings_dato, genfindings_dato, ret_fortryd_aendring"},
	tHistNavne:             {"historiskenavneoplysninger", "id, cpr, fornavn, mellemnavn, efternavn, start_dato, slut_dato"},
	tHistPersonnumre:       {"historiskepersonnumre", "id, cpr, historisk_cpr, start_dato, slut_dato"},
	tHistRejse:             {"historiskerejseoplysninger", "id, cpr, udrejse_dato, udrejse_landekode, udlands_adr1, udlands_adr2, udlands_adr3, indrejse_dato, indrejse_landekode"},
	tHistSeparationer:      {"historiskeseparationer", "id, cpr, start_dato, slut_dato, civilstand_henvisning"},
	tHistStatsborgerskaber: {"historiskestatsborgerskaber", "id, cpr, landekode, start_dato, slut_dato"},
	tNotat:                 {"notat", "id, cpr, notat_nummer, notat_linje, start_dato, slet_dato"},
	tUmyndiggoerelse: {"umyndiggoerelsevaergerelation", "id, cpr, type_kode, type_tekst, umyndig_start_dato, umyndig_slette_dato, " +
		"relation_cpr, relation_cpr_start_dato, vaerges_navn, vaerges_navn_start_dato, relations_tekst1, relations_tekst2"},
}
