package graph

import (
	"context"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/executor"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/nordic-integration/bridge/graph/generated"
)

// configurable is what handler.Server and executor.Executor have in common: the hooks configure
// sets on both.
type configurable interface {
	Use(graphql.HandlerExtension)
	AroundFields(graphql.FieldMiddleware)
	AroundRootFields(graphql.RootFieldMiddleware)
	AroundOperations(graphql.OperationMiddleware)
	SetErrorPresenter(graphql.ErrorPresenterFunc)
	SetRecoverFunc(graphql.RecoverFunc)
	SetQueryCache(graphql.Cache[*ast.QueryDocument])
	SetParserTokenLimit(int)
	SetDisableSuggestion(bool)
}

// Executor runs GraphQL operations in-process, without HTTP, through the same executable schema
// and the same extensions as /graphql (cost and depth limits, deadline, policy, read audit, error
// presenter): the web app reads and writes through it, so privacy, audit and limits have one
// implementation. The viewer is the bridge.Principal in the context, as on /graphql. It is safe
// for concurrent use.
type Executor struct {
	exec *executor.Executor
}

// NewExecutor returns the in-process executor over r with the limits of cfg (MaxBodyBytes does not
// apply: there is no body).
func NewExecutor(r *Resolver, cfg HandlerConfig) *Executor {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.RequestID == nil {
		cfg.RequestID = func(context.Context) string { return "" }
	}
	exec := executor.New(generated.NewExecutableSchema(generated.Config{Resolvers: r}))
	configure(exec, r, cfg)
	return &Executor{exec: exec}
}

// Execute runs one operation of query (operationName may be empty when the document has one) with
// variables, as the principal in ctx, and returns the response as /graphql would write it: data
// and errors with their extensions.code. A request error (parse, validation, cost) is a response
// with errors and no data; a panic in a resolver is an INTERNAL error, never a crash.
func (e *Executor) Execute(ctx context.Context, query, operationName string, variables map[string]any) (resp *graphql.Response) {
	defer func() {
		if p := recover(); p != nil {
			gqlErr, ok := e.exec.PresentRecoveredError(ctx, p).(*gqlerror.Error)
			if !ok || gqlErr == nil {
				gqlErr = &gqlerror.Error{Message: "internal error", Extensions: map[string]any{"code": "INTERNAL"}}
			}
			resp = &graphql.Response{Errors: gqlerror.List{gqlErr}}
		}
	}()
	ctx = graphql.StartOperationTrace(ctx)
	params := &graphql.RawParams{Query: query, OperationName: operationName, Variables: variables,
		ReadTime: graphql.TraceTiming{Start: graphql.Now(), End: graphql.Now()}}
	opCtx, errs := e.exec.CreateOperationContext(ctx, params)
	if errs != nil {
		return e.exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs)
	}
	handler, ctx := e.exec.DispatchOperation(ctx, opCtx)
	return handler(ctx)
}
