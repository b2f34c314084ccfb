package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/browsertest"
)

// TestSignedOutVisitorBrowsesEveryPublicPage is journey 1 in a real browser, in English and in
// Icelandic (the longest words of the six): from the front page a signed-out visitor follows the
// header's navigation and, from each list, a link to one page of each kind (theme, person,
// organisation, expert group, event, practices and a practice, country, municipality). On every page: the
// visitor's language, no hidden or members-only person of the page tests, no e-mail address or
// phone number, no serious accessibility violation, nothing wider than the window, and a
// screenshot.
func TestSignedOutVisitorBrowsesEveryPublicPage(t *testing.T) {
	srv := newSite(t)
	b := browsertest.Start(t)
	theme, person, org := gid("Theme", "family-reunification"), gid("Person", fxPublic), gid("Organisation", fxOrg)
	group, event, helsinki := gid("ExpertGroup", fxGroup), gid("Event", fxEvent), gid("Municipality", "FI-091")
	for _, lang := range []string{"en", "is"} {
		t.Run(lang, func(t *testing.T) {
			v := b.NewUser(lang)
			check := func(name, wantPath, wantText string) {
				t.Helper()
				if loc := v.Location(); !strings.Contains(loc, wantPath) {
					t.Fatalf("%s: at %s, want %s", name, loc, wantPath)
				}
				if got := browsertest.Eval[string](v, `document.documentElement.lang`); got != lang {
					t.Errorf("%s: lang=%q", name, got)
				}
				if wantText != "" && !strings.Contains(v.Text("main"), wantText) {
					t.Errorf("%s: %q is not on the page", name, wantText)
				}
				noLeaks(t, v)
				if w := browsertest.Eval[int](v, `document.documentElement.scrollWidth`); w > 1280 {
					t.Errorf("%s: the page is %d px wide, wider than the window", name, w)
				}
				v.Screenshot(name)
				v.CheckAccessibility()
			}
			// click follows a link and expects a page.
			click := func(css string) {
				t.Helper()
				if status := v.ClickAndWait(css); status != http.StatusOK {
					t.Fatalf("following %s: HTTP %d at %s", css, status, v.Location())
				}
			}
			nav := func(path string) { t.Helper(); click(`#site-nav a[href="` + path + `"]`) }

			if status := v.Navigate(srv.URL + "/"); status != http.StatusOK {
				t.Fatalf("the front page answers %d", status)
			}
			check("home", "/", "")
			nav("/themes")
			check("themes", "/themes", "")
			click(`main a[href="/themes/` + theme + `"]`)
			check("theme", "/themes/"+theme, "Julkinen Verkkonen")
			click(`main a[href="/people/` + person + `"]`)
			check("person", "/people/"+person, "Julkinen Verkkonen")
			click(`main a[href="/organisations/` + org + `"]`)
			check("organisation", "/organisations/"+org, "Web Page Test Centre")
			nav("/organisations")
			check("organisations", "/organisations", "")
			nav("/groups")
			check("groups", "/groups", "")
			click(`main a[href="/groups/` + group + `"]`)
			check("group", "/groups/"+group, "Julkinen Verkkonen")
			nav("/events")
			check("events", "/events", "")
			click(`main a[href="/events/` + event + `"]`)
			check("event", "/events/"+event, "Julkinen Verkkonen")
			nav("/practices")
			check("practices", "/practices", "")
			click(`main a[href="/practices/` + gid("Practice", fxPractice) + `"]`)
			check("practice", "/practices/"+gid("Practice", fxPractice), "Julkinen Verkkonen")
			nav("/countries")
			check("countries", "/countries", "")
			click(`main a[href="/municipalities?country=FI"]`)
			check("municipalities", "/municipalities?country=FI", "Helsinki")
			click(`main a[href="/municipalities/` + helsinki + `"]`)
			check("municipality", "/municipalities/"+helsinki, "Julkinen Verkkonen")
			nav("/search")
			check("search", "/search", "")
		})
	}
}
