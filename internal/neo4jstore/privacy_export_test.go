package neo4jstore

import (
	"context"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// CypherForTest runs raw Cypher in one write transaction and returns the records as maps of
// column to value: privacy tests build fixtures the API cannot build yet (introductions,
// transitions, notifications, accounts) and scan the whole graph.
func (s *Store) CypherForTest(ctx context.Context, query string, params map[string]any) ([]map[string]any, error) {
	recs, err := s.bulk().write(ctx, "test_cypher", statement{query: query, params: params}) // a fixture: found in every full-text index on return
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(recs))
	for i, r := range recs {
		out[i] = r.AsMap()
	}
	return out, nil
}

// BulkConsentIDForTest exposes the id UpsertPeople gives a person's consent record.
func BulkConsentIDForTest(personID string, purpose bridge.ConsentPurpose) string {
	return bulkConsentID(personID, purpose)
}
