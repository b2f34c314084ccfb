package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/browsertest"
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
	words := map[string]struct{ country, erase, family string }{
		"en": {"Sweden", "ERASE", "Keyboardson"},
		"sv": {"Sverige", "RADERA", "Tangentsson"},
	}
	for _, lang := range []string{"en", "sv"} {
		t.Run(lang, func(t *testing.T) {
			w := words[lang]
			visitor := b.NewUser(lang)
			visitor.Navigate(srv.URL + "/me") // signed out: to the sign-in, and back to /me after it
			if loc := visitor.Location(); !strings.Contains(loc, "/dex/auth/local") {
				t.Fatalf("signed out, /me leads to %s, not Dex's login page", loc)
			}
			visitor.Type(testoidc.Users["member"].Email)
			visitor.Press(browsertest.Tab)
			visitor.Type(testoidc.Users["member"].Password)
			if status := visitor.PressAndWait(browsertest.Enter); status != http.StatusOK {
				t.Fatalf("after signing in: HTTP %d at %s", status, visitor.Location())
			}
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
			if visitor.Text("#erased-signout") == "" {
				t.Fatal("the page after erasure offers no sign-out")
			}
			visitor.Navigate(srv.URL + "/me")
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
