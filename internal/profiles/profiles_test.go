package profiles

import (
	"context"
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

// profileStore records what the services pass on; its embedded interfaces are nil, so calling
// anything else fails the test loudly.
type profileStore struct {
	Store
	SecretariatStore
	OrganisationStore
	profile *bridge.ProfileInput
	reader  bridge.Principal // who reads the profile that UpdateProfile answers with
	affs    []bridge.Affiliation
	audits  []bridge.AuditEntry
}

func (s *profileStore) CreateProfile(_ context.Context, _ bridge.Principal, in bridge.ProfileInput, _ string) (bridge.Person, error) {
	s.profile = &in
	return bridge.Person{ID: "p1"}, nil
}

// UpdateProfile changes storedProfile, the profile as the store holds it.
func (s *profileStore) UpdateProfile(_ context.Context, reader bridge.Principal, change func(bridge.Person) (bridge.ProfileInput, error),
	v int, a *bridge.AuditEntry) (bridge.Person, error) {
	in, err := change(storedProfile)
	if err != nil {
		return bridge.Person{}, err
	}
	s.profile, s.reader = &in, reader
	s.audits = append(s.audits, *a)
	return bridge.Person{ID: reader.PersonID, Version: v + 1}, nil
}

// storedProfile is every profile the fake store holds before an edit.
var storedProfile = bridge.Person{GivenName: "Stina", FamilyName: "Stored", Title: "Kept", Phone: "+46 8 1", CountryCode: "SE",
	MunicipalityID: "SE-0180", Languages: []string{"sv"}}

// patchOf is the patch that sets every field of in.
func patchOf(in bridge.ProfileInput) bridge.ProfilePatch {
	return bridge.ProfilePatch{GivenName: &in.GivenName, FamilyName: &in.FamilyName, Title: &in.Title, Bio: &in.Bio, Phone: &in.Phone,
		Languages: &in.Languages, CountryCode: &in.CountryCode, MunicipalityID: &in.MunicipalityID,
		OpenToIntroductions: &in.OpenToIntroductions, IntroductionsPerQuarter: &in.IntroductionsPerQuarter, Language: &in.Language}
}

func (s *profileStore) SetAffiliations(_ context.Context, reader bridge.Principal, affs []bridge.Affiliation) (bridge.Person, error) {
	s.affs = affs
	return bridge.Person{ID: reader.PersonID, Affiliations: affs}, nil
}

func (s *profileStore) CreatePerson(_ context.Context, reader bridge.Principal, _ string, in bridge.ProfileInput, a bridge.AuditEntry) (bridge.Person, error) {
	s.profile, s.reader = &in, reader
	s.audits = append(s.audits, a)
	return bridge.Person{ID: reader.PersonID}, nil
}

func (s *profileStore) MergePeople(_ context.Context, reader bridge.Principal, _ string, a bridge.AuditEntry) (bridge.Person, error) {
	s.reader = reader
	s.audits = append(s.audits, a)
	return bridge.Person{ID: reader.PersonID}, nil
}

func (s *profileStore) SetThemes(_ context.Context, reader bridge.Principal, _ []bridge.ThemeLink) (bridge.Person, error) {
	return bridge.Person{ID: reader.PersonID}, nil
}

func (s *profileStore) SetVisibility(_ context.Context, reader bridge.Principal, v bridge.Visibility) (bridge.Person, error) {
	return bridge.Person{ID: reader.PersonID, Visibility: v}, nil
}

func (s *profileStore) CreateOrganisation(_ context.Context, _ bridge.Organisation, a bridge.AuditEntry) error {
	s.audits = append(s.audits, a)
	return nil
}

func (s *profileStore) UpdateOrganisation(_ context.Context, _ bridge.Organisation, _ int, a bridge.AuditEntry) error {
	s.audits = append(s.audits, a)
	return nil
}

func (s *profileStore) MergeOrganisations(_ context.Context, _, _ string, a bridge.AuditEntry) error {
	s.audits = append(s.audits, a)
	return nil
}

var (
	member      = bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleMember, PersonID: "p1", Account: &bridge.Account{Issuer: "i", Subject: "s"}}, RequestID: "req-1"}
	newcomer    = bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleMember, Account: &bridge.Account{Issuer: "i", Subject: "s2"}}, RequestID: "req-1"}
	secretariat = bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleSecretariat, PersonID: "sec", Account: &bridge.Account{Issuer: "i", Subject: "s3"}}, RequestID: "req-1"}
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
	if _, err := (Service{Store: st}).Update(ctx, member, patchOf(profileInput()), 1); err != nil {
		t.Fatal(err)
	}
	check("Update", st.profile)
	if st.reader != member.Principal {
		t.Errorf("Update answers with the profile as %+v reads it, want the member", st.reader)
	}
	st = &profileStore{}
	if _, err := (Service{Store: st}).UpdateFor(ctx, secretariat, "p1", patchOf(profileInput()), 1); err != nil {
		t.Fatal(err)
	}
	check("UpdateFor", st.profile)
	if want := (bridge.Principal{Role: secretariat.Role, PersonID: "p1", Account: secretariat.Account}); st.reader != want {
		t.Errorf("UpdateFor answers with the profile as %+v reads it, want %+v (the secretariat, of p1)", st.reader, want)
	}
	st = &profileStore{}
	created, err := (Secretariat{Store: st}).CreatePerson(ctx, secretariat, "a@example.org", profileInput())
	if err != nil {
		t.Fatal(err)
	}
	check("CreatePerson", st.profile)
	if st.reader.Role != secretariat.Role || st.reader.PersonID == "" || created.ID != st.reader.PersonID {
		t.Errorf("CreatePerson answers with %q as %+v reads it, want the new person as the secretariat", created.ID, st.reader)
	}
	st = &profileStore{}
	if _, err := (Secretariat{Store: st}).Merge(ctx, secretariat, "p1", "p2"); err != nil {
		t.Fatal(err)
	}
	if want := (bridge.Principal{Role: secretariat.Role, PersonID: "p1", Account: secretariat.Account}); st.reader != want {
		t.Errorf("Merge answers with the kept person as %+v reads them, want %+v", st.reader, want)
	}

	st = &profileStore{}
	bad := profileInput()
	bad.GivenName = "Anna" + rlo + "greB"
	if _, err := (Service{Store: st}).Create(ctx, newcomer, bad); bridge.InvalidField(err) != "input.givenName" || st.profile != nil {
		t.Errorf("RLO in a name: %v (stored: %v)", err, st.profile != nil)
	}
	bad = profileInput()
	bad.FamilyName = "\u200b\u200c\u200d\ufeff"
	if _, err := (Service{Store: st}).Update(ctx, member, patchOf(bad), 1); bridge.InvalidField(err) != "input.familyName" || st.profile != nil {
		t.Errorf("zero-width name: %v (stored: %v)", err, st.profile != nil)
	}
}

