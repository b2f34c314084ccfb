package neo4jstore

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

var _ bridge.ThemeService = (*Store)(nil)

const qThemes = `
MATCH (t:Theme)
OPTIONAL MATCH (t)-[:BROADER]->(b:Theme)
WITH t, collect(b.id) AS broader ORDER BY t.id
RETURN t.id AS id, properties(t) AS props, broader`

// Themes implements bridge.ThemeService: labels and descriptions come back from their
// label_<lang> and description_<lang> properties.
func (s *Store) Themes(ctx context.Context) ([]bridge.Theme, error) {
	recs, err := s.read(ctx, "themes", qThemes, nil)
	if err != nil {
		return nil, err
	}
	out := make([]bridge.Theme, 0, len(recs))
	for _, r := range recs {
		m := map[string]any{}
		for i, k := range r.Keys {
			m[k] = r.Values[i]
		}
		var t bridge.Theme
		var errs []error
		t.ID, errs = str(m, "id", errs)
		t.Broader, errs = strList(m, "broader", errs)
		props, ok := m["props"].(map[string]any)
		if !ok || len(errs) > 0 {
			return nil, fmt.Errorf("theme record: %v", errs)
		}
		t.Labels, t.Descriptions = map[string]string{}, map[string]string{}
		for k, v := range props {
			sv, _ := v.(string)
			if lang, ok := strings.CutPrefix(k, "label_"); ok {
				t.Labels[lang] = sv
			} else if lang, ok := strings.CutPrefix(k, "description_"); ok {
				t.Descriptions[lang] = sv
			}
		}
		t.CrossWalks, errs = strList(props, "crossWalks", errs)
		if len(errs) > 0 {
			return nil, fmt.Errorf("theme %s: %v", t.ID, errs)
		}
		sort.Strings(t.Broader)
		out = append(out, t)
	}
	return out, nil
}
