package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/browsertest"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/testoidc"
)

// TestEventSuggestionsFromTheDeskToTheAttendee is event suggestions in a real browser, in English
// and Swedish: the Dex demo secretariat opens an ended event's attendance page on the desk, signs
// in, picks the demo member by name and uploads a list with the demo expert's e-mail address and
// a hidden person's, then sends the suggestions (the button then says they were sent, and is
// disabled). The real sender renders the member's e-mail in the member's language with a link;
// the member opens it, signs in on Dex's page, and sees the expert (with the theme they share and
// a link to ask for an introduction), never the hidden attendee; the link leads to the expert's
// form. Every page is scanned with axe and photographed.
func TestEventSuggestionsFromTheDeskToTheAttendee(t *testing.T) {
	oidc := testoidc.Env(t)
	store := seedSite(t)
	srv := signedInSite(t, introConfig(), store)
	b := browsertest.Start(t)
	words := map[string]struct{ written, sent, listed, subject, theme, ask string }{
		"en": {"Written to: 3 attendees.", "Suggestions were sent on", "Suggestions sent on", "Bridge: people from %s who work on your themes",
			"Family reunification", "Ask for an introduction to Elsa Expertsson"},
		"sv": {"Skickat till: 3 deltagare.", "Förslagen skickades", "Förslag skickade", "Bridge: deltagare från %s som arbetar med dina teman",
			"Familjeåterförening", "Be om en introduktion till Elsa Expertsson"},
	}
	for _, lang := range []string{"en", "sv"} {
		t.Run(lang, func(t *testing.T) {
			w := words[lang]
			ids := dexProfiles(t, store, oidc.Issuer)
			memberID := gidKey(t, ids["member"])
			fx.PersonLanguage(t, memberID, lang)
			// A hidden attendee (only the secretariat sees her) on the same theme.
			domain := "hidden-" + uuid.NewString()[:8] + ".example.org"
			hidden := bridge.Person{ID: uuid.NewString(), GivenName: "Hanna", FamilyName: "Hemligsdottir", Email: "hanna@" + domain,
				CountryCode: "NO", Languages: []string{"nb"}, Visibility: bridge.VisibilitySecretariat, OpenToIntroductions: true,
				IntroductionsPerQuarter: 5, Source: bridge.SourceDemo, Demo: true, Confirmed: true, Consents: bridge.ConsentPurposes(),
				Themes: []bridge.ThemeLink{{ThemeID: "family-reunification", Mode: bridge.ModeBoth}}}
			if _, err := store.UpsertPeople(t.Context(), []bridge.Person{hidden}); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { fx.RemovePeople(t, domain) })
			name := "Suggestions journey " + lang + " " + uuid.NewString()[:6]
			eventKey := "journey-suggestions-" + lang + "-" + uuid.NewString()[:8] // sent once: a new event each run
			graphql(t, siteFor(t, store, bridge.Principal{Role: bridge.RoleSecretariat}), `mutation($in: EventInput!) { saveEvent(input: $in) { id } }`,
				map[string]any{"in": map[string]any{"key": eventKey, "name": name, "startDate": "2025-10-08", "endDate": "2025-10-09",
					"city": "Malmö", "country": "SE", "themes": []string{gid("Theme", "family-reunification")}}})
			t.Cleanup(func() { fx.RemoveEvent(t, eventKey) })
			page := srv.URL + "/desk/events/" + gid("Event", eventKey) + "/attendance"

			// The secretariat records the attendance: the member by name, the others by a list.
			p := b.NewUser(lang)
			p.Navigate(page)
			dexSignIn(t, p, "secretariat")
			if loc := p.Location(); loc != page {
				t.Fatalf("after signing in the secretariat is at %s", loc)
			}
			p.FillByLabel(map[string]string{"en": "Name", "sv": "Namn"}[lang], "Mira Medlemsson")
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK {
				t.Fatalf("searching: HTTP %d", status)
			}
			browsertest.Eval[bool](p, `(document.querySelector('#pick-form input[value="`+ids["member"]+`"]').checked = true, true)`)
			if status := p.ClickAndWait("#pick-record"); status != http.StatusOK {
				t.Fatalf("recording the member: HTTP %d", status)
			}
			browsertest.Eval[bool](p, `(document.getElementById("list").value = `+jsString(t, testoidc.Users["group-member"].Email+"\n"+hidden.Email+"\n")+`, true)`)
			if status := p.ClickAndWait("#upload-submit"); status != http.StatusOK {
				t.Fatalf("uploading: HTTP %d", status)
			}
			if got := p.Text("#attendees ~ ul"); !strings.Contains(got, "Mira Medlemsson") || !strings.Contains(got, "Elsa Expertsson") ||
				!strings.Contains(got, "Hanna Hemligsdottir") {
				t.Fatalf("the attendees recorded: %q", got)
			}
			if browsertest.Eval[bool](p, `document.getElementById("send-suggestions").disabled`) {
				t.Fatal("the send button is disabled for an ended event never sent")
			}
			p.Screenshot("desk-attendance")
			p.CheckAccessibility()

			if status := p.ClickAndWait("#send-suggestions"); status != http.StatusOK {
				t.Fatalf("sending: HTTP %d", status)
			}
			if got := p.Text("#suggestions-sent"); got != w.written {
				t.Fatalf("after sending: %q", got)
			}
			if got := p.Text("#suggestions-why"); !strings.HasPrefix(got, w.sent) || !browsertest.Eval[bool](p, `document.getElementById("send-suggestions").disabled`) {
				t.Fatalf("after sending the button is not disabled with the reason: %q", got)
			}
			p.Screenshot("desk-suggestions-sent")
			p.CheckAccessibility()
			p.ClickAndWait(`nav.breadcrumbs a[href="/desk/events"]`)
			if got := p.Text(`li:has(a[href="/desk/events/` + gid("Event", eventKey) + `/attendance"])`); !strings.Contains(got, w.listed) {
				t.Fatalf("the desk's events do not say the suggestions were sent: %q", got)
			}
			p.Screenshot("desk-events")
			p.CheckAccessibility()

			// The real sender writes the e-mails.
			box := deliverDue(t, store, srv.URL)
			var text string
			for _, m := range box.decoded(t) {
				if strings.Contains(m[2], "Hanna") || strings.Contains(m[2], "Hemligsdottir") {
					if m[0] != hidden.Email {
						t.Fatalf("an e-mail to %s names the hidden attendee:\n%s", m[0], m[2])
					}
				}
				if m[0] == testoidc.Users["member"].Email && strings.Contains(m[1], name) {
					if want := strings.Replace(w.subject, "%s", name, 1); m[1] != want {
						t.Fatalf("the member's subject %q, want %q", m[1], want)
					}
					text = m[2]
				}
			}
			link := regexp.MustCompile(regexp.QuoteMeta(srv.URL) + `/events/\S+/suggestions`).FindString(text)
			if link == "" || strings.Contains(text, "Elsa") {
				t.Fatalf("the member's e-mail has no link to the suggestions, or names someone:\n%s", text)
			}

			// The member follows the link.
			m := b.NewUser(lang)
			m.Navigate(link)
			dexSignIn(t, m, "member")
			if loc := m.Location(); loc != link {
				t.Fatalf("after signing in the member is at %s, not the link's page", loc)
			}
			got := m.Text("#suggestions-list")
			if !strings.Contains(got, "Elsa Expertsson") || !strings.Contains(got, w.theme) || strings.Contains(m.Text("main"), "Hanna") {
				t.Fatalf("the member's suggestions: %q", got)
			}
			if f := m.Text(".ask-link"); f != w.ask {
				t.Fatalf("the link to ask says %q", f)
			}
			m.Screenshot("suggestions")
			m.CheckAccessibility()
			if status := m.ClickAndWait(".ask-link"); status != http.StatusOK || !strings.HasSuffix(m.Location(), "/people/"+ids["group-member"]+"#ask") {
				t.Fatalf("the ask link: HTTP %d at %s", status, m.Location())
			}
			if m.Text("#ask-title") == "" {
				t.Fatal("the expert's page has no introduction form")
			}
		})
	}
}

// gidKey is the key of a global id.
func gidKey(t *testing.T, id string) string {
	t.Helper()
	_, k, err := bridge.ParseGlobalID(nil, id)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// jsString is s as a JavaScript string literal (JSON's is one), line breaks included.
func jsString(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