func TestAffiliationDates(t *testing.T) {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 5, 20, 10, 0, 0, 0, time.UTC) }
	st := &profileStore{}
	svc := Service{Store: st, Now: now}
	_, err := svc.SetAffiliations(ctx, member, []bridge.Affiliation{{OrganisationID: "o1", Role: " " + decomposed + " ", Since: "2021-08-01"}})
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
		_, err := svc.SetAffiliations(ctx, member, []bridge.Affiliation{{OrganisationID: "o1", Role: c.role, Since: c.since}})
		if bridge.InvalidField(err) != c.field || st.affs != nil {
			t.Errorf("since %q role %q: %v, want refused at %s", c.since, c.role, err, c.field)
		}
	}
}

var anonymous = bridge.Actor{Principal: bridge.Anonymous, RequestID: "req-1"}

// TestWhoMayChangeProfiles: each method of the three services with each kind of actor. A refused
// call reaches no store; an allowed secretariat edit hands the store its audit entry, with the
// actor and the request id from the Actor.
func TestWhoMayChangeProfiles(t *testing.T) {
	ctx := context.Background()
	org := bridge.Organisation{ID: "o1", Name: "Malmö stad", CountryCode: "SE", Kind: bridge.OrgMunicipality}
	calls := []struct {
		name   string
		action bridge.AuditAction // the audit action of an allowed call; "" when none is written
		call   func(*profileStore, bridge.Actor) error
	}{
		{"Create", "", func(st *profileStore, a bridge.Actor) error {
			_, err := Service{Store: st}.Create(ctx, a, profileInput())
			return err
		}},
		{"Update", bridge.AuditUpdateOwnProfile, func(st *profileStore, a bridge.Actor) error {
			_, err := Service{Store: st}.Update(ctx, a, patchOf(profileInput()), 1)
			return err
		}},
		{"SetThemes", "", func(st *profileStore, a bridge.Actor) error {
			_, err := Service{Store: st}.SetThemes(ctx, a, []bridge.ThemeLink{{ThemeID: "housing", Mode: bridge.ModeOffers}})
			return err
		}},
		{"SetVisibility", "", func(st *profileStore, a bridge.Actor) error {
			_, err := Service{Store: st}.SetVisibility(ctx, a, bridge.VisibilityMembers)
			return err
		}},
		{"UpdateFor", bridge.AuditUpdatePerson, func(st *profileStore, a bridge.Actor) error {
			_, err := Service{Store: st}.UpdateFor(ctx, a, "p9", patchOf(profileInput()), 1)
			return err
		}},
		{"CreatePerson", bridge.AuditCreatePerson, func(st *profileStore, a bridge.Actor) error {
			_, err := Secretariat{Store: st}.CreatePerson(ctx, a, "a@example.org", profileInput())
			return err
		}},
		{"MergePeople", bridge.AuditMergePeople, func(st *profileStore, a bridge.Actor) error {
			_, err := Secretariat{Store: st}.Merge(ctx, a, "p1", "p2")
			return err
		}},
		{"CreateOrganisation", bridge.AuditCreateOrganisation, func(st *profileStore, a bridge.Actor) error {
			_, err := Organisations{Store: st}.Create(ctx, a, org)
			return err
		}},
		{"UpdateOrganisation", bridge.AuditUpdateOrganisation, func(st *profileStore, a bridge.Actor) error {
			return Organisations{Store: st}.Update(ctx, a, org, 1)
		}},
		{"MergeOrganisations", bridge.AuditMergeOrganisations, func(st *profileStore, a bridge.Actor) error {
			return Organisations{Store: st}.Merge(ctx, a, "o1", "o2")
		}},
	}
	// want: the code each actor gets from each call ("" allowed).
	want := map[string]map[string]bridge.Code{
		"anonymous": {"Create": bridge.CodeUnauthenticated, "Update": bridge.CodeUnauthenticated, "SetThemes": bridge.CodeUnauthenticated,
			"SetVisibility": bridge.CodeUnauthenticated, "UpdateFor": bridge.CodeUnauthenticated, "CreatePerson": bridge.CodeUnauthenticated,
			"MergePeople": bridge.CodeUnauthenticated, "CreateOrganisation": bridge.CodeUnauthenticated, "UpdateOrganisation": bridge.CodeUnauthenticated,
			"MergeOrganisations": bridge.CodeUnauthenticated},
		"newcomer": {"Create": "", "Update": bridge.CodeNotFound, "SetThemes": bridge.CodeNotFound, "SetVisibility": bridge.CodeNotFound,
			"UpdateFor": bridge.CodeForbidden, "CreatePerson": bridge.CodeForbidden, "MergePeople": bridge.CodeForbidden,
			"CreateOrganisation": bridge.CodeForbidden, "UpdateOrganisation": bridge.CodeForbidden, "MergeOrganisations": bridge.CodeForbidden},
		"member": {"Create": bridge.CodeConflict, "Update": "", "SetThemes": "", "SetVisibility": "", "UpdateFor": bridge.CodeForbidden,
			"CreatePerson": bridge.CodeForbidden, "MergePeople": bridge.CodeForbidden, "CreateOrganisation": bridge.CodeForbidden,
			"UpdateOrganisation": bridge.CodeForbidden, "MergeOrganisations": bridge.CodeForbidden},
		"secretariat": {"Create": bridge.CodeConflict, "Update": "", "SetThemes": "", "SetVisibility": "", "UpdateFor": "",
			"CreatePerson": "", "MergePeople": "", "CreateOrganisation": "", "UpdateOrganisation": "", "MergeOrganisations": ""},
	}
	actors := map[string]bridge.Actor{"anonymous": anonymous, "newcomer": newcomer, "member": member, "secretariat": secretariat}
	for who, codes := range want {
		for _, c := range calls {
			t.Run(who+"/"+c.name, func(t *testing.T) {
				st := &profileStore{}
				err := c.call(st, actors[who])
				if got := bridge.ErrorCode(err); err != nil && got != codes[c.name] || err == nil && codes[c.name] != "" {
					t.Fatalf("got %v, want code %q", err, codes[c.name])
				}
				if err != nil {
					if st.profile != nil || len(st.audits) != 0 {
						t.Fatalf("a refused call reached the store")
					}
					return
				}
				if c.action == "" {
					return
				}
				a := actors[who]
				if len(st.audits) != 1 || st.audits[0].Action != c.action || st.audits[0].ActorRole != a.Role ||
					st.audits[0].ActorID != a.PersonID || st.audits[0].RequestID != "req-1" {
					t.Fatalf("audit entries %+v, want one %s by %s with the request id", st.audits, c.action, a.PersonID)
				}
			})
		}
	}
}

