package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
)

// The secretariat's desk (issue 14, brokering) on the real handler over the test Neo4j: member A
// asks for "someone in Finland on family reunification"; the secretariat finds the request in the
// queue (filters and counts), opens it, sees B among the candidates with the reasons, proposes it
// to B, records B's answer given by phone and A's by e-mail (each after a confirmation), sees the
// introduction INTRODUCED with the history in words, and records the outcome.

var secretariatPrincipal = bridge.Principal{Role: bridge.RoleSecretariat}

// askSomeoneIn is a request for someone on family reunification in country, through the API as
// srv's member; it returns the introduction's global id.
func askSomeoneIn(t *testing.T, srv *httptest.Server, country, clientID string) string {
	t.Helper()
	data := graphql(t, srv, `mutation($in: RequestIntroductionInput!) { requestIntroduction(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"theme": gid("Theme", "family-reunification"), "country": country,
			"message": "Who in " + country + " works on family reunification?", "clientRequestId": clientID}})
	var v struct{ RequestIntroduction struct{ ID string } }
	if err := json.Unmarshal(data, &v); err != nil || v.RequestIntroduction.ID == "" {
		t.Fatalf("requestIntroduction: %v %s", err, data)
	}
	return v.RequestIntroduction.ID
}

func TestDeskIsForTheSecretariatOnly(t *testing.T) {
	store := seedSite(t)
	a, _ := introPeople(t, store)
	id := askSomeoneIn(t, siteFor(t, store, member(a)), "FI", "desk-only-"+a)
	desk := siteFor(t, store, secretariatPrincipal)
	if p := get(t, desk, "/", ""); !strings.Contains(p.body, `<a class="me-link" href="/desk" id="nav-desk">Secretariat&#39;s desk</a>`) {
		t.Errorf("the secretariat's header lacks the desk link: %.2000s", p.body)
	}
	for name, principal := range map[string]bridge.Principal{"member": member(a), "signed out": bridge.Anonymous} {
		srv := siteFor(t, store, principal)
		if p := get(t, srv, "/", ""); strings.Contains(p.body, `href="/desk"`) {
			t.Errorf("%s: the header links to the desk", name)
		}
		want := http.StatusNotFound
		if !principal.SignedIn() {
			want = http.StatusForbidden // no sign-in path here; the real site redirects to it
		}
		for _, path := range []string{"/desk", "/desk?status=REQUESTED", "/desk/introductions/" + id} {
			if p := get(t, srv, path, ""); p.status != want || strings.Contains(p.body, "Astrid") || strings.Contains(p.body, "Secretariat&#39;s desk") {
				t.Errorf("%s: GET %s = %d (want %d)", name, path, p.status, want)
			}
		}
		status, _, body := post(t, srv, "/desk/introductions/"+id+"/close", url.Values{"confirmed": {"1"}})
		if status != want || strings.Contains(body, "Astrid") {
			t.Errorf("%s: POST close = %d (want %d)", name, status, want)
		}
	}
	// Nothing was closed by them.
	if p := get(t, desk, "/desk/introductions/"+id, ""); !strings.Contains(p.body, `<dd id="desk-status">Requested</dd>`) {
		t.Errorf("after the refused posts the request is no longer open: %.3000s", p.body)
	}
}

