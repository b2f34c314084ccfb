package programme

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

// fakeStore records what the service hands the store.
type fakeStore struct {
	items     []any
	members   int
	attendees []string
	audits    []bridge.AuditEntry
}

func (s *fakeStore) SaveProgrammeItem(_ context.Context, item any, a bridge.AuditEntry) error {
	s.items = append(s.items, item)
	s.audits = append(s.audits, a)
	return nil
}

func (s *fakeStore) AddGroupMember(_ context.Context, _, _ string, _ bridge.MemberRole, _ string, a bridge.AuditEntry) error {
	s.members++
	s.audits = append(s.audits, a)
	return nil
}

func (s *fakeStore) RemoveGroupMember(_ context.Context, _, _ string, a bridge.AuditEntry) error {
	s.members--
	s.audits = append(s.audits, a)
	return nil
}

func (s *fakeStore) SetAttendance(_ context.Context, _ string, ids []string, _ bool, _ string, a bridge.AuditEntry) error {
	s.attendees = append(s.attendees, ids...)
	s.audits = append(s.audits, a)
	return nil
}

var (
	secretariat = bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleSecretariat, PersonID: "sec"}, RequestID: "req-1"}
	member      = bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleMember, PersonID: "p1"}, RequestID: "req-1"}
	anonymous   = bridge.Actor{Principal: bridge.Anonymous, RequestID: "req-1"}
	today       = func() time.Time { return time.Date(2026, 5, 20, 10, 0, 0, 0, time.UTC) }
)

func TestSaveReturnsAndStoresTheCleanedItem(t *testing.T) {
	ctx := context.Background()
	st := &fakeStore{}
	svc := Service{Store: st}
	g, err := svc.SaveExpertGroup(ctx, secretariat, bridge.ExpertGroup{ID: "g", Name: " " + decomposed + " network ", Kind: bridge.GroupNetwork})
	if err != nil {
		t.Fatal(err)
	}
	if g.Name != composed+" network" || len(st.items) != 1 || st.items[0].(bridge.ExpertGroup).Name != composed+" network" {
		t.Fatalf("caller has %q, store got %+v", g.Name, st.items)
	}
	if a := st.audits[0]; a.Action != bridge.AuditSaveExpertGroup || a.ActorID != "sec" || a.RequestID != "req-1" {
		t.Fatalf("audit entry %+v", a)
	}
	_, err = svc.SaveEvent(ctx, secretariat, bridge.Event{ID: "e", Name: "Conference", StartDate: "2024-05-01", EndDate: "9999-12-31"})
	if bridge.InvalidField(err) != "input.endDate" || len(st.items) != 1 {
		t.Fatalf("event ending in 9999: %v", err)
	}
	if _, err := svc.SavePractice(ctx, secretariat, bridge.Practice{ID: "p", Title: "\u200b", Kind: bridge.PracticeGood}); bridge.InvalidField(err) != "input.title" {
		t.Fatalf("zero-width title: %v", err)
	}
	th, err := svc.SaveTheme(ctx, secretariat, theme(" Housing "))
	if err != nil || th.Labels["en"] != "Housing" || st.audits[len(st.audits)-1].Action != bridge.AuditSaveTheme {
		t.Fatalf("SaveTheme = %+v, %v", th, err)
	}
}

func TestMembershipDates(t *testing.T) {
	ctx := context.Background()
	st := &fakeStore{}
	svc := Service{Store: st, Now: today}
	for _, since := range []string{"9999-12-31", "2027-01-01", "1800-01-01", "2024-02-30"} {
		if err := svc.AddGroupMember(ctx, secretariat, "g", "p1", bridge.GroupRoleMember, since); bridge.InvalidField(err) != "since" {
			t.Errorf("group member since %q: %v, want refused at since", since, err)
		}
	}
	if err := svc.AddGroupMember(ctx, secretariat, "g", "p1", bridge.GroupRoleMember, "2026-05-20"); err != nil || st.members != 1 {
		t.Errorf("group member since today: %v", err)
	}
	if err := svc.AddGroupMember(ctx, secretariat, "g", "p1", bridge.MemberRole("BOSS"), ""); bridge.InvalidField(err) != "role" {
		t.Errorf("unknown role: %v", err)
	}
}

