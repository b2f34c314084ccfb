package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/nordic-integration/bridge/graph/generated"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/httperr"
)

// HandlerConfig holds the limits of the GraphQL endpoint.
type HandlerConfig struct {
	// Development enables introspection (GraphiQL needs it). Off in production (OWASP).
	Development bool
	// MaxBodyBytes bounds the request body; larger bodies get 413 before any parsing.
	MaxBodyBytes int64
	// ComplexityLimit bounds the cost of one operation: every field counts, aliases included, and
	// a list counts its elements (`first`, or its bound) times the cost of one (graph/cost.go).
	ComplexityLimit int
	// ParserTokenLimit bounds the number of tokens the parser reads (CVE-2023-49559).
	ParserTokenLimit int
	// DepthLimit bounds how deeply fields nest in one operation (0: no limit).
	DepthLimit int
	// SelectionLimit bounds the selections (fields, fragment spreads) of the query text, counted
	// before parsing and validation (0: no limit).
	SelectionLimit int
	// RequestID returns the id of the request in ctx, shown to clients with internal errors so
	// that support can find the log line.
	RequestID func(context.Context) string
	Logger    *slog.Logger
}

// NewHandler returns the POST-only GraphQL endpoint with its limits, error presenter and recover
// function. It is built with handler.New and explicit transports: the deprecated
// NewDefaultServer adds GET (queries in URLs and proxy logs), websockets and multipart.
func NewHandler(r *Resolver, cfg HandlerConfig) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.RequestID == nil {
		cfg.RequestID = func(context.Context) string { return "" }
	}
	srv := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: r}))
	srv.AddTransport(transport.POST{})
	configure(srv, r, cfg)
	return bodyGuard(cfg, srv)
}

// configure gives a gqlgen server or executor everything /graphql applies to an operation: the
// deadline hooks, the selection pre-check, the cost and depth limits, introspection only in
// development, the policy, the loaders, the read audit, the error presenter and the recover
// function. NewHandler and NewExecutor both call it, so the web app's in-process reads meet
// exactly the rules of any API client.
func configure(srv configurable, r *Resolver, cfg HandlerConfig) {
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(cfg.ParserTokenLimit)
	srv.SetDisableSuggestion(true)
	// The deadline hook comes first: outermost, it sees every response.
	srv.AroundOperations(stopAtDeadline(cfg))
	srv.Use(selectionPrecheck{limit: cfg.SelectionLimit})
	srv.Use(&costLimit{limit: cfg.ComplexityLimit, depthLimit: cfg.DepthLimit})
	if cfg.Development {
		srv.Use(extension.Introspection{})
	} else {
		// Without this, gqlgen answers introspection with an uncoded error that the presenter
		// would have to show as INTERNAL.
		srv.AroundRootFields(func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
			if f := graphql.GetRootFieldContext(ctx); f != nil && (f.Field.Name == "__schema" || f.Field.Name == "__type") {
				graphql.AddError(ctx, bridge.Errorf(bridge.CodeForbidden, "introspection is disabled"))
				return graphql.Null
			}
			return next(ctx)
		})
	}
	srv.AroundRootFields(enforcePolicy(MutationPolicy(), QueryPolicy()))
	srv.AroundOperations(func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		return next(withLoaders(ctx, r))
	})
	srv.AroundOperations(auditReads(r))
	// One field middleware, not one per concern: gqlgen wraps every field of every list element
	// in each of them (a closure each), so the deadline check and the audit share one.
	srv.AroundFields(fieldHooks(auditPersonFields(r)))
	srv.SetErrorPresenter(presenter(cfg))
	srv.SetRecoverFunc(recoverer(cfg))
}

// Request-level codes beside the domain's: gqlgen's own (GRAPHQL_PARSE_FAILED,
// GRAPHQL_VALIDATION_FAILED, COMPLEXITY_LIMIT_EXCEEDED) pass through unchanged.
const (
	codeBadRequest      = "BAD_REQUEST"
	codeRequestTooLarge = "REQUEST_TOO_LARGE"
	codeUnsupported     = "UNSUPPORTED_MEDIA_TYPE"
)

