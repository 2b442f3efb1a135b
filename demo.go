package main

import (
	"context"
	"fmt"
	"os"

	"github.com/jmoiron/sqlx"

	"cprgraph/apperr"
	"cprgraph/db"
)

// demoClient is one demo organisation with its client, one per profile.
type demoClient struct {
	organisation string
	profile      string
	scopes       []string
}

var demoClients = []demoClient{
	{"Demo Myndighed", "AUTHORITY", []string{"person", "search", "address_history", "household", "events", "cohabitation", "audit"}},
	{"Demo Virksomhed A/S", "PRIVATE", []string{"person", "search", "address_history", "household", "events", "cohabitation"}},
	{"Demo Udlejer ApS", "LANDLORD", []string{"landlord"}},
	{"Demo Administration", "ADMIN", []string{"admin", "audit"}},
}

// setupDemo creates (or re-keys) the demo clients and prints their keys.
func setupDemo(ctx context.Context, conn *sqlx.DB) error {
	keys := make([]string, len(demoClients))
	err := db.InTx(ctx, conn, func(tx *sqlx.Tx) error {
		for i, d := range demoClients {
			org, err := db.UpsertOrganisation(ctx, tx, d.organisation, nil)
			if err != nil {
				return err
			}
			c, err := db.ClientByName(ctx, tx, org.ID, "demo")
			switch {
			case apperr.CodeOf(err) == apperr.NotFound:
				_, keys[i], err = db.CreateClient(ctx, tx, org.ID, "demo", d.profile, d.scopes)
			case err == nil:
				keys[i], err = db.RotateClientKey(ctx, tx, c.ID)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stdout, "Demo API keys (send as `Authorization: Bearer <key>`; new keys on every start):")
	for i, d := range demoClients {
		fmt.Fprintf(os.Stdout, "  %-10s %-22s %s\n", d.profile, d.organisation, keys[i])
	}
	return nil
}
