package browsertest

import (
	"context"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testoidc"
	"github.com/nordic-integration/bridge/internal/websession"
)

// staticPage serves one HTML page.
func staticPage(t *testing.T, html string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = fmt.Fprint(w, html)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/"
}

const cleanPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A clean page</title></head>
<body><main><h1>Bridge</h1><p>Experts on the integration of refugees and immigrants.</p>
<form><label for="q">Search</label> <input id="q" name="q"> <button>Search</button></form></main></body></html>`

// The same page with an image without alt text: axe's image-alt rule, impact critical.
const imageWithoutAlt = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>An image without alt</title></head>
<body><main><h1>Bridge</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="40" height="40"></main></body></html>`

// recorder is a Reporter that keeps what it was told, to see a scan fail without failing this test.
type recorder struct {
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestAxeFailsOnAKnownViolation: the scan finds the image without alt text as critical, and a
// test that checks the page fails with the rule, the element and the fix in its message.
func TestAxeFailsOnAKnownViolation(t *testing.T) {
	p := Start(t).NewUser("en")
	p.Navigate(staticPage(t, imageWithoutAlt))
	vs := p.Accessibility()
	found := false
	for _, v := range vs {
		if v.ID == "image-alt" && v.Impact == "critical" && len(v.Nodes) == 1 {
			found = true
		}
	}
	if !found {
		t.Fatalf("axe did not report image-alt as critical: %+v", vs)
	}
	rec := &recorder{}
	if n := ReportSerious(rec, "the bad page", vs); n == 0 || len(rec.errs) != 1 {
		t.Fatalf("the scan did not fail: %d reported, %v", n, rec.errs)
	}
	msg := rec.errs[0]
	for _, want := range []string{"image-alt", "[critical]", "<img", "alt attribute", "dequeuniversity.com"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the failure message lacks %q:\n%s", want, msg)
		}
	}
	t.Logf("what a failing scan prints:\n%s", msg)
}

// TestAxePassesACleanPage: the same page with nothing wrong has no serious or critical violation.
func TestAxePassesACleanPage(t *testing.T) {
	p := Start(t).NewUser("en")
	p.Navigate(staticPage(t, cleanPage))
	rec := &recorder{}
	if n := ReportSerious(rec, "the clean page", p.Accessibility()); n != 0 {
		t.Fatalf("violations on the clean page: %v", rec.errs)
	}
	p.CheckAccessibility()
	// Filling by label and the keyboard: type into the search field, Tab to the button.
	p.FillByLabel("Search", "Växjö")
	if got := Eval[string](p, `document.getElementById('q').value`); got != "Växjö" {
		t.Fatalf("filled %q", got)
	}
	p.Press(Tab)
	if got := p.Focused(); got != "button Search" {
		t.Fatalf("after Tab the focus is on %q", got)
	}
}

