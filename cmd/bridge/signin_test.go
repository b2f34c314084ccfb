package main

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc/oidctest"
	"github.com/google/uuid"
)

// signInAPI is the API wired as `bridge serve` wires it, with sign-in through an in-process
// OpenID Connect issuer (go-oidc's oidctest) whose key signs the test's tokens.
type signInAPI struct {
	url    string
	issuer string
	key    *rsa.PrivateKey
}

func newSignInAPI(t *testing.T) *signInAPI {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	idp := &oidctest.Server{PublicKeys: []oidctest.PublicKey{{PublicKey: key.Public(), KeyID: "k1", Algorithm: "RS256"}}}
	idpSrv := httptest.NewServer(idp)
	t.Cleanup(idpSrv.Close)
	idp.SetIssuer(idpSrv.URL)

	a, _ := providerAPI(t, testConfig(envProduction), idpSrv.URL)
	a.issuer, a.key = idpSrv.URL, key
	return a
}

func (a *signInAPI) status(t *testing.T, path string) int {
	resp, err := http.Get(a.url + path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func (a *signInAPI) token(sub, email string, groups []string, aud string) string {
	claims, _ := json.Marshal(map[string]any{"iss": a.issuer, "sub": sub, "aud": aud, "email": email, "email_verified": true,
		"groups": groups, "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()})
	return oidctest.SignIDToken(a.key, "k1", "RS256", string(claims))
}

func (a *signInAPI) do(t *testing.T, token, query string) (int, string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	return a.doJSON(t, token, string(body))
}

// doJSON posts a whole GraphQL request body (query and variables) with a bearer token.
func (a *signInAPI) doJSON(t *testing.T, token, body string) (int, string) {
	t.Helper()
	status, _, raw := a.doWith(t, token, body, nil)
	return status, raw
}

// doWith is doJSON with request headers of the test's own, returning the response's headers.
func (a *signInAPI) doWith(t *testing.T, token, body string, header http.Header) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, a.url+"/graphql", strings.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(raw)
}

func TestSignInEndToEnd(t *testing.T) {
	a := newSignInAPI(t)
	sub := uuid.NewString()
	email := "signin-" + sub[:8] + "@signin-test.example.org"
	member := a.token(sub, email, nil, "bridge-api")

	// Anonymous reads still work; me is null without a token and before a profile exists.
	if status, raw := a.do(t, "", `{ me { name } countries { code } }`); status != 200 || !strings.Contains(raw, `"me":null`) {
		t.Fatalf("anonymous: %d %s", status, raw)
	}
	if status, raw := a.do(t, member, `{ me { name } }`); status != 200 || !strings.Contains(raw, `"me":null`) {
		t.Fatalf("member before createMyProfile: %d %s", status, raw)
	}
	// One mutation as a member, then me answers from (issuer, subject).
	status, raw := a.do(t, member, `mutation { createMyProfile(input: `+profileInput+`) { name email } }`)
	if status != 200 || !strings.Contains(raw, email) {
		t.Fatalf("createMyProfile: %d %s", status, raw)
	}
	if status, raw := a.do(t, member, `{ me { name email } }`); status != 200 || !strings.Contains(raw, "Test Profilsson") {
		t.Fatalf("me after createMyProfile: %d %s", status, raw)
	}
	// The secretariat's role comes from the groups claim and shows contact details.
	secretariat := a.token(uuid.NewString(), "sec@signin-test.example.org", []string{"bridge-secretariat"}, "bridge-api")
	if status, raw := a.do(t, secretariat, `{ people(filter: {text: "Profilsson"}, first: 100) { edges { node { email } } } }`); status != 200 || !strings.Contains(raw, email) {
		t.Fatalf("secretariat: %d %s", status, raw)
	}
	// Bad tokens: 401 with no detail.
	for name, tok := range map[string]string{
		"wrong audience": a.token(sub, email, nil, "some-other-app"),
		"garbage":        "not.a.token",
		"tampered":       member[:len(member)-4] + "AAAA",
	} {
		status, raw := a.do(t, tok, `{ countries { code } }`)
		if status != 401 || !strings.Contains(raw, `"UNAUTHENTICATED"`) || strings.Contains(raw, "audience") {
			t.Errorf("%s: %d %s", name, status, raw)
		}
	}
}
