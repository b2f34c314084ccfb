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
// municipality, an organisation's staff (migration 0018), a group's members and an event's
// attendees (migration 0019), read by name per linked node (relatedByName, relatedOneByName), are
// the pages cut from every linked person the viewer may see in the list (listed; for members,
// also their fellow current members), in (name, id) order: the first page, pages after cursors
// across the list, the last one; several parents in one call, as the request's batch loader asks;
// and the count, up to bridge.CountCap and marked capped past it. The data: 2,500 demo people
// (removed afterwards), so that a broad theme holds more than CountCap people for the secretariat
// and the pages are cut from long lists; the viewers are signed out, a member, a current member of
// the largest group and the secretariat.
func TestRelatedPagesAreThePagesOfEveryPerson(t *testing.T) {
	s, ctx, viewers := demoViewers(t, 2500, 29)
	// The nodes with the most people, and one with a few.
	largest := func(match string) []string {
		var ids []string
		for _, r := range cypher(t, s, match+` WITH x, count(p) AS n ORDER BY n DESC, x.id
  WITH collect(x.id) AS ids RETURN ids[..3] + ids[-1..] AS ids`, nil) {
			for _, id := range r["ids"].([]any) {
				ids = append(ids, id.(string))
			}
		}
		return ids
	}
	groups := largest(`MATCH (x:ExpertGroup)<-[:MEMBER_OF]-(p:Person)`)
	parents := map[bridge.Relation][]string{
		bridge.RelationThemePeople: {"labour-market-establishment", "children-and-families", "work-placements", "no-such-theme"},
		bridge.RelationResidents:   {"SE-0180", "SE-1280", "NO-0301", "FI-091", "no-such-place"},
		bridge.RelationStaff:       append(largest(`MATCH (x:Organisation)<-[:WORKS_AT]-(p:Person)`), "no-such-organisation"),
		bridge.RelationMembers:     append(groups, "no-such-group"),
		bridge.RelationAttendees:   append(largest(`MATCH (x:Event)<-[:ATTENDED]-(p:Person)`), "no-such-event"),
	}
	// A current member of the largest group, who sees their fellow members whatever their
	// visibility: the list must show the fellows the others do not see.
	fellow := cypher(t, s, `MATCH (:ExpertGroup {id: $g})<-[m:MEMBER_OF]-(p:Person) WHERE m.until IS NULL AND NOT coalesce(p.paused, false)
  RETURN p.id AS id ORDER BY p.id LIMIT 1`, map[string]any{"g": groups[0]})
	if len(fellow) == 0 {
		t.Fatalf("the group %s has no current member", groups[0])
	}
	viewers["fellow member"] = bridge.Principal{Role: bridge.RoleMember, PersonID: fellow[0]["id"].(string)}
	// The warm paths' hubs are counted as these lists count them (on the same people).
	t.Run("paths pass small hubs", func(t *testing.T) { pathsPassSmallHubs(t, s, ctx, viewers) })
	seen := map[string]int{}
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
				if rel == bridge.RelationMembers && id == groups[0] {
					seen[role] = len(want)
				}
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
	t.Logf("%d pages compared, %d counts capped; the largest group's members as each viewer sees them: %v", pages, capped, seen)
	if capped == 0 {
		t.Error("no list held more than CountCap people: the data does not test the cap")
	}
	if seen["fellow member"] <= seen["member"] {
		t.Errorf("a fellow member sees %d members of the group, another member %d: the data does not test the fellow rule", seen["fellow member"], seen["member"])
	}
	for _, rel := range []bridge.Relation{bridge.RelationStaff, bridge.RelationMembers, bridge.RelationAttendees} {
		t.Run(string(rel)+" past a lower cap", func(t *testing.T) { onePastALowerCap(t, s, viewers, rel, parents[rel]) })
	}
}

// onePastALowerCap: a list of one node's people (an organisation's staff, a group's members, an
// event's attendees) that reaches the count's cap is read through the name index
// (relatedOneByName), and a shorter one from the count's own read; with the cap lowered to 3 the
// lists take the first way, and their counted pages, first and after cursors, are still the pages
// of every person the viewer may see in the list.
func onePastALowerCap(t *testing.T, s *neo4jstore.Store, viewers map[string]bridge.Principal, rel bridge.Relation, parents []string) {
	const first, limit = 4, 3
	ctx := context.Background()
	through := 0
	for role, v := range viewers {
		for _, id := range parents {
			want, err := s.RelatedEveryPersonForTest(ctx, v, rel, id)
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
				got, err := s.RelatedCappedForTest(ctx, v, rel, []string{id}, page, limit)
				if err != nil {
					t.Fatalf("%s of %s as %s after %d: %v", rel, id, role, i, err)
				}
				res := got[id]
				if wantCount, wantCapped := min(len(want), limit), len(want) > limit; res.TotalCount != wantCount || res.TotalCountCapped != wantCapped {
					t.Errorf("%s of %s as %s, cap %d: count %d capped %v, want %d capped %v", rel, id, role, limit, res.TotalCount, res.TotalCountCapped, wantCount, wantCapped)
				}
				comparePage(t, fmt.Sprintf("%s of %s as %s after %d, cap %d", rel, id, role, i, limit), res, rest, first)
				if len(want) > limit {
					through++
				}
			}
		}
	}
	if through == 0 {
		t.Errorf("no list of %s passed the lowered cap: the index read is not tested", rel)
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
