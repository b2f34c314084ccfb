// Package app is Bridge's composition root: the one place that sees every concrete type and
// wires them into the HTTP handler of the API (Handler) and the background workers of
// `bridge serve` (StartWorkers). cmd/bridge keeps configuration and subcommand dispatch and
// hands this package a Config; the API tests in cmd/bridge build the same handler through it.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/graph"
	"github.com/nordic-integration/bridge/internal/auditlog"
	"github.com/nordic-integration/bridge/internal/auth"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/causal"
	"github.com/nordic-integration/bridge/internal/eventsuggestions"
	"github.com/nordic-integration/bridge/internal/httpserver"
	"github.com/nordic-integration/bridge/internal/imports"
	"github.com/nordic-integration/bridge/internal/introductions"
	"github.com/nordic-integration/bridge/internal/lease"
	"github.com/nordic-integration/bridge/internal/metrics"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/network"
	"github.com/nordic-integration/bridge/internal/notify"
	"github.com/nordic-integration/bridge/internal/peers"
	"github.com/nordic-integration/bridge/internal/privacy"
	"github.com/nordic-integration/bridge/internal/profiles"
	"github.com/nordic-integration/bridge/internal/programme"
	"github.com/nordic-integration/bridge/internal/refdata"
	"github.com/nordic-integration/bridge/internal/retention"
	"github.com/nordic-integration/bridge/internal/rights"
	"github.com/nordic-integration/bridge/internal/web"
	"github.com/nordic-integration/bridge/internal/websession"
)

// Config is what the composition needs, already validated by cmd/bridge (the meaning of each
// field is that of its environment variable there).
type Config struct {
	// Development: GraphiQL, introspection, and notifications logged when there is no SMTPURL.
	Development      bool
	MaxBodyBytes     int64
	ComplexityLimit  int
	DepthLimit       int
	SelectionLimit   int
	ParserTokenLimit int
	ReadyTimeout     time.Duration
	RequestTimeout   time.Duration
	RateLimit        int           // /graphql requests per caller per minute; 0: none
	MaxInFlight      int           // /graphql requests served at once; 0: no bound
	QueueWait        time.Duration // how long a request waits for a slot before 503
	TrustedProxies   []string      // CIDR prefixes whose X-Forwarded-For names the client
	Introductions    bridge.Limits
	Retention        retention.Policy
	// RetentionInterval is how often serve runs the retention job.
	RetentionInterval time.Duration
	// Notifications: SMTPURL empty means the log transport (development only).
	SMTPURL          string
	MailFrom         string
	SecretariatEmail string
	NotifyInterval   time.Duration
	// PublicURL is where people reach the web app (BRIDGE_PUBLIC_URL): e-mails link there.
	PublicURL string
	// WebSignIn is the browser's sign-in (internal/websession); a zero ClientID means none.
	WebSignIn websession.Config
	// ReferenceTTL is how long the countries and the theme vocabulary are served from memory
	// (internal/refdata) before they are read again; a theme the secretariat saves on this
	// instance is seen at once, on another within this time. 0: read on every request.
	ReferenceTTL time.Duration
	// BookmarkSecret is what every instance derives the key of the clients' bookmark tokens from
	// (internal/causal); cmd/bridge passes the Neo4j credentials, which every instance has, so
	// that no secret of its own must be distributed (a change drops the tokens in flight, which
	// live a minute). Empty: a key of this process only (tests, one instance).
	BookmarkSecret string
}

// NewIntroductions builds the introduction workflow with the configured limits.
func NewIntroductions(cfg Config, store *neo4jstore.Store) *introductions.Service {
	return introductions.New(store, cfg.Introductions, time.Now, uuid.NewString)
}

// NewRetention builds the retention job of the configured policy over the store.
func NewRetention(cfg Config, store *neo4jstore.Store) retention.Job {
	return retention.Job{Store: store, Policy: cfg.Retention, Now: time.Now, NewID: uuid.NewString}
}

