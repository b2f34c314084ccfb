package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/app"
	"github.com/nordic-integration/bridge/internal/auth"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/metrics"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
)

// The tests of /me (journeys 3 and 7) sign in as an account without a profile, resolved to its
// person on every request as the sign-in middleware does (auth.PrincipalFor), so that the profile
// the first visit's form creates is the viewer's from the next request on.

func newSiteSignedIn(t *testing.T, subject string) (*httptest.Server, *neo4jstore.Store) {
	t.Helper()
	store := seedSite(t)
	inner := app.Handler(siteConfig(), store, metrics.New(), slog.New(slog.DiscardHandler), nil)
	id := auth.Identity{Issuer: "https://signin.web-test.example.org", Subject: subject + "-" + given,
		Email: signedInEmail(subject), EmailVerified: true, Role: bridge.RoleMember}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := auth.PrincipalFor(r.Context(), store, id)
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		inner.ServeHTTP(w, r.WithContext(bridge.WithActor(r.Context(), bridge.Actor{Principal: p})))
	}))
	t.Cleanup(srv.Close)
	return srv, store
}

// signedInEmail is the verified e-mail address of newSiteSignedIn's account for subject.
func signedInEmail(subject string) string { return subject + "-" + given + "@web-test.example.org" }

// siteOver serves the site over store as principal.
func siteOver(t *testing.T, store *neo4jstore.Store, principal bridge.Principal) *httptest.Server {
	t.Helper()
	inner := app.Handler(siteConfig(), store, metrics.New(), slog.New(slog.DiscardHandler), nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner.ServeHTTP(w, r.WithContext(bridge.WithActor(r.Context(), bridge.Actor{Principal: principal})))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// postForm sends a form without following the redirect.
func postForm(t *testing.T, srv *httptest.Server, path string, form url.Values) page {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", "en")
	client := *srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
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

// uniqueGiven is a given name of its own for each test run (the test database keeps people between
// runs), so that a test finds only its own person.
func uniqueGiven() string {
	b := []byte("Ingrid")
	for _, n := range rand.Perm(26)[:6] {
		b = append(b, byte('a'+n))
	}
	return string(b)
}

var given = uniqueGiven()

func firstVisit() url.Values {
	return url.Values{"givenName": {given}, "familyName": {"Växjöstedt"}, "title": {"Integration coordinator"},
		"country": {"SE"}, "municipality": {"Växjö"}, "languages": {"sv", "en"}, "visibility": {"MEMBERS"}, "open": {"on"},
		"introductionsPerQuarter": {"3"}}
}

// createProfile posts the first visit's form and answers the profile form's values as /me shows them.
func createProfile(t *testing.T, srv *httptest.Server) {
	t.Helper()
	createProfileWith(t, srv, firstVisit())
}

func createProfileWith(t *testing.T, srv *httptest.Server, form url.Values) {
	t.Helper()
	if p := get(t, srv, "/me", "en"); p.status != http.StatusOK || !strings.Contains(p.body, `id="create-form"`) {
		t.Fatalf("without a profile /me answers %d without the first visit's form", p.status)
	}
	p := postForm(t, srv, "/me/create", form)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/me?done=created" {
		t.Fatalf("creating answers %d to %q: %s", p.status, p.header.Get("Location"), p.body)
	}
}

// formValue is the value attribute of the input named name on the page.
func formValue(t *testing.T, body, name string) string {
	t.Helper()
	i := strings.Index(body, `name="`+name+`" value="`)
	if i < 0 {
		t.Fatalf("no input %q on the page", name)
	}
	rest := body[i+len(`name="`+name+`" value="`):]
	return rest[:strings.Index(rest, `"`)]
}

// profileForm is the profile form as /me fills it in.
func profileForm(t *testing.T, srv *httptest.Server) url.Values {
	t.Helper()
	p := get(t, srv, "/me", "en")
	if !strings.Contains(p.body, `id="profile-form"`) {
		t.Fatalf("/me shows no profile form: %s", p.body)
	}
	f := url.Values{"country": {"SE"}, "languages": {"sv", "en"}, "open": {"on"}}
	for _, k := range []string{"version", "givenName", "familyName", "title", "municipality", "phone", "introductionsPerQuarter"} {
		f.Set(k, formValue(t, p.body, k))
	}
	return f
}

func TestFirstVisitFormCreatesTheProfile(t *testing.T) {
	srv, store := newSiteSignedIn(t, "first-visit")
	createProfile(t, srv)
	p := get(t, srv, "/me?done=created", "en")
	for _, want := range []string{"Your profile is created.", `value="` + given + `"`, `value="Växjöstedt"`, `value="Växjö"`,
		`value="Integration coordinator"`, `id="vis-MEMBERS" name="visibility" value="MEMBERS" checked`, `id="lang-sv" name="languages" value="sv" checked`,
		`id="themes-form"`, `id="give-SUGGEST"`, `id="nav-me"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("after the first visit, /me lacks %q", want)
		}
	}
	if strings.Contains(p.body, `id="create-form"`) {
		t.Error("with a profile, /me still shows the first visit's form")
	}
	// Members see the new profile (visibility MEMBERS was chosen in the form).
	i := strings.Index(p.body, `href="/people/`)
	if i < 0 {
		t.Fatal("/me does not link to the profile as others see it")
	}
	path := p.body[i+len(`href="`):]
	path = path[:strings.Index(path, `"`)]
	member := siteOver(t, store, bridge.Principal{Role: bridge.RoleMember})
	if s := get(t, member, path, "en"); s.status != http.StatusOK || !strings.Contains(s.body, given+" Växjöstedt") {
		t.Errorf("another member cannot see the new profile at %s: %d", path, s.status)
	}
	if s := get(t, siteOver(t, store, bridge.Anonymous), path, "en"); s.status != http.StatusNotFound {
		t.Errorf("signed out, the members-only profile answers %d", s.status)
	}
}

func TestProfileUpdateSendsOnlyTheChangedFields(t *testing.T) {
	srv, _ := newSiteSignedIn(t, "update-only")
	createProfile(t, srv)
	loaded := profileForm(t, srv)

	changed := profileForm(t, srv)
	changed.Set("title", "Head of integration")
	if p := postForm(t, srv, "/me/profile", changed); p.status != http.StatusSeeOther {
		t.Fatalf("saving answers %d: %s", p.status, p.body)
	}
	after := profileForm(t, srv)
	if after.Get("title") != "Head of integration" {
		t.Fatalf("title after saving: %q", after.Get("title"))
	}
	for _, k := range []string{"givenName", "familyName", "municipality"} {
		if after.Get(k) != loaded.Get(k) {
			t.Errorf("%s changed from %q to %q", k, loaded.Get(k), after.Get(k))
		}
	}
	// A form with the version loaded before that save and no change sends nothing, so it is no
	// conflict (had it sent the unchanged fields, the stale version would be one) …
	fresh := profileForm(t, srv)
	fresh.Set("version", loaded.Get("version"))
	if p := postForm(t, srv, "/me/profile", fresh); p.status != http.StatusSeeOther {
		t.Fatalf("an unchanged form with a stale version answers %d: %s", p.status, p.body)
	}
	// … and with a change it is refused with the advice to reload, changing nothing.
	stale := loaded
	stale.Set("familyName", "Stale")
	p := postForm(t, srv, "/me/profile", stale)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Reload the page") {
		t.Fatalf("a stale change answers %d without the advice to reload", p.status)
	}
	if got := profileForm(t, srv).Get("familyName"); got != "Växjöstedt" {
		t.Fatalf("the stale change was saved: %q", got)
	}
}

// TestCreatingTwiceLeadsToTheProfile: a second submit of the first visit's form (a double click,
// the back button) is the API's CONFLICT; the person lands on their profile with a note, not on
// an error.
func TestCreatingTwiceLeadsToTheProfile(t *testing.T) {
	srv, _ := newSiteSignedIn(t, "create-twice")
	createProfile(t, srv)
	p := postForm(t, srv, "/me/create", firstVisit())
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/me?done=exists" {
		t.Fatalf("the second submit answers %d to %q", p.status, p.header.Get("Location"))
	}
	p = get(t, srv, "/me?done=exists", "en")
	if !strings.Contains(p.body, "You already have a profile: here it is.") || !strings.Contains(p.body, `id="profile-form"`) ||
		strings.Contains(p.body, "changed somewhere else") {
		t.Fatal("after the second submit /me does not show the profile with the note")
	}
}

// TestClaimingAnImportedProfile: the secretariat imported a profile (unconfirmed, with an
// organisation) with the e-mail address the person signs in with; the first visit's form claims
// it: the same person, now confirmed, with the details entered and the organisation named added
// to the import's, and /me says what happened. A
// profile with the address that cannot be claimed (already confirmed) is refused in words.
func TestClaimingAnImportedProfile(t *testing.T) {
	scope := fx.NewScope(t, "web-claim")
	email := signedInEmail("claim")
	imported := fx.Person(t, fx.PersonSpec{ID: scope.ID("imported"), GivenName: "Imported", FamilyName: "Byimport",
		Name: "Imported Byimport", Email: email, EmailKey: strings.ToLower(email), Unconfirmed: true, Source: "IMPORT",
		Visibility: "SECRETARIAT", WorksAt: []fx.Organisation{{ID: scope.ID("agency"), Name: "Claimtest Agency " + given}}})
	srv, _ := newSiteSignedIn(t, "claim")
	if p := get(t, srv, "/me", "en"); !strings.Contains(p.body, "If the secretariat already added you, this form takes over that profile.") {
		t.Error("the first visit's form does not say that it takes over an imported profile")
	}
	f := firstVisit()
	f.Set("organisation", "Web Page Test Centre (demo)")
	p := postForm(t, srv, "/me/create", f)
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/me?done=claimed" {
		t.Fatalf("claiming answers %d to %q: %s", p.status, p.header.Get("Location"), p.body)
	}
	p = get(t, srv, "/me?done=claimed", "en")
	for _, want := range []string{"The secretariat had already added you to Bridge", `href="/people/` + gid("Person", imported) + `"`,
		`value="Växjöstedt"`, `id="vis-MEMBERS" name="visibility" value="MEMBERS" checked`, ">Claimtest Agency " + given + "</a>",
		">Web Page Test Centre (demo)</a>"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("/me after claiming lacks %q", want)
		}
	}
	if stored := fx.StoredPerson(t, imported); stored["confirmed"] != true || stored["familyName"] != "Växjöstedt" {
		t.Errorf("the imported profile after the claim: %v", stored)
	}

	taken := signedInEmail("claim-taken")
	fx.Person(t, fx.PersonSpec{ID: scope.ID("confirmed"), GivenName: "Already", FamilyName: "Confirmed", Name: "Already Confirmed",
		Email: taken, EmailKey: strings.ToLower(taken), Visibility: "SECRETARIAT"})
	other, _ := newSiteSignedIn(t, "claim-taken")
	p = postForm(t, other, "/me/create", firstVisit())
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/me?done=exists" {
		t.Fatalf("creating over a confirmed profile answers %d to %q", p.status, p.header.Get("Location"))
	}
	p = get(t, other, "/me?done=exists", "en")
	if !strings.Contains(p.body, "There is already a profile with your e-mail address") || !strings.Contains(p.body, `id="create-form"`) {
		t.Fatal("/me does not say that a profile with the address exists that this sign-in cannot take over")
	}
}

