package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// introPeople creates people for one introduction test: unique ids, names and e-mails, open to
// introductions, with every consent unless told otherwise. It returns their ids in order.
type introPerson struct {
	given      string
	open       bool
	capacity   int
	consents   []bridge.ConsentPurpose
	visibility bridge.Visibility
}

func introFixture(t *testing.T, people ...introPerson) ([]string, string) {
	t.Helper()
	store := testneo4j.Prepared(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tag := uuid.NewString()[:8]
	domain := "intro-" + tag + ".example.org"
	var ps []bridge.Person
	var ids []string
	for k, p := range people {
		id := uuid.NewString()
		vis := p.visibility
		if vis == "" {
			vis = bridge.VisibilityMembers
		}
		ps = append(ps, bridge.Person{ID: id, GivenName: p.given, FamilyName: "Intro" + tag, Title: "Coordinator",
			Email: fmt.Sprintf("%s.%d@%s", strings.ToLower(p.given), k, domain), Phone: "+00 555 01" + fmt.Sprint(k),
			Languages: []string{"sv", "en"}, CountryCode: []string{"SE", "NO", "FI", "IS"}[k%4], Visibility: vis,
			OpenToIntroductions: p.open, IntroductionsPerQuarter: p.capacity, Confirmed: true, Source: bridge.SourceDemo,
			Demo: true, Consents: p.consents, Themes: []bridge.ThemeLink{{ThemeID: "family-reunification", Mode: bridge.ModeBoth}}})
		ids = append(ids, id)
	}
	if _, err := store.UpsertPeople(ctx, ps); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fx.RemovePeople(t, domain) })
	return ids, domain
}

func openPerson(given string) introPerson {
	return introPerson{given: given, open: true, capacity: 10, consents: bridge.ConsentPurposes()}
}

func as(id string) bridge.Principal { return bridge.Principal{Role: bridge.RoleMember, PersonID: id} }

// mutate sends a GraphQL operation with variables and returns the data field and the first error.
func (a *api) mutate(who bridge.Principal, q string, vars map[string]any) (map[string]json.RawMessage, string, string) {
	a.t.Helper()
	b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	_, resp, raw := a.postAs(who, string(b))
	if len(resp.Errors) > 0 {
		code, _ := resp.Errors[0].Extensions["code"].(string)
		status, _ := resp.Errors[0].Extensions["status"].(string)
		return resp.Data, code, status
	}
	if strings.Contains(raw, "Neo.") || strings.Contains(raw, "MATCH ") {
		a.t.Fatalf("internals in a response: %s", raw)
	}
	return resp.Data, "", ""
}

type introView struct {
	ID          string  `json:"id"`
	Status      string  `json:"status"`
	MyResponse  *string `json:"myResponse"`
	Counterpart *struct {
		ID    string  `json:"id"`
		Email *string `json:"email"`
	} `json:"counterpart"`
}

const introFields = `id status myResponse counterpart { id email }`

func decodeIntro(t *testing.T, data map[string]json.RawMessage, field string) introView {
	t.Helper()
	var v introView
	if err := json.Unmarshal(data[field], &v); err != nil {
		t.Fatalf("%s: %v (%s)", field, err, data[field])
	}
	return v
}

const (
	mRequest = `mutation($to: ID, $theme: ID!, $msg: String!, $cid: String!) {
  requestIntroduction(input: {to: $to, theme: $theme, message: $msg, clientRequestId: $cid}) { ` + introFields + ` } }`
	mTriage  = `mutation($id: ID!) { triageIntroduction(input: {introduction: $id}) { ` + introFields + ` } }`
	mPropose = `mutation($a: ID!, $b: ID!, $theme: ID!, $cid: String!) {
  proposeIntroduction(input: {requester: $a, recipient: $b, theme: $theme, message: "You two should talk", clientRequestId: $cid}) { ` + introFields + ` } }`
	mAccept   = `mutation($id: ID!) { acceptIntroduction(id: $id, note: "n") { ` + introFields + ` } }`
	mDecline  = `mutation($id: ID!) { declineIntroduction(id: $id, note: "n") { ` + introFields + ` } }`
	mWithdraw = `mutation($id: ID!) { withdrawIntroduction(id: $id) { ` + introFields + ` } }`
	mOutcome  = `mutation($id: ID!) { recordIntroductionOutcome(id: $id, outcome: USEFUL) { ` + introFields + ` } }`
	qEmailOf  = `query($id: ID!) { person(id: $id) { email } }`
)

var themeFR = bridge.GlobalID("Theme", "family-reunification")

// propose has the secretariat propose an introduction between a and b (theme family
// reunification) and then each of accepting accept it; it returns the introduction.
func propose(t *testing.T, api *api, a, b string, accepting ...string) introView {
	t.Helper()
	data, code, _ := api.mutate(bridge.Principal{Role: bridge.RoleSecretariat}, mPropose,
		map[string]any{"a": gid("Person", a), "b": gid("Person", b), "theme": themeFR, "cid": uuid.NewString()})
	if code != "" {
		t.Fatalf("propose: %s", code)
	}
	intro := decodeIntro(t, data, "proposeIntroduction")
	for _, who := range accepting {
		if _, code, _ := api.mutate(as(who), mAccept, map[string]any{"id": intro.ID}); code != "" {
			t.Fatalf("accept: %s", code)
		}
	}
	return intro
}

func emailSeen(a *api, who bridge.Principal, personID string) bool {
	data, code, _ := a.mutate(who, qEmailOf, map[string]any{"id": gid("Person", personID)})
	if code != "" {
		a.t.Fatalf("person: %s", code)
	}
	return strings.Contains(string(data["person"]), "@")
}

func notifications(t *testing.T, introID string) map[string]int {
	out := map[string]int{}
	for _, n := range fx.Notifications(t, fx.NotificationFilter{IntroductionID: introID}) {
		to := n.RecipientID
		if to == "" {
			to = "secretariat"
		}
		out[to+"/"+n.Kind]++
	}
	return out
}

func introKey(t *testing.T, globalID string) string {
	t.Helper()
	typ, key, err := bridge.ParseGlobalID(nil, globalID)
	if err != nil || typ != "Introduction" {
		t.Fatalf("not an introduction id: %q", globalID)
	}
	return key
}

