package neo4jstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// The outbox tests share the test database with every other test. They keep to their own data in
// two ways: every node they create has an id starting with a prefix of their own (removed in
// t.Cleanup), and their notifications are due in 1970, each test on a day of its own, and claimed
// with "now" on that day, so a claim never takes a notification that anything else wrote (those
// are due at the time they were written).

// Test-only Cypher for fixtures and reading statuses back.
const (
	qOutboxTestPerson = `
CREATE (p:Person {id: $id, visibility: 'PUBLIC', confirmed: true, source: 'SELF', demo: false})
SET p += $props
WITH p
UNWIND $orgs AS org
MERGE (o:Organisation {id: org.id}) ON CREATE SET o.name = org.name, o.kind = 'CIVIL_SOCIETY', o.active = true, o.demo = false
CREATE (p)-[:WORKS_AT {role: 'Adviser'}]->(o)`
	qOutboxTestIntroduction = `
MATCH (t:Theme {id: $themeId})
CREATE (i:Introduction {id: $id, status: $status, createdAt: datetime()})-[:ABOUT]->(t)
WITH i
UNWIND range(0, size($parties) - 1) AS k
MATCH (p:Person {id: $parties[k]})
CREATE (p)-[:PARTY_TO {side: CASE k WHEN 0 THEN 'REQUESTER' ELSE 'RECIPIENT' END, response: 'ACCEPTED'}]->(i)`
	qOutboxTestNotification = `
CREATE (n:Notification {id: $id, kind: $kind, recipientId: $recipientId, introductionId: $introductionId,
  createdAt: $at, status: $status, attempts: 0, nextAttemptAt: $at})
SET n.claimedAt = $claimedAt`
	qOutboxTestNotificationState = `
MATCH (n:Notification {id: $id})
RETURN n.status AS status, n.attempts AS attempts, n.lastError AS lastError, n.nextAttemptAt AS nextAttemptAt,
  n.sentAt AS sentAt, n.claimedAt AS claimedAt, n._LOCK_ AS lock`
	qOutboxTestCleanup = `
CALL {
  MATCH (n:Notification) WHERE n.id STARTS WITH $prefix RETURN n
  UNION MATCH (n:Introduction) WHERE n.id STARTS WITH $prefix RETURN n
  UNION MATCH (n:Person) WHERE n.id STARTS WITH $prefix RETURN n
  UNION MATCH (n:Organisation) WHERE n.id STARTS WITH $prefix RETURN n
}
DETACH DELETE n`
)

// outboxDay is a day in 1970 that only one test uses for its notifications' nextAttemptAt.
func outboxDay(day int) time.Time {
	return time.Date(1970, 1, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, day)
}

type outboxFixture struct {
	t      *testing.T
	ctx    context.Context
	s      *neo4jstore.Store
	prefix string
}

func newOutboxFixture(t *testing.T) *outboxFixture {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	f := &outboxFixture{t: t, ctx: ctxT(t), s: testneo4j.Prepared(t, nil), prefix: "test-outbox-" + hex.EncodeToString(b) + "-"}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		// Once more on failure: a connection that a failed test statement broke is not reused.
		_, err := f.s.OutboxCypherForTest(ctx, qOutboxTestCleanup, map[string]any{"prefix": f.prefix})
		if err != nil {
			_, err = f.s.OutboxCypherForTest(ctx, qOutboxTestCleanup, map[string]any{"prefix": f.prefix})
		}
		if err != nil {
			t.Errorf("cleanup: %v", err)
		}
	})
	return f
}

func (f *outboxFixture) id(name string) string { return f.prefix + name }

func (f *outboxFixture) cypher(query string, params map[string]any) []map[string]any {
	f.t.Helper()
	recs, err := f.s.OutboxCypherForTest(f.ctx, query, params)
	if err != nil {
		f.t.Fatalf("test statement: %v", err)
	}
	return recs
}

// person creates a person with the given properties, working at the named organisations (created
// with the prefix as their id).
func (f *outboxFixture) person(name string, props map[string]any, orgs ...string) string {
	f.t.Helper()
	var os []map[string]any
	for _, o := range orgs {
		os = append(os, map[string]any{"id": f.id("org-" + o), "name": o})
	}
	f.cypher(qOutboxTestPerson, map[string]any{"id": f.id(name), "props": props, "orgs": os})
	return f.id(name)
}

