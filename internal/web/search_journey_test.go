package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/browsertest"
	"github.com/nordic-integration/bridge/internal/fx"
)

// searchPeer is a second public person for the search journeys: in Växjö (a large municipality,
// not a city), seeking family reunification, so that a search finds two people and a facet
// narrows them to the page tests' public person in Helsinki.
func searchPeer(t *testing.T) {
	t.Helper()
	store := seedSite(t)
	id := fx.NewScope(t, "searchpeer").ID("saga")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := store.UpsertPeople(ctx, []bridge.Person{{ID: id, GivenName: "Saga", FamilyName: "Sökbar", Title: "Integration coordinator",
		Email: "saga@search-web-test.example.org", Phone: "+00 555 0188", Languages: []string{"sv"}, CountryCode: "SE",
		MunicipalityID: "SE-0780", Visibility: bridge.VisibilityPublic, OpenToIntroductions: true, IntroductionsPerQuarter: 3,
		Confirmed: true, Source: bridge.SourceDemo, Demo: true, Consents: bridge.ConsentPurposes(),
		Themes: []bridge.ThemeLink{{ThemeID: "family-reunification", Mode: bridge.ModeSeeks}}}}); err != nil {
		t.Fatal(err)
	}
}

// tabTo presses Tab until the focused element's description (Page.Focused: tag and label)
// contains want, as a keyboard user moves through a page; the test fails after max presses.
func tabTo(t *testing.T, p *browsertest.Page, want string, max int) {
	t.Helper()
	for range max {
		p.Press(browsertest.Tab)
		if strings.Contains(p.Focused(), want) {
			return
		}
	}
	t.Fatalf("%d presses of Tab never reach %q (focus: %q) on %s", max, want, p.Focused(), p.Location())
}

// TestSearchInSwedishAndFinnishInTheBrowser is journey 5 for a signed-out visitor in Swedish and
// in Finnish, with the keyboard only: from the front page, Tab to the search field, type the
// theme's name in the visitor's language (it is stored under its English id; the words match its
// label in every language), Enter; both public people are found and counted; Tab to a facet
// (the country Finland in Swedish, the size class "city" in Finnish), Space, Enter: only the
// person in Helsinki is left. No hidden person and no contact detail on any page; axe scans and
// screenshots in both languages.
func TestSearchInSwedishAndFinnishInTheBrowser(t *testing.T) {
	searchPeer(t)
	srv := newSite(t)
	b := browsertest.Start(t)
	for _, tc := range []struct {
		lang, field, query, facet, count, param string
	}{
		{"sv", "Sök personer", "familjeåterförening", "Finland (", "Hittade personer: ", "country=FI"},
		{"fi", "Hae henkilöitä", "perheenyhdistäminen", "Suurkaupunki (200 000 tai enemmän)", "Löytyi henkilöitä: ", "size=CITY"},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			visitor := b.NewUser(tc.lang)
			if status := visitor.Navigate(srv.URL + "/"); status != http.StatusOK {
				t.Fatalf("the front page answers %d", status)
			}
			tabTo(t, visitor, "input "+tc.field, 30)
			visitor.Type(tc.query)
			if status := visitor.PressAndWait(browsertest.Enter); status != http.StatusOK || !strings.Contains(visitor.Location(), "/search?q=") {
				t.Fatalf("searching: HTTP %d at %s", status, visitor.Location())
			}
			// Other tests' public people may share the theme: the count is at least the two.
			found := count(t, visitor, tc.count)
			if found < 2 {
				t.Fatalf("the count reads %d, want at least 2", found)
			}
			results := visitor.Text(".results")
			if !strings.Contains(results, "Julkinen Verkkonen") || !strings.Contains(results, "Saga Sökbar") {
				t.Fatalf("the results lack a public person: %.800s", results)
			}
			noLeaks(t, visitor)
			visitor.Screenshot("search-results")
			visitor.CheckAccessibility()

			tabTo(t, visitor, "input "+tc.facet, 80)
			visitor.Type(" ")
			if !browsertest.Eval[bool](visitor, `document.activeElement.checked`) {
				t.Fatal("Space did not check the facet")
			}
			if status := visitor.PressAndWait(browsertest.Enter); status != http.StatusOK || !strings.Contains(visitor.Location(), tc.param) {
				t.Fatalf("applying the facet: HTTP %d at %s", status, visitor.Location())
			}
			if narrowed := count(t, visitor, tc.count); narrowed < 1 || narrowed >= found {
				t.Fatalf("after the facet the count reads %d, after %d before", narrowed, found)
			}
			results = visitor.Text(".results")
			if !strings.Contains(results, "Julkinen Verkkonen") || strings.Contains(results, "Saga Sökbar") {
				t.Fatalf("the facet did not narrow to the person in Helsinki: %.800s", results)
			}
			noLeaks(t, visitor)
			visitor.Screenshot("search-facet")
			visitor.CheckAccessibility()
		})
	}
}

