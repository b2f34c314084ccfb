package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/app"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/browsertest"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/introductions"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/testoidc"
)

// TestFindPeersAndAskForAnIntroductionInTheBrowser is journeys 4 and 6 in a real browser: the
// Dex demo member (Stockholm, seeks family reunification) opens /peers, is sent to Dex's login
// page, signs in with the keyboard, comes back to /peers with the reasons in words, opens a
// suggested person, asks for an introduction with the keyboard, and sees the request on
// /introductions. In English the secretariat then proposes it (the workflow's triage), the
// expert accepts in a second browser context with a note, and both see the other's contact
// details. A POST without the CSRF token is refused. Every page is scanned with axe and
// photographed in English and Swedish.
func TestFindPeersAndAskForAnIntroductionInTheBrowser(t *testing.T) {
	oidc := testoidc.Env(t)
	store := seedSite(t)
	ids := dexProfiles(t, store, oidc.Issuer)
	cfg := introConfig()
	srv := signedInSite(t, cfg, store)

	b := browsertest.Start(t)
	// English: the member asks for the expert; Swedish: for the members-only person of the page tests.
	targets := map[string]struct{ id, name string }{
		"en": {ids["group-member"], "Elsa Expertsson"},
		"sv": {gid("Person", fxMembers), "Medlemmi Jäsenen"},
	}
	for _, lang := range []string{"en", "sv"} {
		t.Run(lang, func(t *testing.T) {
			target := targets[lang]
			member := b.NewUser(lang)
			member.Navigate(srv.URL + "/peers")
			dexSignIn(t, member, "member")
			if loc := member.Location(); !strings.HasSuffix(loc, "/peers") {
				t.Fatalf("after signing in the member is at %s, not back on /peers", loc)
			}
			peers := member.Text("#peers-list")
			if !strings.Contains(peers, target.name) || !strings.Contains(peers, map[string]string{"en": "Why you match", "sv": "Därför passar ni"}[lang]) {
				t.Fatalf("/peers lacks %s or the reasons: %.600s", target.name, peers)
			}
			member.Screenshot("peers")
			member.CheckAccessibility()

			member.ClickAndWait(`#peers-list a[href="/people/` + target.id + `"]`)
			if !strings.Contains(member.Text("h1"), target.name) {
				t.Fatalf("the person page is not %s's", target.name)
			}
			member.Screenshot("person")
			member.CheckAccessibility()

			// Keyboard: the theme chosen with the arrow key, Tab to the message, typed, Tab to send, Enter.
			browsertest.Eval[bool](member, `(document.getElementById("ask-theme").focus(), true)`)
			member.Press(browsertest.ArrowDown)
			member.Press(browsertest.Tab)
			if f := member.Focused(); !strings.HasPrefix(f, "textarea") {
				t.Fatalf("Tab from the theme leads to %q, not the message", f)
			}
			member.Type(map[string]string{"en": "We both work on family reunification. Could we talk about how you organise it?",
				"sv": "Vi arbetar båda med familjeåterförening. Kan vi prata om hur ni organiserar det?"}[lang])
			member.Press(browsertest.Tab)
			if f := member.Focused(); !strings.HasPrefix(f, "button") {
				t.Fatalf("Tab from the message leads to %q, not the send button", f)
			}
			if status := member.PressAndWait(browsertest.Enter); status != http.StatusOK || !strings.HasSuffix(member.Location(), "/introductions") {
				t.Fatalf("after asking: HTTP %d at %s", status, member.Location())
			}
			mine := member.Text("#mine")
			if !strings.Contains(mine, target.name) || !strings.Contains(mine, map[string]string{"en": "the secretariat is looking at it",
				"sv": "sekretariatet tittar på den"}[lang]) {
				t.Fatalf("/introductions does not show the request: %.600s", mine)
			}
			member.Screenshot("introductions")
			member.CheckAccessibility()

			// The session's CSRF token guards every form: the same POST without it is refused.
			status := browsertest.Eval[int](member, `(() => { const x = new XMLHttpRequest();
				x.open("POST", "/introductions", false);
				x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
				x.send("to=`+url.QueryEscape(target.id)+`&theme=x&message=hello&clientRequestId=csrf-test");
				return x.status })()`)
			if status != http.StatusForbidden {
				t.Errorf("a POST without the CSRF token answers %d", status)
			}
			if lang != "en" {
				// In Swedish the member changes their mind: the withdraw link, the confirmation
				// page (keyboard: a note, Tab to the button, Enter), and the request is withdrawn.
				member.ClickAndWait(`#mine a[id^="withdraw-"]`)
				if got := member.Text("h1"); got != "Dra tillbaka din förfrågan?" {
					t.Fatalf("the withdraw link leads to %q", got)
				}
				member.Screenshot("introductions-withdraw")
				member.CheckAccessibility()
				browsertest.Eval[bool](member, `(document.getElementById("withdraw-note").focus(), true)`)
				member.Type("Jag hittade någon närmare.")
				member.Press(browsertest.Tab)
				if f := member.Focused(); !strings.Contains(f, "Ja, dra tillbaka förfrågan") {
					t.Fatalf("Tab from the note leads to %q, not the confirmation", f)
				}
				if status := member.PressAndWait(browsertest.Enter); status != http.StatusOK || !strings.Contains(member.Location(), "/introductions?done=withdrawn") {
					t.Fatalf("withdrawing: HTTP %d at %s", status, member.Location())
				}
				if got := member.Text("#mine"); !strings.Contains(got, "Du drog tillbaka") || member.Text("#done") != "Du har dragit tillbaka din förfrågan." {
					t.Fatalf("after withdrawing: %.600s", got)
				}
				member.Screenshot("introductions-withdrawn")
				member.CheckAccessibility()
				return
			}

			// The secretariat proposes the request; the expert accepts with a note in a second context.
			propose(t, store, cfg, ids["member"])
			expert := b.NewUser(lang)
			expert.Navigate(srv.URL + "/introductions")
			dexSignIn(t, expert, "group-member")
			inbox := expert.Text("#inbox")
			if !strings.Contains(inbox, "Mira Medlemsson") || !strings.Contains(inbox, "how you organise it") {
				t.Fatalf("the expert's inbox lacks the request: %.600s", inbox)
			}
			expert.Screenshot("introductions-inbox")
			expert.CheckAccessibility()
			browsertest.Eval[bool](expert, `(document.querySelector("#inbox textarea").focus(), true)`)
			expert.Type("Glad to help.")
			expert.Press(browsertest.Tab)
			if f := expert.Focused(); !strings.Contains(f, "Accept") {
				t.Fatalf("Tab from the note leads to %q, not Accept", f)
			}
			if status := expert.PressAndWait(browsertest.Enter); status != http.StatusOK {
				t.Fatalf("accepting: HTTP %d", status)
			}
			if got := expert.Text("#mine"); !strings.Contains(got, "member@example.org") {
				t.Fatalf("after both accepted the expert does not see the member's e-mail: %.600s", got)
			}
			expert.Screenshot("introductions-introduced")
			member.Navigate(srv.URL + "/introductions")
			if got := member.Text("#mine"); !strings.Contains(got, "expert@example.org") {
				t.Fatalf("after both accepted the member does not see the expert's e-mail: %.600s", got)
			}
			member.Screenshot("introductions-introduced")
			member.CheckAccessibility()
		})
	}
}

