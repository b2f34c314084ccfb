package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// newAccount is a fresh signed-in member without a profile (unique subject and e-mail per call).
func newAccount() bridge.Principal {
	sub := uuid.NewString()
	return bridge.Principal{Role: bridge.RoleMember, Account: &bridge.Account{Issuer: "https://idp.test.example.org",
		Subject: sub, Email: "user-" + sub[:8] + "@profile-test.example.org", EmailVerified: true}}
}

var profileInput = `{givenName: "Test", familyName: "Profilsson", title: "Integration coordinator", country: "SE",
  municipality: "` + bridge.GlobalID("Municipality", "SE-1280") + `", languages: ["sv", "en"], openToIntroductions: true, introductionsPerQuarter: 2}`

func TestCreateMyProfileThenMe(t *testing.T) {
	a := newTestAPI(t, envProduction, nil)
	who := newAccount()
	_, resp, raw := a.queryAs(who, `mutation { createMyProfile(input: `+profileInput+`) { id name visibility confirmed email version municipality { name } } }`)
	var created struct {
		ID, Name, Visibility, Email string
		Confirmed                   bool
		Version                     int
		Municipality                struct{ Name string }
	}
	if err := json.Unmarshal(resp.Data["createMyProfile"], &created); err != nil || len(resp.Errors) > 0 {
		t.Fatalf("createMyProfile: %s", raw)
	}
	if created.Name != "Test Profilsson" || created.Visibility != "SECRETARIAT" || !created.Confirmed ||
		created.Email != who.Account.Email || created.Municipality.Name != "Malmö" || created.Version != 1 {
		t.Fatalf("created %+v", created)
	}
	_, key, _ := bridge.ParseGlobalID(nil, created.ID)
	who.PersonID = key
	// The new profile (visible to the secretariat only) in the response is the person's own: no
	// read audit about it.
	if got := readAuditOf(t, key); len(got) != 0 {
		t.Errorf("creating one's own profile wrote read audit events: %v", got)
	}
	// me answers as the person; a second createMyProfile is a CONFLICT.
	if _, _, raw := a.queryAs(who, `{ me { name } }`); !strings.Contains(raw, "Test Profilsson") {
		t.Fatalf("me: %s", raw)
	}
	if _, resp, raw := a.queryAs(who, `mutation { createMyProfile(input: `+profileInput+`) { id } }`); len(resp.Errors) == 0 ||
		resp.Errors[0].Extensions["code"] != "CONFLICT" {
		t.Fatalf("second createMyProfile: %s", raw)
	}
	// The new profile is hidden from other members until the person chooses otherwise.
	if _, _, raw := a.queryAs(member, `{ person(id: "`+created.ID+`") { name } }`); strings.Contains(raw, "Profilsson") {
		t.Fatalf("a new profile is visible to other members: %s", raw)
	}
	if _, resp, raw := a.queryAs(who, `mutation { setMyVisibility(visibility: MEMBERS) { visibility } }`); len(resp.Errors) > 0 {
		t.Fatal(raw)
	}
	if _, _, raw := a.queryAs(member, `{ person(id: "`+created.ID+`") { name email source introductionsPerQuarter } }`); !strings.Contains(raw, "Profilsson") ||
		strings.Contains(raw, who.Account.Email) || !strings.Contains(raw, `"source":null`) || !strings.Contains(raw, `"introductionsPerQuarter":null`) {
		t.Fatalf("after setMyVisibility(MEMBERS), another member reads: %s", raw)
	}
	if _, _, raw := a.queryAs(who, `{ me { source introductionsPerQuarter } }`); !strings.Contains(raw, `"source":"SELF"`) ||
		!strings.Contains(raw, `"introductionsPerQuarter":2`) {
		t.Fatalf("the person reads: %s", raw)
	}
}

// createdProfile signs up a new account with profileInput and returns it with the profile's version.
func createdProfile(t *testing.T, a *api) (bridge.Principal, int) {
	t.Helper()
	who := newAccount()
	_, resp, raw := a.queryAs(who, `mutation { createMyProfile(input: `+profileInput+`) { id version } }`)
	var created struct {
		ID      string
		Version int
	}
	if err := json.Unmarshal(resp.Data["createMyProfile"], &created); err != nil || created.ID == "" {
		t.Fatal(raw)
	}
	_, who.PersonID, _ = bridge.ParseGlobalID(nil, created.ID)
	return who, created.Version
}

