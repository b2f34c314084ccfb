package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
)

// The search form applies every people filter of the API as GET parameters (codes and ids):
// each narrows the public person of the page tests in or out, the result says how many were
// found, and a chosen value that leaves nobody stays on the form, checked, to be unchecked.
func TestSearchAppliesEveryPeopleFilter(t *testing.T) {
	srv := newSite(t)
	helsinki, uusimaa := gid("Municipality", "FI-091"), gid("Region", "FI-01")
	theme := gid("Theme", "family-reunification")
	q := "/search?q=" + fxWord
	for _, tc := range []struct {
		query string
		found bool
	}{
		{"", true},
		{"&size=CITY", true},
		{"&size=SMALL&size=VERY_SMALL", false},
		{"&size=CITY&size=SMALL", true},
		{"&open=yes", true},
		{"&open=no", false},
		{"&theme=" + theme + "&mode=OFFERS", true},
		{"&theme=" + theme + "&mode=SEEKS", false},
		{"&country=FI&region=" + uusimaa, true},
		{"&region=" + gid("Region", "FI-02"), false},
		{"&municipality=" + helsinki, true},
		{"&municipality=" + gid("Municipality", "FI-049"), false},
		{"&country=SE", false},
		{"&size=NOT_A_CLASS&mode=SIDEWAYS&open=maybe", true}, // an edited address narrows less, it does not fail
	} {
		p := get(t, srv, q+tc.query, "")
		if p.status != http.StatusOK {
			t.Errorf("GET %s = %d", tc.query, p.status)
			continue
		}
		count := map[bool]string{true: "People found: 1", false: "People found: 0"}[tc.found]
		if got := strings.Contains(p.body, "Julkinen Verkkonen"); got != tc.found || !strings.Contains(p.body, count) {
			t.Errorf("%s: found the public person %v, want %v (%q on the page: %v)", tc.query, got, tc.found, count, strings.Contains(p.body, count))
		}
		for _, v := range regexp.MustCompile(`[?&]([a-z]+)=([^&]+)`).FindAllStringSubmatch(tc.query, -1) {
			if v[1] == "size" && v[2] == "NOT_A_CLASS" || v[1] == "mode" && v[2] == "SIDEWAYS" || v[1] == "open" {
				continue
			}
			val, _ := url.QueryUnescape(v[2])
			if !regexp.MustCompile(`name="` + v[1] + `" value="` + regexp.QuoteMeta(val) + `" id="[^"]+" checked`).MatchString(p.body) {
				t.Errorf("%s: the chosen %s=%s is not checked on the form", tc.query, v[1], val)
			}
		}
	}

	p := get(t, srv, q+"&country=FI", "")
	for _, want := range []string{
		// Facets without counts (the API counts none of them) next to those with counts.
		`<legend>Size of the municipality</legend>`, `value="CITY" id="f-size-4"`, "City (200,000 and more)",
		`<legend>Offers or seeks the theme</legend>`, `type="radio" name="mode" value="SEEKS"`, "Applies to the themes you chose.",
		`<legend>Introductions</legend>`, `type="radio" name="open" value="yes"`,
		`<legend>Region</legend>`, `value="` + uusimaa + `"`, "Uusimaa",
		`Finland <span class="facet-count">(1)</span>`,
		// The person's municipality with its size class.
		"Helsinki (city)",
	} {
		if !strings.Contains(p.body, want) {
			t.Errorf("/search?…&country=FI lacks %q", want)
		}
	}
	// Words that name a municipality offer it as a facet (people based there) and list it with its size.
	p = get(t, srv, "/search?q=Helsingfors", "sv")
	for _, want := range []string{`<legend>Kommun</legend>`, `name="municipality" value="` + helsinki + `"`,
		"Helsinki (Finland, storstad)", "storstad, 656\u00a0920 invånare"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("/search?q=Helsingfors (sv) lacks %q", want)
		}
	}
	// The municipality page shows the size class and the population in the visitor's language, and
	// leads to the search with the municipality chosen.
	p = get(t, srv, "/municipalities/"+helsinki, "fi")
	for _, want := range []string{"Suurkaupunki (200 000 tai enemmän)", "656\u00a0920", `href="/search?municipality=` + url.QueryEscape(helsinki) + `"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the Finnish municipality page lacks %q", want)
		}
	}
	if p := get(t, srv, "/municipalities?country=FI", ""); !strings.Contains(p.body, "city, 656,920 inhabitants") {
		t.Error("the list of municipalities lacks Helsinki's size and population")
	}
	for path, want := range map[string]string{
		"/organisations?country=FI":                       "Finland, Helsinki (city)",
		"/organisations/" + gid("Organisation", fxOrg):    "Helsinki</a> (city)",
		"/people/" + gid("Person", fxPublic):              "Helsinki</a> (city)",
		"/themes/" + gid("Theme", "family-reunification"): "Finland, Helsinki (city)",
		"/groups/" + gid("ExpertGroup", fxGroup):          "Finland, Helsinki (city)",
		"/events/" + gid("Event", fxEvent):                "Finland, Helsinki (city)",
	} {
		if p := get(t, srv, path, ""); !strings.Contains(p.body, want) {
			t.Errorf("%s lacks the municipality's size: %q", path, want)
		}
	}
}

// pagePeople writes n public people whose bios share a word of their own, for the paging tests.
func pagePeople(t *testing.T, n int) string {
	t.Helper()
	store := seedSite(t)
	scope := fx.NewScope(t, "paging")
	word := "Sivutustesti"
	var people []bridge.Person
	for i := range n {
		people = append(people, bridge.Person{ID: scope.ID(fmt.Sprint(i)), GivenName: fmt.Sprintf("Pia%02d", i), FamilyName: "Paged",
			Bio: "Pages (" + word + ").", Email: fmt.Sprintf("pia%02d@paging-web-test.example.org", i), CountryCode: "SE",
			Languages: []string{"sv"}, Visibility: bridge.VisibilityPublic, Confirmed: true, Source: bridge.SourceDemo, Demo: true,
			Themes: []bridge.ThemeLink{{ThemeID: "family-reunification", Mode: bridge.ModeSeeks}}, Consents: bridge.ConsentPurposes()})
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := store.UpsertPeople(ctx, people); err != nil {
		t.Fatal(err)
	}
	return word
}

var (
	nextLink = regexp.MustCompile(`href="([^"]+)" rel="next"`)
	prevLink = regexp.MustCompile(`href="([^"]+)" rel="prev"`)
	piaName  = regexp.MustCompile(`Pia\d\d Paged`)
)

