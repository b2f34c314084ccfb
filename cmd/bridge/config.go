package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/nordic-integration/bridge/internal/app"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/notify"
	"github.com/nordic-integration/bridge/internal/retention"
	"github.com/nordic-integration/bridge/internal/websession"
)

// config is everything Bridge can be told, from environment variables with flags of the same
// meaning (a flag wins). It is validated once at start and logged without secrets.
type config struct {
	Env              string
	Addr             string
	LogLevel         string
	Neo4jURI         string
	Neo4jUser        string
	Neo4jPassword    string
	Neo4jDatabase    string
	QueryTimeout     time.Duration
	RequestTimeout   time.Duration
	WarmUpTimeout    time.Duration
	ReferenceTTL     time.Duration
	ReadyTimeout     time.Duration
	ShutdownTimeout  time.Duration
	MaxBodyBytes     int64
	ComplexityLimit  int
	DepthLimit       int
	SelectionLimit   int
	ParserTokenLimit int
	// MetricsAddr is where /metrics is served, apart from the API (loopback or an internal
	// interface); empty: not served.
	MetricsAddr string
	// Sign-in (OpenID Connect). Without an issuer nobody can sign in: every request is anonymous.
	OIDCIssuer            string
	OIDCAudience          string
	OIDCRoleClaim         string
	OIDCSecretariatValues string // comma-separated claim values
	OIDCAdminValues       string
	OIDCAllowedClients    string // comma-separated client ids (azp / client_id); empty: any client
	OIDCRequireATJWT      bool   // accept only typ at+jwt (RFC 9068)
	// Web sign-in (internal/websession): the browser's client at OIDC_ISSUER (authorization code
	// flow with PKCE); without OIDC_WEB_CLIENT_ID the web app has no sign-in. PublicURL is where
	// browsers reach Bridge (the redirect URI is PublicURL/auth/callback); CookieSecure is auto
	// (Secure outside development), true or false (refused in production).
	OIDCWebClientID     string
	OIDCWebClientSecret string
	OIDCWebScopes       string // space- or comma-separated
	PublicURL           string
	CookieSecure        string
	SessionTTL          time.Duration
	SessionIdleTimeout  time.Duration
	// Introductions: an open introduction expires after IntroductionTTL without answers; a member
	// may ask for IntroductionWeeklyLimit introductions per 7 days.
	IntroductionTTL         time.Duration
	IntroductionWeeklyLimit int
	IntroductionReminder    time.Duration // before expiry; 0: no reminders
	IntroductionFollowUp    time.Duration // after the introduction; 0: no follow-up
	// RateLimit: /graphql requests per caller per minute (0: none); TrustedProxies: CIDR prefixes
	// whose X-Forwarded-For names the client.
	RateLimit      int
	MaxInFlight    int
	QueueWait      time.Duration
	TrustedProxies string
	// Notifications (internal/notify). Without SMTP_URL, development logs what would be sent;
	// production refuses to start without SMTP_URL and SECRETARIAT_EMAIL (introductions depend on
	// their messages: a service that silently sends none is broken, not degraded).
	SMTPURL          string // smtp://[user:password@]host[:port][?starttls=required|off] or smtps://…
	MailFrom         string
	SecretariatEmail string // receives INTRODUCTION_REQUEST_RECEIVED; optional
	NotifyInterval   time.Duration
	// Retention (internal/retention): unconfirmed imported profiles inactive for
	// RetentionUnconfirmed are flagged and their owners asked to confirm; still unconfirmed after
	// RetentionGrace they are erased. Audit events are kept for AuditRetention, notifications in a
	// final state for NotificationRetention. serve runs the job every RetentionInterval.
	RetentionUnconfirmed  time.Duration
	RetentionGrace        time.Duration
	AuditRetention        time.Duration
	NotificationRetention time.Duration
	RetentionInterval     time.Duration
	// ErasureJournal is the file every erasure appends its person id to (internal/journal);
	// empty in development means devErasureJournal, in production it is required.
	ErasureJournal string
}

// devErasureJournal is the erasure journal of development when BRIDGE_ERASURE_JOURNAL is unset
// (relative to the working folder; .local is ignored by git).
const devErasureJournal = ".local/erasures.jsonl"

