// Package testoidc is for tests that sign in through the local provider (Dex) that
// `oidc/oidc.sh throwaway` starts for `make test`: its settings from the environment, the demo
// users, a listener on the port the web client may redirect to, and a driver of Dex's login form
// for tests that use net/http instead of a browser.
//
// A package whose tests import testoidc needs Dex, so the Makefile leaves it out of
// `make test-unit` (as it does for internal/testneo4j).
package testoidc

import (
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"testing"
)

// Web is the provider and the web client that oidc.sh throwaway set up.
type Web struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// Port is the loopback port whose /auth/callback Dex accepts as redirect URI for the web
	// client (OIDC_WEB_PORT); BaseURL is http://127.0.0.1:Port.
	Port    int
	BaseURL string
}

// Env returns the provider's settings, failing the test when they are missing: such a test
// needs the provider that `make test` (oidc.sh throwaway) starts.
func Env(t testing.TB) Web {
	t.Helper()
	w := Web{Issuer: os.Getenv("OIDC_ISSUER"), ClientID: os.Getenv("OIDC_WEB_CLIENT_ID"),
		ClientSecret: os.Getenv("OIDC_WEB_CLIENT_SECRET")}
	port, err := strconv.Atoi(os.Getenv("OIDC_WEB_PORT"))
	if w.Issuer == "" || w.ClientID == "" || err != nil || port <= 0 {
		t.Fatal("OIDC_ISSUER, OIDC_WEB_CLIENT_ID and OIDC_WEB_PORT are not set: this test needs the local provider " +
			"that `make test` starts (or run it under oidc/oidc.sh throwaway)")
	}
	w.Port = port
	w.BaseURL = fmt.Sprintf("http://127.0.0.1:%d", port)
	return w
}

// Listen listens on the web client's redirect port; the listener is closed when the test ends.
// Tests that use it run one at a time (go test -p 1, and no t.Parallel).
func (w Web) Listen(t testing.TB) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", w.Port))
	if err != nil {
		t.Fatalf("listen on the web client's redirect port %d: %v", w.Port, err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	return ln
}

// User is a demo user of oidc/dex/config.yaml.tmpl (local development only).
type User struct{ Email, Password string }

// Users are the demo users by role.
var Users = map[string]User{
	"member":       {"member@example.org", "demo-member"},
	"group-member": {"expert@example.org", "demo-expert"},
	"secretariat":  {"secretariat@example.org", "demo-secretariat"},
	"admin":        {"admin@example.org", "demo-admin"},
}

var formAction = regexp.MustCompile(`<form[^>]*method="post"[^>]*action="([^"]+)"`)

// SubmitLogin posts Dex's login form, read from page (the response that showed it, whose body
// it consumes), with the user's e-mail and password, using client (which should carry a cookie
// jar). It returns the response to the post as client's redirect policy leaves it.
func SubmitLogin(t testing.TB, client *http.Client, page *http.Response, u User) *http.Response {
	t.Helper()
	body, err := io.ReadAll(page.Body)
	_ = page.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	m := formAction.FindSubmatch(body)
	if page.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("expected Dex's login form at %s, got %d:\n%.2000s", page.Request.URL.Path, page.StatusCode, body)
	}
	action, err := page.Request.URL.Parse(html.UnescapeString(string(m[1])))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := client.PostForm(action.String(), url.Values{"login": {u.Email}, "password": {u.Password}})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}
