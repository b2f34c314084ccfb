// Package auth authenticates API callers by the bearer token their OpenID Connect provider
// issued, using go-oidc for discovery and the standard claim checks (signature, issuer, audience,
// expiry) and adding what go-oidc leaves out: a required subject, a bound on iat in the future,
// a key set whose refreshes are rate-limited and periodic, and roles taken only from one
// configured claim. It knows nothing of people: it yields an Identity keyed by (issuer,
// subject) and a principal with a role, and the caller resolves the person.
package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Defaults of Config. They follow security.md §2: go-oidc's minimum of RS256 plus ES256, a
// small clock skew for iat, unknown-kid refreshes no more often than every 30 s, and an hourly
// refresh so a key the provider withdrew stops verifying within the hour.
const (
	defaultMaxIssuedAtSkew       = 2 * time.Minute
	defaultKeyRefreshMinInterval = 30 * time.Second
	defaultKeyRefreshInterval    = time.Hour
	defaultHTTPTimeout           = 10 * time.Second

	// requestTimeout bounds every call to the provider (discovery, JWKS) even when the caller's
	// HTTP client has no timeout of its own.
	requestTimeout = 10 * time.Second

	// The discovery retry starts at a second and doubles up to half a minute: quick enough that
	// a provider that was briefly down is picked up soon, slow enough not to hammer one that is
	// down for long.
	defaultBackoffMin = time.Second
	defaultBackoffMax = 30 * time.Second

	// maxTokenBytes rejects absurd tokens before any parsing. Real tokens, even Entra ID tokens
	// with many groups, stay well below it; the HTTP server caps headers at 16 KiB anyway.
	maxTokenBytes = 16 << 10
)

// defaultSigningAlgs returns what Config.SigningAlgs defaults to, a new slice each time so that
// no caller can change the default.
func defaultSigningAlgs() []string { return []string{oidc.RS256, oidc.ES256} }

// isAsymmetricAlg reports whether SigningAlgs may name alg. HMAC and "none" are refused on
// purpose: a verifier that accepts HS256 can be fooled into using the public key as the secret.
func isAsymmetricAlg(alg string) bool {
	switch alg {
	case oidc.RS256, oidc.RS384, oidc.RS512,
		oidc.PS256, oidc.PS384, oidc.PS512,
		oidc.ES256, oidc.ES384, oidc.ES512,
		oidc.EdDSA:
		return true
	}
	return false
}

// Config says which provider to trust and how its tokens map to roles.
type Config struct {
	// Issuer is the provider's issuer URL, exactly as it appears in discovery and in iss. It
	// must be https, except on a loopback host (tests, a local Dex).
	Issuer string
	// Audience is the API's client id, which must be in aud. It is required: without it any
	// token minted for another client of the same provider would be accepted.
	Audience string
	// RoleClaim names the claim (a string or a list of strings) whose values map to roles, such
	// as "groups" or "roles". A claim name that is not found at the top level and contains dots
	// is looked up as a path of nested objects ("realm_access.roles" in Keycloak). Empty means
	// every signed-in caller is a member.
	RoleClaim string
	// SecretariatValues are the RoleClaim values that make a SECRETARIAT principal.
	SecretariatValues []string
	// AdminValues are the RoleClaim values that make an ADMIN principal; ADMIN wins over
	// SECRETARIAT when both match.
	AdminValues []string
	// AllowedClients, when set, are the client ids (azp, else client_id, else a single aud) whose
	// tokens the API accepts; empty accepts every client whose token has the API in aud.
	AllowedClients []string
	// RequireAccessTokenType accepts only tokens whose JWT header says typ "at+jwt" (RFC 9068
	// §2.1), which stops ID tokens from working as access tokens. Off by default: Dex and
	// Keycloak (by default) issue access tokens as "JWT" or without typ.
	RequireAccessTokenType bool
	// SigningAlgs are the accepted signature algorithms, asymmetric only; default RS256, ES256.
	SigningAlgs []string
	// MaxIssuedAtSkew is how far in the future iat may be (clock skew); default 2 minutes.
	MaxIssuedAtSkew time.Duration
	// KeyRefreshMinInterval is the least time between two fetches of the provider's keys, so
	// tokens with made-up key ids cannot make us hammer the provider; default 30 s.
	KeyRefreshMinInterval time.Duration
	// KeyRefreshInterval is the greatest age of the cached keys before they are fetched again,
	// so a key the provider removed stops verifying within it; default 1 h.
	KeyRefreshInterval time.Duration
	// HTTPClient talks to the provider; default a client with a 10 s timeout. Every call also
	// carries a 10 s deadline of its own.
	HTTPClient *http.Client
	// Now is the clock (injectable for tests); default time.Now.
	Now func() time.Time

	// backoffMin and backoffMax bound the discovery retry delay; tests shorten them.
	backoffMin, backoffMax time.Duration
}

