package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Journey 6: the requester withdraws an open request from /introductions, through a confirmation
// page (a link, then a form: no script needed) with an optional note to the secretariat; once it
// is proposed to the other person, withdrawing tells them only that it is not possible.
func TestWithdrawMyOpenRequest(t *testing.T) {
	store := seedSite(t)
	a, b := introPeople(t, store)
	siteA, siteB := siteFor(t, store, member(a)), siteFor(t, store, member(b))
	secretariat := siteFor(t, store, bridge.Principal{Role: bridge.RoleSecretariat})
	ask := func(key string) string {
		t.Helper()
		status, _, body := post(t, siteA, "/introductions", url.Values{"to": {gid("Person", b)}, "theme": {gid("Theme", "family-reunification")},
			"message": {"Could we compare how we work?"}, "clientRequestId": {"web-withdraw-" + key + "-" + a}})
		if status != http.StatusSeeOther {
			t.Fatalf("asking: %d %.300s", status, body)
		}
		ids := introductionIDs(t, siteA)
		return ids[0] // newest first
	}

	// Asked: the secretariat is looking at it.
	id := ask("1")
	mine := get(t, siteA, "/introductions", "")
	link := `href="/introductions/` + id + `/withdraw"`
	if !strings.Contains(mine.body, link) || !strings.Contains(mine.body, "Withdraw the request") {
		t.Fatalf("A's open request has no withdraw link: %.2000s", mine.body)
	}
	confirm := get(t, siteA, "/introductions/"+id+"/withdraw", "")
	for _, want := range []string{"Withdraw your request?", "Bodil Bidrar", "Could we compare how we work?",
		`<form class="answer-form" method="post" action="/introductions/` + id + `/withdraw"`, `<label for="withdraw-note">`,
		`<textarea id="withdraw-note" name="note"`, "Yes, withdraw the request", `href="/introductions" id="withdraw-cancel"`} {
		if !strings.Contains(confirm.body, want) {
			t.Errorf("the confirmation page lacks %q", want)
		}
	}
	if sv := get(t, siteA, "/introductions/"+id+"/withdraw", "sv"); !strings.Contains(sv.body, "Dra tillbaka din förfrågan?") {
		t.Error("the confirmation page is not in Swedish")
	}
	// Only the requester may withdraw here: for B (not asked yet) there is nothing.
	if p := get(t, siteB, "/introductions/"+id+"/withdraw", ""); p.status != http.StatusNotFound {
		t.Errorf("B's confirmation page of A's request = %d", p.status)
	}
	status, loc, body := post(t, siteA, "/introductions/"+id+"/withdraw", url.Values{"note": {"Found someone nearer."}})
	if status != http.StatusSeeOther || loc != "/introductions?done=withdrawn" {
		t.Fatalf("withdraw = %d to %q: %.300s", status, loc, body)
	}
	after := get(t, siteA, loc, "")
	if !strings.Contains(after.body, "You withdrew your request.") || !strings.Contains(after.body, "You withdrew</p>") ||
		strings.Contains(after.body, link) {
		t.Errorf("after withdrawing: %.2000s", after.body)
	}
	if p := get(t, siteA, "/introductions/"+id+"/withdraw", ""); p.status != http.StatusNotFound {
		t.Errorf("the confirmation of a withdrawn request = %d", p.status)
	}
	// Sending the form again is explained, not a crash.
	if status, _, body := post(t, siteA, "/introductions/"+id+"/withdraw", nil); status < 400 || !strings.Contains(body, `id="introductions-error"`) ||
		strings.Contains(body, "CONFLICT") {
		t.Errorf("withdrawing twice: %d %.300s", status, body)
	}
	var v struct {
		Introduction struct {
			Status  string
			Parties []struct{ Side, Note string }
		}
	}
	if err := json.Unmarshal(graphql(t, secretariat, `query($id: ID!) { introduction(id: $id) { status parties { side note } } }`,
		map[string]any{"id": id}), &v); err != nil {
		t.Fatal(err)
	}
	note := ""
	for _, p := range v.Introduction.Parties {
		if p.Side == "REQUESTER" {
			note = p.Note
		}
	}
	if v.Introduction.Status != "WITHDRAWN" || note != "Found someone nearer." {
		t.Errorf("the secretariat sees %+v", v.Introduction)
	}

	// Proposed to B: A withdraws (without a note); B's inbox empties and B reads only "not possible".
	id = ask("2")
	graphql(t, secretariat, `mutation($id: ID!) { triageIntroduction(input: {introduction: $id}) { status } }`, map[string]any{"id": id})
	if inbox := get(t, siteB, "/introductions", ""); !strings.Contains(inbox.body, `action="/introductions/`+id+`/accept"`) {
		t.Fatal("B was not asked")
	}
	if status, loc, _ := post(t, siteA, "/introductions/"+id+"/withdraw", url.Values{"note": {""}}); status != http.StatusSeeOther || loc != "/introductions?done=withdrawn" {
		t.Fatalf("withdrawing the proposed request = %d", status)
	}
	forB := get(t, siteB, "/introductions", "")
	if strings.Contains(forB.body, `action="/introductions/`+id+`/accept"`) || !strings.Contains(forB.body, "Not possible at the moment") ||
		strings.Contains(forB.body, "withdr") {
		t.Errorf("B after A withdrew: %.2000s", forB.body)
	}
	// Signed out there is nothing to withdraw.
	anon := siteFor(t, store, bridge.Anonymous)
	if p := get(t, anon, "/introductions/"+id+"/withdraw", ""); p.status != http.StatusForbidden {
		t.Errorf("signed out, the confirmation page = %d", p.status)
	}
}
