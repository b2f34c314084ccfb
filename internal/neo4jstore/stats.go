package neo4jstore

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Counts is a summary of the graph's size, used to prove that re-running migrate and seed changes
// nothing and to report loads.
type Counts struct {
	Nodes         int64
	Relationships int64
	ByLabel       map[string]int64
}

const qCounts = `
CALL { MATCH (n) RETURN count(n) AS nodes }
CALL { MATCH ()-[r]->() RETURN count(r) AS rels }
CALL { MATCH (n) UNWIND labels(n) AS label WITH label, count(*) AS c RETURN collect({label: label, count: c}) AS byLabel }
RETURN nodes, rels, byLabel`

// Counts returns the number of nodes and relationships and the number of nodes per label.
func (s *Store) Counts(ctx context.Context) (Counts, error) {
	recs, err := s.read(ctx, "counts", qCounts, nil)
	if err != nil {
		return Counts{}, err
	}
	c := Counts{ByLabel: map[string]int64{}}
	if len(recs) == 0 {
		return c, nil
	}
	r := recs[0]
	if c.Nodes, _, err = neo4j.GetRecordValue[int64](r, "nodes"); err != nil {
		return c, err
	}
	if c.Relationships, _, err = neo4j.GetRecordValue[int64](r, "rels"); err != nil {
		return c, err
	}
	byLabel, _, err := neo4j.GetRecordValue[[]any](r, "byLabel")
	if err != nil {
		return c, err
	}
	for _, x := range byLabel {
		m, _ := x.(map[string]any)
		label, _ := m["label"].(string)
		n, _ := m["count"].(int64)
		c.ByLabel[label] = n
	}
	return c, nil
}
