package rights

import (
	"context"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

const (
	decomposed = "Ma\u0308lmo\u0308"
	composed   = "M\u00e4lm\u00f6"
)

// fakeStore records what the register hands the store.
type fakeStore struct {
	Store
	rights *bridge.RightsRequestInput
	reason string
	note   string
	entry  bridge.AuditEntry
	reads  int
}

func (s *fakeStore) RecordRightsRequest(_ context.Context, in bridge.RightsRequestInput, a bridge.AuditEntry) (bridge.RightsRequest, error) {
	s.rights, s.entry = &in, a
	return bridge.RightsRequest{}, nil
}

func (s *fakeStore) ExtendRightsRequest(_ context.Context, _, reason string, _ time.Time, a bridge.AuditEntry) (bridge.RightsRequest, error) {
	s.reason, s.entry = reason, a
	return bridge.RightsRequest{}, nil
}

func (s *fakeStore) CloseRightsRequest(_ context.Context, _ string, _ bridge.RightsStatus, note string, _ time.Time, a bridge.AuditEntry) (bridge.RightsRequest, error) {
	s.note, s.entry = note, a
	return bridge.RightsRequest{}, nil
}

func (s *fakeStore) RightsRequest(context.Context, string) (bridge.RightsRequest, error) {
	s.reads++
	return bridge.RightsRequest{}, nil
}

func (s *fakeStore) RightsRequests(context.Context, bridge.RightsFilter, time.Time, int, string) (bridge.RightsPage, error) {
	s.reads++
	return bridge.RightsPage{}, nil
}

var (
	secretariat = bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleSecretariat, PersonID: "sec"}, RequestID: "req-1"}
	member      = bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleMember, PersonID: "p1"}, RequestID: "req-1"}
	anonymous   = bridge.Actor{Principal: bridge.Anonymous, RequestID: "req-1"}
)

func TestTheRegisterStoresCleanedNotes(t *testing.T) {
	ctx := context.Background()
	st := &fakeStore{}
	r := Service{Store: st, Now: time.Now}
	in := bridge.RightsRequestInput{PersonID: "p1", Kind: bridge.RightsAccess, Channel: bridge.ChannelEmail,
		ReceivedAt: time.Now().Add(-time.Hour), Note: " By e-mail\r\nfrom " + decomposed + " "}
	if _, err := r.Record(ctx, secretariat, in); err != nil || st.rights == nil || st.rights.Note != "By e-mail\nfrom "+composed {
		t.Fatalf("Record = %v, stored %+v", err, st.rights)
	}
	if st.entry.Action != bridge.AuditRecordRights || st.entry.ActorID != "sec" || st.entry.RequestID != "req-1" {
		t.Fatalf("audit entry %+v", st.entry)
	}
	if _, err := r.Extend(ctx, secretariat, "r1", " backlog\u200b "); err != nil || st.reason != "backlog" {
		t.Fatalf("Extend = %v, stored %q", err, st.reason)
	}
	if _, err := r.Close(ctx, secretariat, "r1", bridge.RightsRejected, "\u200b\u200c"); bridge.InvalidField(err) != "note" {
		t.Fatalf("rejection with a zero-width reason: %v", err)
	}
	if _, err := r.Close(ctx, secretariat, "r1", bridge.RightsRejected, "Unfounded\x1b[0m"); bridge.InvalidField(err) != "note" {
		t.Fatalf("rejection with ESC: %v", err)
	}
	if _, err := r.Close(ctx, secretariat, "r1", bridge.RightsRejected, " manifestly unfounded "); err != nil || st.note != "manifestly unfounded" {
		t.Fatalf("Close = %v, stored %q", err, st.note)
	}
}

// TestOnlyTheSecretariatKeepsTheRegister: members are refused (FORBIDDEN) and anonymous callers
// asked to sign in (UNAUTHENTICATED), before the store is asked.
func TestOnlyTheSecretariatKeepsTheRegister(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(Service, bridge.Actor) error{
		"Record": func(s Service, a bridge.Actor) error {
			_, err := s.Record(ctx, a, bridge.RightsRequestInput{PersonID: "p1", Kind: bridge.RightsAccess,
				Channel: bridge.ChannelEmail, ReceivedAt: time.Now().Add(-time.Hour)})
			return err
		},
		"Extend": func(s Service, a bridge.Actor) error { _, err := s.Extend(ctx, a, "r1", "backlog"); return err },
		"Close": func(s Service, a bridge.Actor) error {
			_, err := s.Close(ctx, a, "r1", bridge.RightsFulfilled, "")
			return err
		},
		"Get": func(s Service, a bridge.Actor) error { _, err := s.Get(ctx, a, "r1"); return err },
		"List": func(s Service, a bridge.Actor) error {
			_, err := s.List(ctx, a, bridge.RightsFilter{}, 10, "")
			return err
		},
	}
	want := map[string]bridge.Code{"secretariat": "", "member": bridge.CodeForbidden, "anonymous": bridge.CodeUnauthenticated}
	actors := map[string]bridge.Actor{"secretariat": secretariat, "member": member, "anonymous": anonymous}
	for name, call := range calls {
		for who, code := range want {
			t.Run(name+"/"+who, func(t *testing.T) {
				st := &fakeStore{}
				err := call(Service{Store: st, Now: time.Now}, actors[who])
				asked := st.reads > 0 || st.entry != (bridge.AuditEntry{})
				if code == "" && (err != nil || !asked) || code != "" && (bridge.ErrorCode(err) != code || asked) {
					t.Fatalf("got %v (store asked: %v), want %q", err, asked, code)
				}
			})
		}
	}
}
