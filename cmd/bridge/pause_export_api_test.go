package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
)

// refusal sends an operation that must fail and returns its error's code and message.
func refusal(t *testing.T, a *api, who bridge.Principal, q string, vars map[string]any) (string, string) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	_, resp, raw := a.postAs(who, string(b))
	if len(resp.Errors) == 0 {
		t.Fatalf("no error: %s", raw)
	}
	code, _ := resp.Errors[0].Extensions["code"].(string)
	return code, resp.Errors[0].Message
}

// introStatus reads an introduction's status and counterpart as who sees them.
func introStatus(t *testing.T, a *api, who bridge.Principal, id string) (string, string) {
	t.Helper()
	data, code, _ := a.mutate(who, `query($id: ID!) { introduction(id: $id) { status counterpart { id name bio } } }`,
		map[string]any{"id": id})
	if code != "" {
		t.Fatalf("introduction: %s", code)
	}
	var v struct {
		Status      string
		Counterpart json.RawMessage
	}
	if err := json.Unmarshal(data["introduction"], &v); err != nil {
		t.Fatalf("introduction: %v (%s)", err, data["introduction"])
	}
	return v.Status, string(v.Counterpart)
}

// TestPauseEndsOpenIntroductionsOverTheAPI is issue 10, finding 4: after pauseMyProfile the other
// party of an open introduction sees it NOT_POSSIBLE (told so by the outbox) and reads nothing of
// the paused person, by the introduction, person(id:) or node(id:); the one introduced to them
// keeps the introduction in their history but no longer reads their profile or contact details
// (the lead's party/contact predicates: this test exercises both changes); a new request or
// proposal to them is refused as to an unknown or a closed person; resuming reopens nothing.
func TestPauseEndsOpenIntroductionsOverTheAPI(t *testing.T) {
	closed := openPerson("Ebba")
	closed.open = false
	ids, _ := introFixture(t, openPerson("Aino"), openPerson("Birk"), openPerson("Cilla"), openPerson("Dag"), closed)
	a, b, c, d, e := ids[0], ids[1], ids[2], ids[3], ids[4]
	api := newTestAPI(t, envProduction, nil)

	proposed := propose(t, api, b, a, b).ID // b accepted and waits for a
	data, code, _ := api.mutate(as(c), mRequest, map[string]any{"to": gid("Person", a), "theme": themeFR, "msg": "hello", "cid": uuid.NewString()})
	if code != "" {
		t.Fatalf("request: %s", code)
	}
	requested := decodeIntro(t, data, "requestIntroduction").ID
	introduced := propose(t, api, d, a, d, a).ID
	if st, cp := introStatus(t, api, as(b), proposed); st != "PROPOSED" || !strings.Contains(cp, gid("Person", a)) {
		t.Fatalf("before the pause B sees %s with %s", st, cp)
	}
	if !emailSeen(api, as(d), a) {
		t.Fatal("before the pause D does not see A's e-mail: the test would prove nothing")
	}

	if _, code, _ := api.mutate(as(a), `mutation { pauseMyProfile { paused } }`, nil); code != "" {
		t.Fatal(code)
	}

	for who, id := range map[string]string{b: proposed, c: requested} {
		if st, cp := introStatus(t, api, as(who), id); st != "NOT_POSSIBLE" || cp != "null" {
			t.Errorf("the other party of an open introduction sees %s, counterpart %s; want NOT_POSSIBLE and nothing", st, cp)
		}
	}
	if st, _ := introStatus(t, api, as(a), proposed); st != "WITHDRAWN" {
		t.Errorf("the paused person sees %s, want WITHDRAWN (their own act)", st)
	}
	if n := notifications(t, introKey(t, proposed)); n[b+"/INTRODUCTION_NOT_POSSIBLE"] != 1 || n[a+"/INTRODUCTION_NOT_POSSIBLE"] != 0 {
		t.Errorf("outbox of the proposal after the pause: %v", n)
	}
	if n := notifications(t, introKey(t, requested)); n[c+"/INTRODUCTION_NOT_POSSIBLE"] != 1 {
		t.Errorf("outbox of the request after the pause: %v", n)
	}
	if last, ok := fx.LastTransition(t, introKey(t, proposed)); !ok || last.Action != "WITHDRAW" || last.ActorID != a || last.ActorRole != "MEMBER" {
		t.Errorf("the last transition of the proposal: %+v, want A's WITHDRAW", last)
	}

	// Nothing of the paused person reaches the others, by any route.
	for _, who := range []string{b, c, d} {
		data, _, _ := api.mutate(as(who), `query($id: ID!) { person(id: $id) { name bio } node(id: $id) { id } }`,
			map[string]any{"id": gid("Person", a)})
		if string(data["person"]) != "null" || string(data["node"]) != "null" {
			t.Errorf("a party reads the paused person: person %s, node %s", data["person"], data["node"])
		}
	}
	if st, cp := introStatus(t, api, as(d), introduced); st != "INTRODUCED" || cp != "null" {
		t.Errorf("the introduction that happened: D sees %s with counterpart %s; want it kept, the counterpart hidden", st, cp)
	}
	if emailSeen(api, as(d), a) {
		t.Error("D still reads the paused person's e-mail")
	}

	// A new request or proposal is refused: to a member as for a person they cannot see (the
	// paused profile looks like one that does not exist, as person(id:) says), to the secretariat
	// as for a person who is not open to introductions.
	unknownCode, unknownMsg := refusal(t, api, as(b), mRequest,
		map[string]any{"to": gid("Person", uuid.NewString()), "theme": themeFR, "msg": "hi", "cid": uuid.NewString()})
	pausedCode, pausedMsg := refusal(t, api, as(b), mRequest,
		map[string]any{"to": gid("Person", a), "theme": themeFR, "msg": "hi", "cid": uuid.NewString()})
	if pausedCode != unknownCode || pausedMsg != unknownMsg {
		t.Errorf("request to the paused person: %s %q; to an unknown id: %s %q; want the same", pausedCode, pausedMsg, unknownCode, unknownMsg)
	}
	proposal := func(to string) (string, string) {
		return refusal(t, api, secretariat, mPropose,
			map[string]any{"a": gid("Person", b), "b": gid("Person", to), "theme": themeFR, "cid": uuid.NewString()})
	}
	closedCode, closedMsg := proposal(e)
	pausedCode, pausedMsg = proposal(a)
	if pausedCode != "NOT_POSSIBLE" || pausedCode != closedCode || pausedMsg != closedMsg {
		t.Errorf("proposal with the paused person: %s %q; with one not open: %s %q; want the same NOT_POSSIBLE",
			pausedCode, pausedMsg, closedCode, closedMsg)
	}

	// Resuming reopens nothing.
	if _, code, _ := api.mutate(as(a), `mutation { resumeMyProfile { paused } }`, nil); code != "" {
		t.Fatal(code)
	}
	if st, _ := introStatus(t, api, as(b), proposed); st != "NOT_POSSIBLE" {
		t.Errorf("after resuming B sees %s, want NOT_POSSIBLE", st)
	}
	if st, _ := introStatus(t, api, as(a), requested); st != "WITHDRAWN" {
		t.Errorf("after resuming A sees %s, want WITHDRAWN", st)
	}
}

