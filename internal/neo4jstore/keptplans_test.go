package neo4jstore_test

import (
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// TestKeptPlansSeekTheirAnchors: a statement whose plan Neo4j keeps when the statistics move
// (keptPlan, CYPHER replan=skip) must not have a plan the statistics could improve. Its plan
// here holds no scan of a label, an index or a relationship type: every MATCH starts from an
// index seek (held there by a hint) or from nodes already bound. A scan planned once, with the
// counts of a database just loaded, would otherwise be kept for good.
func TestKeptPlansSeekTheirAnchors(t *testing.T) {
	s := testneo4j.Prepared(t, nil)
	kept := neo4jstore.KeptPlansForTest()
	if len(kept) < 3 {
		t.Fatalf("%d kept plans; want qIntroduction, qApplyChange and qPeopleByIDs at least", len(kept))
	}
	for name, q := range kept {
		if !strings.HasPrefix(q, "CYPHER replan=skip") {
			t.Errorf("%s does not keep its plan: %.60q", name, q)
		}
		ops, err := s.PlanOperatorsForTest(ctxT(t), q)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		seeks := 0
		for _, op := range ops {
			if strings.Contains(op, "Scan") {
				t.Errorf("%s: a scan in a kept plan: %.200s", name, op)
			}
			if strings.Contains(op, "IndexSeek") {
				seeks++
			}
		}
		if seeks == 0 {
			t.Errorf("%s: no index seek in its plan: %v", name, ops)
		}
	}
}