func TestUpdateMyProfileDetectsConflictingEdits(t *testing.T) {
	a := newTestAPI(t, envProduction, nil)
	who, version := createdProfile(t, a)
	edit := func(title string, version int) (gqlResponse, string) {
		in := strings.Replace(profileInput, "Integration coordinator", title, 1)
		_, resp, raw := a.queryAs(who, `mutation { updateMyProfile(input: `+in+`, expectedVersion: `+itoa(version)+`) { title version } }`)
		return resp, raw
	}
	// Tab one saves; tab two, still on the old version, must not overwrite it silently.
	if resp, raw := edit("Tab one", version); len(resp.Errors) > 0 || !strings.Contains(raw, `"version":2`) {
		t.Fatalf("first edit: %s", raw)
	}
	resp, raw := edit("Tab two", version)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "CONFLICT" {
		t.Fatalf("stale edit: %s", raw)
	}
	if _, _, raw := a.queryAs(who, `{ me { title } }`); !strings.Contains(raw, "Tab one") {
		t.Fatalf("the stale edit changed the profile: %s", raw)
	}
	// Validation names the field; nothing changes.
	_, resp, raw = a.queryAs(who, `mutation { updateMyProfile(input: {givenName: "", familyName: "X", country: "SE"}, expectedVersion: 2) { title } }`)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(raw, `"field":["input","givenName"]`) {
		t.Fatalf("invalid edit: %s", raw)
	}
}