// TestAffiliations: the person names their organisation on the first visit's form and adds more on
// /me, choosing from a list when several organisations have the name (what works without
// JavaScript; the field's suggestions come from /me/organisations), with a role and since when;
// problems are shown at their fields; an organisation is removed with its own button.
func TestAffiliations(t *testing.T) {
	srv, store := newSiteSignedIn(t, "affiliations")
	scope := fx.NewScope(t, "web-affiliations")
	agency, office := "Affiliationtest Agency "+given, "Affiliationtest Office "+given
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := store.UpsertOrganisations(ctx, []bridge.Organisation{
		{ID: scope.ID("agency"), Name: agency, Kind: bridge.OrgNationalAgency, CountryCode: "SE", Active: true},
		{ID: scope.ID("office-no"), Name: office, Kind: bridge.OrgMunicipality, CountryCode: "NO", Active: true},
		{ID: scope.ID("office-fi"), Name: office, Kind: bridge.OrgMunicipality, CountryCode: "FI", MunicipalityID: "FI-091", Active: true},
	}); err != nil {
		t.Fatal(err)
	}
	agencyID, officeFI := gid("Organisation", scope.ID("agency")), gid("Organisation", scope.ID("office-fi"))

	// The first visit's form: a name that matches nothing is refused at the field …
	f := firstVisit()
	f.Set("organisation", "Nosuchorganisation "+given)
	p := postForm(t, srv, "/me/create", f)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `<p class="field-error" id="organisation-error">No organisation of that name.`) {
		t.Fatalf("an unknown organisation answers %d without the error at the field", p.status)
	}
	// … the name, in any case, is the organisation.
	f.Set("organisation", strings.ToLower(agency))
	createProfileWith(t, srv, f)
	p = get(t, srv, "/me", "en")
	if !strings.Contains(p.body, `<a href="/organisations/`+agencyID+`">`+agency+`</a>`) || !strings.Contains(p.body, `id="remove-`+agencyID+`"`) {
		t.Fatal("after the first visit /me does not list the organisation chosen, with a way to remove it")
	}

	// Suggestions for the type-ahead: each name once.
	var names []string
	if s := get(t, srv, "/me/organisations?q="+url.QueryEscape("Affiliationtest Off"), "en"); json.Unmarshal([]byte(s.body), &names) != nil ||
		!slices.Equal(names, []string{office}) {
		t.Fatalf("suggestions for Affiliationtest Off: %s", s.body)
	}

	// Two organisations have the name: the form lists them to choose from, keeping what was typed.
	add := url.Values{"organisation": {office}, "role": {"Adviser"}, "since": {"2021-03-01"}}
	p = postForm(t, srv, "/me/affiliations", add)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="organisation-choices"`) ||
		strings.Count(p.body, `name="organisationId"`) != 2 || !strings.Contains(p.body, `value="`+officeFI+`"`) ||
		!strings.Contains(p.body, `(Helsinki, Finland)`) || !strings.Contains(p.body, `id="organisation-error"`) || !strings.Contains(p.body, `value="Adviser"`) {
		t.Fatalf("an ambiguous name answers %d without the list to choose from:\n%s", p.status, p.body)
	}
	add.Set("organisationId", officeFI)
	if p := postForm(t, srv, "/me/affiliations", add); p.status != http.StatusSeeOther {
		t.Fatalf("choosing from the list answers %d: %s", p.status, p.body)
	}
	p = get(t, srv, "/me", "en")
	if !strings.Contains(p.body, `<a href="/organisations/`+officeFI+`">`+office+`</a> – Adviser <span class="meta">(since 1 March 2021)</span>`) ||
		!strings.Contains(p.body, `href="/organisations/`+agencyID+`"`) {
		t.Fatal("/me does not list both organisations, the new one with its role and date")
	}

	// A start in the future is refused at the date.
	future := url.Values{"organisation": {agency}, "since": {time.Now().AddDate(1, 0, 0).Format(time.DateOnly)}}
	if p := postForm(t, srv, "/me/affiliations", future); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="since-error"`) {
		t.Fatalf("a start in the future answers %d without the error at the date", p.status)
	}

	// Removing one leaves the other.
	if p := postForm(t, srv, "/me/affiliations", url.Values{"remove": {agencyID}}); p.status != http.StatusSeeOther {
		t.Fatalf("removing answers %d", p.status)
	}
	p = get(t, srv, "/me", "en")
	if strings.Contains(p.body, `href="/organisations/`+agencyID+`"`) || !strings.Contains(p.body, `href="/organisations/`+officeFI+`"`) {
		t.Fatal("removing an organisation did not remove just that one")
	}
}