// TestIntroductionDoubleOptIn is the workflow of acceptance 1 over the API (the same over real
// sign-in and SMTP is TestRealProviderIntroductionEndToEnd).
func TestIntroductionDoubleOptIn(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Anna"), openPerson("Bjorn"))
	a, b := ids[0], ids[1]
	api := newTestAPI(t, envProduction, nil)

	data, code, _ := api.mutate(as(a), mRequest, map[string]any{"to": gid("Person", b), "theme": themeFR, "msg": "We work on the same", "cid": "req-1"})
	if code != "" {
		t.Fatalf("request: %s", code)
	}
	first := decodeIntro(t, data, "requestIntroduction")
	if first.Status != "REQUESTED" {
		t.Fatalf("request status %s", first.Status)
	}
	// The answer (read in the request's transaction, and again when the request is sent again)
	// is what a read after it returns.
	const asked = `id status message myResponse mySide createdAt expiresAt theme { key } counterpart { id name }`
	read, _, _ := api.mutate(as(a), `query($id: ID!) { introduction(id: $id) { `+introFields+` } }`, map[string]any{"id": first.ID})
	if string(data["requestIntroduction"]) != string(read["introduction"]) {
		t.Fatalf("the request answered %s; a read after it: %s", data["requestIntroduction"], read["introduction"])
	}
	replay, _, _ := api.mutate(as(a), `mutation($to: ID, $theme: ID!, $msg: String!, $cid: String!) {
  requestIntroduction(input: {to: $to, theme: $theme, message: $msg, clientRequestId: $cid}) { `+asked+` } }`,
		map[string]any{"to": gid("Person", b), "theme": themeFR, "msg": "We work on the same", "cid": "req-1"})
	read, _, _ = api.mutate(as(a), `query($id: ID!) { introduction(id: $id) { `+asked+` } }`, map[string]any{"id": first.ID})
	if string(replay["requestIntroduction"]) != string(read["introduction"]) || !strings.Contains(string(read["introduction"]), first.ID) {
		t.Fatalf("the request sent again answered %s; a read after it: %s", replay["requestIntroduction"], read["introduction"])
	}
	if _, code, _ = api.mutate(secretariat, mTriage, map[string]any{"id": first.ID}); code != "" {
		t.Fatalf("triage: %s", code)
	}
	data, code, _ = api.mutate(as(b), mDecline, map[string]any{"id": first.ID})
	if code != "" || decodeIntro(t, data, "declineIntroduction").Status != "DECLINED" {
		t.Fatalf("decline: %s %s", code, data["declineIntroduction"])
	}
	data, _, _ = api.mutate(as(a), `query($id: ID!) { introduction(id: $id) { `+introFields+` } }`, map[string]any{"id": first.ID})
	if v := decodeIntro(t, data, "introduction"); v.Status != "NOT_POSSIBLE" {
		t.Errorf("A sees %s after B declined, want NOT_POSSIBLE", v.Status)
	}
	if n := notifications(t, introKey(t, first.ID)); n[a+"/INTRODUCTION_NOT_POSSIBLE"] != 1 || n[b+"/INTRODUCTION_ASKED"] != 1 || n["secretariat/INTRODUCTION_REQUEST_RECEIVED"] != 1 {
		t.Errorf("outbox after the decline: %v", n)
	}
	if emailSeen(api, as(a), b) || emailSeen(api, as(b), a) {
		t.Fatal("contact details shared after a decline")
	}

	data, code, _ = api.mutate(secretariat, mPropose, map[string]any{"a": gid("Person", a), "b": gid("Person", b), "theme": themeFR, "cid": uuid.NewString()})
	if code != "" {
		t.Fatalf("propose: %s", code)
	}
	second := decodeIntro(t, data, "proposeIntroduction")
	data, code, _ = api.mutate(as(a), mAccept, map[string]any{"id": second.ID})
	if v := decodeIntro(t, data, "acceptIntroduction"); code != "" || v.Status != "PROPOSED" || v.Counterpart == nil || v.Counterpart.Email != nil {
		t.Fatalf("A accepts: %s %s (counterpart visible without e-mail)", code, data["acceptIntroduction"])
	}
	if emailSeen(api, as(a), b) || emailSeen(api, as(b), a) {
		t.Fatal("contact details shared before both accepted")
	}
	data, code, _ = api.mutate(as(b), mAccept, map[string]any{"id": second.ID})
	v := decodeIntro(t, data, "acceptIntroduction")
	if code != "" || v.Status != "INTRODUCED" || v.Counterpart == nil || v.Counterpart.Email == nil {
		t.Fatalf("B accepts: %s %s", code, data["acceptIntroduction"])
	}
	if !emailSeen(api, as(a), b) || !emailSeen(api, as(b), a) {
		t.Fatal("both accepted but contact details are not shared")
	}
	if n := notifications(t, introKey(t, second.ID)); n[a+"/INTRODUCTION_INTRODUCED"] != 1 || n[b+"/INTRODUCTION_INTRODUCED"] != 1 {
		t.Errorf("outbox after both accepted: %v", n)
	}
	// The read of the other's e-mail is audited, and the secretariat follows up.
	if len(fx.AuditEvents(t, fx.AuditFilter{Actions: []string{"READ_CONTACT"}, ActorID: a, TargetIDs: []string{b}})) < 1 {
		t.Error("reading the other's e-mail wrote no audit event")
	}
	if data, code, _ = api.mutate(secretariat, mOutcome, map[string]any{"id": second.ID}); code != "" || decodeIntro(t, data, "recordIntroductionOutcome").Status != "COMPLETED" {
		t.Fatalf("outcome: %s", code)
	}
	// Withdrawing consent to share contact details hides them again at once.
	if _, code, _ = api.mutate(as(b), `mutation { withdrawConsent(purpose: SHARE_CONTACT) { purpose } }`, nil); code != "" {
		t.Fatal(code)
	}
	if emailSeen(api, as(a), b) {
		t.Error("B withdrew SHARE_CONTACT but A still sees B's e-mail")
	}
}

// TestTriageChangesThePerson: triageIntroduction with a recipient proposes a member's request to
// another person than the one named; the ids are checked by type.
func TestTriageChangesThePerson(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Frida"), openPerson("Gunnar"), openPerson("Hilde"))
	f, g, h := ids[0], ids[1], ids[2]
	api := newTestAPI(t, envProduction, nil)
	data, code, _ := api.mutate(as(f), mRequest, map[string]any{"to": gid("Person", g), "theme": themeFR, "msg": "hello", "cid": uuid.NewString()})
	if code != "" {
		t.Fatal(code)
	}
	id := decodeIntro(t, data, "requestIntroduction").ID
	triage := `mutation($id: ID!, $to: ID) { triageIntroduction(input: {introduction: $id, recipient: $to}) { ` + introFields + ` } }`
	for _, c := range []struct {
		vars  map[string]any
		field string
	}{
		{map[string]any{"id": gid("Person", f), "to": gid("Person", h)}, "input.introduction"},
		{map[string]any{"id": id, "to": themeFR}, "input.recipient"},
	} {
		if res := api.call(secretariat, triage, c.vars); res.code != "BAD_USER_INPUT" || res.field != c.field {
			t.Errorf("triage %v: %s %s, want BAD_USER_INPUT at %s", c.vars, res.code, res.field, c.field)
		}
	}
	data, code, _ = api.mutate(secretariat, triage, map[string]any{"id": id, "to": gid("Person", h)})
	if v := decodeIntro(t, data, "triageIntroduction"); code != "" || v.Status != "PROPOSED" {
		t.Fatalf("triage to another person: %s %+v", code, v)
	}
	parties := fx.IntroductionParties(t, introKey(t, id))
	if len(parties) != 2 || parties[0].PersonID != f || parties[1].PersonID != h {
		t.Errorf("parties after the triage: %v, want %s (requester) and %s (recipient)", parties, f, h)
	}
	// node(id:) answers the parties and the secretariat; the person no longer asked gets null.
	qNode := `query($id: ID!) { node(id: $id) { id ... on Introduction { status } } }`
	for who, want := range map[bridge.Principal]string{as(h): `"status":"PROPOSED"`, secretariat: `"status":"PROPOSED"`, as(g): "null", bridge.Anonymous: "null"} {
		if res := api.call(who, qNode, map[string]any{"id": id}); res.code != "" || !strings.Contains(string(res.data["node"]), want) {
			t.Errorf("node(id) of the introduction for %s: %s", who.PersonID, res.raw)
		}
	}
}

