package neo4jstore

// The notification outbox (docs/introductions.md, "Notification (outbox)"): the introduction
// workflow CREATEs (:Notification) nodes in the transaction of the change that causes them; the
// sender (internal/notify) claims due ones here, reads what the message needs from the graph at that
// moment, and records the outcome. Nothing here stores personal data on a notification: lastError
// is a short code, never an address or a server message.

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// NotificationClaimLease is how long a claimed (SENDING) notification belongs to the sender that
// claimed it. Only a SENDING notification claimed longer ago than this is taken for the leftover of
// a crashed process by RecoverInterruptedNotifications. It must exceed the longest time a sender
// holds a claim (internal/notify.MaxClaimHold), so that recovery never takes a notification that
// a live sender, another instance of the API, is still sending.
const NotificationClaimLease = 10 * time.Minute

// The reasons (lastError) the claim gives to a notification it drops instead of returning.
const (
	dropRecipientGone    = "recipient_gone"    // the person was erased
	dropNoAddress        = "no_address"        // the person has no e-mail address
	dropIntroductionGone = "introduction_gone" // the introduction does not exist
	dropNotIntroduced    = "not_introduced"    // INTRODUCED, but the introduction is not (or no longer) connected
	dropCounterpartGone  = "counterpart_gone"  // INTRODUCED, but the other party was erased or has paused
	dropConfirmed        = "confirmed"         // RECONFIRM_PROFILE, but the profile is confirmed (or no longer flagged)
	dropNoSuggestions    = "no_suggestions"    // EVENT_SUGGESTIONS, but the recipient may no longer be written to, or has nobody to see

	reasonInterrupted = "interrupted" // SENDING left by a crashed process (UNCERTAIN)
)

// qClaimDueNotifications claims due PENDING notifications and reads their content, in one query
// and so in one transaction.
//
// Two senders (two API instances) must never claim the same notification. Under Neo4j's
// read-committed isolation, two transactions can both match a node as PENDING; so the query uses
// Neo4j's documented write-lock pattern ("Concurrent data access", lost updates): SET on the node
// takes its write lock, held until commit, and the status is read again after it, in the WITH …
// WHERE that follows. A second claim that matched the same node waits at the SET until the first
// commits, then reads SENDING and leaves the node alone. The lock property is removed at once
// (the lock stays until commit). Both claims lock in the same order (nextAttemptAt, id), which keeps
// deadlocks rare; the driver retries one that happens (a transient error).
//
// A notification whose recipient person no longer exists (erased) or has no e-mail, whose
// introduction is gone, or (INTRODUCED) whose introduction is not connected or whose other party
// is gone, or (RECONFIRM_PROFILE, which concerns no introduction) whose recipient is no longer
// waiting for reconfirmation, becomes DROPPED in the same transaction, with the reason as
// lastError, and is not returned. Contact details of the other party are read only for INTRODUCED
// notifications of a connected (INTRODUCED or COMPLETED) introduction.
//
// An EVENT_SUGGESTIONS notification is DROPPED (no_suggestions) unless, now, its recipient still
// attended the event, may be written to (reachable) and has at least one suggestion they may see
// (the rule of qSendEventSuggestions): a person hidden since the send is never the reason a
// message leaves. It returns the event's id and name, nobody else's.
//
// The message is written in the recipient's language (language, one of bridge.MessageLanguages;
// the default when they chose none, and for the secretariat), and the theme's label is read in
// it (label_<language>, English where the theme has none).
var qClaimDueNotifications = `
MATCH (n:Notification)
WHERE n.status = 'PENDING' AND n.nextAttemptAt <= $now
WITH n ORDER BY n.nextAttemptAt, n.id
LIMIT $limit
SET n._LOCK_ = true
REMOVE n._LOCK_
WITH n WHERE n.status = 'PENDING'
OPTIONAL MATCH (r:Person {id: n.recipientId})
OPTIONAL MATCH (i:Introduction {id: n.introductionId})
OPTIONAL MATCH (i)<-[:PARTY_TO]-(o:Person)
  WHERE n.kind IN $counterpartKinds AND o.id <> n.recipientId AND NOT coalesce(o.paused, false)
WITH n, r, i, collect(o)[0] AS other
OPTIONAL MATCH (ev:Event {id: n.eventId}) WHERE n.kind = $eventSuggestionsKind
WITH n, r, i, other, ev
WITH n, r, i, other, ev, n.kind = $eventSuggestionsKind AND ev IS NOT NULL AND r IS NOT NULL
  AND EXISTS { (r)-[:ATTENDED]->(ev) } AND ` + reachable("r") + `
  AND EXISTS { MATCH (o:Person)-[:ATTENDED]->(ev) WHERE o <> r AND ` + suggestable("o") + ` AND size(` + sharedThemes("r", "o") + `) > 0 } AS suggesting
WITH n, r, i, other, ev, CASE
  WHEN coalesce(n.recipientId, '') <> '' AND r IS NULL THEN $dropRecipientGone
  WHEN coalesce(n.recipientId, '') <> '' AND trim(coalesce(r.email, '')) = '' THEN $dropNoAddress
  WHEN n.kind = $eventSuggestionsKind AND NOT suggesting THEN $dropNoSuggestions
  WHEN n.kind = $reconfirmKind AND (coalesce(r.confirmed, false) OR r.reconfirmBy IS NULL) THEN $dropConfirmed
  WHEN NOT n.kind IN $noIntroductionKinds AND i IS NULL THEN $dropIntroductionGone
  WHEN n.kind IN $counterpartKinds AND NOT coalesce(i.status IN $connected, false) THEN $dropNotIntroduced
  WHEN n.kind IN $counterpartKinds AND other IS NULL THEN $dropCounterpartGone
END AS dropReason
SET n.status = CASE WHEN dropReason IS NULL THEN 'SENDING' ELSE 'DROPPED' END,
    n.claimedAt = datetime(),
    n.lastError = coalesce(dropReason, n.lastError)
WITH n, r, i, other, ev WHERE dropReason IS NULL
WITH n, r, i, other, ev, CASE WHEN r.language IN $languages THEN r.language ELSE $defaultLanguage END AS language
RETURN n.id AS id, n.kind AS kind, coalesce(n.attempts, 0) AS attempts,
  r{.id, .givenName, .familyName, .name, .email, phone: null, title: null, organisations: null} AS recipient,
  i.id AS introductionId, i.status AS introductionStatus, i.expiresAt AS expiresAt,
  CASE WHEN n.kind = $reconfirmKind THEN r.reconfirmBy END AS reconfirmBy, n.subjectId AS subjectId,
  ev.id AS eventId, ev.name AS eventName,
  language,
  [(i)-[:ABOUT]->(t:Theme) | coalesce(t['label_' + language], t.label_en, t.id)][0] AS theme,
  other{.id, .givenName, .familyName, .name, .email, .phone, .title,
        organisations: [(other)-[:WORKS_AT]->(org:Organisation) | org.name]} AS counterpart
ORDER BY n.nextAttemptAt, n.id`

