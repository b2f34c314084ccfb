package graph

import (
	"context"
	"sync"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// batchLoader loads values by key for one request, one round trip per batch. It is ours rather
// than graph-gophers/dataloader because that loader batches by waiting on a timer (16 ms by
// default) for keys to arrive, which is latency at every nesting level; here the resolver that
// returns a list primes the keys its elements will ask for, and the first element to ask loads
// them all at once. Keys asked for without priming are batched with whatever is pending.
type batchLoader[K comparable, V any] struct {
	fetch func(ctx context.Context, keys []K) (map[K]V, error)

	mu       sync.Mutex
	pending  map[K]struct{}
	done     map[K]V
	failed   map[K]error   // nil error: fetched and absent
	inflight chan struct{} // closed when the batch in flight is stored
}

func newBatchLoader[K comparable, V any](fetch func(context.Context, []K) (map[K]V, error)) *batchLoader[K, V] {
	return &batchLoader[K, V]{fetch: fetch, pending: map[K]struct{}{}, done: map[K]V{}, failed: map[K]error{}}
}

// prime registers keys that will be asked for soon, so that they are fetched together.
func (b *batchLoader[K, V]) prime(keys ...K) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range keys {
		_, isDone := b.done[k]
		_, isFailed := b.failed[k]
		if !isDone && !isFailed {
			b.pending[k] = struct{}{}
		}
	}
}

// load returns the value of key and whether there is one, fetching every pending key in the
// same round trip. Callers that arrive while a batch is in flight wait for it instead of
// starting their own. The fetch runs without the lock held, so it may prime this loader.
func (b *batchLoader[K, V]) load(ctx context.Context, key K) (V, bool, error) {
	var zero V
	b.mu.Lock()
	for {
		if v, ok := b.done[key]; ok {
			b.mu.Unlock()
			return v, true, nil
		}
		if err, ok := b.failed[key]; ok {
			b.mu.Unlock()
			return zero, false, err
		}
		if b.inflight == nil {
			break
		}
		wait := b.inflight
		b.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			// The request's deadline: retry, like a database that did not answer in time.
			return zero, false, bridge.Unavailable(ctx.Err())
		}
		b.mu.Lock()
	}
	b.pending[key] = struct{}{}
	keys := make([]K, 0, len(b.pending))
	for k := range b.pending {
		keys = append(keys, k)
	}
	b.pending = map[K]struct{}{}
	b.inflight = make(chan struct{})
	b.mu.Unlock()

	got, err := b.fetch(ctx, keys)

	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range keys {
		if v, ok := got[k]; ok && err == nil {
			b.done[k] = v
		} else {
			b.failed[k] = err
		}
	}
	close(b.inflight)
	b.inflight = nil
	if v, ok := b.done[key]; ok {
		return v, true, nil
	}
	return zero, false, err
}
