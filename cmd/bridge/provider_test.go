package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/metrics"
	"github.com/nordic-integration/bridge/internal/notify"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// The demo users of the local provider (oidc/dex/config.yaml.tmpl); local development only.
var demoUsers = map[string][2]string{
	"member":       {"member@example.org", "demo-member"},
	"group-member": {"expert@example.org", "demo-expert"},
	"secretariat":  {"secretariat@example.org", "demo-secretariat"},
	"admin":        {"admin@example.org", "demo-admin"},
}

// providerToken gets an access token for a demo user from the real provider's password grant.
func providerToken(t *testing.T, tokenURL, role string) string {
	t.Helper()
	u := demoUsers[role]
	form := url.Values{"grant_type": {"password"}, "client_id": {"bridge-api"}, "username": {u[0]}, "password": {u[1]},
		"scope": {"openid email profile groups"}}
	resp, err := http.PostForm(tokenURL, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.AccessToken == "" {
		t.Fatalf("no token for %s: %d %v", role, resp.StatusCode, err)
	}
	return body.AccessToken
}

// providerAPI serves the API as `serve` wires it, signing in through the real provider at issuer
// (the demo configuration: audience bridge-api, roles from groups), and waits until it is ready.
// The returned function builds the notification sender over the same store and metrics.
func providerAPI(t *testing.T, cfg *config, issuer string) (*signInAPI, func() (*notify.Sender, error)) {
	t.Helper()
	testneo4j.Prepared(t, nil)
	// The provider is a throwaway one (a new issuer each run), so profiles that the demo users made
	// in an earlier run on this database belong to accounts that no longer sign in: remove them
	// (and what this test makes) so that createMyProfile finds the address free.
	var emails []string
	for _, u := range demoUsers {
		emails = append(emails, u[0])
	}
	fx.RemovePeopleWithEmails(t, emails...)
	t.Cleanup(func() { fx.RemovePeopleWithEmails(t, emails...) })
	cfg.OIDCIssuer, cfg.OIDCAudience, cfg.OIDCRoleClaim = issuer, "bridge-api", "groups"
	cfg.OIDCSecretariatValues, cfg.OIDCAdminValues = "bridge-secretariat", "bridge-admin"
	m := metrics.New()
	store := testneo4j.Open(t, testneo4j.Config(t), m)
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	authn, err := newAuthenticator(ctx, cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newAPI(cfg, store, m, logger, authn))
	t.Cleanup(srv.Close)
	if !waitReady(srv.URL) {
		t.Fatal("/readyz did not become 200 with the provider up")
	}
	return &signInAPI{url: srv.URL}, func() (*notify.Sender, error) { return newSender(cfg, store, m, logger) }
}

// TestRealProviderSignInAndOneMutationPerRole runs against the Dex that `make test` starts
// (OIDC_ISSUER, OIDC_TOKEN_URL): the happy path of every role, end to end.
func TestRealProviderSignInAndOneMutationPerRole(t *testing.T) {
	issuer, tokenURL := os.Getenv("OIDC_ISSUER"), os.Getenv("OIDC_TOKEN_URL")
	if issuer == "" || tokenURL == "" {
		t.Fatal("OIDC_ISSUER and OIDC_TOKEN_URL are not set: this test needs the local provider that `make test` starts")
	}
	a, _ := providerAPI(t, testConfig(envProduction), issuer)
	tokens := map[string]string{}
	for role := range demoUsers {
		tokens[role] = providerToken(t, tokenURL, role)
	}
	// Member and group member: create (or, on a reused database, keep) their own profile, then
	// one mutation each.
	ids := map[string]string{}
	for _, role := range []string{"member", "group-member"} {
		_, raw := a.do(t, tokens[role], `{ me { id } }`)
		if strings.Contains(raw, `"me":null`) {
			status, raw := a.do(t, tokens[role], `mutation { createMyProfile(input: `+profileInput+`) { id } }`)
			if status != 200 || strings.Contains(raw, `"errors"`) {
				t.Fatalf("%s createMyProfile: %d %s", role, status, raw)
			}
		}
		_, raw = a.do(t, tokens[role], `{ me { id email } }`)
		var me struct {
			Data struct{ Me struct{ ID, Email string } }
		}
		if err := json.Unmarshal([]byte(raw), &me); err != nil || me.Data.Me.ID == "" || me.Data.Me.Email != demoUsers[role][0] {
			t.Fatalf("%s me: %s", role, raw)
		}
		ids[role] = me.Data.Me.ID
	}
	if status, raw := a.do(t, tokens["member"], `mutation { setMyVisibility(visibility: MEMBERS) { visibility } }`); status != 200 || !strings.Contains(raw, `"MEMBERS"`) {
		t.Errorf("member setMyVisibility: %d %s", status, raw)
	}
	if status, raw := a.do(t, tokens["group-member"], `mutation { setMyThemes(themes: [{theme: "`+gid("Theme", "family-reunification")+`", mode: OFFERS}]) { themes { mode } } }`); status != 200 || !strings.Contains(raw, `"OFFERS"`) {
		t.Errorf("group member setMyThemes: %d %s", status, raw)
	}
	// Secretariat and admin: the delegated edit of the member's profile; the member may not
	// edit the group member's.
	for _, role := range []string{"secretariat", "admin", "member"} {
		target := ids["member"]
		if role == "member" {
			target = ids["group-member"]
		}
		_, raw := a.do(t, tokens["secretariat"], `{ node(id: "`+target+`") { ... on Person { version } } }`)
		var v struct {
			Data struct{ Node struct{ Version int } }
		}
		_ = json.Unmarshal([]byte(raw), &v)
		status, raw := a.do(t, tokens[role], `mutation { updatePerson(id: "`+target+`", input: `+profileInput+`, expectedVersion: `+itoa(v.Data.Node.Version)+`) { id } }`)
		wantOK := role != "member"
		if gotOK := status == 200 && !strings.Contains(raw, `"errors"`); gotOK != wantOK {
			t.Errorf("%s updatePerson: %d %s", role, status, raw)
		}
		if !wantOK && !strings.Contains(raw, `"FORBIDDEN"`) {
			t.Errorf("member updatePerson: %s, want FORBIDDEN", raw)
		}
	}
	// Anonymous: reads work, mutations ask to sign in.
	if _, raw := a.do(t, "", `mutation { setMyVisibility(visibility: PUBLIC) { id } }`); !strings.Contains(raw, `"UNAUTHENTICATED"`) {
		t.Errorf("anonymous mutation: %s", raw)
	}

	// The provider stops: issued tokens keep working until they expire; a token signed by a key
	// the provider never had is refused at once (no fetch, no hang), and the API stays up.
	oidcSh, oidcHome := os.Getenv("BRIDGE_OIDC_SH"), os.Getenv("BRIDGE_OIDC_HOME")
	if oidcSh == "" || oidcHome == "" {
		t.Fatal("BRIDGE_OIDC_SH and BRIDGE_OIDC_HOME are not set: run through `make test`")
	}
	if out, err := exec.Command(oidcSh, "stop", oidcHome).CombinedOutput(); err != nil {
		t.Fatalf("stop the provider: %v %s", err, out)
	}
	// Start it again (same port and configuration) for the packages tested after this one: the
	// web sign-in's and the browser tests sign in at it.
	t.Cleanup(func() {
		if out, err := exec.Command(oidcSh, "start", oidcHome, os.Getenv("OIDC_PORT")).CombinedOutput(); err != nil {
			t.Errorf("restart the provider: %v %s", err, out)
		}
	})
	if status, raw := a.do(t, tokens["member"], `{ me { id } }`); status != 200 || !strings.Contains(raw, ids["member"]) {
		t.Errorf("an issued token with the provider down: %d %s", status, raw)
	}
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	forged := (&signInAPI{issuer: issuer, key: key}).token("someone", "x@example.org", []string{"bridge-admin"}, "bridge-api")
	if status, raw := a.do(t, forged, `{ me { id } }`); status != 401 {
		t.Errorf("a token from an unknown key with the provider down: %d %s", status, raw)
	}
	if a.status(t, "/healthz") != 200 {
		t.Error("the API is not healthy after the provider stopped")
	}
}
