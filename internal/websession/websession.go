// Package websession signs people in to the web app in their browser: the OpenID Connect
// authorization code flow with PKCE (S256) through golang.org/x/oauth2, the ID token verified
// with go-oidc (issuer, audience = the web client id, nonce, expiry), a server-side session
// behind a random cookie, and CSRF protection of every unsafe request. For a request with a
// valid session, Middleware puts the same bridge.Principal into the context as the API's bearer
// sign-in (auth.PrincipalFor), so that GraphQL executed in-process sees that principal.
//
// The API's bearer tokens (internal/auth) are untouched: this package is the browser's way in.
//
// Routes (Mount): GET /signin?return=/local/path, GET /auth/callback, POST /signout.
// Cookies (HttpOnly, SameSite=Lax, Path=/, Secure and the __Host- prefix when SecureCookies):
// the session id (256 random bits), the pre-session of a sign-in under way (its id; state, nonce
// and the PKCE verifier stay on the server) and, for signed-out visitors, the double-submit CSRF
// token. Nothing here logs a token, code, state, cookie or claim.
//
// Wiring (the composition root), when cfg.WebSignIn.Enabled():
//
//	m, err := websession.New(cfg.WebSignIn, store.WebSessions(), store, logger) // sessions in the graph, shared by every instance (nil: in this process's memory)
//	r.Use(m.Middleware) // on the web app's routes: principal, CSRF token, CSRF check
//	m.Mount(r)          // /signin, /auth/callback, /signout
//
// and in templates: <input type="hidden" name="csrf_token" value="{{.CSRF}}"> with
// websession.CSRFToken(ctx), and a sign-in link to /signin?return=<the current path>.
//
// One sign-in per browser at a time: a second /signin replaces the pre-session of the first,
// whose callback is then refused (start again).
package websession

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"golang.org/x/oauth2"

	"github.com/nordic-integration/bridge/internal/auth"
	"github.com/nordic-integration/bridge/internal/bridge"
)

// The paths of the sign-in routes.
const (
	SignInPath   = "/signin"
	CallbackPath = "/auth/callback"
	SignOutPath  = "/signout"
)

// CSRFField is the name of the form field that carries the CSRF token (CSRFToken); scripts may
// send the token in the CSRFHeader instead.
const (
	CSRFField  = "csrf_token"
	CSRFHeader = "X-CSRF-Token"
)

// Defaults of Config.
const (
	defaultSessionTTL  = 12 * time.Hour
	defaultIdleTimeout = time.Hour
	defaultPendingTTL  = 10 * time.Minute
	defaultMaxSessions = 100_000
	defaultMaxPending  = 10_000
	// maxIssuedAtSkew bounds how far in the future an ID token's iat may be (as internal/auth).
	maxIssuedAtSkew = 2 * time.Minute
	// requestTimeout bounds each call to the provider (discovery, token, keys).
	requestTimeout = 10 * time.Second
	// discoveryRetry is the least time between two failed discoveries, so that a provider that
	// is down is not asked at every click on "sign in".
	discoveryRetry = 5 * time.Second
	// maxFormBytes bounds a form body read for its CSRF token; maxMultipartMemory is what a
	// multipart body may hold in memory while it is parsed (the rest goes to temporary files).
	maxFormBytes       = 1 << 20
	maxMultipartMemory = 1 << 20
)