// Handler wires the HTTP handler of the API: the concrete store, the domain services, the
// GraphQL handler, the web app (internal/web, reading through graph's in-process executor),
// sign-in (authn nil: sign-in off) and the router. Tests build the same handler.
func Handler(cfg Config, store *neo4jstore.Store, m *metrics.Metrics, logger *slog.Logger, authn *auth.Authenticator) http.Handler {
	reference := refdata.New(store, store, cfg.ReferenceTTL, time.Now)
	resolver := &graph.Resolver{CountryService: reference, PlaceService: store, ThemeService: reference,
		PeopleService: store, OrganisationService: store, ProgrammeService: store, Audit: store,
		Peers:            peers.Finder{People: store},
		Profiles:         profiles.Service{Store: store},
		Secretariat:      profiles.Secretariat{Store: store},
		Organisations:    profiles.Organisations{Store: store},
		Programme:        programme.Service{Store: store, ThemesChanged: reference.Invalidate},
		EventSuggestions: eventsuggestions.Service{Store: store, Now: time.Now},
		Introductions:    NewIntroductions(cfg, store),
		Network:          network.Service{Store: store, Introductions: NewIntroductions(cfg, store), Now: time.Now},
		Privacy:          privacy.Service{Store: store, Now: time.Now},
		Rights:           rights.Service{Store: store, Now: time.Now},
		AuditLog:         auditlog.Service{Store: store},
		Imports:          imports.Service{Store: importStore{store}}}
	gqlCfg := graph.HandlerConfig{
		Development:      cfg.Development,
		MaxBodyBytes:     cfg.MaxBodyBytes,
		ComplexityLimit:  cfg.ComplexityLimit,
		DepthLimit:       cfg.DepthLimit,
		SelectionLimit:   cfg.SelectionLimit,
		ParserTokenLimit: cfg.ParserTokenLimit,
		RequestID:        middleware.GetReqID,
		Logger:           logger,
	}
	gql := graph.NewHandler(resolver, gqlCfg)
	return httpserver.NewRouter(httpserver.Deps{
		Bookmarks:      bookmarkSealer(cfg.BookmarkSecret),
		GraphQL:        gql,
		Web:            webHandler(cfg, graph.NewExecutor(resolver, gqlCfg), store, logger),
		Ready:          readiness{store: store, authn: authn},
		Authenticate:   auth.SignIn(authn, store, logger),
		ReadyTimeout:   cfg.ReadyTimeout,
		RequestTimeout: cfg.RequestTimeout,
		Metrics:        m,
		Logger:         logger,
		Development:    cfg.Development,
		RateLimit:      cfg.RateLimit,
		MaxInFlight:    cfg.MaxInFlight,
		QueueWait:      cfg.QueueWait,
		TrustedProxies: cfg.TrustedProxies,
		SecureCookies:  cfg.WebSignIn.SecureCookies || !cfg.Development,
	})
}

// bookmarkSealer seals the clients' bookmark tokens under the key derived from secret, or under
// a random key when there is none.
func bookmarkSealer(secret string) *causal.Sealer {
	if secret == "" {
		secret = uuid.NewString()
	}
	sealer, err := causal.NewSealer(causal.KeyFrom(secret))
	if err != nil {
		panic(fmt.Sprintf("bookmark sealer: %v", err)) // cannot happen: KeyFrom makes a valid AES key
	}
	return sealer
}

// webHandler is the web app (internal/web), which reads through the same schema and extensions
// in-process, behind the browser's sign-in (internal/websession) when a web client is configured:
// its middleware puts the signed-in actor in the context and checks CSRF on every unsafe request,
// and it serves /signin, /auth/callback and /signout. Without a web client the pages are read
// signed out.
func webHandler(cfg Config, exec web.Executor, store *neo4jstore.Store, logger *slog.Logger) http.Handler {
	wcfg := web.Config{Executor: exec, Logger: logger, RequestTimeout: cfg.RequestTimeout, SecureCookies: !cfg.Development}
	var sessions *websession.Manager
	if cfg.WebSignIn.Enabled() {
		var err error
		if sessions, err = websession.New(cfg.WebSignIn, store.WebSessions(), store, logger); err != nil {
			panic(fmt.Sprintf("web sign-in: %v", err)) // cmd/bridge validated the settings
		}
		wcfg.SignInPath, wcfg.SignOutPath = websession.SignInPath, websession.SignOutPath
		wcfg.CSRFToken, wcfg.CSRFField = websession.CSRFToken, websession.CSRFField
		if u, err := url.Parse(cfg.WebSignIn.Issuer); err == nil && u.Host != "" {
			wcfg.FormTargets = []string{u.Scheme + "://" + u.Host}
		}
	}
	webApp, err := web.New(wcfg)
	if err != nil {
		panic(fmt.Sprintf("web app: %v", err)) // its templates and catalogs are embedded: a build defect, caught by its tests
	}
	if sessions == nil {
		return webApp
	}
	r := chi.NewRouter()
	r.Use(sessions.Middleware)
	sessions.Mount(r)
	r.Mount("/", webApp)
	return r
}

// readiness is every dependency /readyz waits for: Neo4j, and the identity provider's keys when
// sign-in is on.
type readiness struct {
	store interface{ Ping(context.Context) error }
	authn *auth.Authenticator
}

