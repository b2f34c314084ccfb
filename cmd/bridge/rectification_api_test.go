package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
)

// TestRectificationIsAuditedAndToldToThoseIntroduced: security.md row 69. A person's edit of their
// own profile is persisted and audited with the fields that changed; when a detail that an
// INTRODUCED message gave (here the phone) changes, everyone they were introduced to gets a
// notification in the same transaction (art. 19); a change to anything else tells nobody.
func TestRectificationIsAuditedAndToldToThoseIntroduced(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Rakel"), openPerson("Ruben"), openPerson("Rolf"))
	a, b, c := ids[0], ids[1], ids[2]
	api := newTestAPI(t, envProduction, nil)
	key := introKey(t, propose(t, api, a, b, a, b).ID)

	version := func() int {
		data, code, _ := api.mutate(as(b), `query($id: ID!) { person(id: $id) { version } }`, map[string]any{"id": gid("Person", b)})
		var v struct{ Version *int }
		if code != "" || json.Unmarshal(data["person"], &v) != nil {
			t.Fatalf("version: %s %s", code, data["person"])
		}
		if v.Version == nil {
			return 0
		}
		return *v.Version
	}
	update := func(phone, bio string) {
		t.Helper()
		// Everything else as the fixture made it (the family name carries the fixture's tag).
		in := map[string]any{"givenName": "Ruben", "familyName": fx.StoredPerson(t, b)["familyName"], "title": "Coordinator",
			"phone": phone, "bio": bio, "languages": []string{"sv", "en"}, "country": "NO", "openToIntroductions": true, "introductionsPerQuarter": 10}
		if _, code, raw := api.mutate(as(b), `mutation($in: ProfileChangesInput!, $v: Int!) { updateMyProfile(input: $in, expectedVersion: $v) { version } }`,
			map[string]any{"in": in, "v": version()}); code != "" {
			t.Fatalf("update: %s %s", code, raw)
		}
	}
	audits := func() []string {
		var out []string
		for _, e := range fx.AuditEvents(t, fx.AuditFilter{TargetIDs: []string{b}, Actions: []string{"UPDATE_OWN_PROFILE"}}) {
			if e.ActorID != b {
				t.Errorf("audit event of an own edit with another actor: %v", e)
			}
			out = append(out, e.Detail)
		}
		return out
	}

	update("+47 555 0199", "")
	if n := notifications(t, key); n[a+"/"+bridge.NotificationContactChanged] != 1 || n[b+"/"+bridge.NotificationContactChanged] != 0 {
		t.Errorf("after a phone change: %v, want one INTRODUCTION_CONTACT_CHANGED to %s only", n, a)
	}
	if told := fx.Notifications(t, fx.NotificationFilter{Kind: bridge.NotificationContactChanged, RecipientID: c}); len(told) != 0 {
		t.Error("someone never introduced to the person was told of the change")
	}
	if got := audits(); strings.Join(got, " ") != "phone" {
		t.Errorf("audit details %q, want [phone]", got)
	}
	if stored := fx.StoredPerson(t, b); stored["phone"] != "+47 555 0199" {
		t.Errorf("phone not persisted: %v", stored["phone"])
	}

	update("+47 555 0199", "Works on housing.")
	if n := notifications(t, key); n[a+"/"+bridge.NotificationContactChanged] != 1 {
		t.Errorf("a bio change told the introduced: %v", n)
	}
	if got := audits(); strings.Join(got, " ") != "phone bio" {
		t.Errorf("audit details %q, want [phone bio]", got)
	}
}
