package neo4jstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/auth"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/testneo4j"
	"github.com/nordic-integration/bridge/internal/websession"
)

// Reference data the privacy fixtures link to (seeded by testneo4j.Prepared).
const (
	privTheme        = "labour-market-establishment"
	privTheme2       = "health"
	privOrganisation = "se-ministry-employment"
	privGroup        = "expert-group-labour-market"
	privEvent        = "oslo-2017-labour-market-inclusion"
	privMunicipality = "SE-1280"
)

// privRandom returns n random bytes as hex.
func privRandom(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// privUUID returns a random UUID (version 4).
func privUUID(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// privLetters returns a random string of n lower-case letters: name parts that occur nowhere else.
func privLetters(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = 'a' + b[i]%26
	}
	return string(b)
}

// cypher runs raw test Cypher and fails the test on error.
func cypher(t *testing.T, s *neo4jstore.Store, q string, params map[string]any) []map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rows, err := s.CypherForTest(ctx, q, params)
	if err != nil {
		t.Fatalf("cypher %q: %v", q, err)
	}
	return rows
}

// privPerson writes a person with UpsertPeople (random id and e-mail unless set) and removes it,
// with its consents, accounts, notifications and audit events, when the test ends.
func privPerson(t *testing.T, s *neo4jstore.Store, p bridge.Person) bridge.Person {
	t.Helper()
	if p.ID == "" {
		p.ID = privUUID(t)
	}
	if p.GivenName == "" {
		p.GivenName, p.FamilyName = "Priv"+privLetters(t, 6), "Test"+privLetters(t, 6)
	}
	if p.Email == "" {
		p.Email = privRandom(t, 6) + "@privacy-test.example.org"
	}
	if p.Visibility == "" {
		p.Visibility = bridge.VisibilityMembers
	}
	if p.Source == "" {
		p.Source = bridge.SourceSelf
	}
	if p.CountryCode == "" {
		p.CountryCode, p.MunicipalityID = "SE", privMunicipality
	}
	p.Confirmed = true
	t.Cleanup(func() { privDeletePerson(t, s, p.ID) })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := s.UpsertPeople(ctx, []bridge.Person{p}); err != nil {
		t.Fatalf("upsert person: %v", err)
	}
	return p
}

// privDeletePerson removes a test person and everything the privacy tests hang on it.
func privDeletePerson(t *testing.T, s *neo4jstore.Store, id string) {
	t.Helper()
	for _, q := range []string{
		`MATCH (:Person {id: $id})-[:GAVE]->(c:Consent) DETACH DELETE c`,
		`MATCH (a:Account)-[:SIGNS_IN_AS]->(:Person {id: $id}) DETACH DELETE a`,
		`MATCH (n:Notification {recipientId: $id}) DETACH DELETE n`,
		`MATCH (e:AuditEvent) WHERE e.targetId = $id OR e.actorId = $id DETACH DELETE e`,
		`MATCH (p:Person {id: $id}) DETACH DELETE p`,
	} {
		cypher(t, s, q, map[string]any{"id": id})
	}
}

// privIntroduction creates an introduction with its parties, theme and transitions following
// docs/introductions.md, removed when the test ends. Each party is {id, side, response, note};
// each transition is {action, from, to, actorId, actorRole, minutesAgo}, numbered (seq) in order.
func privIntroduction(t *testing.T, s *neo4jstore.Store, props map[string]any, parties, transitions []map[string]any) string {
	t.Helper()
	id := privUUID(t)
	t.Cleanup(func() {
		cypher(t, s, `MATCH (i:Introduction {id: $id}) OPTIONAL MATCH (i)-[:HAS_TRANSITION]->(x:Transition) DETACH DELETE x, i`,
			map[string]any{"id": id})
	})
	cypher(t, s, `
CREATE (i:Introduction {id: $id, createdAt: datetime() - duration('P3D'), updatedAt: datetime() - duration('P1D'),
                        expiresAt: datetime() + duration('P30D'), demo: false})
SET i += $props
WITH i
MATCH (th:Theme {id: $theme}) CREATE (i)-[:ABOUT]->(th)
WITH i
UNWIND $parties AS party
MATCH (p:Person {id: party.id})
CREATE (p)-[:PARTY_TO {side: party.side, response: party.response, note: party.note,
                       respondedAt: CASE WHEN party.response <> 'PENDING' THEN datetime() - duration('P2D') END}]->(i)
WITH DISTINCT i
UNWIND range(0, size($transitions) - 1) AS seq
WITH i, seq, $transitions[seq] AS x
CREATE (i)-[:HAS_TRANSITION]->(:Transition {at: datetime() - duration({minutes: x.minutesAgo}), seq: seq, action: x.action,
        fromStatus: x.from, toStatus: x.to, actorId: x.actorId, actorRole: x.actorRole, requestId: 'req-' + x.action,
        onBehalfOf: x.onBehalfOf, channel: CASE WHEN x.onBehalfOf IS NOT NULL THEN 'PHONE' END})`,
		map[string]any{"id": id, "props": props, "theme": privTheme, "parties": parties, "transitions": transitions})
	return id
}

// onBehalf makes t an answer the secretariat recorded for the party personID.
func onBehalf(t map[string]any, personID string) map[string]any {
	t["onBehalfOf"] = personID
	return t
}

func party(id string, side bridge.Side, resp bridge.Response, note any) map[string]any {
	return map[string]any{"id": id, "side": string(side), "response": string(resp), "note": note}
}

func transition(action, from, to string, actorID any, role bridge.Role, minutesAgo int) map[string]any {
	var f any
	if from != "" {
		f = from
	}
	return map[string]any{"action": action, "from": f, "to": to, "actorId": actorID, "actorRole": string(role),
		"minutesAgo": int64(minutesAgo)}
}

// privNotification creates an outbox entry, removed when the test ends.
func privNotification(t *testing.T, s *neo4jstore.Store, recipientID, introductionID, status string) string {
	t.Helper()
	id := privUUID(t)
	t.Cleanup(func() { cypher(t, s, `MATCH (n:Notification {id: $id}) DETACH DELETE n`, map[string]any{"id": id}) })
	cypher(t, s, `
CREATE (:Notification {id: $id, kind: 'INTRODUCTION_ASKED', recipientId: $recipient, introductionId: $intro,
                       createdAt: datetime(), status: $status, attempts: 0, nextAttemptAt: datetime(),
                       sentAt: CASE WHEN $status = 'SENT' THEN datetime() END})`,
		map[string]any{"id": id, "recipient": recipientID, "intro": introductionID, "status": status})
	return id
}