// Identity is who a valid token says the caller is. Issuer and Subject together are the stable
// key of the account; Email may change at the provider and must not be used as a key.
type Identity struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
	Role          bridge.Role
	Name          string
}

// Authenticator verifies bearer tokens of one provider. It is safe for concurrent use.
type Authenticator struct {
	cfg    Config
	logger *slog.Logger
	roles  RoleMap

	// state is nil until discovery and the first key fetch have succeeded.
	state atomic.Pointer[providerState]

	mu      sync.Mutex
	lastErr error // why state is still nil, for Ready
}

// providerState is what a successful discovery produced.
type providerState struct {
	verifier *oidc.IDTokenVerifier
	keys     *keySet
}

// Errors that Verify wraps in a *bridge.Error; their text is safe to log (no token, no claims).
var (
	errNotReady = errors.New("auth: the identity provider is not loaded yet")
	errInvalid  = errors.New("auth: invalid token")
)

// New checks cfg and starts loading the provider (discovery, then its keys) in the background,
// retrying with exponential backoff (1 s doubling to 30 s) until it succeeds or ctx is done, so
// the API can start while the provider is down and turn ready when it comes back. ctx should
// live as long as the server. Until loading succeeds, Ready returns an error and Verify answers
// UNAVAILABLE. A nil logger discards logs.
func New(ctx context.Context, cfg Config, logger *slog.Logger) (*Authenticator, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	cfg, err := withDefaults(cfg)
	if err != nil {
		return nil, err
	}
	roles, _ := NewRoleMap(cfg.RoleClaim, cfg.SecretariatValues, cfg.AdminValues) // checked by withDefaults
	a := &Authenticator{
		cfg:     cfg,
		logger:  logger,
		roles:   roles,
		lastErr: errors.New("auth: discovery has not completed yet"),
	}
	go a.load(ctx)
	return a, nil
}

// withDefaults validates cfg and fills in the defaults. Slices are copied so that the caller
// cannot change them under a running Authenticator.
func withDefaults(cfg Config) (Config, error) {
	if err := checkProviderURL("issuer", cfg.Issuer); err != nil {
		return cfg, err
	}
	if strings.TrimSpace(cfg.Audience) == "" {
		return cfg, errors.New("auth: Audience is required (the API's client id); tokens for other clients must not be accepted")
	}
	if _, err := NewRoleMap(cfg.RoleClaim, cfg.SecretariatValues, cfg.AdminValues); err != nil {
		return cfg, err
	}
	cfg.SecretariatValues = slices.Clone(cfg.SecretariatValues)
	cfg.AdminValues = slices.Clone(cfg.AdminValues)

	if len(cfg.SigningAlgs) == 0 {
		cfg.SigningAlgs = defaultSigningAlgs()
	} else {
		cfg.SigningAlgs = slices.Clone(cfg.SigningAlgs)
	}
	for _, alg := range cfg.SigningAlgs {
		if !isAsymmetricAlg(alg) {
			return cfg, fmt.Errorf("auth: signing algorithm %q is not allowed (RS*, PS*, ES* or EdDSA only)", alg)
		}
	}

	durations := []struct {
		name string
		d    *time.Duration
		def  time.Duration
	}{
		{"MaxIssuedAtSkew", &cfg.MaxIssuedAtSkew, defaultMaxIssuedAtSkew},
		{"KeyRefreshMinInterval", &cfg.KeyRefreshMinInterval, defaultKeyRefreshMinInterval},
		{"KeyRefreshInterval", &cfg.KeyRefreshInterval, defaultKeyRefreshInterval},
		{"backoffMin", &cfg.backoffMin, defaultBackoffMin},
		{"backoffMax", &cfg.backoffMax, defaultBackoffMax},
	}
	for _, d := range durations {
		switch {
		case *d.d < 0:
			return cfg, fmt.Errorf("auth: %s must not be negative", d.name)
		case *d.d == 0:
			*d.d = d.def
		}
	}
	if cfg.KeyRefreshMinInterval > cfg.KeyRefreshInterval {
		return cfg, errors.New("auth: KeyRefreshMinInterval must not exceed KeyRefreshInterval")
	}
	if cfg.backoffMin > cfg.backoffMax {
		cfg.backoffMax = cfg.backoffMin
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: defaultHTTPTimeout}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return cfg, nil
}

