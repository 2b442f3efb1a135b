package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"cprgraph/access"
	"cprgraph/db"
)

const adminUsage = `usage: cprgraph admin <command> [flags]

  org-create    -name ORG [-cvr CVR]                         create an organisation
  client-create -org ORG -name CLIENT -profile P [-scopes a,b] [-daily-quota N]
                                                             create a client; prints its key once
  client-quota  -org ORG -name CLIENT -daily-quota N|none      set the client's daily request quota
  client-purposes -org ORG -name CLIENT -purpose P [-purpose P]... | -purpose none
                                                             restrict the client to these registered
                                                             purposes (X-Purpose); none lifts it
  client-revoke -org ORG -name CLIENT                          revoke the client's key
  key-rotate    -org ORG -name CLIENT                          give the client a new key; prints it once
  owner-link    -org ORG -owner CVR|CPR                        let ORG run landlord lookups for the owner
                                                             (refused unless it owns more than 10 dwellings)
  owner-unlink  -org ORG -owner CVR|CPR                        remove that link
  list                                                         organisations, clients and owner links

profiles: AUTHORITY, PRIVATE, LANDLORD, ADMIN; scopes default to every operation of the profile`

// Admin runs one `cprgraph admin` subcommand against store, writing
// its result (and a new key, the only time it is shown) to out.
func Admin(ctx context.Context, store *db.Store, args []string, out io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(out, adminUsage)
		return errors.New("admin: no command given")
	}
	cmd, args := args[0], args[1:]
	fs := flag.NewFlagSet("admin "+cmd, flag.ContinueOnError)
	fs.SetOutput(out)
	org := fs.String("org", "", "organisation name")
	name := fs.String("name", "", "organisation name (org-create) or client name")
	cvr := fs.String("cvr", "", "the organisation's CVR number")
	profile := fs.String("profile", "", "disclosure profile")
	scopes := fs.String("scopes", "", "comma-separated scopes")
	owner := fs.String("owner", "", "owner CVR or CPR number")
	dailyQuota := fs.String("daily-quota", "", "requests per Danish calendar day, or none")
	var purposes purposeList
	fs.Var(&purposes, "purpose", "a registered purpose (repeat for more), or none")
	if err := fs.Parse(args); err != nil {
		return err
	}
	quota, err := parseQuota(*dailyQuota)
	if err != nil {
		return err
	}
	need := map[string][]string{
		"org-create": {"name"}, "client-create": {"org", "name", "profile"}, "client-revoke": {"org", "name"},
		"key-rotate": {"org", "name"}, "client-quota": {"org", "name", "daily-quota"}, "owner-link": {"org", "owner"}, "owner-unlink": {"org", "owner"},
		"client-purposes": {"org", "name", "purpose"},
	}
	for _, flagName := range need[cmd] {
		if fs.Lookup(flagName).Value.String() == "" {
			fmt.Fprintln(out, adminUsage)
			return fmt.Errorf("admin %s: -%s is required", cmd, flagName)
		}
	}

	switch cmd {
	case "org-create":
		var cvrArg *string
		if *cvr != "" {
			cvrArg = cvr
		}
		o, err := store.Clients.CreateOrganisation(ctx, *name, cvrArg)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "organisation %d %q created\n", o.ID, o.Name)
		return nil
	case "client-create":
		o, err := store.Clients.OrganisationByName(ctx, *org)
		if err != nil {
			return err
		}
		granted, err := access.GrantScopes(access.Profile(strings.ToUpper(*profile)), splitList(*scopes))
		if err != nil {
			return err
		}
		var c db.Client
		var key string
		err = store.InTx(ctx, func(tx *db.Store) error {
			if c, key, err = tx.Clients.CreateClient(ctx, o.ID, *name, strings.ToUpper(*profile), granted); err != nil || quota == nil {
				return err
			}
			c, err = tx.Clients.SetDailyQuota(ctx, c.ID, quota)
			return err
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "client %d %q (%s, scopes %s, daily quota %s) created; its key, shown only now:\n%s\n",
			c.ID, c.Name, c.Profile, strings.Join(c.Scopes, ","), quotaText(c.DailyQuota), key)
		return nil
	case "client-quota":
		c, err := clientNamed(ctx, store, *org, *name)
		if err != nil {
			return err
		}
		if c, err = store.Clients.SetDailyQuota(ctx, c.ID, quota); err != nil {
			return err
		}
		fmt.Fprintf(out, "client %d %q daily quota %s\n", c.ID, c.Name, quotaText(c.DailyQuota))
		return nil
	case "client-purposes":
		list, err := purposes.registered()
		if err != nil {
			return err
		}
		c, err := clientNamed(ctx, store, *org, *name)
		if err != nil {
			return err
		}
		if c, err = store.Clients.SetPurposes(ctx, c.ID, list); err != nil {
			return err
		}
		fmt.Fprintf(out, "client %d %q purposes: %s\n", c.ID, c.Name, purposesText(c.Purposes))
		return nil
	case "client-revoke", "key-rotate":
		c, err := clientNamed(ctx, store, *org, *name)
		if err != nil {
			return err
		}
		if cmd == "client-revoke" {
			if c, err = store.Clients.RevokeClient(ctx, c.ID); err != nil {
				return err
			}
			fmt.Fprintf(out, "client %d %q revoked at %s\n", c.ID, c.Name, c.RevokedAt.Format("2006-01-02 15:04:05Z07:00"))
			return nil
		}
		key, err := store.Clients.RotateClientKey(ctx, c.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "client %d %q has a new key, shown only now:\n%s\n", c.ID, c.Name, key)
		return nil
	case "owner-link", "owner-unlink":
		o, err := store.Clients.OrganisationByName(ctx, *org)
		if err != nil {
			return err
		}
		if cmd == "owner-link" {
			// Seed 000: only an owner of more than 10 dwellings may be linked.
			var eligible string
			if eligible, err = store.Landlord.CheckEligible(ctx, *owner, access.Today()); err == nil {
				err = store.Clients.AddOwnerLink(ctx, o.ID, eligible)
			}
		} else {
			err = store.Clients.RemoveOwnerLink(ctx, o.ID, *owner)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%s: %q %s\n", cmd, o.Name, *owner)
		return nil
	case "list":
		return listOrganisations(ctx, store, out)
	}
	fmt.Fprintln(out, adminUsage)
	return fmt.Errorf("unknown admin command %q", cmd)
}

