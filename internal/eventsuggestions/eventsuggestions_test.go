package eventsuggestions

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// fakeStore records what the service asks and runs its check on a given event.
type fakeStore struct {
	event   bridge.Event
	levels  []string
	audit   bridge.AuditEntry
	sends   int
	written int
	reads   int
}

func (f *fakeStore) SendEventSuggestions(_ context.Context, _ string, levels []string, _ time.Time, audit bridge.AuditEntry,
	check func(bridge.Event) error) (int, error) {
	if err := check(f.event); err != nil {
		return 0, err
	}
	f.sends, f.levels, f.audit = f.sends+1, levels, audit
	return f.written, nil
}

func (f *fakeStore) EventSuggestions(context.Context, bridge.Principal, string, int) ([]bridge.EventSuggestion, error) {
	f.reads++
	return []bridge.EventSuggestion{{PersonID: "p-2", ThemeIDs: []string{"health"}}}, nil
}

func code(err error) bridge.Code {
	var be *bridge.Error
	if errors.As(err, &be) {
		return be.Code
	}
	return ""
}

func TestSend(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC) }
	secretariat := bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleSecretariat}, RequestID: "r-1"}
	for _, c := range []struct {
		name  string
		actor bridge.Actor
		end   string
		want  bridge.Code
	}{
		{"a visitor", bridge.Actor{Principal: bridge.Anonymous}, "2026-12-01", bridge.CodeUnauthenticated},
		{"a member", bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleMember, PersonID: "p-1"}}, "2026-12-01", bridge.CodeForbidden},
		{"ends today", secretariat, "2026-12-05", bridge.CodeNotPossible},
		{"ends later", secretariat, "2027-01-01", bridge.CodeNotPossible},
		{"ended yesterday", secretariat, "2026-12-04", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			store := &fakeStore{event: bridge.Event{ID: "e-1", StartDate: "2026-11-30", EndDate: c.end}, written: 4}
			res, err := Service{Store: store, Now: now}.Send(t.Context(), c.actor, "e-1")
			if code(err) != c.want || (c.want == "") != (err == nil) {
				t.Fatalf("err %v, want %q", err, c.want)
			}
			if c.want != "" {
				if store.sends != 0 {
					t.Fatal("a refused send reached the write")
				}
				return
			}
			if res.Written != 4 || res.EventID != "e-1" || store.audit.Action != bridge.AuditSendEventSuggestions || store.audit.RequestID != "r-1" {
				t.Fatalf("result %+v, audit %+v", res, store.audit)
			}
			// Recipients see what members see, never the secretariat's levels.
			for _, l := range store.levels {
				if l == string(bridge.VisibilitySecretariat) {
					t.Fatalf("levels %v include the secretariat's", store.levels)
				}
			}
			if len(store.levels) == 0 {
				t.Fatal("no levels")
			}
		})
	}
}

func TestForMe(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC) }
	ended, running := bridge.Event{ID: "e-1", EndDate: "2026-12-04"}, bridge.Event{ID: "e-2", EndDate: "2026-12-05"}
	for _, c := range []struct {
		name   string
		viewer bridge.Principal
		event  bridge.Event
		want   int
	}{
		{"a visitor", bridge.Anonymous, ended, 0},
		{"signed in without a profile", bridge.Principal{Role: bridge.RoleMember}, ended, 0},
		{"before the end", bridge.Principal{Role: bridge.RoleMember, PersonID: "p-1"}, running, 0},
		{"after the end", bridge.Principal{Role: bridge.RoleMember, PersonID: "p-1"}, ended, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			store := &fakeStore{}
			got, err := Service{Store: store, Now: now}.ForMe(t.Context(), c.viewer, c.event)
			if err != nil || len(got) != c.want || got == nil || store.reads != c.want {
				t.Fatalf("got %v (%d reads), %v; want %d", got, store.reads, err, c.want)
			}
		})
	}
}