// checkProviderURL accepts an absolute https URL, or http on a loopback host: keys fetched over
// plain HTTP from elsewhere could be replaced on the way, and with them every identity.
func checkProviderURL(what, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("auth: the %s must be an absolute URL without query or fragment, got %q", what, raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("auth: the %s must use https (http is allowed on loopback only), got %q", what, raw)
	default:
		return fmt.Errorf("auth: the %s must be an https URL, got %q", what, raw)
	}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func setOf(values []string) map[string]bool {
	m := make(map[string]bool, len(values))
	for _, v := range values {
		m[v] = true
	}
	return m
}

// load runs discovery until it succeeds or ctx is done, waiting backoffMin, then twice as long
// after each failure, up to backoffMax.
func (a *Authenticator) load(ctx context.Context) {
	delay := a.cfg.backoffMin
	for {
		err := a.discover(ctx)
		if err == nil {
			a.logger.InfoContext(ctx, "identity provider loaded", slog.String("issuer", a.cfg.Issuer))
			return
		}
		a.setErr(err)
		a.logger.WarnContext(ctx, "identity provider not loaded; retrying",
			slog.String("issuer", a.cfg.Issuer), slog.String("error", err.Error()),
			slog.Duration("retry_in", delay))

		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			a.setErr(fmt.Errorf("auth: stopped loading the identity provider: %w (last error: %v)", ctx.Err(), err))
			return
		case <-timer.C:
		}
		delay = min(2*delay, a.cfg.backoffMax)
	}
}

// discover does one attempt: discovery through go-oidc (which checks that the discovered issuer
// is exactly cfg.Issuer), then the first fetch of the keys. Only when both succeed does the
// Authenticator become ready, so that Ready means "tokens can be verified now".
func (a *Authenticator) discover(ctx context.Context) error {
	dctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	provider, err := oidc.NewProvider(oidc.ClientContext(dctx, a.cfg.HTTPClient), a.cfg.Issuer)
	if err != nil {
		return fmt.Errorf("auth: discovery: %w", err)
	}
	var meta struct {
		JWKSURL string `json:"jwks_uri"`
	}
	if err := provider.Claims(&meta); err != nil {
		return fmt.Errorf("auth: discovery document: %w", err)
	}
	if err := checkProviderURL("jwks_uri", meta.JWKSURL); err != nil {
		return err
	}

	keys := newKeySet(meta.JWKSURL, a.cfg, a.logger)
	if err := keys.load(ctx); err != nil {
		return err
	}
	verifier := oidc.NewVerifier(a.cfg.Issuer, keys, &oidc.Config{
		// Never SkipClientIDCheck, SkipIssuerCheck, SkipExpiryCheck or
		// InsecureSkipSignatureCheck (security.md §2).
		ClientID:             a.cfg.Audience,
		SupportedSigningAlgs: a.cfg.SigningAlgs,
		Now:                  a.cfg.Now,
	})
	a.state.Store(&providerState{verifier: verifier, keys: keys})
	return nil
}