// Config is the web sign-in's setting. Issuer, ClientID and BaseURL are required.
type Config struct {
	// Issuer is the OpenID Connect provider (the same as the API's OIDC_ISSUER): https, or http
	// on loopback.
	Issuer string
	// ClientID is the web app's client at the provider; the ID token's aud must contain it.
	ClientID string
	// ClientSecret is the client's secret (client_secret_basic); empty for a public client,
	// which then relies on PKCE alone.
	ClientSecret string
	// BaseURL is where browsers reach the web app (scheme://host[:port], no path): the redirect
	// URI registered at the provider is BaseURL + CallbackPath, and the trusted origin of forms.
	BaseURL string
	// Scopes asked for; "openid" is always asked. Default: openid email profile.
	Scopes []string
	// RoleClaim, SecretariatValues and AdminValues: as auth.Config (the same settings).
	RoleClaim         string
	SecretariatValues []string
	AdminValues       []string
	// SecureCookies marks cookies Secure with the __Host- prefix: required outside development
	// (and implied by an https BaseURL).
	SecureCookies bool
	// SessionTTL is the absolute lifetime of a session (default 12 h), IdleTimeout how long it
	// lives unused (default 1 h), PendingTTL how long a started sign-in may take (default 10 min).
	SessionTTL  time.Duration
	IdleTimeout time.Duration
	PendingTTL  time.Duration
	// MaxSessions and MaxPending bound the default in-memory store (defaults 100,000 and 10,000).
	MaxSessions int
	MaxPending  int
	// HTTPClient talks to the provider (default: a client with a 10 s timeout).
	HTTPClient *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time
	// ErrorPage answers a refused sign-in or request (status 400, 403 or 503); default: a short
	// plain-text page. It must not echo anything of the request.
	ErrorPage func(w http.ResponseWriter, r *http.Request, status int)
}

// Enabled reports whether the web sign-in is configured (a ClientID; cmd/bridge leaves the whole
// Config zero without OIDC_WEB_CLIENT_ID).
func (c Config) Enabled() bool { return c.ClientID != "" }

// Manager serves the sign-in routes and the session middleware. Safe for concurrent use.
type Manager struct {
	cfg     Config
	store   Store
	people  auth.PersonFinder
	logger  *slog.Logger
	roles   auth.RoleMap
	base    *url.URL
	origins *http.CrossOriginProtection
	names   cookieNames

	mu          sync.Mutex
	prov        *providerState
	lastFailure time.Time
}

// providerState is what discovery gave.
type providerState struct {
	oauth      oauth2.Config
	verifier   *oidc.IDTokenVerifier
	endSession string // end_session_endpoint when the provider advertises one
}

// cookieNames are the names of the three cookies: with the __Host- prefix when Secure, which
// browsers accept only from a secure origin, without Domain and with Path=/, so that no other
// host (a sibling subdomain) can set or overwrite them.
type cookieNames struct{ session, pending, csrf string }

// New checks cfg and returns a Manager over store (nil: a MemoryStore bounded by MaxSessions and
// MaxPending); people resolves an account to its person as for the API. The provider is not
// contacted until the first sign-in. A nil logger discards logs.
func New(cfg Config, store Store, people auth.PersonFinder, logger *slog.Logger) (*Manager, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if people == nil {
		return nil, errors.New("websession: a PersonFinder is required")
	}
	cfg, base, err := withDefaults(cfg)
	if err != nil {
		return nil, err
	}
	roles, err := auth.NewRoleMap(cfg.RoleClaim, cfg.SecretariatValues, cfg.AdminValues)
	if err != nil {
		return nil, err
	}
	if store == nil {
		store = NewMemoryStore(cfg.MaxSessions, cfg.MaxPending, cfg.Now)
	}
	origins := http.NewCrossOriginProtection()
	if err := origins.AddTrustedOrigin(base.Scheme + "://" + base.Host); err != nil {
		return nil, fmt.Errorf("websession: BaseURL: %w", err)
	}
	names := cookieNames{session: "bridge_session", pending: "bridge_signin", csrf: "bridge_csrf"}
	if cfg.SecureCookies {
		names = cookieNames{session: "__Host-bridge_session", pending: "__Host-bridge_signin", csrf: "__Host-bridge_csrf"}
	}
	return &Manager{cfg: cfg, store: store, people: people, logger: logger, roles: roles, base: base,
		origins: origins, names: names}, nil
}