func TestIntroductionIllegalTransitionsAndRetries(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Cecilia"), openPerson("Dag"), openPerson("Eero"))
	c, d, e := ids[0], ids[1], ids[2]
	api := newTestAPI(t, envProduction, nil)
	vars := map[string]any{"to": gid("Person", d), "theme": themeFR, "msg": "hello", "cid": "same-client-id"}
	data, code, _ := api.mutate(as(c), mRequest, vars)
	if code != "" {
		t.Fatal(code)
	}
	first := decodeIntro(t, data, "requestIntroduction")
	for range 2 {
		data, code, _ = api.mutate(as(c), mRequest, vars)
		if again := decodeIntro(t, data, "requestIntroduction"); code != "" || again.ID != first.ID {
			t.Fatalf("a retry with the same client request id made %s (%s), want %s", again.ID, code, first.ID)
		}
	}
	if n := fx.IntroductionsWithRequestKey(t, c+"/same-client-id"); n != 1 {
		t.Fatalf("%v introductions for one client request id", n)
	}
	id := first.ID
	cases := []struct {
		name       string
		who        bridge.Principal
		q          string
		vars       map[string]any
		wantCode   string
		wantStatus string
	}{
		{"answer before the secretariat proposed", as(d), mAccept, map[string]any{"id": id}, "CONFLICT", "REQUESTED"},
		{"outcome of a request", secretariat, mOutcome, map[string]any{"id": id}, "CONFLICT", "REQUESTED"},
		{"a stranger answers", as(e), mAccept, map[string]any{"id": id}, "NOT_FOUND", ""},
		{"a member proposes", as(c), mTriage, map[string]any{"id": id}, "FORBIDDEN", ""},
	}
	for _, k := range cases {
		if _, code, status := api.mutate(k.who, k.q, k.vars); code != k.wantCode || status != k.wantStatus {
			t.Errorf("%s: %s (status %q), want %s (status %q)", k.name, code, status, k.wantCode, k.wantStatus)
		}
	}
	if _, code, _ = api.mutate(secretariat, mTriage, map[string]any{"id": id}); code != "" {
		t.Fatal(code)
	}
	for _, k := range []struct {
		name       string
		who        bridge.Principal
		q          string
		vars       map[string]any
		wantStatus string
	}{
		{"propose twice", secretariat, mTriage, map[string]any{"id": id}, "PROPOSED"},
		{"the requester answers again", as(c), mAccept, map[string]any{"id": id}, "PROPOSED"},
		{"outcome before both accepted", secretariat, mOutcome, map[string]any{"id": id}, "PROPOSED"},
	} {
		if _, code, status := api.mutate(k.who, k.q, k.vars); code != "CONFLICT" || status != k.wantStatus {
			t.Errorf("%s: %s (status %q), want CONFLICT (%s)", k.name, code, status, k.wantStatus)
		}
	}
	if _, code, _ = api.mutate(as(d), mAccept, map[string]any{"id": id}); code != "" {
		t.Fatal(code)
	}
	for _, k := range []struct {
		name string
		who  bridge.Principal
		q    string
		vars map[string]any
	}{
		{"withdraw after both accepted", as(c), mWithdraw, map[string]any{"id": id}},
		{"decline after both accepted", as(d), mDecline, map[string]any{"id": id}},
		{"propose after both accepted", secretariat, mTriage, map[string]any{"id": id}},
	} {
		if _, code, status := api.mutate(k.who, k.q, k.vars); code != "CONFLICT" || status != "INTRODUCED" {
			t.Errorf("%s: %s (status %q), want CONFLICT (INTRODUCED)", k.name, code, status)
		}
	}
	// Every transition is stored with who made it.
	data, _, _ = api.mutate(secretariat, `query($id: ID!) { introduction(id: $id) { history { action to actorRole actor { id } } } }`, map[string]any{"id": id})
	var got struct {
		History []struct {
			Action, To, ActorRole string
			Actor                 *struct{ ID string }
		}
	}
	_ = json.Unmarshal(data["introduction"], &got)
	want := []string{"REQUEST/REQUESTED/MEMBER", "PROPOSE/PROPOSED/SECRETARIAT", "ACCEPT/INTRODUCED/MEMBER"}
	if len(got.History) != len(want) {
		t.Fatalf("history %+v", got.History)
	}
	for k, h := range got.History {
		if h.Action+"/"+h.To+"/"+h.ActorRole != want[k] {
			t.Errorf("history[%d] = %+v, want %s", k, h, want[k])
		}
	}
	if got.History[0].Actor == nil || got.History[0].Actor.ID != gid("Person", c) {
		t.Errorf("the request's actor is %+v, want C", got.History[0].Actor)
	}
}

// TestConcurrentAcceptsEndInOneState: both sides accept at the same moment, many times; every run
// must end INTRODUCED with both notified exactly once, and one person answering twice at once
// gets one success and one CONFLICT.
func TestConcurrentAcceptsEndInOneState(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Frida"), openPerson("Gunnar"))
	f, g := ids[0], ids[1]
	api := newTestAPI(t, envProduction, nil)
	for run := range 5 {
		data, code, _ := api.mutate(secretariat, mPropose, map[string]any{"a": gid("Person", f), "b": gid("Person", g), "theme": themeFR, "cid": uuid.NewString()})
		if code != "" {
			t.Fatal(code)
		}
		id := decodeIntro(t, data, "proposeIntroduction").ID
		var wg sync.WaitGroup
		codes := make([]string, 3)
		for k, who := range []string{f, g, g} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, codes[k], _ = api.mutate(as(who), mAccept, map[string]any{"id": id})
			}()
		}
		wg.Wait()
		if codes[0] != "" || (codes[1] == "") == (codes[2] == "") {
			t.Errorf("run %d: answers %q; want F ok and exactly one of G's two answers ok", run, codes)
		}
		key := introKey(t, id)
		if got := fx.IntroductionAcceptances(t, key); got.Status != "INTRODUCED" || got.Transitions != 2 || got.Parties != 2 {
			t.Errorf("run %d: %+v", run, got)
		}
		if n := notifications(t, key); n[f+"/INTRODUCTION_INTRODUCED"] != 1 || n[g+"/INTRODUCTION_INTRODUCED"] != 1 {
			t.Errorf("run %d: notifications %v", run, n)
		}
	}
}

