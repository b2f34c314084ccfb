package neo4jstore_test

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// TestCreateProfileChecksBeforeItWrites: creating a profile is one transaction: the checks, the
// write, and the profile read back as its person sees it (issue 15: no transaction of its own
// for the answer). Each refusal says why, with the field where there is one, and writes
// nothing: neither the person nor the account; the same account then creates its profile once,
// and a second account with the same e-mail may not take it.
func TestCreateProfileChecksBeforeItWrites(t *testing.T) {
	s := testneo4j.Prepared(t, nil)
	ctx := ctxT(t)
	email := "create-" + privLetters(t, 8) + "@profiles-test.example"
	acc := bridge.Account{Issuer: "https://issuer.profiles-test.example", Subject: "sub-" + privRandom(t, 6), Email: email, EmailVerified: true}
	family := "Createsson" + privLetters(t, 8)
	in := bridge.ProfileInput{GivenName: "Ny", FamilyName: family, CountryCode: "SE", MunicipalityID: "SE-1280", Languages: []string{"sv"}}
	stored := func() (people, accounts int) {
		rows := cypher(t, s, `
MATCH (p:Person {familyName: $family}) WITH count(p) AS people
OPTIONAL MATCH (a:Account {issuer: $issuer}) WHERE a.subject IN $subjects
RETURN people, count(a) AS accounts`, map[string]any{"family": family, "issuer": acc.Issuer, "subjects": []string{acc.Subject, acc.Subject + "-2"}})
		return int(rows[0]["people"].(int64)), int(rows[0]["accounts"].(int64))
	}
	refused := func(what string, a bridge.Account, in bridge.ProfileInput, code bridge.Code, field, message string) {
		t.Helper()
		_, err := s.CreateProfile(ctx, bridge.Principal{Role: bridge.RoleMember, Account: &a}, in, privUUID(t))
		var e *bridge.Error
		if !errors.As(err, &e) || e.Code != code || strings.Join(e.Field, ".") != field || !strings.Contains(e.Message, message) {
			t.Fatalf("%s: %v (%#v), want %s on %q saying %q", what, err, e, code, field, message)
		}
	}

	bad := in
	bad.MunicipalityID = "SE-9999"
	refused("an unknown municipality", acc, bad, bridge.CodeBadUserInput, "input.municipality", "unknown municipality")
	bad.MunicipalityID = "NO-0301"
	refused("a municipality in another country", acc, bad, bridge.CodeBadUserInput, "input.municipality", "not in SE")
	if people, accounts := stored(); people != 0 || accounts != 0 {
		t.Fatalf("refused creates wrote %d people and %d accounts", people, accounts)
	}

	id := privUUID(t)
	got, err := s.CreateProfile(ctx, bridge.Principal{Role: bridge.RoleMember, Account: &acc}, in, id)
	if err != nil || got.ID != id {
		t.Fatalf("create: %+v, %v", got, err)
	}
	// The answer is what the person reads of their own profile, e-mail and settings included.
	own, err := s.PeopleByIDs(ctx, bridge.Principal{Role: bridge.RoleMember, PersonID: id}, []string{id})
	if err != nil || !reflect.DeepEqual(got, own[id]) || got.Email != email || got.MunicipalityID != "SE-1280" || got.Version != 1 {
		t.Fatalf("create answered %+v; the person reads %+v", got, own[id])
	}
	if rows := cypher(t, s, `MATCH (a:Account {issuer: $issuer, subject: $subject})-[:SIGNS_IN_AS]->(p:Person)-[:LOCATED_IN]->(m)
RETURN p.id AS id, p.emailKey AS key, m.id AS municipality`, map[string]any{"issuer": acc.Issuer, "subject": acc.Subject}); len(rows) != 1 ||
		rows[0]["id"] != id || rows[0]["key"] != bridge.EmailKey(email) || rows[0]["municipality"] != "SE-1280" {
		t.Fatalf("the account signs in as %v", rows)
	}
	refused("the same account again", acc, in, bridge.CodeConflict, "", "already have a profile")
	second := acc
	second.Subject = acc.Subject + "-2"
	second.Email = strings.ToUpper(email)
	refused("another account with the e-mail of a confirmed profile", second, in, bridge.CodeConflict, "", "ask the secretariat")
	if people, accounts := stored(); people != 1 || accounts != 1 {
		t.Fatalf("after one create and two refusals: %d people and %d accounts, want 1 and 1", people, accounts)
	}
}

