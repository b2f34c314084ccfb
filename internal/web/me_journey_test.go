package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/browsertest"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/testoidc"
)

// TestFirstVisitJourneyInTheBrowser is journeys 3 and 7 in a real browser on the handler `bridge
// serve` builds: the demo member (who has no profile) opens /me signed out, signs in on Dex's
// login page, is back on /me, follows "My profile" in the header, sends the first visit's form
// empty (the errors appear next to the fields), fills it in with the keyboard (the municipality
// and the organisation with suggestions as one types), picks a theme and gives a consent,
// downloads the export (a POST with the CSRF token answering a JSON attachment) and erases the
// profile with the confirmation word, which leaves the member without a profile again. Every page
// is scanned with axe and photographed, in English and Swedish.
func TestFirstVisitJourneyInTheBrowser(t *testing.T) {
	store := seedSite(t)
	cfg := siteConfig()
	srv := signedInSite(t, cfg, store)

	b := browsertest.Start(t)
	words := map[string]struct{ country, erase, family, providerSignOut string }{
		"en": {"Sweden", "ERASE", "Keyboardson", "Sign out of the sign-in service"},
		"sv": {"Sverige", "RADERA", "Tangentsson", "Logga ut från inloggningstjänsten"},
	}
	for _, lang := range []string{"en", "sv"} {
		t.Run(lang, func(t *testing.T) {
			w := words[lang]
			visitor := b.NewUser(lang)
			visitor.Navigate(srv.URL + "/me") // signed out: to the sign-in, and back to /me after it
			dexSignIn(t, visitor, "member")
			if loc := visitor.Location(); !strings.HasSuffix(loc, "/me") {
				t.Fatalf("after signing in the visitor is at %s, not back on /me", loc)
			}
			visitor.ClickAndWait("#nav-me")
			if exists(visitor, "profile-form") { // left over from an interrupted run
				eraseProfile(t, visitor, w.erase)
				visitor.Navigate(srv.URL + "/me")
			}
			if !exists(visitor, "create-form") {
				t.Fatalf("the member without a profile gets no first visit's form at %s", visitor.Location())
			}
			visitor.Screenshot("me-first-visit")
			visitor.CheckAccessibility()

			// Sent empty: the errors stand next to the fields, in the visitor's language.
			focus(visitor, "givenName")
			if status := visitor.PressAndWait(browsertest.Enter); status != http.StatusUnprocessableEntity {
				t.Fatalf("the empty form answers %d", status)
			}
			if visitor.Text("#givenName-error") == "" || visitor.Text("#country-error") == "" {
				t.Fatal("no errors next to the given name and the country")
			}
			visitor.Screenshot("me-first-visit-errors")
			visitor.CheckAccessibility()

			focus(visitor, "givenName")
			visitor.Type("Medlem")
			visitor.Press(browsertest.Tab) // to the family name
			visitor.Type(w.family)
			visitor.Press(browsertest.Tab) // to the title
			visitor.Type("Integration coordinator")
			visitor.Press(browsertest.Tab) // to the country
			visitor.Type(w.country)
			visitor.Press(browsertest.Tab) // to the municipality
			visitor.Type("Växjö")
			if !waitFor(visitor, `document.querySelector('#municipality-suggestions option[value="Växjö"]') !== null`) {
				t.Error("typing a municipality's name suggests no municipality (bridge.js)")
			}
			visitor.Press(browsertest.Tab) // to the organisation
			visitor.Type("Web Page Test Centre")
			if !waitFor(visitor, `document.querySelector('#organisation-suggestions option[value="Web Page Test Centre (demo)"]') !== null`) {
				t.Error("typing an organisation's name suggests no organisation (bridge.js)")
			}
			visitor.Type(" (demo)")
			focus(visitor, "lang-sv")
			visitor.Press(" ")
			focus(visitor, "vis-MEMBERS")
			visitor.Press(" ")
			focus(visitor, "create-submit")
			if status := visitor.PressAndWait(browsertest.Enter); status != http.StatusOK {
				t.Fatalf("creating the profile answers %d at %s: %s", status, visitor.Location(), visitor.Text("main"))
			}
			if !exists(visitor, "profile-form") {
				t.Fatalf("after the first visit's form, /me shows no profile (at %s)", visitor.Location())
			}
			// The write left the token of its bookmark in the browser (internal/causal), which the
			// page after the redirect was read with: HttpOnly (no script reads it) and SameSite=Lax.
			if c := bookmarkCookie(visitor); c == nil || !c.HTTPOnly || c.SameSite != network.CookieSameSiteLax ||
				browsertest.Eval[bool](visitor, `document.cookie.includes('bridge_bookmark')`) {
				t.Fatalf("after creating the profile the browser holds no HttpOnly bookmark cookie: %+v", c)
			}
			if got := value(visitor, "municipality"); got != "Växjö" {
				t.Fatalf("the municipality is %q", got)
			}
			if got := visitor.Text("#my-affiliations"); !strings.Contains(got, "Web Page Test Centre (demo)") {
				t.Fatalf("the organisation chosen on the first visit is not listed: %q", got)
			}
			visitor.Screenshot("me-profile")
			visitor.CheckAccessibility()

			// A theme, chosen with the arrow key, and a consent.
			focus(visitor, "theme-"+gid("Theme", "family-reunification"))
			visitor.Press(browsertest.ArrowDown)
			focus(visitor, "themes-submit")
			if status := visitor.PressAndWait(browsertest.Enter); status != http.StatusOK {
				t.Fatalf("saving themes answers %d", status)
			}
			focus(visitor, "give-SUGGEST")
			if status := visitor.PressAndWait(browsertest.Enter); status != http.StatusOK {
				t.Fatalf("giving consent answers %d", status)
			}
			if !exists(visitor, "withdraw-SUGGEST") {
				t.Fatal("after giving consent there is no way to withdraw it")
			}
			visitor.Screenshot("me-themes-consent")

			// The export form posts with the CSRF token and answers a JSON attachment.
			got := browsertest.Eval[[]string](visitor, `(() => {
  const f = document.querySelector('form[action="/me/export"]');
  const x = new XMLHttpRequest();
  x.open('POST', f.action, false);
  x.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
  x.send(new URLSearchParams(new FormData(f)).toString());
  return [String(x.status), x.getResponseHeader('Content-Disposition') || '', x.responseText];
})()`)
			if got[0] != "200" || !strings.HasPrefix(got[1], "attachment") || !strings.Contains(got[2], w.family) {
				t.Fatalf("export: HTTP %s, Content-Disposition %q, %.200s", got[0], got[1], got[2])
			}

			eraseProfile(t, visitor, w.erase)
			visitor.Screenshot("me-erased")
			visitor.CheckAccessibility()
			// The Bridge session ended with the profile: the header offers to sign in, and the page
			// offers to sign out of the provider (a shared computer), saying which sign-out it is.
			if got := visitor.Text("#erased-signout"); got != w.providerSignOut {
				t.Fatalf("the page after erasure offers %q, want %q", got, w.providerSignOut)
			}
			if !exists(visitor, "sign-in") || exists(visitor, "signout") {
				t.Error("after erasure the header does not offer to sign in (the Bridge session has ended)")
			}
			// Erasure ended the session (on every instance: sessions are in the graph); the page's
			// sign-out still works, and /me asks to sign in again, after which there is no profile.
			visitor.ClickAndWait("#erased-signout")
			visitor.Navigate(srv.URL + "/me")
			dexSignIn(t, visitor, "member")
			if !exists(visitor, "create-form") {
				t.Fatal("after erasure /me still shows a profile")
			}
		})
	}
}

