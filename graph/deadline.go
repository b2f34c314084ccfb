package graph

import (
	"context"
	"errors"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The request deadline (BRIDGE_REQUEST_TIMEOUT) cancels the request's context, which stops the
// store's queries; but gqlgen goes on resolving and serialising whatever was already loaded, for
// as long as that takes (issue 10: 160 s past a 10 s deadline). These two hooks stop it: no field
// is resolved once the context is done, and the response of such a request is one UNAVAILABLE
// error, never the partial data. The HTTP layer (internal/httpserver) answers at the deadline
// itself and discards what comes later.

// errSkipped is the error of a field that was not resolved because the deadline had passed.
var errSkipped = errors.New("the request took too long")

// deadlineMessage is what the client is told.
const deadlineMessage = "the request took too long; ask for less, or try again shortly"

// fieldHooks is the field middleware: once the request's context is done it resolves nothing
// (the field is null with errSkipped, so nothing below it runs either); otherwise then (the audit
// of person fields) runs.
func fieldHooks(then graphql.FieldMiddleware) graphql.FieldMiddleware {
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		if ctx.Err() != nil {
			return nil, errSkipped
		}
		return then(ctx, next)
	}
}

// stopAtDeadline is the operation middleware that turns the response of a request whose context
// ended (deadline or a client that went away) into one UNAVAILABLE error, logged once.
func stopAtDeadline(cfg HandlerConfig) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		h := next(ctx)
		return func(ctx context.Context) *graphql.Response {
			resp := h(ctx)
			if ctx.Err() == nil {
				return resp
			}
			return deadlineResponse(ctx, cfg)
		}
	}
}

func deadlineResponse(ctx context.Context, cfg HandlerConfig) *graphql.Response {
	id := cfg.RequestID(ctx)
	cfg.Logger.LogAttrs(ctx, slog.LevelWarn, "request failed", slog.String("code", string(bridge.CodeUnavailable)),
		slog.String("request_id", id), slog.String("cause", "request stopped: "+context.Cause(ctx).Error()))
	return &graphql.Response{Errors: gqlerror.List{{Message: deadlineMessage,
		Extensions: map[string]any{"code": string(bridge.CodeUnavailable), "requestId": id, "retryAfterSeconds": retryAfterSeconds}}}}
}