func TestIntroductionNotPossibleAndWeeklyLimit(t *testing.T) {
	closed := openPerson("Helga")
	closed.open = false
	noConsent := openPerson("Ivar")
	noConsent.consents = []bridge.ConsentPurpose{bridge.ConsentSuggest}
	full := openPerson("Jonna")
	full.capacity = 0
	ids, _ := introFixture(t, openPerson("Kalle"), closed, noConsent, full, openPerson("Liisa"), openPerson("Mats"))
	k := ids[0]
	cfg := testConfig(envProduction)
	cfg.IntroductionWeeklyLimit = 2
	api := newTestAPIWith(t, cfg, nil)
	var msgs []string
	for _, to := range ids[1:4] {
		data, code, _ := api.mutate(as(k), mRequest, map[string]any{"to": gid("Person", to), "theme": themeFR, "msg": "hi", "cid": uuid.NewString()})
		if code != "NOT_POSSIBLE" || data["requestIntroduction"] != nil && string(data["requestIntroduction"]) != "null" {
			t.Errorf("request to %s: %s, want NOT_POSSIBLE", to, code)
		}
		b, _ := json.Marshal(map[string]any{"query": mRequest, "variables": map[string]any{"to": gid("Person", to), "theme": themeFR, "msg": "hi", "cid": uuid.NewString()}})
		_, resp, _ := api.postAs(as(k), string(b))
		msgs = append(msgs, resp.Errors[0].Message)
	}
	if msgs[0] != msgs[1] || msgs[1] != msgs[2] {
		t.Errorf("the requester must not learn which rule said no: %q", msgs)
	}
	for n, to := range ids[4:] {
		_, code, _ := api.mutate(as(k), mRequest, map[string]any{"to": gid("Person", to), "theme": themeFR, "msg": "hi", "cid": uuid.NewString()})
		if code != "" {
			t.Fatalf("request %d: %s", n+1, code)
		}
	}
	if _, code, _ := api.mutate(as(k), mRequest, map[string]any{"to": gid("Person", ids[4]), "theme": themeFR, "msg": "again", "cid": uuid.NewString()}); code != "RATE_LIMITED" {
		t.Errorf("third request in a week: %s, want RATE_LIMITED", code)
	}
	// A request to someone who works on the theme in a country waits for the secretariat to pick.
	_, code, _ := api.mutate(as(ids[5]), mRequest, map[string]any{"theme": themeFR, "msg": "anyone in Iceland?", "cid": uuid.NewString(), "to": nil})
	if code != "BAD_USER_INPUT" {
		t.Errorf("no person and no country: %s, want BAD_USER_INPUT", code)
	}
}

func TestConsentPauseAndTheReadAPI(t *testing.T) {
	word := "Zqx" + uuid.NewString()[:6]
	p := openPerson(word)
	ids, _ := introFixture(t, p, openPerson("Olle"))
	n, o := ids[0], ids[1]
	api := newTestAPI(t, envProduction, nil)
	search := func() bool {
		_, _, raw := api.queryAs(as(o), `{ people(filter: {text: "`+word+`"}) { totalCount } }`)
		return strings.Contains(raw, `"totalCount":1`)
	}
	peerOf := func() bool {
		data, _, _ := api.mutate(as(o), `query($id: ID) { peers(personId: $id, first: 100) { person { id } introductionPossible } }`, map[string]any{"id": gid("Person", o)})
		return strings.Contains(string(data["peers"]), gid("Person", n))
	}
	if !search() {
		t.Fatal("the person is not found before withdrawing consent")
	}
	if _, code, _ := api.mutate(as(n), `mutation { withdrawConsent(purpose: SUGGEST) { purpose active withdrawnAt } }`, nil); code != "" {
		t.Fatal(code)
	}
	if search() || peerOf() {
		t.Error("withdrawn SUGGEST consent: still found in search or peers")
	}
	data, code, _ := api.mutate(as(n), `mutation($v: String!) { giveConsent(input: {purpose: SUGGEST, policyVersion: $v}) { purpose active source } }`,
		map[string]any{"v": bridge.CurrentPolicyVersion})
	if code != "" || !strings.Contains(string(data["giveConsent"]), `"active":true`) {
		t.Fatalf("give consent: %s %s", code, data["giveConsent"])
	}
	if !search() {
		t.Error("consent given again: not found")
	}
	if _, code, _ := api.mutate(as(n), `mutation { giveConsent(input: {purpose: SUGGEST, policyVersion: ""}) { purpose } }`, nil); code != "BAD_USER_INPUT" {
		t.Errorf("empty policy version: %s", code)
	}
	// Pause: hidden from members, seen by the secretariat, not introducible.
	if _, code, _ := api.mutate(as(n), `mutation { pauseMyProfile { paused } }`, nil); code != "" {
		t.Fatal(code)
	}
	if data, _, _ := api.mutate(as(o), `query($id: ID!) { person(id: $id) { id } }`, map[string]any{"id": gid("Person", n)}); string(data["person"]) != "null" {
		t.Errorf("a member sees a paused profile: %s", data["person"])
	}
	if data, _, _ := api.mutate(secretariat, `query($id: ID!) { person(id: $id) { paused } }`, map[string]any{"id": gid("Person", n)}); !strings.Contains(string(data["person"]), "true") {
		t.Errorf("the secretariat does not see the paused profile: %s", data["person"])
	}
	if search() || peerOf() {
		t.Error("a paused profile is found in search or peers")
	}
	if _, code, _ := api.mutate(as(o), mRequest, map[string]any{"to": gid("Person", n), "theme": themeFR, "msg": "hi", "cid": uuid.NewString()}); code != "NOT_FOUND" {
		t.Errorf("request to a paused profile: %s, want NOT_FOUND", code)
	}
	if _, code, _ := api.mutate(as(n), `mutation { resumeMyProfile { paused } }`, nil); code != "" {
		t.Fatal(code)
	}
	if !search() {
		t.Error("resumed profile not found")
	}
}