// Search pages people forward and back; the address names the person a page starts after by id,
// never by name (the API's cursor of people holds the name).
func TestSearchPagesBackAndForthWithIdsOnly(t *testing.T) {
	word := pagePeople(t, 45)
	srv := newSite(t)
	follow := func(body string, re *regexp.Regexp) string {
		t.Helper()
		m := re.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no %s link", re)
		}
		link := strings.ReplaceAll(m[1], "&amp;", "&")
		u, _ := url.Parse(link)
		for _, v := range append(u.Query()["after"], u.Query()["back"]...) {
			v, _, _ = strings.Cut(v, "!") // a text search's rank and position follow the id
			typ, _, err := bridge.ParseGlobalID(nil, v)
			if err != nil || typ != "Person" {
				t.Errorf("the link carries %q, not a person's id", v)
			}
		}
		if strings.Contains(link, "Pia") || strings.Contains(link, "Paged") {
			t.Errorf("a name in the link %s", link)
		}
		return link
	}
	p1 := get(t, srv, "/search?q="+word+"&country=SE", "")
	if !strings.Contains(p1.body, "People found: 45") || prevLink.MatchString(p1.body) {
		t.Fatalf("first page: count or a previous link wrong")
	}
	l2 := follow(p1.body, nextLink)
	p2 := get(t, srv, l2, "")
	l3 := follow(p2.body, nextLink)
	p3 := get(t, srv, l3, "")
	// The next page starts after the person at position 20, then 40: the API reads it from the
	// first people of each thing the word matched, not from every match.
	for link, want := range map[string]string{l2: "!20", l3: "!40"} {
		if u, _ := url.Parse(link); !strings.HasSuffix(u.Query().Get("after"), want) {
			t.Errorf("the next link %s does not end its after with the position %s", link, want)
		}
	}
	names := func(body string) string { return strings.Join(piaName.FindAllString(body, -1), ",") }
	if n1, n2, n3 := names(p1.body), names(p2.body), names(p3.body); strings.Count(n1, ",") != 19 || strings.Count(n2, ",") != 19 ||
		strings.Count(n3, ",") != 4 || !strings.HasPrefix(n1, "Pia00") || !strings.HasPrefix(n2, "Pia20") || !strings.HasPrefix(n3, "Pia40") {
		t.Fatalf("pages: %s | %s | %s", n1, n2, n3)
	}
	if nextLink.MatchString(p3.body) || !strings.Contains(p3.body, `rel="first"`) {
		t.Error("the last page has a next link or no first link")
	}
	if back := get(t, srv, follow(p3.body, prevLink), ""); names(back.body) != names(p2.body) {
		t.Errorf("previous from page 3 is not page 2: %s", names(back.body))
	}
	if back := get(t, srv, follow(p2.body, prevLink), ""); names(back.body) != names(p1.body) || !strings.Contains(back.body, `name="country" value="SE"`) {
		t.Errorf("previous from page 2 is not page 1 with the filter")
	}
	// A bad id in the address is the "address does not work" page.
	if p := get(t, srv, "/search?after="+gid("Theme", "x"), ""); p.status != http.StatusBadRequest {
		t.Errorf("after=<a theme id> = %d", p.status)
	}
	for _, position := range []string{"0", "-3", "x", ""} {
		u, _ := url.Parse(l2)
		q := u.Query()
		id, _, _ := strings.Cut(q.Get("after"), "!")
		q.Set("after", id+"!3!"+position)
		if p := get(t, srv, "/search?"+q.Encode(), ""); p.status != http.StatusBadRequest {
			t.Errorf("after=<id>!3!%s = %d", position, p.status)
		}
	}
}

// The people lists of the pages (a theme's people here) page back too, with ids only.
func TestPeopleListsPageBack(t *testing.T) {
	pagePeople(t, 25)
	srv := newSite(t)
	path := "/themes/" + gid("Theme", "family-reunification")
	p1 := get(t, srv, path, "")
	m := nextLink.FindStringSubmatch(p1.body)
	if m == nil {
		t.Fatal("the theme page has no next link")
	}
	p2 := get(t, srv, strings.ReplaceAll(m[1], "&amp;", "&"), "")
	m = prevLink.FindStringSubmatch(p2.body)
	if p2.status != http.StatusOK || m == nil || strings.ReplaceAll(m[1], "&amp;", "&") != path {
		t.Fatalf("page 2 of the theme: %d, previous %v", p2.status, m)
	}
	if piaName.FindString(p1.body) == piaName.FindString(p2.body) {
		t.Error("both pages start with the same person")
	}
}