// dexProfiles gives the Dex demo member (Mira Medlemsson, Stockholm) and expert (Elsa
// Expertsson, Helsinki) profiles that their sign-in finds: imported profiles with their e-mail
// addresses, claimed by their accounts (issuer and subject from a token of the provider's
// password grant) as createMyProfile claims them. It returns their global ids by role.
func dexProfiles(t *testing.T, store *neo4jstore.Store, issuer string) map[string]string {
	t.Helper()
	emails := []string{bridge.EmailKey(testoidc.Users["member"].Email), bridge.EmailKey(testoidc.Users["group-member"].Email)}
	fx.RemovePeopleWithEmails(t, emails...)
	t.Cleanup(func() { fx.RemovePeopleWithEmails(t, emails...) })
	scope := fx.NewScope(t, "dex")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out := map[string]string{}
	for _, u := range []struct {
		role, given, family, country, municipality string
		mode                                       bridge.ThemeMode
		langs                                      []string
	}{
		{"member", "Mira", "Medlemsson", "SE", "SE-0180", bridge.ModeSeeks, []string{"sv", "en"}},
		{"group-member", "Elsa", "Expertsson", "FI", "FI-091", bridge.ModeOffers, []string{"fi", "sv", "en"}},
	} {
		id := scope.ID(u.role)
		email := testoidc.Users[u.role].Email
		in := bridge.ProfileInput{GivenName: u.given, FamilyName: u.family, Title: "Integration coordinator", Phone: "+00 555 0177",
			Languages: u.langs, CountryCode: u.country, MunicipalityID: u.municipality, OpenToIntroductions: true, IntroductionsPerQuarter: 5}
		if _, err := store.UpsertPeople(ctx, []bridge.Person{{ID: id, GivenName: u.given, FamilyName: u.family, Email: email,
			Languages: u.langs, CountryCode: u.country, MunicipalityID: u.municipality, Visibility: bridge.VisibilityMembers,
			OpenToIntroductions: true, IntroductionsPerQuarter: 5, Source: bridge.SourceDemo, Demo: true,
			Themes: []bridge.ThemeLink{{ThemeID: "family-reunification", Mode: u.mode}}, Consents: bridge.ConsentPurposes()}}); err != nil {
			t.Fatal(err)
		}
		sub := dexSubject(t, issuer, u.role)
		got, err := store.CreateProfile(ctx, bridge.Principal{Role: bridge.RoleMember,
			Account: &bridge.Account{Issuer: issuer, Subject: sub, Email: email, EmailVerified: true}}, in, uuid.NewString())
		if err != nil || got.ID != id {
			t.Fatalf("%s claims %q: %v", u.role, got.ID, err)
		}
		out[u.role] = gid("Person", id)
	}
	return out
}

