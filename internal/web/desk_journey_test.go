package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/browsertest"
	"github.com/nordic-integration/bridge/internal/testoidc"
)

// TestSecretariatBrokersARequestInTheBrowser is the secretariat's desk in a real browser, in
// English and Swedish: member A asks (through the API) for someone in Finland on family
// reunification; the Dex demo secretariat opens /desk, is sent to Dex's login page, signs in with
// the keyboard, comes back to the queue, filters it (requested, Finland), opens A's request, picks
// the candidate B and proposes it; A accepts in Bridge; the secretariat records B's answer given
// by phone (with the keyboard, after a confirmation) and sees the introduction INTRODUCED, the
// recorded answer in the history. Every page is scanned with axe and photographed.
func TestSecretariatBrokersARequestInTheBrowser(t *testing.T) {
	testoidc.Env(t)
	store := seedSite(t)
	cfg := introConfig()
	srv := signedInSite(t, cfg, store)
	b := browsertest.Start(t)
	words := map[string]map[string]string{
		"en": {"requested": "Requested", "introduced": "Introduced", "proposed": "Proposed: both sides are asked to accept.",
			"confirm": "Record this answer?", "history": "Accepted: recorded by the secretariat for Bodil Bidrar by phone.",
			"you": "You", "note": "Called Bodil; she prefers mornings."},
		"sv": {"requested": "Förfrågad", "introduced": "Introducerad", "proposed": "Föreslagen: båda parter ombeds tacka ja.",
			"confirm": "Registrera svaret?", "history": "Tackade ja: registrerat av sekretariatet för Bodil Bidrar per telefon.",
			"you": "Du", "note": "Ringde Bodil; hon föredrar förmiddagar."},
	}
	for _, lang := range []string{"en", "sv"} {
		t.Run(lang, func(t *testing.T) {
			w := words[lang]
			a, bID := introPeople(t, store)
			siteA := siteFor(t, store, member(a))
			id := askSomeoneIn(t, siteA, "FI", "desk-journey-"+lang+"-"+a)

			p := b.NewUser(lang)
			p.Navigate(srv.URL + "/desk")
			dexSignIn(t, p, "secretariat")
			if loc := p.Location(); !strings.HasSuffix(loc, "/desk") {
				t.Fatalf("after signing in the secretariat is at %s, not back on /desk", loc)
			}
			if got := p.Text("#nav-desk"); got == "" {
				t.Fatal("the header has no link to the desk")
			}
			p.Screenshot("desk")
			p.CheckAccessibility()

			// Filter the queue: requested, in Finland; the form is sent with the keyboard.
			browsertest.Eval[bool](p, `(document.querySelector('#facet-status input[value="REQUESTED"]').checked = true,
				document.getElementById("f-country").value = "FI", document.getElementById("desk-apply").focus(), true)`)
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK || !strings.Contains(p.Location(), "country=FI") ||
				!strings.Contains(p.Location(), "status=REQUESTED") {
				t.Fatalf("filtering: HTTP %d at %s", status, p.Location())
			}
			row := p.Text("#row-" + cssEscape(id))
			if !strings.Contains(row, "Astrid Asker") || !strings.Contains(row, w["requested"]) {
				t.Fatalf("the filtered queue's row: %q", row)
			}
			p.Screenshot("desk-filtered")
			p.CheckAccessibility()

			p.ClickAndWait(`a[href="/desk/introductions/` + id + `"]`)
			if got := p.Text("#candidates"); !strings.Contains(got, "Bodil Bidrar") {
				t.Fatalf("the request's candidates lack B: %.600s", got)
			}
			p.Screenshot("desk-request")
			p.CheckAccessibility()
			// The session's CSRF token guards the desk's forms: closing without it is refused.
			status := browsertest.Eval[int](p, `(() => { const x = new XMLHttpRequest();
				x.open("POST", "/desk/introductions/`+id+`/close", false);
				x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
				x.send("confirmed=1");
				return x.status })()`)
			if status != http.StatusForbidden {
				t.Errorf("closing without the CSRF token answers %d", status)
			}
			if got := p.Text("#desk-status"); got != w["requested"] {
				t.Fatalf("the request is %q after a POST without the token", got)
			}

			// Pick B with the keyboard (Space on the radio button), Tab to "Propose", Enter.
			browsertest.Eval[bool](p, `document.querySelector('#candidates input[value="`+gid("Person", bID)+`"]').focus() || true`)
			p.Press(" ")
			if checked := browsertest.Eval[bool](p, `document.activeElement.checked`); !checked {
				t.Fatal("Space did not choose the candidate")
			}
			browsertest.Eval[bool](p, `(document.getElementById("propose").focus(), true)`)
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK || p.Text("#done") != w["proposed"] {
				t.Fatalf("proposing: HTTP %d at %s", status, p.Location())
			}

			// A accepts in Bridge; B answers the secretariat by phone.
			graphql(t, siteA, `mutation($id: ID!) { acceptIntroduction(id: $id) { status } }`, map[string]any{"id": id})
			p.Navigate(srv.URL + "/desk/introductions/" + id)
			if got := p.Text("#answer-person"); !strings.Contains(got, "Bodil Bidrar") || strings.Contains(got, "Astrid") {
				t.Fatalf("the answer form offers %q", got)
			}
			p.Screenshot("desk-proposed")
			p.CheckAccessibility()
			browsertest.Eval[bool](p, `(document.getElementById("accept-yes").focus(), true)`)
			p.Press(" ")
			p.Press(browsertest.Tab) // the channel (by phone is the first)
			if f := p.Focused(); !strings.HasPrefix(f, "select") {
				t.Fatalf("Tab from the answer leads to %q, not the channel", f)
			}
			p.Press(browsertest.Tab)
			p.Type(map[string]string{"en": "Happy to talk, said on the phone.", "sv": "Gärna, sa hon i telefon."}[lang])
			p.Press(browsertest.Tab)
			if f := p.Focused(); !strings.HasPrefix(f, "button") {
				t.Fatalf("Tab from the note leads to %q, not the button", f)
			}
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK || p.Text("h1") != w["confirm"] {
				t.Fatalf("the confirmation: HTTP %d, %q", status, p.Text("h1"))
			}
			p.Screenshot("desk-confirm")
			p.CheckAccessibility()
			browsertest.Eval[bool](p, `(document.getElementById("confirm").focus(), true)`)
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK {
				t.Fatalf("confirming: HTTP %d", status)
			}
			if got := p.Text("#desk-status"); got != w["introduced"] {
				t.Fatalf("after recording the answer the status is %q", got)
			}
			if got := p.Text("#desk-history"); !strings.Contains(got, w["history"]) {
				t.Fatalf("the history lacks the answer recorded by phone: %.800s", got)
			}
			p.Screenshot("desk-introduced")
			p.CheckAccessibility()

			// The secretariat takes the request, and leaves a note for colleagues, by keyboard.
			browsertest.Eval[bool](p, `(document.getElementById("take").focus(), true)`)
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK || p.Text("#desk-handler") != w["you"] {
				t.Fatalf("taking: HTTP %d, handler %q", status, p.Text("#desk-handler"))
			}
			browsertest.Eval[bool](p, `(document.getElementById("note-text").focus(), true)`)
			p.Type(w["note"])
			p.Press(browsertest.Tab)
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK || !strings.Contains(p.Text("#desk-notes"), w["note"]) {
				t.Fatalf("the note: HTTP %d, notes %q", status, p.Text("#desk-notes"))
			}
			p.Screenshot("desk-note")
			p.CheckAccessibility()

			// The desk's statistics count this introduction this month.
			p.ClickAndWait(`#desk-nav a[href="/desk/statistics"]`)
			if got := p.Text("#total-1"); got == "" || got == "0" {
				t.Fatalf("statistics: introductions this period %q", got)
			}
			if tallest := browsertest.Eval[float64](p, `Math.max(...[...document.querySelectorAll("#stats-chart rect.bar")].map(r => r.height.baseVal.value))`); tallest <= 0 {
				t.Fatalf("the chart's bars are all flat (tallest %v)", tallest)
			}
			p.Screenshot("desk-statistics")
			p.CheckAccessibility()
		})
	}
}

// cssEscape escapes a global id (base64: +, /, =) for an id selector.
func cssEscape(id string) string {
	var sb strings.Builder
	for _, r := range id {
		if (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r == '-' || r == '_' {
			sb.WriteRune(r)
		} else {
			sb.WriteString(`\` + string(r))
		}
	}
	return sb.String()
}
