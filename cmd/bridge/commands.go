package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/graph"
	"github.com/nordic-integration/bridge/internal/auth"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/httpserver"
	"github.com/nordic-integration/bridge/internal/introductions"
	"github.com/nordic-integration/bridge/internal/metrics"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/peers"
	"github.com/nordic-integration/bridge/internal/profiles"
	"github.com/nordic-integration/bridge/schema"
)

// openStore opens the store; journal (nil for commands that never erase) is told about every
// erasure after it committed.
func openStore(cfg *config, obs neo4jstore.Observer, journal bridge.ErasureJournal) (*neo4jstore.Store, error) {
	return neo4jstore.Open(neo4jstore.Config{
		URI: cfg.Neo4jURI, User: cfg.Neo4jUser, Password: cfg.Neo4jPassword,
		Database: cfg.Neo4jDatabase, QueryTimeout: cfg.QueryTimeout, ErasureJournal: journal,
	}, obs)
}

// closeStore closes the driver with a deadline of its own and joins the error into *err.
func closeStore(store *neo4jstore.Store, err *error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	*err = errors.Join(*err, store.Close(ctx))
}

// newIntroductions builds the introduction workflow with the configured limits.
func newIntroductions(cfg *config, store *neo4jstore.Store) *introductions.Service {
	return introductions.New(store, bridge.Limits{TTL: cfg.IntroductionTTL, WeeklyPerMember: cfg.IntroductionWeeklyLimit,
		ReminderLead: cfg.IntroductionReminder},
		time.Now, uuid.NewString)
}

// newAPI wires the HTTP handler of the API: the one place where the concrete store, metrics and
// GraphQL handler meet. Tests build the same handler.
func newAPI(cfg *config, store *neo4jstore.Store, m *metrics.Metrics, logger *slog.Logger, authn *auth.Authenticator) http.Handler {
	resolver := &graph.Resolver{CountryService: store, PlaceService: store, ThemeService: store,
		PeopleService: store, OrganisationService: store, ProgrammeService: store, Peers: peers.Finder{People: store},
		Profiles: profiles.Service{Store: store}, Secretariat: profiles.Secretariat{Store: store},
		Organisations: profiles.Organisations{Store: store}, Programme: profiles.Programme{Store: store}, RequestID: middleware.GetReqID,
		Introductions: newIntroductions(cfg, store), Privacy: profiles.Privacy{Store: store, Now: time.Now}, Audit: store,
		Rights: profiles.Rights{Store: store, Now: time.Now}, AuditLog: profiles.AuditLog{Store: store}}
	gql := graph.NewHandler(resolver, graph.HandlerConfig{
		Development:      cfg.Env == envDevelopment,
		MaxBodyBytes:     cfg.MaxBodyBytes,
		ComplexityLimit:  cfg.ComplexityLimit,
		DepthLimit:       cfg.DepthLimit,
		SelectionLimit:   cfg.SelectionLimit,
		ParserTokenLimit: cfg.ParserTokenLimit,
		RequestID:        middleware.GetReqID,
		Logger:           logger,
	})
	return httpserver.NewRouter(httpserver.Deps{
		GraphQL:        gql,
		Ready:          readiness{store: store, authn: authn},
		Authenticate:   authenticate(authn, store, logger),
		ReadyTimeout:   cfg.ReadyTimeout,
		RequestTimeout: cfg.RequestTimeout,
		Metrics:        m,
		Logger:         logger,
		Development:    cfg.Env == envDevelopment,
		RateLimit:      cfg.RateLimit,
		TrustedProxies: splitList(cfg.TrustedProxies),
	})
}