// TestExportThenEraseADemoPerson is acceptance 3 and 4 over the API: the export holds the
// person's introductions and the audit of who read their data; after erasure no property of any
// node or relationship holds their name or e-mail, and the anonymous introduction counts stay.
func TestExportThenEraseADemoPerson(t *testing.T) {
	tag := strings.ToLower(uuid.NewString()[:8])
	p := openPerson("Pirjo" + tag)
	ids, domain := introFixture(t, p, openPerson("Rasmus"), openPerson("Sanna"))
	me, other, third := ids[0], ids[1], ids[2]
	api := newTestAPI(t, envProduction, nil)
	data, code, _ := api.mutate(secretariat, mPropose, map[string]any{"a": gid("Person", me), "b": gid("Person", other), "theme": themeFR, "cid": uuid.NewString()})
	if code != "" {
		t.Fatal(code)
	}
	intro := decodeIntro(t, data, "proposeIntroduction").ID
	for _, who := range []string{me, other} {
		if _, code, _ := api.mutate(as(who), mAccept, map[string]any{"id": intro}); code != "" {
			t.Fatal(code)
		}
	}
	if !emailSeen(api, secretariat, me) {
		t.Fatal("the secretariat does not see the e-mail")
	}
	data, code, _ = api.mutate(as(me), `mutation { exportMyData { exportedAt document } }`, nil)
	if code != "" {
		t.Fatalf("export: %s", code)
	}
	var exp struct {
		ExportedAt string
		Document   struct {
			PersonID      string `json:"personId"`
			Introductions []struct {
				ID, Status, CounterpartName string
			}
			AuditEvents []struct{ Action, ActorRole, Detail string }
			Consents    []struct{ Purpose string }
		}
	}
	if err := json.Unmarshal(data["exportMyData"], &exp); err != nil {
		t.Fatal(err)
	}
	if exp.Document.PersonID != me || len(exp.Document.Introductions) != 1 || exp.Document.Introductions[0].ID != introKey(t, intro) ||
		exp.Document.Introductions[0].Status != "INTRODUCED" || !strings.HasPrefix(exp.Document.Introductions[0].CounterpartName, "Rasmus") {
		t.Errorf("export introductions: %+v", exp.Document.Introductions)
	}
	actions := map[string]bool{}
	for _, e := range exp.Document.AuditEvents {
		actions[e.Action+"/"+e.ActorRole] = true
	}
	if !actions["READ_CONTACT/SECRETARIAT"] || !actions["READ_CONTACT/MEMBER"] || !actions["EXPORT/MEMBER"] {
		t.Errorf("export audit events %v: want the secretariat's and the other party's reads and this export", actions)
	}
	if len(exp.Document.Consents) < 3 {
		t.Errorf("export consents: %+v", exp.Document.Consents)
	}

	needles := []string{"pirjo" + tag, "pirjo" + tag + ".0@" + domain}
	if len(fx.ValuesContaining(t, needles...)) < 2 {
		t.Fatal("the scan does not find the person before erasure: it would prove nothing after")
	}
	// An open introduction: erasure must not leave it waiting for someone who no longer exists.
	data, code, _ = api.mutate(secretariat, mPropose, map[string]any{"a": gid("Person", third), "b": gid("Person", me), "theme": themeFR, "cid": uuid.NewString()})
	if code != "" {
		t.Fatal(code)
	}
	open := decodeIntro(t, data, "proposeIntroduction").ID
	countsBefore := introCounts(t)
	if _, code, _ := api.mutate(as(me), `mutation { eraseMyProfile { introductionsAnonymised consentsDeleted } }`, nil); code != "" {
		t.Fatalf("erase: %s", code)
	}
	after := introCounts(t)
	total := func(m map[string]int64) (n int64) {
		for _, v := range m {
			n += v
		}
		return n
	}
	if total(after) != total(countsBefore) || after["INTRODUCED"] != countsBefore["INTRODUCED"] ||
		after["WITHDRAWN"] != countsBefore["WITHDRAWN"]+1 || after["PROPOSED"] != countsBefore["PROPOSED"]-1 {
		t.Errorf("introduction counts: %v -> %v; want the same total and the open one withdrawn", countsBefore, after)
	}
	data, _, _ = api.mutate(as(third), `query($id: ID!) { introduction(id: $id) { status } }`, map[string]any{"id": open})
	if !strings.Contains(string(data["introduction"]), "NOT_POSSIBLE") {
		t.Errorf("the other side of an open introduction sees %s after the erasure", data["introduction"])
	}
	if n := notifications(t, introKey(t, open)); n[third+"/INTRODUCTION_NOT_POSSIBLE"] != 1 {
		t.Errorf("the other side of the open introduction is not told: %v", n)
	}
	if found := fx.ValuesContaining(t, needles...); len(found) > 0 {
		t.Errorf("erased person's name or e-mail still in the graph: %v", found)
	}
	if _, _, raw := api.queryAs(secretariat, `{ people(filter: {text: "Pirjo`+tag+`"}) { totalCount } }`); !strings.Contains(raw, `"totalCount":0`) {
		t.Errorf("search still finds the erased person: %s", raw)
	}
	data, _, _ = api.mutate(as(other), `query($id: ID!) { introduction(id: $id) { status counterpart { id } } }`, map[string]any{"id": intro})
	if !strings.Contains(string(data["introduction"]), `"counterpart":null`) {
		t.Errorf("the other side's introduction after erasure: %s", data["introduction"])
	}
	if erase := fx.AuditEvents(t, fx.AuditFilter{Actions: []string{"ERASE"}, TargetIDs: []string{me}}); len(erase) != 1 {
		t.Errorf("%d ERASE audit events, want 1", len(erase))
	}
}

func introCounts(t *testing.T) map[string]int64 {
	return fx.IntroductionsByStatus(t)
}

// TestIntroductionsWithDemoHistory runs the queue and the workflow over demo people who already
// have introductions (history with a date only, no creation time).
func TestIntroductionsWithDemoHistory(t *testing.T) {
	gen := seedDemoPeople(t, 300, 1)
	past := gen.Introductions(0, 300)
	if len(past) == 0 {
		t.Fatal("the demo generator made no introductions")
	}
	api := newTestAPI(t, envProduction, nil)
	_, resp, raw := api.queryAs(secretariat, `{ introductions(first: 100) { totalCount counts { status count } edges { node { status introducedOn } } } }`)
	if len(resp.Errors) > 0 || !strings.Contains(raw, `"introducedOn":"20`) {
		t.Fatalf("the secretariat's queue over demo history: %s", raw)
	}
	_, resp, raw = api.queryAs(as(past[0].FromID), `{ introductions { totalCount edges { node { status introducedOn } } } }`)
	if len(resp.Errors) > 0 || strings.Contains(raw, `"totalCount":0`) {
		t.Fatalf("a demo person's own introductions: %s", raw)
	}
	ids, _ := introFixture(t, openPerson("Ulla"))
	for _, p := range past[:5] {
		_, code, _ := api.mutate(secretariat, mPropose, map[string]any{"a": gid("Person", ids[0]), "b": gid("Person", p.ToID), "theme": themeFR, "cid": uuid.NewString()})
		if code != "" && code != "NOT_POSSIBLE" {
			t.Errorf("proposing to a demo person with past introductions: %s", code)
		}
	}
}

