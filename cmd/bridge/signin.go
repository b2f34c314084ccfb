package main

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/nordic-integration/bridge/internal/auth"
	"github.com/nordic-integration/bridge/internal/bridge"
)

// PersonFinder maps a sign-in to the person it signs in as.
type PersonFinder interface {
	PersonForAccount(ctx context.Context, issuer, subject string) (string, error)
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

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// authenticate returns the /graphql middleware: with an authenticator, verify the bearer token
// and resolve the person the account signs in as; without one, refuse any Authorization header
// (a token we cannot check must not be silently ignored) and leave the request anonymous.
func authenticate(a *auth.Authenticator, people PersonFinder, logger *slog.Logger) func(http.Handler) http.Handler {
	if a == nil {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "" {
					auth.WriteError(w, http.StatusUnauthorized, bridge.CodeUnauthenticated, "sign-in is not configured on this server")
					return
				}
				next.ServeHTTP(w, r)
			})
		}
	}
	return func(next http.Handler) http.Handler {
		resolve := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, ok := auth.IdentityFrom(r.Context())
			if !ok {
				next.ServeHTTP(w, r)
				return
			}
			personID, err := people.PersonForAccount(r.Context(), id.Issuer, id.Subject)
			if err != nil {
				logger.WarnContext(r.Context(), "could not resolve the signed-in person", slog.String("code", string(bridge.ErrorCode(err))))
				auth.WriteError(w, http.StatusServiceUnavailable, bridge.CodeUnavailable, "the service is temporarily unavailable; try again shortly")
				return
			}
			p := bridge.Principal{Role: id.Role, PersonID: personID,
				Account: &bridge.Account{Issuer: id.Issuer, Subject: id.Subject, Email: id.Email, EmailVerified: id.EmailVerified}}
			next.ServeHTTP(w, r.WithContext(bridge.WithPrincipal(r.Context(), p)))
		})
		return a.Middleware(resolve)
	}
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