func (a *Authenticator) setErr(err error) {
	a.mu.Lock()
	a.lastErr = err
	a.mu.Unlock()
}

// Ready returns nil once the provider's discovery document and keys are loaded, and otherwise
// an UNAVAILABLE error carrying the last failure; /readyz answers 503 until then.
func (a *Authenticator) Ready() error {
	if a.state.Load() != nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return bridge.Unavailable(fmt.Errorf("%w: %w", errNotReady, a.lastErr))
}

// Verify checks rawToken and returns the caller's identity. A token that is not valid gives an
// UNAUTHENTICATED *bridge.Error whose cause names the reason without quoting the token or its
// claims; before the provider is loaded the answer is UNAVAILABLE, at once.
func (a *Authenticator) Verify(ctx context.Context, rawToken string) (Identity, error) {
	st := a.state.Load()
	if st == nil {
		return Identity{}, bridge.Unavailable(errNotReady)
	}
	if rawToken == "" || len(rawToken) > maxTokenBytes {
		return Identity{}, rejected("malformed")
	}
	tok, err := st.verifier.Verify(ctx, rawToken)
	if err != nil {
		return Identity{}, rejected(reasonOf(err))
	}
	// go-oidc does not require sub; without it there is no stable identity.
	if tok.Subject == "" {
		return Identity{}, rejected("missing subject")
	}
	// go-oidc does not look at iat. A token issued in the future beyond clock skew was minted
	// by a broken or hostile clock, and would outlive the lifetime the provider intends.
	if !tok.IssuedAt.IsZero() && tok.IssuedAt.After(a.cfg.Now().Add(a.cfg.MaxIssuedAtSkew)) {
		return Identity{}, rejected("issued in the future")
	}

	if reason := a.checkTokenType(rawToken); reason != "" {
		return Identity{}, rejected(reason)
	}

	var claims map[string]json.RawMessage
	if err := tok.Claims(&claims); err != nil {
		return Identity{}, rejected("malformed claims")
	}
	// go-oidc does not look at azp (security.md row 66). In an access token azp (or RFC 9068's
	// client_id) names the client application that asked for it, which is usually not the API
	// itself (a web front end asks for a token whose aud is the API). When AllowedClients is
	// set, only those applications' tokens are accepted.
	if len(a.cfg.AllowedClients) > 0 && !slices.Contains(a.cfg.AllowedClients, clientOf(claims, tok.Audience)) {
		return Identity{}, rejected("client not allowed")
	}
	// A back-channel logout token or another security event token (an "events" claim) is signed
	// by the same provider for the same client, but it is not a credential.
	if _, ok := claims["events"]; ok {
		return Identity{}, rejected("not an access token")
	}
	return a.roles.Identity(tok.Issuer, tok.Subject, claims), nil
}

// clientOf is the client a token was issued to: azp (OIDC), else client_id (RFC 9068), else the
// audience when it is a single one (an ID token's aud is its client).
func clientOf(claims map[string]json.RawMessage, aud []string) string {
	if c := stringClaim(claims, "azp"); c != "" {
		return c
	}
	if c := stringClaim(claims, "client_id"); c != "" {
		return c
	}
	if len(aud) == 1 {
		return aud[0]
	}
	return ""
}

// accessTokenTypes are the JWT "typ" header values accepted as a bearer token: none or "JWT" (what
// Dex and Keycloak issue) and RFC 9068's "at+jwt". Other types (logout+jwt, secevent+jwt,
// dpop+jwt …) are other kinds of token signed by the same provider. Compared case-insensitively,
// with an optional "application/" prefix (RFC 7515 §4.1.9).
var accessTokenTypes = map[string]bool{"": true, "jwt": true, "at+jwt": true}

