package introductions

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// workerStore counts the worker's rounds; the rest of Store is not used by RunExpiry.
type workerStore struct {
	Store
	rounds atomic.Int32
}

func (w *workerStore) ExpireIntroductions(context.Context, time.Time, int) (int, error) {
	w.rounds.Add(1)
	return 0, nil
}
func (w *workerStore) RemindIntroductions(context.Context, time.Time, time.Duration, int) (int, error) {
	return 0, nil
}
func (w *workerStore) FollowUpIntroductions(context.Context, time.Time, time.Duration, int) (int, error) {
	return 0, nil
}

// TestWorkerRunsOnlyTheRoundsItsGateAllows: the expiry worker asks its gate (the job's lease)
// before each round and does nothing in a round it refuses.
func TestWorkerRunsOnlyTheRoundsItsGateAllows(t *testing.T) {
	store := &workerStore{}
	s := New(store, bridge.Limits{ReminderLead: time.Hour, FollowUpAfter: time.Hour}, func() time.Time { return now }, func() string { return "id" })
	var asked atomic.Int32
	gate := func(context.Context) bool { return asked.Add(1)%3 == 0 } // every third round
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.RunExpiry(ctx, 2*time.Millisecond, gate, func(int, error) {}); close(done) }()
	for asked.Load() < 30 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	<-done
	if got, want := store.rounds.Load(), asked.Load()/3; got != want {
		t.Fatalf("%d rounds ran after the gate was asked %d times, want %d (only those it allowed)", got, asked.Load(), want)
	}
}
