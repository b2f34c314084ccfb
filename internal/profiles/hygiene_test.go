package profiles

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The services hand the store the cleaned form of what a client sent (bridge's Clean methods,
// text.go), and refuse before the store is asked.

const (
	decomposed = "Ma\u0308lmo\u0308"
	composed   = "M\u00e4lm\u00f6"
	rlo        = "\u202e"
)

func fieldOf(err error) string {
	var e *bridge.Error
	if !errors.As(err, &e) || e.Code != bridge.CodeBadUserInput {
		return "no BAD_USER_INPUT: " + string(bridge.ErrorCode(err))
	}
	return strings.Join(e.Field, ".")
}

// profileStore records what the services pass on; its embedded interfaces are nil, so calling
// anything else fails the test loudly.
type profileStore struct {
	bridge.ProfileService
	bridge.PrivacyService
	bridge.RightsStore
	profile  *bridge.ProfileInput
	affs     []bridge.Affiliation
	members  int
	items    []any
	consents int
	rights   *bridge.RightsRequestInput
	reason   string
	note     string
}

func (s *profileStore) CreateProfile(_ context.Context, _ bridge.Account, in bridge.ProfileInput, _ string) (string, error) {
	s.profile = &in
	return "p1", nil
}

func (s *profileStore) UpdateProfile(_ context.Context, _ string, in bridge.ProfileInput, v int, _ *bridge.AuditEntry) (int, error) {
	s.profile = &in
	return v + 1, nil
}

func (s *profileStore) SetAffiliations(_ context.Context, _ string, affs []bridge.Affiliation) error {
	s.affs = affs
	return nil
}

func (s *profileStore) CreatePerson(_ context.Context, _, _ string, in bridge.ProfileInput, _ bridge.AuditEntry) error {
	s.profile = &in
	return nil
}

func (s *profileStore) RemoveGroupMember(context.Context, string, string, bridge.AuditEntry) error {
	return nil
}

func (s *profileStore) AddGroupMember(context.Context, string, string, bridge.MemberRole, string, bridge.AuditEntry) error {
	s.members++
	return nil
}

func (s *profileStore) MergePeople(context.Context, string, string, bridge.AuditEntry) error {
	return nil
}

func (s *profileStore) SaveProgrammeItem(_ context.Context, item any, _ bridge.AuditEntry) error {
	s.items = append(s.items, item)
	return nil
}

func (s *profileStore) GiveConsent(context.Context, string, bridge.ConsentInput, bridge.ConsentSource, bridge.AuditEntry) (bridge.Consent, error) {
	s.consents++
	return bridge.Consent{}, nil
}

func (s *profileStore) Consents(context.Context, string) ([]bridge.Consent, error) { return nil, nil }

func (s *profileStore) ConsentsOf(context.Context, []string) (map[string][]bridge.Consent, error) {
	return nil, nil
}

func (s *profileStore) RecordRightsRequest(_ context.Context, in bridge.RightsRequestInput, _ bridge.AuditEntry) (bridge.RightsRequest, error) {
	s.rights = &in
	return bridge.RightsRequest{}, nil
}

func (s *profileStore) ExtendRightsRequest(_ context.Context, _, reason string, _ time.Time, _ bridge.AuditEntry) (bridge.RightsRequest, error) {
	s.reason = reason
	return bridge.RightsRequest{}, nil
}

func (s *profileStore) CloseRightsRequest(_ context.Context, _ string, _ bridge.RightsStatus, note string, _ time.Time, _ bridge.AuditEntry) (bridge.RightsRequest, error) {
	s.note = note
	return bridge.RightsRequest{}, nil
}

var (
	member      = bridge.Principal{Role: bridge.RoleMember, PersonID: "p1", Account: &bridge.Account{Issuer: "i", Subject: "s"}}
	newcomer    = bridge.Principal{Role: bridge.RoleMember, Account: &bridge.Account{Issuer: "i", Subject: "s2"}}
	secretariat = bridge.Principal{Role: bridge.RoleSecretariat, PersonID: "sec", Account: &bridge.Account{Issuer: "i", Subject: "s3"}}
)

func profileInput() bridge.ProfileInput {
	return bridge.ProfileInput{GivenName: " " + decomposed + " ", FamilyName: "\u200bBerg", Title: "Coordinator ",
		Bio: "One.\r\nTwo.", Phone: "+46\u00a08 123 456", CountryCode: "SE"}
}

func TestProfilesStoreTheCleanedProfile(t *testing.T) {
	ctx := context.Background()
	check := func(what string, got *bridge.ProfileInput) {
		t.Helper()
		if got == nil || got.GivenName != composed || got.FamilyName != "Berg" || got.Title != "Coordinator" ||
			got.Bio != "One.\nTwo." || got.Phone != "+46 8 123 456" {
			t.Errorf("%s stored %+v", what, got)
		}
	}
	st := &profileStore{}
	if _, err := (Service{Store: st}).Create(ctx, newcomer, profileInput()); err != nil {
		t.Fatal(err)
	}
	check("Create", st.profile)
	st = &profileStore{}
	if err := (Service{Store: st}).Update(ctx, member, profileInput(), 1, "r"); err != nil {
		t.Fatal(err)
	}
	check("Update", st.profile)
	st = &profileStore{}
	if err := (Service{Store: st}).UpdateFor(ctx, secretariat, "p1", profileInput(), 1, "r"); err != nil {
		t.Fatal(err)
	}
	check("UpdateFor", st.profile)
	st = &profileStore{}
	if _, err := (Secretariat{Store: st}).CreatePerson(ctx, secretariat, "a@example.org", profileInput(), "r"); err != nil {
		t.Fatal(err)
	}
	check("CreatePerson", st.profile)

	st = &profileStore{}
	bad := profileInput()
	bad.GivenName = "Anna" + rlo + "greB"
	if _, err := (Service{Store: st}).Create(ctx, newcomer, bad); fieldOf(err) != "input.givenName" || st.profile != nil {
		t.Errorf("RLO in a name: %v (stored: %v)", err, st.profile != nil)
	}
	bad = profileInput()
	bad.FamilyName = "\u200b\u200c\u200d\ufeff"
	if err := (Service{Store: st}).Update(ctx, member, bad, 1, "r"); fieldOf(err) != "input.familyName" || st.profile != nil {
		t.Errorf("zero-width name: %v (stored: %v)", err, st.profile != nil)
	}
}

func TestAffiliationAndMembershipDates(t *testing.T) {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 5, 20, 10, 0, 0, 0, time.UTC) }
	st := &profileStore{}
	svc := Service{Store: st, Now: now}
	err := svc.SetAffiliations(ctx, member, []bridge.Affiliation{{OrganisationID: "o1", Role: " " + decomposed + " ", Since: "2021-08-01"}})
	if err != nil || len(st.affs) != 1 || st.affs[0].Role != composed {
		t.Fatalf("SetAffiliations = %v, stored %+v", err, st.affs)
	}
	st.affs = nil
	for _, c := range []struct{ since, role, field string }{
		{"9999-12-31", "", "affiliations.0.since"},
		{"2026-06-01", "", "affiliations.0.since"},
		{"1899-12-31", "", "affiliations.0.since"},
		{"", "Adviser\nadmin", "affiliations.0.role"},
		{"", "Adviser" + rlo, "affiliations.0.role"},
	} {
		err := svc.SetAffiliations(ctx, member, []bridge.Affiliation{{OrganisationID: "o1", Role: c.role, Since: c.since}})
		if fieldOf(err) != c.field || st.affs != nil {
			t.Errorf("since %q role %q: %v, want refused at %s", c.since, c.role, err, c.field)
		}
	}
	sec := Secretariat{Store: st, Now: now}
	for _, since := range []string{"9999-12-31", "2027-01-01", "1800-01-01", "2024-02-30"} {
		if err := sec.AddGroupMember(ctx, secretariat, "g", "p1", bridge.GroupRoleMember, since, "r"); fieldOf(err) != "since" {
			t.Errorf("group member since %q: %v, want refused at since", since, err)
		}
	}
	if err := sec.AddGroupMember(ctx, secretariat, "g", "p1", bridge.GroupRoleMember, "2026-05-20", "r"); err != nil || st.members != 1 {
		t.Errorf("group member since today: %v", err)
	}
}

