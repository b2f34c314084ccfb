package websession

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/auth"
	"github.com/nordic-integration/bridge/internal/bridge"
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func newClock() *clock { return &clock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

func TestSafeReturn(t *testing.T) {
	for in, want := range map[string]string{
		"":                              "/",
		"/":                             "/",
		"/people?q=anna&first=10":       "/people?q=anna&first=10",
		"/people/UGVyc29uOjE#top":       "/people/UGVyc29uOjE#top",
		"//evil.example/x":              "/",
		"/\\evil.example":               "/",
		"/ok\\..\\x":                    "/",
		"https://evil.example/":         "/",
		"http:/evil.example":            "/",
		"evil.example":                  "/",
		"people":                        "/",
		"/a\r\nSet-Cookie: x=1":         "/",
		"/a\tb":                         "/",
		"javascript:alert(1)":           "/",
		"/" + strings.Repeat("a", 3000): "/",
	} {
		if got := SafeReturn(in); got != want {
			t.Errorf("SafeReturn(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConfigIsChecked(t *testing.T) {
	ok := Config{Issuer: "https://id.example.org", ClientID: "bridge-web", BaseURL: "https://bridge.example.org"}
	for name, tc := range map[string]struct {
		change func(*Config)
		bad    string
	}{
		"https everywhere":             {func(*Config) {}, ""},
		"loopback http in development": {func(c *Config) { c.Issuer, c.BaseURL = "http://127.0.0.1:5556/dex", "http://localhost:8080" }, ""},
		"http issuer elsewhere":        {func(c *Config) { c.Issuer = "http://id.example.org" }, "issuer must use https"},
		"no client id":                 {func(c *Config) { c.ClientID = " " }, "ClientID is required"},
		"no base URL":                  {func(c *Config) { c.BaseURL = "" }, "base URL must be an absolute URL"},
		"base URL with a path":         {func(c *Config) { c.BaseURL = "https://x.example/bridge" }, "no path"},
		"base URL with a query":        {func(c *Config) { c.BaseURL = "https://x.example/?a=1" }, "without query"},
		"secure cookies over http": {func(c *Config) {
			c.BaseURL, c.SecureCookies = "http://127.0.0.1:8080", true
		}, "https base URL"},
		"negative idle":                  {func(c *Config) { c.IdleTimeout = -time.Second }, "IdleTimeout"},
		"role values without a claim":    {func(c *Config) { c.AdminValues = []string{"a"} }, "RoleClaim is empty"},
		"an empty role value is refused": {func(c *Config) { c.RoleClaim, c.AdminValues = "groups", []string{""} }, "empty role claim value"},
	} {
		cfg := ok
		tc.change(&cfg)
		_, err := New(cfg, nil, fakePeople{}, nil)
		switch {
		case tc.bad == "" && err != nil:
			t.Errorf("%s: %v", name, err)
		case tc.bad != "" && (err == nil || !strings.Contains(err.Error(), tc.bad)):
			t.Errorf("%s: got %v, want an error with %q", name, err, tc.bad)
		}
	}
	m, err := New(ok, nil, fakePeople{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !m.cfg.SecureCookies || m.names.session != "__Host-bridge_session" || m.cfg.Scopes[0] != "openid" ||
		m.RedirectURL() != "https://bridge.example.org/auth/callback" {
		t.Fatalf("an https base URL: secure %v, cookie %q, scopes %v, redirect %q", m.cfg.SecureCookies, m.names.session, m.cfg.Scopes, m.RedirectURL())
	}
	if _, err := New(ok, nil, nil, nil); err == nil {
		t.Fatal("no PersonFinder accepted")
	}
}

func TestMemoryStore(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	s := NewMemoryStore(2, 2, c.Now)
	sess := func(life time.Duration) Session {
		return Session{CSRFToken: "t", Expires: c.Now().Add(life), IdleExpires: c.Now().Add(life / 2)}
	}
	_ = s.PutSession(ctx, "a", sess(4*time.Hour))
	_ = s.PutSession(ctx, "b", sess(2*time.Hour))
	if _, ok, _ := s.Session(ctx, "a"); !ok {
		t.Fatal("a is missing")
	}
	// Full: the session closest to its end (b) makes room for c.
	_ = s.PutSession(ctx, "c", sess(4*time.Hour))
	if _, ok, _ := s.Session(ctx, "b"); ok {
		t.Fatal("b was not evicted")
	}
	if n, _ := s.Len(); n != 2 {
		t.Fatalf("%d sessions held, bound 2", n)
	}
	// Idle: a lives on when touched, c does not.
	c.Advance(90 * time.Minute)
	_ = s.TouchSession(ctx, "a", c.Now().Add(2*time.Hour))
	c.Advance(time.Hour)
	if _, ok, _ := s.Session(ctx, "c"); ok {
		t.Fatal("c outlived its idle deadline")
	}
	if _, ok, _ := s.Session(ctx, "a"); !ok {
		t.Fatal("a touched but gone")
	}
	// Absolute: touching does not extend past Expires.
	c.Advance(2 * time.Hour)
	if _, ok, _ := s.Session(ctx, "a"); ok {
		t.Fatal("a outlived its absolute expiry")
	}
	_ = s.DeleteSession(ctx, "a")

	// Pending sign-ins are taken once, and not after they expire.
	_ = s.PutPending(ctx, "p", Pending{State: "s", Expires: c.Now().Add(10 * time.Minute)})
	_ = s.PutPending(ctx, "q", Pending{State: "s", Expires: c.Now().Add(10 * time.Minute)})
	if p, ok, _ := s.TakePending(ctx, "p"); !ok || p.State != "s" {
		t.Fatal("p not found")
	}
	if _, ok, _ := s.TakePending(ctx, "p"); ok {
		t.Fatal("p taken twice")
	}
	c.Advance(11 * time.Minute)
	if _, ok, _ := s.TakePending(ctx, "q"); ok {
		t.Fatal("q taken after expiry")
	}
	for _, k := range []string{"1", "2", "3"} {
		_ = s.PutPending(ctx, k, Pending{Expires: c.Now().Add(time.Minute)})
	}
	if _, n := s.Len(); n != 2 {
		t.Fatalf("%d pending held, bound 2", n)
	}
}

type recordingPeople struct {
	mu    sync.Mutex
	calls int
	err   error
}

func (p *recordingPeople) PersonForAccount(_ context.Context, issuer, subject string) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	return "person-1", p.err
}

// unitManager is a Manager whose provider is never contacted, with a session for identity id
// put straight into its store; it returns the manager and the session cookie.
func unitManager(t *testing.T, c *clock, people auth.PersonFinder) (*Manager, *http.Cookie) {
	t.Helper()
	m, err := New(Config{Issuer: "http://127.0.0.1:1/dex", ClientID: "bridge-web", BaseURL: "http://127.0.0.1:8080",
		IdleTimeout: time.Hour, SessionTTL: 8 * time.Hour, Now: c.Now}, NewMemoryStore(10, 10, c.Now), people, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	id := newID()
	_ = m.store.PutSession(context.Background(), storeKey(id), Session{
		Identity:  auth.Identity{Issuer: "http://127.0.0.1:1/dex", Subject: "sub-1", Email: "a@example.org", EmailVerified: true, Role: bridge.RoleSecretariat},
		CSRFToken: newID(), Expires: c.Now().Add(8 * time.Hour), IdleExpires: c.Now().Add(time.Hour)})
	return m, &http.Cookie{Name: m.names.session, Value: id}
}

func principalOf(t *testing.T, m *Manager, ck *http.Cookie) (int, bridge.Principal) {
	t.Helper()
	var got bridge.Principal
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = bridge.PrincipalFrom(r.Context()) }))
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	if ck != nil {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, got
}

// TestMiddlewarePrincipalAndIdleTimeout: a live session gives the API's principal (role, person
// through the PersonFinder, account); use keeps it alive, an hour unused ends it, and so does the
// absolute lifetime however busy the browser is.
func TestMiddlewarePrincipalAndIdleTimeout(t *testing.T) {
	c := newClock()
	people := &recordingPeople{}
	m, ck := unitManager(t, c, people)
	_, p := principalOf(t, m, ck)
	if p.Role != bridge.RoleSecretariat || p.PersonID != "person-1" || p.Account == nil || p.Account.Subject != "sub-1" || !p.Account.EmailVerified {
		t.Fatalf("principal: %+v", p)
	}
	for range 9 { // used every 50 minutes: 7.5 hours
		c.Advance(50 * time.Minute)
		if _, p := principalOf(t, m, ck); p.Role != bridge.RoleSecretariat {
			t.Fatalf("a session in use ended after %s", c.Now().Sub(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)))
		}
	}
	c.Advance(50 * time.Minute) // 8 h 20 min: past SessionTTL
	if _, p := principalOf(t, m, ck); p.Role != bridge.RoleAnonymous {
		t.Fatal("a session outlived its absolute lifetime")
	}

	m, ck = unitManager(t, c, people)
	c.Advance(61 * time.Minute)
	if _, p := principalOf(t, m, ck); p.Role != bridge.RoleAnonymous {
		t.Fatal("a session outlived its idle timeout")
	}
	if _, p := principalOf(t, m, nil); p != bridge.Anonymous {
		t.Fatalf("no cookie: %+v", p)
	}
	if _, p := principalOf(t, m, &http.Cookie{Name: m.names.session, Value: "not-an-id"}); p != bridge.Anonymous {
		t.Fatalf("malformed cookie: %+v", p)
	}

	// The person lookup failing is a 503, never an anonymous request.
	people.err = bridge.Unavailable(context.DeadlineExceeded)
	m, ck = unitManager(t, c, people)
	if code, _ := principalOf(t, m, ck); code != http.StatusServiceUnavailable {
		t.Fatalf("lookup failed: %d", code)
	}
}

// TestSignOutGoesToTheProviderWhenAdvertised: with an end_session_endpoint in discovery, sign-out
// sends the browser there with the client id and the base URL to come back to, and no token.
func TestSignOutGoesToTheProviderWhenAdvertised(t *testing.T) {
	var issuer string
	provider := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": issuer, "authorization_endpoint": issuer + "/auth",
			"token_endpoint": issuer + "/token", "jwks_uri": issuer + "/keys", "end_session_endpoint": issuer + "/logout?x=1",
			"id_token_signing_alg_values_supported": []string{"RS256"}})
	}))
	defer provider.Close()
	issuer = provider.URL
	c := newClock()
	m, err := New(Config{Issuer: issuer, ClientID: "bridge-web", BaseURL: "http://127.0.0.1:8080", Now: c.Now},
		nil, fakePeople{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	id := newID()
	_ = m.store.PutSession(context.Background(), storeKey(id), Session{Identity: auth.Identity{Subject: "s", Role: bridge.RoleMember},
		CSRFToken: "tok-" + id, Expires: c.Now().Add(time.Hour), IdleExpires: c.Now().Add(time.Hour)})
	req := httptest.NewRequest(http.MethodPost, SignOutPath, strings.NewReader(url.Values{CSRFField: {"tok-" + id}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.AddCookie(&http.Cookie{Name: m.names.session, Value: id})
	rec := httptest.NewRecorder()
	m.Middleware(http.HandlerFunc(m.signOut)).ServeHTTP(rec, req)
	loc, _ := url.Parse(rec.Header().Get("Location"))
	if rec.Code != http.StatusSeeOther || loc == nil || loc.Path != "/logout" || loc.Query().Get("x") != "1" ||
		loc.Query().Get("client_id") != "bridge-web" || loc.Query().Get("post_logout_redirect_uri") != "http://127.0.0.1:8080/" ||
		loc.Query().Has("id_token_hint") {
		t.Fatalf("sign-out: %d to %v", rec.Code, loc)
	}
	if _, ok, _ := m.store.Session(context.Background(), storeKey(id)); ok {
		t.Fatal("the session survived sign-out")
	}
}

// TestSignedOutVisitorGetsACSRFCookie: the first request of a signed-out visitor sets the
// double-submit cookie (HttpOnly, SameSite=Lax) whose value CSRFToken gives the templates; the
// next request keeps it.
func TestSignedOutVisitorGetsACSRFCookie(t *testing.T) {
	m, _ := unitManager(t, newClock(), fakePeople{})
	var token string
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { token = CSRFToken(r.Context()) }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	cks := rec.Result().Cookies()
	if len(cks) != 1 || cks[0].Name != "bridge_csrf" || cks[0].Value != token || !cks[0].HttpOnly || cks[0].SameSite != http.SameSiteLaxMode || !validID(token) {
		t.Fatalf("cookies %+v, token %q", cks, token)
	}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.AddCookie(cks[0])
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if len(rec.Result().Cookies()) != 0 || token != cks[0].Value {
		t.Fatal("the token changed at the second request")
	}
	if CSRFToken(context.Background()) != "" {
		t.Fatal("a token outside the middleware")
	}
}

// TestSigningOutOfAnEndedSession: when the session behind the cookie has ended (erased with its
// person, or signed out on another instance), the sign-out form of the page still works without
// a token; a live session still needs its token, and a cross-origin post is refused either way.
func TestSigningOutOfAnEndedSession(t *testing.T) {
	c := newClock()
	m, live := unitManager(t, c, fakePeople{})
	post := func(ck *http.Cookie, site string) int {
		req := httptest.NewRequest(http.MethodPost, SignOutPath, strings.NewReader(url.Values{CSRFField: {"a-dead-sessions-token"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", site)
		req.AddCookie(ck)
		rec := httptest.NewRecorder()
		m.Middleware(http.HandlerFunc(m.signOut)).ServeHTTP(rec, req)
		return rec.Code
	}
	ended := &http.Cookie{Name: m.names.session, Value: newID()}
	if code := post(ended, "same-origin"); code != http.StatusSeeOther {
		t.Fatalf("signing out of an ended session: %d, want 303", code)
	}
	if code := post(ended, "cross-site"); code != http.StatusForbidden {
		t.Fatalf("a cross-site sign-out of an ended session: %d, want 403", code)
	}
	if code := post(live, "same-origin"); code != http.StatusForbidden {
		t.Fatalf("signing out of a live session with a wrong token: %d, want 403", code)
	}
	if _, ok, _ := m.store.Session(context.Background(), storeKey(live.Value)); !ok {
		t.Fatal("a refused sign-out ended the session")
	}
}
