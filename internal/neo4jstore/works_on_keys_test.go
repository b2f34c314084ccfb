package neo4jstore_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

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
	if _, err := s.SetThemes(ctx, bridge.Principal{Role: bridge.RoleMember, PersonID: p.ID}, []bridge.ThemeLink{{ThemeID: "civic-orientation", Mode: bridge.ModeBoth}}); err != nil {
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

// linksWithoutNames counts the WORKS_ON, LOCATED_IN, WORKS_AT, MEMBER_OF and ATTENDED
// relationships of the person (or of everyone, for "") whose copies of migrations 0017, 0018 and
// 0019 (the person's name and id, the municipality's id on LOCATED_IN, the organisation's on
// WORKS_AT, the group's on MEMBER_OF and the event's on ATTENDED: what a text search's first page
// and the related lists read through the name indexes) are missing or out of step.
func linksWithoutNames(t *testing.T, s *neo4jstore.Store, personID string) int64 {
	t.Helper()
	rows := cypher(t, s, `MATCH (p:Person)-[r:WORKS_ON|LOCATED_IN|WORKS_AT|MEMBER_OF|ATTENDED]->(x) WHERE ($id IS NULL OR p.id = $id)
  AND (r.personName IS NULL OR r.personName <> p.name OR r.person IS NULL OR r.person <> p.id
       OR (x:Municipality AND (r.municipality IS NULL OR r.municipality <> x.id))
       OR (x:Organisation AND (r.organisation IS NULL OR r.organisation <> x.id))
       OR (x:ExpertGroup AND (r.expertGroup IS NULL OR r.expertGroup <> x.id))
       OR (x:Event AND (r.event IS NULL OR r.event <> x.id))) RETURN count(r) AS n`,
		map[string]any{"id": map[bool]any{true: nil, false: personID}[personID == ""]})
	return rows[0]["n"].(int64)
}

// TestLinksCarryThePersonsName: every writer that links a person to a theme, a municipality, an
// organisation, a group or an event, or renames them (the bulk writer, a profile's themes, a
// profile's update, the secretariat's group and attendance edits, a merge of people and of
// organisations; an import, in its own tests, which run before this file), keeps the person's
// name and id on those links, and the data steps of migrations 0017–0019 fill them in where they
// are missing. Like the test above, the last check covers every relationship the store's other
// tests wrote.
func TestLinksCarryThePersonsName(t *testing.T) {
	s := testneo4j.Prepared(t, nil)
	ctx := ctxT(t)
	p := privPerson(t, s, bridge.Person{Themes: []bridge.ThemeLink{{ThemeID: "family-reunification", Mode: bridge.ModeSeeks}},
		Memberships: []bridge.Membership{{GroupID: privGroup, Role: bridge.GroupRoleMember, Since: "2022-01-01"}}, EventIDs: []string{privEvent}})
	if n := cypher(t, s, `MATCH (:Person {id: $id})-[r:MEMBER_OF|ATTENDED]->() RETURN count(r) AS n`, map[string]any{"id": p.ID})[0]["n"]; n != int64(2) {
		t.Fatalf("the bulk writer wrote %v memberships and attendances, want 2", n)
	}
	check := func(after string, id string) {
		t.Helper()
		if n := linksWithoutNames(t, s, id); n != 0 {
			t.Fatalf("after %s: %d links without the person's name and id", after, n)
		}
	}
	check("the bulk writer", p.ID)
	if _, err := s.SetThemes(ctx, bridge.Principal{Role: bridge.RoleMember, PersonID: p.ID}, []bridge.ThemeLink{{ThemeID: "civic-orientation", Mode: bridge.ModeBoth}}); err != nil {
		t.Fatal(err)
	}
	check("SetThemes", p.ID)
	version, err := s.ProfileVersion(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateProfile(ctx, bridge.Principal{Role: bridge.RoleSecretariat, PersonID: p.ID}, replacedBy(bridge.ProfileInput{GivenName: "Renamed",
		FamilyName: "Person", CountryCode: "SE", MunicipalityID: "SE-1280"}), version, &bridge.AuditEntry{Action: "UPDATE_PERSON", ActorRole: bridge.RoleSecretariat, TargetID: p.ID}); err != nil {
		t.Fatal(err)
	}
	if rows := cypher(t, s, `MATCH (:Person {id: $id})-[w:WORKS_ON]->() RETURN w.personName AS n`, map[string]any{"id": p.ID}); len(rows) != 1 || rows[0]["n"] != "Renamed Person" {
		t.Fatalf("after a rename the theme link carries %v, want the new name", rows)
	}
	if rows := cypher(t, s, `MATCH (:Person {id: $id})-[r:MEMBER_OF|ATTENDED]->() RETURN collect(r.personName) AS n`, map[string]any{"id": p.ID}); fmt.Sprint(rows[0]["n"]) != "[Renamed Person Renamed Person]" {
		t.Fatalf("after a rename the membership and the attendance carry %v, want the new name", rows[0]["n"])
	}
	check("UpdateProfile (a new name)", p.ID)
	// The secretariat's programme edits, on links the bulk writer did not write.
	other := privPerson(t, s, bridge.Person{})
	audit := bridge.AuditEntry{Action: "PROGRAMME", ActorRole: bridge.RoleSecretariat, TargetID: other.ID}
	if err := s.AddGroupMember(ctx, privGroup, other.ID, bridge.GroupRoleMember, "2023-01-01", audit); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAttendance(ctx, privEvent, []string{other.ID}, true, time.Now().UTC().Format(time.DateOnly), audit); err != nil {
		t.Fatal(err)
	}
	if rows := cypher(t, s, `MATCH (:Person {id: $id})-[r:MEMBER_OF|ATTENDED]->() RETURN collect([r.expertGroup, r.event]) AS n`, map[string]any{"id": other.ID}); len(rows[0]["n"].([]any)) != 2 {
		t.Fatalf("AddGroupMember and SetAttendance wrote %v, want a membership and an attendance", rows[0]["n"])
	}
	check("AddGroupMember and SetAttendance", other.ID)
	removed := privPerson(t, s, bridge.Person{Themes: []bridge.ThemeLink{{ThemeID: "adult-language-training", Mode: bridge.ModeOffers}},
		Memberships: []bridge.Membership{{GroupID: privGroup, Role: bridge.GroupRoleMember, Since: "2021-01-01"}}, EventIDs: []string{privEvent}})
	// The removed person's links would carry their own name: the merge moves them to p's.
	cypher(t, s, `MATCH (:Person {id: $id})-[r:MEMBER_OF|ATTENDED]->() DELETE r`, map[string]any{"id": p.ID})
	if _, err := s.MergePeople(ctx, bridge.Principal{Role: bridge.RoleSecretariat, PersonID: p.ID}, removed.ID,
		bridge.AuditEntry{Action: "MERGE_PEOPLE", ActorRole: bridge.RoleSecretariat, TargetID: p.ID}); err != nil {
		t.Fatal(err)
	}
	check("MergePeople", p.ID)
	orgs := seedOrganisations(t, s, 2)
	if _, err := s.SetAffiliations(ctx, bridge.Principal{Role: bridge.RoleMember, PersonID: p.ID}, []bridge.Affiliation{{OrganisationID: orgs[0], Role: "Adviser"}}); err != nil {
		t.Fatal(err)
	}
	if rows := cypher(t, s, `MATCH (:Person {id: $id})-[w:WORKS_AT]->() RETURN w.personName AS n, w.organisation AS o`, map[string]any{"id": p.ID}); len(rows) != 1 || rows[0]["n"] != "Renamed Person" || rows[0]["o"] != orgs[0] {
		t.Fatalf("after SetAffiliations the organisation link carries %v, want the name and the organisation", rows)
	}
	check("SetAffiliations", p.ID)
	if err := s.MergeOrganisations(ctx, orgs[1], orgs[0], bridge.AuditEntry{Action: "MERGE_ORGANISATIONS", ActorRole: bridge.RoleSecretariat, TargetID: orgs[1]}); err != nil {
		t.Fatal(err)
	}
	if rows := cypher(t, s, `MATCH (:Person {id: $id})-[w:WORKS_AT]->() RETURN w.organisation AS o`, map[string]any{"id": p.ID}); len(rows) != 1 || rows[0]["o"] != orgs[1] {
		t.Fatalf("after MergeOrganisations the organisation link carries %v, want the kept organisation %s", rows, orgs[1])
	}
	check("MergeOrganisations", p.ID)
	if rows := cypher(t, s, `MATCH (:Person {id: $id})-[r:MEMBER_OF|ATTENDED]->() RETURN count(r) AS n`, map[string]any{"id": p.ID}); rows[0]["n"] != int64(2) {
		t.Fatalf("after MergePeople the kept person has %v memberships and attendances, want the removed person's 2", rows[0]["n"])
	}
	// Links written before migrations 0017, 0018 and 0019 have no copies; their data steps fill
	// them in.
	cypher(t, s, `MATCH (:Person {id: $id})-[r:WORKS_ON|LOCATED_IN|WORKS_AT|MEMBER_OF|ATTENDED]->()
  REMOVE r.personName, r.municipality, r.organisation, r.expertGroup, r.event`, map[string]any{"id": p.ID})
	if n := linksWithoutNames(t, s, p.ID); n < 5 {
		t.Fatalf("the check sees %d links without copies, want at least 5: it proves nothing", n)
	}
	if err := s.FillLinkNamesForTest(ctx); err != nil {
		t.Fatal(err)
	}
	check("the data step and every test of the store before this one", "")
}

// seedOrganisations writes n organisations of the test's own (removed when it ends) and returns
// their ids.
func seedOrganisations(t *testing.T, s *neo4jstore.Store, n int) []string {
	t.Helper()
	var ids []string
	for i := range n {
		ids = append(ids, fmt.Sprintf("test-org-%s-%d", strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")), i))
	}
	cypher(t, s, `UNWIND $ids AS id CREATE (:Organisation {id: id, name: id, kind: 'PUBLIC', active: true, demo: false})`, map[string]any{"ids": ids})
	t.Cleanup(func() {
		cypher(t, s, `MATCH (o:Organisation) WHERE o.id IN $ids DETACH DELETE o`, map[string]any{"ids": ids})
	})
	return ids
}
