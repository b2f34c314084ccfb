package retention

import (
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// t0 is the fake clock's start: the day a profile was last active.
var t0 = time.Date(2026, 1, 10, 8, 0, 0, 0, time.UTC)

func imported(lastActive time.Time) bridge.RetentionProfile {
	return bridge.RetentionProfile{PersonID: "p-1", Source: bridge.SourceImport, LastActiveAt: lastActive}
}

func TestRetentionCutoffsFollowThePolicy(t *testing.T) {
	p := DefaultPolicy()
	now := time.Date(2027, 6, 1, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	c := p.Cutoffs(now)
	utc := now.UTC()
	if !c.Now.Equal(utc) || c.Now.Location() != time.UTC {
		t.Errorf("Now = %v, want %v in UTC", c.Now, utc)
	}
	for name, got := range map[string][2]time.Time{
		"FlagInactiveBefore":  {c.FlagInactiveBefore, utc.Add(-365 * Day)},
		"ReconfirmBy":         {c.ReconfirmBy, utc.Add(30 * Day)},
		"EraseFlaggedBefore":  {c.EraseFlaggedBefore, utc.Add(-30 * Day)},
		"AuditBefore":         {c.AuditBefore, utc.Add(-365 * Day)},
		"NotificationsBefore": {c.NotificationsBefore, utc.Add(-90 * Day)},
	} {
		if !got[0].Equal(got[1]) {
			t.Errorf("%s = %v, want %v", name, got[0], got[1])
		}
	}
}

// TestRetentionDecideWithAFakeClock walks one imported profile through its life on a fake clock:
// kept while active, flagged after a year of inactivity, kept through the grace period, erased
// after it; and every profile the policy does not cover is kept at any time.
func TestRetentionDecideWithAFakeClock(t *testing.T) {
	p := DefaultPolicy()
	at := func(d time.Duration) bridge.RetentionCutoffs { return p.Cutoffs(t0.Add(d)) }
	flaggedAt := t0.Add(400 * Day)
	flagged := imported(t0)
	flagged.ReconfirmRequestedAt, flagged.ReconfirmBy = flaggedAt, flaggedAt.Add(30*Day)

	tests := []struct {
		name string
		pr   bridge.RetentionProfile
		now  time.Duration // since t0
		want Decision
	}{
		{"active yesterday", imported(t0), 1 * Day, Keep},
		{"inactive for just under a year", imported(t0), 365*Day - time.Second, Keep},
		{"inactive for exactly a year", imported(t0), 365 * Day, Keep},
		{"inactive for a year and a second", imported(t0), 365*Day + time.Second, Flag},
		{"inactive for two years", imported(t0), 730 * Day, Flag},
		{"flagged, a day into the grace period", flagged, 401 * Day, Keep},
		{"flagged, at the deadline", flagged, 430 * Day, Keep},
		{"flagged, past the deadline", flagged, 430*Day + time.Second, Erase},
		{"flagged, long past the deadline", flagged, 800 * Day, Erase},
		{"confirmed", func() bridge.RetentionProfile { x := imported(t0); x.Confirmed = true; return x }(), 800 * Day, Keep},
		{"confirmed although flagged", func() bridge.RetentionProfile { x := flagged; x.Confirmed = true; return x }(), 800 * Day, Keep},
		{"demo", func() bridge.RetentionProfile { x := flagged; x.Demo = true; return x }(), 800 * Day, Keep},
		{"someone signs in as it", func() bridge.RetentionProfile { x := flagged; x.HasAccount = true; return x }(), 800 * Day, Keep},
		{"created by its owner", func() bridge.RetentionProfile { x := imported(t0); x.Source = bridge.SourceSelf; return x }(), 800 * Day, Keep},
		{"demo source", func() bridge.RetentionProfile { x := imported(t0); x.Source = bridge.SourceDemo; return x }(), 800 * Day, Keep},
		{"no known activity (not stamped yet)", imported(time.Time{}), 800 * Day, Keep},
		{"active after the request", func() bridge.RetentionProfile { x := flagged; x.LastActiveAt = flaggedAt.Add(Day); return x }(), 800 * Day, Keep},
	}
	for _, tt := range tests {
		if got := Decide(tt.pr, at(tt.now)); got != tt.want {
			t.Errorf("%s, at t0+%s: %s, want %s", tt.name, tt.now, got, tt.want)
		}
	}
}

// TestRetentionNeverErasesBeforeTheDateThePersonWasTold: a grace period shortened after the
// request does not bring the erasure forward, and a longer one postpones it.
func TestRetentionNeverErasesBeforeTheDateThePersonWasTold(t *testing.T) {
	flaggedAt := t0
	pr := imported(t0.Add(-400 * Day))
	pr.ReconfirmRequestedAt, pr.ReconfirmBy = flaggedAt, flaggedAt.Add(30*Day)

	shorter := DefaultPolicy()
	shorter.Grace = 10 * Day
	if got := Decide(pr, shorter.Cutoffs(flaggedAt.Add(20*Day))); got != Keep {
		t.Errorf("grace shortened to 10 days, 20 days after the request (deadline told: 30 days): %s, want keep", got)
	}
	if got := Decide(pr, shorter.Cutoffs(flaggedAt.Add(31*Day))); got != Erase {
		t.Errorf("grace shortened, past the deadline told: %s, want erase", got)
	}
	longer := DefaultPolicy()
	longer.Grace = 60 * Day
	if got := Decide(pr, longer.Cutoffs(flaggedAt.Add(45*Day))); got != Keep {
		t.Errorf("grace lengthened to 60 days, 45 days after the request: %s, want keep", got)
	}
	if got := Decide(pr, longer.Cutoffs(flaggedAt.Add(61*Day))); got != Erase {
		t.Errorf("grace lengthened, 61 days after the request: %s, want erase", got)
	}
	// A request without a stored deadline (none told) follows the policy alone.
	pr.ReconfirmBy = time.Time{}
	if got := Decide(pr, DefaultPolicy().Cutoffs(flaggedAt.Add(31*Day))); got != Erase {
		t.Errorf("no deadline stored, 31 days after the request: %s, want erase", got)
	}
}

func TestRetentionPolicyValidateNamesEveryShortDuration(t *testing.T) {
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatalf("default policy: %v", err)
	}
	err := Policy{UnconfirmedAfter: Day, Grace: time.Hour, Audit: Day, Notifications: time.Minute}.Validate()
	if err == nil {
		t.Fatal("a policy of hours and days validated")
	}
	for _, field := range []string{"UnconfirmedAfter", "Grace", "Audit", "Notifications"} {
		if !strings.Contains(err.Error(), field) {
			t.Errorf("error %q does not name %s", err, field)
		}
	}
}