func TestFormErrorsAppearNextToTheirFields(t *testing.T) {
	srv, _ := newSiteSignedIn(t, "field-errors")
	f := firstVisit()
	f.Set("givenName", "")
	p := postForm(t, srv, "/me/create", f)
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("an empty given name answers %d", p.status)
	}
	for _, want := range []string{`aria-invalid="true" aria-describedby="givenName-error"`,
		`<p class="field-error" id="givenName-error">Fill in this field.</p>`, `value="Växjöstedt"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("the form lacks %q", want)
		}
	}
	if strings.Contains(p.body, "BAD_USER_INPUT") || strings.Contains(p.body, "input.givenName") {
		t.Error("the form shows the API's internals")
	}

	f = firstVisit()
	f.Set("municipality", "Tromsø") // in Norway, not Sweden
	p = postForm(t, srv, "/me/create", f)
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="municipality-error"`) {
		t.Fatalf("a municipality of another country answers %d without an error at the field", p.status)
	}

	f = firstVisit()
	f.Set("title", strings.Repeat("Long title ", 100))
	req := postForm(t, srv, "/me/create", f)
	if req.status != http.StatusUnprocessableEntity || !strings.Contains(req.body, `id="title-error"`) {
		t.Fatalf("a title the API refuses answers %d without an error at the field", req.status)
	}
	if p := get(t, srv, "/me", "en"); !strings.Contains(p.body, `id="create-form"`) {
		t.Fatal("a refused form created a profile")
	}
}