const (
	envDevelopment = "development"
	envProduction  = "production"
)

// settings are the groups of configuration a subcommand takes: each registers its flags only
// for the groups it needs, so that `bridge CMD -h` lists what CMD reads.
type settings uint8

const (
	settingsDatabase  settings = 1 << iota // every command: environment, log level, Neo4j
	settingsServer                         // serve: the HTTP server, sign-in, limits, introductions, notifications
	settingsRetention                      // serve and retention: the retention policy
	settingsJournal                        // serve, retention and reapply-erasures: the erasure journal
	settingsAll       = settingsDatabase | settingsServer | settingsRetention | settingsJournal
)

// bindConfig reads every setting from the environment and registers on fs the flags of the
// groups given (a flag wins over its variable). A variable that does not parse is reported in
// the returned errors when its group is one of them, and ignored otherwise.
func bindConfig(fs *flag.FlagSet, getenv func(string) string, groups settings) (*config, *[]error) {
	c := &config{}
	var errs, ignored []error
	group := settingsDatabase
	on := func() bool { return groups&group != 0 }
	report := func() *[]error {
		if on() {
			return &errs
		}
		return &ignored
	}
	str := func(p *string, name, env, def, usage string) {
		if *p = getenv(env); *p == "" {
			*p = def
		}
		if on() {
			fs.StringVar(p, name, *p, usage+" (env "+env+")")
		}
	}
	dur := func(p *time.Duration, name, env string, def time.Duration, usage string) {
		*p = envOr(getenv, env, def, time.ParseDuration, "a duration such as 5s", report())
		if on() {
			fs.DurationVar(p, name, *p, usage+" (env "+env+")")
		}
	}
	num := func(p *int, name, env string, def int, usage string) {
		*p = envOr(getenv, env, def, strconv.Atoi, "a number", report())
		if on() {
			fs.IntVar(p, name, *p, usage+" (env "+env+")")
		}
	}

	str(&c.Env, "env", "BRIDGE_ENV", envProduction, "development (GraphiQL, introspection) or production")
	str(&c.LogLevel, "log-level", "BRIDGE_LOG_LEVEL", "info", "debug, info, warn or error")
	str(&c.Neo4jURI, "neo4j-uri", "NEO4J_URI", "bolt://127.0.0.1:7687", "Neo4j URI (bolt://, neo4j://, neo4j+s:// for Aura)")
	str(&c.Neo4jUser, "neo4j-user", "NEO4J_USER", "neo4j", "Neo4j user")
	str(&c.Neo4jPassword, "neo4j-password", "NEO4J_PASSWORD", "", "Neo4j password (required)")
	str(&c.Neo4jDatabase, "neo4j-database", "NEO4J_DATABASE", "neo4j", "Neo4j database")
	dur(&c.QueryTimeout, "query-timeout", "NEO4J_QUERY_TIMEOUT", 5*time.Second, "deadline of one Cypher round trip, retries included")

	group = settingsServer
	str(&c.Addr, "addr", "BRIDGE_ADDR", "127.0.0.1:8080", "address the API listens on")
	str(&c.MetricsAddr, "metrics-addr", "BRIDGE_METRICS_ADDR", "",
		"address /metrics is served on, apart from the API: loopback or an internal interface, never public; empty: not served")
	str(&c.OIDCIssuer, "oidc-issuer", "OIDC_ISSUER", "", "OpenID Connect issuer URL; empty: no sign-in")
	str(&c.OIDCAudience, "oidc-audience", "OIDC_AUDIENCE", "bridge-api", "the API's client id, required in the token's aud")
	str(&c.OIDCRoleClaim, "oidc-role-claim", "OIDC_ROLE_CLAIM", "groups", "the token claim whose values give roles")
	str(&c.OIDCSecretariatValues, "oidc-secretariat-values", "OIDC_SECRETARIAT_VALUES", "bridge-secretariat", "comma-separated role-claim values of the secretariat")
	str(&c.OIDCAdminValues, "oidc-admin-values", "OIDC_ADMIN_VALUES", "bridge-admin", "comma-separated role-claim values of admins")
	str(&c.OIDCAllowedClients, "oidc-allowed-clients", "OIDC_ALLOWED_CLIENTS", "", "comma-separated client ids whose tokens are accepted (azp, client_id); empty: any client of the issuer whose token names the API in aud")
	c.OIDCRequireATJWT = envOr(getenv, "OIDC_REQUIRE_AT_JWT", false, strconv.ParseBool, "true or false", report())
	if on() {
		fs.BoolVar(&c.OIDCRequireATJWT, "oidc-require-at-jwt", c.OIDCRequireATJWT,
			"accept only tokens of JWT type at+jwt (RFC 9068), never ID tokens (env OIDC_REQUIRE_AT_JWT)")
	}
	str(&c.OIDCWebClientID, "oidc-web-client-id", "OIDC_WEB_CLIENT_ID", "", "the web app's client id at the OpenID Connect provider (browser sign-in); empty: the web app has no sign-in")
	str(&c.OIDCWebClientSecret, "oidc-web-client-secret", "OIDC_WEB_CLIENT_SECRET", "", "the web client's secret; empty: a public client (PKCE only)")
	str(&c.OIDCWebScopes, "oidc-web-scopes", "OIDC_WEB_SCOPES", "openid email profile groups", "scopes the web sign-in asks for (the role claim must come with them)")
	str(&c.PublicURL, "public-url", "BRIDGE_PUBLIC_URL", "", "where browsers reach Bridge (scheme://host[:port]): web sign-in redirects and e-mail links; development default http://BRIDGE_ADDR")
	str(&c.CookieSecure, "cookie-secure", "BRIDGE_COOKIE_SECURE", "auto", "Secure web cookies: auto (outside development), true or false (development only)")
	dur(&c.SessionTTL, "session-ttl", "BRIDGE_SESSION_TTL", 12*time.Hour, "absolute lifetime of a web session")
	dur(&c.SessionIdleTimeout, "session-idle-timeout", "BRIDGE_SESSION_IDLE_TIMEOUT", time.Hour, "a web session unused this long ends")
	str(&c.SMTPURL, "smtp-url", "SMTP_URL", "", "SMTP server for notification e-mails: smtp://[user:password@]host[:port][?starttls=required|off] or smtps://…; empty: none")
	str(&c.MailFrom, "mail-from", "MAIL_FROM", "Bridge <bridge@localhost>", "sender of notification e-mails")
	str(&c.SecretariatEmail, "secretariat-email", "SECRETARIAT_EMAIL", "", "address told about new introduction requests (optional)")
	dur(&c.NotifyInterval, "notify-interval", "NOTIFY_INTERVAL", 2*time.Second, "how often the notification outbox is polled")
	dur(&c.RetentionInterval, "retention-interval", "BRIDGE_RETENTION_INTERVAL", time.Hour, "how often serve runs the retention job")
	dur(&c.RequestTimeout, "request-timeout", "BRIDGE_REQUEST_TIMEOUT", 10*time.Second, "deadline of one GraphQL request")
	dur(&c.WarmUpTimeout, "warm-up-timeout", "BRIDGE_WARM_UP_TIMEOUT", 2*time.Minute, "how long serve, once listening, spends loading the search page as a visitor would, so that Neo4j plans its statements before the first visitors need them; 0: no warm-up")
	dur(&c.ReferenceTTL, "reference-ttl", "BRIDGE_REFERENCE_TTL", 30*time.Second, "how long the countries and themes are served from memory before they are read again (a theme saved on another instance shows within this time); 0: every request")
	dur(&c.ReadyTimeout, "ready-timeout", "BRIDGE_READY_TIMEOUT", 2*time.Second, "deadline of the /readyz check")
	dur(&c.ShutdownTimeout, "shutdown-timeout", "BRIDGE_SHUTDOWN_TIMEOUT", 20*time.Second, "time given to in-flight requests at shutdown")
	dur(&c.IntroductionTTL, "introduction-ttl", "BRIDGE_INTRODUCTION_TTL", 14*24*time.Hour, "time an open introduction waits for answers before it expires")
	dur(&c.IntroductionFollowUp, "introduction-follow-up", "BRIDGE_FOLLOW_UP_AFTER", 30*24*time.Hour, "how long after two people were introduced both are asked by e-mail how it went (once); 0: never")
	dur(&c.IntroductionReminder, "introduction-reminder", "BRIDGE_INTRODUCTION_REMINDER", 3*24*time.Hour, "how long before expiry a party who has not answered is reminded (once); 0: never")
	num(&c.RateLimit, "rate-limit", "BRIDGE_RATE_LIMIT", 300, "GraphQL requests per caller (person, or client IP when anonymous) per minute; 0: no limit")
	num(&c.MaxInFlight, "max-in-flight", "BRIDGE_MAX_IN_FLIGHT", 8*runtime.GOMAXPROCS(0), "GraphQL requests served at once (default 8 per CPU); more wait up to BRIDGE_QUEUE_WAIT for a slot, then get 503 UNAVAILABLE; 0: no bound")
	dur(&c.QueueWait, "queue-wait", "BRIDGE_QUEUE_WAIT", time.Second, "how long a GraphQL request waits for a slot when BRIDGE_MAX_IN_FLIGHT are being served")
	str(&c.TrustedProxies, "trusted-proxies", "BRIDGE_TRUSTED_PROXIES", "", "comma-separated CIDR prefixes of reverse proxies whose X-Forwarded-For gives the client IP; empty: none")
	num(&c.IntroductionWeeklyLimit, "introduction-weekly-limit", "BRIDGE_INTRODUCTION_WEEKLY_LIMIT", 5, "introduction requests per member per 7 days")
	num(&c.ComplexityLimit, "complexity-limit", "BRIDGE_COMPLEXITY_LIMIT", 50_000,
		"maximum cost of one GraphQL operation: every field costs 1, a list its first (or bound) times one element")
	num(&c.DepthLimit, "depth-limit", "BRIDGE_DEPTH_LIMIT", 10, "maximum nesting of fields in one GraphQL operation")
	num(&c.SelectionLimit, "selection-limit", "BRIDGE_SELECTION_LIMIT", 200,
		"maximum selections (fields, fragment spreads) in one GraphQL document, counted before it is parsed")
	num(&c.ParserTokenLimit, "parser-token-limit", "BRIDGE_PARSER_TOKEN_LIMIT", 5000, "maximum tokens in one GraphQL document")
	parseInt64 := func(s string) (int64, error) { return strconv.ParseInt(s, 10, 64) }
	c.MaxBodyBytes = envOr(getenv, "BRIDGE_MAX_BODY_BYTES", int64(1<<20), parseInt64, "a number", report())
	if on() {
		fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", c.MaxBodyBytes, "maximum request body size in bytes (env BRIDGE_MAX_BODY_BYTES)")
	}

	group = settingsRetention
	dur(&c.RetentionUnconfirmed, "retention-unconfirmed", "BRIDGE_RETENTION_UNCONFIRMED", retention.DefaultUnconfirmedAfter,
		"inactivity after which an unconfirmed imported profile is flagged and its owner asked to confirm it")
	dur(&c.RetentionGrace, "retention-grace", "BRIDGE_RETENTION_GRACE", retention.DefaultGrace,
		"time the owner of a flagged profile has to confirm it before it is erased")
	dur(&c.AuditRetention, "audit-retention", "BRIDGE_AUDIT_RETENTION", retention.DefaultAudit, "how long audit events are kept")
	dur(&c.NotificationRetention, "notification-retention", "BRIDGE_NOTIFICATION_RETENTION", retention.DefaultNotifications,
		"how long notifications in a final state (SENT, FAILED, UNCERTAIN, DROPPED) are kept")

	group = settingsJournal
	str(&c.ErasureJournal, "erasure-journal", "BRIDGE_ERASURE_JOURNAL", "",
		"append-only file of erased person ids, outside the database (required in production; development: "+devErasureJournal+")")
	return c, &errs
}

