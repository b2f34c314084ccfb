package fx

import (
	"testing"
	"time"
)

// NotificationSpec is a notification in the outbox, written as the introduction workflow writes
// them (ids only; the sender renders the e-mail).
type NotificationSpec struct {
	ID             string
	Kind           string
	RecipientID    string    // none: to the secretariat
	IntroductionID string    // none: not about an introduction (RECONFIRM_PROFILE)
	Status         string    // PENDING unless given
	DueAt          time.Time // createdAt and nextAttemptAt; now (the database's clock) unless given
	ClaimedAt      time.Time // a claim that a (crashed) sender left, with status SENDING
}

const qNotification = `
CREATE (n:Notification {id: $id, kind: $kind, recipientId: $recipientId, introductionId: $introductionId,
  createdAt: coalesce($at, datetime()), status: $status, attempts: 0, nextAttemptAt: coalesce($at, datetime())})
SET n.claimedAt = $claimedAt`

// Notification writes a notification and returns its id.
func Notification(t testing.TB, n NotificationSpec) string {
	t.Helper()
	if n.ID == "" || n.Kind == "" {
		t.Fatalf("fx.Notification: id and kind are required: %+v", n)
	}
	status := n.Status
	if status == "" {
		status = "PENDING"
	}
	run(t, qNotification, map[string]any{"id": n.ID, "kind": n.Kind, "recipientId": orNil(n.RecipientID),
		"introductionId": orNil(n.IntroductionID), "status": status, "at": orNil(n.DueAt), "claimedAt": orNil(n.ClaimedAt)})
	return n.ID
}

// Delivery is what the outbox records of a notification's delivery.
type Delivery struct {
	Status, LastError string
	Attempts          int64
}

// NotificationDelivery reads a notification's status, attempts and last error.
func NotificationDelivery(t testing.TB, id string) Delivery {
	t.Helper()
	r := one(t, "notification "+id, `MATCH (n:Notification {id: $id})
RETURN n.status AS status, n.attempts AS attempts, n.lastError AS lastError`, map[string]any{"id": id})
	return Delivery{Status: r.str("status"), LastError: r.str("lastError"), Attempts: r.integer("attempts")}
}

// NotificationStatus is a notification's status.
func NotificationStatus(t testing.TB, id string) string {
	t.Helper()
	return NotificationDelivery(t, id).Status
}

// NotificationFilter selects notifications; empty fields select any.
type NotificationFilter struct {
	Kind           string
	RecipientID    string
	IntroductionID string
	SubjectID      string // the person a PERSON_ERASED notification is about
}

func (f NotificationFilter) match() (string, map[string]any) {
	var conds []string
	params := map[string]any{}
	for _, c := range []struct{ field, param, value string }{
		{"kind", "kind", f.Kind}, {"recipientId", "recipient", f.RecipientID},
		{"introductionId", "introduction", f.IntroductionID}, {"subjectId", "subject", f.SubjectID},
	} {
		if c.value != "" {
			conds = append(conds, "n."+c.field+" = $"+c.param)
			params[c.param] = c.value
		}
	}
	return "MATCH (n:Notification)\n" + where(conds), params
}

// OutboxEntry is a notification as stored; absent ids are "".
type OutboxEntry struct {
	ID, Kind, RecipientID, IntroductionID, SubjectID, Status string
}

// Notifications returns the notifications the filter selects, by id.
func Notifications(t testing.TB, f NotificationFilter) []OutboxEntry {
	t.Helper()
	q, params := f.match()
	var out []OutboxEntry
	for _, r := range run(t, q+`RETURN n.id AS id, n.kind AS kind, n.recipientId AS recipient, n.introductionId AS introduction,
       n.subjectId AS subject, n.status AS status ORDER BY id`, params) {
		out = append(out, OutboxEntry{ID: r.str("id"), Kind: r.str("kind"), RecipientID: r.str("recipient"),
			IntroductionID: r.str("introduction"), SubjectID: r.str("subject"), Status: r.str("status")})
	}
	return out
}

// DeleteNotifications deletes the notifications the filter selects (at least one field is
// required).
func DeleteNotifications(t testing.TB, f NotificationFilter) {
	t.Helper()
	q, params := f.match()
	requireFilter(t, "fx.DeleteNotifications", mapKeys(params))
	run(t, q+"DELETE n", params)
}

func mapKeys(m map[string]any) []string { return sortedKeys(m) }

// NotificationsOf counts the notifications of a kind addressed to a person, whatever their status.
func NotificationsOf(t testing.TB, personID, kind string) int {
	t.Helper()
	return int(one(t, "notifications", `MATCH (n:Notification {recipientId: $to, kind: $kind}) RETURN count(n) AS n`,
		map[string]any{"to": personID, "kind": kind}).integer("n"))
}
