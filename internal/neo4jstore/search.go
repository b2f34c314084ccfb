package neo4jstore

import (
	"context"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

const qSearchCountries = `
CALL db.index.fulltext.queryNodes('search_text', $q) YIELD node, score
WHERE node:Country
RETURN node.code AS code ORDER BY score DESC, code`

// SearchCountryCodes runs a free-text query over the search index and returns the matching
// country codes, best first. The query is Lucene syntax, passed as a parameter.
func (s *Store) SearchCountryCodes(ctx context.Context, q string) ([]string, error) {
	recs, err := s.read(ctx, "search_countries", qSearchCountries, map[string]any{"q": q})
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(recs))
	for _, r := range recs {
		c, _, err := neo4j.GetRecordValue[string](r, "code")
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
