package auth

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/coreos/go-oidc/v3/oidc/oidctest"
	jose "github.com/go-jose/go-jose/v4"

	"github.com/nordic-integration/bridge/internal/bridge"
)

const (
	testAudience = "bridge-api"
	testSubject  = "sub-7f3a9c"
	testEmail    = "ada@example.org"
)

// fakeClock is the injected clock of the Authenticator and of the tokens the tests mint.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testKey is a signing key of the test issuer.
type testKey struct {
	kid  string
	alg  string
	priv crypto.Signer
}

func newECKey(t *testing.T, kid string) testKey {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{kid: kid, alg: oidc.ES256, priv: priv}
}

func newRSAKey(t *testing.T, kid string) testKey {
	t.Helper()
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return testKey{kid: kid, alg: oidc.RS256, priv: priv}
}

// sign mints a token with the key's own kid and algorithm.
func (k testKey) sign(t *testing.T, claims map[string]any) string {
	t.Helper()
	return k.signAs(t, k.kid, k.alg, claims)
}

func (k testKey) signAs(t *testing.T, kid, alg string, claims map[string]any) string {
	t.Helper()
	b, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	return oidctest.SignIDToken(k.priv, kid, alg, string(b))
}

// testIssuer is an in-process OpenID provider whose key set can be rotated and taken down and
// whose discovery can fail, counting the requests of each.
type testIssuer struct {
	srv *httptest.Server

	mu            sync.Mutex
	keys          []testKey
	discoveryDown bool
	jwksDown      bool
	jwksHold      chan struct{} // when set, /keys answers only once it is closed

	discoveryHits atomic.Int64
	jwksFetches   atomic.Int64
}

func newIssuer(t *testing.T, keys ...testKey) *testIssuer {
	t.Helper()
	iss := &testIssuer{keys: keys}
	iss.srv = httptest.NewServer(http.HandlerFunc(iss.serve))
	t.Cleanup(iss.srv.Close)
	return iss
}

func (iss *testIssuer) URL() string { return iss.srv.URL }

func (iss *testIssuer) publish(keys ...testKey) {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	iss.keys = keys
}

func (iss *testIssuer) setDiscoveryDown(down bool) {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	iss.discoveryDown = down
}

func (iss *testIssuer) setJWKSDown(down bool) {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	iss.jwksDown = down
}

func (iss *testIssuer) serve(w http.ResponseWriter, r *http.Request) {
	iss.mu.Lock()
	defer iss.mu.Unlock()
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		iss.discoveryHits.Add(1)
		if iss.discoveryDown {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer":                                iss.srv.URL,
			"authorization_endpoint":                iss.srv.URL + "/auth",
			"token_endpoint":                        iss.srv.URL + "/token",
			"jwks_uri":                              iss.srv.URL + "/keys",
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256", "ES256"},
		})
	case "/keys":
		iss.jwksFetches.Add(1)
		if hold := iss.jwksHold; hold != nil {
			iss.mu.Unlock()
			select {
			case <-hold:
			case <-r.Context().Done():
			}
			iss.mu.Lock()
		}
		if iss.jwksDown {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		set := jose.JSONWebKeySet{}
		for _, k := range iss.keys {
			set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.priv.Public(), KeyID: k.kid, Algorithm: k.alg, Use: "sig"})
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(set)
	default:
		http.NotFound(w, r)
	}
}

// syncBuffer collects log output from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fixture is an Authenticator, ready, over a test issuer publishing an RSA and an EC key.
type fixture struct {
	iss   *testIssuer
	clock *fakeClock
	rsa   testKey
	ec    testKey
	auth  *Authenticator
	logs  *syncBuffer
}

func testConfig(issuer string, clock *fakeClock) Config {
	return Config{
		Issuer:            issuer,
		Audience:          testAudience,
		RoleClaim:         "groups",
		SecretariatValues: []string{"secretariat"},
		AdminValues:       []string{"bridge-admins"},
		Now:               clock.Now,
		HTTPClient:        &http.Client{Timeout: 2 * time.Second},
		backoffMin:        5 * time.Millisecond,
		backoffMax:        20 * time.Millisecond,
	}
}

