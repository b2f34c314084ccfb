package refdata

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// fakeStore counts its reads; fail makes them fail; gate, when set, holds every read until closed.
type fakeStore struct {
	reads atomic.Int32
	fail  atomic.Bool
	gate  chan struct{}
	label atomic.Value // the theme label the next read returns
}

func (f *fakeStore) Countries(context.Context) ([]bridge.Country, error) {
	f.reads.Add(1)
	if f.fail.Load() {
		return nil, bridge.Unavailable(errors.New("down"))
	}
	return []bridge.Country{{Code: "DK"}, {Code: "SE"}}, nil
}

func (f *fakeStore) CountryByCode(_ context.Context, code string) (*bridge.Country, error) {
	f.reads.Add(1)
	return &bridge.Country{Code: code}, nil
}

func (f *fakeStore) Themes(context.Context) ([]bridge.Theme, error) {
	f.reads.Add(1)
	if f.gate != nil {
		<-f.gate
	}
	if f.fail.Load() {
		return nil, bridge.Unavailable(errors.New("down"))
	}
	label, _ := f.label.Load().(string)
	return []bridge.Theme{{ID: "language", Labels: map[string]string{"en": label}}}, nil
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func TestCacheServesFromMemoryUntilItsTTL(t *testing.T) {
	ctx := context.Background()
	f, c := &fakeStore{}, &clock{t: time.Unix(1e9, 0)}
	cache := New(f, f, time.Minute, c.now)
	for range 5 {
		if cs, err := cache.Countries(ctx); err != nil || len(cs) != 2 {
			t.Fatalf("Countries = %v, %v", cs, err)
		}
	}
	if got, _ := cache.CountryByCode(ctx, "SE"); got == nil || got.Code != "SE" {
		t.Fatalf("CountryByCode(SE) = %v", got)
	}
	if got, _ := cache.CountryByCode(ctx, "XX"); got != nil {
		t.Fatalf("CountryByCode(XX) = %v, want nil", got)
	}
	if n := f.reads.Load(); n != 1 {
		t.Fatalf("%d reads for the same set within the TTL, want 1", n)
	}
	c.t = c.t.Add(time.Minute)
	if _, err := cache.Countries(ctx); err != nil || f.reads.Load() != 2 {
		t.Fatalf("after the TTL: %v, %d reads, want 2", err, f.reads.Load())
	}
}

func TestInvalidateReadsTheChangeAtOnce(t *testing.T) {
	ctx := context.Background()
	f := &fakeStore{}
	f.label.Store("Language")
	cache := New(f, f, time.Hour, nil)
	if ts, _ := cache.Themes(ctx); ts[0].Label("en") != "Language" {
		t.Fatalf("first read: %v", ts)
	}
	f.label.Store("Language learning")
	if ts, _ := cache.Themes(ctx); ts[0].Label("en") != "Language" {
		t.Fatal("a read within the TTL went to the store")
	}
	cache.Invalidate()
	if ts, _ := cache.Themes(ctx); ts[0].Label("en") != "Language learning" {
		t.Fatalf("after Invalidate the old label is served: %v", ts[0].Label("en"))
	}
}

func TestAFailedRefreshKeepsTheLastCopy(t *testing.T) {
	ctx := context.Background()
	f, c := &fakeStore{}, &clock{t: time.Unix(1e9, 0)}
	cache := New(f, f, time.Minute, c.now)
	if _, err := cache.Countries(ctx); err != nil {
		t.Fatal(err)
	}
	f.fail.Store(true)
	c.t = c.t.Add(2 * time.Minute)
	if cs, err := cache.Countries(ctx); err != nil || len(cs) != 2 {
		t.Fatalf("with the store down and a stale copy: %v, %v", cs, err)
	}
	cache.Invalidate()
	if _, err := cache.Countries(ctx); bridge.ErrorCode(err) != bridge.CodeUnavailable {
		t.Fatalf("with the store down and no copy: %v, want UNAVAILABLE", err)
	}
}

func TestConcurrentReadsShareOneRefresh(t *testing.T) {
	f := &fakeStore{gate: make(chan struct{})}
	cache := New(f, f, time.Minute, nil)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := cache.Themes(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond) // let them all arrive at the refresh
	close(f.gate)
	wg.Wait()
	if n := f.reads.Load(); n != 1 {
		t.Fatalf("20 concurrent readers made %d reads, want 1", n)
	}
}

func TestACancelledCallerDoesNotFailTheOthers(t *testing.T) {
	f := &fakeStore{gate: make(chan struct{})}
	cache := New(f, f, time.Minute, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { _, err := cache.Themes(ctx); done <- err }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	close(f.gate)
	if err := <-done; err != nil {
		t.Fatalf("the refresh failed with its caller's cancellation: %v", err)
	}
}

func TestZeroTTLReadsEveryTime(t *testing.T) {
	f := &fakeStore{}
	cache := New(f, f, 0, nil)
	for range 3 {
		_, _ = cache.Countries(context.Background())
		_, _ = cache.CountryByCode(context.Background(), "SE")
	}
	if n := f.reads.Load(); n != 6 {
		t.Fatalf("zero TTL: %d reads, want 6", n)
	}
}