// checkTokenType reads the typ of the (already verified) token's header, which go-oidc does not
// expose, and returns a rejection reason or "".
func (a *Authenticator) checkTokenType(rawToken string) string {
	head, _, ok := strings.Cut(rawToken, ".")
	if !ok {
		return "malformed"
	}
	b, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		return "malformed"
	}
	var h struct {
		Typ string `json:"typ"`
	}
	if err := json.Unmarshal(b, &h); err != nil {
		return "malformed"
	}
	typ := strings.TrimPrefix(strings.ToLower(h.Typ), "application/")
	switch {
	case !accessTokenTypes[typ]:
		return "not an access token"
	case a.cfg.RequireAccessTokenType && typ != "at+jwt":
		return "not an access token"
	}
	return ""
}

// rejected is the error of every invalid token: the client learns only UNAUTHENTICATED and a
// generic message; logs learn the reason.
func rejected(reason string) *bridge.Error {
	return &bridge.Error{
		Code:    bridge.CodeUnauthenticated,
		Message: "invalid or expired token",
		Err:     fmt.Errorf("%w: %s", errInvalid, reason),
	}
}

// reasonOf turns a go-oidc error into a short fixed reason. The errors themselves are not
// logged because some quote claims (the issuer and audience of the token).
func reasonOf(err error) string {
	var expired *oidc.TokenExpiredError
	if errors.As(err, &expired) {
		return "expired"
	}
	msg := err.Error()
	for _, r := range []struct{ contains, reason string }{
		{errUnknownKey.Error(), "unknown signing key"},
		{context.DeadlineExceeded.Error(), "gave up waiting for signing keys"},
		{context.Canceled.Error(), "gave up waiting for signing keys"},
		{"failed to verify signature", "bad signature"},
		{"malformed jwt", "malformed"},
		{"multiple signatures", "malformed"},
		{"not signed", "malformed"},
		{"unmarshal claims", "malformed claims"},
		{"different provider", "wrong issuer"},
		{"expected audience", "wrong audience"},
		{"nbf", "not yet valid"},
	} {
		if strings.Contains(msg, r.contains) {
			return r.reason
		}
	}
	return "invalid"
}

// lookupClaim finds name at the top level, or else, if it contains dots, as a path of nested
// objects. The exact name comes first because claim names may be URLs with dots (Auth0).
func lookupClaim(claims map[string]json.RawMessage, name string) json.RawMessage {
	if v, ok := claims[name]; ok {
		return v
	}
	parts := strings.Split(name, ".")
	if len(parts) < 2 {
		return nil
	}
	obj := claims
	for i, p := range parts {
		v, ok := obj[p]
		if !ok {
			return nil
		}
		if i == len(parts)-1 {
			return v
		}
		obj = nil
		if json.Unmarshal(v, &obj) != nil {
			return nil
		}
	}
	return nil
}

// stringsClaim reads a claim that is a string or a list of strings; anything else is no value.
func stringsClaim(raw json.RawMessage) []string {
	if raw == nil {
		return nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}
	}
	var many []any
	if json.Unmarshal(raw, &many) != nil {
		return nil
	}
	out := make([]string, 0, len(many))
	for _, v := range many {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func stringClaim(claims map[string]json.RawMessage, name string) string {
	var s string
	if raw, ok := claims[name]; ok && json.Unmarshal(raw, &s) == nil {
		return s
	}
	return ""
}

// boolClaim reads a boolean claim; the string "true" counts too because some providers
// (Amazon Cognito) send email_verified as a string.
func boolClaim(claims map[string]json.RawMessage, name string) bool {
	raw, ok := claims[name]
	if !ok {
		return false
	}
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return b
	}
	var s string
	return json.Unmarshal(raw, &s) == nil && s == "true"
}

type identityKey struct{}

// WithIdentity returns ctx carrying id; the middleware calls it for each request with a valid
// token.
func WithIdentity(ctx context.Context, id Identity) context.Context {
	return context.WithValue(ctx, identityKey{}, id)
}

// IdentityFrom returns the identity of the request and whether there is one (false for anonymous
// requests).
func IdentityFrom(ctx context.Context) (Identity, bool) {
	id, ok := ctx.Value(identityKey{}).(Identity)
	return id, ok
}