// eraseProfile follows the erase link, types a wrong word, then the right one.
func eraseProfile(t *testing.T, p *browsertest.Page, word string) {
	t.Helper()
	p.ClickAndWait("#erase-link")
	p.Screenshot("me-erase")
	p.CheckAccessibility()
	focus(p, "confirm")
	p.Type("no")
	if status := p.PressAndWait(browsertest.Enter); status != http.StatusUnprocessableEntity {
		t.Fatalf("a wrong confirmation word answers %d", status)
	}
	focus(p, "confirm")
	p.Type(word)
	if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK || !strings.HasSuffix(p.Location(), "/me/erased") {
		t.Fatalf("erasing answers %d at %s", status, p.Location())
	}
}

// focus puts the keyboard focus on the element with the id (and selects a text field's content,
// so that typing replaces it), as a user tabbing there would.
func focus(p *browsertest.Page, id string) {
	browsertest.Eval[bool](p, `(() => { const e = document.getElementById(`+jsQuote(id)+`); e.focus();
  if (e.select) { e.select(); } return true; })()`)
}

// waitFor polls the JavaScript condition until it holds, for at most five seconds.
func waitFor(p *browsertest.Page, cond string) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if browsertest.Eval[bool](p, cond) {
			return true
		}
	}
	return false
}

