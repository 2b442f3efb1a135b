package auth

import (
	"context"
	"testing"
	"time"

	"cprgraph/db"
)

// TestKeyCacheKeepsNoClientReadBeforeAnEmptying: a client read while the
// cache was emptied (a revocation notified during the lookup) is not kept,
// an emptied cache reads again, and an entry expires after the ttl.
func TestKeyCacheKeepsNoClientReadBeforeAnEmptying(t *testing.T) {
	ctx := context.Background()
	hash := db.HashAPIKey("cpr_test")
	c := &keyCache{ttl: time.Hour}
	lookups := 0
	read := func(ctx context.Context) (db.Client, error) {
		lookups++
		return db.Client{ID: 7}, nil
	}
	racing := func(ctx context.Context) (db.Client, error) {
		c.empty() // the notification arrives while the client is read
		return read(ctx)
	}

	c.client(ctx, hash, racing)
	c.client(ctx, hash, read)
	if lookups != 2 {
		t.Fatalf("a client read during an emptying was kept: %d lookups, want 2", lookups)
	}
	c.client(ctx, hash, read)
	if lookups != 2 {
		t.Fatalf("a fresh entry was not used: %d lookups, want 2", lookups)
	}
	c.empty()
	c.client(ctx, hash, read)
	if lookups != 3 {
		t.Fatalf("an emptied cache did not read again: %d lookups, want 3", lookups)
	}

	c.ttl = time.Nanosecond
	c.client(ctx, hash, read)
	time.Sleep(time.Millisecond)
	c.client(ctx, hash, read)
	if lookups != 5 {
		t.Fatalf("an expired entry was used: %d lookups, want 5", lookups)
	}
}