// dexSubject is the subject Dex gives the demo user of role (from a token of its password grant;
// the web sign-in's ID token has the same issuer and subject).
func dexSubject(t *testing.T, issuer, role string) string {
	t.Helper()
	u := testoidc.Users[role]
	resp, err := http.PostForm(issuer+"/token", url.Values{"grant_type": {"password"}, "client_id": {"bridge-api"},
		"username": {u.Email}, "password": {u.Password}, "scope": {"openid email"}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		IDToken string `json:"id_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.IDToken == "" {
		t.Fatalf("no token for %s: %d %v", role, resp.StatusCode, err)
	}
	parts := strings.Split(body.IDToken, ".")
	if len(parts) != 3 {
		t.Fatal("the ID token is not a JWT")
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var claims struct{ Iss, Sub string }
	if err := json.Unmarshal(raw, &claims); err != nil || claims.Sub == "" || claims.Iss != issuer {
		t.Fatalf("claims of %s: %v %+v", role, err, claims)
	}
	return claims.Sub
}

// propose is the secretariat's triage of the member's open request (the workflow service, as
// triageIntroduction runs it).
func propose(t *testing.T, store *neo4jstore.Store, cfg app.Config, memberGID string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, key, err := bridge.ParseGlobalID(nil, memberGID)
	if err != nil {
		t.Fatal(err)
	}
	page, err := store.Introductions(ctx, bridge.Principal{Role: bridge.RoleMember, PersonID: key},
		bridge.IntroductionFilter{Statuses: []bridge.IntroductionStatus{bridge.StatusRequested}}, 10, "")
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("the member's open requests: %v %d", err, len(page.Items))
	}
	secretariat := bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleSecretariat}, RequestID: "browser-test"}
	if _, err := app.NewIntroductions(cfg, store).Propose(ctx, secretariat, introductions.ProposeInput{IntroductionID: page.Items[0].ID}); err != nil {
		t.Fatal(err)
	}
}