// The page the signed-in test user lands on: who they are, and a sign-out form with the CSRF token.
var whoamiPage = template.Must(template.New("whoami").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Who am I</title></head>
<body><main><h1>Who am I</h1><p id="role">{{.Role}}</p><p id="email">{{.Email}}</p>
<form method="post" action="/signout"><input type="hidden" name="{{.Field}}" value="{{.Token}}">
<button id="signout">Sign out</button></form></main></body></html>`))

// webSignIn serves the web sign-in (internal/websession) on the redirect port of the provider's
// web client, with /whoami behind it, and returns its base URL.
func webSignIn(t *testing.T) string {
	t.Helper()
	web := testoidc.Env(t)
	m, err := websession.New(websession.Config{Issuer: web.Issuer, ClientID: web.ClientID, ClientSecret: web.ClientSecret,
		BaseURL: web.BaseURL, Scopes: []string{"openid", "email", "profile", "groups"}, RoleClaim: "groups",
		SecretariatValues: []string{"bridge-secretariat"}, AdminValues: []string{"bridge-admin"}},
		nil, people{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	r := chi.NewRouter()
	r.Use(m.Middleware)
	m.Mount(r)
	whoami := func(w http.ResponseWriter, r *http.Request) {
		id, _ := websession.Current(r.Context())
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = whoamiPage.Execute(w, map[string]string{"Role": string(bridge.PrincipalFrom(r.Context()).Role), "Email": id.Email,
			"Field": websession.CSRFField, "Token": websession.CSRFToken(r.Context())})
	}
	r.Get("/whoami", whoami)
	r.Get("/", whoami)
	srv := httptest.NewUnstartedServer(r)
	_ = srv.Listener.Close()
	srv.Listener = web.Listen(t)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

type people struct{}

func (people) PersonForAccount(_ context.Context, _, subject string) (string, error) {
	return "person:" + subject, nil
}

// TestSignInOnDexLoginPage is journey 2 without the web app's pages: two users in one browser
// sign in on Dex's own login page through the web sign-in handlers, one with the keyboard only
// (the e-mail field has the focus, Tab, Enter), the other by the fields' labels; each sees only
// their own sign-in, and signing out (a real browser's form post with the CSRF token) ends it.
func TestSignInOnDexLoginPage(t *testing.T) {
	base := webSignIn(t)
	b := Start(t)

	member := b.NewUser("en")
	member.Navigate(base + "/signin?return=/whoami")
	if loc := member.Location(); !strings.Contains(loc, "/dex/auth/local") {
		t.Fatalf("expected Dex's login page, at %s", loc)
	}
	member.Screenshot("dex-login")
	// The provider's login page is part of the journey: the local Dex serves its pages with the
	// changes of oidc/dex/web/README.md, and they pass the same scan as Bridge's pages.
	member.CheckAccessibility()
	if got := member.Focused(); !strings.HasPrefix(got, "input") {
		t.Fatalf("Dex's login page opens with the focus on %q", got)
	}
	member.Type(testoidc.Users["member"].Email)
	member.Press(Tab)
	if got := member.Focused(); got != "input Password" {
		t.Fatalf("after Tab the focus is on %q", got)
	}
	member.Type(testoidc.Users["member"].Password)
	if status := member.PressAndWait(Enter); status != http.StatusOK {
		t.Fatalf("after signing in: HTTP %d at %s", status, member.Location())
	}
	if !strings.HasSuffix(member.Location(), "/whoami") || member.Text("#role") != string(bridge.RoleMember) {
		t.Fatalf("member: at %s as %q", member.Location(), member.Text("#role"))
	}
	member.Screenshot("signed-in")
	member.CheckAccessibility()

	admin := b.NewUser("sv")
	admin.Navigate(base + "/signin?return=/whoami")
	admin.FillByLabel("Email Address", testoidc.Users["admin"].Email)
	admin.FillByLabel("Password", testoidc.Users["admin"].Password)
	admin.ClickAndWait("button[type=submit]")
	if admin.Text("#role") != string(bridge.RoleAdmin) || admin.Text("#email") != testoidc.Users["admin"].Email {
		t.Fatalf("admin: %q %q", admin.Text("#role"), admin.Text("#email"))
	}
	member.Navigate(base + "/whoami")
	if member.Text("#role") != string(bridge.RoleMember) {
		t.Fatalf("the admin's sign-in changed the member's: %q", member.Text("#role"))
	}

	admin.ClickAndWait("#signout")
	if admin.Text("#role") != string(bridge.RoleAnonymous) {
		t.Fatalf("after sign-out: %q", admin.Text("#role"))
	}
	member.Navigate(base + "/whoami")
	if member.Text("#role") != string(bridge.RoleMember) {
		t.Fatal("the admin's sign-out ended the member's session")
	}
}

// TestPressAndDownload: Enter on a form's button whose answer is an attachment downloads it, and
// the test gets its name and content.
func TestPressAndDownload(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Disposition", `attachment; filename="data.json"`)
			_, _ = fmt.Fprint(w, `{"name":"Downloaded Person"}`)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = fmt.Fprint(w, `<!doctype html><html lang="en"><head><title>Export</title></head><body><main>
<form method="post" action="/export"><button id="export" autofocus>Download</button></form></main></body></html>`)
	}))
	t.Cleanup(srv.Close)
	p := Start(t).NewUser("en")
	p.Navigate(srv.URL + "/")
	Eval[bool](p, `(document.getElementById('export').focus(), true)`)
	name, content := p.PressAndDownload(Enter)
	if name != "data.json" || string(content) != `{"name":"Downloaded Person"}` {
		t.Fatalf("downloaded %q: %q", name, content)
	}
}
