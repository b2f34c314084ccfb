package graph

import (
	"context"
	"sync"
)

// batchLoader loads values by key for one request, one round trip per batch. It is ours rather
// than graph-gophers/dataloader because that loader batches by waiting on a timer (16 ms by
// default) for keys to arrive, which is latency at every nesting level; here the resolver that
// returns a list primes the keys its elements will ask for, and the first element to ask loads
// them all at once. Keys asked for without priming are batched with whatever is pending.
type batchLoader[K comparable, V any] struct {
	fetch func(ctx context.Context, keys []K) (map[K]V, error)

	mu      sync.Mutex
	pending map[K]struct{}
	done    map[K]V
	failed  map[K]error
}

func newBatchLoader[K comparable, V any](fetch func(context.Context, []K) (map[K]V, error)) *batchLoader[K, V] {
	return &batchLoader[K, V]{fetch: fetch, pending: map[K]struct{}{}, done: map[K]V{}, failed: map[K]error{}}
}

// prime registers keys that will be asked for soon, so that they are fetched together.
func (b *batchLoader[K, V]) prime(keys ...K) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range keys {
		if _, ok := b.done[k]; !ok {
			b.pending[k] = struct{}{}
		}
	}
}

// load returns the value of key and whether there is one, fetching every pending key in the
// same round trip. Concurrent callers wait for the batch in flight instead of starting their own.
func (b *batchLoader[K, V]) load(ctx context.Context, key K) (V, bool, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if v, ok := b.done[key]; ok {
		return v, true, nil
	}
	if err, ok := b.failed[key]; ok {
		var zero V
		return zero, false, err
	}
	b.pending[key] = struct{}{}
	keys := make([]K, 0, len(b.pending))
	for k := range b.pending {
		keys = append(keys, k)
	}
	b.pending = map[K]struct{}{}
	got, err := b.fetch(ctx, keys)
	for _, k := range keys {
		if err != nil {
			b.failed[k] = err
		} else if v, ok := got[k]; ok {
			b.done[k] = v
		} else {
			delete(b.done, k)
		}
	}
	if err != nil {
		var zero V
		return zero, false, err
	}
	v, ok := b.done[key]
	if !ok {
		// Fetched and absent (missing, or not visible to the viewer): remember as absent.
		b.failed[key] = nil
	}
	return v, ok, nil
}