// memberLevels are the visibility levels a member may see: the recipients of event suggestions
// see what members see, whatever role their own sign-in may have.
func memberLevels() []string {
	var out []string
	for _, l := range (bridge.Principal{Role: bridge.RoleMember}).VisibleLevels() {
		out = append(out, string(l))
	}
	return out
}

// counterpartKinds are the kinds whose message gives the other party's contact details.
func counterpartKinds() []string { return kindsWhere(bridge.CarriesCounterpart) }

// kindsWhere lists the notification kinds for which pred holds.
func kindsWhere(pred func(string) bool) []string {
	var out []string
	for _, k := range bridge.NotificationKinds {
		if pred(k) {
			out = append(out, k)
		}
	}
	return out
}

// ClaimDueNotifications atomically claims up to limit notifications that are PENDING and due
// (nextAttemptAt <= now), marks them SENDING with claimedAt, and returns them with their content
// read from the graph. Notifications that cannot be delivered any more (recipient erased or
// without an address, introduction gone, …) become DROPPED in the same transaction and are not
// returned. Concurrent claims, from this process or another, never return the same notification.
func (s *Store) ClaimDueNotifications(ctx context.Context, now time.Time, limit int) ([]bridge.OutboxItem, error) {
	if limit <= 0 {
		return nil, bridge.InvalidInput([]string{"limit"}, "limit must be positive")
	}
	recs, err := s.write(ctx, "notification_claim", statement{query: qClaimDueNotifications, params: map[string]any{
		"now": now.UTC(), "limit": int64(limit),
		"dropRecipientGone": dropRecipientGone, "dropNoAddress": dropNoAddress,
		"dropIntroductionGone": dropIntroductionGone, "dropNotIntroduced": dropNotIntroduced,
		"dropCounterpartGone": dropCounterpartGone, "counterpartKinds": counterpartKinds(), "connected": bridge.StatusStrings(bridge.ConnectedStatuses),
		"dropConfirmed": dropConfirmed, "reconfirmKind": bridge.NotificationReconfirmProfile,
		"noIntroductionKinds": kindsWhere(bridge.ConcernsNoIntroduction), "languages": bridge.MessageLanguages,
		"defaultLanguage":      bridge.DefaultLanguage,
		"eventSuggestionsKind": bridge.NotificationEventSuggestions, "dropNoSuggestions": dropNoSuggestions,
		"levels": memberLevels(),
	}})
	if err != nil {
		return nil, err
	}
	items := make([]bridge.OutboxItem, 0, len(recs))
	for _, r := range recs {
		it, err := outboxItem(r)
		if err != nil {
			// The notification is SENDING now and cannot be reported; it becomes UNCERTAIN after the
			// lease, never sent twice. The error names the field, not its value.
			return nil, fmt.Errorf("notification_claim: %w", err)
		}
		items = append(items, it)
	}
	return items, nil
}

