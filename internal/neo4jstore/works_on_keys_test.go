package neo4jstore_test

import (
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// worksOnWithoutKeys counts the WORKS_ON relationships of the person (or of everyone, for "")
// whose theme and person ids (what the peer candidates' index reads) are missing or wrong.
func worksOnWithoutKeys(t *testing.T, s *neo4jstore.Store, personID string) int64 {
	t.Helper()
	rows := cypher(t, s, `MATCH (p:Person)-[w:WORKS_ON]->(th:Theme) WHERE ($id IS NULL OR p.id = $id)
  AND (w.theme IS NULL OR w.person IS NULL OR w.theme <> th.id OR w.person <> p.id) RETURN count(w) AS n`,
		map[string]any{"id": map[bool]any{true: nil, false: personID}[personID == ""]})
	return rows[0]["n"].(int64)
}

// TestWorksOnCarriesItsKeys: every writer of WORKS_ON (the bulk writer of seed and fixtures, a
// profile's themes, an import, a merge) sets the theme and person ids that the peer candidates
// read through the (theme, person) index, and migration 0015's data step fills them in where
// they are missing. This file's name sorts last, so the last check covers every relationship
// the store's other tests wrote.
func TestWorksOnCarriesItsKeys(t *testing.T) {
	s := testneo4j.Prepared(t, nil)
	ctx := ctxT(t)
	p := privPerson(t, s, bridge.Person{Themes: []bridge.ThemeLink{
		{ThemeID: "family-reunification", Mode: bridge.ModeSeeks}, {ThemeID: "libraries-as-meeting-places", Mode: bridge.ModeOffers}}})
	if n := worksOnWithoutKeys(t, s, p.ID); n != 0 {
		t.Fatalf("after the bulk writer: %d WORKS_ON without their keys", n)
	}
	if err := s.SetThemes(ctx, p.ID, []bridge.ThemeLink{{ThemeID: "civic-orientation", Mode: bridge.ModeBoth}}); err != nil {
		t.Fatal(err)
	}
	if n := worksOnWithoutKeys(t, s, p.ID); n != 0 {
		t.Fatalf("after SetThemes: %d WORKS_ON without their keys", n)
	}
	// A relationship written before migration 0015 has no keys; its data step fills them in.
	cypher(t, s, `MATCH (:Person {id: $id})-[w:WORKS_ON]->() REMOVE w.theme, w.person`, map[string]any{"id": p.ID})
	if n := worksOnWithoutKeys(t, s, p.ID); n != 1 {
		t.Fatalf("the check sees %d relationships without keys, want 1: it proves nothing", n)
	}
	if err := s.FillWorksOnKeysForTest(ctx); err != nil {
		t.Fatal(err)
	}
	if n := worksOnWithoutKeys(t, s, ""); n != 0 {
		t.Fatalf("after the data step and every test of the store before this one: %d WORKS_ON without their keys", n)
	}
}
