package neo4jstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/testneo4j"
	"github.com/nordic-integration/bridge/seed"
	"github.com/nordic-integration/bridge/seed/demo"
)

// seedDemoPeople writes n demo people of the generator's seed and their organisations through
// the store's bulk writers, refreshes the planner's statistics (as `bridge seed` does after a
// bulk load: no plan is made on an empty graph's statistics) and removes them when the test
// ends. It returns the people's ids in the generator's order.
func seedDemoPeople(t *testing.T, ctx context.Context, s *neo4jstore.Store, n int, seedValue uint64) []string {
	t.Helper()
	ref, err := seed.ReferenceData()
	if err != nil {
		t.Fatal(err)
	}
	gen, err := demo.New(demo.Reference{Municipalities: ref.Municipalities, Themes: ref.Themes, Groups: ref.Groups, Events: ref.Events}, n, seedValue)
	if err != nil {
		t.Fatal(err)
	}
	people, orgs := gen.People(0, n), gen.Organisations()
	var personIDs, orgIDs []string
	for _, p := range people {
		personIDs = append(personIDs, p.ID)
	}
	for _, o := range orgs {
		orgIDs = append(orgIDs, o.ID)
	}
	t.Cleanup(func() {
		cypher(t, s, `MATCH (p:Person) WHERE p.id IN $ids DETACH DELETE p`, map[string]any{"ids": personIDs})
		cypher(t, s, `MATCH (o:Organisation) WHERE o.id IN $ids DETACH DELETE o`, map[string]any{"ids": orgIDs})
	})
	if _, err := s.UpsertOrganisations(ctx, orgs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertPeople(ctx, people); err != nil {
		t.Fatal(err)
	}
	if err := s.RefreshStatistics(ctx); err != nil {
		t.Fatal(err)
	}
	return personIDs
}

// demoViewers seeds n demo people (seedDemoPeople) into the test database under a deadline of
// five minutes, and returns the store, the context and the three viewers the comparison tests
// read as: signed out, a member (one of the demo people) and the secretariat.
func demoViewers(t *testing.T, n int, seedValue uint64) (*neo4jstore.Store, context.Context, map[string]bridge.Principal) {
	t.Helper()
	s := testneo4j.Prepared(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	personIDs := seedDemoPeople(t, ctx, s, n, seedValue)
	return s, ctx, map[string]bridge.Principal{
		"signed out":  {Role: bridge.RoleAnonymous},
		"member":      {Role: bridge.RoleMember, PersonID: personIDs[3]},
		"secretariat": {Role: bridge.RoleSecretariat},
	}
}
