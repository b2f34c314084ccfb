package neo4jstore_test

import (
	"reflect"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// TestMergePeopleKeepsPrivacyChoices: merging a duplicate never widens what the person allowed,
// never lifts a pause, keeps the consent history and delivers pending notifications to the kept
// profile.
func TestMergePeopleKeepsPrivacyChoices(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	keep := privPerson(t, s, bridge.Person{})
	remove := privPerson(t, s, bridge.Person{})
	// The duplicate allowed suggestions and paused its profile; the kept one did neither.
	if _, err := s.GiveConsent(ctx, remove.ID, bridge.ConsentInput{Purpose: bridge.ConsentSuggest, PolicyVersion: bridge.CurrentPolicyVersion},
		bridge.ConsentSourceSelf, member(remove.ID)); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPaused(ctx, remove.ID, true, member(remove.ID), bridge.RightsAnswer{}); err != nil {
		t.Fatal(err)
	}
	pending := privNotification(t, s, remove.ID, privUUID(t), bridge.NotificationPending)
	sent := privNotification(t, s, remove.ID, privUUID(t), bridge.NotificationSent)

	reader := bridge.Principal{Role: bridge.RoleSecretariat, PersonID: keep.ID}
	got, err := s.MergePeople(ctx, reader, remove.ID, secretariat())
	if err != nil {
		t.Fatal(err)
	}
	// The answer is the kept person as the secretariat reads them after the merge.
	if read, err := s.PeopleByIDs(ctx, reader, []string{keep.ID}); err != nil || !reflect.DeepEqual(got, read[keep.ID]) || !got.Paused {
		t.Errorf("the merge answered %+v; the secretariat reads %+v (%v)", got, read[keep.ID], err)
	}
	if v := personProp(t, s, keep.ID, "paused"); v != true {
		t.Errorf("kept profile paused = %v, want true (the duplicate was paused)", v)
	}
	if v := personProp(t, s, keep.ID, "suggestUntil"); v != nil {
		t.Errorf("kept profile suggestUntil = %v: the merge widened what the person allowed", v)
	}
	cs, err := s.Consents(ctx, keep.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Purpose != bridge.ConsentSuggest {
		t.Errorf("kept profile's consent history = %+v, want the duplicate's SUGGEST record", cs)
	}
	if rows := cypher(t, s, `MATCH (c:Consent) WHERE c.mergedFrom = $r AND NOT EXISTS { (:Person)-[:GAVE]->(c) } RETURN count(c) AS n`,
		map[string]any{"r": remove.ID}); rows[0]["n"].(int64) != 0 {
		t.Error("a consent record was left without its person")
	}
	rows := cypher(t, s, `MATCH (n:Notification) WHERE n.id IN [$p, $s] RETURN n.id AS id, n.recipientId AS to`,
		map[string]any{"p": pending, "s": sent})
	for _, r := range rows {
		want := remove.ID // a sent notification is history: it went to the address of the duplicate
		if r["id"] == pending {
			want = keep.ID
		}
		if r["to"] != want {
			t.Errorf("notification %v goes to %v, want %s", r["id"], r["to"], want)
		}
	}
	t.Cleanup(func() {
		cypher(t, s, `MATCH (n:Notification {recipientId: $r}) DETACH DELETE n`, map[string]any{"r": remove.ID})
	})
}
