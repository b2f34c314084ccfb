package websession

// These tests run the whole authorization code flow against the real provider that `make test`
// starts (oidc/oidc.sh throwaway: Dex with the bridge-web client, whose redirect URI is on
// OIDC_WEB_PORT, where the handlers are served), driven with net/http and a cookie jar that
// posts Dex's own login form.

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testoidc"
)

// fakePeople signs every account in as the person "person:" + its subject.
type fakePeople struct{}

func (fakePeople) PersonForAccount(_ context.Context, _, subject string) (string, error) {
	return "person:" + subject, nil
}

type harness struct {
	web   testoidc.Web
	m     *Manager
	store *MemoryStore
	base  string
}

// whoami is what the test page /whoami shows of the request's principal.
type whoami struct {
	Role   bridge.Role
	Person string
	Email  string
	CSRF   string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	web := testoidc.Env(t)
	store := NewMemoryStore(100, 100, nil)
	m, err := New(Config{Issuer: web.Issuer, ClientID: web.ClientID, ClientSecret: web.ClientSecret, BaseURL: web.BaseURL,
		Scopes: []string{"openid", "email", "profile", "groups"}, RoleClaim: "groups",
		SecretariatValues: []string{"bridge-secretariat"}, AdminValues: []string{"bridge-admin"}},
		store, fakePeople{}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	r := chi.NewRouter()
	r.Use(m.Middleware)
	m.Mount(r)
	r.Get("/whoami", func(w http.ResponseWriter, r *http.Request) {
		p := bridge.PrincipalFrom(r.Context())
		id, _ := Current(r.Context())
		_ = json.NewEncoder(w).Encode(whoami{Role: p.Role, Person: p.PersonID, Email: id.Email, CSRF: CSRFToken(r.Context())})
	})
	r.Post("/form", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "done") })
	srv := httptest.NewUnstartedServer(r)
	_ = srv.Listener.Close()
	srv.Listener = web.Listen(t)
	srv.Start()
	t.Cleanup(srv.Close)
	return &harness{web: web, m: m, store: store, base: srv.URL}
}

// browser is a client with its own cookie jar that follows redirects, except (when stop is set)
// the provider's redirect to the callback, which it hands back.
func browser(t *testing.T, stop bool) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar}
	if stop {
		c.CheckRedirect = func(req *http.Request, _ []*http.Request) error {
			if req.URL.Path == CallbackPath {
				return http.ErrUseLastResponse
			}
			return nil
		}
	}
	return c
}

