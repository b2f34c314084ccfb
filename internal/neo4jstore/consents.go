package neo4jstore

import (
	"context"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// qConsentsOf reads the consent records of several people in one round trip (a list of people
// asked for their consents costs one query for the level).
const qConsentsOf = `
UNWIND $ids AS pid
MATCH (p:Person {id: pid})
RETURN pid, COLLECT { MATCH (p)-[:GAVE]->(c:Consent) RETURN ` + consentFields + ` AS item ORDER BY c.givenAt DESC, c.id DESC } AS items`

// ConsentsOf returns the consent records of each person, newest first (absent people are left out).
func (s *Store) ConsentsOf(ctx context.Context, ids []string) (map[string][]bridge.Consent, error) {
	out := make(map[string][]bridge.Consent, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	recs, err := s.read(ctx, "consents_of", qConsentsOf, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		rec := recordRow(r)
		id, items := rec.Str("pid"), rec.Rows("items")
		if err := rec.Err("consents of"); err != nil {
			return nil, err
		}
		cs := make([]bridge.Consent, 0, len(items))
		for _, x := range items {
			c, err := consentFromRow(x)
			if err != nil {
				return nil, err
			}
			cs = append(cs, c)
		}
		out[id] = cs
	}
	return out, nil
}