// exportedIntroductions runs exportMyData as who and returns the document's introductions by
// key, and the whole document as JSON.
func exportedIntroductions(t *testing.T, a *api, who bridge.Principal) (map[string]map[string]any, string) {
	t.Helper()
	data, code, _ := a.mutate(who, `mutation { exportMyData { document } }`, nil)
	if code != "" {
		t.Fatalf("export: %s", code)
	}
	var exp struct {
		Document struct {
			Introductions []map[string]any `json:"introductions"`
		} `json:"document"`
	}
	if err := json.Unmarshal(data["exportMyData"], &exp); err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]any{}
	for _, i := range exp.Document.Introductions {
		out[i["id"].(string)] = i
	}
	return out, string(data["exportMyData"])
}

// apiStatuses returns the status of each of who's introductions as the API shows them, by key.
func apiStatuses(t *testing.T, a *api, who bridge.Principal) map[string]string {
	t.Helper()
	data, code, _ := a.mutate(who, `{ introductions(first: 10) { edges { node { id status } } } }`, nil)
	if code != "" {
		t.Fatalf("introductions: %s", code)
	}
	var conn struct {
		Edges []struct{ Node struct{ ID, Status string } }
	}
	if err := json.Unmarshal(data["introductions"], &conn); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range conn.Edges {
		out[introKey(t, e.Node.ID)] = e.Node.Status
	}
	return out
}

