package neo4jstore

import (
	"context"
	"fmt"
)

const qSearchCountries = `
CALL db.index.fulltext.queryNodes('things_text', $q) YIELD node, score
WHERE node:Country
RETURN node.code AS value ORDER BY score DESC, value`

// SearchCountryCodes runs a free-text query over the things' search index (things_text,
// migration 0020: it holds no person, so no person, seen or not, weighs the order) and returns
// the matching country codes, best first. The query is Lucene syntax, passed as a parameter.
func (s *Store) SearchCountryCodes(ctx context.Context, q string) ([]string, error) {
	return s.readStrings(ctx, "search_countries", qSearchCountries, map[string]any{"q": q})
}

// readStrings runs a read whose records have one string column named value.
func (s *Store) readStrings(ctx context.Context, name, query string, params map[string]any) ([]string, error) {
	recs, err := s.read(ctx, name, query, params)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(recs))
	for _, r := range recs {
		v, err := column(r, "value", (*row).Str)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, v)
	}
	return out, nil
}
