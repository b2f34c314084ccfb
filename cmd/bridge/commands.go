package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/nordic-integration/bridge/internal/app"
	"github.com/nordic-integration/bridge/internal/auth"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/httpserver"
	"github.com/nordic-integration/bridge/internal/metrics"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
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

// newAuthenticator starts OIDC discovery in the background (with retry) when an issuer is
// configured; nil when sign-in is off.
func newAuthenticator(ctx context.Context, cfg *config, logger *slog.Logger) (*auth.Authenticator, error) {
	if cfg.OIDCIssuer == "" {
		return nil, nil
	}
	return auth.New(ctx, auth.Config{Issuer: cfg.OIDCIssuer, Audience: cfg.OIDCAudience, RoleClaim: cfg.OIDCRoleClaim,
		SecretariatValues: splitList(cfg.OIDCSecretariatValues), AdminValues: splitList(cfg.OIDCAdminValues),
		AllowedClients: splitList(cfg.OIDCAllowedClients), RequireAccessTokenType: cfg.OIDCRequireATJWT}, logger)
}

// serve runs the API until ctx is cancelled (SIGINT, SIGTERM), then stops accepting requests,
// lets in-flight ones finish within ShutdownTimeout, and only then closes the driver.
func serve(ctx context.Context, cfg *config, stdout io.Writer) (err error) {
	logger := newLogger(stdout, cfg.LogLevel)
	if err := errors.Join(cfg.validate(true), cfg.validateRetention(), cfg.validateErasures()); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	logger.LogAttrs(ctx, slog.LevelInfo, "configuration", cfg.attrs()...)
	logger.LogAttrs(ctx, slog.LevelInfo, "garbage collector", applyGC(gcDefaults(os.LookupEnv))...)
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
	acfg := cfg.app()
	srv := httpserver.NewServer(cfg.Addr, app.Handler(acfg, store, m, logger, authn), cfg.RequestTimeout, logger)
	sender, err := app.NewSender(acfg, store, m, logger)
	if err != nil {
		ln.Close()
		return fmt.Errorf("notifications: %w", err)
	}
	// The workers stop before the store closes (deferred earlier, so it runs later).
	stopWorkers := app.StartWorkers(ctx, acfg, store, sender, logger)
	defer stopWorkers()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	attrs := []any{slog.String("addr", "http://"+ln.Addr().String()), slog.String("web", "http://"+ln.Addr().String()+"/")}
	if cfg.Env == envDevelopment {
		attrs = append(attrs, slog.String("graphiql", "http://"+ln.Addr().String()+"/graphiql"))
	}
	logger.Info("serving", attrs...)
	if cfg.WarmUpTimeout > 0 {
		wctx, cancel := context.WithTimeout(ctx, cfg.WarmUpTimeout)
		defer cancel()
		go func() {
			warmUpPages(wctx, warmUpBase(ln.Addr()), &http.Client{Timeout: cfg.RequestTimeout + 5*time.Second}, logger)
			if cfg.OIDCIssuer != "" { // without sign-in nobody writes a profile
				warmUpWrites(wctx, store, cfg.OIDCIssuer, logger)
			}
		}()
	}

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
