package gen_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/cpr"
	"cprgraph/db"
	"cprgraph/db/dbtest"
	"cprgraph/gen"
)

var today = time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC)

// schema describes the indexes and constraints of the database.
const schema = `
	SELECT string_agg(def, E'\n' ORDER BY def) FROM (
		SELECT indexdef AS def FROM pg_indexes WHERE schemaname = 'public'
		UNION ALL
		SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
		WHERE connamespace = 'public'::regnamespace) d`

func load(t *testing.T, persons int, seed int64) (*sqlx.DB, gen.Stats) {
	t.Helper()
	conn := dbtest.New(t)
	var before, after string
	if err := conn.Get(&before, schema); err != nil {
		t.Fatal(err)
	}
	stats, err := gen.Load(context.Background(), conn, gen.Options{Persons: persons, Seed: seed, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(stats)
	if err := conn.Get(&after, schema); err != nil {
		t.Fatal(err)
	}
	if before != after {
		t.Errorf("Load changed the indexes or constraints:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	return conn, stats
}

func count(t *testing.T, conn *sqlx.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := conn.Get(&n, query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestLoad(t *testing.T) {
	t.Parallel()
	conn, stats := load(t, 2000, 1)
	ctx := context.Background()

	if got := stats.Rows("person"); got != 2000 {
		t.Errorf("person rows = %d, want 2000", got)
	}
	for table, min := range map[string]int64{
		"personfamilie": 1900, "personkontakt": 1900, "personudvidet": 1900, "dar_adresse": 900,
		"ejendom": 300, "ejerskab": 300, "barnrelation": 1000, "historiskeadresser": 3000,
		"historiskecivilstande": 500, "historiskenavneoplysninger": 50, "foraeldremyndighedrelation": 300,
		"historiskerejseoplysninger": 100, "historiskefolkekirkeoplysninger": 50,
	} {
		if got := stats.Rows(table); got < min {
			t.Errorf("%s rows = %d, want at least %d", table, got, min)
		}
		if got := int64(count(t, conn, "SELECT count(*) FROM "+table)); got != stats.Rows(table) {
			t.Errorf("%s: %d rows in the table, Stats says %d", table, got, stats.Rows(table))
		}
	}

	t.Run("numbers", func(t *testing.T) {
		var rows []struct {
			CPR   string    `db:"cpr"`
			Birth time.Time `db:"foedselsdato"`
			Sex   string    `db:"koen"`
		}
		if err := conn.SelectContext(ctx, &rows, "SELECT cpr, foedselsdato, koen FROM person"); err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			n, err := cpr.Parse(r.CPR)
			if err != nil {
				t.Fatalf("%s: %v", r.CPR, err)
			}
			if !n.BirthDate().Equal(r.Birth) || string(n.Sex()) != r.Sex {
				t.Errorf("%s: born %v sex %s, number says %v %s", r.CPR, r.Birth, r.Sex, n.BirthDate(), n.Sex())
			}
		}
	})

	t.Run("addresses exist", func(t *testing.T) {
		const missing = `
			SELECT count(*) FROM %s p
			WHERE p.vej_kode IS NOT NULL AND NOT EXISTS (
				SELECT 1 FROM dar_adresse a WHERE a.kommune_kode = p.kommune_kode AND a.vej_kode = p.vej_kode
					AND a.husnummer = p.husnummer AND a.etage = coalesce(p.etage, '')
					AND a.side_doer_nummer = coalesce(p.side_doer_nummer, '') %s)`
		for _, q := range []string{
			fmt.Sprintf(missing, "person", "AND a.vejnavn = p.vejnavn AND a.postnummer = p.postnummer AND a.postdistrikt = p.postdistrikt"),
			fmt.Sprintf(missing, "personkontakt", ""),
			fmt.Sprintf(missing, "historiskeadresser", ""),
		} {
			if n := count(t, conn, q); n != 0 {
				t.Errorf("%d addresses not in dar_adresse: %s", n, q)
			}
		}
		if n := count(t, conn, `SELECT count(*) FROM person WHERE status = '01' AND vej_kode IS NULL`); n != 0 {
			t.Errorf("%d active persons without an address", n)
		}
		if n := count(t, conn, `SELECT count(*) FROM person p JOIN personkontakt k USING (cpr)
			WHERE p.vej_kode IS NOT NULL AND (k.tilflytnings_dato IS NULL OR k.vej_kode <> p.vej_kode)`); n != 0 {
			t.Errorf("%d persons whose personkontakt address differs", n)
		}
	})

	t.Run("content", func(t *testing.T) {
		for what, q := range map[string]string{
			"active protections": `SELECT count(*) FROM personkontakt WHERE navne_adressebeskyttelse_start_dato <= $1
				AND (navne_adressebeskyttelse_slette_dato IS NULL OR navne_adressebeskyttelse_slette_dato > $1)`,
			"expired protections": `SELECT count(*) FROM personkontakt WHERE navne_adressebeskyttelse_slette_dato <= $1`,
			"future protections":  `SELECT count(*) FROM personkontakt WHERE navne_adressebeskyttelse_start_dato > $1`,
			"deaths":              `SELECT count(*) FROM person WHERE status = '90' AND status_dato <= $1 AND vej_kode IS NULL`,
			"emigrations": `SELECT count(*) FROM person p JOIN personkontakt k USING (cpr)
				WHERE p.status = '80' AND k.udlands_adr1 IS NOT NULL AND k.udrejse_dato <= $1`,
			"recent move-outs": `SELECT count(*) FROM historiskeadresser WHERE ret_fortryd_aendring IS NULL AND fraflytnings_dato > $1::date - 365`,
		} {
			if n := count(t, conn, q, today); n == 0 {
				t.Errorf("no %s", what)
			}
		}
		for what, q := range map[string]string{
			"annulled moves": `SELECT count(*) FROM historiskeadresser a JOIN historiskeadresser m USING (cpr, kommune_kode, vej_kode, husnummer)
				WHERE a.ret_fortryd_aendring = 'A' AND m.ret_fortryd_aendring IS NULL AND m.tilflytnings_dato = a.tilflytnings_dato`,
			"corrected moves": `SELECT count(*) FROM historiskeadresser k JOIN historiskeadresser m USING (cpr, kommune_kode, vej_kode, husnummer)
				WHERE k.ret_fortryd_aendring = 'K' AND m.ret_fortryd_aendring IS NULL AND m.tilflytnings_dato < k.tilflytnings_dato
				AND m.fraflytnings_dato = k.fraflytnings_dato`,
			"old numbers": `SELECT count(*) FROM person p JOIN historiskepersonnumre h ON h.historisk_cpr = p.cpr WHERE p.gaeldende_cpr = h.cpr AND p.status IN ('50', '60')`,
			"marriages": `SELECT count(*) FROM personfamilie f JOIN personfamilie s ON s.cpr = f.aegtefaelle_cpr
				WHERE f.civilstand = 'G' AND s.civilstand = 'G' AND s.aegtefaelle_cpr = f.cpr`,
			"widowed":      `SELECT count(*) FROM personfamilie f JOIN person s ON s.cpr = f.aegtefaelle_cpr WHERE f.civilstand = 'E' AND s.status = '90'`,
			"divorced":     `SELECT count(*) FROM personfamilie WHERE civilstand = 'F' AND aegtefaelle_cpr IS NOT NULL`,
			"children":     `SELECT count(*) FROM barnrelation b JOIN personfamilie f ON f.cpr = b.barn_cpr WHERE b.cpr IN (f.mor_cpr, f.far_cpr)`,
			"custody":      `SELECT count(*) FROM foraeldremyndighedrelation WHERE type_kode IN ('0003', '0004')`,
			"name changes": `SELECT count(*) FROM historiskenavneoplysninger`,
			"naturalisations": `SELECT count(*) FROM historiskestatsborgerskaber h JOIN personkontakt k USING (cpr)
				WHERE h.landekode <> 5100 AND k.statsborgerskab_landekode = 5100`,
			"immigrations": `SELECT count(*) FROM historiskerejseoplysninger WHERE indrejse_dato IS NOT NULL AND indrejse_landekode IS NOT NULL`,
			"condominiums": `SELECT count(*) FROM ejendom e WHERE (SELECT count(*) FROM dar_adresse a WHERE a.bfe_nummer = e.bfe_nummer) = 1
				AND EXISTS (SELECT 1 FROM dar_adresse a WHERE a.bfe_nummer = e.bfe_nummer AND a.etage <> '')`,
			"person owners":  `SELECT count(*) FROM ejerskab o JOIN person p ON p.cpr = o.ejer_cpr WHERE o.ejet_til IS NULL`,
			"earlier owners": `SELECT count(*) FROM ejerskab WHERE status = 'historisk' AND ejet_til IS NOT NULL`,
		} {
			if n := count(t, conn, q); n == 0 {
				t.Errorf("no %s", what)
			}
		}
		if n := count(t, conn, `SELECT count(*) FROM ejendom e WHERE NOT EXISTS (
			SELECT 1 FROM ejerskab o WHERE o.bfe_nummer = e.bfe_nummer AND o.ejet_til IS NULL AND o.status = 'gældende')`); n != 0 {
			t.Errorf("%d properties without a current owner", n)
		}
		if n := count(t, conn, `SELECT count(*) FROM person p JOIN personkontakt k USING (cpr)
			WHERE p.navnebeskyttelsestartdato IS DISTINCT FROM k.navne_adressebeskyttelse_start_dato
			OR p.navnebeskyttelseslettedato IS DISTINCT FROM k.navne_adressebeskyttelse_slette_dato`); n != 0 {
			t.Errorf("%d persons whose protection differs between person and personkontakt", n)
		}
	})

	t.Run("demo owner", func(t *testing.T) {
		n := count(t, conn, `
			SELECT count(*) FROM (
				SELECT a.bfe_nummer FROM ejerskab o JOIN dar_adresse a USING (bfe_nummer)
				WHERE o.ejer_cvr = $1 AND o.ejet_til IS NULL AND o.status = 'gældende'
				GROUP BY a.bfe_nummer
				HAVING count(*) > 10 AND count(*) FILTER (WHERE EXISTS (
					SELECT 1 FROM person p WHERE p.kommune_kode = a.kommune_kode AND p.vej_kode = a.vej_kode
						AND p.husnummer = a.husnummer AND p.etage IS NOT DISTINCT FROM nullif(a.etage, '')
						AND p.side_doer_nummer IS NOT DISTINCT FROM nullif(a.side_doer_nummer, ''))) > 0) b`, gen.DemoOwnerCVR)
		if n == 0 {
			t.Error("DemoOwnerCVR owns no building with more than ten dwellings and residents")
		}
		d, err := gen.DemoBuilding(ctx, conn)
		if err != nil {
			t.Fatal(err)
		}
		if d.Dwellings < 10 || d.Residents == 0 {
			t.Errorf("DemoBuilding = %+v", d)
		}
	})
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	const digest = `SELECT md5(string_agg(cpr || coalesce(adresserings_navn, ''), ',' ORDER BY cpr)) FROM person`
	var sums []string
	for range 2 {
		conn, _ := load(t, 500, 42)
		var s string
		if err := conn.Get(&s, digest); err != nil {
			t.Fatal(err)
		}
		sums = append(sums, s)
	}
	if sums[0] != sums[1] {
		t.Errorf("two loads with the same seed differ: %s, %s", sums[0], sums[1])
	}
	conn, _ := load(t, 500, 43)
	var other string
	if err := conn.Get(&other, digest); err != nil {
		t.Fatal(err)
	}
	if other == sums[0] {
		t.Error("another seed gives the same population")
	}
}

func TestRefusesNonEmpty(t *testing.T) {
	t.Parallel()
	conn, _ := load(t, 50, 1)
	if _, err := gen.Load(context.Background(), conn, gen.Options{Persons: 50, Seed: 2, Today: today}); err == nil {
		t.Error("Load into a loaded database succeeded")
	}
}

// TestLoadLarge loads CPRGRAPH_GEN_PERSONS persons (for example 1000000)
// and reports the time it took and the size of the database.
func TestLoadLarge(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CPRGRAPH_GEN_PERSONS"))
	if n == 0 {
		t.Skip("set CPRGRAPH_GEN_PERSONS to run")
	}
	conn, stats := load(t, n, 1)
	var size string
	if err := conn.Get(&size, "SELECT pg_size_pretty(pg_database_size(current_database()))"); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d persons loaded in %s; database size %s", n, stats.Elapsed.Round(time.Second), size)
}

func TestTiny(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 2, 7} {
		conn, _ := load(t, n, 3)
		if got := count(t, conn, "SELECT count(*) FROM person"); got != n {
			t.Errorf("%d persons, want %d", got, n)
		}
	}
}

// TestSeededPersonReadBack reads generated persons back by CPR number
// through the store the server uses.
func TestSeededPersonReadBack(t *testing.T) {
	t.Parallel()
	conn, _ := load(t, 300, 7)
	var numbers []string
	if err := conn.Select(&numbers, `SELECT cpr FROM person ORDER BY cpr LIMIT 5`); err != nil {
		t.Fatal(err)
	}
	persons, err := db.NewStore(conn).Register.PersonsByCPR(context.Background(), numbers)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range numbers {
		p, ok := persons[n]
		if !ok {
			t.Fatalf("person %s not read back", n)
		}
		parsed, err := cpr.Parse(n)
		if err != nil || p.BirthDate == nil || !p.BirthDate.Equal(parsed.BirthDate()) || p.Sex == nil || *p.Sex != string(parsed.Sex()) {
			t.Errorf("person %s: birth date %v, sex %v do not match the number", n, p.BirthDate, p.Sex)
		}
	}
}
