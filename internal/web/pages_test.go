package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/app"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/metrics"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// The page tests run the whole binary's handler (internal/app, as `bridge serve` builds it) over
// the test Neo4j with the reference data and three people of their own: one public, one visible
// to members and one to the secretariat only, all with e-mail addresses and phone numbers.

const (
	fxPublic  = "7e1d0c52-0001-4a57-9a55-00000000web1"
	fxMembers = "7e1d0c52-0002-4a57-9a55-00000000web2"
	fxHidden  = "7e1d0c52-0003-4a57-9a55-00000000web3"
	fxOrg     = "7e1d0c52-0004-4a57-9a55-00000000web4"
	fxWord    = "Webbsidestest"
	fxGroup   = "expert-group-early-intervention"
	fxEvent   = "oslo-2017-civil-society-culture"
	// fxPractice is a knowledge item with the three people, the organisation and Helsinki behind it.
	fxPractice = "test-web-practice-language-cafes"
)

func gid(typ, key string) string { return bridge.GlobalID(typ, key) }

func newSite(t *testing.T) *httptest.Server {
	t.Helper()
	return newSiteAs(t, nil)
}

// newSiteAs serves the site with principal in every request's context, as the sign-in
// middleware will put it there (nil: anonymous).
func newSiteAs(t *testing.T, principal *bridge.Principal) *httptest.Server {
	t.Helper()
	store := seedSite(t)
	h := app.Handler(siteConfig(), store, metrics.New(), slog.New(slog.DiscardHandler), nil)
	if principal != nil {
		inner := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			inner.ServeHTTP(w, r.WithContext(bridge.WithActor(r.Context(), bridge.Actor{Principal: *principal})))
		})
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// seedSite is the test Neo4j with the page tests' organisation and three people.
func seedSite(t *testing.T) *neo4jstore.Store {
	t.Helper()
	store := testneo4j.Prepared(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := store.UpsertOrganisations(ctx, []bridge.Organisation{{ID: fxOrg, Name: "Web Page Test Centre (demo)",
		Kind: bridge.OrgCivilSociety, CountryCode: "FI", MunicipalityID: "FI-091", Active: true, Demo: true}}); err != nil {
		t.Fatal(err)
	}
	person := func(id, given, family string, vis bridge.Visibility) bridge.Person {
		return bridge.Person{ID: id, GivenName: given, FamilyName: family, Title: "Coordinator",
			Bio: "Works on family reunification (" + fxWord + ").", Email: strings.ToLower(given) + "@web-test.example.org",
			Phone: "+00 555 0199", Languages: []string{"fi", "sv"}, CountryCode: "FI", MunicipalityID: "FI-091",
			Visibility: vis, OpenToIntroductions: true, IntroductionsPerQuarter: 3, Confirmed: true,
			Source: bridge.SourceDemo, Demo: true, Themes: []bridge.ThemeLink{{ThemeID: "family-reunification", Mode: bridge.ModeOffers}},
			Affiliations: []bridge.Affiliation{{OrganisationID: fxOrg, Role: "Adviser"}},
			Memberships:  []bridge.Membership{{GroupID: fxGroup, Role: bridge.GroupRoleMember, Since: "2020-01-01"}},
			EventIDs:     []string{fxEvent}, Consents: bridge.ConsentPurposes()}
	}
	people := []bridge.Person{
		person(fxPublic, "Julkinen", "Verkkonen", bridge.VisibilityPublic),
		person(fxMembers, "Medlemmi", "Jäsenen", bridge.VisibilityMembers),
		person(fxHidden, "Salainen", "Piilotettu", bridge.VisibilitySecretariat),
	}
	if _, err := store.UpsertPeople(ctx, people); err != nil {
		t.Fatal(err)
	}
	practice := bridge.Practice{ID: fxPractice, Title: "Language cafés with families (web test)", Kind: bridge.PracticeGood,
		Summary: "Volunteers meet newly arrived families in the library.", Year: 2023, URL: "https://example.org/language-cafes",
		ThemeIDs: []string{"family-reunification"}, CountryCodes: []string{"FI"}, OrganisationIDs: []string{fxOrg},
		MunicipalityIDs: []string{"FI-091"}, PersonIDs: []string{fxPublic, fxMembers, fxHidden}}
	if err := store.SaveProgrammeItem(ctx, practice, bridge.AuditEntry{Action: bridge.AuditSavePractice, ActorRole: bridge.RoleSecretariat,
		RequestID: "web-test"}); err != nil {
		t.Fatal(err)
	}
	return store
}

type page struct {
	status int
	header http.Header
	body   string
}

func get(t *testing.T, srv *httptest.Server, path, acceptLanguage string) page {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if acceptLanguage != "" {
		req.Header.Set("Accept-Language", acceptLanguage)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return page{resp.StatusCode, resp.Header, string(body)}
}

// signedOutPages are every page of journey 1, with a text each must show (in English).
func signedOutPages() map[string]string {
	return map[string]string{
		"/":       "Meet the people who work on the same integration issues",
		"/themes": "A shared vocabulary in every Nordic language",
		"/themes/" + gid("Theme", "family-reunification"): "People who work on this theme",
		"/groups":                                "Expert groups and networks",
		"/groups/" + gid("ExpertGroup", fxGroup): "Members",
		"/events":                                "Seminars and conferences",
		"/events/" + gid("Event", fxEvent):       "Participants",
		"/practices":                             "Good practices, projects and publications",
		"/practices/" + gid("Practice", fxPractice): "Julkinen Verkkonen",
		"/countries":                 "The five Nordic countries",
		"/municipalities?country=FI": "Helsinki",
		"/municipalities/" + gid("Municipality", "FI-091"): "People based here",
		"/organisations": "Ministries, agencies",
		"/organisations/" + gid("Organisation", fxOrg): "Web Page Test Centre",
		"/people/" + gid("Person", fxPublic):           "Julkinen Verkkonen",
		"/search":                                      "Narrow down",
		"/search?q=" + fxWord:                          "Julkinen Verkkonen",
		"/search?q=Helsinki&country=FI":                "Helsinki",
	}
}

var emailAddress = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}`)

func TestSignedOutPagesRenderWithoutHiddenPeopleOrContactDetails(t *testing.T) {
	srv := newSite(t)
	for path, want := range signedOutPages() {
		p := get(t, srv, path, "")
		if p.status != http.StatusOK {
			t.Errorf("GET %s = %d: %.300s", path, p.status, p.body)
			continue
		}
		if !strings.Contains(p.body, `<html lang="en">`) {
			t.Errorf("GET %s: no <html lang=\"en\">", path)
		}
		if !strings.Contains(p.body, want) {
			t.Errorf("GET %s: %q is not on the page", path, want)
		}
		for _, leak := range []string{"Salainen", "Piilotettu", fxHidden, gid("Person", fxHidden),
			"Medlemmi", fxMembers, "555 0199", "web-test.example.org"} {
			if strings.Contains(p.body, leak) {
				t.Errorf("GET %s shows %q to a signed-out visitor", path, leak)
			}
		}
		if m := emailAddress.FindString(p.body); m != "" {
			t.Errorf("GET %s shows an e-mail address: %s", path, m)
		}
	}
	// The hidden and the members-only person have no page for a signed-out visitor: the same
	// answer as an id that does not exist.
	for _, id := range []string{fxHidden, fxMembers, "7e1d0c52-0009-4a57-9a55-000000000000"} {
		p := get(t, srv, "/people/"+gid("Person", id), "")
		if p.status != http.StatusNotFound || !strings.Contains(p.body, "Page not found") {
			t.Errorf("GET /people/<%s> = %d, want the 404 page", id, p.status)
		}
		if strings.Contains(p.body, "Salainen") || strings.Contains(p.body, "Medlemmi") {
			t.Errorf("the 404 page of %s names the person", id)
		}
	}
}

// The public person's page shows their profile, never their contact details.
func TestPersonPageShowsProfileWithoutContactDetails(t *testing.T) {
	srv := newSite(t)
	p := get(t, srv, "/people/"+gid("Person", fxPublic), "sv")
	for _, want := range []string{"Julkinen Verkkonen", "Coordinator", "Web Page Test Centre", "Familjeåterförening", "erbjuder erfarenhet", "finska"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the person page lacks %q", want)
		}
	}
	if strings.Contains(p.body, "julkinen@") || strings.Contains(p.body, "555 0199") {
		t.Errorf("the person page shows contact details")
	}
}

// Each page is in the visitor's language (Accept-Language), with the lang attribute, translated
// UI texts and theme labels from the graph in that language.
func TestPagesSpeakTheVisitorsLanguage(t *testing.T) {
	srv := newSite(t)
	for _, tc := range []struct {
		accept, lang string
		texts        map[string]string
	}{
		{"sv-SE,sv;q=0.9,en;q=0.5", "sv", map[string]string{
			"/":          "Möt dem som arbetar med samma integrationsfrågor",
			"/themes":    "Familjeåterförening",
			"/search":    "Avgränsa",
			"/countries": "Finland",
			"/events":    "Evenemang",
			"/municipalities/" + gid("Municipality", "FI-091"): "Personer här",
			"/people/" + gid("Person", fxPublic):               "Arbetsspråk",
		}},
		{"fi", "fi", map[string]string{
			"/":                                  "Tapaa ihmiset, jotka työskentelevät",
			"/themes":                            "Perheenyhdistäminen",
			"/search":                            "Rajaa",
			"/countries":                         "Ruotsi",
			"/events":                            "Tapahtumat",
			"/organisations":                     "Organisaatiot",
			"/people/" + gid("Person", fxPublic): "Työkielet",
		}},
		{"nn-NO", "nb", map[string]string{"/": "Møt dem som arbeider"}},
		{"da", "da", map[string]string{"/": "Mød dem, der arbejder"}},
		{"is", "is", map[string]string{"/": "Kynnstu þeim sem vinna"}},
		{"de-DE", "en", map[string]string{"/": "Meet the people"}},
	} {
		for path, want := range tc.texts {
			p := get(t, srv, path, tc.accept)
			if p.status != http.StatusOK {
				t.Errorf("%s GET %s = %d", tc.accept, path, p.status)
				continue
			}
			if !strings.Contains(p.body, `<html lang="`+tc.lang+`">`) {
				t.Errorf("%s GET %s: the page is not lang=%s", tc.accept, path, tc.lang)
			}
			if !strings.Contains(p.body, want) {
				t.Errorf("%s GET %s: %q is not on the page", tc.accept, path, want)
			}
		}
	}
}

// The chooser's choice sticks: ?lang= sets the cookie and redirects to the page without it; the
// cookie then wins over Accept-Language.
func TestLanguageChoiceSticks(t *testing.T) {
	srv := newSite(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(srv.URL + "/themes?lang=is")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/themes" {
		t.Fatalf("?lang=is: %d to %q, want 303 to /themes", resp.StatusCode, resp.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "bridge_lang" {
			cookie = c
		}
	}
	if cookie == nil || cookie.Value != "is" || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode {
		t.Fatalf("language cookie: %+v", cookie)
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/themes", nil)
	req.Header.Set("Accept-Language", "sv")
	req.AddCookie(cookie)
	resp, err = client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `<html lang="is">`) || !strings.Contains(string(body), "Þemu") {
		t.Errorf("with the cookie the page is not Icelandic: %.400s", body)
	}
}

// Every page carries the security headers; scripts and styles come from files only.
func TestSecurityHeaders(t *testing.T) {
	srv := newSite(t)
	for _, path := range []string{"/", "/search", "/no-such-page", "/people/not-an-id", "/assets/bridge.css"} {
		p := get(t, srv, path, "")
		csp := p.header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("GET %s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("GET %s: CSP allows inline code: %q", path, csp)
		}
		if p.header.Get("X-Content-Type-Options") != "nosniff" || p.header.Get("Referrer-Policy") == "" {
			t.Errorf("GET %s: headers %v", path, p.header)
		}
		if strings.Contains(p.body, "<script>") || strings.Contains(p.body, "<style") || strings.Contains(p.body, " style=") ||
			strings.Contains(p.body, " onclick=") {
			t.Errorf("GET %s has inline script or style", path)
		}
	}
}

// Errors are friendly pages in the visitor's language, with no internals.
func TestErrorPagesAreFriendly(t *testing.T) {
	srv := newSite(t)
	for _, tc := range []struct {
		path   string
		status int
		text   string
	}{
		{"/no-such-page", 404, "Sidan hittades inte"},
		{"/themes/" + gid("Theme", "no-such-theme"), 404, "Sidan hittades inte"},
		{"/themes/not-an-id", 400, "Adressen fungerar inte"},
		{"/organisations?after=not-a-cursor", 400, "Adressen fungerar inte"},
	} {
		p := get(t, srv, tc.path, "sv")
		if p.status != tc.status || !strings.Contains(p.body, tc.text) || !strings.Contains(p.body, `<html lang="sv">`) {
			t.Errorf("GET %s = %d, want %d with %q: %.300s", tc.path, p.status, tc.status, tc.text, p.body)
		}
		for _, internal := range []string{"BAD_USER_INPUT", "NOT_FOUND", "graphql", "neo4j", "not a valid"} {
			if strings.Contains(p.body, internal) {
				t.Errorf("GET %s shows %q", tc.path, internal)
			}
		}
	}
}

// Paging follows the API's cursors: the next page of municipalities differs from the first and
// links back to it; the cursor is the only thing added to the address.
func TestMunicipalitiesPageWithCursors(t *testing.T) {
	srv := newSite(t)
	first := get(t, srv, "/municipalities?country=SE", "")
	next := regexp.MustCompile(`href="(/municipalities\?[^"]*after=[^"]+)" rel="next"`).FindStringSubmatch(first.body)
	if next == nil {
		t.Fatalf("no next link on the first page of Swedish municipalities")
	}
	second := get(t, srv, strings.ReplaceAll(next[1], "&amp;", "&"), "")
	if second.status != 200 || !strings.Contains(second.body, `rel="first"`) {
		t.Fatalf("second page: %d", second.status)
	}
	name := regexp.MustCompile(`<td><a href="/municipalities/[^"]+">([^<]+)</a>`)
	a, b := name.FindStringSubmatch(first.body), name.FindStringSubmatch(second.body)
	if a == nil || b == nil || a[1] == b[1] {
		t.Errorf("the pages start with the same municipality: %v %v", a, b)
	}
}

