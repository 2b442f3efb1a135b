package app

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"cprgraph/db"
)

// AuditKeys returns the keys the audit chain is keyed with: AUDIT_KEY and
// AUDIT_PREVIOUS_KEYS; nil without AUDIT_KEY.
func AuditKeys(cfg Config) *db.AuditKeys {
	if cfg.AuditKey == "" {
		return nil
	}
	var previous [][]byte
	for _, k := range cfg.AuditPreviousKeys {
		previous = append(previous, []byte(k))
	}
	return db.NewAuditKeys([]byte(cfg.AuditKey), previous...)
}

// EphemeralAuditKey returns a random key for a demo run, which keeps its
// audit chain for the run only: audit-verify cannot check its rows later.
func EphemeralAuditKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// RunAuditCheckpoints appends a checkpoint of the audit chain's head to
// file every interval and once more when ctx ends (shutdown), until then.
// A failed checkpoint is logged and tried again at the next tick. At each
// tick it also creates the log's monthly partitions two months ahead and,
// with retentionMonths > 0, drops the partitions older than that which the
// last checkpoint covers (db.AuditStore.DropExpired).
func RunAuditCheckpoints(ctx context.Context, store *db.Store, file string, interval time.Duration, retentionMonths int) {
	var last *db.AuditCheckpoint
	if all, err := ReadAuditCheckpoints(file); err == nil && len(all) > 0 {
		last = &all[len(all)-1]
	}
	write := func(ctx context.Context) {
		c, err := store.Audit.Checkpoint(ctx, last)
		if err == nil && c.LastID != 0 && (last == nil || c.LastID != last.LastID) {
			err = appendCheckpoint(file, c)
		}
		if err != nil {
			slog.Error("audit checkpoint failed", "err", err, "file", file)
			return
		}
		if c.LastID != 0 {
			last = &c
		}
	}
	maintain := func(ctx context.Context) {
		if err := store.Audit.EnsurePartitions(ctx, 2); err != nil {
			slog.Error("audit partitions not created", "err", err)
		}
		if retentionMonths < 1 || last == nil {
			return
		}
		dropped, err := store.Audit.DropExpired(ctx, retentionMonths, last.LastID)
		if err != nil {
			slog.Error("audit retention failed", "err", err)
		} else if len(dropped) > 0 {
			slog.Info("audit partitions past retention dropped", "partitions", dropped, "retention_months", retentionMonths)
		}
	}
	maintain(ctx)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			write(ctx)
			maintain(ctx)
		case <-ctx.Done():
			final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			write(final)
			cancel()
			return
		}
	}
}

// appendCheckpoint appends c to file as one JSON line and syncs it.
func appendCheckpoint(file string, c db.AuditCheckpoint) error {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	line, _ := json.Marshal(c)
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ReadAuditCheckpoints reads every checkpoint in file, oldest first; a
// missing file has none.
func ReadAuditCheckpoints(file string) ([]db.AuditCheckpoint, error) {
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []db.AuditCheckpoint
	scanner := bufio.NewScanner(f)
	for n := 1; scanner.Scan(); n++ {
		line := strings.TrimSpace(scanner.Text())
		if line == "" {
			continue
		}
		var c db.AuditCheckpoint
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", file, n, err)
		}
		out = append(out, c)
	}
	return out, scanner.Err()
}
