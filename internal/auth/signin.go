package auth

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// PersonFinder maps a sign-in (issuer, subject) to the person it signs in as ("" when the
// account signs in as nobody yet). The store satisfies it.
type PersonFinder interface {
	PersonForAccount(ctx context.Context, issuer, subject string) (string, error)
}

// SignIn returns the /graphql middleware: with an authenticator, verify the bearer token
// (Middleware) and resolve the person the account signs in as, putting the Principal in the
// context; without one (sign-in not configured), refuse any Authorization header (a token we
// cannot check must not be silently ignored) and leave the request anonymous.
func SignIn(a *Authenticator, people PersonFinder, logger *slog.Logger) func(http.Handler) http.Handler {
	if a == nil {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "" {
					writeError(w, http.StatusUnauthorized, bridge.CodeUnauthenticated, "sign-in is not configured on this server")
					return
				}
				// Anonymous, unless a wrapper outside the router put a principal there (the API
				// tests do; production has none).
				a := bridge.ActorFrom(r.Context())
				a.RequestID = middleware.GetReqID(r.Context())
				next.ServeHTTP(w, r.WithContext(bridge.WithActor(r.Context(), a)))
			})
		}
	}
	return func(next http.Handler) http.Handler {
		resolve := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, ok := IdentityFrom(r.Context())
			if !ok {
				next.ServeHTTP(w, r)
				return
			}
			p, err := PrincipalFor(r.Context(), people, id)
			var refused *bridge.Error
			if errors.As(err, &refused) && refused.Code == bridge.CodeBadUserInput {
				// The request's own input refused on the way (a bookmark the database did not
				// issue, internal/causal): the client's to fix, not the service being down.
				writeError(w, http.StatusBadRequest, refused.Code, refused.Message)
				return
			}
			if err != nil {
				logger.WarnContext(r.Context(), "could not resolve the signed-in person", slog.String("code", string(bridge.ErrorCode(err))))
				writeError(w, http.StatusServiceUnavailable, bridge.CodeUnavailable, unavailableMessage)
				return
			}
			a := bridge.Actor{Principal: p, RequestID: middleware.GetReqID(r.Context())}
			next.ServeHTTP(w, r.WithContext(bridge.WithActor(r.Context(), a)))
		})
		return a.Middleware(resolve)
	}
}
