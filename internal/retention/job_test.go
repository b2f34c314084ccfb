package retention

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// fakeStore keeps the job's world in memory and re-checks as the real store does (Decide under
// the lock). It records every call so that tests can check the batching.
type fakeStore struct {
	people        map[string]*bridge.RetentionProfile
	audit         []time.Time // times of audit events
	notifications []time.Time // creation times of notifications in a final state
	events        []bridge.AuditEntry
	erased        []string
	reconfirm     []string // recipients of RECONFIRM_PROFILE notifications
	failErase     map[string]bool
	calls         map[string]int
}

func newFakeStore() *fakeStore {
	return &fakeStore{people: map[string]*bridge.RetentionProfile{}, failErase: map[string]bool{}, calls: map[string]int{}}
}

func (f *fakeStore) StampRetentionActivity(_ context.Context, now time.Time, limit int) (int, error) {
	f.calls["stamp"]++
	n := 0
	for _, id := range slices.Sorted(mapsKeys(f.people)) {
		p := f.people[id]
		if n < limit && Covered(*p) && p.LastActiveAt.IsZero() {
			p.LastActiveAt = now
			n++
		}
	}
	return n, nil
}

func mapsKeys(m map[string]*bridge.RetentionProfile) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func (f *fakeStore) RetentionCandidates(_ context.Context, c bridge.RetentionCutoffs, after string, limit int) ([]bridge.RetentionProfile, error) {
	f.calls["candidates"]++
	var out []bridge.RetentionProfile
	for _, id := range slices.Sorted(mapsKeys(f.people)) {
		p := f.people[id]
		if id <= after || p.Confirmed || p.Demo || p.Source != bridge.SourceImport {
			continue
		}
		if (!p.Flagged() && !p.LastActiveAt.IsZero() && p.LastActiveAt.Before(c.FlagInactiveBefore)) ||
			(p.Flagged() && p.ReconfirmRequestedAt.Before(c.EraseFlaggedBefore)) {
			out = append(out, *p)
		}
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

func (f *fakeStore) FlagForReconfirmation(_ context.Context, ids []string, c bridge.RetentionCutoffs) (int, error) {
	f.calls["flag"]++
	n := 0
	for _, id := range ids {
		p, ok := f.people[id]
		if ok && Decide(*p, c) == Flag {
			p.ReconfirmRequestedAt, p.ReconfirmBy = c.Now, c.ReconfirmBy
			f.reconfirm = append(f.reconfirm, id)
			n++
		}
	}
	return n, nil
}

func (f *fakeStore) EraseForRetention(_ context.Context, id string, c bridge.RetentionCutoffs, audit bridge.AuditEntry) (bool, error) {
	f.calls["erase"]++
	if f.failErase[id] {
		return false, errors.New("database unavailable")
	}
	p, ok := f.people[id]
	if !ok || Decide(*p, c) != Erase {
		return false, nil
	}
	delete(f.people, id)
	f.erased = append(f.erased, id)
	audit.Action, audit.TargetID, audit.Detail = bridge.AuditErase, id, "reason=retention"
	f.events = append(f.events, audit)
	return true, nil
}

func prune(times *[]time.Time, before time.Time, limit int) int {
	n := 0
	kept := (*times)[:0]
	for _, at := range *times {
		if n < limit && at.Before(before) {
			n++
			continue
		}
		kept = append(kept, at)
	}
	*times = kept
	return n
}

func (f *fakeStore) PruneAuditEvents(_ context.Context, before time.Time, limit int) (int, error) {
	f.calls["pruneAudit"]++
	return prune(&f.audit, before, limit), nil
}

func (f *fakeStore) PruneNotifications(_ context.Context, before time.Time, limit int) (int, error) {
	f.calls["pruneNotifications"]++
	return prune(&f.notifications, before, limit), nil
}

func (f *fakeStore) AppendAudit(_ context.Context, events []bridge.AuditEntry) error {
	f.events = append(f.events, events...)
	return nil
}

// clock is a fake clock the test moves.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func (f *fakeStore) lastEvent(t *testing.T) bridge.AuditEntry {
	t.Helper()
	if len(f.events) == 0 {
		t.Fatal("no audit event")
	}
	return f.events[len(f.events)-1]
}

func TestRetentionJobFlagsWaitsAndErasesOnAFakeClock(t *testing.T) {
	f := newFakeStore()
	f.people["stale"] = &bridge.RetentionProfile{PersonID: "stale", Source: bridge.SourceImport, LastActiveAt: t0}
	f.people["fresh"] = &bridge.RetentionProfile{PersonID: "fresh", Source: bridge.SourceImport, LastActiveAt: t0.Add(300 * Day)}
	f.people["confirmed"] = &bridge.RetentionProfile{PersonID: "confirmed", Source: bridge.SourceImport, Confirmed: true, LastActiveAt: t0}
	f.people["demo"] = &bridge.RetentionProfile{PersonID: "demo", Source: bridge.SourceImport, Demo: true, LastActiveAt: t0}
	f.people["legacy"] = &bridge.RetentionProfile{PersonID: "legacy", Source: bridge.SourceImport} // no activity known
	clk := &clock{now: t0.Add(400 * Day)}
	f.audit = []time.Time{t0, clk.now.Add(-366 * Day), clk.now.Add(-300 * Day), clk.now.Add(-time.Hour)}
	f.notifications = []time.Time{clk.now.Add(-91 * Day), clk.now.Add(-50 * Day)}
	ids := 0
	job := Job{Store: f, Policy: DefaultPolicy(), Now: clk.Now, NewID: func() string { ids++; return fmt.Sprint("run", ids) }}

	// First run: the stale profile is flagged and asked; the legacy one is stamped (its clock
	// starts now); old audit events and notifications go.
	rep, err := job.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := bridge.RetentionReport{Stamped: 1, Flagged: 1, AuditPruned: 2, NotificationsPruned: 1}
	if rep != want {
		t.Fatalf("first run: %+v, want %+v", rep, want)
	}
	if !slices.Equal(f.reconfirm, []string{"stale"}) || !f.people["stale"].ReconfirmBy.Equal(clk.now.Add(30*Day)) {
		t.Fatalf("reconfirmation requests %v, stale %+v", f.reconfirm, f.people["stale"])
	}
	if !f.people["legacy"].LastActiveAt.Equal(clk.now) {
		t.Fatalf("legacy profile not stamped with the run's time: %+v", f.people["legacy"])
	}
	ev := f.lastEvent(t)
	if ev.Action != bridge.AuditRetention || ev.ActorRole != bridge.RoleSystem || ev.RequestID != "retention-run1" ||
		ev.TargetID != "" || ev.ActorID != "" || ev.Detail != "stamped=1 flagged=1 erased=0 auditPruned=2 notificationsPruned=1" {
		t.Fatalf("audit event %+v", ev)
	}

	// Inside the grace period: nothing more happens (no second request, no erasure).
	clk.now = clk.now.Add(10 * Day)
	if rep, err = job.Run(context.Background()); err != nil || rep != (bridge.RetentionReport{}) {
		t.Fatalf("run inside the grace period: %+v, %v", rep, err)
	}
	if len(f.reconfirm) != 1 || f.people["stale"] == nil {
		t.Fatalf("inside the grace period: requests %v, stale present %v", f.reconfirm, f.people["stale"] != nil)
	}
	if ev := f.lastEvent(t); ev.Action != bridge.AuditRetention || ev.Detail != "stamped=0 flagged=0 erased=0 auditPruned=0 notificationsPruned=0" {
		t.Fatalf("every run writes its audit event: %+v", ev)
	}

	// After the grace period: erased by the system, in the run's name.
	clk.now = clk.now.Add(21 * Day)
	if rep, err = job.Run(context.Background()); err != nil || rep.Erased != 1 || rep.Flagged != 0 {
		t.Fatalf("run after the grace period: %+v, %v", rep, err)
	}
	if !slices.Equal(f.erased, []string{"stale"}) {
		t.Fatalf("erased %v", f.erased)
	}
	erase := f.events[len(f.events)-2]
	if erase.Action != bridge.AuditErase || erase.ActorRole != bridge.RoleSystem || erase.RequestID != "retention-run3" {
		t.Fatalf("erasure audit %+v", erase)
	}
	for _, id := range []string{"fresh", "confirmed", "demo", "legacy"} {
		if f.people[id] == nil || f.people[id].Flagged() {
			t.Errorf("%s was touched: %+v", id, f.people[id])
		}
	}
}

func TestRetentionJobWorksInBatches(t *testing.T) {
	f := newFakeStore()
	for i := range 450 {
		id := fmt.Sprintf("p%04d", i)
		f.people[id] = &bridge.RetentionProfile{PersonID: id, Source: bridge.SourceImport, LastActiveAt: t0}
		if i%3 == 0 {
			f.people[id].HasAccount = true // a candidate the rule keeps: paging must move past it
		}
	}
	now := t0.Add(400 * Day)
	for range 250 {
		f.audit = append(f.audit, now.Add(-400*Day))
	}
	job := Job{Store: f, Policy: DefaultPolicy(), Now: func() time.Time { return now }, Batch: 100}
	rep, err := job.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Flagged != 300 || rep.AuditPruned != 250 {
		t.Fatalf("report %+v, want 300 flagged and 250 audit events pruned", rep)
	}
	// 450 candidates in pages of 100: 5 reads; 3 transactions to prune 250 events.
	if f.calls["candidates"] != 5 || f.calls["flag"] != 5 || f.calls["pruneAudit"] != 3 {
		t.Fatalf("calls %v", f.calls)
	}
}

func TestRetentionJobGoesOnAfterAFailedErasureAndSaysSo(t *testing.T) {
	f := newFakeStore()
	for _, id := range []string{"a", "b", "c"} {
		f.people[id] = &bridge.RetentionProfile{PersonID: id, Source: bridge.SourceImport, LastActiveAt: t0,
			ReconfirmRequestedAt: t0.Add(400 * Day), ReconfirmBy: t0.Add(430 * Day)}
	}
	f.failErase["b"] = true
	job := Job{Store: f, Policy: DefaultPolicy(), Now: func() time.Time { return t0.Add(500 * Day) }}
	rep, err := job.Run(context.Background())
	if err == nil || !strings.Contains(err.Error(), "erase b") {
		t.Fatalf("error %v, want one naming the failed erasure of b", err)
	}
	if rep.Erased != 2 || !slices.Equal(f.erased, []string{"a", "c"}) {
		t.Fatalf("report %+v, erased %v", rep, f.erased)
	}
	if ev := f.lastEvent(t); ev.Action != bridge.AuditRetention || !strings.HasSuffix(ev.Detail, "erased=2 auditPruned=0 notificationsPruned=0 complete=false") {
		t.Fatalf("audit event %+v", ev)
	}
}

func TestRetentionJobRunsEveryIntervalUntilStopped(t *testing.T) {
	f := newFakeStore()
	job := Job{Store: f, Policy: DefaultPolicy(), Now: func() time.Time { return t0 }}
	ctx, cancel := context.WithCancel(context.Background())
	runs := make(chan struct{}, 10)
	done := make(chan struct{})
	go func() {
		job.RunEvery(ctx, 10*time.Millisecond, func(bridge.RetentionReport, error) { runs <- struct{}{} })
		close(done)
	}()
	for range 3 {
		select {
		case <-runs:
		case <-time.After(5 * time.Second):
			t.Fatal("the job did not run")
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("RunEvery did not return after cancel")
	}
}

// TestRetentionJobSkipsTheRunsItsGateRefuses: with a gate (the job's lease), only the intervals
// whose gate says yes run the job; the others ask again at the next interval.
func TestRetentionJobSkipsTheRunsItsGateRefuses(t *testing.T) {
	f := newFakeStore()
	asked := 0
	job := Job{Store: f, Policy: DefaultPolicy(), Now: func() time.Time { return t0 },
		Gate: func(context.Context) bool { asked++; return asked%2 == 0 }} // every other interval
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runs := make(chan int, 10)
	go job.RunEvery(ctx, 5*time.Millisecond, func(bridge.RetentionReport, error) { runs <- asked })
	for want := 2; want <= 6; want += 2 {
		select {
		case got := <-runs:
			if got != want {
				t.Fatalf("the job ran when the gate had been asked %d times, want %d (only when it says yes)", got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the job did not run")
		}
	}
}