// Pages read as the principal in the request's context: a member sees the members-only person
// (never the hidden one, and no contact details), through the same executor and rules.
func TestPagesReadAsThePrincipalInContext(t *testing.T) {
	srv := newSiteAs(t, &bridge.Principal{Role: bridge.RoleMember})
	p := get(t, srv, "/people/"+gid("Person", fxMembers), "")
	if p.status != http.StatusOK || !strings.Contains(p.body, "Medlemmi") {
		t.Fatalf("a member does not see the members-only person: %d", p.status)
	}
	search := get(t, srv, "/search?q="+fxWord, "")
	if !strings.Contains(search.body, "Medlemmi") || !strings.Contains(search.body, "Julkinen") {
		t.Errorf("a member's search lacks the public or the members-only person")
	}
	for _, page := range []page{p, search} {
		if strings.Contains(page.body, "Salainen") || emailAddress.MatchString(page.body) || strings.Contains(page.body, "555 0199") {
			t.Errorf("a member's page shows the hidden person or contact details")
		}
	}
	if p := get(t, srv, "/people/"+gid("Person", fxHidden), ""); p.status != http.StatusNotFound {
		t.Errorf("a member gets the hidden person's page: %d", p.status)
	}
}

// siteConfig is the composition's configuration of the page tests.
func siteConfig() app.Config {
	return app.Config{MaxBodyBytes: 1 << 20, ComplexityLimit: 50_000, DepthLimit: 10, SelectionLimit: 200,
		ParserTokenLimit: 5000, ReadyTimeout: 2 * time.Second, RequestTimeout: 20 * time.Second}
}
