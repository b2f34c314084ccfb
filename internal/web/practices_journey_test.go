package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/browsertest"
	"github.com/nordic-integration/bridge/internal/testoidc"
)

// TestAskToBeIntroducedFromAPracticeInTheBrowser: the Dex demo member opens a practice signed
// out and sees only the public person behind it, without a way to ask; signs in from the page's
// header with the keyboard and comes back to it, now with the members-only person too (never
// the hidden one) and a link to ask to be introduced to each; follows the link to the person
// page's form with the practice's theme chosen, writes a message, sends it with the keyboard and
// ends on /introductions with the request waiting for the secretariat. In English the member asks
// the public person, in Finnish the members-only one. Every page is scanned with axe and
// photographed.
func TestAskToBeIntroducedFromAPracticeInTheBrowser(t *testing.T) {
	oidc := testoidc.Env(t)
	store := seedSite(t)
	dexProfiles(t, store, oidc.Issuer)
	srv := signedInSite(t, introConfig(), store)
	b := browsertest.Start(t)
	practice, theme := "/practices/"+gid("Practice", fxPractice), gid("Theme", "family-reunification")
	for _, tc := range []struct {
		lang, target, name, ask, message, waiting string
	}{
		{"en", fxPublic, "Julkinen Verkkonen", "Ask to be introduced to Julkinen Verkkonen",
			"I read about your language cafés with families. Could we talk about how you started them?",
			"Asked: the secretariat is looking at it"},
		{"fi", fxMembers, "Medlemmi Jäsenen", "Pyydä esittelyä: Medlemmi Jäsenen",
			"Luin perheiden kielikahviloistanne. Voisimmeko keskustella siitä, miten aloititte ne?",
			"Pyydetty: sihteeristö käsittelee pyyntöä"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			member := b.NewUser(tc.lang)
			if status := member.Navigate(srv.URL + practice); status != http.StatusOK {
				t.Fatalf("the practice page answers %d", status)
			}
			people := member.Text("#practice-people")
			if !strings.Contains(people, "Julkinen Verkkonen") || strings.Contains(people, "Medlemmi") || strings.Contains(people, "Salainen") {
				t.Fatalf("signed out, the people behind the practice are: %.600s", people)
			}
			if n := browsertest.Eval[int](member, `document.querySelectorAll("a.ask-link").length`); n != 0 {
				t.Fatalf("signed out, the page has %d ask links", n)
			}
			member.Screenshot("practice-signed-out")
			member.CheckAccessibility()

			// Sign in from the header: Dex's login page, then back to the practice.
			if status := member.ClickAndWait("#sign-in"); status != http.StatusOK {
				t.Fatalf("sign in: HTTP %d", status)
			}
			dexSignIn(t, member, "member")
			if loc := member.Location(); !strings.HasSuffix(loc, practice) {
				t.Fatalf("after signing in the member is at %s, not back on the practice", loc)
			}
			people = member.Text("#practice-people")
			if !strings.Contains(people, "Julkinen Verkkonen") || !strings.Contains(people, "Medlemmi Jäsenen") || strings.Contains(people, "Salainen") {
				t.Fatalf("signed in, the people behind the practice are: %.600s", people)
			}
			if !strings.Contains(people, tc.ask) {
				t.Fatalf("no %q on the page: %.600s", tc.ask, people)
			}
			member.Screenshot("practice")
			member.CheckAccessibility()

			// The link leads to the person page's form, the practice's theme chosen.
			if status := member.ClickAndWait(`a.ask-link[href^="/people/` + gid("Person", tc.target) + `?"]`); status != http.StatusOK {
				t.Fatalf("the ask link: HTTP %d", status)
			}
			if !strings.Contains(member.Text("h1"), tc.name) || !strings.Contains(member.Location(), "#ask") {
				t.Fatalf("the ask link leads to %s (%q)", member.Location(), member.Text("h1"))
			}
			if got := browsertest.Eval[string](member, `document.getElementById("ask-theme").value`); got != theme {
				t.Fatalf("the theme chosen is %q, want the practice's %q", got, theme)
			}
			member.Screenshot("person-ask")
			member.CheckAccessibility()
			browsertest.Eval[bool](member, `(document.getElementById("ask-message").focus(), true)`)
			member.Type(tc.message)
			member.Press(browsertest.Tab)
			if f := member.Focused(); !strings.HasPrefix(f, "button") {
				t.Fatalf("Tab from the message leads to %q, not the send button", f)
			}
			if status := member.PressAndWait(browsertest.Enter); status != http.StatusOK || !strings.HasSuffix(member.Location(), "/introductions") {
				t.Fatalf("after asking: HTTP %d at %s", status, member.Location())
			}
			mine := member.Text("#mine")
			if !strings.Contains(mine, tc.name) || !strings.Contains(mine, tc.waiting) {
				t.Fatalf("/introductions does not show the request: %.600s", mine)
			}
			member.Screenshot("introductions")
			member.CheckAccessibility()
		})
	}
}