// TestIntroductionsPerQuarter: the person chooses how many introductions a quarter they take, on
// the first visit's form and on /me; 0 is "not now"; a value the API refuses (its bounds) or that
// is no number is shown at the field.
func TestIntroductionsPerQuarter(t *testing.T) {
	srv, _ := newSiteSignedIn(t, "per-quarter")
	first := get(t, srv, "/me", "en")
	if formValue(t, first.body, "introductionsPerQuarter") != "3" || !strings.Contains(first.body, "0 means not now") {
		t.Fatal("the first visit's form does not offer introductions a quarter (3 by default, 0 explained)")
	}
	f := firstVisit()
	f.Set("introductionsPerQuarter", "5")
	createProfileWith(t, srv, f)
	loaded := profileForm(t, srv)
	if got := loaded.Get("introductionsPerQuarter"); got != "5" {
		t.Fatalf("after the first visit with 5, /me shows %q", got)
	}
	for _, bad := range []string{"21", "-1", "many"} {
		changed := profileForm(t, srv)
		changed.Set("introductionsPerQuarter", bad)
		p := postForm(t, srv, "/me/profile", changed)
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `<p class="field-error" id="introductionsPerQuarter-error">Enter a whole number from 0 to 20`) {
			t.Errorf("%q answers %d without the error at the field", bad, p.status)
		}
	}
	changed := profileForm(t, srv)
	changed.Set("introductionsPerQuarter", "0")
	if p := postForm(t, srv, "/me/profile", changed); p.status != http.StatusSeeOther {
		t.Fatalf("0 answers %d: %s", p.status, p.body)
	}
	after := profileForm(t, srv)
	if after.Get("introductionsPerQuarter") != "0" || after.Get("title") != loaded.Get("title") {
		t.Fatalf("after saving 0: %v", after)
	}
}