func newFixture(t *testing.T, mutate func(*Config)) *fixture {
	t.Helper()
	f := &fixture{clock: newClock(), rsa: newRSAKey(t, "rsa-1"), ec: newECKey(t, "ec-1"), logs: &syncBuffer{}}
	f.iss = newIssuer(t, f.rsa, f.ec)
	cfg := testConfig(f.iss.URL(), f.clock)
	if mutate != nil {
		mutate(&cfg)
	}
	logger := slog.New(slog.NewJSONHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := New(t.Context(), cfg, logger)
	if err != nil {
		t.Fatal(err)
	}
	f.auth = a
	waitReady(t, a)
	return f
}

// waitReady polls Ready in short steps; discovery against the loopback issuer takes
// milliseconds.
func waitReady(t *testing.T, a *Authenticator) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for a.Ready() != nil {
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v", a.Ready())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// claims are valid claims for the fixture's issuer at the clock's time.
func (f *fixture) claims() map[string]any {
	now := f.clock.Now()
	return map[string]any{
		"iss":            f.iss.URL(),
		"aud":            testAudience,
		"sub":            testSubject,
		"iat":            now.Unix(),
		"exp":            now.Add(5 * time.Minute).Unix(),
		"email":          testEmail,
		"email_verified": true,
		"name":           "Ada Lovelace",
	}
}

func (f *fixture) claimsWith(changes map[string]any) map[string]any {
	c := f.claims()
	for k, v := range changes {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	return c
}

// rawJWT builds a compact JWT by hand, for the algorithms a well-behaved signer refuses.
func rawJWT(t *testing.T, header, claims map[string]any, sign func(input []byte) []byte) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return base64.RawURLEncoding.EncodeToString(b)
	}
	input := enc(header) + "." + enc(claims)
	return input + "." + base64.RawURLEncoding.EncodeToString(sign([]byte(input)))
}

// serve runs the middleware over one request and reports the response and what the next
// handler saw (nil when it was not called).
type seen struct {
	principal bridge.Principal
	identity  Identity
	hasID     bool
}

func serve(a *Authenticator, req *http.Request) (*httptest.ResponseRecorder, *seen) {
	var got *seen
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := IdentityFrom(r.Context())
		got = &seen{principal: bridge.PrincipalFrom(r.Context()), identity: id, hasID: ok}
		w.WriteHeader(http.StatusNoContent)
	})
	rec := httptest.NewRecorder()
	a.Middleware(next).ServeHTTP(rec, req)
	return rec, got
}

