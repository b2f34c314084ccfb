package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
)

// TestProfileLanguageRoundTripsAndIsHidden: the language Bridge writes to a person in is set at
// createMyProfile, changed alone by updateMyProfile, is English until chosen, is refused with
// its field path when it is not one of the six, and, like the e-mail address, only the person
// and the secretariat read it; the personal-data export carries it; the secretariat sets and
// changes it for others, audited.
func TestProfileLanguageRoundTripsAndIsHidden(t *testing.T) {
	privacyFixture(t)
	a := newTestAPI(t, envProduction, nil)

	// Not chosen: English, and nothing stored.
	plain, _ := createdProfile(t, a)
	if _, _, raw := a.queryAs(plain, `{ me { language } }`); !strings.Contains(raw, `"language":"en"`) {
		t.Fatalf("language of a profile created without one: %s", raw)
	}
	if got, ok := fx.StoredPerson(t, plain.PersonID)["language"]; ok {
		t.Fatalf("a profile created without a language stores %v", got)
	}

	who := newAccount()
	in := strings.Replace(profileInput, "introductionsPerQuarter: 2", `introductionsPerQuarter: 2, language: "sv"`, 1)
	_, resp, raw := a.queryAs(who, `mutation { createMyProfile(input: `+in+`) { id language version } }`)
	var created struct {
		ID, Language string
		Version      int
	}
	if err := json.Unmarshal(resp.Data["createMyProfile"], &created); err != nil || created.Language != "sv" {
		t.Fatalf("createMyProfile with language sv: %s", raw)
	}
	_, who.PersonID, _ = bridge.ParseGlobalID(nil, created.ID)
	if got := fx.StoredPerson(t, who.PersonID)["language"]; got != "sv" {
		t.Fatalf("stored language %v, want sv", got)
	}

	// The language alone changes; the rest stays.
	_, resp, raw = a.queryAs(who, `mutation { updateMyProfile(input: {language: "fi"}, expectedVersion: `+itoa(created.Version)+`) { language title languages version } }`)
	if len(resp.Errors) > 0 || string(resp.Data["updateMyProfile"]) != `{"language":"fi","title":"Integration coordinator","languages":["sv","en"],"version":2}` {
		t.Fatalf("updateMyProfile(language: fi): %s", raw)
	}
	// Another field alone leaves the language as it is, and so does null.
	_, resp, raw = a.queryAs(who, `mutation { updateMyProfile(input: {title: "Head of unit", language: null}, expectedVersion: 2) { language title } }`)
	if len(resp.Errors) > 0 || string(resp.Data["updateMyProfile"]) != `{"language":"fi","title":"Head of unit"}` {
		t.Fatalf("updateMyProfile(title) changed the language: %s", raw)
	}

	// Not one of the six: BAD_USER_INPUT at input.language, nothing changes.
	for _, bad := range []string{"de", "SV", "no", "sv-SE", ""} {
		_, resp, raw := a.queryAs(who, `mutation { updateMyProfile(input: {language: "`+bad+`"}, expectedVersion: 3) { language } }`)
		if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(raw, `"field":["input","language"]`) {
			t.Errorf("updateMyProfile(language: %q): %s", bad, raw)
		}
		bad := strings.Replace(profileInput, "introductionsPerQuarter: 2", `introductionsPerQuarter: 2, language: "`+bad+`"`, 1)
		_, resp, raw = a.queryAs(newAccount(), `mutation { createMyProfile(input: `+bad+`) { id } }`)
		if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(raw, `"field":["input","language"]`) {
			t.Errorf("createMyProfile(language: %q): %s", bad, raw)
		}
	}
	if got := fx.StoredPerson(t, who.PersonID)["language"]; got != "fi" {
		t.Fatalf("after refused changes the stored language is %v, want fi", got)
	}

	// Other members see the profile but not the language; the secretariat sees it.
	if _, resp, raw := a.queryAs(who, `mutation { setMyVisibility(visibility: MEMBERS) { visibility } }`); len(resp.Errors) > 0 {
		t.Fatal(raw)
	}
	other := bridge.Principal{Role: bridge.RoleMember, PersonID: fxMembersID}
	q := `{ person(id: "` + created.ID + `") { name language } }`
	if _, _, raw := a.queryAs(other, q); !strings.Contains(raw, "Profilsson") || !strings.Contains(raw, `"language":null`) {
		t.Fatalf("another member reads: %s", raw)
	}
	if _, _, raw := a.queryAs(bridge.Principal{}, `{ person(id: "`+created.ID+`") { language } }`); strings.Contains(raw, `"fi"`) {
		t.Fatalf("a visitor reads the language: %s", raw)
	}
	if _, _, raw := a.queryAs(secretariat, q); !strings.Contains(raw, `"language":"fi"`) {
		t.Fatalf("the secretariat reads: %s", raw)
	}
	// Someone they were introduced to sees their e-mail address (they share their contact
	// details), but not the language: it is a setting, not a contact detail.
	if _, code, raw := a.mutate(who, `mutation($v: String!) { giveConsent(input: {purpose: SHARE_CONTACT, policyVersion: $v}) { purpose } }`,
		map[string]any{"v": bridge.CurrentPolicyVersion}); code != "" {
		t.Fatalf("giveConsent(SHARE_CONTACT): %s", raw)
	}
	fx.Introduction(t, fx.IntroductionSpec{ID: "lang-" + uuid.NewString(), Status: "INTRODUCED", ThemeID: "workplace-language-learning",
		Requester: plain.PersonID, Recipients: []string{who.PersonID}})
	if _, _, raw := a.queryAs(plain, `{ person(id: "`+created.ID+`") { email language } }`); !strings.Contains(raw, who.Account.Email) ||
		!strings.Contains(raw, `"language":null`) {
		t.Fatalf("the other party of an introduction reads: %s", raw)
	}

	// The personal-data export holds it, as profile data.
	data, code, _ := a.mutate(who, `mutation { exportMyData { document } }`, nil)
	var exp struct {
		Document struct {
			Profile map[string]any `json:"profile"`
		} `json:"document"`
	}
	if code != "" || json.Unmarshal(data["exportMyData"], &exp) != nil || exp.Document.Profile["language"] != "fi" {
		t.Fatalf("export (%s): profile %v", code, exp.Document.Profile)
	}

	// The secretariat sets it when creating a person, with the same rule.
	email := "lang-" + uuid.NewString()[:8] + "@secretariat-test.example.org"
	in = strings.Replace(profileInput, "introductionsPerQuarter: 2", `introductionsPerQuarter: 2, language: "is"`, 1)
	_, resp, raw = a.queryAs(secretariat, `mutation { createPerson(email: "`+email+`", input: `+in+`) { id language version } }`)
	var made struct {
		ID, Language string
		Version      int
	}
	if err := json.Unmarshal(resp.Data["createPerson"], &made); err != nil || made.Language != "is" {
		t.Fatalf("createPerson(language: is): %s", raw)
	}
	// … and changes it on their behalf, audited with the field's name.
	_, resp, raw = a.queryAs(secretariat, `mutation { updatePerson(id: "`+made.ID+`", input: {language: "da"}, expectedVersion: `+itoa(made.Version)+`) { language } }`)
	if len(resp.Errors) > 0 || string(resp.Data["updatePerson"]) != `{"language":"da"}` {
		t.Fatalf("updatePerson(language: da): %s", raw)
	}
	_, madeKey, _ := bridge.ParseGlobalID(nil, made.ID)
	if ev := fx.AuditEvents(t, fx.AuditFilter{Actions: []string{"UPDATE_PERSON"}, TargetIDs: []string{madeKey}}); len(ev) != 1 || ev[0].Detail != "language" {
		t.Fatalf("audit of the secretariat's change: %+v, want one UPDATE_PERSON with detail language", ev)
	}
	in = strings.Replace(profileInput, "introductionsPerQuarter: 2", `introductionsPerQuarter: 2, language: "en-GB"`, 1)
	_, resp, raw = a.queryAs(secretariat, `mutation { createPerson(email: "x-`+email+`", input: `+in+`) { language } }`)
	if len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(raw, `"field":["input","language"]`) {
		t.Fatalf("createPerson(language: en-GB): %s", raw)
	}
}