func TestThemesVisibilityConsentsAndPause(t *testing.T) {
	srv, _ := newSiteSignedIn(t, "themes-consents")
	createProfile(t, srv)
	theme := gid("Theme", "family-reunification")
	if p := postForm(t, srv, "/me/themes", url.Values{"theme." + theme: {"SEEKS"}}); p.status != http.StatusSeeOther {
		t.Fatalf("themes answer %d", p.status)
	}
	if p := postForm(t, srv, "/me/consent", url.Values{"give": {"SUGGEST"}, "policyVersion": {policyVersion(t, srv)}}); p.status != http.StatusSeeOther {
		t.Fatalf("giving consent answers %d: %s", p.status, p.body)
	}
	if p := postForm(t, srv, "/me/visibility", url.Values{"visibility": {"PUBLIC"}}); p.status != http.StatusSeeOther {
		t.Fatalf("visibility answers %d", p.status)
	}
	if p := postForm(t, srv, "/me/pause", nil); p.status != http.StatusSeeOther {
		t.Fatalf("pause answers %d", p.status)
	}
	p := get(t, srv, "/me", "en")
	for _, want := range []string{`name="theme.` + theme + `">`, `<option value="SEEKS" selected>`, `id="withdraw-SUGGEST"`,
		`id="give-INTRODUCE"`, `id="consent-SUGGEST-state">Given on `, `id="vis-PUBLIC" name="visibility" value="PUBLIC" checked`, `id="paused-note"`, `id="resume"`} {
		if !strings.Contains(p.body, want) {
			t.Errorf("/me lacks %q", want)
		}
	}
	if p := postForm(t, srv, "/me/resume", nil); p.status != http.StatusSeeOther {
		t.Fatalf("resume answers %d", p.status)
	}
	if p := postForm(t, srv, "/me/consent", url.Values{"withdraw": {"SUGGEST"}}); p.status != http.StatusSeeOther {
		t.Fatalf("withdrawing answers %d", p.status)
	}
	p = get(t, srv, "/me", "en")
	if strings.Contains(p.body, `id="paused-note"`) || !strings.Contains(p.body, `id="give-SUGGEST"`) {
		t.Error("after resuming and withdrawing, /me still shows the pause or the consent")
	}
}

