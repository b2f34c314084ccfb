package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
)

// hygieneCall sends an operation with variables, so that the test controls every code point.
func hygieneCall(a *api, who bridge.Principal, q string, vars map[string]any) (gqlResponse, string) {
	a.t.Helper()
	b, err := json.Marshal(map[string]any{"query": q, "variables": vars})
	if err != nil {
		a.t.Fatal(err)
	}
	_, resp, raw := a.postAs(who, string(b))
	return resp, raw
}

// refusedAt fails unless the response is one BAD_USER_INPUT naming field in extensions.field.
func refusedAt(t *testing.T, what string, resp gqlResponse, raw string, field ...string) {
	t.Helper()
	if len(resp.Errors) != 1 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("%s: want BAD_USER_INPUT, got %s", what, raw)
		return
	}
	got, _ := json.Marshal(resp.Errors[0].Extensions["field"])
	if want, _ := json.Marshal(field); string(got) != string(want) {
		t.Errorf("%s: extensions.field = %s, want %s (%s)", what, got, want, raw)
	}
}

const mCreateMyProfile = `mutation($in: MyProfileInput!) { createMyProfile(input: $in) { id givenName familyName name title bio phone } }`

func hygieneProfile(given, family string) map[string]any {
	return map[string]any{"givenName": given, "familyName": family, "title": "Coordinator", "bio": "Line one.\nLine two.",
		"phone": "+46 40 123 45", "country": "SE", "languages": []string{"sv"}}
}

// TestInputHygieneAPI: names with a direction override or with nothing but zero-width characters
// are refused with BAD_USER_INPUT and the field; a decomposed name is stored and read back in NFC;
// a free-text phone, a since of 9999-12-31 and consent to an old privacy notice are refused.
func TestInputHygieneAPI(t *testing.T) {
	privacyFixture(t)
	a := newTestAPI(t, envProduction, nil)

	resp, raw := hygieneCall(a, newAccount(), mCreateMyProfile, map[string]any{"in": hygieneProfile("Anna\u202Egreb", "Berg")})
	refusedAt(t, "given name with U+202E", resp, raw, "input", "givenName")
	resp, raw = hygieneCall(a, newAccount(), mCreateMyProfile, map[string]any{"in": hygieneProfile("Anna", "\u200B\u200C\u200D\uFEFF\u2060")})
	refusedAt(t, "zero-width family name", resp, raw, "input", "familyName")
	resp, raw = hygieneCall(a, newAccount(), mCreateMyProfile, map[string]any{"in": hygieneProfile("An\x00na", "Berg")})
	refusedAt(t, "given name with NUL", resp, raw, "input", "givenName")
	resp, raw = hygieneCall(a, newAccount(), mCreateMyProfile, map[string]any{"in": hygieneProfile("\x1b[31mAnna", "Berg")})
	refusedAt(t, "given name with an ANSI escape", resp, raw, "input", "givenName")
	in := hygieneProfile("Anna", "Berg")
	in["title"] = "Coordinator\nAdministrator"
	resp, raw = hygieneCall(a, newAccount(), mCreateMyProfile, map[string]any{"in": in})
	refusedAt(t, "title with a newline", resp, raw, "input", "title")
	in = hygieneProfile("Anna", "Berg")
	in["phone"] = "ring me after lunch"
	resp, raw = hygieneCall(a, newAccount(), mCreateMyProfile, map[string]any{"in": in})
	refusedAt(t, "free-text phone", resp, raw, "input", "phone")

	// Decomposed (NFD) input is stored and answered in NFC, trimmed.
	who := newAccount()
	in = hygieneProfile(" Ma\u0308rta\u200B ", "Sjo\u0308stro\u0308m")
	in["title"], in["bio"] = "Integration coordinator, Malmo\u0308 ", "\r\nLine one.\r\nLine two.\r\n"
	resp, raw = hygieneCall(a, who, mCreateMyProfile, map[string]any{"in": in})
	var created struct{ ID, GivenName, FamilyName, Name, Title, Bio, Phone string }
	if err := json.Unmarshal(resp.Data["createMyProfile"], &created); err != nil || len(resp.Errors) > 0 {
		t.Fatalf("createMyProfile with a decomposed name: %s", raw)
	}
	if created.GivenName != "M\u00e4rta" || created.FamilyName != "Sj\u00f6str\u00f6m" || created.Name != "M\u00e4rta Sj\u00f6str\u00f6m" ||
		created.Title != "Integration coordinator, Malm\u00f6" || created.Bio != "Line one.\nLine two." {
		t.Errorf("answered %+q", created)
	}
	_, who.PersonID, _ = bridge.ParseGlobalID(nil, created.ID)
	stored := fx.StoredPerson(t, who.PersonID)
	if stored == nil || stored["givenName"] != "M\u00e4rta" || stored["familyName"] != "Sj\u00f6str\u00f6m" || stored["name"] != "M\u00e4rta Sj\u00f6str\u00f6m" {
		t.Errorf("stored %q %q %q, want the NFC form", stored["givenName"], stored["familyName"], stored["name"])
	}
	// updateMyProfile goes through the same rules.
	upd := `mutation($in: ProfileChangesInput!) { updateMyProfile(input: $in, expectedVersion: 1) { givenName } }`
	resp, raw = hygieneCall(a, who, upd, map[string]any{"in": hygieneProfile("\u2067M\u00e4rta\u2069", "Sj\u00f6str\u00f6m")})
	refusedAt(t, "update with an isolate", resp, raw, "input", "givenName")

	// Dates: since cannot be 9999-12-31 (nor any day in the future).
	org := gid("Organisation", fxOrg)
	resp, raw = hygieneCall(a, who, `mutation($s: Date) { setMyAffiliations(affiliations: [{organisation: "`+org+`", role: "Volunteer", since: $s}]) { id } }`,
		map[string]any{"s": "9999-12-31"})
	refusedAt(t, "affiliation since 9999-12-31", resp, raw, "affiliations", "0", "since")
	resp, raw = hygieneCall(a, who, `mutation($r: String) { setMyAffiliations(affiliations: [{organisation: "`+org+`", role: $r, since: "2021-08-01"}]) { affiliations { role } } }`,
		map[string]any{"r": " Volunta\u0308r "})
	if len(resp.Errors) > 0 || !strings.Contains(raw, "\"role\":\"Volunt\u00e4r\"") {
		t.Errorf("affiliation role in NFC: %s", raw)
	}
	resp, raw = hygieneCall(a, secretariat, `mutation { addGroupMember(group: "`+gid("ExpertGroup", "expert-group-labour-market")+`", person: "`+created.ID+`", role: MEMBER, since: "9999-12-31") { key } }`, nil)
	refusedAt(t, "group member since 9999-12-31", resp, raw, "since")

	// Consent is to the current privacy notice only.
	give := `mutation($v: String!) { giveConsent(input: {purpose: SUGGEST, policyVersion: $v}) { purpose active policyVersion } }`
	resp, raw = hygieneCall(a, who, give, map[string]any{"v": "1999-01"})
	refusedAt(t, "consent to policy 1999-01", resp, raw, "input", "policyVersion")
	if n := fx.ConsentCount(t, who.PersonID); n != 0 {
		t.Errorf("an old policy version was recorded: %d consents", n)
	}
	resp, raw = hygieneCall(a, who, give, map[string]any{"v": bridge.CurrentPolicyVersion})
	if len(resp.Errors) > 0 || !strings.Contains(raw, `"active":true,"policyVersion":"`+bridge.CurrentPolicyVersion+`"`) {
		t.Errorf("consent to the current policy: %s", raw)
	}
}
