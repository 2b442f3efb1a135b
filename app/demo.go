package app

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/access"
	"cprgraph/apperr"
	"cprgraph/db"
	"cprgraph/gen"
)

// DemoClient is one demo organisation with its client, one per profile.
type DemoClient struct {
	Organisation string
	Profile      access.Profile
}

// DemoClients are the clients SetupDemo creates, in the order of its keys.
var DemoClients = []DemoClient{
	{"Demo Myndighed", access.Authority},
	{"Demo Virksomhed A/S", access.Private},
	{"Demo Udlejer ApS", access.Landlord},
	{"Demo Administration", access.Admin},
}

// SetupDemo loads a synthetic population of the given size when the
// register is empty, adds the demo family the README's examples name
// (gen.LoadDemoFamily) when absent, creates (or re-keys) the demo clients, links the demo
// landlord to the generator's demo owner, and prints the keys and an address
// to try the landlord lookup on.
// It returns the keys by profile; out gets the messages.
func SetupDemo(ctx context.Context, conn *sqlx.DB, persons int, out io.Writer) (map[access.Profile]string, error) {
	store := db.NewStore(conn)
	empty, err := store.Register.Empty(ctx)
	if err != nil {
		return nil, err
	}
	if empty {
		stats, err := gen.Load(ctx, conn, gen.Options{Persons: persons, Seed: 1})
		if err != nil {
			return nil, fmt.Errorf("load demo population: %w", err)
		}
		fmt.Fprintf(out, "Loaded a synthetic population of %d persons in %s.\n", persons, stats.Elapsed.Round(time.Millisecond))
	}
	loaded, err := gen.LoadDemoFamily(ctx, conn, time.Now())
	if err != nil {
		return nil, err
	}
	if loaded {
		fmt.Fprintf(out, "Added the demo family of the README's examples (Hans Testesen, %s).\n", gen.DemoCPR)
	}
	keys, err := CreateDemoClients(ctx, store)
	if err != nil {
		return nil, err
	}
	fmt.Fprintln(out, "Demo API keys (send as `Authorization: Bearer <key>`; new keys on every start):")
	for i, d := range DemoClients {
		fmt.Fprintf(out, "  %-10s %-22s %s\n", d.Profile, d.Organisation, keys[i])
	}
	if b, err := gen.DemoBuilding(ctx, conn); err == nil {
		fmt.Fprintf(out, "Landlord lookup to try: owner %s, darHouseNumberId %s (%s %s, %d %s: %d dwellings)\n",
			gen.DemoOwnerCVR, b.HusnummerID, b.Vejnavn, b.Husnummer, b.Postnummer, b.Postdistrikt, b.Dwellings)
	}
	byProfile := map[access.Profile]string{}
	for i, d := range DemoClients {
		byProfile[d.Profile] = keys[i]
	}
	return byProfile, nil
}

// CreateDemoClients creates (or re-keys) the demo clients and returns their
// keys in the order of DemoClients.
func CreateDemoClients(ctx context.Context, store *db.Store) ([]string, error) {
	keys := make([]string, len(DemoClients))
	err := store.InTx(ctx, func(tx *db.Store) error {
		for i, d := range DemoClients {
			org, err := tx.Clients.UpsertOrganisation(ctx, d.Organisation, nil)
			if err != nil {
				return err
			}
			if d.Profile == access.Landlord {
				if err := tx.Clients.AddOwnerLink(ctx, org.ID, gen.DemoOwnerCVR); err != nil {
					return err
				}
			}
			c, err := tx.Clients.ClientByName(ctx, org.ID, "demo")
			switch {
			case apperr.CodeOf(err) == apperr.NotFound:
				_, keys[i], err = tx.Clients.CreateClient(ctx, org.ID, "demo", string(d.Profile), access.DefaultScopes(d.Profile))
			case err == nil:
				keys[i], err = tx.Clients.RotateClientKey(ctx, c.ID)
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	return keys, err
}
