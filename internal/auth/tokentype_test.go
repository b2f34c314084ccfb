package auth

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// signWithHeader signs claims with the key under a header of the test's choosing (typ), which
// oidctest.SignIDToken does not let a test set.
func (k testKey) signWithHeader(t *testing.T, header, claims map[string]any) string {
	t.Helper()
	header["alg"], header["kid"] = k.alg, k.kid
	return rawJWT(t, header, claims, func(input []byte) []byte {
		sum := sha256.Sum256(input)
		sig, err := k.priv.Sign(rand.Reader, sum[:], crypto.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	})
}

// TestTokenTypeAndAuthorizedParty covers what go-oidc leaves out (security.md rows 66, 68, 72):
// the client a token was issued to (azp / client_id) and the JWT type of a bearer token.
func TestTokenTypeAndAuthorizedParty(t *testing.T) {
	f := newFixture(t, nil)
	strict := newFixture(t, func(c *Config) { c.RequireAccessTokenType = true })
	clients := newFixture(t, func(c *Config) { c.AllowedClients = []string{"bridge-web", testAudience} })
	typ := func(f *fixture, typ string) string {
		return f.rsa.signWithHeader(t, map[string]any{"typ": typ}, f.claims())
	}
	cases := []struct {
		name   string
		auth   *fixture
		token  string
		reason string // "" when the token must be accepted
	}{
		{"no typ", f, f.rsa.signWithHeader(t, map[string]any{}, f.claims()), ""},
		{"typ JWT", f, typ(f, "JWT"), ""},
		{"typ at+jwt", f, typ(f, "at+jwt"), ""},
		{"typ application/at+JWT", f, typ(f, "application/at+JWT"), ""},
		{"a back-channel logout token (typ logout+jwt)", f, typ(f, "logout+jwt"), "not an access token"},
		{"a security event token (typ secevent+jwt)", f, typ(f, "secevent+jwt"), "not an access token"},
		{"a logout token without typ (events claim)", f, f.rsa.sign(t, f.claimsWith(map[string]any{
			"events": map[string]any{"http://schemas.openid.net/event/backchannel-logout": map[string]any{}}})), "not an access token"},
		{"strict: typ JWT", strict, typ(strict, "JWT"), "not an access token"},
		{"strict: no typ", strict, strict.rsa.sign(t, strict.claims()), "not an access token"},
		{"strict: typ at+jwt", strict, typ(strict, "at+jwt"), ""},
		// Without AllowedClients, any client's token for the API is accepted (the usual front end
		// → API flow); with it, only the listed applications'.
		{"any client: azp another app", f, f.rsa.sign(t, f.claimsWith(map[string]any{"azp": "other-app"})), ""},
		{"allowed: azp bridge-web", clients, clients.rsa.sign(t, clients.claimsWith(map[string]any{
			"aud": []string{testAudience, "account"}, "azp": "bridge-web"})), ""},
		{"allowed: client_id bridge-web", clients, clients.rsa.sign(t, clients.claimsWith(map[string]any{"client_id": "bridge-web"})), ""},
		{"allowed: the API's own token (single aud)", clients, clients.rsa.sign(t, clients.claims()), ""},
		{"allowed: azp of another app", clients, clients.rsa.sign(t, clients.claimsWith(map[string]any{
			"aud": []string{"other-app", testAudience}, "azp": "other-app"})), "client not allowed"},
		{"allowed: client_id of another app", clients, clients.rsa.sign(t, clients.claimsWith(map[string]any{"client_id": "other-app"})), "client not allowed"},
		{"allowed: several audiences, no client named", clients, clients.rsa.sign(t, clients.claimsWith(map[string]any{
			"aud": []string{"other-app", testAudience}})), "client not allowed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, err := tc.auth.auth.Verify(t.Context(), tc.token)
			if tc.reason == "" {
				if err != nil || id.Subject != testSubject {
					t.Fatalf("Verify: %v, want accepted", err)
				}
				return
			}
			if bridge.ErrorCode(err) != bridge.CodeUnauthenticated || !strings.HasSuffix(err.Error(), ": "+tc.reason) {
				t.Fatalf("Verify: %v, want UNAUTHENTICATED for %q", err, tc.reason)
			}
		})
	}
}