func TestDeskBrokersARequest(t *testing.T) {
	store := seedSite(t)
	a, b := introPeople(t, store)
	siteA := siteFor(t, store, member(a))
	id := askSomeoneIn(t, siteA, "FI", "desk-broker-"+a)
	desk := siteFor(t, store, secretariatPrincipal)

	// The queue: the request is there, with its people, the country asked for and its age; the
	// filters narrow it and the counts follow the other filters.
	q := get(t, desk, "/desk?country=FI&theme="+url.QueryEscape(gid("Theme", "family-reunification")), "")
	if q.status != http.StatusOK {
		t.Fatalf("GET /desk = %d: %.500s", q.status, q.body)
	}
	for _, want := range []string{`id="row-` + id + `"`, `href="/desk/introductions/` + id + `"`, "Astrid Asker", "Finland", "Today",
		`aria-current="page">Secretariat&#39;s desk</a>`, `<label for="f-waited">`, `value="FI" selected`} {
		if !strings.Contains(q.body, want) {
			t.Errorf("the queue lacks %q", want)
		}
	}
	if !strings.Contains(q.body, `value="REQUESTED" id="f-status-0">`) || strings.Contains(q.body, `Requested <span class="count">(0)</span>`) {
		t.Errorf("the status filter does not count the request: %.3000s", q.body)
	}
	for _, path := range []string{"/desk?status=PROPOSED", "/desk?country=NO", "/desk?waited=3", "/desk?outcome=USEFUL"} {
		if p := get(t, desk, path, ""); p.status != http.StatusOK || strings.Contains(p.body, `id="row-`+id+`"`) {
			t.Errorf("%s = %d, still lists the request", path, p.status)
		}
	}
	if p := get(t, desk, "/desk?status=REQUESTED&waited=0", ""); !strings.Contains(p.body, `id="row-`+id+`"`) && !strings.Contains(p.body, `id="next-page"`) {
		t.Errorf("/desk?status=REQUESTED lacks the request and has no next page")
	}
	if p := get(t, desk, "/desk?waited=soon", ""); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="f-waited-error"`) ||
		!strings.Contains(p.body, `aria-invalid="true" aria-describedby="f-waited-error"`) {
		t.Errorf("/desk?waited=soon = %d without the error next to the field", p.status)
	}

	// One request: the requester, the message, the candidates in Finland with reasons.
	page := get(t, desk, "/desk/introductions/"+id, "")
	for _, want := range []string{"Astrid Asker", "Who in FI works on family reunification?", "Someone in Finland",
		`id="propose-form"`, `value="` + gid("Person", b) + `"`, "Bodil Bidrar", "An introduction is possible now.",
		"One of the two offers what the other wants to learn: Family reunification", "Astrid Asker asked for the introduction.",
		`id="close-form"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the request's page lacks %q", want)
		}
	}
	if strings.Contains(page.body, `id="answer-form"`) || strings.Contains(page.body, `id="outcome-form"`) {
		t.Error("a request offers to record answers or an outcome")
	}
	// Proposing without choosing anyone is explained next to the choice.
	status, _, body := post(t, desk, "/desk/introductions/"+id+"/propose", nil)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `<p class="field-error" id="recipient-error">Choose who to propose it to.</p>`) {
		t.Errorf("proposing to nobody = %d: %.300s", status, body)
	}
	status, loc, body := post(t, desk, "/desk/introductions/"+id+"/propose", url.Values{"recipient": {gid("Person", b)}})
	if status != http.StatusSeeOther || loc != "/desk/introductions/"+id+"?done=propose" {
		t.Fatalf("propose = %d to %q: %.500s", status, loc, body)
	}
	page = get(t, desk, loc, "")
	for _, want := range []string{`<dd id="desk-status">Proposed</dd>`, "Proposed: both sides are asked to accept.",
		"The secretariat proposed it to both sides.", `id="answer-form"`, `<label for="answer-channel">`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("after proposing the page lacks %q", want)
		}
	}

	// B's answer by phone: missing choices are explained next to their fields; then a confirmation.
	status, _, body = post(t, desk, "/desk/introductions/"+id+"/answer", url.Values{"channel": {"PHONE"}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="person-error"`) || !strings.Contains(body, `id="accept-error"`) {
		t.Errorf("an answer without person and answer = %d: %.300s", status, body)
	}
	answer := url.Values{"person": {gid("Person", b)}, "accept": {"yes"}, "channel": {"PHONE"}, "note": {"Glad to help, call me."}}
	status, _, body = post(t, desk, "/desk/introductions/"+id+"/answer", answer)
	if status != http.StatusOK || !strings.Contains(body, "Record this answer?") || !strings.Contains(body, "Bodil Bidrar accepted, by phone.") ||
		!strings.Contains(body, `name="confirmed" value="1"`) || !strings.Contains(body, "This cannot be undone.") {
		t.Fatalf("the answer's confirmation = %d: %.2000s", status, body)
	}
	if p := get(t, desk, "/desk/introductions/"+id, ""); !strings.Contains(p.body, `<dd id="desk-status">Proposed</dd>`) || strings.Contains(p.body, "Glad to help") {
		t.Error("the answer was recorded before it was confirmed")
	}
	answer.Set("confirmed", "1")
	if status, loc, body := post(t, desk, "/desk/introductions/"+id+"/answer", answer); status != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=answer") {
		t.Fatalf("confirmed answer = %d to %q: %.500s", status, loc, body)
	}
	answerA := url.Values{"person": {gid("Person", a)}, "accept": {"yes"}, "channel": {"EMAIL"}, "confirmed": {"1"}}
	if status, _, body := post(t, desk, "/desk/introductions/"+id+"/answer", answerA); status != http.StatusSeeOther {
		t.Fatalf("A's answer = %d: %.500s", status, body)
	}
	page = get(t, desk, "/desk/introductions/"+id, "")
	for _, want := range []string{`<dd id="desk-status">Introduced</dd>`, "Accepted: recorded by the secretariat for Bodil Bidrar by phone.",
		"Accepted: recorded by the secretariat for Astrid Asker by e-mail.", "Glad to help, call me.", `id="outcome-form"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the introduced page lacks %q", want)
		}
	}
	if strings.Contains(page.body, `id="close-form"`) || strings.Contains(page.body, `id="answer-form"`) {
		t.Error("an introduction that happened can still be closed or answered")
	}
	sv := get(t, desk, "/desk/introductions/"+id, "sv")
	if !strings.Contains(sv.body, "Tackade ja: registrerat av sekretariatet för Bodil Bidrar per telefon.") {
		t.Error("the Swedish history lacks the answer recorded by phone")
	}
	// B sees A's contact details, as if B had accepted in Bridge.
	if forB := get(t, siteFor(t, store, member(b)), "/introductions", ""); !strings.Contains(forB.body, "mailto:astrid"+introDomain) {
		t.Error("after the recorded answers B does not see A's contact details")
	}

	// The outcome, confirmed, completes it; the queue finds it by outcome.
	if status, _, body := post(t, desk, "/desk/introductions/"+id+"/outcome", nil); status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="outcome-error"`) {
		t.Errorf("an outcome without a choice = %d", status)
	}
	if status, _, body := post(t, desk, "/desk/introductions/"+id+"/outcome", url.Values{"outcome": {"USEFUL"}}); status != http.StatusOK ||
		!strings.Contains(body, "Outcome: Useful. The introduction is then completed.") {
		t.Errorf("the outcome's confirmation = %d: %.500s", status, body)
	}
	if status, _, body := post(t, desk, "/desk/introductions/"+id+"/outcome", url.Values{"outcome": {"USEFUL"}, "confirmed": {"1"}}); status != http.StatusSeeOther {
		t.Fatalf("the outcome = %d: %.500s", status, body)
	}
	if p := get(t, desk, "/desk/introductions/"+id, ""); !strings.Contains(p.body, `<dd id="desk-status">Completed</dd>`) || !strings.Contains(p.body, "The secretariat recorded the outcome.") {
		t.Errorf("after the outcome: %.3000s", p.body)
	}
	if p := get(t, desk, "/desk?outcome=USEFUL&country=FI", ""); !strings.Contains(p.body, `id="row-`+id+`"`) || !strings.Contains(p.body, "Completed (Useful)") {
		t.Errorf("the queue by outcome lacks the introduction")
	}
	// Recording the outcome again is explained, not a crash.
	if status, _, body := post(t, desk, "/desk/introductions/"+id+"/outcome", url.Values{"outcome": {"MET"}, "confirmed": {"1"}}); status != http.StatusConflict ||
		!strings.Contains(body, `id="desk-error"`) {
		t.Errorf("a second outcome = %d: %.300s", status, body)
	}
}

func TestDeskClosesARequest(t *testing.T) {
	store := seedSite(t)
	a, _ := introPeople(t, store)
	id := askSomeoneIn(t, siteFor(t, store, member(a)), "FI", "desk-close-"+a)
	desk := siteFor(t, store, secretariatPrincipal)
	form := url.Values{"note": {"Nobody fits at the moment."}}
	status, _, body := post(t, desk, "/desk/introductions/"+id+"/close", form)
	if status != http.StatusOK || !strings.Contains(body, "Close this introduction?") || !strings.Contains(body, `class="danger" id="confirm"`) {
		t.Fatalf("the close confirmation = %d: %.1000s", status, body)
	}
	form.Set("confirmed", "1")
	if status, loc, body := post(t, desk, "/desk/introductions/"+id+"/close", form); status != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=close") {
		t.Fatalf("close = %d to %q: %.500s", status, loc, body)
	}
	p := get(t, desk, "/desk/introductions/"+id, "")
	if !strings.Contains(p.body, `<dd id="desk-status">Withdrawn</dd>`) || !strings.Contains(p.body, "The secretariat withdrew or closed it.") ||
		strings.Contains(p.body, `id="desk-actions"`) {
		t.Errorf("after closing: %.3000s", p.body)
	}
	if p := get(t, desk, "/desk/introductions/"+gid("Introduction", "no-such-introduction"), ""); p.status != http.StatusNotFound {
		t.Errorf("an unknown introduction = %d", p.status)
	}
}

// A candidate who cannot take an introduction now (no introductions left this quarter) is listed
// with that said, and proposing to them is explained on the form, not a crash.
func TestDeskCandidatesSayWhetherPossible(t *testing.T) {
	store := seedSite(t)
	a, b := introPeople(t, store)
	full := fx.NewScope(t, "full").ID("f")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := store.UpsertPeople(ctx, []bridge.Person{{ID: full, GivenName: "Frida", FamilyName: "Full",
		Email: "frida" + introDomain, Languages: []string{"sv", "en"}, CountryCode: "FI", MunicipalityID: "FI-091",
		Visibility: bridge.VisibilityMembers, OpenToIntroductions: true, IntroductionsPerQuarter: 0, Confirmed: true,
		Source: bridge.SourceDemo, Demo: true, Themes: []bridge.ThemeLink{{ThemeID: "family-reunification", Mode: bridge.ModeOffers}},
		Consents: bridge.ConsentPurposes()}}); err != nil {
		t.Fatal(err)
	}
	id := askSomeoneIn(t, siteFor(t, store, member(a)), "FI", "desk-possible-"+a)
	desk := siteFor(t, store, secretariatPrincipal)
	page := get(t, desk, "/desk/introductions/"+id, "")
	candidate := func(person string) string {
		i := strings.Index(page.body, `value="`+gid("Person", person)+`"`)
		if i < 0 {
			section := page.body
			if j := strings.Index(section, `id="candidates"`); j >= 0 {
				section = section[j:]
			}
			t.Fatalf("%s is not a candidate: %.6000s", person, section)
		}
		rest := page.body[i:]
		if end := strings.Index(rest, `class="card candidate"`); end >= 0 {
			rest = rest[:end]
		}
		if end := strings.Index(rest, "</ol>"); end >= 0 {
			rest = rest[:end]
		}
		return rest
	}
	if c := candidate(b); !strings.Contains(c, "An introduction is possible now.") {
		t.Errorf("B's candidate entry: %s", c)
	}
	if c := candidate(full); !strings.Contains(c, "An introduction is not possible now") || !strings.Contains(c, "Frida Full") {
		t.Errorf("Frida's candidate entry: %s", c)
	}
	status, _, body := post(t, desk, "/desk/introductions/"+id+"/propose", url.Values{"recipient": {gid("Person", full)}})
	if status != http.StatusConflict || !strings.Contains(body, `id="desk-error"`) || strings.Contains(body, "NOT_POSSIBLE") {
		t.Errorf("proposing to someone with no introductions left = %d: %.500s", status, body)
	}
}

// A request that names the person: they are the first choice, already chosen, and proposing
// keeps them.
func TestDeskProposesToThePersonNamed(t *testing.T) {
	store := seedSite(t)
	a, b := introPeople(t, store)
	siteA := siteFor(t, store, member(a))
	data := graphql(t, siteA, `mutation($in: RequestIntroductionInput!) { requestIntroduction(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"to": gid("Person", b), "theme": gid("Theme", "family-reunification"),
			"message": "I would like to meet Bodil.", "clientRequestId": "desk-named-" + a}})
	var v struct{ RequestIntroduction struct{ ID string } }
	if err := json.Unmarshal(data, &v); err != nil || v.RequestIntroduction.ID == "" {
		t.Fatalf("requestIntroduction: %v %s", err, data)
	}
	id := v.RequestIntroduction.ID
	desk := siteFor(t, store, secretariatPrincipal)
	page := get(t, desk, "/desk/introductions/"+id, "")
	if !strings.Contains(page.body, `value="`+gid("Person", b)+`" id="recipient-0" checked`) || !strings.Contains(page.body, "(named by the member)") {
		t.Fatalf("the person named is not the first, chosen candidate: %.4000s", page.body)
	}
	if strings.Contains(page.body, "Someone in") {
		t.Error("a request naming a person reads as one for someone in a country")
	}
	status, loc, body := post(t, desk, "/desk/introductions/"+id+"/propose", url.Values{"recipient": {gid("Person", b)}})
	if status != http.StatusSeeOther {
		t.Fatalf("propose to the person named = %d to %q: %.500s", status, loc, body)
	}
	if p := get(t, desk, "/desk/introductions/"+id, ""); !strings.Contains(p.body, `<dd id="desk-status">Proposed</dd>`) {
		t.Errorf("after proposing: %.2000s", p.body)
	}
	if inbox := get(t, siteFor(t, store, member(b)), "/introductions", ""); !strings.Contains(inbox.body, "I would like to meet Bodil.") {
		t.Error("B is not asked")
	}
}

