package main

import (
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
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
		fx.DeleteNotifications(t, fx.NotificationFilter{Kind: bridge.NotificationPersonErased, SubjectID: b})
	})
	if _, code, raw := api.mutate(as(b), `mutation { eraseMyProfile { introductionsAnonymised } }`, nil); code != "" {
		t.Fatalf("erase: %s %s", code, raw)
	}
	if n := notifications(t, introKey(t, intro.ID)); n[a+"/"+bridge.NotificationPartyErased] != 1 {
		t.Errorf("the person introduced to the erased one: %v, want one INTRODUCTION_PARTY_ERASED", n)
	}
	if told := fx.Notifications(t, fx.NotificationFilter{Kind: bridge.NotificationPartyErased, RecipientID: c}); len(told) != 0 {
		t.Error("someone never introduced to the erased person was told")
	}
	erased := fx.Notifications(t, fx.NotificationFilter{Kind: bridge.NotificationPersonErased, SubjectID: b})
	if len(erased) != 1 || erased[0].RecipientID != "" || erased[0].IntroductionID != "" {
		t.Errorf("PERSON_ERASED to the secretariat: %+v, want one, to no person, about no introduction", erased)
	}
}
