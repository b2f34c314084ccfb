package main

import (
	"log/slog"
	"net/http"

	"github.com/nordic-integration/bridge/internal/app"
	"github.com/nordic-integration/bridge/internal/auth"
	"github.com/nordic-integration/bridge/internal/introductions"
	"github.com/nordic-integration/bridge/internal/metrics"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/notify"
)

// The API tests build what `bridge serve` builds, through the composition root (internal/app)
// with the configuration translated as serve translates it.

func newAPI(cfg *config, store *neo4jstore.Store, m *metrics.Metrics, logger *slog.Logger, authn *auth.Authenticator) http.Handler {
	return app.Handler(cfg.app(), store, m, logger, authn)
}

func newIntroductions(cfg *config, store *neo4jstore.Store) *introductions.Service {
	return app.NewIntroductions(cfg.app(), store)
}

func newSender(cfg *config, store *neo4jstore.Store, m *metrics.Metrics, logger *slog.Logger) (*notify.Sender, error) {
	return app.NewSender(cfg.app(), store, m, logger)
}