func noRedirect(c *http.Client) *http.Client {
	return &http.Client{Jar: c.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// toCallback starts a sign-in for role in c (which must stop at the callback) and returns the
// callback URL the provider sent the browser to, with its code and state.
func (h *harness) toCallback(t *testing.T, c *http.Client, role, ret string) *url.URL {
	t.Helper()
	page, err := c.Get(h.base + SignInPath + "?return=" + url.QueryEscape(ret))
	if err != nil {
		t.Fatal(err)
	}
	resp := testoidc.SubmitLogin(t, c, page, testoidc.Users[role])
	_ = resp.Body.Close()
	loc, err := resp.Location()
	if resp.StatusCode/100 != 3 || err != nil || loc.Path != CallbackPath {
		t.Fatalf("expected the provider's redirect to the callback, got %d %v", resp.StatusCode, loc)
	}
	if loc.Query().Get("code") == "" || loc.Query().Get("state") == "" {
		t.Fatalf("callback without code or state: %v", loc.Query())
	}
	return loc
}

// get requests path with c and returns the status and body.
func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (h *harness) whoami(t *testing.T, c *http.Client) whoami {
	t.Helper()
	code, body := get(t, c, h.base+"/whoami")
	var w whoami
	if code != http.StatusOK || json.Unmarshal([]byte(body), &w) != nil {
		t.Fatalf("/whoami: %d %s", code, body)
	}
	return w
}

// signIn runs the whole flow for role in a new browser and returns it.
func (h *harness) signIn(t *testing.T, role string) *http.Client {
	t.Helper()
	c := browser(t, false)
	page, err := c.Get(h.base + SignInPath + "?return=/whoami")
	if err != nil {
		t.Fatal(err)
	}
	resp := testoidc.SubmitLogin(t, c, page, testoidc.Users[role])
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/whoami" {
		t.Fatalf("sign-in as %s ended at %s with %d", role, resp.Request.URL, resp.StatusCode)
	}
	return c
}

func (h *harness) sessionCookie(c *http.Client) string {
	u, _ := url.Parse(h.base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == h.m.names.session {
			return ck.Value
		}
	}
	return ""
}

// TestCodeFlowWithPKCESignsIn: the authorization request carries the state, the nonce and an S256
// challenge (never the verifier); the callback sets a session cookie (HttpOnly, SameSite=Lax,
// Path=/, 256 random bits) and goes to the return path; the request then has the principal the
// API would build: the role from the groups claim and the person of the account.
func TestCodeFlowWithPKCESignsIn(t *testing.T) {
	h := newHarness(t)
	c := browser(t, true)
	resp, err := noRedirect(c).Get(h.base + SignInPath + "?return=" + url.QueryEscape("/whoami?x=1"))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	auth, err := resp.Location()
	if resp.StatusCode != http.StatusSeeOther || err != nil || !strings.HasPrefix(auth.String(), h.web.Issuer+"/auth?") {
		t.Fatalf("/signin: %d %v", resp.StatusCode, auth)
	}
	q := auth.Query()
	if q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 || q.Get("nonce") == "" ||
		q.Get("state") == "" || q.Get("client_id") != h.web.ClientID || q.Get("redirect_uri") != h.base+CallbackPath ||
		q.Has("code_verifier") || q.Get("response_type") != "code" {
		t.Fatalf("authorization request: %v", q)
	}
	var pending Pending
	h.store.mu.Lock()
	for _, p := range h.store.pending {
		pending = p
	}
	h.store.mu.Unlock()
	if pending.Verifier == "" || strings.Contains(auth.String(), pending.Verifier) || pending.Return != "/whoami?x=1" {
		t.Fatalf("pending sign-in: return %q, verifier kept %v", pending.Return, pending.Verifier != "")
	}

	// Dex's login form, then the callback by hand to look at its answer.
	page, err := c.Get(auth.String())
	if err != nil {
		t.Fatal(err)
	}
	back := testoidc.SubmitLogin(t, c, page, testoidc.Users["secretariat"])
	_ = back.Body.Close()
	cb, err := back.Location()
	if err != nil {
		t.Fatal(err)
	}
	resp, err = noRedirect(c).Get(cb.String())
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/whoami?x=1" {
		t.Fatalf("callback: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == "bridge_session" {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" ||
		session.Secure || session.Domain != "" || !validID(session.Value) {
		t.Fatalf("session cookie: %+v", session)
	}
	w := h.whoami(t, c)
	if w.Role != bridge.RoleSecretariat || !strings.HasPrefix(w.Person, "person:") || w.Email != "secretariat@example.org" ||
		w.CSRF == "" || w.CSRF == session.Value {
		t.Fatalf("signed in: %+v", w)
	}
	if sessions, pendings := h.store.Len(); sessions != 1 || pendings != 0 {
		t.Fatalf("store: %d sessions, %d pending", sessions, pendings)
	}
	for role, want := range map[string]bridge.Role{"member": bridge.RoleMember, "admin": bridge.RoleAdmin} {
		if got := h.whoami(t, h.signIn(t, role)).Role; got != want {
			t.Errorf("%s signed in as %s", role, got)
		}
	}
}

// TestStateMismatchIsRefused: a callback whose state is not the one this browser's sign-in
// generated is refused and creates no session; the pending sign-in is gone after that one try.
func TestStateMismatchIsRefused(t *testing.T) {
	h := newHarness(t)
	c := browser(t, true)
	cb := h.toCallback(t, c, "member", "/whoami")
	pre := preCookie(t, h, c)
	tampered := *cb
	q := tampered.Query()
	q.Set("state", newID())
	tampered.RawQuery = q.Encode()
	if code, _ := get(t, c, tampered.String()); code != http.StatusBadRequest {
		t.Fatalf("wrong state: %d", code)
	}
	setPre(t, h, c, pre)
	if code, _ := get(t, c, cb.String()); code != http.StatusBadRequest {
		t.Fatalf("the right state after a failed try: %d (a pending sign-in must be used once)", code)
	}
	if h.sessionCookie(c) != "" || h.whoami(t, c).Role != bridge.RoleAnonymous {
		t.Fatal("a refused callback created a session")
	}
	// A callback in a browser that never started a sign-in (a code injected from elsewhere).
	other := browser(t, false)
	if code, _ := get(t, other, cb.String()); code != http.StatusBadRequest {
		t.Fatalf("callback without a pre-session: %d", code)
	}
}

// TestReplayedCodeIsRefused: the callback works once; the same callback again (same pre-session
// cookie, same code and state) is refused, and the provider itself refuses the used code even with
// the right verifier.
func TestReplayedCodeIsRefused(t *testing.T) {
	h := newHarness(t)
	c := browser(t, true)
	cb := h.toCallback(t, c, "member", "/whoami")
	pre := preCookie(t, h, c)
	h.store.mu.Lock()
	verifier := h.store.pending[storeKey(pre)].Verifier
	h.store.mu.Unlock()
	if code, _ := get(t, c, cb.String()); code != http.StatusOK {
		t.Fatalf("first callback: %d", code)
	}
	first := h.sessionCookie(c)
	setPre(t, h, c, pre)
	if code, _ := get(t, c, cb.String()); code != http.StatusBadRequest {
		t.Fatalf("replayed callback: %d", code)
	}
	if h.sessionCookie(c) != first {
		t.Fatal("a replayed callback changed the session")
	}
	if code, body := h.exchange(t, cb.Query().Get("code"), verifier); code != http.StatusBadRequest || !strings.Contains(body, "invalid_grant") {
		t.Fatalf("the provider accepted a used code: %d %s", code, body)
	}
}

// TestMissingVerifierIsRefused: the provider refuses to exchange a code of our sign-in without
// the PKCE verifier, or with a wrong one (so a stolen code is useless without the server-side
// verifier); a callback whose pre-session (and so verifier) is missing is refused by us.
func TestMissingVerifierIsRefused(t *testing.T) {
	h := newHarness(t)
	c := browser(t, true)
	cb := h.toCallback(t, c, "member", "/whoami")
	code := cb.Query().Get("code")
	if status, body := h.exchange(t, code, ""); status != http.StatusBadRequest || !strings.Contains(body, "code_verifier") {
		t.Fatalf("exchange without verifier: %d %s", status, body)
	}
	if status, body := h.exchange(t, code, "wrong-"+strings.Repeat("v", 43)); status != http.StatusBadRequest || !strings.Contains(body, "invalid_grant") {
		t.Fatalf("exchange with a wrong verifier: %d %s", status, body)
	}
	// The pre-session cookie is gone (another browser, an expired sign-in): no verifier, refused.
	setPre(t, h, c, "")
	if status, _ := get(t, c, cb.String()); status != http.StatusBadRequest {
		t.Fatalf("callback without the pre-session: %d", status)
	}
	if h.whoami(t, c).Role != bridge.RoleAnonymous {
		t.Fatal("signed in without a verifier")
	}
}

// exchange posts the authorization code to the provider's token endpoint as the web client, with
// verifier when not empty, and returns the status and the OAuth error code and description (never
// the tokens of a success, which must not reach the test log).
func (h *harness) exchange(t *testing.T, code, verifier string) (int, string) {
	t.Helper()
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {h.base + CallbackPath}}
	if verifier != "" {
		form.Set("code_verifier", verifier)
	}
	req, _ := http.NewRequest(http.MethodPost, h.web.Issuer+"/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(h.web.ClientID, h.web.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&e)
	return resp.StatusCode, e.Error + ": " + e.Description
}

func preCookie(t *testing.T, h *harness, c *http.Client) string {
	t.Helper()
	u, _ := url.Parse(h.base)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == h.m.names.pending {
			return ck.Value
		}
	}
	t.Fatal("no pre-session cookie")
	return ""
}

// setPre puts the pre-session cookie back into the browser (a replay), or removes it ("").
func setPre(t *testing.T, h *harness, c *http.Client, value string) {
	t.Helper()
	u, _ := url.Parse(h.base)
	ck := &http.Cookie{Name: h.m.names.pending, Value: value, Path: "/"}
	if value == "" {
		ck.MaxAge = -1
	}
	c.Jar.SetCookies(u, []*http.Cookie{ck})
}

// post sends a form to path with c, as a browser on this site would unless headers say otherwise.
func (h *harness) post(t *testing.T, c *http.Client, path string, form url.Values, headers map[string]string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", h.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := noRedirect(c).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp
}

// TestCSRFProtection: an unsafe request needs the session's token (form field or header) and a
// same-origin request; signed out, the double-submit cookie's token.
func TestCSRFProtection(t *testing.T) {
	h := newHarness(t)
	c := h.signIn(t, "member")
	token := h.whoami(t, c).CSRF
	anon := browser(t, false)
	anonToken := h.whoami(t, anon).CSRF
	for _, tc := range []struct {
		name    string
		c       *http.Client
		form    url.Values
		headers map[string]string
		want    int
	}{
		{"signed in, right token", c, url.Values{CSRFField: {token}}, nil, http.StatusOK},
		{"signed in, token in the header", c, nil, map[string]string{CSRFHeader: token}, http.StatusOK},
		{"signed in, no token", c, nil, nil, http.StatusForbidden},
		{"signed in, wrong token", c, url.Values{CSRFField: {newID()}}, nil, http.StatusForbidden},
		{"signed in, the signed-out token", c, url.Values{CSRFField: {anonToken}}, nil, http.StatusForbidden},
		{"signed in, right token, cross-site", c, url.Values{CSRFField: {token}}, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}, http.StatusForbidden},
		{"signed in, right token, other origin, no fetch metadata", c, url.Values{CSRFField: {token}}, map[string]string{"Sec-Fetch-Site": "", "Origin": "https://evil.example"}, http.StatusForbidden},
		{"signed out, right token", anon, url.Values{CSRFField: {anonToken}}, nil, http.StatusOK},
		{"signed out, no token", anon, nil, nil, http.StatusForbidden},
		{"signed out, the session's token", anon, url.Values{CSRFField: {token}}, nil, http.StatusForbidden},
		{"signed out, no cookie", browser(t, false), url.Values{CSRFField: {anonToken}}, nil, http.StatusForbidden},
		{"sign-out without token", c, nil, nil, http.StatusForbidden},
	} {
		path := "/form"
		if strings.HasPrefix(tc.name, "sign-out") {
			path = SignOutPath
		}
		if got := h.post(t, tc.c, path, tc.form, tc.headers).StatusCode; got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.want)
		}
	}
	if h.whoami(t, c).Role != bridge.RoleMember {
		t.Fatal("a refused sign-out ended the session")
	}
}