func TestProgrammeSaveCleansInPlace(t *testing.T) {
	st := &profileStore{}
	g := bridge.ExpertGroup{ID: "g", Name: " " + decomposed + " network ", Kind: bridge.GroupNetwork}
	if err := (Programme{Store: st}).Save(context.Background(), secretariat, &g, "r"); err != nil {
		t.Fatal(err)
	}
	if g.Name != composed+" network" || len(st.items) != 1 || st.items[0].(bridge.ExpertGroup).Name != composed+" network" {
		t.Fatalf("caller has %q, store got %+v", g.Name, st.items)
	}
	e := bridge.Event{ID: "e", Name: "Conference", StartDate: "2024-05-01", EndDate: "9999-12-31"}
	if err := (Programme{Store: st}).Save(context.Background(), secretariat, &e, "r"); fieldOf(err) != "input.endDate" || len(st.items) != 1 {
		t.Fatalf("event ending in 9999: %v", err)
	}
	p := bridge.Practice{ID: "p", Title: "\u200b", Kind: bridge.PracticeGood}
	if err := (Programme{Store: st}).Save(context.Background(), secretariat, p, "r"); fieldOf(err) != "input.title" {
		t.Fatalf("zero-width title: %v", err)
	}
}

func TestGiveConsentNeedsTheCurrentPolicyVersion(t *testing.T) {
	st := &profileStore{}
	priv := Privacy{Store: st, Now: time.Now}
	for _, v := range []string{"1999-01", "v1", "2026-10"} {
		_, err := priv.GiveConsent(context.Background(), member, bridge.ConsentInput{Purpose: bridge.ConsentSuggest, PolicyVersion: v}, "r")
		if fieldOf(err) != "input.policyVersion" || st.consents != 0 {
			t.Errorf("policy version %q: %v (recorded: %d)", v, err, st.consents)
		}
	}
	if _, err := priv.GiveConsent(context.Background(), member, bridge.ConsentInput{Purpose: bridge.ConsentSuggest,
		PolicyVersion: bridge.CurrentPolicyVersion}, "r"); err != nil || st.consents != 1 {
		t.Errorf("current version: %v", err)
	}
}

