package privacy

import (
	"context"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// fakeStore records what the service asks of the store; its embedded interface is nil, so
// anything else fails the test loudly.
type fakeStore struct {
	Store
	consents int
	target   string
	entry    bridge.AuditEntry
	answer   bridge.RightsAnswer
	asked    []string // ConsentsOf's ids
}

func (s *fakeStore) GiveConsent(_ context.Context, id string, _ bridge.ConsentInput, _ bridge.ConsentSource, a bridge.AuditEntry) (bridge.Consent, error) {
	s.consents++
	s.target, s.entry = id, a
	return bridge.Consent{}, nil
}

func (s *fakeStore) Consents(context.Context, string) ([]bridge.Consent, error) { return nil, nil }

func (s *fakeStore) ConsentsOf(_ context.Context, ids []string) (map[string][]bridge.Consent, error) {
	s.asked = ids
	out := map[string][]bridge.Consent{}
	for _, id := range ids {
		out[id] = []bridge.Consent{{Purpose: bridge.ConsentSuggest}}
	}
	return out, nil
}

func (s *fakeStore) ExportPersonData(_ context.Context, id string, a bridge.AuditEntry, answer bridge.RightsAnswer) (map[string]any, error) {
	s.target, s.entry, s.answer = id, a, answer
	return map[string]any{}, nil
}

func (s *fakeStore) ErasePerson(_ context.Context, id string, a bridge.AuditEntry, answer bridge.RightsAnswer) (bridge.ErasureResult, error) {
	s.target, s.entry, s.answer = id, a, answer
	return bridge.ErasureResult{}, nil
}

func (s *fakeStore) SetPaused(_ context.Context, id string, _ bool, a bridge.AuditEntry, answer bridge.RightsAnswer) error {
	s.target, s.entry, s.answer = id, a, answer
	return nil
}

var (
	member      = bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleMember, PersonID: "p1"}, RequestID: "req-1"}
	newcomer    = bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleMember}, RequestID: "req-1"}
	secretariat = bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleSecretariat, PersonID: "sec"}, RequestID: "req-1"}
)

func TestGiveConsentNeedsTheCurrentPolicyVersion(t *testing.T) {
	st := &fakeStore{}
	priv := Service{Store: st, Now: time.Now}
	for _, v := range []string{"1999-01", "v1", "2026-10"} {
		_, err := priv.GiveConsent(context.Background(), member, bridge.ConsentInput{Purpose: bridge.ConsentSuggest, PolicyVersion: v})
		if bridge.InvalidField(err) != "input.policyVersion" || st.consents != 0 {
			t.Errorf("policy version %q: %v (recorded: %d)", v, err, st.consents)
		}
	}
	if _, err := priv.GiveConsent(context.Background(), member, bridge.ConsentInput{Purpose: bridge.ConsentSuggest,
		PolicyVersion: bridge.CurrentPolicyVersion}); err != nil || st.consents != 1 {
		t.Errorf("current version: %v", err)
	}
	if st.target != "p1" || st.entry.ActorID != "p1" || st.entry.RequestID != "req-1" {
		t.Errorf("consent of %q with entry %+v, want the actor's own with the request id", st.target, st.entry)
	}
}

// TestWhoseDataEachActIsOn: export, erase and pause act on the actor's own profile, or, for the
// secretariat, on the person named, closing the rights request given; anyone else is refused
// before the store is asked.
func TestWhoseDataEachActIsOn(t *testing.T) {
	ctx := context.Background()
	acts := map[string]func(Service, bridge.Actor, string, string) error{
		"Export": func(s Service, a bridge.Actor, person, rr string) error {
			_, err := s.Export(ctx, a, person, rr)
			return err
		},
		"Erase": func(s Service, a bridge.Actor, person, rr string) error {
			_, err := s.Erase(ctx, a, person, rr)
			return err
		},
	}
	cases := []struct {
		name         string
		actor        bridge.Actor
		person, rr   string
		code         bridge.Code
		target       string
		selfService  bool
		rightsRecord string
	}{
		{"own data", member, "", "", "", "p1", true, ""},
		{"no profile yet", newcomer, "", "", bridge.CodeNotFound, "", false, ""},
		{"a member on someone else", member, "p2", "", bridge.CodeForbidden, "", false, ""},
		{"the secretariat on request", secretariat, "p2", "rr1", "", "p2", false, "rr1"},
		{"the secretariat without a recorded request", secretariat, "p2", "", "", "p2", false, ""},
	}
	for name, act := range acts {
		for _, c := range cases {
			t.Run(name+"/"+c.name, func(t *testing.T) {
				st := &fakeStore{}
				err := act(Service{Store: st, Now: time.Now}, c.actor, c.person, c.rr)
				if bridge.ErrorCode(err) != c.code && !(err == nil && c.code == "") {
					t.Fatalf("got %v, want %q", err, c.code)
				}
				if st.target != c.target || st.answer.SelfService != c.selfService || st.answer.RequestID != c.rightsRecord {
					t.Fatalf("store asked for %q with answer %+v", st.target, st.answer)
				}
				if c.code == "" && (st.entry.ActorID != c.actor.PersonID || st.entry.RequestID != "req-1") {
					t.Fatalf("audit entry %+v, want the actor's with the request id", st.entry)
				}
			})
		}
	}
}

// TestPauseIsARestrictionRequest: pausing is recorded as a self-service restriction; resuming
// records no rights answer.
func TestPauseIsARestrictionRequest(t *testing.T) {
	st := &fakeStore{}
	svc := Service{Store: st, Now: time.Now}
	if err := svc.SetPaused(context.Background(), member, true); err != nil || st.answer.Kind != bridge.RightsRestriction || !st.answer.SelfService {
		t.Fatalf("pause: %v, answer %+v", err, st.answer)
	}
	if err := svc.SetPaused(context.Background(), member, false); err != nil || st.answer != (bridge.RightsAnswer{}) {
		t.Fatalf("resume: %v, answer %+v", err, st.answer)
	}
	st = &fakeStore{}
	if err := svc.SetPaused(context.Background(), newcomer, true); bridge.ErrorCode(err) != bridge.CodeNotFound || st.target != "" {
		t.Fatalf("pause without a profile: %v", err)
	}
}

// TestConsentsOfShowsOnlyWhatTheViewerMaySee: a member gets their own records and nothing for
// others (asked of the store: only their own id); the secretariat gets anyone's.
func TestConsentsOfShowsOnlyWhatTheViewerMaySee(t *testing.T) {
	st := &fakeStore{}
	svc := Service{Store: st}
	got, err := svc.ConsentsOf(context.Background(), member, []string{"p1", "p2"})
	if err != nil || len(got["p1"]) != 1 || got["p2"] != nil || len(st.asked) != 1 || st.asked[0] != "p1" {
		t.Fatalf("member: %v, %v (store asked %v)", got, err, st.asked)
	}
	got, err = svc.ConsentsOf(context.Background(), secretariat, []string{"p1", "p2"})
	if err != nil || len(got["p1"]) != 1 || len(got["p2"]) != 1 {
		t.Fatalf("secretariat: %v, %v", got, err)
	}
}
