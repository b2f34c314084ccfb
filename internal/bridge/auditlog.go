package bridge

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Reading the audit log (GDPR art. 5(2), 30). The log is append-only: nothing in the API edits or
// deletes an event (a schema test in graph checks that no mutation could), and every read of it
// is itself appended as an AUDIT_READ event in the transaction of the read.

// AuditEvent is one stored audit event.
type AuditEvent struct {
	ID string
	At time.Time
	AuditEntry
}

// AuditFilter selects audit events; all set conditions apply.
type AuditFilter struct {
	EventID  string      // the one event with this id (node(id:))
	PersonID string      // events about this person (the target)
	ActorID  string      // events by this person
	Action   AuditAction // e.g. READ_CONTACT
	Since    time.Time   // at or after (zero: no bound)
	Until    time.Time   // before (zero: no bound)
}

// Validate checks the filter; fields are reported under "filter".
func (f AuditFilter) Validate() error {
	if f.Action != "" && !slices.Contains(AuditActions, f.Action) {
		return InvalidInput([]string{"filter", "action"}, "not an audit action")
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		return InvalidInput([]string{"filter", "until"}, "until must be after since")
	}
	return nil
}

// Detail describes a read of the log for its AUDIT_READ event: the filter (ids, an action name
// and times, never free text) and the page asked for.
func (f AuditFilter) Detail(first int, after string) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("id", f.EventID)
	add("personId", f.PersonID)
	add("actorId", f.ActorID)
	add("action", string(f.Action))
	if !f.Since.IsZero() {
		add("since", f.Since.UTC().Format(time.RFC3339))
	}
	if !f.Until.IsZero() {
		add("until", f.Until.UTC().Format(time.RFC3339))
	}
	add("first", strconv.Itoa(first))
	if after != "" {
		add("after", "cursor")
	}
	return strings.Join(parts, " ")
}

// ResultPage is one page of a paged list: the items, how many match in all, and whether more follow.
type ResultPage[T any] struct {
	Items   []T
	Total   int // how many match the filter
	HasNext bool
}

// AuditPage is a page of the audit log, newest first.
type AuditPage = ResultPage[AuditEvent]

// AuditCursor encodes the position of an event in the log (time, then id).
func AuditCursor(e AuditEvent) string {
	return Cursor(e.At.UTC().Format(time.RFC3339Nano) + "/" + e.ID)
}