func TestRightsStoreCleanedNotes(t *testing.T) {
	ctx := context.Background()
	st := &profileStore{}
	r := Rights{Store: st, Now: time.Now}
	in := bridge.RightsRequestInput{PersonID: "p1", Kind: bridge.RightsAccess, Channel: bridge.ChannelEmail,
		ReceivedAt: time.Now().Add(-time.Hour), Note: " By e-mail\r\nfrom " + decomposed + " "}
	if _, err := r.Record(ctx, secretariat, in, "x"); err != nil || st.rights == nil || st.rights.Note != "By e-mail\nfrom "+composed {
		t.Fatalf("Record = %v, stored %+v", err, st.rights)
	}
	if _, err := r.Extend(ctx, secretariat, "r1", " backlog\u200b ", "x"); err != nil || st.reason != "backlog" {
		t.Fatalf("Extend = %v, stored %q", err, st.reason)
	}
	if _, err := r.Close(ctx, secretariat, "r1", bridge.RightsRejected, "\u200b\u200c", "x"); fieldOf(err) != "note" {
		t.Fatalf("rejection with a zero-width reason: %v", err)
	}
	if _, err := r.Close(ctx, secretariat, "r1", bridge.RightsRejected, "Unfounded\x1b[0m", "x"); fieldOf(err) != "note" {
		t.Fatalf("rejection with ESC: %v", err)
	}
	if _, err := r.Close(ctx, secretariat, "r1", bridge.RightsRejected, " manifestly unfounded ", "x"); err != nil || st.note != "manifestly unfounded" {
		t.Fatalf("Close = %v, stored %q", err, st.note)
	}
}