// TestUpdateProfileAnswersAsTheReaderSeesIt: a profile edit returns the profile, read in its
// transaction, exactly as PeopleByIDs returns it to the one who reads the answer (the person, or
// the secretariat editing on their behalf); an edit of a stale version changes nothing.
func TestUpdateProfileAnswersAsTheReaderSeesIt(t *testing.T) {
	s := testneo4j.Prepared(t, nil)
	ctx := ctxT(t)
	acc := bridge.Account{Issuer: "https://issuer.profiles-test.example", Subject: "sub-" + privRandom(t, 6),
		Email: "update-" + privLetters(t, 8) + "@profiles-test.example", EmailVerified: true}
	in := bridge.ProfileInput{GivenName: "Ändra", FamilyName: "Updatesson" + privLetters(t, 8), Phone: "+46 40 123 45",
		CountryCode: "SE", MunicipalityID: "SE-1280", Languages: []string{"sv"}}
	created, err := s.CreateProfile(ctx, bridge.Principal{Role: bridge.RoleMember, Account: &acc}, in, privUUID(t))
	if err != nil {
		t.Fatal(err)
	}
	id := created.ID
	for i, reader := range []bridge.Principal{{Role: bridge.RoleMember, PersonID: id, Account: &acc}, {Role: bridge.RoleSecretariat, PersonID: id}} {
		in.Title = "Samordnare " + strconv.Itoa(i)
		var current bridge.Person
		got, err := s.UpdateProfile(ctx, reader, func(c bridge.Person) (bridge.ProfileInput, error) {
			current = c
			return in, nil
		}, 1+i, nil)
		if err != nil {
			t.Fatalf("%s: %v", reader.Role, err)
		}
		read, err := s.PeopleByIDs(ctx, reader, []string{id})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, read[id]) || got.Title != in.Title || got.Version != 2+i || got.Phone != in.Phone {
			t.Fatalf("%s: the edit answered %+v; PeopleByIDs reads %+v", reader.Role, got, read[id])
		}
		if current.ID != id || current.Version != 1+i {
			t.Fatalf("%s: the change was given %+v, want the profile at version %d", reader.Role, current, 1+i)
		}
	}
	// A change that fails ends the edit with nothing written.
	if _, err := s.UpdateProfile(ctx, bridge.Principal{Role: bridge.RoleMember, PersonID: id}, func(bridge.Person) (bridge.ProfileInput, error) {
		return bridge.ProfileInput{}, bridge.InvalidInput([]string{"input", "familyName"}, "blank")
	}, 3, nil); bridge.InvalidField(err) != "input.familyName" {
		t.Fatalf("a failing change: %v", err)
	}
	in.Title = "Stale"
	if _, err := s.UpdateProfile(ctx, bridge.Principal{Role: bridge.RoleMember, PersonID: id}, replacedBy(in), 1, nil); bridge.ErrorCode(err) != bridge.CodeConflict {
		t.Fatalf("an edit of version 1 after two edits: %v, want CONFLICT", err)
	}
	if read, err := s.PeopleByIDs(ctx, bridge.Principal{Role: bridge.RoleMember, PersonID: id}, []string{id}); err != nil ||
		read[id].Title != "Samordnare 1" || read[id].Version != 3 {
		t.Fatalf("after a refused edit: %+v, %v", read[id], err)
	}
}

// replacedBy is the change of an edit that replaces every field with in's.
func replacedBy(in bridge.ProfileInput) func(bridge.Person) (bridge.ProfileInput, error) {
	return func(bridge.Person) (bridge.ProfileInput, error) { return in, nil }
}

// TestLinkWritesAnswerAsTheReaderSeesIt: setting one's themes, places of work and visibility
// each returns the profile read in the write's transaction, as PeopleByIDs returns it to the
// person; an unknown theme changes nothing.
func TestLinkWritesAnswerAsTheReaderSeesIt(t *testing.T) {
	s := testneo4j.Prepared(t, nil)
	ctx := ctxT(t)
	acc := bridge.Account{Issuer: "https://issuer.profiles-test.example", Subject: "sub-" + privRandom(t, 6),
		Email: "links-" + privLetters(t, 8) + "@profiles-test.example", EmailVerified: true}
	created, err := s.CreateProfile(ctx, bridge.Principal{Role: bridge.RoleMember, Account: &acc},
		bridge.ProfileInput{GivenName: "Länk", FamilyName: "Linksson" + privLetters(t, 8), CountryCode: "SE"}, privUUID(t))
	if err != nil {
		t.Fatal(err)
	}
	me := bridge.Principal{Role: bridge.RoleMember, PersonID: created.ID, Account: &acc}
	same := func(got bridge.Person, err error) bridge.Person { // the line of the call says which write
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		read, err := s.PeopleByIDs(ctx, me, []string{me.PersonID})
		if err != nil || !reflect.DeepEqual(got, read[me.PersonID]) {
			t.Fatalf("the write answered %+v; PeopleByIDs reads %+v (%v)", got, read[me.PersonID], err)
		}
		return got
	}
	themes := []bridge.ThemeLink{{ThemeID: "language-learning", Mode: bridge.ModeOffers}}
	if got := same(s.SetThemes(ctx, me, themes)); !reflect.DeepEqual(got.Themes, themes) {
		t.Fatalf("themes %+v, want %+v", got.Themes, themes)
	}
	orgs := seedOrganisations(t, s, 1)
	if got := same(s.SetAffiliations(ctx, me, []bridge.Affiliation{{OrganisationID: orgs[0], Role: "Samordnare"}})); len(got.Affiliations) != 1 ||
		got.Affiliations[0].OrganisationID != orgs[0] {
		t.Fatalf("affiliations %+v", got.Affiliations)
	}
	if got := same(s.SetVisibility(ctx, me, bridge.VisibilityMembers)); got.Visibility != bridge.VisibilityMembers || got.Version != 4 {
		t.Fatalf("visibility %s at version %d, want MEMBERS at 4", got.Visibility, got.Version)
	}
	if _, err := s.SetThemes(ctx, me, []bridge.ThemeLink{{ThemeID: "no-such-theme", Mode: bridge.ModeSeeks}}); bridge.ErrorCode(err) != bridge.CodeBadUserInput {
		t.Fatalf("an unknown theme: %v", err)
	}
	if read, err := s.PeopleByIDs(ctx, me, []string{me.PersonID}); err != nil || !reflect.DeepEqual(read[me.PersonID].Themes, themes) {
		t.Fatalf("after a refused change the themes are %+v (%v)", read[me.PersonID].Themes, err)
	}
}
