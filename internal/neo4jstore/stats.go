package neo4jstore

import "context"

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
	rec := recordRow(recs[0])
	c.Nodes, c.Relationships = int64(rec.Int("nodes")), int64(rec.Int("rels"))
	for _, x := range rec.Rows("byLabel") {
		c.ByLabel[x.Str("label")] = int64(x.Int("count"))
	}
	return c, rec.Err("counts")
}