// TestSecretariatRecordsAnswersGivenOffline: the secretariat proposes an introduction, both
// people answer it by e-mail and phone; it records the answers, the introduction is made exactly as if they had answered in
// Bridge (both see the other's contact details), and the history says who recorded what for whom
// by which channel. Members may not record answers; a non-party's answer names the field.
func TestSecretariatRecordsAnswersGivenOffline(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Ingrid"), openPerson("Jonas"), openPerson("Kaisa"))
	i, j, k := ids[0], ids[1], ids[2]
	api := newTestAPI(t, envProduction, nil)
	// The secretariat's own proposal: both sides are asked, neither has answered.
	data, code, _ := api.mutate(secretariat, `mutation($a: ID!, $b: ID!, $theme: ID!, $cid: String!) { proposeIntroduction(input: {requester: $a,
	  recipient: $b, theme: $theme, message: "You both work on this.", clientRequestId: $cid}) { id } }`,
		map[string]any{"a": gid("Person", i), "b": gid("Person", j), "theme": themeFR, "cid": uuid.NewString()})
	if code != "" {
		t.Fatal(code)
	}
	id := decodeIntro(t, data, "proposeIntroduction").ID
	record := `mutation($id: ID!, $p: ID!, $ch: AnswerChannel!) { recordIntroductionAnswer(input: {introduction: $id, person: $p, accept: true, channel: $ch, note: "said yes"}) { ` + introFields + ` } }`
	if res := api.call(as(i), record, map[string]any{"id": id, "p": gid("Person", j), "ch": "PHONE"}); res.code != "FORBIDDEN" {
		t.Fatalf("a member records an answer: %s", res.raw)
	}
	if res := api.call(secretariat, record, map[string]any{"id": id, "p": gid("Person", k), "ch": "PHONE"}); res.code != "BAD_USER_INPUT" || res.field != "input.person" {
		t.Fatalf("an answer for someone who is not a party: %s", res.raw)
	}
	if res := api.call(secretariat, record, map[string]any{"id": id, "p": gid("Person", i), "ch": "EMAIL"}); res.code != "" {
		t.Fatalf("recording the requester's answer: %s", res.raw)
	}
	data, code, _ = api.mutate(secretariat, record, map[string]any{"id": id, "p": gid("Person", j), "ch": "PHONE"})
	if v := decodeIntro(t, data, "recordIntroductionAnswer"); code != "" || v.Status != "INTRODUCED" {
		t.Fatalf("after both answers were recorded: %s %+v", code, v)
	}
	if !emailSeen(api, as(i), j) || !emailSeen(api, as(j), i) {
		t.Error("after answers recorded offline, the two do not see each other's contact details")
	}
	res := api.call(secretariat, `query($id: ID!) { introduction(id: $id) { history { action actorRole onBehalfOf { id } channel } parties { note } } }`, map[string]any{"id": id})
	for _, want := range []string{`{"action":"ACCEPT","actorRole":"SECRETARIAT","onBehalfOf":{"id":"` + gid("Person", i) + `"},"channel":"EMAIL"}`,
		`{"action":"ACCEPT","actorRole":"SECRETARIAT","onBehalfOf":{"id":"` + gid("Person", j) + `"},"channel":"PHONE"}`, `"note":"said yes"`} {
		if !strings.Contains(res.raw, want) {
			t.Errorf("the history lacks %s: %s", want, res.raw)
		}
	}
}

// TestSecretariatQueueFilters: the queue narrows by theme (a broad theme includes its narrower
// ones), by the countries of the people in it, by outcome and by when it was made; the counts per
// status follow those filters; bad values name their field.
func TestSecretariatQueueFilters(t *testing.T) {
	start := time.Now().UTC().Add(-time.Second)
	ids, _ := introFixture(t, openPerson("Lars"), openPerson("Maja"), openPerson("Niilo"), openPerson("Olöf")) // SE, NO, FI, IS
	api := newTestAPI(t, envProduction, nil)
	open := propose(t, api, ids[0], ids[1])
	// DateTime has seconds: the second introduction is made in a later second than the first.
	mid := time.Now().UTC().Truncate(time.Second).Add(time.Second)
	time.Sleep(time.Until(mid))
	done := propose(t, api, ids[2], ids[3], ids[2], ids[3])
	if _, code, _ := api.mutate(secretariat, `mutation($id: ID!) { recordIntroductionOutcome(id: $id, outcome: USEFUL) { id } }`, map[string]any{"id": done.ID}); code != "" {
		t.Fatal(code)
	}
	queue := `query($f: IntroductionFilter) { introductions(filter: $f, first: 50) { totalCount counts { status count } edges { node { id } } } }`
	type page struct {
		TotalCount int
		Counts     []struct {
			Status string
			Count  int
		}
		Edges []struct{ Node struct{ ID string } }
	}
	list := func(f map[string]any) page {
		t.Helper()
		f["createdAfter"] = start.Format(time.RFC3339) // only this test's introductions
		res := api.call(secretariat, queue, map[string]any{"f": f})
		var p page
		if res.code != "" || json.Unmarshal(res.data["introductions"], &p) != nil {
			t.Fatalf("queue %v: %s", f, res.raw)
		}
		return p
	}
	ids2 := func(p page) []string {
		var out []string
		for _, e := range p.Edges {
			out = append(out, e.Node.ID)
		}
		slices.Sort(out)
		return out
	}
	both := []string{open.ID, done.ID}
	slices.Sort(both)
	for name, c := range map[string]struct {
		f    map[string]any
		want []string
	}{
		"everything of the test": {map[string]any{}, both},
		"a person from Iceland":  {map[string]any{"countries": []string{"IS"}}, []string{done.ID}},
		"Norway, proposed":       {map[string]any{"countries": []string{"NO"}, "status": []string{"PROPOSED"}}, []string{open.ID}},
		"useful":                 {map[string]any{"outcomes": []string{"USEFUL"}}, []string{done.ID}},
		"the broader theme":      {map[string]any{"themes": []string{gid("Theme", "children-and-families")}}, both},
		"another theme":          {map[string]any{"themes": []string{gid("Theme", "health")}}, nil},
		"made before the second": {map[string]any{"createdBefore": mid.Format(time.RFC3339)}, []string{open.ID}},
	} {
		p := list(c.f)
		if got := ids2(p); !slices.Equal(got, c.want) || p.TotalCount != len(c.want) {
			t.Errorf("%s: %v (total %d), want %v", name, got, p.TotalCount, c.want)
		}
	}
	// The counts follow the filters but not the status filter: Norway's open one stays counted.
	p := list(map[string]any{"countries": []string{"NO", "IS"}, "status": []string{"COMPLETED"}})
	counts := map[string]int{}
	for _, c := range p.Counts {
		counts[c.Status] = c.Count
	}
	if counts["PROPOSED"] != 1 || counts["COMPLETED"] != 1 || p.TotalCount != 1 {
		t.Errorf("counts %v, total %d; want PROPOSED 1, COMPLETED 1, total 1", counts, p.TotalCount)
	}
	for field, f := range map[string]map[string]any{
		"filter.countries.0":   {"countries": []string{"Sweden"}},
		"filter.themes.0":      {"themes": []string{gid("Person", ids[0])}},
		"filter.createdBefore": {"createdAfter": start.Format(time.RFC3339), "createdBefore": start.Format(time.RFC3339)},
	} {
		if res := api.call(secretariat, queue, map[string]any{"f": f}); res.code != "BAD_USER_INPUT" || res.field != field {
			t.Errorf("%v: %s %s, want BAD_USER_INPUT at %s", f, res.code, res.field, field)
		}
	}
}