// introduction creates an introduction about a seeded theme (none is created: other tests list
// the themes), parties in order requester, recipient.
func (f *outboxFixture) introduction(name, status, themeID string, parties ...string) string {
	f.t.Helper()
	f.cypher(qOutboxTestIntroduction, map[string]any{"id": f.id(name), "status": status, "themeId": themeID, "parties": parties})
	return f.id(name)
}

// notification creates a notification in a status, due at at; claimedAt is set when not zero.
func (f *outboxFixture) notification(name, kind, recipientID, introductionID, status string, at, claimedAt time.Time) string {
	f.t.Helper()
	var recipient, claimed any
	if recipientID != "" {
		recipient = recipientID
	}
	if !claimedAt.IsZero() {
		claimed = claimedAt
	}
	f.cypher(qOutboxTestNotification, map[string]any{"id": f.id(name), "kind": kind, "recipientId": recipient,
		"introductionId": introductionID, "status": status, "at": at, "claimedAt": claimed})
	return f.id(name)
}

type notificationState struct {
	Status, LastError  string
	Attempts           int64
	NextAttemptAt      time.Time
	SentAt, ClaimedAt  time.Time
	LockPropertyRemain bool
}

func (f *outboxFixture) state(id string) notificationState {
	f.t.Helper()
	recs := f.cypher(qOutboxTestNotificationState, map[string]any{"id": id})
	if len(recs) != 1 {
		f.t.Fatalf("notification %s: %d records", id, len(recs))
	}
	m := recs[0]
	var st notificationState
	st.Status, _ = m["status"].(string)
	st.LastError, _ = m["lastError"].(string)
	st.Attempts, _ = m["attempts"].(int64)
	st.NextAttemptAt, _ = m["nextAttemptAt"].(time.Time)
	st.SentAt, _ = m["sentAt"].(time.Time)
	st.ClaimedAt, _ = m["claimedAt"].(time.Time)
	st.LockPropertyRemain = m["lock"] != nil
	return st
}

// mine keeps the items whose id has the fixture's prefix, by id.
func (f *outboxFixture) mine(items []bridge.OutboxItem) map[string]bridge.OutboxItem {
	out := map[string]bridge.OutboxItem{}
	for _, it := range items {
		if len(it.ID) >= len(f.prefix) && it.ID[:len(f.prefix)] == f.prefix {
			out[it.ID] = it
		}
	}
	return out
}