// TestExportSaysWhatTheAPISays is issue 10, finding 5: a person whose counterpart declined, or
// whose request the secretariat closed, finds NOT_POSSIBLE in their export as in the API, and no
// DECLINED, DECLINE, WITHDRAWN or SECRETARIAT anywhere in it; a person who declined or withdrew
// finds their own act; for everyone, the export and the API agree on every introduction.
func TestExportSaysWhatTheAPISays(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Greta"), openPerson("Hugo"), openPerson("Ines"), openPerson("Jarl"))
	g, h, i, j := ids[0], ids[1], ids[2], ids[3]
	api := newTestAPI(t, envProduction, nil)

	// G asks for H; the secretariat proposes it; H declines.
	data, code, _ := api.mutate(as(g), mRequest, map[string]any{"to": gid("Person", h), "theme": themeFR, "msg": "hello", "cid": uuid.NewString()})
	if code != "" {
		t.Fatalf("request: %s", code)
	}
	declined := decodeIntro(t, data, "requestIntroduction").ID
	if _, code, _ := api.mutate(secretariat, mTriage, map[string]any{"id": declined}); code != "" {
		t.Fatalf("triage: %s", code)
	}
	if _, code, _ := api.mutate(as(h), mDecline, map[string]any{"id": declined}); code != "" {
		t.Fatalf("decline: %s", code)
	}
	// G asks for I; the secretariat closes the request.
	data, code, _ = api.mutate(as(g), mRequest, map[string]any{"to": gid("Person", i), "theme": themeFR, "msg": "hello", "cid": uuid.NewString()})
	if code != "" {
		t.Fatalf("request: %s", code)
	}
	closed := decodeIntro(t, data, "requestIntroduction").ID
	if _, code, _ := api.mutate(secretariat, mWithdraw, map[string]any{"id": closed}); code != "" {
		t.Fatalf("secretariat withdraws: %s", code)
	}
	// J withdraws a proposal G had accepted.
	withdrawn := propose(t, api, j, g, g).ID
	if _, code, _ := api.mutate(as(j), mWithdraw, map[string]any{"id": withdrawn}); code != "" {
		t.Fatalf("J withdraws: %s", code)
	}

	gDoc, gRaw := exportedIntroductions(t, api, as(g))
	for _, word := range []string{"DECLINE", "WITHDRAW", "SECRETARIAT", h, i, j} {
		if strings.Contains(gRaw, word) {
			t.Errorf("G's export tells %q", word)
		}
	}
	gAPI := apiStatuses(t, api, as(g))
	if len(gAPI) != 3 || len(gDoc) != 3 {
		t.Fatalf("G has %d introductions in the API and %d in the export, want 3", len(gAPI), len(gDoc))
	}
	for key, st := range gAPI {
		if st != "NOT_POSSIBLE" || gDoc[key]["status"] != st {
			t.Errorf("introduction %s: API %s, export %v; want NOT_POSSIBLE in both", key, st, gDoc[key]["status"])
		}
	}

	// The ones who acted see their own act, in the API and in the export alike.
	for who, want := range map[string]map[string]string{
		h: {introKey(t, declined): "DECLINED"},
		j: {introKey(t, withdrawn): "WITHDRAWN"},
	} {
		doc, _ := exportedIntroductions(t, api, as(who))
		got := apiStatuses(t, api, as(who))
		for key, st := range want {
			if got[key] != st || doc[key]["status"] != st {
				t.Errorf("%s's own act on %s: API %s, export %v; want %s", who, key, got[key], doc[key]["status"], st)
			}
		}
		trs, _ := doc[introKey(t, declined)]["transitions"].([]any)
		if who == h {
			last, _ := trs[len(trs)-1].(map[string]any)
			if last["action"] != "DECLINE" || last["actorId"] != h || doc[introKey(t, declined)]["response"] != "DECLINED" {
				t.Errorf("H's own decline in H's export: %v", doc[introKey(t, declined)])
			}
		}
	}
}