// TestSessionIDRotatesAtSignIn: a session id planted before sign-in is not the one after it, and
// signing in again in a signed-in browser gives a new id and ends the old session.
func TestSessionIDRotatesAtSignIn(t *testing.T) {
	h := newHarness(t)
	c := browser(t, false)
	planted := newID()
	u, _ := url.Parse(h.base)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: h.m.names.session, Value: planted, Path: "/"}})
	page, err := c.Get(h.base + SignInPath)
	if err != nil {
		t.Fatal(err)
	}
	_ = testoidc.SubmitLogin(t, c, page, testoidc.Users["member"]).Body.Close()
	first := h.sessionCookie(c)
	if first == "" || first == planted || h.whoami(t, c).Role != bridge.RoleMember {
		t.Fatalf("after sign-in: planted id kept %v", first == planted)
	}
	if _, ok, _ := h.store.Session(context.Background(), storeKey(planted)); ok {
		t.Fatal("the planted id is a session")
	}
	page, err = c.Get(h.base + SignInPath)
	if err != nil {
		t.Fatal(err)
	}
	_ = testoidc.SubmitLogin(t, c, page, testoidc.Users["admin"]).Body.Close()
	second := h.sessionCookie(c)
	if second == "" || second == first || h.whoami(t, c).Role != bridge.RoleAdmin {
		t.Fatal("signing in again kept the session id")
	}
	old := browser(t, false)
	old.Jar.SetCookies(u, []*http.Cookie{{Name: h.m.names.session, Value: first, Path: "/"}})
	if h.whoami(t, old).Role != bridge.RoleAnonymous {
		t.Fatal("the session before the second sign-in still works")
	}
}