func bearerRequest(token string) *http.Request {
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{}`))
	req.Header.Set("Authorization", "Bearer "+token)
	return req
}

func assertUnauthorized(t *testing.T, rec *httptest.ResponseRecorder, got *seen) {
	t.Helper()
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("status = %d, want 401", rec.Code)
	}
	if got != nil {
		t.Fatal("the next handler ran for a refused request")
	}
	if body := rec.Body.String(); body != `{"errors":[{"message":"invalid or expired token","extensions":{"code":"UNAUTHENTICATED"}}]}` {
		t.Fatalf("body = %s", body)
	}
	if h := rec.Header().Get("WWW-Authenticate"); h != `Bearer error="invalid_token"` {
		t.Fatalf("WWW-Authenticate = %q", h)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q", ct)
	}
}

// TestRejectsInvalidTokens is the negative matrix (security.md rows 26–28, 31, 32, 34): each
// token is refused by Verify with UNAUTHENTICATED and by the middleware with the generic 401, and
// the log names the reason without quoting the token or its claims.
func TestRejectsInvalidTokens(t *testing.T) {
	f := newFixture(t, nil)
	stranger := newECKey(t, "stranger")
	forger := newECKey(t, f.ec.kid) // same kid as a published key, different key

	pemOfRSAPublic := func() []byte {
		der, err := x509.MarshalPKIXPublicKey(f.rsa.priv.Public())
		if err != nil {
			t.Fatal(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	}

	now := f.clock.Now()
	cases := []struct {
		name   string
		token  func() string
		reason string
	}{
		{"expired one second ago", func() string {
			return f.rsa.sign(t, f.claimsWith(map[string]any{"exp": now.Add(-time.Second).Unix()}))
		}, "expired"},
		{"no exp", func() string {
			return f.rsa.sign(t, f.claimsWith(map[string]any{"exp": nil}))
		}, "expired"},
		{"not valid for 10 minutes", func() string {
			return f.rsa.sign(t, f.claimsWith(map[string]any{"nbf": now.Add(10 * time.Minute).Unix()}))
		}, "not yet valid"},
		{"wrong issuer", func() string {
			return f.rsa.sign(t, f.claimsWith(map[string]any{"iss": "https://evil.example.net"}))
		}, "wrong issuer"},
		{"issuer with a trailing slash", func() string {
			return f.rsa.sign(t, f.claimsWith(map[string]any{"iss": f.iss.URL() + "/"}))
		}, "wrong issuer"},
		{"another client of the same issuer", func() string {
			return f.rsa.sign(t, f.claimsWith(map[string]any{"aud": "some-other-app"}))
		}, "wrong audience"},
		{"no aud", func() string {
			return f.rsa.sign(t, f.claimsWith(map[string]any{"aud": nil}))
		}, "wrong audience"},
		{"alg none", func() string {
			return rawJWT(t, map[string]any{"alg": "none", "typ": "JWT", "kid": f.rsa.kid}, f.claims(),
				func([]byte) []byte { return nil })
		}, "malformed"},
		{"HS256 keyed with the RSA public key", func() string {
			return rawJWT(t, map[string]any{"alg": "HS256", "typ": "JWT", "kid": f.rsa.kid}, f.claims(),
				func(input []byte) []byte {
					m := hmac.New(sha256.New, pemOfRSAPublic())
					m.Write(input)
					return m.Sum(nil)
				})
		}, "malformed"},
		{"algorithm not configured (RS384)", func() string {
			return f.rsa.signAs(t, f.rsa.kid, oidc.RS384, f.claims())
		}, "malformed"},
		{"tampered payload", func() string {
			parts := strings.Split(f.rsa.sign(t, f.claims()), ".")
			b, err := json.Marshal(f.claimsWith(map[string]any{"groups": []string{"bridge-admins"}}))
			if err != nil {
				t.Fatal(err)
			}
			parts[1] = base64.RawURLEncoding.EncodeToString(b)
			return strings.Join(parts, ".")
		}, "bad signature"},
		{"signature by another key under a published kid", func() string {
			return forger.sign(t, f.claims())
		}, "bad signature"},
		{"no sub", func() string {
			return f.rsa.sign(t, f.claimsWith(map[string]any{"sub": nil}))
		}, "missing subject"},
		{"empty sub", func() string {
			return f.ec.sign(t, f.claimsWith(map[string]any{"sub": ""}))
		}, "missing subject"},
		{"iat an hour in the future", func() string {
			return f.rsa.sign(t, f.claimsWith(map[string]any{"iat": now.Add(time.Hour).Unix()}))
		}, "issued in the future"},
		{"unknown kid", func() string {
			return stranger.sign(t, f.claims())
		}, "unknown signing key"},
		{"garbage", func() string { return "not-a-token" }, "malformed"},
		{"three garbage segments", func() string { return "aaa.bbb.ccc" }, "malformed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			token := tc.token()
			_, err := f.auth.Verify(t.Context(), token)
			if code := bridge.ErrorCode(err); code != bridge.CodeUnauthenticated {
				t.Fatalf("Verify: code %q, err %v; want UNAUTHENTICATED", code, err)
			}
			var be *bridge.Error
			if !errors.As(err, &be) || be.Message != "invalid or expired token" {
				t.Fatalf("Verify: message %v", err)
			}
			if !strings.HasSuffix(err.Error(), ": "+tc.reason) {
				t.Fatalf("Verify: reason of %q, want %q", err, tc.reason)
			}

			before := len(f.logs.String())
			rec, got := serve(f.auth, bearerRequest(token))
			assertUnauthorized(t, rec, got)
			logged := f.logs.String()[before:]
			if want := `"reason":"` + tc.reason + `"`; !strings.Contains(logged, want) {
				t.Fatalf("log %q lacks %s", logged, want)
			}
			if strings.Contains(f.logs.String(), token) {
				t.Fatal("the token was logged")
			}
		})
	}
	logs := f.logs.String()
	for _, secret := range []string{testSubject, testEmail, "evil.example.net", "some-other-app", "Ada Lovelace"} {
		if strings.Contains(logs, secret) {
			t.Fatalf("claim value %q was logged:\n%s", secret, logs)
		}
	}
	if n := f.iss.jwksFetches.Load(); n != 1 {
		t.Fatalf("JWKS fetched %d times, want only the initial fetch", n)
	}
}

// TestMiddlewareRefusesMalformedHeaders covers security.md row 25: only one header with the
// Bearer scheme and one token is accepted.
func TestMiddlewareRefusesMalformedHeaders(t *testing.T) {
	f := newFixture(t, nil)
	valid := f.ec.sign(t, f.claims())
	cases := []struct {
		name   string
		values []string
	}{
		{"Bearer without a token", []string{"Bearer"}},
		{"Bearer with an empty token", []string{"Bearer "}},
		{"Bearer with spaces only", []string{"Bearer    "}},
		{"Basic scheme", []string{"Basic dXNlcjpwYXNzd29yZA=="}},
		{"token without a scheme", []string{valid}},
		{"other scheme with a valid token", []string{"Token " + valid}},
		{"two tokens", []string{"Bearer " + valid + " " + valid}},
		{"two headers", []string{"Bearer " + valid, "Bearer " + valid}},
		{"empty header", []string{""}},
		{"characters outside b64token", []string{"Bearer " + valid + "!"}},
		{"tab instead of space", []string{"Bearer\t" + valid}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
			for _, v := range tc.values {
				req.Header.Add("Authorization", v)
			}
			rec, got := serve(f.auth, req)
			assertUnauthorized(t, rec, got)
		})
	}
}

// TestAcceptsValidTokens: a valid token is a member unless RoleClaim says otherwise, and the
// identity carries the claims the lead needs.
func TestAcceptsValidTokens(t *testing.T) {
	f := newFixture(t, nil)
	now := f.clock.Now()
	cases := []struct {
		name     string
		key      testKey
		changes  map[string]any
		role     bridge.Role
		verified bool
	}{
		{"no role claim: member", f.rsa, nil, bridge.RoleMember, true},
		{"ES256 key", f.ec, nil, bridge.RoleMember, true},
		{"secretariat as a string", f.rsa, map[string]any{"groups": "secretariat"}, bridge.RoleSecretariat, true},
		{"secretariat in a list", f.ec, map[string]any{"groups": []any{"staff", "secretariat"}}, bridge.RoleSecretariat, true},
		{"admin as a string", f.rsa, map[string]any{"groups": "bridge-admins"}, bridge.RoleAdmin, true},
		{"admin wins over secretariat", f.rsa, map[string]any{"groups": []any{"secretariat", "bridge-admins"}}, bridge.RoleAdmin, true},
		{"non-strings in the list are ignored", f.rsa, map[string]any{"groups": []any{7, true, "secretariat"}}, bridge.RoleSecretariat, true},
		{"role values match exactly", f.rsa, map[string]any{"groups": []any{"Secretariat", "BRIDGE-ADMINS"}}, bridge.RoleMember, true},
		{"other claims never give roles", f.rsa, map[string]any{"roles": []any{"bridge-admins"}, "role": "secretariat", "scope": "bridge-admins"}, bridge.RoleMember, true},
		{"role claim of another type", f.rsa, map[string]any{"groups": map[string]any{"bridge-admins": true}}, bridge.RoleMember, true},
		{"email_verified as the string true", f.rsa, map[string]any{"email_verified": "true"}, bridge.RoleMember, true},
		{"email not verified", f.rsa, map[string]any{"email_verified": false}, bridge.RoleMember, false},
		{"email_verified missing", f.rsa, map[string]any{"email_verified": nil}, bridge.RoleMember, false},
		{"aud list containing the API", f.rsa, map[string]any{"aud": []any{"other", testAudience}}, bridge.RoleMember, true},
		{"nbf within go-oidc's 5 minute leeway", f.rsa, map[string]any{"nbf": now.Add(4 * time.Minute).Unix()}, bridge.RoleMember, true},
		{"iat within the allowed skew", f.rsa, map[string]any{"iat": now.Add(time.Minute).Unix()}, bridge.RoleMember, true},
		{"no iat", f.rsa, map[string]any{"iat": nil}, bridge.RoleMember, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			token := tc.key.sign(t, f.claimsWith(tc.changes))
			id, err := f.auth.Verify(t.Context(), token)
			if err != nil {
				t.Fatal(err)
			}
			want := Identity{Issuer: f.iss.URL(), Subject: testSubject, Email: testEmail,
				EmailVerified: tc.verified, Role: tc.role, Name: "Ada Lovelace"}
			if id != want {
				t.Fatalf("identity = %+v, want %+v", id, want)
			}

			rec, got := serve(f.auth, bearerRequest(token))
			if rec.Code != http.StatusNoContent || got == nil {
				t.Fatalf("middleware: status %d, body %s", rec.Code, rec.Body)
			}
			if got.principal != (bridge.Principal{Role: tc.role}) {
				t.Fatalf("principal = %+v", got.principal)
			}
			if !got.hasID || got.identity != want {
				t.Fatalf("identity in context = %+v, %v", got.identity, got.hasID)
			}
		})
	}

	t.Run("lowercase scheme", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		req.Header.Set("Authorization", "bearer "+f.rsa.sign(t, f.claims()))
		if rec, got := serve(f.auth, req); got == nil || got.principal.Role != bridge.RoleMember {
			t.Fatalf("status %d", rec.Code)
		}
	})
}

// TestNestedRoleClaim: a dotted RoleClaim not found at the top level is a path (Keycloak's
// realm_access.roles), while a top-level claim whose name has dots wins (Auth0's namespaced
// claims).
func TestNestedRoleClaim(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.RoleClaim = "realm_access.roles" })
	nested := f.rsa.sign(t, f.claimsWith(map[string]any{"realm_access": map[string]any{"roles": []any{"secretariat"}}}))
	if id, err := f.auth.Verify(t.Context(), nested); err != nil || id.Role != bridge.RoleSecretariat {
		t.Fatalf("nested: %+v, %v", id, err)
	}
	flat := f.rsa.sign(t, f.claimsWith(map[string]any{
		"realm_access.roles": "bridge-admins",
		"realm_access":       map[string]any{"roles": []any{"secretariat"}},
	}))
	if id, err := f.auth.Verify(t.Context(), flat); err != nil || id.Role != bridge.RoleAdmin {
		t.Fatalf("flat: %+v, %v", id, err)
	}
}

// TestNoRoleClaimMeansMember: without RoleClaim every valid token is a member.
func TestNoRoleClaimMeansMember(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.RoleClaim, c.SecretariatValues, c.AdminValues = "", nil, nil
	})
	tok := f.rsa.sign(t, f.claimsWith(map[string]any{"groups": "bridge-admins"}))
	if id, err := f.auth.Verify(t.Context(), tok); err != nil || id.Role != bridge.RoleMember {
		t.Fatalf("%+v, %v", id, err)
	}
}

// TestAnonymousRequests: without an Authorization header the request goes on as anonymous, and a
// token in the query string is ignored (security.md rows 24, 25).
func TestAnonymousRequests(t *testing.T) {
	f := newFixture(t, nil)
	valid := f.rsa.sign(t, f.claimsWith(map[string]any{"groups": "bridge-admins"}))
	for _, target := range []string{"/graphql", "/graphql?access_token=" + valid} {
		rec, got := serve(f.auth, httptest.NewRequest(http.MethodPost, target, nil))
		if rec.Code != http.StatusNoContent || got == nil {
			t.Fatalf("%s: status %d", target, rec.Code)
		}
		if got.principal != bridge.Anonymous || got.hasID {
			t.Fatalf("%s: principal %+v, identity %v", target, got.principal, got.hasID)
		}
	}
}

// randomKid signs with an unpublished key under a kid nobody has seen.
func randomKid(t *testing.T, f *fixture, key testKey) string {
	t.Helper()
	return key.signAs(t, "kid-"+rand.Text(), key.alg, f.claims())
}

// TestUnknownKidRefreshesAreRateLimited: made-up kids cannot make the API hammer the provider
// (security.md row 34; go-oidc's RemoteKeySet fetched 20 times for 20 kids).
func TestUnknownKidRefreshesAreRateLimited(t *testing.T) {
	f := newFixture(t, nil)
	stranger := newECKey(t, "unused")
	fetches := func() int64 { return f.iss.jwksFetches.Load() }
	if fetches() != 1 {
		t.Fatalf("initial fetches = %d", fetches())
	}

	// Within the minimum interval after the initial fetch: no fetch at all.
	for range 20 {
		if _, err := f.auth.Verify(t.Context(), randomKid(t, f, stranger)); bridge.ErrorCode(err) != bridge.CodeUnauthenticated {
			t.Fatalf("unknown kid: %v", err)
		}
	}
	if fetches() != 1 {
		t.Fatalf("fetches within the minimum interval = %d, want 1 (the initial one)", fetches()-1)
	}

	// Once the interval has passed: 20 concurrent unknown kids share one fetch.
	f.clock.Advance(defaultKeyRefreshMinInterval)
	tokens := make([]string, 20)
	for i := range tokens {
		tokens[i] = randomKid(t, f, stranger)
	}
	var wg sync.WaitGroup
	for _, tok := range tokens {
		wg.Go(func() {
			if _, err := f.auth.Verify(context.Background(), tok); bridge.ErrorCode(err) != bridge.CodeUnauthenticated {
				t.Errorf("unknown kid: %v", err)
			}
		})
	}
	wg.Wait()
	if got := fetches() - 1; got != 1 {
		t.Fatalf("fetches for 20 unknown kids = %d, want 1", got)
	}

	// Known kids never fetch.
	for range 20 {
		if _, err := f.auth.Verify(t.Context(), f.ec.sign(t, f.claims())); err != nil {
			t.Fatal(err)
		}
	}
	if got := fetches() - 1; got != 1 {
		t.Fatalf("fetches after known kids = %d, want 1", got)
	}
}

// TestRotatedInKeyAcceptedAfterOneFetch: a key the provider starts using is picked up by one
// fetch once the minimum interval allows it (security.md row 35).
func TestRotatedInKeyAcceptedAfterOneFetch(t *testing.T) {
	f := newFixture(t, nil)
	next := newECKey(t, "ec-2")
	f.iss.publish(f.rsa, f.ec, next)

	// Right after a fetch the new kid is refused without fetching: the price of the rate limit.
	if _, err := f.auth.Verify(t.Context(), next.sign(t, f.claims())); bridge.ErrorCode(err) != bridge.CodeUnauthenticated {
		t.Fatalf("within the minimum interval: %v", err)
	}
	f.clock.Advance(defaultKeyRefreshMinInterval)
	for range 3 {
		if _, err := f.auth.Verify(t.Context(), next.sign(t, f.claims())); err != nil {
			t.Fatalf("new key: %v", err)
		}
	}
	if got := f.iss.jwksFetches.Load(); got != 2 {
		t.Fatalf("JWKS fetches = %d, want 2 (initial + one)", got)
	}
}

// TestRemovedKeyStopsWorkingAfterPeriodicRefresh: a key the provider withdrew verifies no more
// once the cache is KeyRefreshInterval old, without any unknown kid forcing a fetch
// (security.md row 36).
func TestRemovedKeyStopsWorkingAfterPeriodicRefresh(t *testing.T) {
	f := newFixture(t, nil)
	f.iss.publish(f.rsa) // ec-1 withdrawn

	f.clock.Advance(defaultKeyRefreshInterval - time.Second)
	if _, err := f.auth.Verify(t.Context(), f.ec.sign(t, f.claims())); err != nil {
		t.Fatalf("ec-1 before the refresh interval: %v", err)
	}
	if got := f.iss.jwksFetches.Load(); got != 1 {
		t.Fatalf("fetches before the refresh interval = %d", got)
	}

	f.clock.Advance(time.Second)
	token := f.ec.sign(t, f.claims())
	_, err := f.auth.Verify(t.Context(), token)
	if bridge.ErrorCode(err) != bridge.CodeUnauthenticated || !strings.HasSuffix(err.Error(), "unknown signing key") {
		t.Fatalf("ec-1 after the refresh interval: %v", err)
	}
	if got := f.iss.jwksFetches.Load(); got != 2 {
		t.Fatalf("fetches = %d, want 2", got)
	}
	rec, got := serve(f.auth, bearerRequest(token))
	assertUnauthorized(t, rec, got)
	if _, err := f.auth.Verify(t.Context(), f.rsa.sign(t, f.claims())); err != nil {
		t.Fatalf("rsa-1 still published: %v", err)
	}
}

// TestKeySetOutage: with the JWKS endpoint down, cached keys keep verifying, unknown kids are
// refused without waiting, and fetches stay rate-limited (security.md row 37).
func TestKeySetOutage(t *testing.T) {
	f := newFixture(t, nil)
	f.iss.setJWKSDown(true)
	stranger := newECKey(t, "unused")

	f.clock.Advance(defaultKeyRefreshInterval) // cache stale: the next verification tries a fetch
	if _, err := f.auth.Verify(t.Context(), f.rsa.sign(t, f.claims())); err != nil {
		t.Fatalf("known key with the JWKS down: %v", err)
	}
	if got := f.iss.jwksFetches.Load(); got != 2 {
		t.Fatalf("fetches = %d, want 2", got)
	}
	start := time.Now()
	for range 10 {
		if _, err := f.auth.Verify(t.Context(), randomKid(t, f, stranger)); bridge.ErrorCode(err) != bridge.CodeUnauthenticated {
			t.Fatalf("unknown kid: %v", err)
		}
		if _, err := f.auth.Verify(t.Context(), f.ec.sign(t, f.claims())); err != nil {
			t.Fatalf("known key: %v", err)
		}
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("took %v", d)
	}
	if got := f.iss.jwksFetches.Load(); got != 2 {
		t.Fatalf("fetches during the minimum interval = %d, want 2", got)
	}
	if !strings.Contains(f.logs.String(), "503") {
		t.Fatal("the failed fetch was not logged")
	}

	// Back up: the next permitted fetch refreshes the cache.
	f.iss.setJWKSDown(false)
	f.clock.Advance(defaultKeyRefreshMinInterval)
	if _, err := f.auth.Verify(t.Context(), f.rsa.sign(t, f.claims())); err != nil {
		t.Fatal(err)
	}
	if got := f.iss.jwksFetches.Load(); got != 3 {
		t.Fatalf("fetches = %d, want 3", got)
	}
}

// TestKeySetHangs: with the JWKS endpoint hanging, a verification that needs a fetch ends with
// its context, not with the fetch (security.md row 37), and the callers waiting for the same fetch
// are not cut short by the one that gave up.
func TestKeySetHangs(t *testing.T) {
	f := newFixture(t, nil)
	next := newECKey(t, "ec-2")
	f.iss.publish(f.rsa, f.ec, next)
	hold := make(chan struct{})
	f.iss.mu.Lock()
	f.iss.jwksHold = hold
	f.iss.mu.Unlock()
	released := false
	release := func() {
		if !released {
			released = true
			close(hold)
		}
	}
	t.Cleanup(release)

	f.clock.Advance(defaultKeyRefreshMinInterval)
	first := next.sign(t, f.claims())
	waiting := make(chan error, 1)
	go func() {
		_, err := f.auth.Verify(context.Background(), first)
		waiting <- err
	}()
	for f.iss.jwksFetches.Load() < 2 {
		time.Sleep(time.Millisecond)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := f.auth.Verify(ctx, next.sign(t, f.claims()))
	if bridge.ErrorCode(err) != bridge.CodeUnauthenticated || !strings.HasSuffix(err.Error(), "gave up waiting for signing keys") {
		t.Fatalf("Verify with a hanging JWKS: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("Verify with a hanging JWKS took %v", d)
	}

	release()
	if err := <-waiting; err != nil {
		t.Fatalf("the caller waiting for the fetch: %v", err)
	}
	if got := f.iss.jwksFetches.Load(); got != 2 {
		t.Fatalf("fetches = %d, want 2", got)
	}
}

// TestReadyAfterDiscoveryRetries: with the provider down at startup the Authenticator is not
// ready, answers UNAVAILABLE at once, serves anonymous requests, retries with backoff and turns
// ready when the provider comes back (security.md row 37).
func TestReadyAfterDiscoveryRetries(t *testing.T) {
	clock := newClock()
	key := newECKey(t, "ec-1")
	iss := newIssuer(t, key)
	iss.setDiscoveryDown(true)
	a, err := New(t.Context(), testConfig(iss.URL(), clock), nil)
	if err != nil {
		t.Fatal(err)
	}

	if err := a.Ready(); bridge.ErrorCode(err) != bridge.CodeUnavailable {
		t.Fatalf("Ready before discovery = %v", err)
	}
	token := key.sign(t, map[string]any{"iss": iss.URL(), "aud": testAudience, "sub": testSubject,
		"exp": clock.Now().Add(time.Minute).Unix()})
	start := time.Now()
	if _, err := a.Verify(t.Context(), token); bridge.ErrorCode(err) != bridge.CodeUnavailable {
		t.Fatalf("Verify before ready = %v", err)
	}
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Fatalf("Verify before ready took %v", d)
	}
	rec, got := serve(a, bearerRequest(token))
	if rec.Code != http.StatusServiceUnavailable || got != nil || rec.Body.String() != `{"errors":[{"message":"the service is temporarily unavailable; try again shortly","extensions":{"code":"UNAVAILABLE"}}]}` {
		t.Fatalf("middleware before ready: %d %s", rec.Code, rec.Body)
	}
	if _, got := serve(a, httptest.NewRequest(http.MethodPost, "/graphql", nil)); got == nil || got.principal != bridge.Anonymous {
		t.Fatal("anonymous request refused before ready")
	}

	// Wait for at least three attempts, then bring the provider back.
	deadline := time.Now().Add(5 * time.Second)
	for iss.discoveryHits.Load() < 3 {
		if time.Now().After(deadline) {
			t.Fatal("discovery was not retried")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := a.Ready(); err == nil || !strings.Contains(err.Error(), "503") {
		t.Fatalf("Ready while down = %v, want the last failure", err)
	}
	iss.setDiscoveryDown(false)
	waitReady(t, a)
	if _, err := a.Verify(t.Context(), token); err != nil {
		t.Fatalf("Verify once ready: %v", err)
	}
}

// TestDiscoveryStopsWithContext: loading gives up when its context ends and says so.
func TestDiscoveryStopsWithContext(t *testing.T) {
	iss := newIssuer(t, newECKey(t, "ec-1"))
	iss.setDiscoveryDown(true)
	ctx, cancel := context.WithCancel(t.Context())
	a, err := New(ctx, testConfig(iss.URL(), newClock()), nil)
	if err != nil {
		t.Fatal(err)
	}
	for iss.discoveryHits.Load() < 1 {
		time.Sleep(2 * time.Millisecond)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for err := a.Ready(); !strings.Contains(err.Error(), "stopped loading"); err = a.Ready() {
		if time.Now().After(deadline) {
			t.Fatalf("Ready = %v", err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	hits := iss.discoveryHits.Load()
	time.Sleep(50 * time.Millisecond) // more than the 20 ms maximum backoff of the test config
	if got := iss.discoveryHits.Load(); got != hits {
		t.Fatalf("discovery continued after cancel: %d → %d", hits, got)
	}
}

// TestDiscoveryIssuerMismatch: a discovery document naming another issuer never makes the
// Authenticator ready (go-oidc's exact issuer match).
func TestDiscoveryIssuerMismatch(t *testing.T) {
	iss := newIssuer(t, newECKey(t, "ec-1"))
	cfg := testConfig(strings.Replace(iss.URL(), "127.0.0.1", "localhost", 1), newClock())
	a, err := New(t.Context(), cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for err := a.Ready(); !strings.Contains(err.Error(), "did not match"); err = a.Ready() {
		if time.Now().After(deadline) {
			t.Fatalf("Ready = %v", err)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestConfig: New refuses configurations that would weaken verification, and fills in the
// documented defaults.
func TestConfig(t *testing.T) {
	valid := func() Config {
		return Config{Issuer: "https://idp.example.org/realms/nordic", Audience: testAudience}
	}
	bad := []struct {
		name   string
		mutate func(*Config)
	}{
		{"no issuer", func(c *Config) { c.Issuer = "" }},
		{"relative issuer", func(c *Config) { c.Issuer = "/realms/nordic" }},
		{"plain http to a remote issuer", func(c *Config) { c.Issuer = "http://idp.example.org" }},
		{"other scheme", func(c *Config) { c.Issuer = "ftp://idp.example.org" }},
		{"issuer with a query", func(c *Config) { c.Issuer = "https://idp.example.org/?tenant=x" }},
		{"no audience", func(c *Config) { c.Audience = "" }},
		{"blank audience", func(c *Config) { c.Audience = "  " }},
		{"HS256", func(c *Config) { c.SigningAlgs = []string{"HS256"} }},
		{"none", func(c *Config) { c.SigningAlgs = []string{"RS256", "none"} }},
		{"role values without a claim", func(c *Config) { c.AdminValues = []string{"admins"} }},
		{"empty role value", func(c *Config) { c.RoleClaim, c.SecretariatValues = "groups", []string{""} }},
		{"negative skew", func(c *Config) { c.MaxIssuedAtSkew = -time.Second }},
		{"negative refresh", func(c *Config) { c.KeyRefreshInterval = -time.Second }},
		{"minimum interval above the interval", func(c *Config) {
			c.KeyRefreshMinInterval, c.KeyRefreshInterval = time.Hour, time.Minute
		}},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.mutate(&c)
			if a, err := New(t.Context(), c, nil); err == nil || a != nil {
				t.Fatalf("accepted: %+v", c)
			}
		})
	}

	for _, issuer := range []string{"https://idp.example.org", "http://127.0.0.1:5556/dex", "http://localhost:8081/realms/x", "http://[::1]:5556"} {
		c := valid()
		c.Issuer = issuer
		if _, err := withDefaults(c); err != nil {
			t.Errorf("%s: %v", issuer, err)
		}
	}

	c, err := withDefaults(valid())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(c.SigningAlgs, ",") != "RS256,ES256" || c.MaxIssuedAtSkew != 2*time.Minute ||
		c.KeyRefreshMinInterval != 30*time.Second || c.KeyRefreshInterval != time.Hour ||
		c.HTTPClient == nil || c.HTTPClient.Timeout != 10*time.Second || c.Now == nil ||
		c.backoffMin != time.Second || c.backoffMax != 30*time.Second {
		t.Fatalf("defaults: %+v", c)
	}
}

// TestIdentityContext: IdentityFrom finds what WithIdentity stored, and nothing otherwise.
func TestIdentityContext(t *testing.T) {
	if _, ok := IdentityFrom(t.Context()); ok {
		t.Fatal("identity in an empty context")
	}
	want := Identity{Issuer: "https://idp.example.org", Subject: "s", Role: bridge.RoleMember}
	if got, ok := IdentityFrom(WithIdentity(t.Context(), want)); !ok || got != want {
		t.Fatalf("got %+v, %v", got, ok)
	}
}