// TestDeskNotesAndWhoHandlesIt: the secretariat adds an internal note (an empty one is explained
// next to the field), takes the request ("I'll handle it"), finds it under "Me" in the queue with
// "You" as its handler, and a colleague sees their address and may take it over; the member who
// asked never sees the note nor who handles it.
func TestDeskNotesAndWhoHandlesIt(t *testing.T) {
	store := seedSite(t)
	a, _ := introPeople(t, store)
	siteA := siteFor(t, store, member(a))
	id := askSomeoneIn(t, siteA, "FI", "desk-notes-"+a)
	account := func(email string) bridge.Principal {
		return bridge.Principal{Role: bridge.RoleSecretariat, Account: &bridge.Account{Issuer: "https://id.example.org",
			Subject: email + "-" + a, Email: email, EmailVerified: true}}
	}
	desk, colleague := siteFor(t, store, account("anna@desk.example.org")), siteFor(t, store, account("bo@desk.example.org"))
	path := "/desk/introductions/" + id

	status, _, body := post(t, desk, path+"/note", url.Values{"text": {"  "}})
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="note-text-error"`) || !strings.Contains(body, "Write the note first.") {
		t.Fatalf("an empty note: %d %.300s", status, body)
	}
	status, loc, _ := post(t, desk, path+"/note", url.Values{"text": {"Called Astrid: she prefers someone near Turku."}})
	if status != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=note") {
		t.Fatalf("adding a note: %d %s", status, loc)
	}
	page := get(t, desk, path+"?done=note", "")
	for _, want := range []string{"The note is added.", "Called Astrid: she prefers someone near Turku.", `<dd id="desk-handler">Nobody yet</dd>`, `id="take"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("after the note the page lacks %q", want)
		}
	}
	if status, loc, _ := post(t, desk, path+"/take", nil); status != http.StatusSeeOther || !strings.HasSuffix(loc, "?done=take") {
		t.Fatalf("taking it: %d %s", status, loc)
	}
	if p := get(t, desk, path, ""); !strings.Contains(p.body, `<dd id="desk-handler">You</dd>`) || !strings.Contains(p.body, `id="release"`) {
		t.Errorf("after taking it: %.3000s", p.body)
	}
	mine := get(t, desk, "/desk?handled=ME", "")
	if !strings.Contains(mine.body, `id="row-`+id+`"`) || !strings.Contains(mine.body, `<option value="ME" selected>`) {
		t.Errorf("the queue of mine lacks the request")
	}
	if p := get(t, desk, "/desk?handled=NOBODY", ""); strings.Contains(p.body, `id="row-`+id+`"`) {
		t.Errorf("the queue of nobody's lists the request taken")
	}
	if p := get(t, colleague, path, ""); !strings.Contains(p.body, `<dd id="desk-handler">anna@desk.example.org</dd>`) || !strings.Contains(p.body, "Take it over") {
		t.Errorf("a colleague's view of who handles it: %.3000s", p.body)
	}
	if p := get(t, colleague, "/desk?handled=OTHERS", ""); !strings.Contains(p.body, `id="row-`+id+`"`) {
		t.Errorf("the colleague's queue of others' lacks the request")
	}
	raw := graphql(t, siteA, `query($id: ID!) { introduction(id: $id) { notes { text } handler } }`, map[string]any{"id": id})
	if strings.Contains(string(raw), "Turku") || strings.Contains(string(raw), "anna@") {
		t.Errorf("the member reads %s", raw)
	}
}