// listOrganisations writes every organisation with its clients and owner
// links as a table.
func listOrganisations(ctx context.Context, store *db.Store, out io.Writer) error {
	orgs, err := store.Clients.Organisations(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ORGANISATION\tCLIENT\tID\tPROFILE\tSCOPES\tKEY PREFIX\tSTATUS\tPURPOSES")
	for _, o := range orgs {
		clients, err := store.Clients.OfOrganisation(ctx, o.ID)
		if err != nil {
			return err
		}
		owners, err := store.Clients.OwnerNumbers(ctx, o.ID)
		if err != nil {
			return err
		}
		if len(owners) > 0 {
			fmt.Fprintf(tw, "%s\t(owner links: %s)\t\t\t\t\t\t\n", o.Name, strings.Join(owners, ", "))
		}
		for _, c := range clients {
			status := "active"
			if c.RevokedAt != nil {
				status = "revoked"
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", o.Name, c.Name, c.ID, c.Profile, strings.Join(c.Scopes, ","), c.KeyPrefix, status, purposesText(c.Purposes))
		}
		if len(clients) == 0 && len(owners) == 0 {
			fmt.Fprintf(tw, "%s\t(no clients)\t\t\t\t\t\t\n", o.Name)
		}
	}
	return tw.Flush()
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// AuditVerify checks the audit log's hash chain with the store's keys and
// against the checkpoints kept outside the database, and reports on out; a
// broken chain is an error naming the first bad row, so the command exits
// non-zero. With -month YYYY-MM it checks that month's partition alone,
// chained from the row before it (db.AuditStore.VerifyMonth).
func AuditVerify(ctx context.Context, store *db.Store, checkpoints []db.AuditCheckpoint, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("audit-verify", flag.ContinueOnError)
	fs.SetOutput(out)
	month := fs.String("month", "", "verify only this month's partition (YYYY-MM, UTC)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *month != "" {
		return auditVerifyMonth(ctx, store, checkpoints, *month, out)
	}
	v, err := store.Audit.VerifyChain(ctx, store.Audit.Keys(), checkpoints)
	if err != nil {
		return err
	}
	if !v.OK() {
		fmt.Fprintf(out, "audit log BROKEN: %s (%d rows checked)\n", v.Problem, v.Checked)
		return fmt.Errorf("audit log broken: %s", v.Problem)
	}
	fmt.Fprintf(out, "audit log intact: %d rows (%d keyed, %d with plain hashes from before keying), hash chain verified; %d of %d checkpoints found in the chain\n",
		v.Checked, v.Checked-v.Unkeyed, v.Unkeyed, v.Checkpoints, len(checkpoints))
	if len(checkpoints) == 0 {
		fmt.Fprintln(out, "warning: no checkpoints (AUDIT_CHECKPOINT_FILE): rows cut from the tail cannot be detected")
	}
	return nil
}

// auditVerifyMonth is audit-verify -month.
func auditVerifyMonth(ctx context.Context, store *db.Store, checkpoints []db.AuditCheckpoint, month string, out io.Writer) error {
	m, err := time.Parse("2006-01", month)
	if err != nil {
		return fmt.Errorf("-month: want YYYY-MM, got %q", month)
	}
	v, err := store.Audit.VerifyMonth(ctx, store.Audit.Keys(), m, checkpoints)
	if err != nil {
		return err
	}
	if !v.OK() {
		fmt.Fprintf(out, "audit log %s BROKEN: %s (%d rows checked)\n", month, v.Problem, v.Checked)
		return fmt.Errorf("audit log %s broken: %s", month, v.Problem)
	}
	if v.Checked == 0 {
		fmt.Fprintf(out, "audit log %s: no rows in that month (none were logged, or retention dropped them)\n", month)
		return nil
	}
	fmt.Fprintf(out, "audit log %s intact: %d rows (%d keyed), chained from the row before the month; %d checkpoints found in it\n",
		month, v.Checked, v.Checked-v.Unkeyed, v.Checkpoints)
	fmt.Fprintln(out, "note: one month checks its rows and its link to the row before it; run audit-verify without -month for the checkpoints' row counts and a cut tail")
	return nil
}

// purposeList collects the repeated -purpose flag, each as
// access.CleanPurpose leaves it (the form a request's purpose is compared in).
type purposeList []string

func (l *purposeList) String() string { return strings.Join(*l, "; ") }

func (l *purposeList) Set(s string) error {
	*l = append(*l, access.CleanPurpose(s))
	return nil
}

// registered returns the purposes to register: nil for -purpose none (no
// restriction), else the distinct purposes given, none of them empty.
func (l purposeList) registered() ([]string, error) {
	if len(l) == 1 && strings.EqualFold(l[0], "none") {
		return nil, nil
	}
	var out []string
	for _, p := range l {
		if p == "" || strings.EqualFold(p, "none") {
			return nil, fmt.Errorf("-purpose: want purposes that are not empty, or none alone to lift the restriction")
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// purposesText shows a client's registered purposes.
func purposesText(purposes []string) string {
	if purposes == nil {
		return "any (not restricted)"
	}
	quoted := make([]string, len(purposes))
	for i, p := range purposes {
		quoted[i] = strconv.Quote(p)
	}
	return strings.Join(quoted, ", ")
}

// parseQuota reads -daily-quota: a number of requests, or "" or "none" for
// no quota.
func parseQuota(s string) (*int, error) {
	if s == "" || strings.EqualFold(s, "none") {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return nil, fmt.Errorf("-daily-quota: want a number of requests (0 or more) or none, got %q", s)
	}
	return &n, nil
}

// quotaText shows a daily quota.
func quotaText(q *int) string {
	if q == nil {
		return "none"
	}
	return strconv.Itoa(*q) + " requests"
}

// clientNamed returns the client called name of the organisation called org.
func clientNamed(ctx context.Context, store *db.Store, org, name string) (db.Client, error) {
	o, err := store.Clients.OrganisationByName(ctx, org)
	if err != nil {
		return db.Client{}, err
	}
	return store.Clients.ClientByName(ctx, o.ID, name)
}