// TestIntroductionStatistics: the secretariat's counts over months move by exactly what this
// test does (one introduction made, introduced and found useful between an SE and a NO person);
// members may not read them.
func TestIntroductionStatistics(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Petra"), openPerson("Rolf")) // SE, NO
	api := newTestAPI(t, envProduction, nil)
	q := `{ introductionStatistics { from to total { made introduced met useful } months { month tally { made } }
	  countries { country tally { made introduced useful } } themes { theme tally { made } } } }`
	if res := api.call(as(ids[0]), q, nil); res.code != "FORBIDDEN" {
		t.Fatalf("a member reads the statistics: %s", res.raw)
	}
	type tally struct{ Made, Introduced, Met, Useful int }
	type stats struct {
		From, To  string
		Total     tally
		Months    []struct{ Month string }
		Countries []struct {
			Country string
			Tally   tally
		}
		Themes []struct {
			Theme string
			Tally tally
		}
	}
	read := func() stats {
		t.Helper()
		res := api.call(secretariat, q, nil)
		var s stats
		if res.code != "" || json.Unmarshal(res.data["introductionStatistics"], &s) != nil {
			t.Fatalf("statistics: %s", res.raw)
		}
		return s
	}
	before := read()
	if len(before.Months) != 12 || before.Months[11].Month != time.Now().UTC().Format("2006-01") {
		t.Fatalf("months %v: want twelve, this one the last", before.Months)
	}
	intro := propose(t, api, ids[0], ids[1], ids[0], ids[1])
	if _, code, _ := api.mutate(secretariat, `mutation($id: ID!) { recordIntroductionOutcome(id: $id, outcome: USEFUL) { id } }`, map[string]any{"id": intro.ID}); code != "" {
		t.Fatal(code)
	}
	after := read()
	if d := (tally{after.Total.Made - before.Total.Made, after.Total.Introduced - before.Total.Introduced,
		after.Total.Met - before.Total.Met, after.Total.Useful - before.Total.Useful}); d != (tally{1, 1, 1, 1}) {
		t.Errorf("the total moved by %+v, want one of each", d)
	}
	country := func(s stats, code string) tally {
		for _, c := range s.Countries {
			if c.Country == code {
				return c.Tally
			}
		}
		return tally{}
	}
	for _, c := range []string{"SE", "NO"} {
		if got := country(after, c).Useful - country(before, c).Useful; got != 1 {
			t.Errorf("%s: useful moved by %d, want 1", c, got)
		}
	}
	if got := country(after, "FI").Made - country(before, "FI").Made; got != 0 {
		t.Errorf("FI moved by %d, want 0", got)
	}
	if res := api.call(secretariat, `{ introductionStatistics(from: "2020-01-01", to: "2026-01-01") { from } }`, nil); res.code != "BAD_USER_INPUT" || res.field != "from" {
		t.Errorf("six years: %s", res.raw)
	}
}

// TestSecretariatNotesStayWithTheSecretariat: internal notes are added and read by the
// secretariat only; a party reading the same introduction gets no notes; an empty note names its
// field.
func TestSecretariatNotesStayWithTheSecretariat(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Siri"), openPerson("Tapio"))
	api := newTestAPI(t, envProduction, nil)
	intro := propose(t, api, ids[0], ids[1])
	add := `mutation($id: ID!, $text: String!) { addIntroductionNote(id: $id, text: $text) { notes { text authorRole } } }`
	if res := api.call(as(ids[0]), add, map[string]any{"id": intro.ID, "text": "mine"}); res.code != "FORBIDDEN" {
		t.Fatalf("a party adds a note: %s", res.raw)
	}
	if res := api.call(secretariat, add, map[string]any{"id": intro.ID, "text": "  "}); res.code != "BAD_USER_INPUT" || res.field != "text" {
		t.Fatalf("an empty note: %s", res.raw)
	}
	for _, text := range []string{"Called Tapio: back next week.", "Tapio prefers Finnish."} {
		if res := api.call(secretariat, add, map[string]any{"id": intro.ID, "text": text}); res.code != "" || !strings.Contains(res.raw, `"text":"`+text+`","authorRole":"SECRETARIAT"`) {
			t.Fatalf("add %q: %s", text, res.raw)
		}
	}
	read := `query($id: ID!) { introduction(id: $id) { notes { text } } }`
	if res := api.call(secretariat, read, map[string]any{"id": intro.ID}); !strings.Contains(res.raw, `"notes":[{"text":"Called Tapio: back next week."},{"text":"Tapio prefers Finnish."}]`) {
		t.Errorf("the secretariat reads %s", res.raw)
	}
	for _, who := range ids {
		if res := api.call(as(who), read, map[string]any{"id": intro.ID}); res.code != "" || !strings.Contains(res.raw, `"notes":null`) {
			t.Errorf("a party reads the notes: %s", res.raw)
		}
	}
}

