package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/jmoiron/sqlx"

	"cprgraph/access"
	"cprgraph/ingest"
)

// RunForwardingSweeps is the daily job that registers the FORWARDING_ADDRESS
// events of the contact addresses that expired while chosen
// (ingest.SweepForwardingExpiries): an expiry changes the forwarding address
// with no record imported, so without it a day with no personkontakt import
// would announce the change late or never. It sweeps at start and then once
// on each Danish day, looking every check, until ctx ends. A failed sweep is
// logged and tried again at the next look. Every instance may run it: the
// sweep takes the event lock and registers each expiry once.
func RunForwardingSweeps(ctx context.Context, conn *sqlx.DB, check time.Duration) {
	var swept time.Time // the last day swept
	sweep := func() {
		day := access.Today()
		if day.Equal(swept) {
			return
		}
		n, err := ingest.SweepForwardingExpiries(ctx, conn, time.Now())
		if err != nil {
			if ctx.Err() == nil {
				slog.Error("forwarding-address sweep failed", "err", err)
			}
			return
		}
		swept = day
		if n > 0 {
			slog.Info("forwarding-address expiries registered", "events", n, "day", day.Format(time.DateOnly))
		}
	}
	sweep()
	tick := time.NewTicker(check)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			sweep()
		case <-ctx.Done():
			return
		}
	}
}
