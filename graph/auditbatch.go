package graph

import (
	"context"
	"sync"

	"cprgraph/db"
)

// maxAuditBatch caps the rows of one audit-log transaction.
const maxAuditBatch = 128

// auditBatcher appends audit rows with group commit. The audit log is one
// hash chain, so its writes are serialised; instead of one statement per
// request, rows that arrive while a statement is being written wait for it
// to finish and then go together in the next one.
// A lone request is written at once (nothing waits for a batch to fill),
// and a writer goroutine runs only while rows are queued.
type auditBatcher struct {
	store   *db.Store
	mu      sync.Mutex
	queue   []auditWaiter
	writing bool // a writer goroutine is running

	// last is the hash of the last row this process wrote (nil: unknown),
	// so a batch takes one statement; used by the writer goroutine only.
	last []byte
}

type auditWaiter struct {
	entry db.AuditEntry
	done  chan error // buffered, so the writer never blocks
}

// append queues e and waits until the transaction holding it has committed.
// When ctx ends first, append fails (the request gets no data), though the
// row may still be written.
func (b *auditBatcher) append(ctx context.Context, e db.AuditEntry) error {
	done := make(chan error, 1)
	b.mu.Lock()
	b.queue = append(b.queue, auditWaiter{e, done})
	if !b.writing {
		b.writing = true
		go b.write(context.WithoutCancel(ctx))
	}
	b.mu.Unlock()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// write appends the queued rows, up to maxAuditBatch per transaction,
// until the queue is empty.
func (b *auditBatcher) write(ctx context.Context) {
	for {
		b.mu.Lock()
		batch := b.queue
		if len(batch) > maxAuditBatch {
			batch = batch[:maxAuditBatch:maxAuditBatch]
			b.queue = b.queue[maxAuditBatch:]
		} else {
			b.queue = nil
		}
		if len(batch) == 0 {
			b.writing = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		entries := make([]db.AuditEntry, len(batch))
		for i, w := range batch {
			entries[i] = w.entry
		}
		last, err := b.store.Audit.Append(ctx, b.last, entries)
		b.last = last // nil after an error: read it again next time
		for _, w := range batch {
			w.done <- err
		}
	}
}
