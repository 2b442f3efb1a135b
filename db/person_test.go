package db_test

import (
	"context"
	"testing"

	"cprgraph/db"
	"cprgraph/db/dbtest"
)

func TestPersonsByCPR(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	ctx := context.Background()
	if _, err := conn.ExecContext(ctx, `INSERT INTO person (cpr, fornavn, efternavn, koen, status) VALUES ('0101901234', 'Anna', 'Hansen', 'K', '01')`); err != nil {
		t.Fatal(err)
	}
	got, err := db.NewStore(conn).Register.PersonsByCPR(ctx, []string{"0101901234", "0202902345"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || *got["0101901234"].FirstName != "Anna" {
		t.Fatalf("got %+v", got)
	}
}

func TestSchemaRejectsBadValues(t *testing.T) {
	t.Parallel()
	conn := dbtest.New(t)
	for _, stmt := range []string{
		`INSERT INTO person (cpr) VALUES ('12345')`,
		`INSERT INTO person (cpr, status) VALUES ('0101901234', '02')`,
		`INSERT INTO person (cpr, koen) VALUES ('0101901234', 'X')`,
		`INSERT INTO historiskeadresser (id, cpr, ret_fortryd_aendring) VALUES ('x', '0101901234', 'Z')`,
		`INSERT INTO personfamilie (cpr, civilstand) VALUES ('0101901234', 'Q')`,
		`INSERT INTO foraeldremyndighedrelation (id, cpr, type_kode, type_tekst) VALUES ('x', '0101901234', '0007', 'x')`,
	} {
		if _, err := conn.ExecContext(context.Background(), stmt); err == nil {
			t.Errorf("accepted: %s", stmt)
		}
	}
}
