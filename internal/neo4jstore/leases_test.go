package neo4jstore_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/lease"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// TestLeasesAreHeldByOneInstance (issue 16): of ten instances asking for a job's lease at once,
// through two stores (two API instances' drivers), exactly one gets it; the holder renews it,
// the others are refused until it runs out unrenewed, and then one of them gets it.
func TestLeasesAreHeldByOneInstance(t *testing.T) {
	stores := [2]lease.Store{testneo4j.Prepared(t, nil), testneo4j.Open(t, testneo4j.Config(t), nil)}
	ctx := ctxT(t)
	name := "test-lease-" + uuid.NewString()[:8]
	const ttl = 2 * time.Second
	var mu sync.Mutex
	var winners []string
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			holder := fmt.Sprintf("instance-%d", i)
			ok, err := stores[i%2].AcquireLease(ctx, name, holder, ttl)
			if err != nil {
				t.Error(err)
				return
			}
			if ok {
				mu.Lock()
				winners = append(winners, holder)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(winners) != 1 {
		t.Fatalf("%d instances got the lease at once: %v", len(winners), winners)
	}
	holder, other := winners[0], "instance-next"
	if ok, err := stores[0].AcquireLease(ctx, name, holder, ttl); err != nil || !ok {
		t.Fatalf("the holder could not renew: %v %v", ok, err)
	}
	if ok, err := stores[1].AcquireLease(ctx, name, other, ttl); err != nil || ok {
		t.Fatalf("another instance got a lease that is held: %v %v", ok, err)
	}
	time.Sleep(ttl + 500*time.Millisecond) // the holder stops renewing
	if ok, err := stores[1].AcquireLease(ctx, name, other, ttl); err != nil || !ok {
		t.Fatalf("another instance could not take a lease that ran out: %v %v", ok, err)
	}
	if ok, err := stores[0].AcquireLease(ctx, name, holder, ttl); err != nil || ok {
		t.Fatalf("the former holder took the lease back from the new one: %v %v", ok, err)
	}
	// A graceful shutdown gives the lease up: the next instance takes it at once.
	if err := stores[1].ReleaseLeases(ctx, other); err != nil {
		t.Fatal(err)
	}
	if ok, err := stores[0].AcquireLease(ctx, name, holder, ttl); err != nil || !ok {
		t.Fatalf("a released lease was not free: %v %v", ok, err)
	}
}

// TestWritesLeaveABookmarkForTheReadsAfterThem: every transaction of a store goes through its
// bookmark manager, so that on a cluster the instance's reads wait for its own last write.
func TestWritesLeaveABookmarkForTheReadsAfterThem(t *testing.T) {
	s := testneo4j.Open(t, testneo4j.Config(t), nil)
	ctx := ctxT(t)
	if _, err := s.AcquireLease(ctx, "test-bookmark-"+uuid.NewString()[:8], "me", time.Second); err != nil {
		t.Fatal(err)
	}
	if n := s.BookmarksForTest(ctx); n == 0 {
		t.Fatal("a write left no bookmark for the reads after it")
	}
	if _, err := s.Countries(ctx); err != nil {
		t.Fatalf("a read after the write: %v", err)
	}
}
