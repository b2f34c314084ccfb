package web_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/app"
	"github.com/nordic-integration/bridge/internal/metrics"
	"github.com/nordic-integration/bridge/internal/testoidc"
	"github.com/nordic-integration/bridge/internal/websession"
)

// TestSessionsAreSharedByEveryInstance: two instances of the web app on one Neo4j, as behind a
// load balancer. A sign-in started on B comes back to A (the redirect URI is the public base
// URL, which here is A); the session A opens is seen by B; signing out on B ends it on A too.
// Cookies are per host, not per port, so one browser's jar reaches both, as it would reach one
// public address.
func TestSessionsAreSharedByEveryInstance(t *testing.T) {
	store := seedSite(t)
	cfg := siteConfig()
	a := signedInSite(t, cfg, store)
	oidc := testoidc.Env(t)
	cfg.WebSignIn = websession.Config{Issuer: oidc.Issuer, ClientID: oidc.ClientID, ClientSecret: oidc.ClientSecret,
		BaseURL: oidc.BaseURL, Scopes: []string{"openid", "email", "profile", "groups"}, RoleClaim: "groups",
		SecretariatValues: []string{"bridge-secretariat"}, AdminValues: []string{"bridge-admin"}}
	b := httptest.NewServer(app.Handler(cfg, store, metrics.New(), slog.New(slog.DiscardHandler), nil))
	t.Cleanup(b.Close)

	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	browser := &http.Client{Jar: jar}
	page, err := browser.Get(b.URL + websession.SignInPath + "?return=" + url.QueryEscape("/introductions"))
	if err != nil {
		t.Fatal(err)
	}
	resp := testoidc.SubmitLogin(t, browser, page, testoidc.Users["member"])
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Request.URL.String(), a.URL+"/introductions") {
		t.Fatalf("the sign-in started on B ended at %s with %d", resp.Request.URL, resp.StatusCode)
	}
	if !strings.Contains(string(body), `id="signout"`) {
		t.Fatal("back on A after signing in, the page is not signed in")
	}

	noRedirect := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	status, onB := fetch(t, noRedirect, b.URL+"/introductions")
	if status != http.StatusOK || !strings.Contains(onB, `id="signout"`) {
		t.Fatalf("B does not see the session A opened: %d", status)
	}
	token := regexp.MustCompile(`name="` + websession.CSRFField + `" value="([^"]+)"`).FindStringSubmatch(onB)
	if token == nil {
		t.Fatal("B's page has no CSRF token in its sign-out form")
	}
	bURL, _ := url.Parse(b.URL)
	kept := jar.Cookies(bURL) // what a copy of the cookie would replay after signing out
	req, err := http.NewRequest(http.MethodPost, b.URL+websession.SignOutPath, strings.NewReader(url.Values{websession.CSRFField: {token[1]}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.URL)
	out, err := noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = out.Body.Close()
	if out.StatusCode/100 != 3 {
		t.Fatalf("signing out on B answered %d", out.StatusCode)
	}
	// The browser dropped the cookie; a copy of it must not work on A either.
	replay, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	aURL, _ := url.Parse(a.URL)
	replay.SetCookies(aURL, kept)
	if status, _ := fetch(t, &http.Client{Jar: replay, CheckRedirect: noRedirect.CheckRedirect}, a.URL+"/introductions"); status/100 != 3 {
		t.Fatalf("after signing out on B, A still serves the signed-in page to the old cookie (%d)", status)
	}
}

// fetch GETs u with c and returns the status and body.
func fetch(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}
