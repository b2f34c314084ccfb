package neo4jstore

import (
	"context"
	"sort"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

var _ bridge.ThemeService = (*Store)(nil)

const qThemes = `
MATCH (t:Theme)
OPTIONAL MATCH (t)-[:BROADER]->(b:Theme)
WITH t, collect(b.id) AS broader ORDER BY t.id
RETURN t.id AS id, properties(t) AS props, t.crossWalks AS crossWalks, broader`

// Themes implements bridge.ThemeService: labels and descriptions come back from their
// label_<lang> and description_<lang> properties.
func (s *Store) Themes(ctx context.Context) ([]bridge.Theme, error) {
	recs, err := s.read(ctx, "themes", qThemes, nil)
	if err != nil {
		return nil, err
	}
	out := make([]bridge.Theme, 0, len(recs))
	for _, r := range recs {
		rec := recordRow(r)
		t := bridge.Theme{ID: rec.Str("id"), Broader: rec.Strs("broader"), CrossWalks: rec.Strs("crossWalks"),
			Labels: map[string]string{}, Descriptions: map[string]string{}}
		props := rec.Row("props")
		for k := range props.m {
			if lang, ok := strings.CutPrefix(k, "label_"); ok {
				t.Labels[lang] = props.Str(k)
			} else if lang, ok := strings.CutPrefix(k, "description_"); ok {
				t.Descriptions[lang] = props.Str(k)
			}
		}
		if err := rec.Err("theme record"); err != nil {
			return nil, err
		}
		sort.Strings(t.Broader)
		out = append(out, t)
	}
	return out, nil
}
