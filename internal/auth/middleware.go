package auth

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/httperr"
)

// The messages of refused requests (written by httperr in the shape of a GraphQL error response,
// so that clients handle them like any other error). They say nothing about why the token was
// refused: that would tell an attacker which of their forgeries came closest.
const (
	unauthenticatedMessage = "invalid or expired token"
	unavailableMessage     = "the service is temporarily unavailable; try again shortly"
)

// Middleware authenticates each request by its Authorization header:
//
//   - no header: the request continues as bridge.Anonymous, since public data needs no sign-in;
//   - "Bearer <token>" (scheme in any case, RFC 6750) with a valid token: the request continues
//     with the Identity (IdentityFrom) and a principal with its role and no PersonID, which the
//     caller resolves from (issuer, subject);
//   - anything else (another scheme, no token, two tokens, several headers, an invalid token):
//     401 with a generic UNAUTHENTICATED body and WWW-Authenticate: Bearer error="invalid_token";
//     the reason goes to the log, never the token or its claims;
//   - a token while the provider is not loaded yet: 503 UNAVAILABLE, so that the client retries
//     instead of signing the user out.
//
// A token in the query string is never looked at: URLs end up in logs and browser histories.
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		values := r.Header.Values("Authorization")
		if len(values) == 0 {
			next.ServeHTTP(w, r.WithContext(bridge.WithActor(ctx, bridge.Actor{Principal: bridge.Anonymous, RequestID: middleware.GetReqID(ctx)})))
			return
		}
		token, ok := bearerToken(values)
		if !ok {
			a.logger.InfoContext(ctx, "request refused: malformed Authorization header")
			writeError(w, http.StatusUnauthorized, bridge.CodeUnauthenticated, unauthenticatedMessage)
			return
		}
		id, err := a.Verify(ctx, token)
		if err != nil {
			if bridge.ErrorCode(err) == bridge.CodeUnavailable {
				a.logger.InfoContext(ctx, "request refused: identity provider not loaded")
				w.Header().Set("Retry-After", "5")
				writeError(w, http.StatusServiceUnavailable, bridge.CodeUnavailable, unavailableMessage)
				return
			}
			// The error's text is the fixed reason (see rejected); it quotes nothing.
			a.logger.InfoContext(ctx, "request refused: invalid bearer token", slog.String("reason", reasonText(err)))
			writeError(w, http.StatusUnauthorized, bridge.CodeUnauthenticated, unauthenticatedMessage)
			return
		}
		ctx = WithIdentity(ctx, id)
		ctx = bridge.WithActor(ctx, bridge.Actor{Principal: bridge.Principal{Role: id.Role}, RequestID: middleware.GetReqID(ctx)})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// reasonText is the reason of a rejected error without the generic message around it.
func reasonText(err error) string {
	var e *bridge.Error
	if errors.As(err, &e) && e.Err != nil {
		return strings.TrimPrefix(e.Err.Error(), errInvalid.Error()+": ")
	}
	return "invalid"
}

// bearerToken extracts the token from the Authorization header values: exactly one header, the
// scheme "Bearer" in any case, one or more spaces, and one token in the b64token syntax of
// RFC 6750 §2.1 (which rules out a second token after a space).
func bearerToken(values []string) (string, bool) {
	if len(values) != 1 {
		return "", false
	}
	scheme, token, ok := strings.Cut(values[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimLeft(token, " ")
	if !isB64Token(token) {
		return "", false
	}
	return token, true
}

// isB64Token reports whether s is 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=".
func isB64Token(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" {
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '.', c == '_', c == '~', c == '+', c == '/':
		default:
			return false
		}
	}
	return true
}

// WriteError answers a request refused for its credentials or while sign-in cannot decide
// (httperr's shape, not cached); a 401 carries WWW-Authenticate: Bearer error="invalid_token".
func writeError(w http.ResponseWriter, status int, code bridge.Code, message string) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	httperr.Write(w, status, string(code), message, "")
}