func outboxItem(r *neo4j.Record) (bridge.OutboxItem, error) {
	rec := recordRow(r)
	it := bridge.OutboxItem{ID: rec.Str("id"), Kind: rec.Str("kind"), SubjectID: rec.OptStr("subjectId"),
		IntroductionStatus: rec.OptStr("introductionStatus"), ExpiresAt: rec.OptTime("expiresAt"),
		ThemeLabel: rec.OptStr("theme"), Attempts: rec.Int("attempts"), Language: rec.Str("language")}
	if bridge.ConcernsNoIntroduction(it.Kind) {
		it.IntroductionID, it.ReconfirmBy = rec.OptStr("introductionId"), rec.OptTime("reconfirmBy")
		it.EventID, it.EventName = rec.OptStr("eventId"), rec.OptStr("eventName")
	} else {
		it.IntroductionID = rec.Str("introductionId")
	}
	if recipient := rec.OptRow("recipient"); recipient != nil {
		it.Recipient = notificationContact(recipient)
	}
	if counterpart := rec.OptRow("counterpart"); counterpart != nil {
		c := notificationContact(counterpart)
		it.Counterpart = &c
	}
	if err := rec.Err("notification " + it.ID); err != nil {
		return bridge.OutboxItem{}, err
	}
	return it, nil
}

func notificationContact(r *row) bridge.NotificationContact {
	c := bridge.NotificationContact{PersonID: r.Str("id"), GivenName: r.OptStr("givenName"), FamilyName: r.OptStr("familyName"),
		Name: r.OptStr("name"), Email: r.OptStr("email"), Phone: r.OptStr("phone"), Title: r.OptStr("title"),
		Organisations: r.Strs("organisations")}
	slices.Sort(c.Organisations)
	return c
}

// qMarkNotificationSent records a delivery. A notification that recovery already made UNCERTAIN
// (its sender outlived the lease) becomes SENT as well: it was sent, once. The lock is taken
// before the status is read, as in the claim.
const qMarkNotificationSent = `
OPTIONAL MATCH (n:Notification {id: $id})
SET n._LOCK_ = true
REMOVE n._LOCK_
WITH n, n.status AS was
FOREACH (_ IN CASE WHEN was IN ['SENDING', 'UNCERTAIN'] THEN [1] ELSE [] END |
  SET n.status = 'SENT', n.sentAt = $at, n.lastError = null)
RETURN was`

// MarkNotificationSent records that the notification was handed to the mail server at at. It is
// NOT_FOUND when the notification does not exist (an erasure deleted it) and a CONFLICT when it
// is neither SENDING nor UNCERTAIN.
func (s *Store) MarkNotificationSent(ctx context.Context, id string, at time.Time) error {
	return s.markNotification(ctx, "notification_mark_sent", qMarkNotificationSent,
		map[string]any{"id": id, "at": at.UTC()}, []string{bridge.NotificationSending, bridge.NotificationUncertain})
}

// qMarkNotificationFailed records a failed attempt: back to PENDING with a later nextAttemptAt,
// or FAILED when final. Only a SENDING notification changes: one that recovery made UNCERTAIN
// stays so (it must never be sent again).
const qMarkNotificationFailed = `
OPTIONAL MATCH (n:Notification {id: $id})
SET n._LOCK_ = true
REMOVE n._LOCK_
WITH n, n.status AS was
FOREACH (_ IN CASE WHEN was = 'SENDING' THEN [1] ELSE [] END |
  SET n.status = CASE WHEN $final THEN 'FAILED' ELSE 'PENDING' END,
      n.attempts = coalesce(n.attempts, 0) + 1,
      n.nextAttemptAt = CASE WHEN $final THEN n.nextAttemptAt ELSE $nextAttempt END,
      n.lastError = $reason)
RETURN was`

