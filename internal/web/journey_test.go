package web_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/app"
	"github.com/nordic-integration/bridge/internal/browsertest"
	"github.com/nordic-integration/bridge/internal/metrics"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/testoidc"
	"github.com/nordic-integration/bridge/internal/websession"
)

// TestSignInJourneyInTheBrowser is journey 2 on the web app as `bridge serve` builds it: a visitor
// on a page clicks "Sign in", signs in on Dex's own login page with the keyboard only, returns to
// that page signed in, sees what members see (the members-only person), and signs out with the
// header's form (a real POST with the CSRF token), after which that person is gone again. Pages
// are scanned with axe and photographed in English and Swedish.
func TestSignInJourneyInTheBrowser(t *testing.T) {
	store := seedSite(t)
	cfg := siteConfig()
	srv := signedInSite(t, cfg, store)

	b := browsertest.Start(t)
	for _, lang := range []string{"en", "sv"} {
		t.Run(lang, func(t *testing.T) {
			visitor := b.NewUser(lang)
			membersOnly := srv.URL + "/people/" + gid("Person", fxMembers)
			if status := visitor.Navigate(membersOnly); status != http.StatusNotFound {
				t.Fatalf("signed out, the members-only person answers %d", status)
			}
			visitor.Navigate(srv.URL + "/search")
			visitor.Screenshot("search-signed-out")
			visitor.CheckAccessibility()

			visitor.ClickAndWait("#sign-in")
			if loc := visitor.Location(); !strings.Contains(loc, "/dex/auth/local") {
				t.Fatalf("Sign in leads to %s, not Dex's login page", loc)
			}
			visitor.CheckAccessibility()
			dexSignIn(t, visitor, "member")
			if loc := visitor.Location(); !strings.HasSuffix(loc, "/search") {
				t.Fatalf("after signing in the visitor is at %s, not back on the search page", loc)
			}
			if got := visitor.Text("#signout"); got == "" {
				t.Fatal("signed in, the header has no sign-out button")
			}
			visitor.Screenshot("search-signed-in")
			visitor.CheckAccessibility()
			if status := visitor.Navigate(membersOnly); status != http.StatusOK || !strings.Contains(visitor.Text("main"), "Medlemmi") {
				t.Fatalf("signed in, the members-only person answers %d", status)
			}
			if visitor.Text("main") != "" && strings.Contains(visitor.Text("main"), "@web-test.example.org") {
				t.Fatal("a member sees another member's e-mail address")
			}
			visitor.Screenshot("person-signed-in")

			visitor.ClickAndWait("#signout")
			if got := visitor.Text("#sign-in"); got == "" {
				t.Fatalf("after signing out the header offers no sign-in, at %s", visitor.Location())
			}
			if status := visitor.Navigate(membersOnly); status != http.StatusNotFound {
				t.Fatalf("after signing out, the members-only person answers %d", status)
			}
		})
	}
}

// TestSignOutMayLeadToTheProvider: with the browser sign-in on, the pages' CSP lets a form lead
// to the provider's origin (sign-out redirects to its end-session page, and form-action applies
// to that redirect) and nowhere else; without it, forms stay on the app.
func TestSignOutMayLeadToTheProvider(t *testing.T) {
	store := seedSite(t)
	cfg := siteConfig()
	cfg.WebSignIn = websession.Config{Issuer: "https://login.example.org/realms/bridge", ClientID: "bridge-web",
		ClientSecret: "s", BaseURL: "https://bridge.example.org", RoleClaim: "groups", SecureCookies: true}
	srv := httptest.NewServer(app.Handler(cfg, store, metrics.New(), slog.New(slog.DiscardHandler), nil))
	t.Cleanup(srv.Close)
	resp, err := srv.Client().Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if got := resp.Header.Get("Content-Security-Policy"); !strings.Contains(got, "form-action 'self' https://login.example.org;") {
		t.Fatalf("with sign-in: %s", got)
	}
	if got := get(t, newSite(t), "/", "en").header.Get("Content-Security-Policy"); !strings.Contains(got, "form-action 'self';") {
		t.Fatalf("without sign-in: %s", got)
	}
}

// signedInSite serves the handler of cfg, with the browser sign-in against the local Dex, on the
// web client's redirect port (Dex compares redirect URIs exactly), for the browser journeys.
func signedInSite(t *testing.T, cfg app.Config, store *neo4jstore.Store) *httptest.Server {
	t.Helper()
	oidc := testoidc.Env(t)
	cfg.WebSignIn = websession.Config{Issuer: oidc.Issuer, ClientID: oidc.ClientID, ClientSecret: oidc.ClientSecret,
		BaseURL: oidc.BaseURL, Scopes: []string{"openid", "email", "profile", "groups"}, RoleClaim: "groups",
		SecretariatValues: []string{"bridge-secretariat"}, AdminValues: []string{"bridge-admin"}}
	srv := httptest.NewUnstartedServer(app.Handler(cfg, store, metrics.New(), slog.New(slog.DiscardHandler), nil))
	_ = srv.Listener.Close()
	srv.Listener = oidc.Listen(t)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}
