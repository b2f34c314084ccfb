package main

import (
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// TestErasureTellsThoseIntroducedAndTheDataProtectionContact: security.md row 70 and art. 19. When
// a person is erased, everyone who received their contact details through an introduction is asked
// to delete them, and the secretariat's address (the data-protection contact) gets the erased id
// only; someone never introduced to them hears nothing.
func TestErasureTellsThoseIntroducedAndTheDataProtectionContact(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Erik"), openPerson("Elin"), openPerson("Ebba"))
	a, b, c := ids[0], ids[1], ids[2]
	api := newTestAPI(t, envProduction, nil)
	intro := propose(t, api, a, b, a, b)
	t.Cleanup(func() {
		cmdCypher(t, `MATCH (n:Notification {kind: $k, subjectId: $b}) DELETE n`, map[string]any{"k": bridge.NotificationPersonErased, "b": b})
	})
	if _, code, raw := api.mutate(as(b), `mutation { eraseMyProfile { introductionsAnonymised } }`, nil); code != "" {
		t.Fatalf("erase: %s %s", code, raw)
	}
	if n := notifications(t, introKey(t, intro.ID)); n[a+"/"+bridge.NotificationPartyErased] != 1 {
		t.Errorf("the person introduced to the erased one: %v, want one INTRODUCTION_PARTY_ERASED", n)
	}
	rows := cmdRows(t, `MATCH (n:Notification {kind: $k}) WHERE n.recipientId = $c RETURN count(n) AS n`,
		map[string]any{"k": bridge.NotificationPartyErased, "c": c})
	if rows[0]["n"].(int64) != 0 {
		t.Error("someone never introduced to the erased person was told")
	}
	rows = cmdRows(t, `MATCH (n:Notification {kind: $k, subjectId: $b}) RETURN n.recipientId AS to, n.introductionId AS intro, count(*) AS n`,
		map[string]any{"k": bridge.NotificationPersonErased, "b": b})
	if len(rows) != 1 || rows[0]["n"].(int64) != 1 || rows[0]["to"] != nil || rows[0]["intro"] != nil {
		t.Errorf("PERSON_ERASED to the secretariat: %v, want one, to no person, about no introduction", rows)
	}
}
