package neo4jstore_test

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/retention"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// recJournal is an erasure journal in memory.
type recJournal struct {
	mu  sync.Mutex
	ids []string
}

func (j *recJournal) RecordErasure(personID string, _ time.Time) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.ids = append(j.ids, personID)
}

func (j *recJournal) recorded() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.ids)
}

// journaledStore opens a second store on the test server whose erasures go to a journal in memory.
func journaledStore(t *testing.T) (*neo4jstore.Store, *recJournal) {
	t.Helper()
	testneo4j.Prepared(t, nil)
	j := &recJournal{}
	cfg := testneo4j.Config(t)
	cfg.ErasureJournal = j
	return testneo4j.Open(t, cfg, nil), j
}

// retPerson creates an unconfirmed profile the way the secretariat does (CreatePerson), removed
// with everything hung on it when the test ends.
type retPerson struct{ id, given, email string }

func retCreate(t *testing.T, s *neo4jstore.Store) retPerson {
	t.Helper()
	p := retPerson{id: privUUID(t), given: "Ret" + privLetters(t, 10), email: "ret." + privLetters(t, 10) + "@retention-test.example.org"}
	t.Cleanup(func() { privDeletePerson(t, s, p.id) })
	in := bridge.ProfileInput{GivenName: p.given, FamilyName: "Test" + privLetters(t, 8), CountryCode: "SE", MunicipalityID: privMunicipality}
	reader := bridge.Principal{Role: bridge.RoleSecretariat, PersonID: p.id}
	got, err := s.CreatePerson(ctxT(t), reader, p.email, in, bridge.AuditEntry{Action: "CREATE_PERSON", ActorRole: bridge.RoleSecretariat})
	if err != nil {
		t.Fatalf("create person: %v", err)
	}
	// The answer is the new profile as the secretariat reads it (unconfirmed, with its e-mail).
	if read, err := s.PeopleByIDs(ctxT(t), reader, []string{p.id}); err != nil || !reflect.DeepEqual(got, read[p.id]) ||
		got.Email != p.email || got.GivenName != p.given {
		t.Fatalf("create person answered %+v; the secretariat reads %+v (%v)", got, read[p.id], err)
	}
	return p
}

func retProps(t *testing.T, s *neo4jstore.Store, id string) map[string]any {
	t.Helper()
	rows := cypher(t, s, `MATCH (p:Person {id: $id}) RETURN properties(p) AS props`, map[string]any{"id": id})
	if len(rows) == 0 {
		return nil
	}
	return rows[0]["props"].(map[string]any)
}

func reconfirmNotifications(t *testing.T, s *neo4jstore.Store, id string) []map[string]any {
	t.Helper()
	return cypher(t, s, `MATCH (n:Notification {recipientId: $id, kind: 'RECONFIRM_PROFILE'})
RETURN n.status AS status, n.introductionId AS introductionId, n.nextAttemptAt AS nextAttemptAt`, map[string]any{"id": id})
}

