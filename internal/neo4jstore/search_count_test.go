package neo4jstore_test

import (
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// TestSearchCountsTheViewerOnce: totalCount counts those listed to others (an index seek) and the
// viewer apart (countListed). The viewer is in their own count once whether others may list them
// or not, and in no one else's count while they may not be listed.
func TestSearchCountsTheViewerOnce(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	me := privPerson(t, s, bridge.Person{Visibility: bridge.VisibilityMembers})
	other := privPerson(t, s, bridge.Person{Visibility: bridge.VisibilityMembers})
	// A municipality filter keeps the count to this test's people and those of other tests there,
	// which both viewers count alike.
	f := bridge.PeopleFilter{Countries: []string{"SE"}, MunicipalityIDs: []string{privMunicipality}}
	count := func(viewer string) int {
		t.Helper()
		res, err := s.SearchPeople(ctx, bridge.Principal{Role: bridge.RoleMember, PersonID: viewer}, f, bridge.PeoplePage{First: 1}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return res.TotalCount
	}

	stranger := privUUID(t) // a signed-in viewer with no person here: counts only those listed to others
	base := count(stranger)

	// Without the SUGGEST consent neither is listed to others: each counts themself once.
	for _, id := range []string{me.ID, other.ID} {
		if n := count(id); n != base+1 {
			t.Fatalf("unlisted: a viewer's count is %d; want %d (those listed to others, and themself)", n, base+1)
		}
	}
	// Listed to others: both are among those, and the viewer is not counted twice.
	for _, id := range []string{me.ID, other.ID} {
		if _, err := s.GiveConsent(ctx, id, bridge.ConsentInput{Purpose: bridge.ConsentSuggest, PolicyVersion: bridge.CurrentPolicyVersion},
			bridge.ConsentSourceSelf, member(id)); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(stranger); n != base+2 {
		t.Fatalf("listed: the stranger counts %d; want %d", n, base+2)
	}
	for _, id := range []string{me.ID, other.ID} {
		if n := count(id); n != base+2 {
			t.Fatalf("listed: a viewer's count is %d; want %d (themself once)", n, base+2)
		}
	}
	// A viewer whom the filters do not match is not counted.
	f.Countries = []string{"NO"}
	if mine, theirs := count(me.ID), count(stranger); mine != theirs {
		t.Fatalf("a filter the viewer does not match: my count %d, the stranger's %d", mine, theirs)
	}
}
