package db_test

import (
	"context"
	"testing"
	"time"

	"cprgraph/db"
	"cprgraph/db/dbtest"
)

func TestCohabitationFacts(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	if _, err := conn.Exec(`
		INSERT INTO person (cpr, status, status_dato, kommune_kode, vej_kode, husnummer, etage, side_doer_nummer, start_dato) VALUES
			('0101701234', '90', '2026-01-10', 101, 1234, '12a', 'ST', 'TV', '2020-01-01'),
			('0202702345', '01', NULL, 101, 1234, '12A', 'st', 'tv', '2020-01-01'),
			('0303703456', '03', NULL, 101, 9901, '1', NULL, NULL, '2020-01-01');
		INSERT INTO personkontakt (cpr, tilflytnings_dato) VALUES ('0202702345', '2020-02-01');
		INSERT INTO personfamilie (cpr, civilstand, aegtefaelle_cpr, civilstand_start_dato, seperation_start_dato) VALUES
			('0202702345', 'G', '0101701234', '2015-05-05', '2025-01-01');
		INSERT INTO historiskecivilstande (id, cpr, civilstand, aegtefaelle_cpr, start_dato, slut_dato, ret_fortryd_aendring) VALUES
			('c1', '0202702345', 'U', NULL, '1970-02-02', '2015-05-05', NULL),
			('c2', '0202702345', 'G', '0303703456', '2000-01-01', '2001-01-01', 'A');
		INSERT INTO historiskeseparationer (id, cpr, start_dato, slut_dato) VALUES ('s1', '0202702345', '2018-01-01', '2018-06-01');
		INSERT INTO historiskeadresser (id, cpr, kommune_kode, vej_kode, husnummer, tilflytnings_dato, fraflytnings_dato, ret_fortryd_aendring) VALUES
			('h1', '0202702345', 751, 42, '3', '2010-01-01', '2020-01-31', NULL),
			('h2', '0202702345', 751, 43, '3', '2011-01-01', '2011-02-01', 'A'),
			('h3', '0202702345', 751, 9950, '3', '2005-01-01', '2006-01-01', NULL)`); err != nil {
		t.Fatal(err)
	}
	f, err := db.NewStore(conn).Register.CohabitationFacts(context.Background(), []string{"0101701234", "0202702345", "0303703456", "0404704567"})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Known) != 3 || f.Known["0404704567"] {
		t.Errorf("known %v", f.Known)
	}
	if death, ok := f.Deaths["0101701234"]; !ok || death.Format(time.DateOnly) != "2026-01-10" || len(f.Deaths) != 1 {
		t.Errorf("deaths %v", f.Deaths)
	}
	if len(f.CivilStatuses) != 2 || f.CivilStatuses[0].Code != "U" || f.CivilStatuses[1].Code != "G" || *f.CivilStatuses[1].SpouseCPR != "0101701234" || f.CivilStatuses[1].End != nil {
		t.Errorf("civil statuses (the annulled one left out) %+v", f.CivilStatuses)
	}
	if len(f.Separations) != 2 {
		t.Errorf("separations %+v", f.Separations)
	}
	var stays []string
	for _, r := range f.Residences {
		out := "now"
		if r.MoveOut != nil {
			out = r.MoveOut.Format(time.DateOnly)
		}
		stays = append(stays, r.CPR[:4]+" "+r.Dwelling+" "+r.MoveIn.Format(time.DateOnly)+" "+out)
	}
	want := []string{
		"0101 101/1234/12A/st/tv 2020-01-01 2026-01-10", // dead: the stay ends on the day of death
		"0202 751/42/3// 2010-01-01 2020-01-31",         // the annulled and the special road code left out
		"0202 101/1234/12A/st/tv 2020-02-01 now",        // moved in by tilflytningsdato
	}
	if len(stays) != len(want) {
		t.Fatalf("residences %q, want %q", stays, want)
	}
	for i := range want {
		if stays[i] != want[i] {
			t.Errorf("residence %d: %q, want %q", i, stays[i], want[i])
		}
	}
}