// serve runs the API until ctx is cancelled (SIGINT, SIGTERM), then stops accepting requests,
// lets in-flight ones finish within ShutdownTimeout, and only then closes the driver.
func serve(ctx context.Context, cfg *config, stdout io.Writer) (err error) {
	logger := newLogger(stdout, cfg.LogLevel)
	if err := errors.Join(cfg.validate(true), cfg.validateRetention(), cfg.validateErasures()); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	logger.LogAttrs(ctx, slog.LevelInfo, "configuration", cfg.attrs()...)
	erasures, err := openJournal(cfg, logger)
	if err != nil {
		return err
	}
	m := metrics.New()
	store, err := openStore(cfg, m, erasures)
	if err != nil {
		return err
	}
	defer closeStore(store, &err)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	// /metrics has an address of its own (loopback or internal), never the API's.
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s (BRIDGE_METRICS_ADDR): %w", cfg.MetricsAddr, err)
		}
		msrv := httpserver.NewMetricsServer(cfg.MetricsAddr, m, logger)
		go func() {
			if err := msrv.Serve(mln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Error("metrics server stopped", slog.String("error", err.Error()))
			}
		}()
		defer msrv.Close()
		logger.Info("serving metrics", slog.String("addr", "http://"+mln.Addr().String()+"/metrics"))
	}
	authn, err := newAuthenticator(ctx, cfg, logger)
	if err != nil {
		return fmt.Errorf("sign-in: %w", err)
	}
	srv := httpserver.NewServer(cfg.Addr, newAPI(cfg, store, m, logger, authn), cfg.RequestTimeout, logger)
	// Background workers stop before the store closes (deferred earlier, so it runs later).
	wctx, stopWorkers := context.WithCancel(ctx)
	var workers sync.WaitGroup
	defer func() { stopWorkers(); workers.Wait() }()
	workers.Add(1)
	go func() {
		defer workers.Done()
		newIntroductions(cfg, store).RunExpiry(wctx, time.Minute, func(n int, err error) {
			if err != nil {
				logger.Warn("introduction expiry failed; retrying at the next tick", slog.String("error", err.Error()))
				return
			}
			logger.Info("introductions expired", slog.Int("count", n))
		})
	}()
	workers.Add(1)
	go func() {
		defer workers.Done()
		newRetention(cfg, store).RunEvery(wctx, cfg.RetentionInterval, func(rep bridge.RetentionReport, err error) {
			logRetention(logger, rep, err)
		})
	}()
	sender, err := newSender(cfg, store, m, logger)
	if err != nil {
		ln.Close()
		return fmt.Errorf("notifications: %w", err)
	}
	workers.Add(1)
	go func() { defer workers.Done(); sender.Run(wctx) }()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	attrs := []any{slog.String("addr", "http://"+ln.Addr().String())}
	if cfg.Env == envDevelopment {
		attrs = append(attrs, slog.String("graphiql", "http://"+ln.Addr().String()+"/"))
	}
	logger.Info("serving", attrs...)

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing in-flight requests", slog.Duration("timeout", cfg.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// withStore validates the configuration for a command that needs only Neo4j, opens the store,
// runs fn and closes the store, whatever fn returns.
func withStore(cfg *config, fn func(*neo4jstore.Store) error) (err error) {
	if err := cfg.validate(false); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	store, err := openStore(cfg, nil, nil)
	if err != nil {
		return err
	}
	defer closeStore(store, &err)
	return fn(store)
}

func migrate(ctx context.Context, cfg *config, stdout io.Writer) error {
	migrations, err := schema.Migrations()
	if err != nil {
		return err
	}
	return withStore(cfg, func(store *neo4jstore.Store) error {
		res, err := store.Migrate(ctx, migrations)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		fmt.Fprintf(stdout, "migrate: applied %d (%s), already applied %d\n", len(res.Applied),
			strings.Join(res.Applied, ", "), len(res.Skipped))
		return nil
	})
}

// waitDB polls RETURN 1 until Neo4j answers or the timeout passes: an open port is not enough.
func waitDB(ctx context.Context, cfg *config, timeout time.Duration, stdout io.Writer) error {
	if timeout <= 0 {
		timeout = 4 * time.Minute
	}
	return withStore(cfg, func(store *neo4jstore.Store) error {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		for {
			pctx, pcancel := context.WithTimeout(ctx, 5*time.Second)
			perr := store.Ping(pctx)
			pcancel()
			if perr == nil {
				break
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("neo4j at %s did not answer within %s: %w", cfg.Neo4jURI, timeout, perr)
			case <-time.After(500 * time.Millisecond):
			}
		}
		name, version, edition, err := store.Components(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "neo4j ready: %s %s %s\n", name, version, edition)
		return nil
	})
}