func exists(p *browsertest.Page, id string) bool {
	return browsertest.Eval[bool](p, `document.getElementById(`+jsQuote(id)+`) !== null`)
}

// value is the value of the form control with the id.
func value(p *browsertest.Page, id string) string {
	return browsertest.Eval[string](p, `document.getElementById(`+jsQuote(id)+`).value`)
}

func jsQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// TestExportAndEraseWithTheKeyboard is journey 7's "my data" in a real browser, with the keyboard
// only (Tab, Enter, Space and typing; the page's own contents links to jump to a section): the
// Dex demo expert, whose profile the secretariat imported and who claimed it, signs in, adds their
// organisation (two have its name: the list to choose from), removes it again, downloads the
// export (the JSON file has their name), erases the profile with the confirmation word and signs
// out; the profile is gone. Every page is scanned with axe and photographed, in English and
// Finnish.
func TestExportAndEraseWithTheKeyboard(t *testing.T) {
	oidc := testoidc.Env(t)
	store := seedSite(t)
	srv := signedInSite(t, siteConfig(), store)
	scope := fx.NewScope(t, "web-keyboard")
	email := testoidc.Users["group-member"].Email
	fx.RemovePeopleWithEmails(t, bridge.EmailKey(email))
	t.Cleanup(func() { fx.RemovePeopleWithEmails(t, bridge.EmailKey(email)) })
	office := "Keyboardtest Office " + given
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := store.UpsertOrganisations(ctx, []bridge.Organisation{
		{ID: scope.ID("office-no"), Name: office, Kind: bridge.OrgMunicipality, CountryCode: "NO", Active: true},
		{ID: scope.ID("office-fi"), Name: office, Kind: bridge.OrgMunicipality, CountryCode: "FI", MunicipalityID: "FI-091", Active: true},
	}); err != nil {
		t.Fatal(err)
	}
	subject := dexSubject(t, oidc.Issuer, "group-member")

	b := browsertest.Start(t)
	words := map[string]struct{ given, family, orgs, addOrg, remove, data, export, eraseLink, erase, signOut string }{
		"en": {"Exporta", "Keyboardsdottir", "My organisations", "Add organisation", "Remove", "My data", "Download my data",
			"Erase my profile", "ERASE", "Sign out"},
		"fi": {"Vienti", "Näppäimistö", "Organisaationi", "Lisää organisaatio", "Poista", "Tietoni Bridgessä", "Lataa tietoni",
			"Poista profiilini", "POISTA", "Kirjaudu ulos"},
	}
	for _, lang := range []string{"en", "fi"} {
		t.Run(lang, func(t *testing.T) {
			w := words[lang]
			fx.RemovePeopleWithEmails(t, bridge.EmailKey(email)) // what a failed run of the other language left
			id := scope.ID("expert-" + lang)
			if _, err := store.UpsertPeople(ctx, []bridge.Person{{ID: id, GivenName: w.given, FamilyName: w.family, Email: email,
				Languages: []string{"fi", "en"}, CountryCode: "FI", MunicipalityID: "FI-091", Visibility: bridge.VisibilityMembers,
				Source: bridge.SourceImport}}); err != nil {
				t.Fatal(err)
			}
			if got, err := store.CreateProfile(ctx, bridge.Principal{Role: bridge.RoleMember,
				Account: &bridge.Account{Issuer: oidc.Issuer, Subject: subject, Email: email, EmailVerified: true}},
				bridge.ProfileInput{GivenName: w.given, FamilyName: w.family, Languages: []string{"fi", "en"}, CountryCode: "FI",
					MunicipalityID: "FI-091"}, uuid.NewString()); err != nil || got.ID != id {
				t.Fatalf("the expert claims %q: %v", got.ID, err)
			}

			p := b.NewUser(lang)
			p.Navigate(srv.URL + "/me")
			dexSignIn(t, p, "group-member")
			if !exists(p, "profile-form") {
				t.Fatalf("after signing in, %s has no profile form", p.Location())
			}

			// My organisations, through the page's contents: the name is ambiguous, so the form
			// comes back with the organisations to choose from.
			tabTo(t, p, "a "+w.orgs, 60)
			p.Press(browsertest.Enter)
			tabTo(t, p, "input", 3)
			if f := p.Focused(); !strings.HasPrefix(f, "input") || !strings.Contains(f, map[string]string{"en": "Organisation you work at", "fi": "Organisaatio"}[lang]) {
				t.Fatalf("Tab from My organisations leads to %q, not the organisation field", f)
			}
			p.Type(office)
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusUnprocessableEntity || !exists(p, "organisation-choices") {
				t.Fatalf("an ambiguous organisation answers %d without the list to choose from", status)
			}
			p.Screenshot("me-organisation-choices")
			p.CheckAccessibility()
			tabTo(t, p, "input", 3) // the organisation field, then the first organisation of the list
			p.Press(browsertest.Tab)
			p.Press(" ")
			tabTo(t, p, "button "+w.addOrg, 8)
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK || !strings.Contains(p.Text("#my-affiliations"), office) {
				t.Fatalf("choosing from the list: HTTP %d, the organisation is not listed", status)
			}
			p.Screenshot("me-organisations")
			tabTo(t, p, "button "+w.remove, 4)
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK || !exists(p, "no-affiliations") {
				t.Fatalf("removing the organisation: HTTP %d, still listed", status)
			}

			// My data: the export downloads with Enter; the file has the person's name.
			p.Navigate(srv.URL + "/me")
			tabTo(t, p, "a "+w.data, 60)
			p.Press(browsertest.Enter)
			tabTo(t, p, "button "+w.export, 2)
			name, body := p.PressAndDownload(browsertest.Enter)
			var doc map[string]any
			if err := json.Unmarshal(body, &doc); err != nil || name != "bridge-my-data.json" ||
				!strings.Contains(string(body), w.given) || !strings.Contains(string(body), w.family) {
				t.Fatalf("the export %q (%v) lacks the name: %.300s", name, err, body)
			}
			p.Screenshot("me-data")
			p.CheckAccessibility()

			// Erase: the link after the export, the confirmation word, Enter.
			tabTo(t, p, "a "+w.eraseLink, 2)
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK || !exists(p, "erase-form") {
				t.Fatalf("the erase link: HTTP %d at %s", status, p.Location())
			}
			p.Screenshot("me-erase-keyboard")
			p.CheckAccessibility()
			tabTo(t, p, "input", 40)
			p.Type(w.erase)
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK || !strings.HasSuffix(p.Location(), "/me/erased") {
				t.Fatalf("erasing: HTTP %d at %s", status, p.Location())
			}
			p.Screenshot("me-erased-keyboard")
			p.CheckAccessibility()
			if fx.PersonExists(t, id) {
				t.Fatal("the profile is still stored after erasure")
			}
			tabTo(t, p, "button "+w.signOut, 30)
			p.PressAndWait(browsertest.Enter)
			p.Navigate(srv.URL + "/me")
			if loc := p.Location(); !strings.Contains(loc, "/dex/auth") {
				t.Fatalf("after signing out, /me leads to %s, not the sign-in", loc)
			}
		})
	}
}

// bookmarkCookie is the browser's cookie with the token of the visitor's last write, or nil.
func bookmarkCookie(p *browsertest.Page) *network.Cookie {
	for _, c := range p.Cookies() {
		if strings.HasSuffix(c.Name, "bridge_bookmark") {
			return c
		}
	}
	return nil
}
