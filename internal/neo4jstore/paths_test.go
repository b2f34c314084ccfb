package neo4jstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
)

// pathsPassSmallHubs (a subtest of TestRelatedPagesAreThePagesOfEveryPerson, on its demo people):
// an organisation, group or event links two people in a warm path only while the people the
// viewer may list there number at most the cap. With the cap lowered to what a signed-out
// visitor may list at the largest event, for every viewer and for pairs of people who share the
// largest events and groups: every path avoids the hubs over the cap for that viewer, counted
// from every linked person, and the paths' lengths are those of the reference, the paths of the
// uncapped query that avoids those hubs by id. The same hub is over the cap for one viewer and
// under it for another (its hidden people do not weigh it), and the cap takes paths away.
func pathsPassSmallHubs(t *testing.T, s *neo4jstore.Store, ctx context.Context, viewers map[string]bridge.Principal) {
	const maxHops, limit = 3, 5
	hubs, err := s.PathHubsForTest(ctx, viewers["signed out"])
	if err != nil {
		t.Fatal(err)
	}
	var largestEvent string
	for _, h := range cypher(t, s, `MATCH (e:Event)<-[:ATTENDED]-(p:Person) WITH e, count(p) AS n RETURN e.id AS id ORDER BY n DESC, id LIMIT 1`, nil) {
		largestEvent = h["id"].(string)
	}
	hubCap := -1
	for _, h := range hubs {
		if h.ID == largestEvent {
			hubCap = h.Listed
		}
	}
	if hubCap < 1 {
		t.Fatalf("the largest event %q has no public attendee: the cap cannot be set", largestEvent)
	}
	// Pairs: people who share the largest events and groups, and people far apart.
	var pairs [][2]string
	for _, r := range cypher(t, s, `MATCH (h)<-[:ATTENDED|MEMBER_OF]-(p:Person) WHERE h:Event OR h:ExpertGroup
WITH h, count(p) AS n, collect(p.id) AS ids ORDER BY n DESC LIMIT 4
UNWIND range(0, 3) AS i
RETURN ids[i] AS a, ids[size(ids) - 1 - i] AS b, ids[size(ids) / 2 + i] AS c`, nil) {
		pairs = append(pairs, [2]string{r["a"].(string), r["b"].(string)}, [2]string{r["a"].(string), r["c"].(string)})
	}
	taken, exact := 0, map[string]bool{}
	for role, v := range viewers {
		hubs, err := s.PathHubsForTest(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		over := map[string]bool{}
		var avoid []string
		for _, h := range hubs {
			if h.Listed > hubCap {
				over[h.ID] = true
				avoid = append(avoid, h.ElementID)
			} else if h.Linked > hubCap {
				exact[role] = true // read past the degree: the hub's people counted
			}
		}
		for _, pair := range pairs {
			what := fmt.Sprintf("%s → %s as %s, cap %d", pair[0], pair[1], role, hubCap)
			got, err := s.IntroductionPathsCappedForTest(ctx, v, pair[0], pair[1], maxHops, limit, hubCap)
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			want, err := s.IntroductionPathsAvoidingForTest(ctx, v, pair[0], pair[1], maxHops, limit, avoid)
			if err != nil {
				t.Fatalf("%s, reference: %v", what, err)
			}
			uncapped, err := s.IntroductionPathsCappedForTest(ctx, v, pair[0], pair[1], maxHops, limit, 1<<30)
			if err != nil {
				t.Fatalf("%s, uncapped: %v", what, err)
			}
			for _, p := range got {
				for _, step := range p.Steps {
					if over[step.ViaID] {
						t.Errorf("%s: a path goes through %s, over the cap for this viewer", what, step.ViaID)
					}
				}
			}
			if g, w := pathLengths(got), pathLengths(want); !slices.Equal(g, w) {
				t.Errorf("%s: path lengths %v, want %v (the reference avoiding %d hubs)", what, g, w, len(avoid))
			}
			if !slices.Equal(pathLengths(got), pathLengths(uncapped)) || len(got) != len(uncapped) {
				taken++
			}
		}
	}
	if taken == 0 {
		t.Error("the cap took no path away: it is not tested")
	}
	if !exact["signed out"] {
		t.Error("no hub had more links than the cap and at most the cap listed for the visitor: the count past the degree is not tested")
	}
}

// pathLengths are the paths' lengths, in the order given (shortest first).
func pathLengths(paths []bridge.IntroductionPath) []int {
	out := make([]int, 0, len(paths))
	for _, p := range paths {
		out = append(out, len(p.Steps))
	}
	return out
}