// TestSignOutEndsTheSession: sign-out (with the CSRF token) deletes the session on the server and
// the cookie, and goes to / (Dex advertises no end_session_endpoint); the old id is worthless.
func TestSignOutEndsTheSession(t *testing.T) {
	h := newHarness(t)
	c := h.signIn(t, "member")
	id := h.sessionCookie(c)
	resp := h.post(t, c, SignOutPath, url.Values{CSRFField: {h.whoami(t, c).CSRF}}, nil)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("sign-out: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if h.sessionCookie(c) != "" || h.whoami(t, c).Role != bridge.RoleAnonymous {
		t.Fatal("still signed in after sign-out")
	}
	replay := browser(t, false)
	u, _ := url.Parse(h.base)
	replay.Jar.SetCookies(u, []*http.Cookie{{Name: h.m.names.session, Value: id, Path: "/"}})
	if h.whoami(t, replay).Role != bridge.RoleAnonymous {
		t.Fatal("the signed-out session id still works")
	}
	if sessions, _ := h.store.Len(); sessions != 0 {
		t.Fatalf("%d sessions left", sessions)
	}
}

// TestReturnPathStaysLocal: a return address on another host ends at / after sign-in.
func TestReturnPathStaysLocal(t *testing.T) {
	h := newHarness(t)
	c := browser(t, false)
	page, err := c.Get(h.base + SignInPath + "?return=" + url.QueryEscape("//evil.example/x"))
	if err != nil {
		t.Fatal(err)
	}
	resp := testoidc.SubmitLogin(t, c, page, testoidc.Users["member"])
	_ = resp.Body.Close()
	if resp.Request.URL.Host != u(h.base).Host || resp.Request.URL.Path != "/" {
		t.Fatalf("ended at %s", resp.Request.URL)
	}
}

func u(s string) *url.URL {
	v, _ := url.Parse(s)
	return v
}