// privAudit appends an audit event about a person as another part of the system would.
func privAudit(t *testing.T, s *neo4jstore.Store, action, targetID, actorID string, role bridge.Role) {
	t.Helper()
	cypher(t, s, `
CREATE (:AuditEvent {id: randomUUID(), at: datetime() - duration('PT1H'), action: $action, actorRole: $role,
                     actorId: $actor, targetId: $target, requestId: 'req-' + $action, detail: 'email'})`,
		map[string]any{"action": action, "role": string(role), "actor": actorID, "target": targetID})
}

// privAccount links a sign-in account to a person; removed with the person.
func privAccount(t *testing.T, s *neo4jstore.Store, personID, subject string) {
	t.Helper()
	cypher(t, s, `MATCH (p:Person {id: $person})
CREATE (:Account {id: $id, issuer: 'https://issuer.privacy-test.example', subject: $subject})-[:SIGNS_IN_AS]->(p)`,
		map[string]any{"person": personID, "id": privUUID(t), "subject": subject})
}

// personProp reads one property of a person (nil when absent).
func personProp(t *testing.T, s *neo4jstore.Store, id, prop string) any {
	t.Helper()
	rows := cypher(t, s, `MATCH (p:Person {id: $id}) RETURN p[$prop] AS v`, map[string]any{"id": id, "prop": prop})
	if len(rows) != 1 {
		t.Fatalf("person %s not found", id)
	}
	return rows[0]["v"]
}

var farFuture = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

func member(id string) bridge.AuditEntry {
	return bridge.AuditEntry{ActorRole: bridge.RoleMember, ActorID: id, RequestID: "req-member"}
}

func secretariat() bridge.AuditEntry {
	return bridge.AuditEntry{ActorRole: bridge.RoleSecretariat, ActorID: "secretariat-actor", RequestID: "req-secretariat"}
}

// auditActions returns the actions of the audit events about a person, newest first.
func auditActions(t *testing.T, s *neo4jstore.Store, id string) []string {
	t.Helper()
	events, err := s.AuditEvents(ctxT(t), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		out = append(out, string(e.Action))
	}
	return out
}

