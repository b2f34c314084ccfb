package graph

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

func TestBatchLoaderFetchesPrimedKeysInOneRoundTrip(t *testing.T) {
	var mu sync.Mutex
	var batches [][]int
	b := newBatchLoader(func(_ context.Context, keys []int) (map[int]string, error) {
		mu.Lock()
		defer mu.Unlock()
		sorted := slices.Clone(keys)
		slices.Sort(sorted)
		batches = append(batches, sorted)
		out := map[int]string{}
		for _, k := range keys {
			if k%10 != 0 { // multiples of ten do not exist
				out[k] = "v"
			}
		}
		return out, nil
	})
	b.prime(1, 2, 3, 10)
	var wg sync.WaitGroup
	for _, k := range []int{1, 2, 3, 10} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, ok, err := b.load(t.Context(), k)
			if err != nil || ok != (k != 10) || (ok && v != "v") {
				t.Errorf("load(%d) = %q, %v, %v", k, v, ok, err)
			}
		}()
	}
	wg.Wait()
	if len(batches) != 1 || !slices.Equal(batches[0], []int{1, 2, 3, 10}) {
		t.Fatalf("batches %v, want one batch of the four primed keys", batches)
	}
	// Loaded and absent keys are answered without another round trip.
	if _, ok, _ := b.load(t.Context(), 10); ok || len(batches) != 1 {
		t.Fatalf("absent key refetched: %v", batches)
	}
}

func TestBatchLoaderReportsErrorsToEveryKeyOfTheBatch(t *testing.T) {
	boom := errors.New("boom")
	b := newBatchLoader(func(context.Context, []string) (map[string]int, error) { return nil, boom })
	b.prime("a", "b")
	if _, _, err := b.load(t.Context(), "a"); !errors.Is(err, boom) {
		t.Fatalf("a: %v", err)
	}
	if _, _, err := b.load(t.Context(), "b"); !errors.Is(err, boom) {
		t.Fatalf("b: %v", err)
	}
}

func TestBatchLoaderMayBePrimedFromItsOwnFetch(t *testing.T) {
	var b *batchLoader[int, int]
	calls := 0
	b = newBatchLoader(func(_ context.Context, keys []int) (map[int]int, error) {
		calls++
		out := map[int]int{}
		for _, k := range keys {
			out[k] = k
			if k < 3 {
				b.prime(k + 1) // the next level, as organisations prime their parents
			}
		}
		return out, nil
	})
	for k := 1; k <= 3; k++ {
		if v, ok, err := b.load(t.Context(), k); err != nil || !ok || v != k {
			t.Fatalf("load(%d) = %d, %v, %v", k, v, ok, err)
		}
	}
	if calls != 3 {
		t.Fatalf("%d fetches, want 3 (one per level)", calls)
	}
}

// TestBatchLoaderDeadlineIsUnavailable: a caller whose request deadline passes while it waits for
// the batch in flight gets UNAVAILABLE (retry), not an unclassified error shown as INTERNAL.
func TestBatchLoaderDeadlineIsUnavailable(t *testing.T) {
	release, started := make(chan struct{}), make(chan struct{})
	b := newBatchLoader(func(ctx context.Context, keys []int) (map[int]string, error) {
		close(started)
		<-release
		return map[int]string{1: "v", 2: "v"}, nil
	})
	defer close(release)
	b.prime(1, 2)
	go func() { _, _, _ = b.load(context.Background(), 1) }()
	<-started
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	_, _, err := b.load(ctx, 2)
	if code := bridge.ErrorCode(err); code != bridge.CodeUnavailable || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, code %s; want UNAVAILABLE wrapping the deadline", err, code)
	}
}