func withDefaults(cfg Config) (Config, *url.URL, error) {
	if err := checkURL("issuer", cfg.Issuer); err != nil {
		return cfg, nil, err
	}
	if strings.TrimSpace(cfg.ClientID) == "" {
		return cfg, nil, errors.New("websession: ClientID is required (the web app's client id at the provider)")
	}
	if err := checkURL("base URL", cfg.BaseURL); err != nil {
		return cfg, nil, err
	}
	base, _ := url.Parse(cfg.BaseURL)
	if base.Path != "" && base.Path != "/" {
		return cfg, nil, fmt.Errorf("websession: the base URL must have no path (the web app is served at /), got %q", cfg.BaseURL)
	}
	base.Path = ""
	switch {
	case base.Scheme == "https":
		cfg.SecureCookies = true
	case cfg.SecureCookies:
		return cfg, nil, errors.New("websession: secure cookies need an https base URL (a browser would not send them back over http)")
	}
	cfg.Scopes = slices.Clone(cfg.Scopes)
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{"email", "profile"}
	}
	if !slices.Contains(cfg.Scopes, oidc.ScopeOpenID) {
		cfg.Scopes = append([]string{oidc.ScopeOpenID}, cfg.Scopes...)
	}
	for _, d := range []struct {
		name string
		p    *time.Duration
		def  time.Duration
	}{{"SessionTTL", &cfg.SessionTTL, defaultSessionTTL}, {"IdleTimeout", &cfg.IdleTimeout, defaultIdleTimeout},
		{"PendingTTL", &cfg.PendingTTL, defaultPendingTTL}} {
		switch {
		case *d.p < 0:
			return cfg, nil, fmt.Errorf("websession: %s must not be negative", d.name)
		case *d.p == 0:
			*d.p = d.def
		}
	}
	if cfg.MaxSessions <= 0 {
		cfg.MaxSessions = defaultMaxSessions
	}
	if cfg.MaxPending <= 0 {
		cfg.MaxPending = defaultMaxPending
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: requestTimeout}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ErrorPage == nil {
		cfg.ErrorPage = defaultErrorPage
	}
	return cfg, base, nil
}

// checkURL accepts an absolute https URL, or http on a loopback host, without query or fragment.
func checkURL(what, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("websession: the %s must be an absolute URL without query or fragment, got %q", what, raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || (ip != nil && ip.IsLoopback()) {
			return nil
		}
		return fmt.Errorf("websession: the %s must use https (http is allowed on loopback only), got %q", what, raw)
	}
	return fmt.Errorf("websession: the %s must be an https URL, got %q", what, raw)
}

