package graph

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Bridge's own work on top of its Cypher (issue 15): the GraphQL handler with stores that answer
// from memory at once, so that ns/op and allocs/op are what Bridge adds to a read (parsing,
// validation, cost, policy, resolvers, loaders, JSON), without Neo4j. The shapes are those of
// the peer bench: W1 (20 organisations → 20 staff with totalCount → themes) and W2 (a page of 20
// people). Run: go test -run '^$' -bench OwnWork -benchmem ./graph/

type ownWorkThemes struct{ themes []bridge.Theme }

func (f ownWorkThemes) Themes(context.Context) ([]bridge.Theme, error) { return f.themes, nil }

type ownWorkCountries struct{}

func (ownWorkCountries) Countries(context.Context) ([]bridge.Country, error) {
	return []bridge.Country{{Code: "SE", Name: "Sweden"}}, nil
}
func (ownWorkCountries) CountryByCode(context.Context, string) (*bridge.Country, error) {
	return &bridge.Country{Code: "SE", Name: "Sweden"}, nil
}

type ownWorkOrgs struct{ orgs []bridge.Organisation }

func (f ownWorkOrgs) OrganisationsByIDs(context.Context, []string) (map[string]bridge.Organisation, error) {
	return nil, nil
}
func (f ownWorkOrgs) Organisations(_ context.Context, _ bridge.OrganisationFilter, p bridge.Page) (bridge.OrganisationPage, error) {
	return bridge.OrganisationPage{Items: f.orgs[:p.First], TotalCount: len(f.orgs), HasNextPage: true}, nil
}

type ownWorkPeople struct {
	bridge.PeopleService // the methods the benchmarks do not call
	people               []bridge.Person
}

func (f ownWorkPeople) Related(_ context.Context, _ bridge.Principal, _ bridge.Relation, parents []string, p bridge.PeoplePage) (map[string]bridge.PeopleResult, error) {
	out := make(map[string]bridge.PeopleResult, len(parents))
	for _, id := range parents {
		out[id] = bridge.PeopleResult{People: f.people[:p.First], TotalCount: len(f.people), HasNextPage: true}
	}
	return out, nil
}

func (f ownWorkPeople) SearchPeople(_ context.Context, _ bridge.Principal, _ bridge.PeopleFilter, p bridge.PeoplePage, _ []bridge.Theme) (bridge.PeopleResult, error) {
	return bridge.PeopleResult{People: f.people[:p.First], TotalCount: -1, HasNextPage: true}, nil
}

func ownWorkHandler() http.Handler {
	var themes []bridge.Theme
	for i := range 40 {
		themes = append(themes, bridge.Theme{ID: fmt.Sprintf("theme-%02d", i), Labels: map[string]string{"en": fmt.Sprintf("Theme %d", i)},
			Descriptions: map[string]string{"en": "A theme."}})
	}
	var orgs []bridge.Organisation
	for i := range 100 {
		orgs = append(orgs, bridge.Organisation{ID: fmt.Sprintf("org-%03d", i), Name: fmt.Sprintf("Organisation %d", i),
			Kind: bridge.OrgCivilSociety, CountryCode: "SE", Active: true})
	}
	var people []bridge.Person
	for i := range 100 {
		people = append(people, bridge.Person{ID: fmt.Sprintf("00000000-0000-0000-0000-%012d", i), GivenName: "Given", FamilyName: fmt.Sprint(i),
			Title: "Coordinator", Languages: []string{"sv", "en"}, CountryCode: "SE",
			Visibility: bridge.VisibilityMembers, Themes: []bridge.ThemeLink{{ThemeID: themes[i%40].ID, Mode: bridge.ModeBoth},
				{ThemeID: themes[(i+7)%40].ID, Mode: bridge.ModeOffers}, {ThemeID: themes[(i+13)%40].ID, Mode: bridge.ModeSeeks}}})
	}
	return NewHandler(&Resolver{CountryService: ownWorkCountries{}, ThemeService: ownWorkThemes{themes}, OrganisationService: ownWorkOrgs{orgs},
		PeopleService: ownWorkPeople{people: people}},
		HandlerConfig{MaxBodyBytes: 1 << 20, ComplexityLimit: 100000, ParserTokenLimit: 10000,
			RequestID: func(context.Context) string { return "bench" }, Logger: slog.New(slog.DiscardHandler)})
}

func benchOwnWork(b *testing.B, query string) {
	h := ownWorkHandler()
	body := fmt.Sprintf(`{"query":%q}`, query)
	ctx := bridge.WithActor(context.Background(), bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleMember}})
	run := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body)).WithContext(ctx)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	if rec := run(); rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
		b.Fatalf("HTTP %d: %.400s", rec.Code, rec.Body.String())
	}
	b.ReportAllocs()
	for b.Loop() {
		run()
	}
}

func BenchmarkOwnWorkW1Nested(b *testing.B) {
	benchOwnWork(b, `{ organisations(first: 20) { edges { node { id name staff(first: 20) { totalCount edges { node { id name themes { mode theme { id label } } } } } } } } }`)
}

func BenchmarkOwnWorkW2PeoplePage(b *testing.B) {
	benchOwnWork(b, `{ people(first: 20) { edges { node { id name title languages country { code } } } } }`)
}