// TestConsentWithAnExpiry: a consent given until a date shows that date and can be withdrawn; a
// date in the past (the API refuses it) or no date at all is shown at the purpose's date field.
func TestConsentWithAnExpiry(t *testing.T) {
	srv, _ := newSiteSignedIn(t, "consent-expiry")
	createProfile(t, srv)
	p := get(t, srv, "/me", "en")
	if !strings.Contains(p.body, `<input type="date" id="expires-INTRODUCE" name="expiresAt"`) || !strings.Contains(p.body, "Leave this empty to give your consent until you withdraw it.") {
		t.Fatal("/me offers no optional end date, explained, for a consent")
	}
	policy := policyVersion(t, srv)
	for _, bad := range []string{time.Now().UTC().AddDate(0, 0, -2).Format(time.DateOnly), "30.6.2031"} {
		p := postForm(t, srv, "/me/consent", url.Values{"give": {"INTRODUCE"}, "policyVersion": {policy}, "expiresAt": {bad}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `<p class="field-error" id="expires-INTRODUCE-error">`) ||
			!strings.Contains(p.body, `value="`+bad+`"`) {
			t.Fatalf("the end date %q answers %d without the error at the field", bad, p.status)
		}
	}
	year := time.Now().Year() + 1
	until := fmt.Sprintf("%d-06-30", year)
	if p := postForm(t, srv, "/me/consent", url.Values{"give": {"INTRODUCE"}, "policyVersion": {policy}, "expiresAt": {until}}); p.status != http.StatusSeeOther {
		t.Fatalf("giving consent until %s answers %d: %s", until, p.status, p.body)
	}
	p = get(t, srv, "/me", "en")
	if want := fmt.Sprintf(`It ends on 30 June %d.`, year); !strings.Contains(p.body, want) || !strings.Contains(p.body, `id="withdraw-INTRODUCE"`) {
		t.Fatalf("/me does not say the consent ends on 30 June %d, or offers no withdrawal", year)
	}
	if p := postForm(t, srv, "/me/consent", url.Values{"withdraw": {"INTRODUCE"}}); p.status != http.StatusSeeOther {
		t.Fatalf("withdrawing answers %d", p.status)
	}
	if p := get(t, srv, "/me", "en"); !strings.Contains(p.body, `id="give-INTRODUCE"`) || strings.Contains(p.body, "It ends on") {
		t.Fatal("after withdrawing, /me still shows the consent")
	}
}

func policyVersion(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	return formValue(t, get(t, srv, "/me", "en").body, "policyVersion")
}

func TestExportDownloadsTheJSON(t *testing.T) {
	srv, _ := newSiteSignedIn(t, "export")
	createProfile(t, srv)
	p := postForm(t, srv, "/me/export", nil)
	if p.status != http.StatusOK {
		t.Fatalf("export answers %d", p.status)
	}
	if cd := p.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".json") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(p.body), &doc); err != nil {
		t.Fatalf("the download is not JSON: %v", err)
	}
	if !strings.Contains(p.body, given) || !strings.Contains(p.body, "Växjöstedt") {
		t.Fatalf("the export lacks the person's name: %.300s", p.body)
	}
}

