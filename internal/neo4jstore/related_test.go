package neo4jstore_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
)

// TestRelatedPagesAreThePagesOfEveryPerson: the people of a theme (with its narrower themes), of a
// municipality and an organisation's staff (migration 0018), read by name per linked node
// (relatedByName), are the pages cut from every linked person the viewer may list, in (name, id)
// order: the first page, pages after cursors across the list, the last one; several parents in
// one call, as the request's batch loader asks; and the count, up to bridge.CountCap and marked
// capped past it. The data: 2,500 demo people (removed afterwards), so that a broad theme holds
// more than CountCap people for the secretariat and the pages are cut from long lists.
func TestRelatedPagesAreThePagesOfEveryPerson(t *testing.T) {
	s, ctx, viewers := demoViewers(t, 2500, 29)
	// The organisations with the most staff, and one with a few.
	var orgs []string
	for _, r := range cypher(t, s, `MATCH (o:Organisation)<-[:WORKS_AT]-(p:Person) WITH o, count(p) AS n ORDER BY n DESC, o.id
  WITH collect(o.id) AS ids RETURN ids[..3] + ids[-1..] AS ids`, nil) {
		for _, id := range r["ids"].([]any) {
			orgs = append(orgs, id.(string))
		}
	}
	parents := map[bridge.Relation][]string{
		bridge.RelationThemePeople: {"labour-market-establishment", "children-and-families", "work-placements", "no-such-theme"},
		bridge.RelationResidents:   {"SE-0180", "SE-1280", "NO-0301", "FI-091", "no-such-place"},
		bridge.RelationStaff:       append(orgs, "no-such-organisation"),
	}
	const first = 5
	pages, capped := 0, 0
	for rel, ids := range parents {
		for role, v := range viewers {
			every := map[string][]neo4jstore.RelatedPersonForTest{}
			for _, id := range ids {
				want, err := s.RelatedEveryPersonForTest(ctx, v, rel, id)
				if err != nil {
					t.Fatalf("%s of %s as %s, every person: %v", rel, id, role, err)
				}
				every[id] = want
			}
			// The first page with the count, all parents at once.
			got, err := s.Related(ctx, v, rel, ids, bridge.PeoplePage{First: first})
			if err != nil {
				t.Fatalf("%s as %s: %v", rel, role, err)
			}
			for _, id := range ids {
				want := every[id]
				wantCount, wantCapped := min(len(want), bridge.CountCap), len(want) > bridge.CountCap
				if wantCapped {
					capped++
				}
				res := got[id]
				if res.TotalCount != wantCount || res.TotalCountCapped != wantCapped {
					t.Errorf("%s of %s as %s: count %d capped %v, want %d capped %v", rel, id, role,
						res.TotalCount, res.TotalCountCapped, wantCount, wantCapped)
				}
				comparePage(t, fmt.Sprintf("%s of %s as %s, first page", rel, id, role), res, want, first)
				pages++
			}
			// Pages after cursors across the list, one parent at a time, without the count.
			for _, id := range ids {
				want := every[id]
				for _, i := range []int{0, 1, len(want) / 3, len(want) / 2, len(want) - first - 1, len(want) - 2, len(want) - 1} {
					if i < 0 || i >= len(want) {
						continue
					}
					page := bridge.PeoplePage{First: first, AfterName: want[i].Name, AfterID: want[i].ID, SkipCount: true}
					got, err := s.Related(ctx, v, rel, []string{id}, page)
					if err != nil {
						t.Fatalf("%s of %s as %s after %d: %v", rel, id, role, i, err)
					}
					res := got[id]
					if res.TotalCount != -1 {
						t.Errorf("%s of %s as %s after %d: count %d without asking for it, want -1", rel, id, role, i, res.TotalCount)
					}
					comparePage(t, fmt.Sprintf("%s of %s as %s after %d", rel, id, role, i), res, want[i+1:], first)
					pages++
				}
			}
		}
	}
	t.Logf("%d pages compared, %d counts capped", pages, capped)
	if capped == 0 {
		t.Error("no list held more than CountCap people: the data does not test the cap")
	}
	t.Run("staff past a lower cap", func(t *testing.T) { staffPastALowerCap(t, s, viewers, parents[bridge.RelationStaff]) })
}

// staffPastALowerCap: an organisation's staff list that reaches the count's cap is read through
// the name index (relatedOneByName), and a shorter one from the count's own read; with the cap
// lowered to 3 the organisations' lists take the first way, and their counted pages, first and
// after cursors, are still the pages of every listed person.
func staffPastALowerCap(t *testing.T, s *neo4jstore.Store, viewers map[string]bridge.Principal, orgs []string) {
	const first, limit = 4, 3
	ctx := context.Background()
	through := 0
	for role, v := range viewers {
		for _, id := range orgs {
			want, err := s.RelatedEveryPersonForTest(ctx, v, bridge.RelationStaff, id)
			if err != nil {
				t.Fatal(err)
			}
			for _, i := range []int{-1, 0, len(want) / 2, len(want) - 2} {
				if i >= len(want) || (i < 0 && len(want) == 0) {
					continue
				}
				page, rest := bridge.PeoplePage{First: first}, want
				if i >= 0 {
					page.AfterName, page.AfterID, rest = want[i].Name, want[i].ID, want[i+1:]
				}
				got, err := s.RelatedCappedForTest(ctx, v, bridge.RelationStaff, []string{id}, page, limit)
				if err != nil {
					t.Fatalf("staff of %s as %s after %d: %v", id, role, i, err)
				}
				res := got[id]
				if wantCount, wantCapped := min(len(want), limit), len(want) > limit; res.TotalCount != wantCount || res.TotalCountCapped != wantCapped {
					t.Errorf("staff of %s as %s, cap %d: count %d capped %v, want %d capped %v", id, role, limit, res.TotalCount, res.TotalCountCapped, wantCount, wantCapped)
				}
				comparePage(t, fmt.Sprintf("staff of %s as %s after %d, cap %d", id, role, i, limit), res, rest, first)
				if len(want) > limit {
					through++
				}
			}
		}
	}
	if through == 0 {
		t.Error("no staff list passed the lowered cap: the index read is not tested")
	}
}

// comparePage checks that res is the page of first people at the head of want (the people after
// the cursor, in order), and says whether more follow.
func comparePage(t *testing.T, what string, res bridge.PeopleResult, want []neo4jstore.RelatedPersonForTest, first int) {
	t.Helper()
	var gotIDs, wantIDs []string
	for _, p := range res.People {
		gotIDs = append(gotIDs, p.ID)
	}
	n := min(len(want), first)
	for _, p := range want[:n] {
		wantIDs = append(wantIDs, p.ID)
	}
	if !reflect.DeepEqual(gotIDs, wantIDs) || res.HasNextPage != (len(want) > n) {
		t.Errorf("%s:\n got  %v (more: %v)\n want %v (more: %v)", what, gotIDs, res.HasNextPage, wantIDs, len(want) > n)
	}
}