// TestUpdateAppliesThePatchToTheStoredProfile: an edit changes the fields given on the profile
// the store read (in its transaction), keeps the others, clears a field given as "", and a
// result that is not a valid profile is refused with its field before anything is stored.
func TestUpdateAppliesThePatchToTheStoredProfile(t *testing.T) {
	ctx := context.Background()
	st := &profileStore{}
	title, cleared := " Ny titel ", ""
	if _, err := (Service{Store: st}).Update(ctx, member, bridge.ProfilePatch{Title: &title, Phone: &cleared}, 4); err != nil {
		t.Fatal(err)
	}
	if got := st.profile; got == nil || got.Title != "Ny titel" || got.Phone != "" || got.GivenName != storedProfile.GivenName ||
		got.MunicipalityID != storedProfile.MunicipalityID || len(got.Languages) != 1 {
		t.Fatalf("stored %+v from the patch on %+v", got, storedProfile)
	}
	st = &profileStore{}
	blank := "\u200b"
	if _, err := (Service{Store: st}).UpdateFor(ctx, secretariat, "p1", bridge.ProfilePatch{FamilyName: &blank}, 4); bridge.InvalidField(err) != "input.familyName" ||
		st.profile != nil {
		t.Fatalf("a blank family name: %v (stored: %v)", err, st.profile != nil)
	}
}
