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

// linksWithoutNames counts the WORKS_ON and LOCATED_IN relationships of the person (or of
// everyone, for "") whose copies of migration 0017 (the person's name and id, and the
// municipality's id on LOCATED_IN: what a text search's first page reads through the name
// indexes) are missing or out of step.
func linksWithoutNames(t *testing.T, s *neo4jstore.Store, personID string) int64 {
	t.Helper()
	rows := cypher(t, s, `MATCH (p:Person)-[r:WORKS_ON|LOCATED_IN]->(x) WHERE ($id IS NULL OR p.id = $id)
  AND (r.personName IS NULL OR r.personName <> p.name OR r.person IS NULL OR r.person <> p.id
       OR (x:Municipality AND (r.municipality IS NULL OR r.municipality <> x.id))) RETURN count(r) AS n`,
		map[string]any{"id": map[bool]any{true: nil, false: personID}[personID == ""]})
	return rows[0]["n"].(int64)
}

// TestLinksCarryThePersonsName: every writer that links a person to a theme or a municipality, or
// renames them (the bulk writer, a profile's themes, a profile's update, a merge; an import, in
// its own tests, which run before this file), keeps the person's name and id on those links, and
// migration 0017's data step fills them in where they are missing. Like the test above, the last
// check covers every relationship the store's other tests wrote.
func TestLinksCarryThePersonsName(t *testing.T) {
	s := testneo4j.Prepared(t, nil)
	ctx := ctxT(t)
	p := privPerson(t, s, bridge.Person{Themes: []bridge.ThemeLink{{ThemeID: "family-reunification", Mode: bridge.ModeSeeks}}})
	check := func(after string, id string) {
		t.Helper()
		if n := linksWithoutNames(t, s, id); n != 0 {
			t.Fatalf("after %s: %d links without the person's name and id", after, n)
		}
	}
	check("the bulk writer", p.ID)
	if err := s.SetThemes(ctx, p.ID, []bridge.ThemeLink{{ThemeID: "civic-orientation", Mode: bridge.ModeBoth}}); err != nil {
		t.Fatal(err)
	}
	check("SetThemes", p.ID)
	version, err := s.ProfileVersion(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateProfile(ctx, p.ID, bridge.ProfileInput{GivenName: "Renamed", FamilyName: "Person", CountryCode: "SE",
		MunicipalityID: "SE-1280"}, version, &bridge.AuditEntry{Action: "UPDATE_PERSON", ActorRole: bridge.RoleSecretariat, TargetID: p.ID}); err != nil {
		t.Fatal(err)
	}
	if rows := cypher(t, s, `MATCH (:Person {id: $id})-[w:WORKS_ON]->() RETURN w.personName AS n`, map[string]any{"id": p.ID}); len(rows) != 1 || rows[0]["n"] != "Renamed Person" {
		t.Fatalf("after a rename the theme link carries %v, want the new name", rows)
	}
	check("UpdateProfile (a new name)", p.ID)
	removed := privPerson(t, s, bridge.Person{Themes: []bridge.ThemeLink{{ThemeID: "adult-language-training", Mode: bridge.ModeOffers}}})
	if err := s.MergePeople(ctx, p.ID, removed.ID, bridge.AuditEntry{Action: "MERGE_PEOPLE", ActorRole: bridge.RoleSecretariat, TargetID: p.ID}); err != nil {
		t.Fatal(err)
	}
	check("MergePeople", p.ID)
	// Links written before migration 0017 have no copies; its data step fills them in.
	cypher(t, s, `MATCH (:Person {id: $id})-[r:WORKS_ON|LOCATED_IN]->() REMOVE r.personName, r.municipality`, map[string]any{"id": p.ID})
	if n := linksWithoutNames(t, s, p.ID); n < 2 {
		t.Fatalf("the check sees %d links without copies, want at least 2: it proves nothing", n)
	}
	if err := s.FillLinkNamesForTest(ctx); err != nil {
		t.Fatal(err)
	}
	check("the data step and every test of the store before this one", "")
}