func TestOutboxMigrationCreatesTheIndex(t *testing.T) {
	s := testneo4j.Prepared(t, nil)
	constraints, indexes, err := s.SchemaNames(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(constraints, "notification_id") || !slices.Contains(indexes, "notification_status_next_attempt") {
		t.Fatalf("constraints %v, indexes %v: want notification_id and notification_status_next_attempt", constraints, indexes)
	}
}

func TestClaimDueNotificationsReadsContentAndDropsTheUndeliverable(t *testing.T) {
	f := newOutboxFixture(t)
	now := outboxDay(10)
	ana := f.person("ana", map[string]any{"givenName": "Ana", "familyName": "Øberg", "name": "Ana Øberg", "email": "ana@outbox-test.example.org"})
	bo := f.person("bo", map[string]any{"givenName": "Bo", "familyName": "Lind", "name": "Bo Lind", "email": "bo@outbox-test.example.org",
		"phone": "+46 70 000 00 00", "title": "Coordinator"}, "Malmö stad", "Agency B")
	noMail := f.person("nomail", map[string]any{"name": "No Mail"})
	introduced := f.introduction("i1", "INTRODUCED", "workplace-language-learning", ana, bo)
	proposed := f.introduction("i2", "PROPOSED", "housing-and-segregation", ana, noMail)

	asked := f.notification("asked", bridge.NotificationIntroductionAsked, ana, proposed, "PENDING", now.Add(-time.Hour), time.Time{})
	intro := f.notification("introduced", bridge.NotificationIntroductionIntroduced, ana, introduced, "PENDING", now.Add(-time.Minute), time.Time{})
	secretariat := f.notification("secretariat", bridge.NotificationIntroductionRequestReceived, "", proposed, "PENDING", now, time.Time{})
	erased := f.notification("erased", bridge.NotificationIntroductionAsked, f.id("erased-person"), proposed, "PENDING", now, time.Time{})
	withoutMail := f.notification("nomail", bridge.NotificationIntroductionAsked, noMail, proposed, "PENDING", now, time.Time{})
	notConnected := f.notification("notconnected", bridge.NotificationIntroductionIntroduced, ana, proposed, "PENDING", now, time.Time{})
	changed := f.notification("changed", bridge.NotificationContactChanged, ana, introduced, "PENDING", now.Add(-30*time.Second), time.Time{})
	changedNotConnected := f.notification("changednc", bridge.NotificationContactChanged, ana, proposed, "PENDING", now, time.Time{})
	// PERSON_ERASED goes to the secretariat about no introduction; it carries the erased id.
	personErased := f.notification("personerased", bridge.NotificationPersonErased, "", "", "PENDING", now, time.Time{})
	f.cypher(`MATCH (n:Notification {id: $id}) SET n.subjectId = $subject, n.introductionId = null`, map[string]any{"id": personErased, "subject": f.id("erased-subject")})
	later := f.notification("later", bridge.NotificationIntroductionAsked, ana, proposed, "PENDING", now.Add(time.Second), time.Time{})
	sending := f.notification("sending", bridge.NotificationIntroductionAsked, ana, proposed, "SENDING", now.Add(-time.Hour), now)

	items, err := f.s.ClaimDueNotifications(f.ctx, now, 50)
	if err != nil {
		t.Fatal(err)
	}
	got := f.mine(items)
	if len(got) != 5 {
		t.Fatalf("claimed %d of ours (%v), want asked, introduced, contact changed, secretariat and erased", len(got), items)
	}
	// Ordered by due time.
	var order []string
	for _, it := range items {
		if _, ok := got[it.ID]; ok {
			order = append(order, it.ID)
		}
	}
	if !slices.Equal(order, []string{asked, intro, changed, personErased, secretariat}) {
		t.Errorf("order %v, want asked, introduced, contact changed, erased, secretariat (same time: by id)", order)
	}
	if pe := got[personErased]; !pe.ToSecretariat() || pe.SubjectID != f.id("erased-subject") || pe.IntroductionID != "" {
		t.Errorf("person-erased item: %+v", describe(pe))
	}

	a := got[asked]
	if a.Kind != bridge.NotificationIntroductionAsked || a.Attempts != 0 || a.IntroductionID != proposed ||
		a.IntroductionStatus != "PROPOSED" || a.ThemeLabel != "Housing and residential segregation" || a.Counterpart != nil {
		t.Errorf("asked item: %+v", describe(a))
	}
	if a.Recipient.PersonID != ana || a.Recipient.Email != "ana@outbox-test.example.org" || a.Recipient.GivenName != "Ana" ||
		a.Recipient.FamilyName != "Øberg" || a.Recipient.Name != "Ana Øberg" {
		t.Errorf("asked recipient: %+v", a.Recipient)
	}
	in := got[intro]
	if in.Counterpart == nil {
		t.Fatalf("introduced item has no counterpart: %+v", describe(in))
	}
	c := *in.Counterpart
	if c.PersonID != bo || c.Name != "Bo Lind" || c.Email != "bo@outbox-test.example.org" || c.Phone != "+46 70 000 00 00" ||
		c.Title != "Coordinator" || !slices.Equal(c.Organisations, []string{"Agency B", "Malmö stad"}) {
		t.Errorf("counterpart: %+v", c)
	}
	if in.Recipient.PersonID != ana || in.ThemeLabel != "Language learning at work" || in.IntroductionStatus != "INTRODUCED" {
		t.Errorf("introduced item: %+v", describe(in))
	}
	if ch := got[changed]; ch.Counterpart == nil || ch.Counterpart.PersonID != bo || ch.Counterpart.Phone != "+46 70 000 00 00" ||
		ch.IntroductionStatus != "INTRODUCED" {
		t.Errorf("contact-changed item: %+v (counterpart %+v)", describe(ch), ch.Counterpart)
	}
	sec := got[secretariat]
	if !sec.ToSecretariat() || sec.Recipient.Email != "" || sec.Recipient.DisplayName() != "" || sec.IntroductionID != proposed {
		t.Errorf("secretariat item: %+v", describe(sec))
	}

	for id, want := range map[string]notificationState{
		asked:               {Status: "SENDING"},
		intro:               {Status: "SENDING"},
		secretariat:         {Status: "SENDING"},
		erased:              {Status: "DROPPED", LastError: "recipient_gone"},
		withoutMail:         {Status: "DROPPED", LastError: "no_address"},
		notConnected:        {Status: "DROPPED", LastError: "not_introduced"},
		changed:             {Status: "SENDING"},
		changedNotConnected: {Status: "DROPPED", LastError: "not_introduced"},
		later:               {Status: "PENDING"},
		sending:             {Status: "SENDING"},
	} {
		st := f.state(id)
		if st.Status != want.Status || st.LastError != want.LastError || st.LockPropertyRemain {
			t.Errorf("%s: %+v, want status %s, lastError %q, no lock property", id, st, want.Status, want.LastError)
		}
		if want.Status == "SENDING" && id != sending && time.Since(st.ClaimedAt) > time.Minute {
			t.Errorf("%s: claimedAt %v, want the server's now", id, st.ClaimedAt)
		}
	}
	// A second claim finds nothing more of ours: claimed and dropped ones are not PENDING.
	again, err := f.s.ClaimDueNotifications(f.ctx, now, 50)
	if err != nil {
		t.Fatal(err)
	}
	if g := f.mine(again); len(g) != 0 {
		t.Fatalf("second claim returned %d of ours again", len(g))
	}
	if _, err := f.s.ClaimDueNotifications(f.ctx, now, 0); bridge.ErrorCode(err) != bridge.CodeBadUserInput {
		t.Errorf("limit 0: %v, want BAD_USER_INPUT", err)
	}
}

// TestClaimReturnsTheRecipientsLanguageAndTheThemeInIt: the claim says which language to write
// in (the recipient's choice; English when they made none or the stored value is not one of the
// six, and for the secretariat) and reads the theme's label in that language.
func TestClaimReturnsTheRecipientsLanguageAndTheThemeInIt(t *testing.T) {
	f := newOutboxFixture(t)
	now := outboxDay(600)
	const theme = "workplace-language-learning"
	labels := f.cypher(`MATCH (t:Theme {id: $id}) RETURN t.label_en AS en, t.label_sv AS sv, t.label_fi AS fi, t.label_is AS is`,
		map[string]any{"id": theme})
	if len(labels) != 1 {
		t.Fatalf("theme %s: %d records", theme, len(labels))
	}
	label := labels[0]
	if label["sv"] == label["en"] || label["fi"] == label["en"] || label["is"] == label["en"] {
		t.Fatalf("the seeded labels of %s do not differ by language: %v", theme, label)
	}
	who := map[string]string{}
	for name, lang := range map[string]any{"sv": "sv", "fi": "fi", "is": "is", "none": nil, "bad": "de"} {
		who[name] = f.person("lang-"+name, map[string]any{"givenName": name, "email": name + "@outbox-test.example.org", "language": lang})
	}
	intro := f.introduction("lang-i", "PROPOSED", theme, who["sv"], who["fi"])
	want := map[string]struct{ lang, label any }{}
	for name, w := range map[string]struct{ lang, label any }{
		"sv": {"sv", label["sv"]}, "fi": {"fi", label["fi"]}, "is": {"is", label["is"]},
		"none": {"en", label["en"]}, "bad": {"en", label["en"]},
	} {
		want[f.notification("n-"+name, bridge.NotificationIntroductionAsked, who[name], intro, "PENDING", now, time.Time{})] = w
	}
	want[f.notification("n-secretariat", bridge.NotificationIntroductionRequestReceived, "", intro, "PENDING", now, time.Time{})] =
		struct{ lang, label any }{"en", label["en"]}

	items, err := f.s.ClaimDueNotifications(f.ctx, now, 50)
	if err != nil {
		t.Fatal(err)
	}
	got := f.mine(items)
	if len(got) != len(want) {
		t.Fatalf("claimed %d of ours, want %d", len(got), len(want))
	}
	for id, w := range want {
		if it := got[id]; it.Language != w.lang || it.ThemeLabel != w.label {
			t.Errorf("%s: language %q, theme %q; want %v, %v", id, it.Language, it.ThemeLabel, w.lang, w.label)
		}
	}
}

// describe is an item without its String method, for test messages.
func describe(it bridge.OutboxItem) string {
	type plain bridge.OutboxItem
	return fmt.Sprintf("%+v", plain(it))
}

func TestClaimHonoursTheLimit(t *testing.T) {
	f := newOutboxFixture(t)
	now := outboxDay(20)
	ana := f.person("ana", map[string]any{"name": "Ana", "email": "ana@outbox-test.example.org"})
	intro := f.introduction("i", "PROPOSED", "housing-and-segregation", ana)
	for k := range 5 {
		f.notification(fmt.Sprintf("n%d", k), bridge.NotificationIntroductionAsked, ana, intro, "PENDING", now.Add(time.Duration(k)*time.Second-time.Hour), time.Time{})
	}
	first, err := f.s.ClaimDueNotifications(f.ctx, now, 3)
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.s.ClaimDueNotifications(f.ctx, now, 3)
	if err != nil {
		t.Fatal(err)
	}
	g1, g2 := f.mine(first), f.mine(second)
	if len(first) != 3 || len(g1) != 3 || len(g2) != 2 {
		t.Fatalf("claims of limit 3 returned %d (%d ours), then %d ours; want 3, then 2", len(first), len(g1), len(g2))
	}
	for _, k := range []string{"n0", "n1", "n2"} {
		if _, ok := g1[f.id(k)]; !ok {
			t.Errorf("the first claim lacks %s, one of the three due first", k)
		}
	}
}

// TestConcurrentClaimsNeverShareANotification runs two claims at the same moment, many times, over
// the same due notifications: each notification is claimed by exactly one of them.
func TestConcurrentClaimsNeverShareANotification(t *testing.T) {
	f := newOutboxFixture(t)
	ana := f.person("ana", map[string]any{"name": "Ana", "email": "ana@outbox-test.example.org"})
	intro := f.introduction("i", "PROPOSED", "housing-and-segregation", ana)
	const rounds, perRound = 40, 8
	shared := 0
	for round := range rounds {
		now := outboxDay(100 + round)
		var ids []string
		for k := range perRound {
			ids = append(ids, f.notification(fmt.Sprintf("r%d-n%d", round, k), bridge.NotificationIntroductionAsked, ana, intro,
				"PENDING", now.Add(-time.Duration(k)*time.Second), time.Time{}))
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		results := make([][]bridge.OutboxItem, 2)
		errs := make([]error, 2)
		for w := range 2 {
			wg.Go(func() {
				<-start
				results[w], errs[w] = f.s.ClaimDueNotifications(f.ctx, now, perRound)
			})
		}
		close(start)
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		seen := map[string]int{}
		for w := range 2 {
			for id := range f.mine(results[w]) {
				seen[id]++
			}
		}
		if len(f.mine(results[0])) > 0 && len(f.mine(results[1])) > 0 {
			shared++
		}
		for _, id := range ids {
			if seen[id] != 1 {
				t.Fatalf("round %d: notification %s was claimed %d times, want exactly once", round, id, seen[id])
			}
			if st := f.state(id); st.Status != "SENDING" {
				t.Fatalf("round %d: %s is %s, want SENDING", round, id, st.Status)
			}
		}
	}
	t.Logf("%d rounds of two concurrent claims over %d notifications; in %d rounds both claims returned some", rounds, perRound, shared)
}

// TestClaimReChecksTheStatusAfterTheLock is the race of two claims made deterministic: another
// transaction has set a due notification to SENDING but not committed yet; a claim that starts
// meanwhile still sees it PENDING in the index, waits for its lock, and must then see SENDING
// and leave it.
func TestClaimReChecksTheStatusAfterTheLock(t *testing.T) {
	f := newOutboxFixture(t)
	now := outboxDay(150)
	ana := f.person("ana", map[string]any{"name": "Ana", "email": "ana@outbox-test.example.org"})
	intro := f.introduction("i", "PROPOSED", "housing-and-segregation", ana)
	id := f.notification("n", bridge.NotificationIntroductionAsked, ana, intro, "PENDING", now, time.Time{})

	commit, err := f.s.HoldNotificationForTest(f.ctx, id, "SENDING")
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		items []bridge.OutboxItem
		err   error
	}
	res := make(chan result, 1)
	go func() {
		items, err := f.s.ClaimDueNotifications(f.ctx, now, 10)
		res <- result{items, err}
	}()
	// Wait (polling, with a deadline) until the database reports the claim blocked on the lock;
	// a claim that returns first did not wait for it.
	blocked := func() bool {
		rows := cypher(t, f.s, `SHOW TRANSACTIONS YIELD status, currentQuery
WHERE status STARTS WITH 'Blocked' AND currentQuery CONTAINS 'Notification' RETURN count(*) AS n`, nil)
		return rows[0]["n"].(int64) > 0
	}
	for deadline := time.Now().Add(20 * time.Second); !blocked(); {
		select {
		case r := <-res:
			_ = commit()
			t.Fatalf("the claim did not wait for the lock: %d of ours, %v", len(f.mine(r.items)), r.err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = commit()
			t.Fatal("the claim was never blocked by the lock within 20 s")
		}
	}
	if err := commit(); err != nil {
		t.Fatal(err)
	}
	r := <-res
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := f.mine(r.items); len(got) != 0 {
		t.Fatalf("the claim took a notification that another transaction had claimed: %v", r.items)
	}
	if st := f.state(id); st.Status != "SENDING" || st.LockPropertyRemain {
		t.Fatalf("%+v, want SENDING as the other transaction left it", st)
	}
}

func TestMarkNotificationSentAndFailed(t *testing.T) {
	f := newOutboxFixture(t)
	now := outboxDay(200)
	ana := f.person("ana", map[string]any{"name": "Ana", "email": "ana@outbox-test.example.org"})
	intro := f.introduction("i", "PROPOSED", "housing-and-segregation", ana)
	retried := f.notification("retried", bridge.NotificationIntroductionAsked, ana, intro, "PENDING", now.Add(-time.Minute), time.Time{})
	sent := f.notification("sent", bridge.NotificationIntroductionAsked, ana, intro, "PENDING", now, time.Time{})
	if items, err := f.s.ClaimDueNotifications(f.ctx, now, 10); err != nil || len(f.mine(items)) != 2 {
		t.Fatalf("claim: %d of ours, %v", len(f.mine(items)), err)
	}

	at := now.Add(time.Second)
	if err := f.s.MarkNotificationSent(f.ctx, sent, at); err != nil {
		t.Fatal(err)
	}
	if st := f.state(sent); st.Status != "SENT" || !st.SentAt.Equal(at) {
		t.Errorf("sent: %+v", st)
	}
	if err := f.s.MarkNotificationSent(f.ctx, sent, at); bridge.ErrorCode(err) != bridge.CodeConflict {
		t.Errorf("marking a SENT notification sent again: %v, want CONFLICT", err)
	}
	if err := f.s.MarkNotificationFailed(f.ctx, sent, at, false, "smtp_451"); bridge.ErrorCode(err) != bridge.CodeConflict || f.state(sent).Status != "SENT" {
		t.Errorf("failing a SENT notification: %v, status %s; want CONFLICT and SENT", err, f.state(sent).Status)
	}
	if err := f.s.MarkNotificationSent(f.ctx, f.id("nonexistent"), at); bridge.ErrorCode(err) != bridge.CodeNotFound {
		t.Errorf("unknown notification: %v, want NOT_FOUND", err)
	}

	next := now.Add(time.Minute)
	if err := f.s.MarkNotificationFailed(f.ctx, retried, next, false, "smtp_451"); err != nil {
		t.Fatal(err)
	}
	if st := f.state(retried); st.Status != "PENDING" || st.Attempts != 1 || !st.NextAttemptAt.Equal(next) || st.LastError != "smtp_451" {
		t.Fatalf("after a temporary failure: %+v", st)
	}
	if items, _ := f.s.ClaimDueNotifications(f.ctx, now.Add(59*time.Second), 10); len(f.mine(items)) != 0 {
		t.Fatalf("claimed before nextAttemptAt")
	}
	items, err := f.s.ClaimDueNotifications(f.ctx, next, 10)
	if err != nil {
		t.Fatal(err)
	}
	if it, ok := f.mine(items)[retried]; !ok || it.Attempts != 1 {
		t.Fatalf("retry claim: %d of ours, attempts %d", len(f.mine(items)), it.Attempts)
	}
	// A reason that is not a short code (here an address) is never stored.
	if err := f.s.MarkNotificationFailed(f.ctx, retried, next, true, "550 ana@outbox-test.example.org unknown"); err != nil {
		t.Fatal(err)
	}
	if st := f.state(retried); st.Status != "FAILED" || st.Attempts != 2 || st.LastError != "error" {
		t.Fatalf("after a final failure: %+v", st)
	}
}

func TestRecoverInterruptedNotificationsMakesOldClaimsUncertain(t *testing.T) {
	f := newOutboxFixture(t)
	now := outboxDay(300)
	ana := f.person("ana", map[string]any{"name": "Ana", "email": "ana@outbox-test.example.org"})
	intro := f.introduction("i", "PROPOSED", "housing-and-segregation", ana)
	crashed := f.notification("crashed", bridge.NotificationIntroductionAsked, ana, intro, "SENDING", now, now)
	live := f.notification("live", bridge.NotificationIntroductionAsked, ana, intro, "SENDING", now, time.Now().UTC().Add(-time.Minute))
	pending := f.notification("pending", bridge.NotificationIntroductionAsked, ana, intro, "PENDING", now, time.Time{})

	n, err := f.s.RecoverInterruptedNotifications(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n < 1 {
		t.Fatalf("recovered %d, want at least ours", n)
	}
	if st := f.state(crashed); st.Status != "UNCERTAIN" || st.LastError != "interrupted" {
		t.Errorf("crashed: %+v, want UNCERTAIN", st)
	}
	if st := f.state(live); st.Status != "SENDING" {
		t.Errorf("a claim younger than the lease: %+v, want SENDING (its sender may be alive)", st)
	}
	if st := f.state(pending); st.Status != "PENDING" {
		t.Errorf("pending: %+v", st)
	}
	// UNCERTAIN is never claimed or put back to PENDING; a late report of delivery is recorded.
	items, err := f.s.ClaimDueNotifications(f.ctx, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := f.mine(items)[crashed]; ok {
		t.Fatal("an UNCERTAIN notification was claimed")
	}
	if err := f.s.MarkNotificationFailed(f.ctx, crashed, now, false, "network"); bridge.ErrorCode(err) != bridge.CodeConflict {
		t.Errorf("failing an UNCERTAIN notification: %v, want CONFLICT", err)
	}
	if st := f.state(crashed); st.Status != "UNCERTAIN" {
		t.Errorf("after a late failure report: %+v, want UNCERTAIN", st)
	}
	if err := f.s.MarkNotificationSent(f.ctx, crashed, now); err != nil || f.state(crashed).Status != "SENT" {
		t.Errorf("a late delivery report: %v, status %s; want SENT", err, f.state(crashed).Status)
	}
}

func TestNotificationCountsByStatus(t *testing.T) {
	f := newOutboxFixture(t)
	now := outboxDay(400)
	ana := f.person("ana", map[string]any{"name": "Ana", "email": "ana@outbox-test.example.org"})
	intro := f.introduction("i", "PROPOSED", "housing-and-segregation", ana)
	before, err := f.s.NotificationCounts(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for k, status := range []string{"PENDING", "PENDING", "SENT", "FAILED", "UNCERTAIN"} {
		f.notification(fmt.Sprintf("n%d", k), bridge.NotificationIntroductionAsked, ana, intro, status, now, time.Time{})
	}
	after, err := f.s.NotificationCounts(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	for status, want := range map[string]int{"PENDING": 2, "SENT": 1, "FAILED": 1, "UNCERTAIN": 1, "DROPPED": 0} {
		if got := after[status] - before[status]; got != want {
			t.Errorf("%s: +%d, want +%d (before %v, after %v)", status, got, want, before, after)
		}
	}
}
