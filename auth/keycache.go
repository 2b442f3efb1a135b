package auth

import (
	"context"
	"sync"
	"time"

	"cprgraph/db"
)

// maxCachedKeys bounds the key cache; when it is full it starts over.
const maxCachedKeys = 10_000

// keyCache keeps the clients of recently authenticated API keys, so that a
// request authenticates without a query. Every change of any client
// (revocation, rotation, a new quota or profile: the api_client
// notification, see Revalidate) empties it on every instance at once;
// an entry older than ttl is read again, which bounds how long a change
// missed while the listener was down goes unseen. A lookup that started
// before the last emptying does not fill it, so a client read just before
// its revocation is not kept.
type keyCache struct {
	ttl time.Duration // 0: no cache

	mu         sync.Mutex
	generation uint64 // counts the emptyings
	entries    map[string]cachedClient
}

type cachedClient struct {
	client db.Client
	read   time.Time
}

// client returns the client of the key with this hash, from the cache when
// it holds a fresh entry, else from lookup.
func (c *keyCache) client(ctx context.Context, keyHash []byte, lookup func(context.Context) (db.Client, error)) (db.Client, error) {
	if c.ttl <= 0 {
		return lookup(ctx)
	}
	c.mu.Lock()
	e, ok := c.entries[string(keyHash)]
	generation := c.generation
	c.mu.Unlock()
	if ok && time.Since(e.read) < c.ttl {
		return e.client, nil
	}
	read := time.Now()
	client, err := lookup(ctx)
	if err != nil {
		return client, err
	}
	c.mu.Lock()
	if c.generation == generation {
		if c.entries == nil || len(c.entries) >= maxCachedKeys {
			c.entries = map[string]cachedClient{}
		}
		c.entries[string(keyHash)] = cachedClient{client, read}
	}
	c.mu.Unlock()
	return client, nil
}

// empty forgets every cached client.
func (c *keyCache) empty() {
	c.mu.Lock()
	c.generation++
	c.entries = nil
	c.mu.Unlock()
}
