package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testneo4j"
	"github.com/nordic-integration/bridge/seed"
	"github.com/nordic-integration/bridge/seed/demo"
)

// The match-quality benchmark (issue 13): demo people with planted pairs who should find each
// other (complementary themes, comparable municipalities, other countries; see seed/demo's
// Plant), each planted person asking for their own peers as a member. It reports how many find
// their planted partner in their top 10 (recall@10) and the partner's mean rank (a partner not
// in the top matchDepth counts as matchDepth+1). `make match-quality` runs it on a throwaway
// Neo4j and prints the table; as a test it keeps the figures at or above the level reached at
// the default size. No timing.
const (
	matchPeople = 1000 // make run's size
	matchPairs  = 50
	matchSeed   = 7
	matchDepth  = 50
	// The level reached, with a margin of a few planted people for the other tests' demo people
	// in the same database (after the whole suite: 0.83 and 7.4). Measured on one database
	// (these 1,000 and 400 more demo people): before the matching work of issue 13 recall@10
	// 0.84, mean rank 7.1; after it (related themes, the language penalty, size classes) 0.84
	// and 7.0. At 10,000 people (BRIDGE_MATCH_PEOPLE=10000), one database: before 0.34 (335 of
	// 1,000; 615 in the top 50; mean rank 27.9), after 0.35 (349; 610; 27.6).
	matchRecallFloor   = 0.80
	matchMeanRankLimit = 8.0
)

type matchQuality struct {
	people, pairs  int
	found10, found int
	rankSum        int
	misses         []string
}

func (q matchQuality) recall10() float64 { return float64(q.found10) / float64(2*q.pairs) }
func (q matchQuality) meanRank() float64 { return float64(q.rankSum) / float64(2*q.pairs) }

func measureMatchQuality(t *testing.T, people int) matchQuality {
	t.Helper()
	store := testneo4j.Prepared(t, nil)
	ref, err := seed.ReferenceData()
	if err != nil {
		t.Fatal(err)
	}
	gen, err := demo.New(demo.Reference{Municipalities: ref.Municipalities, Themes: ref.Themes, Groups: ref.Groups, Events: ref.Events}, people, matchSeed)
	if err != nil {
		t.Fatal(err)
	}
	pairs := matchPairs * people / matchPeople
	if err := gen.Plant(pairs); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := loadDemo(ctx, store, gen, people); err != nil {
		t.Fatal(err)
	}
	a := newTestAPI(t, envProduction, nil)
	// A first query after loading plans the peers query on a cold cache: one warm-up, whose
	// answer does not count, so that the measurement does not depend on the request deadline.
	a.queryAs(bridge.Principal{Role: bridge.RoleMember, PersonID: gen.PersonID(0)}, `{ peers(first: 1) { score } }`)
	q := matchQuality{people: people, pairs: pairs}
	for _, pair := range gen.PlantedPairs() {
		for side := range 2 {
			me, partner := gen.PersonID(pair[side]), gen.PersonID(pair[1-side])
			who := bridge.Principal{Role: bridge.RoleMember, PersonID: me}
			_, resp, raw := a.queryAs(who, `{ peers(first: `+strconv.Itoa(matchDepth)+`) { person { id } } }`)
			var matches []struct{ Person struct{ ID string } }
			if err := json.Unmarshal(resp.Data["peers"], &matches); err != nil || len(resp.Errors) > 0 {
				t.Fatalf("peers of %s: %s", me, raw)
			}
			rank := matchDepth + 1
			for i, m := range matches {
				if m.Person.ID == gid("Person", partner) {
					rank = i + 1
					break
				}
			}
			if rank <= 10 {
				q.found10++
			} else {
				q.misses = append(q.misses, fmt.Sprintf("%d→%d: rank %d", pair[side], pair[1-side], rank))
			}
			if rank <= matchDepth {
				q.found++
			}
			q.rankSum += rank
		}
	}
	return q
}

func TestMatchQuality(t *testing.T) {
	people := matchPeople
	if s := os.Getenv("BRIDGE_MATCH_PEOPLE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 2*matchPeople/matchPairs {
			t.Fatalf("BRIDGE_MATCH_PEOPLE=%q: want a number of at least %d", s, 2*matchPeople/matchPairs)
		}
		people = n
	}
	q := measureMatchQuality(t, people)
	t.Logf("match quality: %d demo people (seed %d), %d planted pairs, %d planted people asking for their peers",
		q.people, matchSeed, q.pairs, 2*q.pairs)
	t.Logf("| recall@10 | found in top %d | mean rank (not found: %d) |", matchDepth, matchDepth+1)
	t.Logf("| %.2f (%d/%d) | %d/%d | %.1f |", q.recall10(), q.found10, 2*q.pairs, q.found, 2*q.pairs, q.meanRank())
	if testing.Verbose() {
		t.Logf("not in the top 10 (planted person → partner, the first 20): %v", q.misses[:min(len(q.misses), 20)])
	}
	if people != matchPeople {
		return // the floors hold for the default size
	}
	if q.recall10() < matchRecallFloor || q.meanRank() > matchMeanRankLimit {
		t.Errorf("match quality fell: recall@10 %.2f (floor %.2f), mean rank %.1f (limit %.1f)",
			q.recall10(), matchRecallFloor, q.meanRank(), matchMeanRankLimit)
	}
}