// TestSearchPagesOnWithTheKeyboard: a signed-out visitor, in English and in Swedish, searches for
// a word 45 people share and pages on with the keyboard only (Tab to "next page", Enter, twice).
// Each page follows the one before (Pia20… after Pia00…, then Pia40…), and the address carries
// the position the API reads the next page from (…!20, then …!40), never a name. Screenshots
// and axe scans of both pages in both languages.
func TestSearchPagesOnWithTheKeyboard(t *testing.T) {
	word := pagePeople(t, 45)
	srv := newSite(t)
	b := browsertest.Start(t)
	for _, tc := range []struct{ lang, next string }{{"en", "Next page"}, {"sv", "Nästa sida"}} {
		t.Run(tc.lang, func(t *testing.T) {
			visitor := b.NewUser(tc.lang)
			if status := visitor.Navigate(srv.URL + "/search?q=" + word + "&country=SE"); status != http.StatusOK {
				t.Fatalf("the search answers %d", status)
			}
			for i, want := range []struct{ first, position string }{{"Pia20", "!20"}, {"Pia40", "!40"}} {
				tabTo(t, visitor, "a "+tc.next, 600)
				if status := visitor.PressAndWait(browsertest.Enter); status != http.StatusOK {
					t.Fatalf("page %d: HTTP %d at %s", i+2, status, visitor.Location())
				}
				u, err := url.Parse(visitor.Location())
				if err != nil || !strings.HasSuffix(u.Query().Get("after"), want.position) || strings.Contains(u.RawQuery, "Pia") {
					t.Errorf("page %d's address %s does not carry the position %s, or carries a name", i+2, visitor.Location(), want.position)
				}
				if names := piaName.FindAllString(visitor.Text(".results"), -1); len(names) == 0 || !strings.HasPrefix(names[0], want.first) {
					t.Fatalf("page %d starts with %v, want %s", i+2, names, want.first)
				}
				noLeaks(t, visitor)
				visitor.Screenshot(fmt.Sprintf("page-%d", i+2))
				visitor.CheckAccessibility()
			}
		})
	}
}

// count is the number of people found, from the count line that reads prefix and a number.
func count(t *testing.T, p *browsertest.Page, prefix string) int {
	t.Helper()
	text := p.Text("#people-count")
	n, err := strconv.Atoi(strings.TrimPrefix(text, prefix))
	if err != nil {
		t.Fatalf("the count reads %q, not %q and a number", text, prefix)
	}
	return n
}

// noLeaks fails when the page shows a hidden or members-only person of the page tests, or any
// e-mail address or phone number.
func noLeaks(t *testing.T, p *browsertest.Page) {
	t.Helper()
	html := browsertest.Eval[string](p, `document.documentElement.outerHTML`)
	for _, leak := range []string{"Salainen", "Piilotettu", "Medlemmi", "Jäsenen", gid("Person", fxHidden), gid("Person", fxMembers),
		"555 01", "web-test.example.org", "mailto:", "tel:"} {
		if strings.Contains(html, leak) {
			t.Errorf("%s shows %q to a signed-out visitor", p.Location(), leak)
		}
	}
	if m := emailAddress.FindString(html); m != "" {
		t.Errorf("%s shows an e-mail address: %s", p.Location(), m)
	}
}