// TestFollowUpAsksBothAndTheirAnswersCompleteIt: after the follow-up time both sides of an
// introduction are asked once (one INTRODUCTION_FOLLOW_UP each, never twice); each says how it
// went once; when both have, it is COMPLETED with the outcome their answers give, and the
// secretariat sees each answer. Someone else cannot answer.
func TestFollowUpAsksBothAndTheirAnswersCompleteIt(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Wilma"), openPerson("Xavier"), openPerson("Yrsa"))
	api := newTestAPI(t, envProduction, nil)
	intro := propose(t, api, ids[0], ids[1], ids[0], ids[1])
	store := testneo4j.Prepared(t, nil)
	cfg := testConfig(envProduction)
	cfg.IntroductionFollowUp = time.Hour
	svc := newIntroductions(cfg, store)
	followUps := func() int {
		t.Helper()
		n := 0
		for _, id := range ids[:2] {
			n += fx.NotificationsOf(t, id, bridge.NotificationFollowUp)
		}
		return n
	}
	if _, err := svc.FollowUp(t.Context()); err != nil || followUps() != 0 {
		t.Fatalf("an introduction of today was followed up: %v, %d", err, followUps())
	}
	fx.IntroducedOn(t, introKey(t, intro.ID), time.Now().AddDate(0, 0, -2))
	for range 2 {
		if _, err := svc.FollowUp(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if n := followUps(); n != 2 {
		t.Fatalf("%d follow-up notifications, want one to each side", n)
	}
	answer := `mutation($id: ID!, $o: IntroductionOutcome!) { answerFollowUp(id: $id, outcome: $o) { status myFollowUp outcome } }`
	if res := api.call(as(ids[2]), answer, map[string]any{"id": intro.ID, "o": "USEFUL"}); res.code != "NOT_FOUND" {
		t.Fatalf("someone else answers: %s", res.raw)
	}
	if res := api.call(as(ids[0]), answer, map[string]any{"id": intro.ID, "o": "USEFUL"}); res.code != "" || !strings.Contains(res.raw, `"status":"INTRODUCED","myFollowUp":"USEFUL","outcome":null`) {
		t.Fatalf("the first answer: %s", res.raw)
	}
	if res := api.call(as(ids[0]), answer, map[string]any{"id": intro.ID, "o": "MET"}); res.code != "CONFLICT" {
		t.Fatalf("a second answer: %s", res.raw)
	}
	if res := api.call(as(ids[1]), answer, map[string]any{"id": intro.ID, "o": "NO_CONTACT"}); res.code != "" || !strings.Contains(res.raw, `"status":"COMPLETED","myFollowUp":"NO_CONTACT","outcome":"USEFUL"`) {
		t.Fatalf("the second answer: %s", res.raw)
	}
	res := api.call(secretariat, `query($id: ID!) { introduction(id: $id) { parties { followUp } history { action } } }`, map[string]any{"id": intro.ID})
	if !strings.Contains(res.raw, `"followUp":"USEFUL"`) || !strings.Contains(res.raw, `"followUp":"NO_CONTACT"`) || !strings.Contains(res.raw, `"action":"FOLLOW_UP"`) {
		t.Errorf("the secretariat's view: %s", res.raw)
	}
}

// TestSecretariatTakesIntroductions: a secretariat account takes an introduction; the queue's
// handledBy filter (ME, NOBODY, OTHERS) is relative to whoever asks, its counts follow it, a
// colleague may take it over or release it, and neither a party nor a member sees who handles
// it or may take it.
func TestSecretariatTakesIntroductions(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Hanna"), openPerson("Ivar"))
	api := newTestAPI(t, envProduction, nil)
	intro := propose(t, api, ids[0], ids[1])
	desk := func(email string) bridge.Principal {
		return bridge.Principal{Role: bridge.RoleSecretariat,
			Account: &bridge.Account{Issuer: "https://id.example.org", Subject: uuid.NewString(), Email: email, EmailVerified: true}}
	}
	anna, bo := desk("anna@secretariat.example.org"), desk("bo@secretariat.example.org")
	take := `mutation($id: ID!) { takeIntroduction(id: $id) { handler handledByMe } }`
	release := `mutation($id: ID!) { releaseIntroduction(id: $id) { handler handledByMe } }`
	queue := `query($h: HandledBy!) { introductions(filter: {handledBy: $h}, first: 50) { totalCount counts { status count } edges { node { id handler } } } }`
	listed := func(who bridge.Principal, h string) (bool, string) {
		t.Helper()
		res := api.call(who, queue, map[string]any{"h": h})
		if res.code != "" {
			t.Fatalf("the queue handled by %s: %s", h, res.raw)
		}
		return strings.Contains(res.raw, `"id":"`+intro.ID+`"`), res.raw
	}
	if in, raw := listed(anna, "ME"); in || !strings.Contains(raw, `"totalCount":0`) || !strings.Contains(raw, `{"status":"PROPOSED","count":0}`) {
		t.Fatalf("before anyone took it, Anna's own queue: %s", raw)
	}
	if in, _ := listed(anna, "NOBODY"); !in {
		t.Fatal("an introduction nobody took is not in the queue of those nobody handles")
	}
	if res := api.call(anna, take, map[string]any{"id": intro.ID}); res.code != "" || !strings.Contains(res.raw, `"handler":"anna@secretariat.example.org","handledByMe":true`) {
		t.Fatalf("Anna takes it: %s", res.raw)
	}
	if in, raw := listed(anna, "ME"); !in || !strings.Contains(raw, `"totalCount":1`) || !strings.Contains(raw, `{"status":"PROPOSED","count":1}`) || !strings.Contains(raw, `{"status":"REQUESTED","count":0}`) {
		t.Fatalf("Anna's own queue: %s", raw)
	}
	if in, _ := listed(anna, "NOBODY"); in {
		t.Fatal("a taken introduction is still among those nobody handles")
	}
	if in, _ := listed(bo, "OTHERS"); !in {
		t.Fatal("Bo does not see Anna's introduction among his colleagues'")
	}
	if in, _ := listed(bo, "ME"); in {
		t.Fatal("Anna's introduction is in Bo's own queue")
	}
	for _, who := range []bridge.Principal{as(ids[0]), as(ids[1])} {
		res := api.call(who, `query($id: ID!) { introduction(id: $id) { handler handledByMe } }`, map[string]any{"id": intro.ID})
		if res.code != "" || !strings.Contains(res.raw, `"handler":null,"handledByMe":null`) {
			t.Errorf("a party reads who handles it: %s", res.raw)
		}
		if res := api.call(who, take, map[string]any{"id": intro.ID}); res.code != "FORBIDDEN" {
			t.Errorf("a party takes it: %s", res.raw)
		}
	}
	if res := api.call(bo, take, map[string]any{"id": intro.ID}); res.code != "" || !strings.Contains(res.raw, `"handler":"bo@secretariat.example.org","handledByMe":true`) {
		t.Fatalf("Bo takes it over: %s", res.raw)
	}
	if in, _ := listed(anna, "OTHERS"); !in {
		t.Fatal("after Bo took it over it is not among Anna's colleagues'")
	}
	if res := api.call(anna, release, map[string]any{"id": intro.ID}); res.code != "" || !strings.Contains(res.raw, `"handler":null,"handledByMe":false`) {
		t.Fatalf("Anna releases it: %s", res.raw)
	}
	if in, _ := listed(bo, "NOBODY"); !in {
		t.Fatal("a released introduction is not among those nobody handles")
	}
	if res := api.call(anna, take, map[string]any{"id": gid("Introduction", uuid.NewString())}); res.code != "NOT_FOUND" {
		t.Errorf("taking an introduction that does not exist: %s", res.raw)
	}
	if res := api.call(bridge.Principal{Role: bridge.RoleSecretariat}, take, map[string]any{"id": intro.ID}); res.code != "NOT_POSSIBLE" {
		t.Errorf("taking without an account: %s", res.raw)
	}
}