func defaultErrorPage(w http.ResponseWriter, _ *http.Request, status int) {
	msg := "Sign-in did not complete. Please start again from the sign-in link."
	switch status {
	case http.StatusForbidden:
		msg = "This form has expired or did not come from this site. Please go back, reload the page and try again."
	case http.StatusServiceUnavailable:
		msg = "Sign-in is temporarily unavailable. Please try again shortly."
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = fmt.Fprintln(w, msg)
}

// Mount registers the sign-in routes on r: GET /signin, GET /auth/callback and POST /signout
// (behind Middleware, for its CSRF check; running Middleware twice is harmless).
func (m *Manager) Mount(r chi.Router) {
	r.Get(SignInPath, m.signIn)
	r.Get(CallbackPath, m.callback)
	r.With(m.Middleware).Post(SignOutPath, m.signOut)
}

// RedirectURL is the redirect URI to register at the provider.
func (m *Manager) RedirectURL() string { return m.base.String() + CallbackPath }

// provider returns the discovered provider, discovering it on first use; after a failure it
// is not tried again for discoveryRetry.
func (m *Manager) provider(ctx context.Context) (*providerState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.prov != nil {
		return m.prov, nil
	}
	if !m.lastFailure.IsZero() && time.Since(m.lastFailure) < discoveryRetry {
		return nil, errors.New("websession: the identity provider did not answer recently; not retrying yet")
	}
	dctx, cancel := context.WithTimeout(m.clientContext(ctx), requestTimeout)
	defer cancel()
	p, err := oidc.NewProvider(dctx, m.cfg.Issuer)
	if err != nil {
		m.lastFailure = time.Now()
		return nil, fmt.Errorf("websession: discovery: %w", err)
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := p.Claims(&meta); err != nil {
		m.lastFailure = time.Now()
		return nil, fmt.Errorf("websession: discovery document: %w", err)
	}
	if meta.EndSession != "" {
		// A query is allowed there (OpenID Connect RP-Initiated Logout §2); the rest as the issuer.
		if u, err := url.Parse(meta.EndSession); err != nil || checkURL("end_session_endpoint", (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()) != nil || u.Fragment != "" {
			meta.EndSession = "" // not a URL we send browsers to
		}
	}
	endpoint := p.Endpoint()
	endpoint.AuthStyle = oauth2.AuthStyleInHeader // client_secret_basic, the default of OIDC
	if m.cfg.ClientSecret == "" {
		endpoint.AuthStyle = oauth2.AuthStyleInParams // a public client sends client_id only
	}
	m.prov = &providerState{
		oauth: oauth2.Config{ClientID: m.cfg.ClientID, ClientSecret: m.cfg.ClientSecret, Endpoint: endpoint,
			RedirectURL: m.RedirectURL(), Scopes: m.cfg.Scopes},
		// Never SkipClientIDCheck, SkipIssuerCheck or SkipExpiryCheck.
		verifier: p.Verifier(&oidc.Config{ClientID: m.cfg.ClientID, Now: m.cfg.Now,
			SupportedSigningAlgs: []string{oidc.RS256, oidc.ES256}}),
		endSession: meta.EndSession,
	}
	return m.prov, nil
}

// clientContext makes go-oidc and oauth2 use the configured HTTP client.
func (m *Manager) clientContext(ctx context.Context) context.Context {
	return oidc.ClientContext(context.WithValue(ctx, oauth2.HTTPClient, m.cfg.HTTPClient), m.cfg.HTTPClient)
}

// newID returns 256 random bits, base64url without padding (43 characters).
func newID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand panics on a broken source)
	return base64.RawURLEncoding.EncodeToString(b)
}

// validID reports whether s has the shape of newID's output, before it is used as a key.
func validID(s string) bool {
	if len(s) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// storeKey is what the store keys a session or pending sign-in by: the SHA-256 of its id.
func storeKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

func equal(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// cookie builds one of the package's cookies; maxAge < 0 deletes it, 0 makes it a browser-session
// cookie.
func (m *Manager) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		Secure: m.cfg.SecureCookies, SameSite: http.SameSiteLaxMode}
}

func cookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil || !validID(c.Value) {
		return ""
	}
	return c.Value
}

// reqState is what Middleware found for the request: the session (if any) and the CSRF token.
type reqState struct {
	session *Session
	csrf    string
}

type stateKey struct{}

func stateFrom(ctx context.Context) *reqState {
	st, _ := ctx.Value(stateKey{}).(*reqState)
	return st
}

// CSRFToken returns the token that forms of the current request must carry in the CSRFField
// (or scripts in the CSRFHeader): the session's synchronizer token when signed in, else the
// double-submit token of the signed-out visitor. Empty outside Middleware.
func CSRFToken(ctx context.Context) string {
	if st := stateFrom(ctx); st != nil {
		return st.csrf
	}
	return ""
}

// Current returns the identity of the signed-in browser (name and e-mail for display), false
// when signed out or outside Middleware.
func Current(ctx context.Context) (auth.Identity, bool) {
	if st := stateFrom(ctx); st != nil && st.session != nil {
		return st.session.Identity, true
	}
	return auth.Identity{}, false
}