// TestOnlyTheSecretariatEditsTheProgramme: every method refuses members (FORBIDDEN) and asks
// anonymous callers to sign in (UNAUTHENTICATED), before the store is asked.
func TestOnlyTheSecretariatEditsTheProgramme(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(Service, bridge.Actor) error{
		"SaveTheme": func(s Service, a bridge.Actor) error {
			_, err := s.SaveTheme(ctx, a, theme("Housing"))
			return err
		},
		"SaveExpertGroup": func(s Service, a bridge.Actor) error {
			_, err := s.SaveExpertGroup(ctx, a, bridge.ExpertGroup{ID: "g", Name: "Group", Kind: bridge.GroupNetwork})
			return err
		},
		"SaveEvent": func(s Service, a bridge.Actor) error {
			_, err := s.SaveEvent(ctx, a, bridge.Event{ID: "e", Name: "Seminar", StartDate: "2024-05-01", EndDate: "2024-05-02"})
			return err
		},
		"SavePractice": func(s Service, a bridge.Actor) error {
			_, err := s.SavePractice(ctx, a, bridge.Practice{ID: "p", Title: "Guide", Kind: bridge.PracticeGood})
			return err
		},
		"AddGroupMember": func(s Service, a bridge.Actor) error {
			return s.AddGroupMember(ctx, a, "g", "p1", bridge.GroupRoleMember, "")
		},
		"RemoveGroupMember": func(s Service, a bridge.Actor) error { return s.RemoveGroupMember(ctx, a, "g", "p1") },
	}
	for name, call := range calls {
		for who, a := range map[string]bridge.Actor{"member": member, "anonymous": anonymous, "secretariat": secretariat} {
			t.Run(name+"/"+who, func(t *testing.T) {
				st := &fakeStore{}
				err := call(Service{Store: st, Now: today}, a)
				if who == "secretariat" {
					if err != nil || len(st.audits) != 1 || st.audits[0].RequestID != "req-1" {
						t.Fatalf("secretariat: %v, audits %+v", err, st.audits)
					}
					return
				}
				want := map[string]bridge.Code{"member": bridge.CodeForbidden, "anonymous": bridge.CodeUnauthenticated}[who]
				if bridge.ErrorCode(err) != want || len(st.audits) != 0 {
					t.Fatalf("%s: %v (store asked %d times), want %s before the store", who, err, len(st.audits), want)
				}
			})
		}
	}
}

// theme is a theme with the labels every theme needs and the English label en.
func theme(en string) bridge.Theme {
	t := bridge.Theme{ID: "t", Labels: map[string]string{}, Descriptions: map[string]string{"en": "Somewhere to live."}}
	for _, lang := range bridge.RequiredLabelLanguages {
		t.Labels[lang] = "Bostad"
	}
	t.Labels["en"] = en
	return t
}

func TestAttendanceRules(t *testing.T) {
	store := &fakeStore{}
	s := Service{Store: store}
	secretariat := bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleSecretariat}}
	member := bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleMember, PersonID: "m"}}
	if err := s.RecordAttendance(t.Context(), member, "e", []string{"a"}, true); bridge.ErrorCode(err) != bridge.CodeForbidden {
		t.Errorf("a member records others' attendance: %v", err)
	}
	if err := s.RecordAttendance(t.Context(), secretariat, "e", nil, true); bridge.InvalidField(err) != "people" {
		t.Errorf("nobody: %v", err)
	}
	if err := s.RecordAttendance(t.Context(), secretariat, "e", make([]string, MaxAttendees+1), true); bridge.InvalidField(err) != "people" {
		t.Errorf("too many: %v", err)
	}
	if err := s.MarkMyAttendance(t.Context(), bridge.Actor{}, "e", true); bridge.ErrorCode(err) != bridge.CodeUnauthenticated {
		t.Errorf("anonymous: %v", err)
	}
	if err := s.MarkMyAttendance(t.Context(), bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleMember}}, "e", true); bridge.ErrorCode(err) != bridge.CodeNotFound {
		t.Errorf("without a profile: %v", err)
	}
	if err := s.MarkMyAttendance(t.Context(), member, "e", true); err != nil || len(store.attendees) != 1 || store.attendees[0] != "m" ||
		store.audits[len(store.audits)-1].Action != bridge.AuditRecordAttendance {
		t.Errorf("a member's own: %v, %v, %+v", err, store.attendees, store.audits)
	}
}