func TestEraseNeedsTheConfirmationWord(t *testing.T) {
	srv, store := newSiteSignedIn(t, "erase")
	f := firstVisit()
	f.Set("familyName", "Raderasson")
	createProfileWith(t, srv, f)
	if s := get(t, siteOver(t, store, bridge.Principal{Role: bridge.RoleSecretariat}), "/search?q="+given, "en"); !strings.Contains(s.body, given+" Raderasson") {
		t.Fatal("the secretariat does not find the new person")
	}
	if p := get(t, srv, "/me/erase", "sv"); p.status != http.StatusOK || !strings.Contains(p.body, "RADERA") {
		t.Fatalf("the confirmation page answers %d without the Swedish word", p.status)
	}
	p := postForm(t, srv, "/me/erase", url.Values{"confirm": {"yes"}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="confirm-error"`) {
		t.Fatalf("a wrong word answers %d without an error at the field", p.status)
	}
	if p := get(t, srv, "/me", "en"); !strings.Contains(p.body, `id="profile-form"`) {
		t.Fatal("a wrong word erased the profile")
	}
	p = postForm(t, srv, "/me/erase", url.Values{"confirm": {"erase"}})
	if p.status != http.StatusSeeOther || p.header.Get("Location") != "/me/erased" {
		t.Fatalf("erasing answers %d to %q", p.status, p.header.Get("Location"))
	}
	if p := get(t, srv, "/me/erased", "en"); !strings.Contains(p.body, "Your profile is erased") {
		t.Error("the landing page after erasure says nothing")
	}
	if p := get(t, srv, "/me", "en"); !strings.Contains(p.body, `id="create-form"`) {
		t.Fatal("after erasure /me still shows a profile")
	}
	member := siteOver(t, store, bridge.Principal{Role: bridge.RoleSecretariat})
	if s := get(t, member, "/search?q="+given, "en"); strings.Contains(s.body, given+" Raderasson") {
		t.Error("the secretariat still finds the erased person")
	}
}

func TestMeIsForSignedInVisitors(t *testing.T) {
	srv := newSite(t)
	if p := get(t, srv, "/me", "en"); p.status != http.StatusForbidden {
		t.Errorf("signed out, /me answers %d", p.status)
	}
	if p := postForm(t, srv, "/me/export", nil); p.status != http.StatusForbidden {
		t.Errorf("signed out, export answers %d", p.status)
	}
	if p := postForm(t, srv, "/me/create", firstVisit()); p.status != http.StatusForbidden {
		t.Errorf("signed out, the first visit's form answers %d", p.status)
	}
	if p := postForm(t, srv, "/me/affiliations", url.Values{"organisation": {"Web Page Test Centre (demo)"}}); p.status != http.StatusForbidden {
		t.Errorf("signed out, the organisations form answers %d", p.status)
	}
	if p := get(t, srv, "/me/organisations?q=Web+Page", "en"); p.status != http.StatusForbidden {
		t.Errorf("signed out, organisation suggestions answer %d", p.status)
	}
	if p := get(t, srv, "/", "en"); strings.Contains(p.body, `id="nav-me"`) {
		t.Error("signed out, the header links to My profile")
	}
}

func TestMunicipalitySuggestions(t *testing.T) {
	srv, _ := newSiteSignedIn(t, "suggest")
	p := get(t, srv, "/me/municipalities?country=SE&q=V%C3%A4xj", "en")
	var names []string
	if err := json.Unmarshal([]byte(p.body), &names); err != nil || p.status != http.StatusOK {
		t.Fatalf("suggestions answer %d: %v (%s)", p.status, err, p.body)
	}
	if len(names) == 0 || names[0] != "Växjö" {
		t.Fatalf("suggestions for Växj in Sweden: %v", names)
	}
	p = get(t, srv, "/me/municipalities?country=NO&q=V%C3%A4xj", "en")
	if strings.Contains(p.body, "Växjö") {
		t.Fatalf("suggestions in Norway: %s", p.body)
	}
	if p := get(t, newSite(t), "/me/municipalities?country=SE&q=V%C3%A4xj", "en"); p.status != http.StatusForbidden {
		t.Fatalf("signed out, suggestions answer %d", p.status)
	}
}

// TestMyExpertGroupsAndFellowMembers is journey 8: a member of an expert group finds the group on
// /me, and its page shows the fellow members, also one who shows their profile to the secretariat
// only (members of a group see each other), whom a signed-out visitor never sees.
func TestMyExpertGroupsAndFellowMembers(t *testing.T) {
	fellow := bridge.Principal{Role: bridge.RoleMember, PersonID: fxMembers,
		Account: &bridge.Account{Issuer: "https://idp.example.org", Subject: "fellow-web-test"}}
	site := newSiteAs(t, &fellow)
	me := get(t, site, "/me", "en")
	groupPage := "/groups/" + gid("ExpertGroup", fxGroup)
	if me.status != http.StatusOK || !strings.Contains(me.body, `id="my-groups"`) || !strings.Contains(me.body, `href="`+groupPage+`"`) {
		t.Fatalf("/me of a group member: %d, no link to the group:\n%s", me.status, me.body)
	}
	if p := get(t, site, groupPage, "sv"); p.status != http.StatusOK || !strings.Contains(p.body, "Salainen") {
		t.Errorf("the group page does not show the fellow member who is visible to the secretariat only (%d)", p.status)
	}
	if p := get(t, newSite(t), groupPage, "en"); strings.Contains(p.body, "Salainen") {
		t.Error("a signed-out visitor sees the hidden fellow member on the group page")
	}
}
