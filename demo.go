package main

import (
	"context"
	"fmt"
	"os"

	"github.com/jmoiron/sqlx"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/db"
)

// demoClient is one demo organisation with its client, one per profile.
type demoClient struct {
	organisation string
	profile      access.Profile
}

var demoClients = []demoClient{
	{"Demo Myndighed", access.Authority},
	{"Demo Virksomhed A/S", access.Private},
	{"Demo Udlejer ApS", access.Landlord},
	{"Demo Administration", access.Admin},
}

// setupDemo creates (or re-keys) the demo clients and prints their keys.
func setupDemo(ctx context.Context, conn *sqlx.DB) error {
	keys, err := createDemoClients(ctx, db.NewStore(conn))
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stdout, "Demo API keys (send as `Authorization: Bearer <key>`; new keys on every start):")
	for i, d := range demoClients {
		fmt.Fprintf(os.Stdout, "  %-10s %-22s %s\n", d.profile, d.organisation, keys[i])
	}
	return nil
}

// createDemoClients creates (or re-keys) the demo clients and returns their
// keys in the order of demoClients.
func createDemoClients(ctx context.Context, store *db.Store) ([]string, error) {
	keys := make([]string, len(demoClients))
	err := store.InTx(ctx, func(tx *db.Store) error {
		for i, d := range demoClients {
			org, err := tx.UpsertOrganisation(ctx, d.organisation, nil)
			if err != nil {
				return err
			}
			c, err := tx.ClientByName(ctx, org.ID, "demo")
			switch {
			case apperr.CodeOf(err) == apperr.NotFound:
				_, keys[i], err = tx.CreateClient(ctx, org.ID, "demo", string(d.profile), access.DefaultScopes(d.profile))
			case err == nil:
				keys[i], err = tx.RotateClientKey(ctx, c.ID)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	return keys, err
}