// TestRetentionJobAgainstNeo4j runs the job with an injected clock over the real store: the first
// run flags an unconfirmed imported profile inactive for over a year and asks its owner by e-mail;
// a run inside the grace period does nothing more; a run after it erases the profile (journaled,
// audited without personal data). Confirmed, demo and recently active profiles are untouched;
// claiming or editing a flagged profile ends the request; old audit events and old sent
// notifications are deleted, recent ones kept.
func TestRetentionJobAgainstNeo4j(t *testing.T) {
	s, journal := journaledStore(t)
	ctx := ctxT(t)
	t1 := time.Now().UTC().Truncate(time.Millisecond)
	old := t1.Add(-400 * retention.Day)

	stale := retCreate(t, s)     // unconfirmed, inactive for 400 days: flagged, then erased
	confirmed := retCreate(t, s) // confirmed since
	demo := retCreate(t, s)      // demo data
	recent := retCreate(t, s)    // active a month ago
	claimed := retCreate(t, s)   // flagged, then claimed by its owner
	edited := retCreate(t, s)    // flagged, then edited by the secretariat
	for _, p := range []retPerson{stale, confirmed, demo, claimed, edited} {
		cypher(t, s, `MATCH (p:Person {id: $id}) SET p.lastActiveAt = $old, p.createdAt = $old`, map[string]any{"id": p.id, "old": old})
	}
	cypher(t, s, `MATCH (p:Person {id: $id}) SET p.confirmed = true`, map[string]any{"id": confirmed.id})
	cypher(t, s, `MATCH (p:Person {id: $id}) SET p.demo = true`, map[string]any{"id": demo.id})
	cypher(t, s, `MATCH (p:Person {id: $id}) SET p.lastActiveAt = $at`, map[string]any{"id": recent.id, "at": t1.Add(-30 * retention.Day)})
	if props := retProps(t, s, recent.id); props["createdAt"] == nil {
		t.Fatalf("CreatePerson wrote no createdAt: %v", props)
	}

	// Audit events and notifications, old and recent, each with a target of its own.
	oldEvent, newEvent := privUUID(t), privUUID(t)
	cypher(t, s, `UNWIND [[$old, $a], [$recent, $b]] AS x
CREATE (:AuditEvent {id: randomUUID(), at: x[0], action: 'READ_CONTACT', actorRole: 'SECRETARIAT', targetId: x[1]})`,
		map[string]any{"old": old, "a": oldEvent, "recent": t1.Add(-time.Hour), "b": newEvent})
	t.Cleanup(func() {
		cypher(t, s, `MATCH (e:AuditEvent) WHERE e.targetId IN $ids DELETE e`, map[string]any{"ids": []string{oldEvent, newEvent}})
	})
	sentOld, pendingOld, sentRecent := privUUID(t), privUUID(t), privUUID(t)
	cypher(t, s, `UNWIND $rows AS x
CREATE (:Notification {id: x.id, kind: 'INTRODUCTION_ASKED', recipientId: $to, introductionId: 'none', createdAt: x.at,
                       status: x.status, attempts: 1, nextAttemptAt: x.at})`,
		map[string]any{"to": recent.id, "rows": []map[string]any{
			{"id": sentOld, "at": t1.Add(-100 * retention.Day), "status": "SENT"},
			{"id": pendingOld, "at": t1.Add(-100 * retention.Day), "status": "PENDING"},
			{"id": sentRecent, "at": t1.Add(-10 * retention.Day), "status": "SENT"}}})
	notificationExists := func(id string) bool {
		return len(cypher(t, s, `MATCH (n:Notification {id: $id}) RETURN n.id`, map[string]any{"id": id})) == 1
	}
	eventExists := func(target string) bool {
		return len(cypher(t, s, `MATCH (e:AuditEvent {targetId: $id}) RETURN e.id`, map[string]any{"id": target})) > 0
	}

	now := t1
	runs := 0
	var runIDs []string
	t.Cleanup(func() {
		cypher(t, s, `MATCH (e:AuditEvent) WHERE e.requestId IN $ids DELETE e`, map[string]any{"ids": runIDs})
	})
	job := retention.Job{Store: s, Policy: retention.DefaultPolicy(), Now: func() time.Time { return now },
		NewID: func() string {
			runs++
			id := "test-" + privRandom(t, 8)
			runIDs = append(runIDs, "retention-"+id)
			return id
		}}

	// Run 1: the stale, claimed and edited profiles are flagged, each with one RECONFIRM_PROFILE
	// notification; old audit events and old sent notifications are gone.
	rep, err := job.Run(ctx)
	if err != nil {
		t.Fatalf("run 1: %v", err)
	}
	if rep.Flagged < 3 || rep.AuditPruned < 1 || rep.NotificationsPruned < 1 {
		t.Fatalf("run 1 report %+v: want at least 3 flagged, 1 audit event and 1 notification pruned", rep)
	}
	for _, p := range []retPerson{stale, claimed, edited} {
		props := retProps(t, s, p.id)
		at, _ := props["reconfirmRequestedAt"].(time.Time)
		by, _ := props["reconfirmBy"].(time.Time)
		if !at.Equal(t1) || !by.Equal(t1.Add(30*retention.Day)) {
			t.Fatalf("%s after run 1: reconfirmRequestedAt %v, reconfirmBy %v; want %v and 30 days later", p.id, at, by, t1)
		}
		ns := reconfirmNotifications(t, s, p.id)
		if len(ns) != 1 || ns[0]["status"] != "PENDING" || ns[0]["introductionId"] != nil {
			t.Fatalf("%s: reconfirmation notifications %v, want one PENDING without an introduction", p.id, ns)
		}
	}
	for _, p := range []retPerson{confirmed, demo, recent} {
		if props := retProps(t, s, p.id); props["reconfirmRequestedAt"] != nil || len(reconfirmNotifications(t, s, p.id)) != 0 {
			t.Fatalf("%s was flagged: %v", p.id, props)
		}
	}
	if eventExists(oldEvent) || !eventExists(newEvent) {
		t.Fatalf("audit events after run 1: old present %v, recent present %v; want only the recent one", eventExists(oldEvent), eventExists(newEvent))
	}
	if notificationExists(sentOld) || !notificationExists(pendingOld) || !notificationExists(sentRecent) {
		t.Fatalf("notifications after run 1: old SENT %v, old PENDING %v, recent SENT %v; want only the old SENT one gone",
			notificationExists(sentOld), notificationExists(pendingOld), notificationExists(sentRecent))
	}
	// The run's own audit event: counts only.
	rows := cypher(t, s, `MATCH (e:AuditEvent {requestId: $rid}) RETURN e.action AS action, e.actorRole AS role,
  e.actorId AS actor, e.targetId AS target, e.detail AS detail`, map[string]any{"rid": runIDs[0]})
	if len(rows) != 1 || rows[0]["action"] != string(bridge.AuditRetention) || rows[0]["role"] != "SYSTEM" || rows[0]["actor"] != nil ||
		rows[0]["target"] != nil ||
		!regexp.MustCompile(`^stamped=\d+ flagged=\d+ erased=0 auditPruned=\d+ notificationsPruned=\d+$`).MatchString(rows[0]["detail"].(string)) {
		t.Fatalf("RETENTION audit events of run 1: %v", rows)
	}

	// The owner of one flagged profile claims it at first sign-in; the secretariat edits another.
	if _, err := s.CreateProfile(ctx, bridge.Principal{Role: bridge.RoleMember, Account: &bridge.Account{Issuer: "https://issuer.retention-test.example",
		Subject: "sub-" + privRandom(t, 6), Email: strings.ToUpper(claimed.email), EmailVerified: true}},
		bridge.ProfileInput{GivenName: claimed.given, FamilyName: "Claimed", CountryCode: "SE"}, privUUID(t)); err != nil {
		t.Fatalf("claim: %v", err)
	}
	if props := retProps(t, s, claimed.id); props["confirmed"] != true || props["reconfirmRequestedAt"] != nil || props["reconfirmBy"] != nil {
		t.Fatalf("claimed profile still flagged: %v", props)
	}
	version, err := s.ProfileVersion(ctx, edited.id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateProfile(ctx, bridge.Principal{Role: bridge.RoleSecretariat, PersonID: edited.id},
		replacedBy(bridge.ProfileInput{GivenName: edited.given, FamilyName: "Edited", CountryCode: "SE"}), version,
		&bridge.AuditEntry{Action: "UPDATE_PERSON", ActorRole: bridge.RoleSecretariat, TargetID: edited.id}); err != nil {
		t.Fatal(err)
	}
	if props := retProps(t, s, edited.id); props["reconfirmRequestedAt"] != nil || props["lastActiveAt"].(time.Time).Before(t1) {
		t.Fatalf("edited profile: %v; want the request ended and lastActiveAt now", props)
	}

	// Run 2, inside the grace period: nothing more for the stale profile.
	now = t1.Add(10 * retention.Day)
	if _, err := job.Run(ctx); err != nil {
		t.Fatalf("run 2: %v", err)
	}
	props := retProps(t, s, stale.id)
	if at, _ := props["reconfirmRequestedAt"].(time.Time); props == nil || !at.Equal(t1) || len(reconfirmNotifications(t, s, stale.id)) != 1 {
		t.Fatalf("after run 2: %v, %d notifications; want the stale profile flagged once, at t1", props, len(reconfirmNotifications(t, s, stale.id)))
	}
	if got := journal.recorded(); len(got) != 0 {
		t.Fatalf("journal before any erasure: %v", got)
	}

	// Run 3, after the grace period: the stale profile is erased, by the retention job, journaled.
	now = t1.Add(31 * retention.Day)
	rep, err = job.Run(ctx)
	if err != nil {
		t.Fatalf("run 3: %v", err)
	}
	if rep.Erased < 1 {
		t.Fatalf("run 3 report %+v: want an erasure", rep)
	}
	if retProps(t, s, stale.id) != nil {
		t.Fatal("the stale profile survived the grace period")
	}
	if got := journal.recorded(); !slices.Contains(got, stale.id) {
		t.Fatalf("journal %v lacks the erased person", got)
	}
	events, err := s.AuditEvents(ctx, stale.id)
	if err != nil {
		t.Fatal(err)
	}
	var erase *bridge.AuditEntry
	for i, e := range events {
		if e.Action == bridge.AuditErase {
			erase = &events[i]
		}
	}
	if erase == nil || erase.ActorRole != bridge.RoleSystem || erase.ActorID != "" || erase.RequestID != runIDs[2] ||
		!strings.HasPrefix(erase.Detail, "reason=retention introductions=") {
		t.Fatalf("ERASE audit event %+v among %+v", erase, events)
	}
	if hits := scan(t, s, []string{stale.given, stale.email}); len(hits) > 0 {
		t.Fatalf("the erased person's name or e-mail is still in the graph: %v", hits)
	}
	for _, p := range []retPerson{confirmed, demo, recent, claimed, edited} {
		props := retProps(t, s, p.id)
		if props == nil || props["reconfirmRequestedAt"] != nil {
			t.Fatalf("%s after run 3: %v; want it there and not flagged", p.id, props)
		}
	}
	if !eventExists(newEvent) || !notificationExists(pendingOld) || !notificationExists(sentRecent) {
		t.Fatal("run 3 deleted a recent audit event or notification")
	}

	// Run 4, the same day: nothing more to do for these people.
	if _, err := job.Run(ctx); err != nil {
		t.Fatalf("run 4: %v", err)
	}
	if got := journal.recorded(); len(got) != 1 {
		t.Fatalf("journal after run 4: %v, want the one erasure", got)
	}
	if runs != 4 {
		t.Fatalf("%d runs", runs)
	}
}

// TestRetentionStampsProfilesWithoutActivity: profiles from before the retention job (no
// lastActiveAt) get the run's time, so their clock starts then, and nobody is flagged on the day
// the job is deployed.
func TestRetentionStampsProfilesWithoutActivity(t *testing.T) {
	s := testneo4j.Prepared(t, nil)
	ctx := ctxT(t)
	legacy := retCreate(t, s)
	cypher(t, s, `MATCH (p:Person {id: $id}) REMOVE p.lastActiveAt, p.createdAt`, map[string]any{"id": legacy.id})
	now := time.Now().UTC().Truncate(time.Millisecond)
	var runIDs []string
	t.Cleanup(func() {
		cypher(t, s, `MATCH (e:AuditEvent) WHERE e.requestId IN $ids DELETE e`, map[string]any{"ids": runIDs})
	})
	job := retention.Job{Store: s, Policy: retention.DefaultPolicy(), Now: func() time.Time { return now },
		NewID: func() string { id := "test-" + privRandom(t, 8); runIDs = append(runIDs, "retention-"+id); return id }}
	rep, err := job.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	props := retProps(t, s, legacy.id)
	if at, _ := props["lastActiveAt"].(time.Time); rep.Stamped < 1 || !at.Equal(now) || props["reconfirmRequestedAt"] != nil {
		t.Fatalf("report %+v, profile %v: want lastActiveAt = the run's time and no flag", rep, props)
	}
	if props["createdAt"] != nil {
		t.Fatalf("createdAt invented: %v", props["createdAt"])
	}
	// A year and a day later it is due.
	now = now.Add(366 * retention.Day)
	if _, err := job.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if props := retProps(t, s, legacy.id); props["reconfirmRequestedAt"] == nil {
		t.Fatalf("a year and a day after the stamp: %v, want flagged", props)
	}
}

// TestRetentionReconfirmNotificationIsClaimedWithItsDeadline: the sender gets a
// RECONFIRM_PROFILE notification with the recipient and the deadline; one whose profile was
// confirmed meanwhile is dropped, not sent.
func TestRetentionReconfirmNotificationIsClaimedWithItsDeadline(t *testing.T) {
	f := newOutboxFixture(t)
	now := outboxDay(500)
	by := time.Date(2027, 3, 12, 9, 0, 0, 0, time.UTC)
	waiting := f.person("waiting", map[string]any{"givenName": "Wai", "name": "Wai Ting", "email": "wai@retention-test.example.org",
		"confirmed": false, "source": "IMPORT", "reconfirmRequestedAt": now, "reconfirmBy": by})
	claimed := f.person("claimed", map[string]any{"givenName": "Cla", "name": "Cla Imed", "email": "cla@retention-test.example.org",
		"confirmed": true, "source": "IMPORT"})
	ask := f.notification("ask", bridge.NotificationReconfirmProfile, waiting, "", "PENDING", now, time.Time{})
	late := f.notification("late", bridge.NotificationReconfirmProfile, claimed, "", "PENDING", now, time.Time{})
	f.cypher(`MATCH (n:Notification) WHERE n.id IN $ids REMOVE n.introductionId`, map[string]any{"ids": []string{ask, late}})

	items, err := f.s.ClaimDueNotifications(f.ctx, now, 50)
	if err != nil {
		t.Fatal(err)
	}
	got := f.mine(items)
	it, ok := got[ask]
	if len(got) != 1 || !ok {
		t.Fatalf("claimed %v, want the waiting person's notification only", items)
	}
	if it.Kind != bridge.NotificationReconfirmProfile || it.IntroductionID != "" || !it.ReconfirmBy.Equal(by) ||
		it.Recipient.PersonID != waiting || it.Recipient.Email != "wai@retention-test.example.org" || it.Recipient.GivenName != "Wai" {
		t.Fatalf("item %s", describe(it))
	}
	if st := f.state(late); st.Status != "DROPPED" || st.LastError != "confirmed" {
		t.Fatalf("notification of a confirmed profile: %+v, want DROPPED (confirmed)", st)
	}
}

// TestErasureIsJournaledAfterCommitOnly: every erasure through the store reaches the journal once
// its transaction committed; a failed one and the re-application of the journal do not add lines.
func TestErasureIsJournaledAfterCommitOnly(t *testing.T) {
	s, journal := journaledStore(t)
	ctx := ctxT(t)
	p := privPerson(t, s, bridge.Person{})
	if _, err := s.ErasePerson(ctx, p.ID, member(p.ID), bridge.RightsAnswer{}); err != nil {
		t.Fatal(err)
	}
	if got := journal.recorded(); !slices.Equal(got, []string{p.ID}) {
		t.Fatalf("journal %v, want %s", got, p.ID)
	}
	if _, err := s.ErasePerson(ctx, p.ID, member(p.ID), bridge.RightsAnswer{}); bridge.ErrorCode(err) != bridge.CodeNotFound {
		t.Fatalf("second erasure: %v, want NOT_FOUND", err)
	}
	// Back from a backup: reapplied, audited with the reason, and not journaled a second time.
	cypher(t, s, `CREATE (:Person {id: $id, name: 'Back From Backup', confirmed: true, source: 'SELF', demo: false})`, map[string]any{"id": p.ID})
	existing, err := s.PeopleExisting(ctx, []string{p.ID, privUUID(t)})
	if err != nil || !slices.Equal(existing, []string{p.ID}) {
		t.Fatalf("PeopleExisting = %v, %v", existing, err)
	}
	erased, err := s.ReapplyErasure(ctx, p.ID, bridge.AuditEntry{ActorRole: bridge.RoleSystem, RequestID: "reapply-test"})
	if err != nil || !erased {
		t.Fatalf("reapply: %v, %v", erased, err)
	}
	if erased, err := s.ReapplyErasure(ctx, p.ID, bridge.AuditEntry{ActorRole: bridge.RoleSystem}); err != nil || erased {
		t.Fatalf("reapply of an absent person: %v, %v; want false, nil", erased, err)
	}
	if got := journal.recorded(); len(got) != 1 {
		t.Fatalf("journal %v, want the first erasure only", got)
	}
	events, err := s.AuditEvents(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var reasons []string
	for _, e := range events {
		if e.Action == bridge.AuditErase {
			reasons = append(reasons, strings.Fields(e.Detail)[0])
		}
	}
	if !slices.Equal(reasons, []string{"reason=journal", "introductions=0"}) {
		t.Fatalf("ERASE events (newest first) begin %v", reasons)
	}
}

func TestRetentionMigrationCreatesTheIndexes(t *testing.T) {
	s := testneo4j.Prepared(t, nil)
	_, indexes, err := s.SchemaNames(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"person_last_active", "person_reconfirm_requested", "audit_event_at", "notification_status_created"} {
		if !slices.Contains(indexes, want) {
			t.Errorf("index %s missing from %v", want, indexes)
		}
	}
}

// TestRetentionReChecksUnderTheLock: the store acts only on what is still due when it holds the
// person's lock, whatever the job read before (a profile confirmed, edited or given a later
// deadline in the meantime is left alone).
func TestRetentionReChecksUnderTheLock(t *testing.T) {
	s, journal := journaledStore(t)
	ctx := ctxT(t)
	now := time.Now().UTC()
	c := retention.DefaultPolicy().Cutoffs(now)
	flaggedLongAgo := now.Add(-60 * retention.Day)
	set := func(p retPerson, props map[string]any) {
		cypher(t, s, `MATCH (p:Person {id: $id}) SET p += $props`, map[string]any{"id": p.id, "props": props})
	}
	due := map[string]any{"lastActiveAt": now.Add(-500 * retention.Day), "reconfirmRequestedAt": flaggedLongAgo,
		"reconfirmBy": flaggedLongAgo.Add(30 * retention.Day)}
	confirmed, later, active, account := retCreate(t, s), retCreate(t, s), retCreate(t, s), retCreate(t, s)
	for _, p := range []retPerson{confirmed, later, active, account} {
		set(p, due)
	}
	set(confirmed, map[string]any{"confirmed": true})
	set(later, map[string]any{"reconfirmBy": now.Add(retention.Day)})
	set(active, map[string]any{"lastActiveAt": flaggedLongAgo.Add(retention.Day)})
	privAccount(t, s, account.id, "sub-"+privRandom(t, 6))
	system := bridge.AuditEntry{ActorRole: bridge.RoleSystem, RequestID: "retention-test"}
	for name, p := range map[string]retPerson{"confirmed": confirmed, "deadline not reached": later,
		"active since the request": active, "signs in": account} {
		erased, err := s.EraseForRetention(ctx, p.id, c, system)
		if err != nil || erased || retProps(t, s, p.id) == nil {
			t.Errorf("%s: erased %v, %v; want it kept", name, erased, err)
		}
	}
	if erased, err := s.EraseForRetention(ctx, privUUID(t), c, system); err != nil || erased {
		t.Errorf("absent person: %v, %v; want false, nil", erased, err)
	}
	if got := journal.recorded(); len(got) != 0 {
		t.Errorf("journal %v after no erasure", got)
	}

	// Flagging re-checks too: a confirmed, an already flagged and a recently active profile are not
	// flagged (again).
	fresh, old := retCreate(t, s), retCreate(t, s)
	set(old, map[string]any{"lastActiveAt": now.Add(-500 * retention.Day), "confirmed": true})
	n, err := s.FlagForReconfirmation(ctx, []string{confirmed.id, later.id, fresh.id, old.id}, c)
	if err != nil || n != 0 {
		t.Fatalf("flagged %d, %v; want 0", n, err)
	}
	set(old, map[string]any{"confirmed": false})
	if n, err := s.FlagForReconfirmation(ctx, []string{old.id, old.id}, c); err != nil || n != 1 {
		t.Fatalf("flagged %d, %v; want the one due profile once", n, err)
	}
	if got := len(reconfirmNotifications(t, s, old.id)); got != 1 {
		t.Fatalf("%d notifications, want 1", got)
	}
}
