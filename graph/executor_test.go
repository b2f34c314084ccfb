package graph

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The in-process executor applies what /graphql applies: the presenter, the recover function, the
// cost limit and the mutation policy, with the principal from the context.
func TestExecutorAppliesTheAPIsRules(t *testing.T) {
	countries := fakeCountries{list: func() ([]bridge.Country, error) { return []bridge.Country{{Code: "SE", Name: "Sweden"}}, nil }}
	cfg := HandlerConfig{ComplexityLimit: 100, ParserTokenLimit: 1000, SelectionLimit: 50, DepthLimit: 5,
		RequestID: func(context.Context) string { return "req-7" }, Logger: slog.New(slog.DiscardHandler)}
	code := func(r *Resolver, ctx context.Context, query string) (string, string) {
		resp := NewExecutor(r, cfg).Execute(ctx, query, "", nil)
		if len(resp.Errors) == 0 {
			return "", string(resp.Data)
		}
		c, _ := resp.Errors[0].Extensions["code"].(string)
		return c, resp.Errors[0].Message
	}
	ctx := context.Background()
	if c, data := code(&Resolver{CountryService: countries}, ctx, `query Q { countries { code } }`); c != "" || !strings.Contains(data, `"SE"`) {
		t.Errorf("a plain read: %s %s", c, data)
	}
	if c, msg := code(&Resolver{CountryService: fakeCountries{list: func() ([]bridge.Country, error) {
		return nil, errors.New("secret-detail")
	}}}, ctx, `{ countries { code } }`); c != "INTERNAL" || strings.Contains(msg, "secret") {
		t.Errorf("an unclassified error: %s %q", c, msg)
	}
	if c, msg := code(&Resolver{CountryService: fakeCountries{list: func() ([]bridge.Country, error) { panic("secret-detail") }}},
		ctx, `{ countries { code } }`); c != "INTERNAL" || strings.Contains(msg, "secret") {
		t.Errorf("a panic: %s %q", c, msg)
	}
	if c, _ := code(&Resolver{}, ctx, `{ a: people(first: 100) { edges { node { affiliations { organisation { staff(first: 100) { totalCount } } } } } } }`); c != codeComplexity {
		t.Errorf("an operation over the cost limit: %q, want %s", c, codeComplexity)
	}
	if c, _ := code(&Resolver{}, ctx, `{ countries { nope } }`); c != "GRAPHQL_VALIDATION_FAILED" {
		t.Errorf("an invalid operation: %q", c)
	}
	if c, _ := code(&Resolver{}, bridge.WithActor(ctx, bridge.Actor{Principal: bridge.Anonymous}), `mutation { withdrawConsent(purpose: SUGGEST) { purpose } }`); c != string(bridge.CodeUnauthenticated) {
		t.Errorf("an anonymous mutation: %q, want UNAUTHENTICATED", c)
	}
	if c, _ := code(&Resolver{}, bridge.WithActor(ctx, bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleMember, PersonID: "p"}}),
		`{ rightsRequests { totalCount } }`); c != string(bridge.CodeForbidden) {
		t.Errorf("a member reading the rights register: %q, want FORBIDDEN", c)
	}
}
