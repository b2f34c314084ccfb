package web_test

import (
	"html"
	"maps"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// askLinks are the "ask to be introduced" links of a practice page: href → text.
var askLink = regexp.MustCompile(`<a class="button-link secondary ask-link" href="([^"]+)">([^<]+)</a>`)

func askLinks(body string) map[string]string {
	out := map[string]string{}
	for _, m := range askLink.FindAllStringSubmatch(body, -1) {
		out[html.UnescapeString(m[1])] = html.UnescapeString(m[2])
	}
	return out
}

// A practice page shows what it is, the organisation and municipality behind it, and the people
// behind it whom the viewer may see: signed out the public person only, a member also the
// members-only one, the secretariat all three; the hidden person is neither shown nor counted
// for anyone else. A member with a profile gets a link to ask to be introduced to each other
// person (their person page's form, the practice's theme chosen), never to themselves; a
// signed-out visitor gets none, and whoever is signed in without a profile is told to create one
// first.
func TestPracticePageShowsThePeopleBehindIt(t *testing.T) {
	store := seedSite(t)
	path := "/practices/" + gid("Practice", fxPractice)
	theme := gid("Theme", "family-reunification")
	for _, tc := range []struct {
		name      string
		principal bridge.Principal
		see, not  []string
		count     int
		asks      map[string]string
	}{
		{"signed out", bridge.Anonymous, []string{"Julkinen Verkkonen", "Only people who chose to be public"},
			[]string{"Medlemmi", "Salainen", "ask-link"}, 1, nil},
		{"member without profile", bridge.Principal{Role: bridge.RoleMember}, []string{"Julkinen Verkkonen", "Medlemmi Jäsenen"},
			[]string{"Salainen", "ask-link", "Only people who chose to be public"}, 2, nil},
		{"member with a profile", bridge.Principal{Role: bridge.RoleMember, PersonID: fxPublic}, []string{"Julkinen Verkkonen", "Medlemmi Jäsenen"},
			[]string{"Salainen"}, 2, map[string]string{
				"/people/" + gid("Person", fxMembers) + "?theme=" + theme + "#ask": "Ask to be introduced to Medlemmi Jäsenen"}},
		{"secretariat", bridge.Principal{Role: bridge.RoleSecretariat}, []string{"Julkinen Verkkonen", "Medlemmi Jäsenen", "Salainen Piilotettu"},
			nil, 3, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := siteFor(t, store, tc.principal)
			p := get(t, srv, path, "")
			if p.status != http.StatusOK {
				t.Fatalf("GET %s = %d: %.300s", path, p.status, p.body)
			}
			for _, want := range []string{"<h1>Language cafés with families (web test)</h1>", "Good practice · 2023",
				"Volunteers meet newly arrived families", `href="https://example.org/language-cafes"`, "Finland",
				`href="/themes/` + theme + `"`, `href="/organisations/` + gid("Organisation", fxOrg) + `">Web Page Test Centre (demo)</a>`,
				`href="/municipalities/` + gid("Municipality", "FI-091") + `">Helsinki</a>`, "People behind it",
				`href="/people/` + gid("Person", fxPublic) + `"`, "People: " + string(rune('0'+tc.count))} {
				if !strings.Contains(p.body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			for _, want := range tc.see {
				if !strings.Contains(p.body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			for _, leak := range tc.not {
				if strings.Contains(p.body, leak) {
					t.Errorf("the page shows %q", leak)
				}
			}
			if tc.name != "secretariat" && (strings.Contains(p.body, fxHidden) || strings.Contains(p.body, gid("Person", fxHidden))) {
				t.Error("the page names the hidden person's id")
			}
			if m := emailAddress.FindString(p.body); m != "" || strings.Contains(p.body, "555 0199") {
				t.Errorf("the page shows contact details: %q", m)
			}
			if noProfile := strings.Contains(p.body, "Create your profile first"); noProfile != (tc.principal.SignedIn() && tc.principal.PersonID == "") {
				t.Errorf("the page tells to create a profile first: %t", noProfile)
			}
			if got := askLinks(p.body); tc.asks != nil && !maps.Equal(got, tc.asks) || tc.asks == nil && len(got) > 0 {
				t.Errorf("ask links %v, want %v", got, tc.asks)
			}
		})
	}
	// The list, the person's and the organisation's page link to the page; an unknown practice is the 404 page, a malformed id the 400 one.
	srv := siteFor(t, store, bridge.Anonymous)
	if list := get(t, srv, "/practices", ""); !strings.Contains(list.body, `<a href="`+path+`">Language cafés with families (web test)</a>`) {
		t.Error("/practices does not link to the practice's page")
	}
	if person := get(t, srv, "/people/"+gid("Person", fxPublic), ""); !strings.Contains(person.body, `<a href="`+path+`">Language cafés with families (web test)</a>`) ||
		!strings.Contains(person.body, "Practices and projects they are behind") {
		t.Error("the person's page does not link to the practice they are behind")
	}
	if org := get(t, srv, "/organisations/"+gid("Organisation", fxOrg), ""); !strings.Contains(org.body, `<a href="`+path+`">Language cafés with families (web test)</a>`) ||
		!strings.Contains(org.body, "Practices it is behind") {
		t.Error("the organisation's page does not link to the practice it is behind")
	}
	if p := get(t, srv, "/practices/"+gid("Practice", "test-no-such-practice"), "sv"); p.status != http.StatusNotFound || !strings.Contains(p.body, "Sidan hittades inte") {
		t.Errorf("an unknown practice: %d", p.status)
	}
	if p := get(t, srv, "/practices/"+gid("Person", fxPublic), ""); p.status != http.StatusBadRequest {
		t.Errorf("a person's id as a practice's: %d", p.status)
	}
}

// The practice page and its link speak the visitor's language.
func TestPracticePageSpeaksTheVisitorsLanguage(t *testing.T) {
	store := seedSite(t)
	srv := siteFor(t, store, bridge.Principal{Role: bridge.RoleMember, PersonID: fxPublic})
	for accept, want := range map[string][]string{
		"sv": {`<html lang="sv">`, "Personer bakom", "Be om en introduktion till Medlemmi Jäsenen", "Familjeåterförening", "Gott exempel"},
		"fi": {`<html lang="fi">`, "Taustalla olevat ihmiset", "Pyydä esittelyä: Medlemmi Jäsenen", "Suomi"},
		"is": {`<html lang="is">`, "Fólk að baki", "Biðja um kynningu: Medlemmi Jäsenen"},
	} {
		p := get(t, srv, "/practices/"+gid("Practice", fxPractice), accept)
		for _, w := range want {
			if !strings.Contains(p.body, w) {
				t.Errorf("%s: the page lacks %q", accept, w)
			}
		}
	}
}