// safeMethod reports the methods that must not change anything (RFC 9110 §9.2.1).
func safeMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// Middleware loads the session of the request and puts its principal into the context (the
// anonymous principal without one), with the CSRF token for the templates; it refuses (403) an
// unsafe request (POST, PUT, PATCH, DELETE …) that comes from another origin (Sec-Fetch-Site,
// else Origin: http.CrossOriginProtection) or does not carry the right CSRF token (compared in
// constant time). A signed-out visitor gets a double-submit token in a cookie at their first
// request. When the session store or the person lookup fails: 503.
func (m *Manager) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if stateFrom(ctx) != nil { // already done by an outer Middleware
			next.ServeHTTP(w, r)
			return
		}
		st := &reqState{}
		principal := bridge.Anonymous
		sess, err := m.load(ctx, r)
		if err != nil {
			m.logger.WarnContext(ctx, "web session: the session store failed", slog.String("error", err.Error()))
			m.cfg.ErrorPage(w, r, http.StatusServiceUnavailable)
			return
		}
		if sess != nil {
			principal, err = auth.PrincipalFor(ctx, m.people, sess.Identity)
			if err != nil {
				m.logger.WarnContext(ctx, "web session: could not resolve the signed-in person", slog.String("code", string(bridge.ErrorCode(err))))
				m.cfg.ErrorPage(w, r, http.StatusServiceUnavailable)
				return
			}
			st.session, st.csrf = sess, sess.CSRFToken
		} else if st.csrf = cookieValue(r, m.names.csrf); st.csrf == "" {
			st.csrf = newID()
			http.SetCookie(w, m.cookie(m.names.csrf, st.csrf, 0))
		}
		if !safeMethod(r.Method) {
			// Signing out of a session that has already ended (erased with its person, expired, or
			// signed out on another instance) needs no token: the page that offers it carried the
			// dead session's token, and there is nothing left to end but the cookie (and, at the
			// provider, the provider's own session). The origin is still checked.
			deadSignOut := sess == nil && r.URL.Path == SignOutPath && cookieValue(r, m.names.session) != ""
			if deadSignOut {
				if err := m.origins.Check(r); err != nil {
					m.logger.InfoContext(ctx, "web session: request refused", slog.String("reason", "cross-origin request"))
					m.cfg.ErrorPage(w, r, http.StatusForbidden)
					return
				}
			} else if reason := m.checkUnsafe(w, r, st.csrf); reason != "" {
				m.logger.InfoContext(ctx, "web session: request refused", slog.String("reason", reason))
				m.cfg.ErrorPage(w, r, http.StatusForbidden)
				return
			}
		}
		actor := bridge.Actor{Principal: principal, RequestID: middleware.GetReqID(ctx)}
		ctx = bridge.WithActor(context.WithValue(ctx, stateKey{}, st), actor)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// checkUnsafe returns why an unsafe request is refused, "" when it may go on.
func (m *Manager) checkUnsafe(w http.ResponseWriter, r *http.Request, want string) string {
	if err := m.origins.Check(r); err != nil {
		return "cross-origin request"
	}
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		got = formToken(w, r)
	}
	if !equal(want, got) {
		return "missing or wrong CSRF token"
	}
	return ""
}

// formToken reads the CSRF field of a urlencoded or multipart body (bounded), "" otherwise.
func formToken(w http.ResponseWriter, r *http.Request) string {
	ct := r.Header.Get("Content-Type")
	switch {
	case strings.HasPrefix(ct, "application/x-www-form-urlencoded"):
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if r.ParseForm() != nil {
			return ""
		}
		return r.PostForm.Get(CSRFField)
	case strings.HasPrefix(ct, "multipart/form-data"):
		if r.ParseMultipartForm(maxMultipartMemory) != nil {
			return ""
		}
		return r.PostForm.Get(CSRFField)
	}
	return ""
}

// load returns the live session of the request's cookie, nil when there is none; it moves the
// idle deadline when more than a tenth of the idle timeout has passed since it was last moved.
func (m *Manager) load(ctx context.Context, r *http.Request) (*Session, error) {
	id := cookieValue(r, m.names.session)
	if id == "" {
		return nil, nil
	}
	key := storeKey(id)
	s, ok, err := m.store.Session(ctx, key)
	if err != nil || !ok {
		return nil, err
	}
	now := m.cfg.Now()
	if !s.alive(now) {
		return nil, m.store.DeleteSession(ctx, key)
	}
	if next := now.Add(m.cfg.IdleTimeout); next.Sub(s.IdleExpires) > m.cfg.IdleTimeout/10 {
		if err := m.store.TouchSession(ctx, key, next); err != nil {
			return nil, err
		}
		s.IdleExpires = next
	}
	return &s, nil
}