// TestDeskStatistics: the outcome statistics page counts the request just made in this month
// (chart, tiles and tables agree), a malformed month is explained next to its field, a backwards
// range next to "to", and a member finds nothing there.
func TestDeskStatistics(t *testing.T) {
	store := seedSite(t)
	a, _ := introPeople(t, store)
	desk := siteFor(t, store, secretariatPrincipal)
	before := get(t, desk, "/desk/statistics", "")
	if before.status != http.StatusOK {
		t.Fatalf("GET /desk/statistics = %d", before.status)
	}
	askSomeoneIn(t, siteFor(t, store, member(a)), "FI", "desk-stats-"+a)
	page := get(t, desk, "/desk/statistics", "")
	made := func(body string) int {
		m := regexp.MustCompile(`<dd id="total-0">(\d+)</dd>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no total of introductions made: %.2000s", body)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	if made(page.body) != made(before.body)+1 {
		t.Errorf("made: %d before the request, %d after", made(before.body), made(page.body))
	}
	thisMonth := time.Now().UTC().Format("2006-01")
	for _, want := range []string{`<svg viewBox="0 0 760 260" role="img" aria-labelledby="chart-title"`, `id="table-months"`, `id="table-countries"`,
		"<th scope=\"row\">Finland</th>", "Family reunification", `value="` + thisMonth + `"`, `class="bar series-0"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the statistics lack %q", want)
		}
	}
	if p := get(t, desk, "/desk/statistics?from=March", ""); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="stats-from-error"`) {
		t.Errorf("a malformed month: %d", p.status)
	}
	if p := get(t, desk, "/desk/statistics?from=2026-05&to=2026-01", ""); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="stats-to-error"`) {
		t.Errorf("a backwards range: %d", p.status)
	}
	if p := get(t, desk, "/desk/statistics?from=2025-01&to=2025-03", ""); p.status != http.StatusOK || !strings.Contains(p.body, "January 2025 to March 2025") ||
		strings.Count(p.body, `<tr><th scope="row">`) < 3 {
		t.Errorf("three months of 2025: %d %.3000s", p.status, p.body)
	}
	if p := get(t, siteFor(t, store, member(a)), "/desk/statistics", ""); p.status != http.StatusNotFound || strings.Contains(p.body, "total-0") {
		t.Errorf("a member: %d", p.status)
	}
}