func TestConsentGiveWithdrawAndHistory(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	p := privPerson(t, s, bridge.Person{})

	if cs, err := s.Consents(ctx, p.ID); err != nil || len(cs) != 0 {
		t.Fatalf("Consents of a new person = %v, %v; want none", cs, err)
	}
	for _, prop := range []string{"suggestUntil", "introduceUntil", "shareContactUntil"} {
		if v := personProp(t, s, p.ID, prop); v != nil {
			t.Fatalf("a person without consent has %s = %v", prop, v)
		}
	}

	// Consent without expiry: the far-future sentinel on the person.
	first, err := s.GiveConsent(ctx, p.ID, bridge.ConsentInput{Purpose: bridge.ConsentSuggest, PolicyVersion: bridge.CurrentPolicyVersion},
		bridge.ConsentSourceSelf, member(p.ID))
	if err != nil {
		t.Fatal(err)
	}
	if first.ID == "" || first.Purpose != bridge.ConsentSuggest || first.Source != bridge.ConsentSourceSelf ||
		first.PolicyVersion != bridge.CurrentPolicyVersion || first.ActorRole != bridge.RoleMember ||
		!first.ExpiresAt.IsZero() || !first.WithdrawnAt.IsZero() || time.Since(first.GivenAt) > time.Minute {
		t.Fatalf("first consent = %+v", first)
	}
	if v, ok := personProp(t, s, p.ID, "suggestUntil").(time.Time); !ok || !v.Equal(farFuture) {
		t.Fatalf("suggestUntil = %v, want %v", v, farFuture)
	}

	// Giving it again with an expiry withdraws the first record and replaces the state.
	expires := time.Now().Add(30 * 24 * time.Hour).UTC().Truncate(time.Millisecond)
	second, err := s.GiveConsent(ctx, p.ID, bridge.ConsentInput{Purpose: bridge.ConsentSuggest, PolicyVersion: "2027-01", ExpiresAt: expires},
		bridge.ConsentSourceSecretariat, secretariat())
	if err != nil {
		t.Fatal(err)
	}
	if second.ID == first.ID || !second.ExpiresAt.Equal(expires) || second.ActorRole != bridge.RoleSecretariat {
		t.Fatalf("second consent = %+v", second)
	}
	if v, ok := personProp(t, s, p.ID, "suggestUntil").(time.Time); !ok || !v.Equal(expires) {
		t.Fatalf("suggestUntil = %v, want %v", v, expires)
	}
	if _, err := s.GiveConsent(ctx, p.ID, bridge.ConsentInput{Purpose: bridge.ConsentIntroduce, PolicyVersion: bridge.CurrentPolicyVersion},
		bridge.ConsentSourceSelf, member(p.ID)); err != nil {
		t.Fatal(err)
	}

	history, err := s.Consents(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(history) != 3 {
		t.Fatalf("history has %d records, want 3: %+v", len(history), history)
	}
	for i := 1; i < len(history); i++ {
		if history[i].GivenAt.After(history[i-1].GivenAt) {
			t.Fatalf("history not newest first: %+v", history)
		}
	}
	byID := map[string]bridge.Consent{}
	for _, c := range history {
		byID[c.ID] = c
	}
	now := time.Now()
	if old := byID[first.ID]; old.WithdrawnAt.IsZero() || old.Active(now) || old.WithdrawnAt.Before(old.GivenAt) {
		t.Fatalf("the replaced record is %+v, want withdrawn", old)
	}
	if cur := byID[second.ID]; !cur.Active(now) || cur.Active(expires.Add(time.Second)) {
		t.Fatalf("the current record is %+v: active now, inactive after its expiry wanted", cur)
	}

	// Withdrawal: at once, only that purpose, and idempotent.
	if err := s.WithdrawConsent(ctx, p.ID, bridge.ConsentSuggest, member(p.ID)); err != nil {
		t.Fatal(err)
	}
	if v := personProp(t, s, p.ID, "suggestUntil"); v != nil {
		t.Fatalf("suggestUntil after withdrawal = %v, want absent", v)
	}
	if v := personProp(t, s, p.ID, "introduceUntil"); v == nil {
		t.Fatal("withdrawing SUGGEST removed introduceUntil")
	}
	after1, err := s.Consents(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WithdrawConsent(ctx, p.ID, bridge.ConsentSuggest, member(p.ID)); err != nil {
		t.Fatalf("second withdrawal: %v", err)
	}
	after2, err := s.Consents(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(after1, after2) {
		t.Fatalf("a second withdrawal changed the records:\n%+v\n%+v", after1, after2)
	}
	for _, c := range after2 {
		if c.Purpose == bridge.ConsentSuggest && c.Active(time.Now()) {
			t.Fatalf("SUGGEST record still active after withdrawal: %+v", c)
		}
		if c.ID == second.ID && c.WithdrawnAt.IsZero() {
			t.Fatalf("the current SUGGEST record was not withdrawn: %+v", c)
		}
	}

	want := []string{string(bridge.AuditWithdrawConsent), string(bridge.AuditGiveConsent), string(bridge.AuditGiveConsent), string(bridge.AuditGiveConsent)}
	if got := auditActions(t, s, p.ID); !reflect.DeepEqual(got, want) {
		t.Fatalf("audit = %v, want %v", got, want)
	}
	events, err := s.AuditEvents(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e := events[len(events)-1]; e.Detail != "purpose=SUGGEST consent="+first.ID || e.ActorID != p.ID || e.TargetID != p.ID {
		t.Fatalf("first audit event = %+v", e)
	}
}

func TestConsentRefusesBadInputAndUnknownPeople(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	p := privPerson(t, s, bridge.Person{})
	unknown := privUUID(t)

	_, err := s.GiveConsent(ctx, p.ID, bridge.ConsentInput{Purpose: bridge.ConsentSuggest, PolicyVersion: "v1",
		ExpiresAt: time.Now().Add(-time.Hour)}, bridge.ConsentSourceSelf, member(p.ID))
	var e *bridge.Error
	if bridge.ErrorCode(err) != bridge.CodeBadUserInput || !errors.As(err, &e) || strings.Join(e.Field, ".") != "input.expiresAt" {
		t.Fatalf("past expiry = %v, want BAD_USER_INPUT at input.expiresAt", err)
	}
	if _, err := s.GiveConsent(ctx, p.ID, bridge.ConsentInput{Purpose: "MARKETING", PolicyVersion: "v1"},
		bridge.ConsentSourceSelf, member(p.ID)); bridge.ErrorCode(err) != bridge.CodeBadUserInput {
		t.Fatalf("unknown purpose = %v, want BAD_USER_INPUT", err)
	}
	if err := s.WithdrawConsent(ctx, p.ID, "suggestUntil", member(p.ID)); bridge.ErrorCode(err) != bridge.CodeBadUserInput {
		t.Fatalf("withdraw unknown purpose = %v, want BAD_USER_INPUT", err)
	}
	if cs, err := s.Consents(ctx, p.ID); err != nil || len(cs) != 0 {
		t.Fatalf("refused input wrote %v (%v)", cs, err)
	}
	if got := auditActions(t, s, p.ID); len(got) != 0 {
		t.Fatalf("refused input was audited: %v", got)
	}

	if _, err := s.GiveConsent(ctx, unknown, bridge.ConsentInput{Purpose: bridge.ConsentSuggest, PolicyVersion: "v1"},
		bridge.ConsentSourceSelf, member(unknown)); bridge.ErrorCode(err) != bridge.CodeNotFound {
		t.Fatalf("GiveConsent for nobody = %v, want NOT_FOUND", err)
	}
	if err := s.WithdrawConsent(ctx, unknown, bridge.ConsentSuggest, member(unknown)); bridge.ErrorCode(err) != bridge.CodeNotFound {
		t.Fatalf("WithdrawConsent for nobody = %v, want NOT_FOUND", err)
	}
	if _, err := s.Consents(ctx, unknown); bridge.ErrorCode(err) != bridge.CodeNotFound {
		t.Fatalf("Consents of nobody = %v, want NOT_FOUND", err)
	}
	if err := s.SetPaused(ctx, unknown, true, member(unknown), bridge.RightsAnswer{}); bridge.ErrorCode(err) != bridge.CodeNotFound {
		t.Fatalf("SetPaused for nobody = %v, want NOT_FOUND", err)
	}
	if rows := cypher(t, s, `MATCH (e:AuditEvent {targetId: $id}) RETURN count(e) AS n`, map[string]any{"id": unknown}); rows[0]["n"] != int64(0) {
		t.Fatalf("calls about nobody were audited: %v", rows)
	}
}

// TestConsentExpiresWithoutWithdrawal: an expired record is not active, "has consent now" is
// false on the person, and giving consent again leaves the expired record as it was (it expired;
// nobody withdrew it).
func TestConsentExpiresWithoutWithdrawal(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	p := privPerson(t, s, bridge.Person{})
	short, err := s.GiveConsent(ctx, p.ID, bridge.ConsentInput{Purpose: bridge.ConsentShareContact, PolicyVersion: "v1",
		ExpiresAt: time.Now().Add(1500 * time.Millisecond)}, bridge.ConsentSourceAcceptance, member(p.ID))
	if err != nil {
		t.Fatal(err)
	}
	has := func() bool {
		rows := cypher(t, s, `MATCH (p:Person {id: $id}) RETURN coalesce(p.shareContactUntil > datetime(), false) AS v`, map[string]any{"id": p.ID})
		return rows[0]["v"] == true
	}
	if !has() {
		t.Fatal("no SHARE_CONTACT consent right after giving it")
	}
	// It lapses at its expiry on the database's clock, with no write: poll until then.
	for deadline := short.ExpiresAt.Add(10 * time.Second); has(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("SHARE_CONTACT consent still holds after its expiry")
		}
	}
	if _, err := s.GiveConsent(ctx, p.ID, bridge.ConsentInput{Purpose: bridge.ConsentShareContact, PolicyVersion: "v1"},
		bridge.ConsentSourceSelf, member(p.ID)); err != nil {
		t.Fatal(err)
	}
	if !has() {
		t.Fatal("no SHARE_CONTACT consent after giving it again")
	}
	cs, err := s.Consents(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.ID == short.ID && (!c.WithdrawnAt.IsZero() || c.Active(time.Now())) {
			t.Fatalf("expired record = %+v, want expired and not withdrawn", c)
		}
	}
}

func TestSetPaused(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	p := privPerson(t, s, bridge.Person{})
	version := personProp(t, s, p.ID, "version")

	if err := s.SetPaused(ctx, p.ID, true, member(p.ID), bridge.RightsAnswer{}); err != nil {
		t.Fatal(err)
	}
	if v := personProp(t, s, p.ID, "paused"); v != true {
		t.Fatalf("paused = %v, want true", v)
	}
	if err := s.SetPaused(ctx, p.ID, true, member(p.ID), bridge.RightsAnswer{}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPaused(ctx, p.ID, false, secretariat(), bridge.RightsAnswer{}); err != nil {
		t.Fatal(err)
	}
	if v := personProp(t, s, p.ID, "paused"); v != nil {
		t.Fatalf("paused after resuming = %v, want the property absent", v)
	}
	if got, want := auditActions(t, s, p.ID), []string{string(bridge.AuditResume), string(bridge.AuditPause)}; !reflect.DeepEqual(got, want) {
		t.Fatalf("audit = %v, want %v (pausing twice is one change)", got, want)
	}
	if v := personProp(t, s, p.ID, "version"); !reflect.DeepEqual(v, version) {
		t.Fatalf("pausing changed the profile version %v -> %v", version, v)
	}
}

// TestUpsertPeopleConsents: the bulk writer of demo people and fixtures records their consents
// once, on deterministic ids, sets the person's state from the records, and changes nothing
// when it runs again, also after a withdrawal through the API.
func TestUpsertPeopleConsents(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	p := privPerson(t, s, bridge.Person{Consents: []bridge.ConsentPurpose{bridge.ConsentSuggest, bridge.ConsentIntroduce}})
	cs, err := s.Consents(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, c := range cs {
		ids[c.ID] = true
		if c.Source != bridge.ConsentSourceDemo || c.PolicyVersion != bridge.CurrentPolicyVersion || !c.Active(time.Now()) {
			t.Fatalf("bulk consent = %+v", c)
		}
	}
	wantIDs := map[string]bool{neo4jstore.BulkConsentIDForTest(p.ID, bridge.ConsentSuggest): true,
		neo4jstore.BulkConsentIDForTest(p.ID, bridge.ConsentIntroduce): true}
	if !reflect.DeepEqual(ids, wantIDs) {
		t.Fatalf("bulk consent ids %v, want %v", ids, wantIDs)
	}
	for id := range ids {
		if len(id) != 36 || id[14] != '5' {
			t.Fatalf("bulk consent id %q is not a version 5 UUID", id)
		}
	}
	for prop, want := range map[string]any{"suggestUntil": farFuture, "introduceUntil": farFuture, "shareContactUntil": nil} {
		got := personProp(t, s, p.ID, prop)
		if tm, ok := got.(time.Time); ok && want != nil && tm.Equal(want.(time.Time)) {
			continue
		}
		if got != want {
			t.Fatalf("%s = %v, want %v", prop, got, want)
		}
	}

	before, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertPeople(ctx, []bridge.Person{p}); err != nil {
		t.Fatal(err)
	}
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after.Nodes != before.Nodes || after.Relationships != before.Relationships || after.ByLabel["Consent"] != before.ByLabel["Consent"] {
		t.Fatalf("writing the person again changed the graph: %+v -> %+v", before, after)
	}

	// A withdrawal through the API survives the next bulk write, which creates no new record.
	if err := s.WithdrawConsent(ctx, p.ID, bridge.ConsentIntroduce, member(p.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpsertPeople(ctx, []bridge.Person{p}); err != nil {
		t.Fatal(err)
	}
	if v := personProp(t, s, p.ID, "introduceUntil"); v != nil {
		t.Fatalf("introduceUntil = %v after a withdrawal and a bulk write, want absent", v)
	}
	if v := personProp(t, s, p.ID, "suggestUntil"); v == nil {
		t.Fatal("suggestUntil lost by a bulk write")
	}
	if cs, err := s.Consents(ctx, p.ID); err != nil || len(cs) != 2 {
		t.Fatalf("records after withdrawal and bulk write: %v (%v), want the same 2", cs, err)
	}
}

func TestExportPersonData(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	x := privPerson(t, s, bridge.Person{Title: "Integration coordinator", Bio: "Works on labour market entry.",
		Phone: "+00 12 34 56 78", Languages: []string{"sv", "en"}, OpenToIntroductions: true, IntroductionsPerQuarter: 2,
		Themes:       []bridge.ThemeLink{{ThemeID: privTheme, Mode: bridge.ModeOffers}, {ThemeID: privTheme2, Mode: bridge.ModeSeeks}},
		Affiliations: []bridge.Affiliation{{OrganisationID: privOrganisation, Role: "Analyst", Since: "2021-03-01"}},
		Memberships:  []bridge.Membership{{GroupID: privGroup, Role: bridge.GroupRoleMember, Since: "2022-01-01"}},
		EventIDs:     []string{privEvent},
		Consents:     []bridge.ConsentPurpose{bridge.ConsentSuggest}})
	y := privPerson(t, s, bridge.Person{})
	z := privPerson(t, s, bridge.Person{})
	if _, err := s.GiveConsent(ctx, x.ID, bridge.ConsentInput{Purpose: bridge.ConsentIntroduce, PolicyVersion: bridge.CurrentPolicyVersion},
		bridge.ConsentSourceSelf, member(x.ID)); err != nil {
		t.Fatal(err)
	}
	subject := "sub-" + privRandom(t, 8)
	privAccount(t, s, x.ID, subject)
	secretariatID := privUUID(t)
	zMessage := "zmessage-" + privLetters(t, 10)
	xMessage := "xmessage-" + privLetters(t, 10)

	introduced := privIntroduction(t, s, map[string]any{"status": "INTRODUCED", "message": xMessage, "requestKey": x.ID + "/c1"},
		[]map[string]any{party(x.ID, bridge.SideRequester, bridge.ResponseAccepted, nil),
			party(y.ID, bridge.SideRecipient, bridge.ResponseAccepted, "ynote")},
		[]map[string]any{transition("REQUEST", "", "REQUESTED", x.ID, bridge.RoleMember, 300),
			transition("PROPOSE", "REQUESTED", "PROPOSED", secretariatID, bridge.RoleSecretariat, 200),
			transition("ACCEPT", "PROPOSED", "PROPOSED", y.ID, bridge.RoleMember, 100),
			transition("ACCEPT", "PROPOSED", "INTRODUCED", x.ID, bridge.RoleMember, 50)})
	proposed := privIntroduction(t, s, map[string]any{"status": "PROPOSED", "message": zMessage, "requestKey": z.ID + "/c1"},
		[]map[string]any{party(z.ID, bridge.SideRequester, bridge.ResponseAccepted, nil),
			party(x.ID, bridge.SideRecipient, bridge.ResponsePending, "my own note")},
		[]map[string]any{transition("REQUEST", "", "REQUESTED", z.ID, bridge.RoleMember, 90),
			transition("PROPOSE", "REQUESTED", "PROPOSED", secretariatID, bridge.RoleSecretariat, 80)})
	privNotification(t, s, x.ID, proposed, "PENDING")
	privAudit(t, s, "READ_CONTACT", x.ID, secretariatID, bridge.RoleSecretariat)

	audit := bridge.AuditEntry{ActorRole: bridge.RoleMember, ActorID: x.ID, RequestID: "req-export-" + privRandom(t, 4)}
	doc, err := s.ExportPersonData(ctx, x.ID, audit, bridge.RightsAnswer{})
	if err != nil {
		t.Fatal(err)
	}

	// The document is plain JSON: only types encoding/json writes as they are.
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch c := v.(type) {
		case nil, bool, int64, float64, string:
		case []any:
			for i, e := range c {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		case map[string]any:
			for k, e := range c {
				walk(path+"."+k, e)
			}
		default:
			t.Errorf("%s has type %T", path, v)
		}
	}
	walk("doc", doc)
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}

	for _, key := range []string{"format", "exportedAt", "personId", "profile", "municipality", "themes", "affiliations",
		"memberships", "eventsAttended", "practices", "accounts", "consents", "introductions", "notifications", "auditEvents"} {
		if _, ok := doc[key]; !ok {
			t.Errorf("section %s missing", key)
		}
	}
	if doc["format"] != bridge.ExportFormat || doc["personId"] != x.ID {
		t.Errorf("format %v, personId %v", doc["format"], doc["personId"])
	}
	if at, err := time.Parse(time.RFC3339, fmt.Sprint(doc["exportedAt"])); err != nil || time.Since(at) > time.Minute {
		t.Errorf("exportedAt = %v (%v)", doc["exportedAt"], err)
	}

	// Profile: every property but the internal ones.
	profile := doc["profile"].(map[string]any)
	props := cypher(t, s, `MATCH (p:Person {id: $id}) RETURN keys(p) AS keys`, map[string]any{"id": x.ID})[0]["keys"].([]any)
	var wantKeys []string
	for _, k := range props {
		if k := k.(string); !slices.Contains([]string{"emailKey", "searchText", "version"}, k) {
			wantKeys = append(wantKeys, k)
		}
	}
	gotKeys := make([]string, 0, len(profile))
	for k := range profile {
		gotKeys = append(gotKeys, k)
	}
	sort.Strings(wantKeys)
	sort.Strings(gotKeys)
	if !reflect.DeepEqual(gotKeys, wantKeys) {
		t.Errorf("profile keys %v, want %v", gotKeys, wantKeys)
	}
	if profile["email"] != x.Email || profile["givenName"] != x.GivenName || profile["phone"] != x.Phone ||
		profile["suggestUntil"] != "9999-12-31T00:00:00Z" || !reflect.DeepEqual(profile["languages"], []any{"sv", "en"}) {
		t.Errorf("profile = %v", profile)
	}

	section := func(key string) []map[string]any {
		list, ok := doc[key].([]any)
		if !ok {
			t.Fatalf("%s is %T, want a list", key, doc[key])
		}
		out := make([]map[string]any, len(list))
		for i, e := range list {
			out[i] = e.(map[string]any)
		}
		return out
	}
	if m, _ := doc["municipality"].(map[string]any); m["id"] != privMunicipality || m["country"] != "SE" {
		t.Errorf("municipality = %v", doc["municipality"])
	}
	if th := section("themes"); len(th) != 2 || th[0]["themeId"] != privTheme2 || th[0]["mode"] != "SEEKS" || th[1]["mode"] != "OFFERS" {
		t.Errorf("themes = %v", th)
	}
	if a := section("affiliations"); len(a) != 1 || a[0]["organisationId"] != privOrganisation || a[0]["role"] != "Analyst" ||
		a[0]["since"] != "2021-03-01" || a[0]["name"] == nil {
		t.Errorf("affiliations = %v", a)
	}
	if m := section("memberships"); len(m) != 1 || m[0]["groupId"] != privGroup || m[0]["role"] != "MEMBER" {
		t.Errorf("memberships = %v", m)
	}
	if e := section("eventsAttended"); len(e) != 1 || e[0]["eventId"] != privEvent || len(fmt.Sprint(e[0]["startDate"])) != 10 {
		t.Errorf("eventsAttended = %v", e)
	}
	if a := section("accounts"); len(a) != 1 || a[0]["subject"] != subject {
		t.Errorf("accounts = %v", a)
	}
	if c := section("consents"); len(c) != 2 || c[0]["purpose"] != "INTRODUCE" || c[0]["source"] != "SELF" || c[1]["source"] != "DEMO" {
		t.Errorf("consents = %v", c)
	}
	if n := section("notifications"); len(n) != 1 || n[0]["introductionId"] != proposed || n[0]["status"] != "PENDING" {
		t.Errorf("notifications = %v", n)
	}

	intros := map[string]map[string]any{}
	for _, i := range section("introductions") {
		intros[i["id"].(string)] = i
	}
	if len(intros) != 2 {
		t.Fatalf("introductions = %v", intros)
	}
	in := intros[introduced]
	if in["status"] != "INTRODUCED" || in["side"] != "REQUESTER" || in["response"] != "ACCEPTED" || in["message"] != xMessage ||
		in["counterpartName"] != y.GivenName+" "+y.FamilyName || in["createdAt"] == nil {
		t.Errorf("introduced = %v", in)
	}
	if th, _ := in["theme"].(map[string]any); th["themeId"] != privTheme {
		t.Errorf("introduced theme = %v", in["theme"])
	}
	// Their own transitions in full; of the others' only the status changes they could see (y's
	// acceptance before theirs is not one).
	trs, _ := in["transitions"].([]any)
	if len(trs) != 3 {
		t.Fatalf("transitions = %v", trs)
	}
	for i, tr := range trs {
		m := tr.(map[string]any)
		own := i == 0 || i == 2
		if (own && (m["actorId"] != x.ID || m["action"] == nil || m["actorRole"] != "MEMBER")) ||
			(!own && (m["actorId"] != nil || m["action"] != nil || m["actorRole"] != nil)) || m["at"] == nil || m["toStatus"] == nil {
			t.Errorf("transition %d = %v", i, m)
		}
	}
	pr := intros[proposed]
	if pr["status"] != "PROPOSED" || pr["side"] != "RECIPIENT" || pr["response"] != "PENDING" || pr["message"] != nil ||
		pr["counterpartName"] != nil || pr["note"] != "my own note" {
		t.Errorf("proposed = %v", pr)
	}

	audits := section("auditEvents")
	if len(audits) < 3 || audits[0]["action"] != string(bridge.AuditExport) || audits[0]["requestId"] != audit.RequestID || audits[0]["actorId"] != x.ID {
		t.Fatalf("auditEvents = %v, want the export itself first", audits)
	}
	var read map[string]any
	for _, a := range audits {
		if a["action"] == "READ_CONTACT" {
			read = a
		}
	}
	if read == nil || read["actorRole"] != "SECRETARIAT" || read["actorId"] != nil || read["at"] == nil {
		t.Errorf("READ_CONTACT event = %v", read)
	}

	// Nothing about the other people beyond a counterpart's name once introduced.
	for what, secret := range map[string]string{"y id": y.ID, "z id": z.ID, "z name": z.FamilyName, "z message": zMessage,
		"y note": "ynote", "secretariat id": secretariatID, "y e-mail": y.Email, "e-mail key": "emailKey"} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the export contains the %s", what)
		}
	}

	if got := auditActions(t, s, x.ID); len(got) == 0 || got[0] != string(bridge.AuditExport) {
		t.Errorf("audit = %v, want EXPORT first", got)
	}
	unknown := privUUID(t)
	if _, err := s.ExportPersonData(ctx, unknown, audit, bridge.RightsAnswer{}); bridge.ErrorCode(err) != bridge.CodeNotFound {
		t.Errorf("export of nobody = %v, want NOT_FOUND", err)
	}
	if got := auditActions(t, s, unknown); len(got) != 0 {
		t.Errorf("export of nobody was audited: %v", got)
	}
}

// qScan finds every property value of every node and relationship (strings, and lists of
// strings) containing one of $needles, ignoring case; nodes with a label in $skipLabels are not
// looked at.
const qScan = `
CALL () {
  MATCH (n) WHERE none(l IN labels(n) WHERE l IN $skipLabels)
  UNWIND keys(n) AS k
  WITH n, k, n[k] AS v
  UNWIND CASE WHEN v IS :: STRING THEN [v] WHEN v IS :: LIST<STRING> THEN v ELSE [] END AS str
  WITH n, k, str WHERE any(x IN $needles WHERE toLower(str) CONTAINS x)
  RETURN 'node ' + reduce(s = '', l IN labels(n) | s + ':' + l) + '.' + k AS hit
  UNION ALL
  MATCH ()-[r]->()
  UNWIND keys(r) AS k
  WITH r, k, r[k] AS v
  UNWIND CASE WHEN v IS :: STRING THEN [v] WHEN v IS :: LIST<STRING> THEN v ELSE [] END AS str
  WITH r, k, str WHERE any(x IN $needles WHERE toLower(str) CONTAINS x)
  RETURN 'relationship :' + type(r) + '.' + k AS hit
}
RETURN DISTINCT hit ORDER BY hit`

func scan(t *testing.T, s *neo4jstore.Store, needles []string, skipLabels ...string) []string {
	t.Helper()
	lower := make([]any, len(needles))
	for i, n := range needles {
		lower[i] = strings.ToLower(n)
	}
	skip := make([]any, 0, len(skipLabels))
	for _, l := range skipLabels {
		skip = append(skip, l)
	}
	var hits []string
	for _, r := range cypher(t, s, qScan, map[string]any{"needles": lower, "skipLabels": skip}) {
		hits = append(hits, r["hit"].(string))
	}
	return hits
}

func introductionsByStatus(t *testing.T, s *neo4jstore.Store) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, r := range cypher(t, s, `MATCH (i:Introduction) RETURN coalesce(i.status, '') AS status, count(*) AS n`, nil) {
		out[r["status"].(string)] = r["n"].(int64)
	}
	return out
}

func TestErasePersonLeavesNoPersonalData(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	given, family := "Zqx"+privLetters(t, 9), "Vyk"+privLetters(t, 9)
	email := "Mail." + privLetters(t, 10) + "@Privacy-Test.example.org"
	e := privPerson(t, s, bridge.Person{GivenName: given, FamilyName: family, Email: email,
		Title: "Coordinator " + family, Bio: "I am " + given + " " + family + ".", Phone: "+00 99 88 77 66",
		Languages: []string{"sv"}, OpenToIntroductions: true, IntroductionsPerQuarter: 3,
		Themes:       []bridge.ThemeLink{{ThemeID: privTheme, Mode: bridge.ModeBoth}},
		Affiliations: []bridge.Affiliation{{OrganisationID: privOrganisation, Role: "Advisor to " + family, Since: "2020-01-01"}},
		Memberships:  []bridge.Membership{{GroupID: privGroup, Role: bridge.GroupRoleMember, Since: "2021-01-01"}},
		EventIDs:     []string{privEvent},
		Consents:     []bridge.ConsentPurpose{bridge.ConsentSuggest, bridge.ConsentIntroduce}})
	c := privPerson(t, s, bridge.Person{})
	if _, err := s.GiveConsent(ctx, e.ID, bridge.ConsentInput{Purpose: bridge.ConsentShareContact, PolicyVersion: bridge.CurrentPolicyVersion},
		bridge.ConsentSourceAcceptance, member(e.ID)); err != nil {
		t.Fatal(err)
	}
	privAccount(t, s, e.ID, strings.ToLower(email)) // some providers use the e-mail as the subject
	// A web session open under that account, on whichever instance: erasure signs it out.
	if err := s.WebSessions().PutSession(ctx, randomKey(t), websession.Session{Identity: auth.Identity{
		Issuer: "https://issuer.privacy-test.example", Subject: strings.ToLower(email), Email: email, Role: bridge.RoleMember,
		Name: given + " " + family}, CSRFToken: "t", Expires: time.Now().Add(time.Hour), IdleExpires: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	secretariatID := privUUID(t)
	cMessage := "Hello from the requester " + privLetters(t, 6)

	introduced := privIntroduction(t, s, map[string]any{"status": "INTRODUCED", "outcome": "MET", "message": cMessage,
		"requestKey": c.ID + "/r1", "introducedOn": neo4jDate(t, s, "2026-10-01")},
		[]map[string]any{party(c.ID, bridge.SideRequester, bridge.ResponseAccepted, nil),
			party(e.ID, bridge.SideRecipient, bridge.ResponseAccepted, "Note by "+given)},
		[]map[string]any{transition("REQUEST", "", "REQUESTED", c.ID, bridge.RoleMember, 300),
			transition("PROPOSE", "REQUESTED", "PROPOSED", secretariatID, bridge.RoleSecretariat, 200),
			onBehalf(transition("ACCEPT", "PROPOSED", "PROPOSED", secretariatID, bridge.RoleSecretariat, 100), e.ID),
			transition("ACCEPT", "PROPOSED", "INTRODUCED", c.ID, bridge.RoleMember, 50)})
	requested := privIntroduction(t, s, map[string]any{"status": "REQUESTED", "wantedCountry": "NO",
		"message":    "Please introduce me, " + given + " " + family + " (" + strings.ToLower(email) + "), to someone",
		"requestKey": e.ID + "/r1"},
		[]map[string]any{party(e.ID, bridge.SideRequester, bridge.ResponseAccepted, nil)},
		[]map[string]any{transition("REQUEST", "", "REQUESTED", e.ID, bridge.RoleMember, 40)})
	// The secretariat's note naming the person: deleted with them.
	if _, err := s.AddIntroductionNote(ctx, introduced, bridge.IntroductionNote{At: time.Now(), Text: "Called " + given + " " + family,
		AuthorID: secretariatID, AuthorRole: bridge.RoleSecretariat}, "req-note"); err != nil {
		t.Fatal(err)
	}
	privNotification(t, s, e.ID, introduced, "PENDING")
	privNotification(t, s, e.ID, introduced, "SENT")
	toCounterpart := privNotification(t, s, c.ID, introduced, "PENDING")
	privAudit(t, s, "READ_CONTACT", e.ID, secretariatID, bridge.RoleSecretariat)
	privAudit(t, s, "UPDATE_PERSON", e.ID, secretariatID, bridge.RoleSecretariat)

	needles := []string{given, family, email}
	// The scan finds the person's data where this test put it: it can fail.
	before := scan(t, s, needles)
	for _, want := range []string{"node :Person.name", "node :Person.bio", "node :Person.email", "node :Person.emailKey",
		"node :Introduction.message", "node :Account.subject", "node :WebSession.email", "node :IntroductionNote.text", "relationship :PARTY_TO.note", "relationship :WORKS_AT.role"} {
		if !slices.Contains(before, want) {
			t.Fatalf("the scan before erasure found %v, want %s among them", before, want)
		}
	}
	statusBefore := introductionsByStatus(t, s)
	counts, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}

	res, err := s.ErasePerson(ctx, e.ID, bridge.AuditEntry{ActorRole: bridge.RoleSecretariat, ActorID: secretariatID, RequestID: "req-erase"}, bridge.RightsAnswer{})
	if err != nil {
		t.Fatal(err)
	}
	want := bridge.ErasureResult{IntroductionsAnonymised: 2, TransitionsCleared: 2, ConsentsDeleted: 3, AccountsDeleted: 1, NotificationsDeleted: 2}
	if res != want {
		t.Errorf("ErasePerson = %+v, want %+v", res, want)
	}

	if hits := scan(t, s, needles); len(hits) > 0 {
		t.Errorf("personal data of the erased person remains in %v", hits)
	}
	// The erased id remains only in audit events and in the one PERSON_ERASED notification to the
	// data-protection contact (pseudonymous, leading nowhere).
	if hits := scan(t, s, []string{e.ID}, "AuditEvent", "Notification"); len(hits) > 0 {
		t.Errorf("the erased id remains in %v", hits)
	}
	if rows := cypher(t, s, `MATCH (n:Notification) WHERE any(k IN keys(n) WHERE n[k] = $id) RETURN n.kind AS kind, n.subjectId AS subject, n.recipientId AS to`,
		map[string]any{"id": e.ID}); len(rows) != 1 || rows[0]["kind"] != bridge.NotificationPersonErased || rows[0]["to"] != nil {
		t.Errorf("notifications naming the erased id: %v, want only the PERSON_ERASED one to the secretariat", rows)
	}
	// The same introductions stay; the open one (REQUESTED) is withdrawn for the system, since
	// nobody can answer for the erased person any more.
	wantStatus := map[string]int64{}
	for k, v := range statusBefore {
		wantStatus[k] = v
	}
	wantStatus["REQUESTED"]--
	wantStatus["WITHDRAWN"]++
	for k, v := range wantStatus {
		if v == 0 {
			delete(wantStatus, k)
		}
	}
	if got := introductionsByStatus(t, s); !reflect.DeepEqual(got, wantStatus) {
		t.Errorf("introductions by status %v -> %v, want %v", statusBefore, got, wantStatus)
	}
	after, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Notifications: as many come as go (0 fewer): the erased person's two go; PERSON_ERASED (the
	// data-protection contact) and one INTRODUCTION_PARTY_ERASED (the other side of the connected
	// introduction) come.
	for label, gone := range map[string]int64{"Person": 1, "Consent": 3, "Account": 1, "Notification": 0, "Introduction": 0,
		"Transition": -1, "Organisation": 0, "Theme": 0, "ExpertGroup": 0, "Event": 0, "AuditEvent": -1} {
		if after.ByLabel[label] != counts.ByLabel[label]-gone {
			t.Errorf("%s nodes %d -> %d, want %d fewer", label, counts.ByLabel[label], after.ByLabel[label], gone)
		}
	}

	// The introductions stay, anonymised.
	rows := cypher(t, s, `
MATCH (i:Introduction) WHERE i.id IN $ids
RETURN i.id AS id, i.status AS status, i.outcome AS outcome, i.anonymised AS anonymised, i.message AS message,
       i.requestKey AS requestKey, i.wantedCountry AS wantedCountry, i.createdAt IS NOT NULL AS dated,
       i.introducedOn IS NOT NULL AS introducedOn,
       COLLECT { MATCH (i)-[:ABOUT]->(t:Theme) RETURN t.id } AS themes,
       COLLECT { MATCH (p:Person)-[r:PARTY_TO]->(i) RETURN p.id + ':' + r.side } AS parties,
       COLLECT { MATCH (i)-[:HAS_TRANSITION]->(x:Transition) RETURN coalesce(x.actorId, '-') + ':' + x.action AS a ORDER BY a } AS actors`,
		map[string]any{"ids": []any{introduced, requested}})
	if len(rows) != 2 {
		t.Fatalf("introductions after erasure: %v", rows)
	}
	for _, r := range rows {
		if r["anonymised"] != true || r["dated"] != true || !reflect.DeepEqual(r["themes"], []any{privTheme}) {
			t.Errorf("introduction %v", r)
		}
		switch r["id"] {
		case introduced:
			// e's acceptance was recorded by the secretariat on e's behalf: the recorder stays.
			wantActors := []any{secretariatID + ":ACCEPT", c.ID + ":ACCEPT", c.ID + ":REQUEST", secretariatID + ":PROPOSE"}
			sort.Slice(wantActors, func(i, j int) bool { return wantActors[i].(string) < wantActors[j].(string) })
			if r["status"] != "INTRODUCED" || r["outcome"] != "MET" || r["message"] != cMessage || r["requestKey"] != c.ID+"/r1" ||
				r["introducedOn"] != true || !reflect.DeepEqual(r["parties"], []any{c.ID + ":REQUESTER"}) ||
				!reflect.DeepEqual(r["actors"], wantActors) {
				t.Errorf("introduced introduction after erasure: %v", r)
			}
		case requested:
			if r["status"] != "WITHDRAWN" || r["message"] != nil || r["requestKey"] != nil || r["wantedCountry"] != "NO" ||
				len(r["parties"].([]any)) != 0 || !reflect.DeepEqual(r["actors"], []any{"-:REQUEST", "-:WITHDRAW"}) {
				t.Errorf("requested introduction after erasure: %v", r)
			}
		}
	}
	if rows := cypher(t, s, `MATCH (p:Person {id: $id}) RETURN p.id AS id`, map[string]any{"id": c.ID}); len(rows) != 1 {
		t.Error("the counterpart was erased too")
	}
	if rows := cypher(t, s, `MATCH (n:Notification {id: $id}) RETURN n.id AS id`, map[string]any{"id": toCounterpart}); len(rows) != 1 {
		t.Error("the counterpart's notification was deleted")
	}

	events, err := s.AuditEvents(ctx, e.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, ev := range events {
		actions = append(actions, string(ev.Action))
	}
	// GIVE_CONSENT (SHARE_CONTACT), READ_CONTACT and UPDATE_PERSON stay; ERASE is the newest.
	if len(events) != 4 || events[0].Action != bridge.AuditErase || !slices.Contains(actions, "READ_CONTACT") ||
		!slices.Contains(actions, string(bridge.AuditGiveConsent)) {
		t.Fatalf("audit after erasure = %v, want ERASE first and the earlier events kept", actions)
	}
	erase := events[0]
	if erase.ActorID != secretariatID || erase.ActorRole != bridge.RoleSecretariat || erase.RequestID != "req-erase" ||
		erase.Detail != "introductions=2 transitions=2 consents=3 accounts=1 notifications=2" {
		t.Errorf("ERASE event = %+v", erase)
	}

	if _, err := s.ErasePerson(ctx, e.ID, secretariat(), bridge.RightsAnswer{}); bridge.ErrorCode(err) != bridge.CodeNotFound {
		t.Errorf("erasing again = %v, want NOT_FOUND", err)
	}
	if again, err := s.AuditEvents(ctx, e.ID); err != nil || len(again) != 4 {
		t.Errorf("erasing again was audited: %v (%v)", again, err)
	}
}

// neo4jDate returns a Cypher date for an ISO date, as the introductions store writes introducedOn.
func neo4jDate(t *testing.T, s *neo4jstore.Store, iso string) any {
	t.Helper()
	return cypher(t, s, `RETURN date($d) AS d`, map[string]any{"d": iso})[0]["d"]
}

// TestConsentConcurrentGivesLeaveOneActive: consent given for the same purpose from several
// requests at once ends with exactly one active record (each give withdraws the one before),
// because every change takes the person's lock first.
func TestConsentConcurrentGivesLeaveOneActive(t *testing.T) {
	ctx := ctxT(t)
	s := testneo4j.Prepared(t, nil)
	p := privPerson(t, s, bridge.Person{})
	const n = 8
	errs := make(chan error, n)
	for i := range n {
		go func() {
			in := bridge.ConsentInput{Purpose: bridge.ConsentIntroduce, PolicyVersion: fmt.Sprintf("v%d", i)}
			_, err := s.GiveConsent(ctx, p.ID, in, bridge.ConsentSourceSelf, member(p.ID))
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	cs, err := s.Consents(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	active := 0
	for _, c := range cs {
		if c.Active(time.Now()) {
			active++
		}
	}
	if len(cs) != n || active != 1 {
		t.Fatalf("%d records, %d active; want %d records and exactly one active", len(cs), active, n)
	}
}