func (r readiness) Ping(ctx context.Context) error {
	if r.authn != nil {
		if err := r.authn.Ready(); err != nil {
			return bridge.Unavailable(err)
		}
	}
	return r.store.Ping(ctx)
}

// NewSender builds the notification sender: the outbox is the store, the transport SMTP
// (SMTPURL) or, in development without SMTPURL, the log transport (which marks notifications
// SENT after logging their id and kind). Production without SMTPURL is refused: marking them
// SENT through the log would lose them (cmd/bridge refuses that configuration earlier).
func NewSender(cfg Config, store *neo4jstore.Store, m *metrics.Metrics, logger *slog.Logger) (*notify.Sender, error) {
	logger = logger.With(slog.String("component", "notify"))
	var transport notify.Transport
	switch {
	case cfg.SMTPURL != "":
		sc, err := notify.ParseSMTPURL(cfg.SMTPURL)
		if err != nil {
			return nil, fmt.Errorf("SMTP_URL: %w", err)
		}
		transport = notify.NewSMTPTransport(sc)
		logger.Info("notification e-mails go to the SMTP server", slog.String("smtp_url", sc.Redacted()))
	case cfg.Development:
		transport = notify.LogTransport{Logger: logger}
		logger.Info("no SMTP_URL: notification e-mails are logged (id and kind), not sent")
	default:
		return nil, errors.New("SMTP_URL: required in production")
	}
	if cfg.SecretariatEmail == "" {
		logger.Warn("no SECRETARIAT_EMAIL: notifications of new introduction requests will fail")
	}
	var obs notify.Observer
	if m != nil {
		obs = m
	}
	return notify.New(store, transport, notify.NewTextRenderer(cfg.PublicURL), nil, logger, notify.Options{
		PollInterval:       cfg.NotifyInterval,
		From:               cfg.MailFrom,
		SecretariatAddress: cfg.SecretariatEmail,
		Observer:           obs,
	})
}

// StartWorkers starts the background workers of serve: the introduction expiry (every minute),
// the retention job (every RetentionInterval), each on one instance per interval (a lease in
// Neo4j), and the notification sender (whose claims are safe on every instance). stop cancels them
// and waits until they have returned; call it before closing the store.
func StartWorkers(ctx context.Context, cfg Config, store *neo4jstore.Store, sender *notify.Sender, logger *slog.Logger) (stop func()) {
	wctx, cancel := context.WithCancel(ctx)
	// The introduction worker and the retention job run on one instance per interval when
	// several share the database: each round asks for the job's lease (internal/lease).
	holder := lease.Holder()
	leaseFailed := func(job string) func(error) {
		return func(err error) {
			logger.Warn("could not ask for the job's lease; the next interval asks again", slog.String("job", job), slog.String("error", err.Error()))
		}
	}
	var workers sync.WaitGroup
	workers.Add(3)
	go func() {
		defer workers.Done()
		gate := lease.For(store, "introductions", holder, time.Minute, leaseFailed("introductions"))
		NewIntroductions(cfg, store).RunExpiry(wctx, time.Minute, gate, func(n int, err error) {
			if err != nil {
				logger.Warn("introduction expiry failed; retrying at the next tick", slog.String("error", err.Error()))
				return
			}
			logger.Info("introductions expired", slog.Int("count", n))
		})
	}()
	go func() {
		defer workers.Done()
		job := NewRetention(cfg, store)
		job.Gate = lease.For(store, "retention", holder, cfg.RetentionInterval, leaseFailed("retention"))
		job.RunEvery(wctx, cfg.RetentionInterval, func(rep bridge.RetentionReport, err error) {
			attrs := retentionAttrs(rep)
			if err != nil {
				logger.Warn("retention run incomplete; the rest is done at the next run", append(attrs, slog.String("error", err.Error()))...)
				return
			}
			logger.Info("retention run", attrs...)
		})
	}()
	go func() { defer workers.Done(); sender.Run(wctx) }()
	return func() {
		cancel()
		workers.Wait()
		// Another instance takes the jobs over at its next round, not when the leases run out.
		rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer rcancel()
		if err := store.ReleaseLeases(rctx, holder); err != nil {
			logger.Warn("could not release the jobs' leases; another instance takes them over when they run out", slog.String("error", err.Error()))
		}
	}
}

// retentionAttrs are a report's counts as log attributes (counts only, no ids).
func retentionAttrs(rep bridge.RetentionReport) []any {
	return []any{slog.Int("stamped", rep.Stamped), slog.Int("flagged", rep.Flagged), slog.Int("erased", rep.Erased),
		slog.Int("audit_pruned", rep.AuditPruned), slog.Int("notifications_pruned", rep.NotificationsPruned)}
}
