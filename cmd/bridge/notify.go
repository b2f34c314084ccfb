package main

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/nordic-integration/bridge/internal/metrics"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/notify"
)

// newSender builds the notification sender of `serve` from the configuration: the outbox is the
// store, the transport SMTP (SMTP_URL) or, in development without SMTP_URL, the log transport
// (which marks notifications SENT after logging their id and kind). Production without SMTP_URL
// does not get this far (config.validate); marking them SENT through the log would lose them.
func newSender(cfg *config, store *neo4jstore.Store, m *metrics.Metrics, logger *slog.Logger) (*notify.Sender, error) {
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
	case cfg.Env == envDevelopment:
		transport = notify.LogTransport{Logger: logger}
		logger.Info("no SMTP_URL: notification e-mails are logged (id and kind), not sent")
	default: // config.validate refuses production without SMTP_URL; kept as a guard
		return nil, errors.New("SMTP_URL: required in production")
	}
	if cfg.SecretariatEmail == "" {
		logger.Warn("no SECRETARIAT_EMAIL: notifications of new introduction requests will fail")
	}
	var obs notify.Observer
	if m != nil {
		obs = m
	}
	return notify.New(store, transport, notify.NewTextRenderer(), nil, logger, notify.Options{
		PollInterval:       cfg.NotifyInterval,
		From:               cfg.MailFrom,
		SecretariatAddress: cfg.SecretariatEmail,
		Observer:           obs,
	})
}
