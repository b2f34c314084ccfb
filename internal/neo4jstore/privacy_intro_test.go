package neo4jstore_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// introNotifications returns the kinds of the notifications about an introduction, per recipient
// ("secretariat" for the secretariat's address).
func introNotifications(t *testing.T, rows []map[string]any) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, r := range rows {
		to, _ := r["to"].(string)
		if to == "" {
			to = "secretariat"
		}
		out[to] = append(out[to], r["kind"].(string))
	}
	for k := range out {
		slices.Sort(out[k])
	}
	return out
}

// TestPauseEndsOpenIntroductions: pausing (restriction, art. 18) withdraws the person's open
// introductions in the transaction of the pause, as the person's own withdrawal: the others see
// NOT_POSSIBLE and the ones who were asked are told so; introductions that happened stay as they
// are; resuming reopens nothing.
func TestPauseEndsOpenIntroductions(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	x := privPerson(t, s, bridge.Person{OpenToIntroductions: true, IntroductionsPerQuarter: 5})
	y := privPerson(t, s, bridge.Person{})
	z := privPerson(t, s, bridge.Person{})
	w := privPerson(t, s, bridge.Person{})
	secretariatID := privUUID(t)

	// x is asked about y (both asked), y named x in a request the secretariat has not triaged, x
	// asked for someone in a country, and x was introduced to w.
	proposed := privIntroduction(t, s, map[string]any{"status": "PROPOSED", "requestKey": "secretariat/" + privUUID(t)},
		[]map[string]any{party(y.ID, bridge.SideRequester, bridge.ResponseAccepted, nil),
			party(x.ID, bridge.SideRecipient, bridge.ResponsePending, nil)},
		[]map[string]any{transition("PROPOSE", "", "PROPOSED", secretariatID, bridge.RoleSecretariat, 90),
			transition("ACCEPT", "PROPOSED", "PROPOSED", y.ID, bridge.RoleMember, 80)})
	requestedOfX := privIntroduction(t, s, map[string]any{"status": "REQUESTED", "message": "hello", "requestKey": z.ID + "/c1"},
		[]map[string]any{party(z.ID, bridge.SideRequester, bridge.ResponseAccepted, nil),
			party(x.ID, bridge.SideRecipient, bridge.ResponsePending, nil)},
		[]map[string]any{transition("REQUEST", "", "REQUESTED", z.ID, bridge.RoleMember, 70)})
	requestedByX := privIntroduction(t, s, map[string]any{"status": "REQUESTED", "message": "anyone?", "wantedCountry": "NO",
		"requestKey": x.ID + "/c1"},
		[]map[string]any{party(x.ID, bridge.SideRequester, bridge.ResponseAccepted, nil)},
		[]map[string]any{transition("REQUEST", "", "REQUESTED", x.ID, bridge.RoleMember, 60)})
	introduced := privIntroduction(t, s, map[string]any{"status": "INTRODUCED", "requestKey": "secretariat/" + privUUID(t)},
		[]map[string]any{party(w.ID, bridge.SideRequester, bridge.ResponseAccepted, nil),
			party(x.ID, bridge.SideRecipient, bridge.ResponseAccepted, nil)},
		[]map[string]any{transition("PROPOSE", "", "PROPOSED", secretariatID, bridge.RoleSecretariat, 50),
			transition("ACCEPT", "PROPOSED", "PROPOSED", w.ID, bridge.RoleMember, 40),
			transition("ACCEPT", "PROPOSED", "INTRODUCED", x.ID, bridge.RoleMember, 30)})
	t.Cleanup(func() {
		cypher(t, s, `MATCH (n:Notification) WHERE n.introductionId IN $ids DETACH DELETE n`,
			map[string]any{"ids": []string{proposed, requestedOfX, requestedByX, introduced}})
	})

	actor := member(x.ID)
	if err := s.SetPaused(ctx, x.ID, true, actor, bridge.RightsAnswer{}); err != nil {
		t.Fatal(err)
	}

	get := func(id string) bridge.Introduction {
		t.Helper()
		i, err := s.Introduction(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	for id, other := range map[string]string{proposed: y.ID, requestedOfX: z.ID, requestedByX: ""} {
		i := get(id)
		if i.Status != bridge.StatusWithdrawn {
			t.Errorf("open introduction %s after the pause: %s, want WITHDRAWN", id, i.Status)
			continue
		}
		last := i.Transitions[len(i.Transitions)-1]
		if last.Action != bridge.ActionWithdraw || last.To != bridge.StatusWithdrawn || last.From == "" ||
			last.ActorID != x.ID || last.ActorRole != bridge.RoleMember || last.RequestID != actor.RequestID {
			t.Errorf("transition of %s: %+v, want the paused person's WITHDRAW", id, last)
		}
		if got := i.StatusFor(bridge.Principal{Role: bridge.RoleMember, PersonID: x.ID}); got != bridge.StatusWithdrawn {
			t.Errorf("the paused person sees %s, want WITHDRAWN (their own act)", got)
		}
		if other != "" {
			if got := i.StatusFor(bridge.Principal{Role: bridge.RoleMember, PersonID: other}); got != bridge.StatusNotPossible {
				t.Errorf("the other party of %s sees %s, want NOT_POSSIBLE", id, got)
			}
		}
	}
	if i := get(introduced); i.Status != bridge.StatusIntroduced || len(i.Transitions) != 3 {
		t.Errorf("an introduction that happened changed: %s with %d transitions", i.Status, len(i.Transitions))
	}

	// The outbox: the withdrawal's notifications, to those who were asked, never to the paused
	// person (in REQUESTED only the requester knows of it).
	rows := cypher(t, s, `MATCH (n:Notification) WHERE n.introductionId IN $ids
RETURN n.introductionId AS intro, n.recipientId AS to, n.kind AS kind, n.status AS status`,
		map[string]any{"ids": []string{proposed, requestedOfX, requestedByX, introduced}})
	byIntro := map[string][]map[string]any{}
	for _, r := range rows {
		if r["status"] != "PENDING" {
			t.Errorf("notification %v is not pending", r)
		}
		byIntro[r["intro"].(string)] = append(byIntro[r["intro"].(string)], r)
	}
	for id, want := range map[string]map[string][]string{
		proposed:     {y.ID: {bridge.NotificationIntroductionNotPossible}},
		requestedOfX: {z.ID: {bridge.NotificationIntroductionNotPossible}},
		requestedByX: {},
		introduced:   {},
	} {
		if got := introNotifications(t, byIntro[id]); !reflect.DeepEqual(got, want) {
			t.Errorf("notifications of %s: %v, want %v", id, got, want)
		}
	}
	if got := auditActions(t, s, x.ID); !reflect.DeepEqual(got, []string{string(bridge.AuditPause)}) {
		t.Errorf("audit = %v, want one PAUSE", got)
	}

	// Resuming reopens nothing; pausing again finds nothing open.
	if err := s.SetPaused(ctx, x.ID, false, actor, bridge.RightsAnswer{}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{proposed, requestedOfX, requestedByX} {
		if i := get(id); i.Status != bridge.StatusWithdrawn {
			t.Errorf("resuming changed %s to %s", id, i.Status)
		}
	}
	if err := s.SetPaused(ctx, x.ID, true, actor, bridge.RightsAnswer{}); err != nil {
		t.Fatal(err)
	}
	if n := cypher(t, s, `MATCH (n:Notification) WHERE n.introductionId IN $ids RETURN count(n) AS n`,
		map[string]any{"ids": []string{proposed, requestedOfX, requestedByX, introduced}})[0]["n"]; n != int64(len(rows)) {
		t.Errorf("pausing again wrote notifications: %v, want %d", n, len(rows))
	}
	if i := get(proposed); len(i.Transitions) != 3 {
		t.Errorf("pausing again added transitions: %d", len(i.Transitions))
	}
}

// TestExportShowsIntroductionsAsThePartySeesThem: the export says of each introduction what the
// API says to the person (bridge.Introduction.StatusFor): the other side's decline, a withdrawal by
// the other side or the secretariat, and an expiry read NOT_POSSIBLE; what others did is reduced to
// the status changes the person could see (no action, actor role or id); the person's own answer
// and acts are theirs to see.
func TestExportShowsIntroductionsAsThePartySeesThem(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	x := privPerson(t, s, bridge.Person{OpenToIntroductions: true, IntroductionsPerQuarter: 5})
	y := privPerson(t, s, bridge.Person{})
	secretariatID := privUUID(t)
	key := func() string { return x.ID + "/" + privUUID(t) }

	declinedByOther := privIntroduction(t, s, map[string]any{"status": "DECLINED", "message": "m1", "requestKey": key()},
		[]map[string]any{party(x.ID, bridge.SideRequester, bridge.ResponseAccepted, nil),
			party(y.ID, bridge.SideRecipient, bridge.ResponseDeclined, "not now")},
		[]map[string]any{transition("REQUEST", "", "REQUESTED", x.ID, bridge.RoleMember, 300),
			transition("PROPOSE", "REQUESTED", "PROPOSED", secretariatID, bridge.RoleSecretariat, 290),
			transition("DECLINE", "PROPOSED", "DECLINED", y.ID, bridge.RoleMember, 280)})
	withdrawnBySecretariat := privIntroduction(t, s, map[string]any{"status": "WITHDRAWN", "message": "m2", "requestKey": key()},
		[]map[string]any{party(x.ID, bridge.SideRequester, bridge.ResponseAccepted, nil)},
		[]map[string]any{transition("REQUEST", "", "REQUESTED", x.ID, bridge.RoleMember, 270),
			transition("WITHDRAW", "REQUESTED", "WITHDRAWN", secretariatID, bridge.RoleSecretariat, 260)})
	withdrawnByOther := privIntroduction(t, s, map[string]any{"status": "WITHDRAWN", "requestKey": "secretariat/" + privUUID(t)},
		[]map[string]any{party(y.ID, bridge.SideRequester, bridge.ResponseAccepted, nil),
			party(x.ID, bridge.SideRecipient, bridge.ResponseAccepted, nil)},
		[]map[string]any{transition("PROPOSE", "", "PROPOSED", secretariatID, bridge.RoleSecretariat, 250),
			transition("ACCEPT", "PROPOSED", "PROPOSED", x.ID, bridge.RoleMember, 240),
			transition("WITHDRAW", "PROPOSED", "WITHDRAWN", y.ID, bridge.RoleMember, 230)})
	expired := privIntroduction(t, s, map[string]any{"status": "EXPIRED", "requestKey": "secretariat/" + privUUID(t)},
		[]map[string]any{party(y.ID, bridge.SideRequester, bridge.ResponsePending, nil),
			party(x.ID, bridge.SideRecipient, bridge.ResponsePending, nil)},
		[]map[string]any{transition("PROPOSE", "", "PROPOSED", secretariatID, bridge.RoleSecretariat, 220),
			transition("EXPIRE", "PROPOSED", "EXPIRED", nil, bridge.RoleSystem, 210)})
	// x's own acts: x declined one, x withdrew one.
	declinedByMe := privIntroduction(t, s, map[string]any{"status": "DECLINED", "requestKey": "secretariat/" + privUUID(t)},
		[]map[string]any{party(y.ID, bridge.SideRequester, bridge.ResponseAccepted, nil),
			party(x.ID, bridge.SideRecipient, bridge.ResponseDeclined, "my reason")},
		[]map[string]any{transition("PROPOSE", "", "PROPOSED", secretariatID, bridge.RoleSecretariat, 200),
			transition("ACCEPT", "PROPOSED", "PROPOSED", y.ID, bridge.RoleMember, 190),
			transition("DECLINE", "PROPOSED", "DECLINED", x.ID, bridge.RoleMember, 180)})
	withdrawnByMe := privIntroduction(t, s, map[string]any{"status": "WITHDRAWN", "message": "m3", "requestKey": key()},
		[]map[string]any{party(x.ID, bridge.SideRequester, bridge.ResponseAccepted, nil)},
		[]map[string]any{transition("REQUEST", "", "REQUESTED", x.ID, bridge.RoleMember, 170),
			transition("WITHDRAW", "REQUESTED", "WITHDRAWN", x.ID, bridge.RoleMember, 160)})

	doc, err := s.ExportPersonData(ctx, x.ID, member(x.ID), bridge.RightsAnswer{})
	if err != nil {
		t.Fatal(err)
	}
	list, _ := doc["introductions"].([]any)
	got := map[string]map[string]any{}
	for _, e := range list {
		m := e.(map[string]any)
		got[m["id"].(string)] = m
	}
	viewer := bridge.Principal{Role: bridge.RoleMember, PersonID: x.ID}
	for id, want := range map[string]string{declinedByOther: "NOT_POSSIBLE", withdrawnBySecretariat: "NOT_POSSIBLE",
		withdrawnByOther: "NOT_POSSIBLE", expired: "NOT_POSSIBLE", declinedByMe: "DECLINED", withdrawnByMe: "WITHDRAWN"} {
		m, ok := got[id]
		if !ok {
			t.Errorf("introduction %s missing from the export", id)
			continue
		}
		i, err := s.Introduction(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if api := i.StatusFor(viewer); m["status"] != want || m["status"] != string(api) {
			t.Errorf("export status of %s = %v, API %s, want %s", id, m["status"], api, want)
		}
	}

	// About what others did, nothing but status changes; the person's own acts are theirs.
	for _, id := range []string{declinedByOther, withdrawnBySecretariat, withdrawnByOther, expired} {
		raw, _ := json.Marshal(got[id])
		for _, word := range []string{"DECLINE", "WITHDRAW", "EXPIRE", "SECRETARIAT", "SYSTEM", y.ID, secretariatID, "not now"} {
			if strings.Contains(string(raw), word) {
				t.Errorf("the export of %s tells %q: %s", id, word, raw)
			}
		}
	}
	trs := func(id string) []map[string]any {
		var out []map[string]any
		for _, e := range got[id]["transitions"].([]any) {
			out = append(out, e.(map[string]any))
		}
		return out
	}
	if tr := trs(declinedByOther); len(tr) != 3 || tr[0]["action"] != "REQUEST" || tr[0]["actorId"] != x.ID ||
		tr[0]["actorRole"] != "MEMBER" || tr[1]["toStatus"] != "PROPOSED" || tr[1]["action"] != nil ||
		tr[2]["fromStatus"] != "PROPOSED" || tr[2]["toStatus"] != "NOT_POSSIBLE" || tr[2]["at"] == nil {
		t.Errorf("transitions of the introduction the other side declined: %v", tr)
	}
	if tr := trs(withdrawnByOther); len(tr) != 3 || tr[1]["action"] != "ACCEPT" || tr[1]["actorId"] != x.ID {
		t.Errorf("transitions with the person's own acceptance: %v", tr)
	}
	if tr := trs(declinedByMe); len(tr) != 2 || tr[1]["action"] != "DECLINE" || tr[1]["toStatus"] != "DECLINED" ||
		tr[1]["actorId"] != x.ID || got[declinedByMe]["response"] != "DECLINED" || got[declinedByMe]["note"] != "my reason" {
		t.Errorf("the person's own decline (the other's acceptance left out): %v", got[declinedByMe])
	}
	if tr := trs(withdrawnByMe); len(tr) != 2 || tr[1]["action"] != "WITHDRAW" || tr[1]["toStatus"] != "WITHDRAWN" {
		t.Errorf("the person's own withdrawal: %v", tr)
	}
	raw, _ := json.Marshal(doc)
	if strings.Contains(string(raw), y.ID) || strings.Contains(string(raw), secretariatID) {
		t.Error("the export names another person")
	}
}
