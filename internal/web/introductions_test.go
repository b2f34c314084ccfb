package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/app"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/metrics"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
)

// Journeys 4 and 6 on the real handler over the test Neo4j: member A (Stockholm, seeks family
// reunification) finds member B (Helsinki, offers it) on /peers with the reasons in words, asks
// for an introduction on B's page, sees the request on /introductions; the secretariat proposes
// it (the API's triage); B accepts on /introductions; only then both see the other's contact
// details.

const introDomain = "@intro-web-test.example.org"

// introPeople writes A and B (members-only, open, consenting) in a scope of the test's own and
// returns their ids.
func introPeople(t *testing.T, store *neo4jstore.Store) (a, b string) {
	t.Helper()
	fx.RemovePeople(t, introDomain)
	t.Cleanup(func() { fx.RemovePeople(t, introDomain) })
	scope := fx.NewScope(t, "intro")
	a, b = scope.ID("a"), scope.ID("b")
	person := func(id, given, family, country, municipality string, mode bridge.ThemeMode, langs []string) bridge.Person {
		return bridge.Person{ID: id, GivenName: given, FamilyName: family, Title: "Integration coordinator",
			Email: strings.ToLower(given) + introDomain, Phone: "+00 555 0142", Languages: langs, CountryCode: country,
			MunicipalityID: municipality, Visibility: bridge.VisibilityMembers, OpenToIntroductions: true,
			IntroductionsPerQuarter: 5, Confirmed: true, Source: bridge.SourceDemo, Demo: true,
			Themes: []bridge.ThemeLink{{ThemeID: "family-reunification", Mode: mode}}, Consents: bridge.ConsentPurposes(),
			Affiliations: []bridge.Affiliation{{OrganisationID: fxOrg, Role: "Adviser"}}}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := store.UpsertPeople(ctx, []bridge.Person{
		person(a, "Astrid", "Asker", "SE", "SE-0180", bridge.ModeSeeks, []string{"sv", "en"}),
		person(b, "Bodil", "Bidrar", "FI", "FI-091", bridge.ModeOffers, []string{"fi", "en"}),
	}); err != nil {
		t.Fatal(err)
	}
	return a, b
}

// introConfig is siteConfig with the introduction limits of a real deployment.
func introConfig() app.Config {
	cfg := siteConfig()
	cfg.Introductions = bridge.Limits{TTL: 30 * 24 * time.Hour, WeeklyPerMember: 5}
	return cfg
}

// siteFor serves the handler over store as principal (as the sign-in middleware would).
func siteFor(t *testing.T, store *neo4jstore.Store, principal bridge.Principal) *httptest.Server {
	t.Helper()
	return siteWith(t, introConfig(), store, principal)
}

func siteWith(t *testing.T, cfg app.Config, store *neo4jstore.Store, principal bridge.Principal) *httptest.Server {
	t.Helper()
	inner := app.Handler(cfg, store, metrics.New(), slog.New(slog.DiscardHandler), nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner.ServeHTTP(w, r.WithContext(bridge.WithActor(r.Context(), bridge.Actor{Principal: principal})))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// post sends a form without following redirects.
func post(t *testing.T, srv *httptest.Server, path string, form url.Values) (int, string, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(srv.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

func member(id string) bridge.Principal {
	return bridge.Principal{Role: bridge.RoleMember, PersonID: id}
}

func TestPeersPageShowsReasonsAndFilters(t *testing.T) {
	store := seedSite(t)
	a, b := introPeople(t, store)
	srv := siteFor(t, store, member(a))
	p := get(t, srv, "/peers", "")
	if p.status != http.StatusOK {
		t.Fatalf("GET /peers = %d: %.300s", p.status, p.body)
	}
	for _, want := range []string{"Bodil Bidrar", `href="/people/` + gid("Person", b) + `"`, "Why you match",
		"You seek Family reunification; they offer it", "You share a working language: English",
		"Works in another Nordic country", `aria-current="page">Peers</a>`, `href="/introductions"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("/peers lacks %q", want)
		}
	}
	if strings.Contains(p.body, "bodil"+introDomain) || strings.Contains(p.body, "555 0142") {
		t.Error("/peers shows contact details")
	}
	sv := get(t, srv, "/peers", "sv")
	if !strings.Contains(sv.body, "Du söker Familjeåterförening; de erbjuder det") {
		t.Errorf("the Swedish /peers lacks the reason in Swedish")
	}
	// Filters are GET parameters handed to PeerFilter: B works in Finland, not in Norway.
	if p := get(t, srv, "/peers?country=NO", ""); strings.Contains(p.body, "Bodil Bidrar") || !strings.Contains(p.body, `value="NO" id="f-country-`) {
		t.Errorf("/peers?country=NO still suggests B, or lacks the country filter")
	}
	if p := get(t, srv, "/peers?country=FI&language=en&nothome=1", ""); !strings.Contains(p.body, "Bodil Bidrar") {
		t.Errorf("/peers?country=FI&language=en&nothome=1 does not suggest B")
	}

	// Someone signed in without a profile is told why; a signed-out visitor may not see the page.
	noProfile := siteFor(t, store, bridge.Principal{Role: bridge.RoleMember})
	if p := get(t, noProfile, "/peers", ""); p.status != http.StatusOK || !strings.Contains(p.body, "Suggestions start with your profile") {
		t.Errorf("without a profile /peers = %d: %.300s", p.status, p.body)
	}
	anon := siteFor(t, store, bridge.Anonymous)
	if p := get(t, anon, "/peers", ""); p.status != http.StatusForbidden || strings.Contains(p.body, "Bodil") {
		t.Errorf("signed out /peers = %d", p.status)
	}
	if p := get(t, anon, "/introductions", ""); p.status != http.StatusForbidden {
		t.Errorf("signed out /introductions = %d", p.status)
	}
	if p := get(t, anon, "/", ""); strings.Contains(p.body, `href="/peers"`) {
		t.Error("the signed-out navigation links to /peers")
	}
}

var clientRequestID = regexp.MustCompile(`name="clientRequestId" value="([^"]+)"`)

func TestAskForAnIntroductionAndAcceptIt(t *testing.T) {
	store := seedSite(t)
	a, b := introPeople(t, store)
	siteA, siteB := siteFor(t, store, member(a)), siteFor(t, store, member(b))
	secretariat := siteFor(t, store, bridge.Principal{Role: bridge.RoleSecretariat})
	theme := gid("Theme", "family-reunification")

	page := get(t, siteA, "/people/"+gid("Person", b), "")
	for _, want := range []string{"Ask for an introduction", `<label for="ask-message">`, `<textarea id="ask-message" name="message"`,
		`<select id="ask-theme" name="theme"`, `value="` + theme + `" selected`, "How you are connected",
		"Astrid Asker and Bodil Bidrar both work at Web Page Test Centre (demo)"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("B's page lacks %q", want)
		}
	}
	m := clientRequestID.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatal("the ask form has no clientRequestId")
	}
	// An empty message is explained on the form, in the visitor's language; nothing is asked.
	form := url.Values{"to": {gid("Person", b)}, "theme": {theme}, "message": {"  "}, "clientRequestId": {m[1]}}
	status, _, body := post(t, siteA, "/introductions", form)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Write a few words about why") || !strings.Contains(body, `aria-invalid="true"`) {
		t.Errorf("an empty message: %d %.400s", status, body)
	}
	form.Set("message", "We both work on family reunification; I would like to learn how Helsinki does it.")
	for range 2 { // the same form twice makes one request
		status, loc, body := post(t, siteA, "/introductions", form)
		if status != http.StatusSeeOther || loc != "/introductions" {
			t.Fatalf("POST /introductions = %d to %q: %.400s", status, loc, body)
		}
	}
	mine := get(t, siteA, "/introductions", "")
	if n := strings.Count(mine.body, `<article class="intro-item"`); n != 1 || !strings.Contains(mine.body, "Bodil Bidrar") ||
		!strings.Contains(mine.body, "Asked: the secretariat is looking at it") || !strings.Contains(mine.body, "learn how Helsinki does it") {
		t.Fatalf("A's /introductions after asking (%d items): %.2000s", n, mine.body)
	}
	if strings.Contains(get(t, siteB, "/introductions", "").body, "Astrid") {
		t.Error("B sees A's request before the secretariat proposed it")
	}

	// The secretariat proposes the request to B (triageIntroduction through the API).
	ids := introductionIDs(t, siteA)
	if len(ids) != 1 {
		t.Fatalf("A has %d introductions", len(ids))
	}
	graphql(t, secretariat, `mutation($id: ID!) { triageIntroduction(input: {introduction: $id}) { status } }`, map[string]any{"id": ids[0]})

	inbox := get(t, siteB, "/introductions", "")
	for _, want := range []string{"Waiting for your answer", "Astrid Asker", "learn how Helsinki does it", `<label for="note-`,
		`action="/introductions/` + ids[0] + `/accept"`, `formaction="/introductions/` + ids[0] + `/decline"`} {
		if !strings.Contains(inbox.body, want) {
			t.Errorf("B's inbox lacks %q", want)
		}
	}
	for _, s := range []*httptest.Server{siteA, siteB} {
		if body := get(t, s, "/introductions", "").body; strings.Contains(body, introDomain) || strings.Contains(body, "555 0142") {
			t.Fatal("contact details are shown before both accepted")
		}
	}
	status, loc, body := post(t, siteB, "/introductions/"+ids[0]+"/accept", url.Values{"note": {"Happy to talk."}})
	if status != http.StatusSeeOther || loc != "/introductions" {
		t.Fatalf("accept = %d to %q: %.300s", status, loc, body)
	}
	forA, forB := get(t, siteA, "/introductions", ""), get(t, siteB, "/introductions", "")
	if !strings.Contains(forA.body, "mailto:bodil"+introDomain) || !strings.Contains(forA.body, "Introduced: you both said yes") {
		t.Errorf("A does not see B's contact details after both accepted: %.2000s", forA.body)
	}
	if !strings.Contains(forB.body, "mailto:astrid"+introDomain) || !strings.Contains(forB.body, "555 0142") {
		t.Errorf("B does not see A's contact details after both accepted: %.3000s", forB.body)
	}
	// Answering again is explained, not a crash.
	if status, _, body := post(t, siteB, "/introductions/"+ids[0]+"/decline", nil); status < 400 || strings.Contains(body, "NOT_POSSIBLE") ||
		!strings.Contains(body, `id="introductions-error"`) {
		t.Errorf("declining an accepted introduction: %d %.300s", status, body)
	}
	// How did it go? One click each; the answer shows instead of the buttons, and the other side
	// is not told what was answered.
	if !strings.Contains(forA.body, "How did it go?") || !strings.Contains(forA.body, `action="/introductions/`+ids[0]+`/followup"`) {
		t.Fatalf("A is not asked how it went: %.3000s", forA.body)
	}
	if status, _, _ := post(t, siteA, "/introductions/"+ids[0]+"/followup", url.Values{"outcome": {"GREAT"}}); status != http.StatusBadRequest {
		t.Errorf("an unknown answer: %d", status)
	}
	status, loc, body = post(t, siteA, "/introductions/"+ids[0]+"/followup", url.Values{"outcome": {"USEFUL"}})
	if status != http.StatusSeeOther || loc != "/introductions?done=followup" {
		t.Fatalf("follow-up = %d to %q: %.300s", status, loc, body)
	}
	forA = get(t, siteA, "/introductions?done=followup", "")
	if !strings.Contains(forA.body, "You said: We met, and it was useful.") || strings.Contains(forA.body, `/followup"`) ||
		!strings.Contains(forA.body, "the secretariat has your answer") {
		t.Errorf("A's page after answering: %.3000s", forA.body)
	}
	if forB := get(t, siteB, "/introductions", ""); strings.Contains(forB.body, "You said") || !strings.Contains(forB.body, "How did it go?") {
		t.Errorf("B's page after A answered: %.3000s", forB.body)
	}
}

// Why a request cannot be made is explained on the form in the visitor's language, never with
// the API's code or text: not possible (a person not open to introductions), too many this week,
// and asking for oneself (a bad address).
func TestAskFormExplainsWhyNot(t *testing.T) {
	store := seedSite(t)
	a, b := introPeople(t, store)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	closed := fx.NewScope(t, "closed").ID("c")
	if _, err := store.UpsertPeople(ctx, []bridge.Person{{ID: closed, GivenName: "Cecilia", FamilyName: "Closed",
		Email: "cecilia" + introDomain, CountryCode: "NO", Visibility: bridge.VisibilityMembers, Confirmed: true,
		Source: bridge.SourceDemo, Demo: true, Themes: []bridge.ThemeLink{{ThemeID: "family-reunification", Mode: bridge.ModeOffers}},
		Consents: bridge.ConsentPurposes()}}); err != nil {
		t.Fatal(err)
	}
	siteA := siteFor(t, store, member(a))
	if p := get(t, siteA, "/people/"+gid("Person", closed), ""); !strings.Contains(p.body, "This person is not taking introductions") ||
		strings.Contains(p.body, `id="ask-form"`) {
		t.Errorf("the page of someone not open to introductions offers the form")
	}
	ask := func(srv *httptest.Server, to string) (int, string) {
		status, _, body := post(t, srv, "/introductions", url.Values{"to": {gid("Person", to)},
			"theme": {gid("Theme", "family-reunification")}, "message": {"Hello"}, "clientRequestId": {"web-" + to}})
		for _, internal := range []string{"NOT_POSSIBLE", "RATE_LIMITED", "BAD_USER_INPUT", "not possible:", "yourself"} {
			if strings.Contains(body, internal) {
				t.Errorf("the page shows %q", internal)
			}
		}
		return status, body
	}
	if status, body := ask(siteA, closed); status != http.StatusConflict || !strings.Contains(body, "An introduction to this person is not possible at the moment") ||
		!strings.Contains(body, `id="ask-error"`) {
		t.Errorf("asking for someone not open = %d: %.300s", status, body)
	}
	if status, _ := ask(siteA, a); status != http.StatusBadRequest {
		t.Errorf("asking for oneself = %d", status)
	}
	cfg := introConfig()
	cfg.Introductions.WeeklyPerMember = 0
	busy := siteWith(t, cfg, store, member(a))
	if status, body := ask(busy, b); status != http.StatusTooManyRequests || !strings.Contains(body, "You have asked for several introductions this week") {
		t.Errorf("over the weekly limit = %d: %.300s", status, body)
	}
}

// introductionIDs are the ids of the accept/decline or the items of /introductions, read through
// the API as the site's principal.
func introductionIDs(t *testing.T, srv *httptest.Server) []string {
	t.Helper()
	data := graphql(t, srv, `{ introductions { edges { node { id } } } }`, nil)
	var v struct {
		Introductions struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range v.Introductions.Edges {
		out = append(out, e.Node.ID)
	}
	return out
}

// graphql runs one operation on /graphql as the site's principal and fails on any error.
func graphql(t *testing.T, srv *httptest.Server, query string, vars map[string]any) json.RawMessage {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Data   json.RawMessage
		Errors []json.RawMessage
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Errors) > 0 {
		t.Fatalf("%s: %v %s", query, err, out.Errors)
	}
	return out.Data
}
