package neo4jstore

import "context"

// OutboxCypherForTest runs one statement in a write transaction and returns its records as maps: the
// outbox tests (package neo4jstore_test) write their fixtures (people, introductions,
// notifications) and read statuses back with Cypher of their own, which no store method has.
func (s *Store) OutboxCypherForTest(ctx context.Context, query string, params map[string]any) ([]map[string]any, error) {
	recs, err := s.write(ctx, "test_outbox_cypher", statement{query: query, params: params})
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(recs))
	for i, r := range recs {
		out[i] = r.AsMap()
	}
	return out, nil
}