// envOr returns the environment variable env parsed by parse, or def when it is unset; a value
// that does not parse is reported in errs (naming the variable) and def is used.
func envOr[T any](getenv func(string) string, env string, def T, parse func(string) (T, error), what string, errs *[]error) T {
	s := getenv(env)
	if s == "" {
		return def
	}
	v, err := parse(s)
	if err != nil {
		*errs = append(*errs, fmt.Errorf("%s: %q is not %s", env, s, what))
		return def
	}
	return v
}

// validate reports every problem at once, naming the variable.
func (c *config) validate(needServer bool) error {
	var errs []error
	if c.Env != envDevelopment && c.Env != envProduction {
		errs = append(errs, fmt.Errorf("BRIDGE_ENV: %q is neither %s nor %s", c.Env, envDevelopment, envProduction))
	}
	u, err := url.Parse(c.Neo4jURI)
	switch {
	case err != nil:
		errs = append(errs, errors.New("NEO4J_URI: not a URI"))
	case !map[string]bool{"bolt": true, "bolt+s": true, "bolt+ssc": true, "neo4j": true, "neo4j+s": true, "neo4j+ssc": true}[u.Scheme]:
		errs = append(errs, fmt.Errorf("NEO4J_URI: scheme %q is not one of bolt, bolt+s, neo4j, neo4j+s", u.Scheme))
	case u.User != nil:
		errs = append(errs, errors.New("NEO4J_URI: put credentials in NEO4J_USER and NEO4J_PASSWORD, not in the URI"))
	}
	if c.Neo4jUser == "" {
		errs = append(errs, errors.New("NEO4J_USER: required"))
	}
	if c.Neo4jPassword == "" {
		errs = append(errs, errors.New("NEO4J_PASSWORD: required"))
	}
	if c.Neo4jDatabase == "" {
		errs = append(errs, errors.New("NEO4J_DATABASE: required"))
	}
	if c.QueryTimeout <= 0 {
		errs = append(errs, errors.New("NEO4J_QUERY_TIMEOUT: must be positive"))
	}
	if needServer {
		if _, _, err := net.SplitHostPort(c.Addr); err != nil {
			errs = append(errs, fmt.Errorf("BRIDGE_ADDR: %q is not host:port", c.Addr))
		}
		if c.RequestTimeout <= c.QueryTimeout {
			errs = append(errs, errors.New("BRIDGE_REQUEST_TIMEOUT: must be longer than NEO4J_QUERY_TIMEOUT, so that a slow database gives UNAVAILABLE rather than a cut connection"))
		}
		if c.ReadyTimeout <= 0 || c.ShutdownTimeout <= 0 {
			errs = append(errs, errors.New("BRIDGE_READY_TIMEOUT and BRIDGE_SHUTDOWN_TIMEOUT: must be positive"))
		}
		if c.MaxBodyBytes < 1024 {
			errs = append(errs, errors.New("BRIDGE_MAX_BODY_BYTES: at least 1024"))
		}
		if c.IntroductionReminder < 0 || c.IntroductionReminder >= c.IntroductionTTL {
			errs = append(errs, errors.New("BRIDGE_INTRODUCTION_REMINDER: must be at least 0 and shorter than BRIDGE_INTRODUCTION_TTL"))
		}
		if c.IntroductionTTL < time.Minute || c.IntroductionWeeklyLimit < 1 {
			errs = append(errs, errors.New("BRIDGE_INTRODUCTION_TTL (at least 1m) and BRIDGE_INTRODUCTION_WEEKLY_LIMIT (at least 1): out of range"))
		}
		if c.RateLimit < 0 {
			errs = append(errs, errors.New("BRIDGE_RATE_LIMIT: at least 0"))
		}
		if c.MaxInFlight < 0 || c.QueueWait < 0 || c.QueueWait >= c.RequestTimeout {
			errs = append(errs, errors.New("BRIDGE_MAX_IN_FLIGHT (at least 0) and BRIDGE_QUEUE_WAIT (at least 0, shorter than BRIDGE_REQUEST_TIMEOUT): out of range"))
		}
		for _, p := range splitList(c.TrustedProxies) {
			if _, err := netip.ParsePrefix(p); err != nil {
				errs = append(errs, fmt.Errorf("BRIDGE_TRUSTED_PROXIES: %q is not a CIDR prefix such as 10.0.0.0/8", p))
			}
		}
		if c.ComplexityLimit < 10 {
			errs = append(errs, errors.New("BRIDGE_COMPLEXITY_LIMIT: at least 10"))
		}
		if c.OIDCIssuer != "" && c.OIDCAudience == "" {
			errs = append(errs, errors.New("OIDC_AUDIENCE: required with OIDC_ISSUER (tokens for other clients must not be accepted)"))
		}
		errs = append(errs, c.validateWeb()...)
		if c.DepthLimit < 5 {
			errs = append(errs, errors.New("BRIDGE_DEPTH_LIMIT: at least 5"))
		}
		if c.SelectionLimit < 50 {
			errs = append(errs, errors.New("BRIDGE_SELECTION_LIMIT: at least 50"))
		}
		if c.MetricsAddr != "" {
			if _, _, err := net.SplitHostPort(c.MetricsAddr); err != nil {
				errs = append(errs, fmt.Errorf("BRIDGE_METRICS_ADDR: %q is not host:port", c.MetricsAddr))
			} else if c.MetricsAddr == c.Addr {
				errs = append(errs, errors.New("BRIDGE_METRICS_ADDR: must differ from BRIDGE_ADDR (metrics are not served with the API)"))
			}
		}
		if c.ParserTokenLimit < 100 {
			errs = append(errs, errors.New("BRIDGE_PARSER_TOKEN_LIMIT: at least 100"))
		}
		errs = append(errs, c.validateMail()...)
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// validateWeb checks the web sign-in's settings, naming the variables.
func (c *config) validateWeb() []error {
	var errs []error
	if c.CookieSecure != "auto" && c.CookieSecure != "true" && c.CookieSecure != "false" {
		errs = append(errs, fmt.Errorf("BRIDGE_COOKIE_SECURE: %q is not auto, true or false", c.CookieSecure))
	} else if c.CookieSecure == "false" && c.Env == envProduction {
		errs = append(errs, errors.New("BRIDGE_COOKIE_SECURE: false is refused in production (session cookies must not travel over http)"))
	}
	if c.PublicURL != "" {
		u, err := url.Parse(c.PublicURL)
		switch {
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil:
			errs = append(errs, fmt.Errorf("BRIDGE_PUBLIC_URL: %q is not scheme://host[:port] without path", c.PublicURL))
		case u.Scheme != "https" && c.Env == envProduction:
			errs = append(errs, errors.New("BRIDGE_PUBLIC_URL: must be https in production"))
		}
	}
	if c.OIDCWebClientID == "" {
		return errs
	}
	if c.OIDCIssuer == "" {
		errs = append(errs, errors.New("OIDC_WEB_CLIENT_ID: needs OIDC_ISSUER (the provider the browser signs in at)"))
	}
	if c.PublicURL == "" && c.Env == envProduction {
		errs = append(errs, errors.New("BRIDGE_PUBLIC_URL: required in production with OIDC_WEB_CLIENT_ID (the redirect URI registered at the provider is BRIDGE_PUBLIC_URL/auth/callback)"))
	}
	if c.SessionTTL < time.Minute || c.SessionIdleTimeout < time.Minute || c.SessionIdleTimeout > c.SessionTTL {
		errs = append(errs, errors.New("BRIDGE_SESSION_TTL and BRIDGE_SESSION_IDLE_TIMEOUT: at least 1m each, and the idle timeout not longer than the lifetime"))
	}
	return errs
}

// publicURL is BRIDGE_PUBLIC_URL without a trailing slash; in development it defaults to
// http://BRIDGE_ADDR (an unspecified host becomes 127.0.0.1).
func (c *config) publicURL() string {
	if c.PublicURL != "" || c.Env != envDevelopment {
		return strings.TrimSuffix(c.PublicURL, "/")
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return ""
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// bookmarkSecret is what the key of the clients' bookmark tokens is derived from
// (app.Config.BookmarkSecret): the Neo4j credentials, which every instance has.
func (c *config) bookmarkSecret() string { return c.Neo4jUser + "\x00" + c.Neo4jPassword }

// webSignIn is the web sign-in's configuration; a zero ClientID (no OIDC_WEB_CLIENT_ID) is off.
func (c *config) webSignIn() websession.Config {
	if c.OIDCWebClientID == "" {
		return websession.Config{}
	}
	return websession.Config{Issuer: c.OIDCIssuer, ClientID: c.OIDCWebClientID, ClientSecret: c.OIDCWebClientSecret,
		BaseURL: c.publicURL(), Scopes: strings.Fields(strings.ReplaceAll(c.OIDCWebScopes, ",", " ")),
		RoleClaim: c.OIDCRoleClaim, SecretariatValues: splitList(c.OIDCSecretariatValues), AdminValues: splitList(c.OIDCAdminValues),
		SecureCookies: c.CookieSecure == "true" || (c.CookieSecure == "auto" && c.Env != envDevelopment),
		SessionTTL:    c.SessionTTL, IdleTimeout: c.SessionIdleTimeout}
}

// validateErasures checks what the commands that erase need (serve, retention,
// reapply-erasures): the erasure journal.
func (c *config) validateErasures() error {
	if c.ErasureJournal == "" && c.Env != envDevelopment {
		return errors.New("BRIDGE_ERASURE_JOURNAL: required in production: the file every erasure is journaled to, outside the database and its backups, so that reapply-erasures can erase again whoever a restored backup brings back")
	}
	return nil
}

// validateRetention checks the retention policy and interval, naming the variables.
func (c *config) validateRetention() error {
	var errs []error
	check := func(env string, d, least time.Duration) {
		if d < least {
			errs = append(errs, fmt.Errorf("%s: %s is less than the minimum %s", env, d, least))
		}
	}
	check("BRIDGE_RETENTION_UNCONFIRMED", c.RetentionUnconfirmed, retention.MinUnconfirmedAfter)
	check("BRIDGE_RETENTION_GRACE", c.RetentionGrace, retention.MinGrace)
	check("BRIDGE_AUDIT_RETENTION", c.AuditRetention, retention.MinAudit)
	check("BRIDGE_NOTIFICATION_RETENTION", c.NotificationRetention, retention.MinNotifications)
	check("BRIDGE_RETENTION_INTERVAL", c.RetentionInterval, time.Minute)
	return errors.Join(errs...)
}

// journalPath is the erasure journal's file: BRIDGE_ERASURE_JOURNAL, or devErasureJournal in
// development.
func (c *config) journalPath() string {
	if c.ErasureJournal == "" && c.Env == envDevelopment {
		return devErasureJournal
	}
	return c.ErasureJournal
}

// app is what the composition root (internal/app) needs of the configuration.
func (c *config) app() app.Config {
	return app.Config{
		PublicURL:   c.publicURL(),
		Development: c.Env == envDevelopment, MaxBodyBytes: c.MaxBodyBytes, ComplexityLimit: c.ComplexityLimit,
		DepthLimit: c.DepthLimit, SelectionLimit: c.SelectionLimit, ParserTokenLimit: c.ParserTokenLimit,
		ReadyTimeout: c.ReadyTimeout, RequestTimeout: c.RequestTimeout, RateLimit: c.RateLimit, ReferenceTTL: c.ReferenceTTL,
		MaxInFlight: c.MaxInFlight, QueueWait: c.QueueWait,
		TrustedProxies: splitList(c.TrustedProxies),
		BookmarkSecret: c.bookmarkSecret(),
		Introductions: bridge.Limits{TTL: c.IntroductionTTL, WeeklyPerMember: c.IntroductionWeeklyLimit,
			ReminderLead: c.IntroductionReminder, FollowUpAfter: c.IntroductionFollowUp},
		Retention: retention.Policy{UnconfirmedAfter: c.RetentionUnconfirmed, Grace: c.RetentionGrace,
			Audit: c.AuditRetention, Notifications: c.NotificationRetention},
		RetentionInterval: c.RetentionInterval,
		SMTPURL:           c.SMTPURL, MailFrom: c.MailFrom, SecretariatEmail: c.SecretariatEmail,
		NotifyInterval: c.NotifyInterval,
		WebSignIn:      c.webSignIn(),
	}
}

// splitList splits a comma-separated setting, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// validateMail checks the notification settings. A malformed SMTP_URL is an error whose text
// never quotes the URL (it may hold a password).
func (c *config) validateMail() []error {
	var errs []error
	switch {
	case c.SMTPURL != "":
		if _, err := notify.ParseSMTPURL(c.SMTPURL); err != nil {
			errs = append(errs, fmt.Errorf("SMTP_URL: %w", err))
		}
	case c.Env == envProduction:
		errs = append(errs, errors.New("SMTP_URL: required in production (introductions are announced by e-mail); BRIDGE_ENV=development logs them instead"))
	}
	if c.SecretariatEmail == "" && c.Env == envProduction {
		errs = append(errs, errors.New("SECRETARIAT_EMAIL: required in production (new introduction requests are announced there)"))
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		errs = append(errs, errors.New("MAIL_FROM: not an e-mail address (Name <address> or address)"))
	}
	if c.SecretariatEmail != "" {
		if _, err := mail.ParseAddress(c.SecretariatEmail); err != nil {
			errs = append(errs, errors.New("SECRETARIAT_EMAIL: not an e-mail address"))
		}
	}
	if c.NotifyInterval <= 0 {
		errs = append(errs, errors.New("NOTIFY_INTERVAL: must be positive"))
	}
	return errs
}

// smtpForLog is SMTP_URL for the log: without the password, "(unset)" when empty.
func (c *config) smtpForLog() string {
	if c.SMTPURL == "" {
		return "(unset)"
	}
	sc, err := notify.ParseSMTPURL(c.SMTPURL)
	if err != nil {
		return "(invalid)"
	}
	return sc.Redacted()
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return 0, fmt.Errorf("BRIDGE_LOG_LEVEL: %q is not debug, info, warn or error", s)
	}
	return l, nil
}

// attrs is the configuration as log attributes, secrets left out.
func (c *config) attrs() []slog.Attr {
	pw := "(unset)"
	if c.Neo4jPassword != "" {
		pw = "(set)"
	}
	return []slog.Attr{
		slog.String("env", c.Env), slog.String("addr", c.Addr), slog.String("log_level", strings.ToLower(c.LogLevel)),
		slog.String("neo4j_uri", c.Neo4jURI), slog.String("neo4j_user", c.Neo4jUser),
		slog.String("neo4j_password", pw), slog.String("neo4j_database", c.Neo4jDatabase),
		slog.Duration("query_timeout", c.QueryTimeout), slog.Duration("request_timeout", c.RequestTimeout), slog.Duration("warm_up_timeout", c.WarmUpTimeout),
		slog.Duration("ready_timeout", c.ReadyTimeout), slog.Duration("shutdown_timeout", c.ShutdownTimeout),
		slog.Int64("max_body_bytes", c.MaxBodyBytes), slog.Int("complexity_limit", c.ComplexityLimit),
		slog.Int("depth_limit", c.DepthLimit), slog.Int("selection_limit", c.SelectionLimit),
		slog.Int("parser_token_limit", c.ParserTokenLimit), slog.String("metrics_addr", c.MetricsAddr),
		slog.String("oidc_issuer", c.OIDCIssuer), slog.String("oidc_audience", c.OIDCAudience),
		slog.Int("rate_limit", c.RateLimit), slog.Int("max_in_flight", c.MaxInFlight), slog.Duration("queue_wait", c.QueueWait), slog.String("trusted_proxies", c.TrustedProxies),
		slog.String("oidc_role_claim", c.OIDCRoleClaim), slog.String("oidc_allowed_clients", c.OIDCAllowedClients),
		slog.Bool("oidc_require_at_jwt", c.OIDCRequireATJWT),
		slog.String("oidc_web_client_id", c.OIDCWebClientID), slog.Bool("oidc_web_client_secret_set", c.OIDCWebClientSecret != ""),
		slog.String("oidc_web_scopes", c.OIDCWebScopes), slog.String("public_url", c.publicURL()),
		slog.String("cookie_secure", c.CookieSecure), slog.Duration("session_ttl", c.SessionTTL),
		slog.Duration("session_idle_timeout", c.SessionIdleTimeout),
		slog.String("smtp_url", c.smtpForLog()), slog.String("mail_from", c.MailFrom),
		slog.Bool("secretariat_email_set", c.SecretariatEmail != ""), slog.Duration("notify_interval", c.NotifyInterval),
		slog.Duration("retention_unconfirmed", c.RetentionUnconfirmed), slog.Duration("retention_grace", c.RetentionGrace),
		slog.Duration("audit_retention", c.AuditRetention), slog.Duration("notification_retention", c.NotificationRetention),
		slog.Duration("retention_interval", c.RetentionInterval), slog.String("erasure_journal", c.journalPath()),
	}
}