// TestUpdateMyProfileChangesOnlyTheFieldsGiven: a new title keeps languages, openness, the
// municipality and the rest; null clears an optional field; a new country clears the municipality.
func TestUpdateMyProfileChangesOnlyTheFieldsGiven(t *testing.T) {
	a := newTestAPI(t, envProduction, nil)
	who, version := createdProfile(t, a)
	const fields = `givenName familyName title bio languages openToIntroductions country { code } municipality { key } version`
	for k, c := range []struct{ in, want string }{
		{`{title: "Head of unit"}`, `{"givenName":"Test","familyName":"Profilsson","title":"Head of unit","bio":null,"languages":["sv","en"],` +
			`"openToIntroductions":true,"country":{"code":"SE"},"municipality":{"key":"SE-1280"},"version":2}`},
		{`{bio: "Runs a language café.", openToIntroductions: false}`, `{"givenName":"Test","familyName":"Profilsson","title":"Head of unit","bio":"Runs a language café.","languages":["sv","en"],` +
			`"openToIntroductions":false,"country":{"code":"SE"},"municipality":{"key":"SE-1280"},"version":3}`},
		{`{title: null, languages: ["fi"]}`, `{"givenName":"Test","familyName":"Profilsson","title":null,"bio":"Runs a language café.","languages":["fi"],` +
			`"openToIntroductions":false,"country":{"code":"SE"},"municipality":{"key":"SE-1280"},"version":4}`},
		{`{country: "FI"}`, `{"givenName":"Test","familyName":"Profilsson","title":null,"bio":"Runs a language café.","languages":["fi"],` +
			`"openToIntroductions":false,"country":{"code":"FI"},"municipality":null,"version":5}`},
	} {
		_, resp, raw := a.queryAs(who, `mutation { updateMyProfile(input: `+c.in+`, expectedVersion: `+itoa(version+k)+`) { `+fields+` } }`)
		if len(resp.Errors) > 0 || string(resp.Data["updateMyProfile"]) != c.want {
			t.Errorf("updateMyProfile(%s):\n got %s\nwant %s", c.in, raw, c.want)
		}
	}
	if n := fx.StoredPerson(t, who.PersonID)["introductionsPerQuarter"]; n != int64(2) {
		t.Errorf("introductionsPerQuarter after edits of other fields: %v, want 2", n)
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestSetMyThemes(t *testing.T) {
	a := newTestAPI(t, envProduction, nil)
	who := newAccount()
	_, resp, raw := a.queryAs(who, `mutation { createMyProfile(input: `+profileInput+`) { id } }`)
	var created struct{ ID string }
	if err := json.Unmarshal(resp.Data["createMyProfile"], &created); err != nil {
		t.Fatal(raw)
	}
	_, who.PersonID, _ = bridge.ParseGlobalID(nil, created.ID)
	theme := gid("Theme", "family-reunification")
	_, _, raw = a.queryAs(who, `mutation { setMyThemes(themes: [{theme: "`+theme+`", mode: SEEKS}]) { themes { mode theme { key } } } }`)
	if !strings.Contains(raw, `"mode":"SEEKS","theme":{"key":"family-reunification"}`) {
		t.Fatalf("setMyThemes: %s", raw)
	}
	for q, field := range map[string]string{
		`mutation { setMyThemes(themes: [{theme: "` + gid("Theme", "no-such-theme") + `", mode: SEEKS}]) { id } }`:                 `"themes"`,
		`mutation { setMyThemes(themes: [{theme: "` + theme + `", mode: SEEKS}, {theme: "` + theme + `", mode: OFFERS}]) { id } }`: `"themes","1","theme"`,
	} {
		if _, resp, raw := a.queryAs(who, q); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(raw, field) {
			t.Errorf("%s: %s", q, raw)
		}
	}
}

func TestMutationsPerRole(t *testing.T) {
	a := newTestAPI(t, envProduction, nil)
	// Anonymous: UNAUTHENTICATED for every mutation; a signed-in member without a profile may
	// create one but not edit one.
	for _, q := range []string{
		`mutation { createMyProfile(input: ` + profileInput + `) { id } }`,
		`mutation { setMyVisibility(visibility: PUBLIC) { id } }`,
		`mutation { setMyThemes(themes: []) { id } }`,
		`mutation { updateMyProfile(input: ` + profileInput + `, expectedVersion: 1) { id } }`,
	} {
		if _, resp, raw := a.query(q); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "UNAUTHENTICATED" {
			t.Errorf("anonymous %s: %s", q, raw)
		}
		if _, resp, raw := a.queryAs(newAccount(), q); strings.HasPrefix(q, "mutation { set") &&
			(len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "NOT_FOUND") {
			t.Errorf("member without profile %s: %s", q, raw)
		}
	}
}

// TestClaimImportedProfile: the first sign-in with the verified e-mail of an imported,
// unconfirmed profile claims it (and confirms it) instead of creating a second person.
func TestClaimImportedProfile(t *testing.T) {
	store := testneo4j.Prepared(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	id := uuid.NewString()
	email := "claim-" + id[:8] + "@profile-test.example.org"
	if _, err := store.UpsertPeople(ctx, []bridge.Person{{ID: id, GivenName: "Imported", FamilyName: "Person", Email: email,
		CountryCode: "SE", Visibility: bridge.VisibilitySecretariat, Source: bridge.SourceImport, Confirmed: false}}); err != nil {
		t.Fatal(err)
	}
	a := newTestAPI(t, envProduction, nil)
	unverified := newAccount()
	unverified.Account.Email, unverified.Account.EmailVerified = strings.ToUpper(email), false
	if _, resp, raw := a.queryAs(unverified, `mutation { createMyProfile(input: `+profileInput+`) { id } }`); len(resp.Errors) == 0 ||
		resp.Errors[0].Extensions["code"] != "CONFLICT" {
		t.Fatalf("an unverified e-mail claimed the profile: %s", raw)
	}
	who := newAccount()
	who.Account.Email = strings.ToUpper(email) // e-mails compare case-insensitively
	_, resp, raw := a.queryAs(who, `mutation { createMyProfile(input: `+profileInput+`) { id confirmed name } }`)
	if len(resp.Errors) > 0 || !strings.Contains(raw, gid("Person", id)) || !strings.Contains(raw, `"confirmed":true`) {
		t.Fatalf("claim: %s", raw)
	}
	who.PersonID = id
	if _, _, raw := a.queryAs(who, `{ me { source } }`); !strings.Contains(raw, `"source":"IMPORT"`) {
		t.Fatalf("the claimed profile does not say it was imported: %s", raw)
	}
}

func TestSecretariatEditsOnBehalfWithAudit(t *testing.T) {
	privacyFixture(t)
	a := newTestAPI(t, envProduction, nil)
	store := testneo4j.Open(t, testneo4j.Config(t), nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	version, err := store.ProfileVersion(ctx, fxPublicID)
	if err != nil {
		t.Fatal(err)
	}
	in := strings.Replace(profileInput, `familyName: "Profilsson"`, `familyName: "Testsson"`, 1)
	in = strings.Replace(in, `givenName: "Test"`, `givenName: "Publika"`, 1)
	in = strings.Replace(in, "Integration coordinator", "Edited by the secretariat", 1)
	q := `mutation { updatePerson(id: "` + gid("Person", fxPublicID) + `", input: ` + in + `, expectedVersion: ` + itoa(version) + `) { title } }`
	// A member may not edit someone else's profile: FORBIDDEN, and nothing changes.
	other := bridge.Principal{Role: bridge.RoleMember, PersonID: fxMembersID}
	if _, resp, raw := a.queryAs(other, q); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("member editing someone else: %s", raw)
	}
	if v, _ := store.ProfileVersion(ctx, fxPublicID); v != version {
		t.Fatalf("a refused edit changed the version %d → %d", version, v)
	}
	before, err := store.AuditEvents(ctx, fxPublicID)
	if err != nil {
		t.Fatal(err)
	}
	if _, resp, raw := a.queryAs(secretariat, q); len(resp.Errors) > 0 || !strings.Contains(raw, "Edited by the secretariat") {
		t.Fatalf("secretariat edit: %s", raw)
	}
	after, err := store.AuditEvents(ctx, fxPublicID)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before)+1 || after[0].Action != "UPDATE_PERSON" || after[0].ActorRole != bridge.RoleSecretariat {
		t.Fatalf("audit before %d, after %+v", len(before), after)
	}
}

func TestSecretariatManagesPeopleAndGroups(t *testing.T) {
	privacyFixture(t)
	a := newTestAPI(t, envProduction, nil)
	store := testneo4j.Open(t, testneo4j.Config(t), nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	email := "created-" + uuid.NewString()[:8] + "@secretariat-test.example.org"
	create := `mutation { createPerson(email: "` + email + `", input: ` + profileInput + `) { id confirmed visibility email } }`
	// Members may not; the secretariat may, once per e-mail.
	if _, resp, raw := a.queryAs(bridge.Principal{Role: bridge.RoleMember, PersonID: fxMembersID}, create); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("member createPerson: %s", raw)
	}
	_, resp, raw := a.queryAs(secretariat, create)
	var created struct {
		ID, Visibility, Email string
		Confirmed             bool
	}
	if err := json.Unmarshal(resp.Data["createPerson"], &created); err != nil || created.Confirmed || created.Visibility != "SECRETARIAT" || created.Email != email {
		t.Fatalf("createPerson: %s", raw)
	}
	if _, resp, raw := a.queryAs(secretariat, create); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "CONFLICT" {
		t.Fatalf("duplicate createPerson: %s", raw)
	}
	_, createdKey, _ := bridge.ParseGlobalID(nil, created.ID)

	// Add to a group, then remove; each audited.
	group := gid("ExpertGroup", "expert-group-labour-market")
	add := `mutation { addGroupMember(group: "` + group + `", person: "` + created.ID + `", role: CHAIR, since: "2025-01-01") { key } }`
	if _, resp, raw := a.queryAs(secretariat, add); len(resp.Errors) > 0 {
		t.Fatalf("addGroupMember: %s", raw)
	}
	if _, _, raw := a.queryAs(secretariat, `{ person(id: "`+created.ID+`") { memberships { role group { key } } } }`); !strings.Contains(raw, `"role":"CHAIR","group":{"key":"expert-group-labour-market"}`) {
		t.Fatalf("membership not added: %s", raw)
	}
	if _, resp, raw := a.queryAs(secretariat, `mutation { addGroupMember(group: "`+group+`", person: "`+created.ID+`", role: CHAIR, since: "last year") { key } }`); len(resp.Errors) == 0 || !strings.Contains(raw, `"field":["since"]`) {
		t.Fatalf("bad since: %s", raw)
	}
	if _, resp, raw := a.queryAs(secretariat, `mutation { removeGroupMember(group: "`+group+`", person: "`+created.ID+`") { key } }`); len(resp.Errors) > 0 {
		t.Fatalf("removeGroupMember: %s", raw)
	}
	// Merge the created duplicate into Public: Public keeps its name, the duplicate is gone.
	_, resp, raw = a.queryAs(secretariat, `mutation { mergePeople(keep: "`+gid("Person", fxPublicID)+`", remove: "`+created.ID+`") { name } }`)
	if len(resp.Errors) > 0 || !strings.Contains(raw, "Publika Testsson") {
		t.Fatalf("mergePeople: %s", raw)
	}
	if _, _, raw := a.queryAs(secretariat, `{ person(id: "`+created.ID+`") { id } }`); !strings.Contains(raw, `"person":null`) {
		t.Fatalf("the merged duplicate still exists: %s", raw)
	}
	events, err := store.AuditEvents(ctx, createdKey)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events {
		actions = append(actions, string(e.Action))
		if e.ActorRole != bridge.RoleSecretariat {
			t.Errorf("audit %+v", e)
		}
	}
	for _, want := range []string{"CREATE_PERSON", "ADD_GROUP_MEMBER", "REMOVE_GROUP_MEMBER", "MERGE_PEOPLE"} {
		if !strings.Contains(strings.Join(actions, ","), want) {
			t.Errorf("no %s audit event among %v", want, actions)
		}
	}
}

func TestSecretariatManagesOrganisations(t *testing.T) {
	privacyFixture(t)
	a := newTestAPI(t, envProduction, nil)
	store := testneo4j.Open(t, testneo4j.Config(t), nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	key := "test-org-" + uuid.NewString()[:8]
	in := `{key: "` + key + `", name: "Test Welcome Centre", kind: CIVIL_SOCIETY, country: "SE",
	  municipality: "` + gid("Municipality", "SE-1280") + `", parent: "` + gid("Organisation", fxOrg) + `", website: "https://welcome.example.org"}`
	create := `mutation { createOrganisation(input: ` + in + `) { id key name municipality { name } parent { key } } }`
	if _, resp, raw := a.queryAs(member, create); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "UNAUTHENTICATED" && resp.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("member createOrganisation: %s", raw)
	}
	_, resp, raw := a.queryAs(secretariat, create)
	if len(resp.Errors) > 0 || !strings.Contains(raw, `"municipality":{"name":"Malmö"}`) || !strings.Contains(raw, `"parent":{"key":"`+fxOrg+`"}`) {
		t.Fatalf("createOrganisation: %s", raw)
	}
	if _, resp, raw := a.queryAs(secretariat, create); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "CONFLICT" {
		t.Fatalf("duplicate key: %s", raw)
	}
	for bad, field := range map[string]string{
		strings.Replace(in, "https://welcome.example.org", "http://welcome.example.org", 1):    `"website"`,
		strings.Replace(in, gid("Municipality", "SE-1280"), gid("Municipality", "NO-0301"), 1): `"municipality"`,
		strings.Replace(in, `name: "Test Welcome Centre"`, `name: ""`, 1):                      `"name"`,
	} {
		q := `mutation { updateOrganisation(id: "` + gid("Organisation", key) + `", input: ` + bad + `, expectedVersion: 1) { id } }`
		if _, resp, raw := a.queryAs(secretariat, q); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(raw, field) {
			t.Errorf("%s: %s", field, raw)
		}
	}
	// Two editors on version 1: the first wins, the second gets CONFLICT.
	update := func(name string) (gqlResponse, string) {
		_, resp, raw := a.queryAs(secretariat, `mutation { updateOrganisation(id: "`+gid("Organisation", key)+`", input: `+
			strings.Replace(in, "Test Welcome Centre", name, 1)+`, expectedVersion: 1) { name version } }`)
		return resp, raw
	}
	if resp, raw := update("Renamed once"); len(resp.Errors) > 0 || !strings.Contains(raw, `"version":2`) {
		t.Fatalf("first update: %s", raw)
	}
	if resp, raw := update("Renamed twice"); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "CONFLICT" {
		t.Fatalf("stale update: %s", raw)
	}
	// Public works at fxOrg; merging fxOrg's duplicate into the new one moves nobody we did not
	// create, so merge the new one into fxOrg instead and check the audit.
	_, resp, raw = a.queryAs(secretariat, `mutation { mergeOrganisations(keep: "`+gid("Organisation", fxOrg)+`", remove: "`+gid("Organisation", key)+`") { key } }`)
	if len(resp.Errors) > 0 {
		t.Fatalf("mergeOrganisations: %s", raw)
	}
	if _, _, raw := a.query(`{ organisation(id: "` + gid("Organisation", key) + `") { key } }`); !strings.Contains(raw, `"organisation":null`) {
		t.Fatalf("merged organisation still there: %s", raw)
	}
	events, err := store.AuditEvents(ctx, key)
	if err != nil || len(events) < 2 {
		t.Fatalf("audit of %s: %+v %v", key, events, err)
	}
}

func TestSecretariatManagesThemesGroupsEventsAndPractices(t *testing.T) {
	a := newTestAPI(t, envProduction, nil)
	labels := `[{lang: "en", text: "Test theme"}, {lang: "sv", text: "Testtema"}, {lang: "nb", text: "Testtema"},
	  {lang: "da", text: "Testtema"}, {lang: "fi", text: "Testiteema"}, {lang: "is", text: "Prófunarþema"}]`
	theme := `mutation { saveTheme(input: {key: "test-saved-theme", labels: ` + labels + `,
	  descriptions: [{lang: "en", text: "A theme made by a test."}], broader: ["` + gid("Theme", "health") + `"]}) { key label(lang: "is") broader { key } } }`
	if _, resp, raw := a.queryAs(member, theme); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "FORBIDDEN" {
		t.Fatalf("member saveTheme: %s", raw)
	}
	if _, resp, raw := a.queryAs(secretariat, theme); len(resp.Errors) > 0 || !strings.Contains(raw, `"label":"Prófunarþema","broader":[{"key":"health"}]`) {
		t.Fatalf("saveTheme: %s", raw)
	}
	// health under the new theme would be a cycle; a missing Icelandic label names the field.
	cycle := `mutation { saveTheme(input: {key: "health", labels: ` + labels + `, descriptions: [{lang: "en", text: "x"}],
	  broader: ["` + gid("Theme", "test-saved-theme") + `"]}) { key } }`
	if _, resp, raw := a.queryAs(secretariat, cycle); len(resp.Errors) == 0 || !strings.Contains(raw, `"field":["input","broader"]`) {
		t.Fatalf("cycle: %s", raw)
	}
	noIS := strings.Replace(theme, `{lang: "is", text: "Prófunarþema"}`, ``, 1)
	if _, resp, raw := a.queryAs(secretariat, noIS); len(resp.Errors) == 0 || !strings.Contains(raw, `"field":["input","labels","is"]`) {
		t.Fatalf("missing label: %s", raw)
	}
	for name, q := range map[string]string{
		"group":    `mutation { saveExpertGroup(input: {key: "test-saved-group", name: "Test network", kind: NETWORK, themes: ["` + gid("Theme", "test-saved-theme") + `"]}) { key themes { key } } }`,
		"event":    `mutation { saveEvent(input: {key: "test-saved-event", name: "Test seminar", startDate: "2026-03-02", endDate: "2026-03-03", city: "Tromsø", country: "NO"}) { key startDate } }`,
		"practice": `mutation { savePractice(input: {key: "test-saved-practice", title: "Test handbook", kind: PUBLICATION, year: 2025, url: "https://handbook.example.org", countries: ["IS"]}) { key countries { code } } }`,
	} {
		if _, resp, raw := a.queryAs(secretariat, q); len(resp.Errors) > 0 || !strings.Contains(raw, `"key":"test-saved-`) {
			t.Errorf("%s: %s", name, raw)
		}
	}
	if _, resp, raw := a.queryAs(secretariat, `mutation { saveEvent(input: {key: "test-bad-event", name: "Backwards", startDate: "2026-03-03", endDate: "2026-03-02"}) { key } }`); len(resp.Errors) == 0 || !strings.Contains(raw, `"field":["input","endDate"]`) {
		t.Errorf("event ending before it starts: %s", raw)
	}
	if _, _, raw := a.query(`{ expertGroups { key } events { key } practices { key } }`); !strings.Contains(raw, "test-saved-group") ||
		!strings.Contains(raw, "test-saved-event") || !strings.Contains(raw, "test-saved-practice") {
		t.Errorf("saved items not listed: %s", raw)
	}
}

func TestSetMyAffiliations(t *testing.T) {
	privacyFixture(t)
	a := newTestAPI(t, envProduction, nil)
	who := newAccount()
	_, resp, raw := a.queryAs(who, `mutation { createMyProfile(input: `+profileInput+`) { id } }`)
	var created struct{ ID string }
	if err := json.Unmarshal(resp.Data["createMyProfile"], &created); err != nil {
		t.Fatal(raw)
	}
	_, who.PersonID, _ = bridge.ParseGlobalID(nil, created.ID)
	org := gid("Organisation", fxOrg)
	_, _, raw = a.queryAs(who, `mutation { setMyAffiliations(affiliations: [{organisation: "`+org+`", role: "Volunteer", since: "2023-09-01"}]) { affiliations { role since organisation { key } } } }`)
	if !strings.Contains(raw, `{"role":"Volunteer","since":"2023-09-01","organisation":{"key":"`+fxOrg+`"}}`) {
		t.Fatalf("setMyAffiliations: %s", raw)
	}
	for q, field := range map[string]string{
		`mutation { setMyAffiliations(affiliations: [{organisation: "` + gid("Organisation", "no-such-org") + `"}]) { id } }`: `"affiliations"`,
		`mutation { setMyAffiliations(affiliations: [{organisation: "` + org + `", since: "soon"}]) { id } }`:                 `"since"`,
		`mutation { setMyAffiliations(affiliations: [{organisation: "` + org + `"}, {organisation: "` + org + `"}]) { id } }`: `"organisation"`,
	} {
		if _, resp, raw := a.queryAs(who, q); len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(raw, field) {
			t.Errorf("%s: %s", q, raw)
		}
	}
	if _, _, raw := a.queryAs(who, `{ me { affiliations { role } } }`); !strings.Contains(raw, "Volunteer") {
		t.Errorf("a refused change altered the affiliations: %s", raw)
	}
}

// TestReferenceDataFromMemory: with BRIDGE_REFERENCE_TTL set (as `bridge serve` has it), the
// countries and the theme vocabulary cost no round trip after the first read, and a theme the
// secretariat saves is seen by the next request on this instance, not after the TTL.
func TestReferenceDataFromMemory(t *testing.T) {
	cfg := testConfig(envProduction)
	cfg.ReferenceTTL = time.Hour
	a := newTestAPIWith(t, cfg, nil)
	read := `{ countries { code name } themes { key label(lang: "sv") broader { key } } }`
	if _, resp, raw := a.query(read); len(resp.Errors) > 0 || !strings.Contains(raw, `"code":"AX"`) {
		t.Fatalf("first read: %s", raw)
	}
	before := a.roundTrips()
	if _, resp, raw := a.query(read); len(resp.Errors) > 0 || !strings.Contains(raw, `"code":"AX"`) {
		t.Fatalf("second read: %s", raw)
	}
	if got := a.roundTrips() - before; got != 0 {
		t.Fatalf("the second read of countries and themes cost %v round trips, want 0", got)
	}
	key := "test-cached-theme"
	save := func(sv string) {
		t.Helper()
		labels := `[{lang: "en", text: "Cached theme"}, {lang: "sv", text: "` + sv + `"}, {lang: "nb", text: "Tema"},
		  {lang: "da", text: "Tema"}, {lang: "fi", text: "Teema"}, {lang: "is", text: "Þema"}]`
		if _, resp, raw := a.queryAs(secretariat, `mutation { saveTheme(input: {key: "`+key+`", labels: `+labels+`,
		  descriptions: [{lang: "en", text: "A theme made by a test."}]}) { key } }`); len(resp.Errors) > 0 {
			t.Fatalf("saveTheme: %s", raw)
		}
	}
	save("Cachat tema")
	if _, _, raw := a.query(read); !strings.Contains(raw, `"key":"`+key+`","label":"Cachat tema"`) {
		t.Fatalf("the new theme is not seen at once: %.400s", raw)
	}
	save("Ändrat tema")
	if _, _, raw := a.query(read); !strings.Contains(raw, `"label":"Ändrat tema"`) {
		t.Fatal("the changed label is not seen at once")
	}
}
