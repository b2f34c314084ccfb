package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
)

// readAuditOf returns "ACTION/ROLE:detail" for each read-audit event about target, sorted.
func readAuditOf(t *testing.T, target string) []string {
	t.Helper()
	got := []string{}
	for _, e := range fx.AuditEvents(t, fx.AuditFilter{TargetIDs: []string{target}, ActionPrefix: "READ_"}) {
		got = append(got, e.Action+"/"+e.ActorRole+":"+e.Detail)
	}
	slices.Sort(got)
	return got
}

// TestReadAuditOfNonPublicFields: security.md row 73 per role. The secretariat reading a profile
// only it may see, or anyone's consents and pause state, writes one event per person and action
// with the fields read; a member reading a MEMBERS profile, and a person reading their own, write
// none.
func TestReadAuditOfNonPublicFields(t *testing.T) {
	hidden := openPerson("Hidda")
	hidden.visibility = bridge.VisibilitySecretariat
	ids, _ := introFixture(t, hidden, openPerson("Mette"), openPerson("Sune"))
	h, m, s := ids[0], ids[1], ids[2]
	api := newTestAPI(t, envProduction, nil)
	secretariat := bridge.Principal{Role: bridge.RoleSecretariat}
	query := func(who bridge.Principal, id, fields string) string {
		_, resp, raw := api.queryAs(who, `{ person(id: "`+gid("Person", id)+`") { id `+fields+` } }`)
		if len(resp.Errors) > 0 {
			t.Fatalf("query %s: %s", fields, raw)
		}
		return raw
	}
	expect := func(id string, want ...string) {
		t.Helper()
		if got := readAuditOf(t, id); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("read audit = %q, want %q", got, want)
		}
	}

	// A member reads another member's MEMBERS profile, and their own privacy settings: nothing.
	query(as(s), m, "name bio themes { mode }")
	query(as(h), h, "name bio consents { purpose } paused")
	expect(m)
	expect(h)
	// A member cannot see the hidden profile at all (and so nothing is disclosed or audited).
	if raw := query(as(s), h, "name"); !strings.Contains(raw, `"person":null`) {
		t.Fatalf("a member sees a SECRETARIAT profile: %s", raw)
	}
	expect(h)

	// The secretariat reads the hidden profile, its privacy settings and e-mail: one event per
	// person and action, the fields sorted.
	if raw := query(secretariat, h, "name givenName bio consents { purpose } paused email"); !strings.Contains(raw, "Hidda") {
		t.Fatalf("the secretariat does not see the hidden profile: %s", raw)
	}
	expect(h, "READ_CONTACT/SECRETARIAT:email", "READ_PRIVACY/SECRETARIAT:consents,paused", "READ_PROFILE/SECRETARIAT:bio,givenName,name")
	// A MEMBERS profile: only the privacy setting is beyond what members see.
	query(secretariat, m, "name bio paused")
	expect(m, "READ_PRIVACY/SECRETARIAT:paused")

	// Pausing hides a profile: from then on the secretariat's reads of it are READ_PROFILE.
	if _, code, _ := api.mutate(as(m), `mutation { pauseMyProfile { id } }`, nil); code != "" {
		t.Fatal(code)
	}
	query(secretariat, m, "title")
	expect(m, "READ_PRIVACY/SECRETARIAT:paused", "READ_PROFILE/SECRETARIAT:title")

	// Lists count too: a search that returns the hidden profile to the secretariat audits it.
	_, _, raw := api.queryAs(secretariat, `{ people(filter: {text: "Hidda"}, first: 50) { edges { node { id name } } } }`)
	if !strings.Contains(raw, gid("Person", h)) {
		t.Fatalf("the secretariat's search misses the hidden profile: %s", raw)
	}
	expect(h, "READ_CONTACT/SECRETARIAT:email", "READ_PRIVACY/SECRETARIAT:consents,paused",
		"READ_PROFILE/SECRETARIAT:bio,givenName,name", "READ_PROFILE/SECRETARIAT:name")
}