// MarkNotificationFailed records a failed attempt of a SENDING notification: attempts+1 and
// lastError = reason, then PENDING again with nextAttemptAt = nextAttempt, or FAILED when final.
// reason is a short code ("smtp_451", "network", …), never an address or a server message; one
// that does not look like a code is stored as "error". Errors as MarkNotificationSent.
func (s *Store) MarkNotificationFailed(ctx context.Context, id string, nextAttempt time.Time, final bool, reason string) error {
	return s.markNotification(ctx, "notification_mark_failed", qMarkNotificationFailed,
		map[string]any{"id": id, "nextAttempt": nextAttempt.UTC(), "final": final, "reason": reasonCode(reason)},
		[]string{bridge.NotificationSending})
}

func (s *Store) markNotification(ctx context.Context, name, query string, params map[string]any, from []string) error {
	recs, err := s.write(ctx, name, statement{query: query, params: params})
	if err != nil {
		return err
	}
	if len(recs) != 1 {
		return fmt.Errorf("%s: %d records", name, len(recs))
	}
	was, err := column(recs[0], "was", (*row).OptStr)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	switch {
	case was == "":
		return &bridge.Error{Code: bridge.CodeNotFound, Message: "no such notification"}
	case !slices.Contains(from, was):
		return &bridge.Error{Code: bridge.CodeConflict, Message: "the notification is " + was, Status: was}
	}
	return nil
}

// reasonCode keeps reason if it is a short code of lower-case letters, digits and underscores,
// so that nothing else (an address in a server's reply) can be stored.
func reasonCode(reason string) string {
	if reason == "" || len(reason) > 40 {
		return "error"
	}
	for _, r := range reason {
		if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
			return "error"
		}
	}
	return reason
}

// qRecoverInterruptedNotifications turns SENDING notifications claimed longer ago than the lease
// into UNCERTAIN. Such a notification was claimed by a sender that stopped (crashed, killed)
// between claiming and recording the outcome: the message may or may not have reached the mail
// server. It is never sent again: a duplicate introduction e-mail is worse than a missing one,
// which the recipient still sees in Bridge. The lock and re-check are as in the claim, so a sender
// that records its outcome at the same moment wins or loses cleanly.
const qRecoverInterruptedNotifications = `
MATCH (n:Notification)
WHERE n.status = 'SENDING'
  AND coalesce(n.claimedAt, datetime({epochSeconds: 0})) < datetime() - duration({seconds: $leaseSeconds})
SET n._LOCK_ = true
REMOVE n._LOCK_
WITH n WHERE n.status = 'SENDING'
SET n.status = 'UNCERTAIN', n.lastError = $reason
RETURN count(n) AS recovered`

// RecoverInterruptedNotifications marks as UNCERTAIN every notification left SENDING by a sender
// that stopped before recording the outcome (claimed longer than NotificationClaimLease ago) and
// returns how many. UNCERTAIN is final: such a notification is never sent again, so a crash can
// lose a message but never send one twice.
func (s *Store) RecoverInterruptedNotifications(ctx context.Context) (int, error) {
	recs, err := s.write(ctx, "notification_recover", statement{query: qRecoverInterruptedNotifications,
		params: map[string]any{"leaseSeconds": int64(NotificationClaimLease / time.Second), "reason": reasonInterrupted}})
	if err != nil {
		return 0, err
	}
	if len(recs) != 1 {
		return 0, fmt.Errorf("notification_recover: %d records", len(recs))
	}
	n, err := column(recs[0], "recovered", (*row).Int)
	if err != nil {
		return 0, fmt.Errorf("notification_recover: %w", err)
	}
	return n, nil
}

const qNotificationCounts = `
MATCH (n:Notification)
RETURN n.status AS status, count(*) AS count`

// NotificationCounts returns the number of notifications by status (for metrics and tests).
func (s *Store) NotificationCounts(ctx context.Context) (map[string]int, error) {
	recs, err := s.read(ctx, "notification_counts", qNotificationCounts, nil)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(recs))
	for _, r := range recs {
		rec := recordRow(r)
		status, c := rec.Str("status"), rec.Int("count")
		if err := rec.Err("notification_counts"); err != nil {
			return nil, err
		}
		out[status] += c
	}
	return out, nil
}