// bodyGuard answers the requests that gqlgen's POST transport would answer badly: bodies over the
// limit (gqlgen reads everything, then answers 200), bodies that are not JSON (gqlgen echoes the
// whole body, personal data included, in its error) and other media types.
func bodyGuard(cfg HandlerConfig, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fail := func(status int, code, msg string) { httperr.Write(w, status, code, msg, cfg.RequestID(r.Context())) }
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			fail(http.StatusMethodNotAllowed, codeBadRequest, "use POST with a JSON body")
			return
		}
		if mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mediaType != "application/json" {
			fail(http.StatusUnsupportedMediaType, codeUnsupported, "send the request as application/json")
			return
		}
		if r.ContentLength > cfg.MaxBodyBytes {
			fail(http.StatusRequestEntityTooLarge, codeRequestTooLarge, "the request body is too large")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, cfg.MaxBodyBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				fail(http.StatusRequestEntityTooLarge, codeRequestTooLarge, "the request body is too large")
				return
			}
			fail(http.StatusBadRequest, codeBadRequest, "the request body could not be read")
			return
		}
		var params struct {
			Query         string         `json:"query"`
			OperationName string         `json:"operationName"`
			Variables     map[string]any `json:"variables"`
			Extensions    map[string]any `json:"extensions"`
		}
		if err := json.Unmarshal(body, &params); err != nil || params.Query == "" {
			fail(http.StatusBadRequest, codeBadRequest,
				`the body must be a JSON object {"query": "...", "variables": {...}}`)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// retryAfterSeconds is the hint an UNAVAILABLE error carries (extensions.retryAfterSeconds): the
// database was away or the request ran out of time, and the same request may succeed shortly.
const retryAfterSeconds = 2

// presenter is the one place where errors become what clients see. Domain errors show their safe
// message and code; gqlgen's parse, validation and complexity errors keep theirs; anything else
// is logged with the request id and shown as "internal error".
func presenter(cfg HandlerConfig) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		if errors.Is(err, errSkipped) {
			// A field not resolved because the deadline passed: the whole response becomes one
			// error (stopAtDeadline), logged once there.
			return &gqlerror.Error{Message: errSkipped.Error(), Path: gqlErr.Path,
				Extensions: map[string]any{"code": string(bridge.CodeUnavailable), "retryAfterSeconds": retryAfterSeconds}}
		}
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			// The request's deadline, met by code that returned the context's error as it was.
			err = bridge.Unavailable(err)
		}
		var domainErr *bridge.Error
		if errors.As(err, &domainErr) {
			out := &gqlerror.Error{Message: domainErr.Message, Path: gqlErr.Path, Locations: gqlErr.Locations,
				Extensions: map[string]any{"code": string(domainErr.Code)}}
			if domainErr.Status != "" {
				out.Extensions["status"] = domainErr.Status
			}
			if len(domainErr.Field) > 0 {
				out.Extensions["field"] = domainErr.Field
			}
			switch domainErr.Code {
			case bridge.CodeInternal, bridge.CodeUnavailable:
				if domainErr.Code == bridge.CodeUnavailable {
					out.Extensions["retryAfterSeconds"] = retryAfterSeconds
				}
				id := cfg.RequestID(ctx)
				out.Extensions["requestId"] = id
				cfg.Logger.LogAttrs(ctx, levelFor(domainErr.Code), "request failed",
					slog.String("code", string(domainErr.Code)), slog.String("request_id", id),
					slog.String("path", gqlErr.Path.String()), slog.String("cause", errorCause(domainErr)))
				if domainErr.Code == bridge.CodeInternal {
					out.Message = "internal error"
				}
			}
			return out
		}
		// gqlgen's own request errors carry a code and no cause from our code.
		if code, ok := gqlErr.Extensions["code"].(string); ok && gqlErr.Err == nil {
			return &gqlerror.Error{Message: gqlErr.Message, Path: gqlErr.Path, Locations: gqlErr.Locations, Rule: gqlErr.Rule,
				Extensions: map[string]any{"code": code}}
		}
		if gqlErr.Err == nil && len(gqlErr.Path) > 0 {
			// Argument coercion errors of the generated code: about the client's own input.
			return &gqlerror.Error{Message: gqlErr.Message, Path: gqlErr.Path, Locations: gqlErr.Locations,
				Extensions: map[string]any{"code": string(bridge.CodeBadUserInput)}}
		}
		id := cfg.RequestID(ctx)
		cfg.Logger.LogAttrs(ctx, slog.LevelError, "request failed",
			slog.String("code", string(bridge.CodeInternal)), slog.String("request_id", id),
			slog.String("path", gqlErr.Path.String()), slog.String("cause", errorCause(err)))
		return &gqlerror.Error{Message: "internal error", Path: gqlErr.Path, Locations: gqlErr.Locations,
			Extensions: map[string]any{"code": string(bridge.CodeInternal), "requestId": id}}
	}
}

func levelFor(code bridge.Code) slog.Level {
	if code == bridge.CodeUnavailable {
		return slog.LevelWarn
	}
	return slog.LevelError
}

// errorCause is the text logged for an error: the chain as our code wrapped it. The store keeps
// personal data out of its errors (it drops server messages that may quote values).
func errorCause(err error) string {
	var domainErr *bridge.Error
	if errors.As(err, &domainErr) && domainErr.Err != nil {
		return domainErr.Err.Error()
	}
	return err.Error()
}

// recoverer turns a panic in a resolver into an internal error, logging where it happened and the
// type of the panic value: never the value (it can quote personal data) or the stack.
func recoverer(cfg HandlerConfig) graphql.RecoverFunc {
	return func(ctx context.Context, p any) error {
		site := bridge.PanicSite()
		cfg.Logger.ErrorContext(ctx, "panic in resolver", slog.String("request_id", cfg.RequestID(ctx)),
			slog.String("panic_type", fmt.Sprintf("%T", p)), slog.String("at", site))
		return &bridge.Error{Code: bridge.CodeInternal, Message: "internal error", Err: fmt.Errorf("panic (%T) in %s", p, site)}
	}
}
