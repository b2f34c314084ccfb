package fx

import (
	"strings"
	"testing"
	"time"
)

// AuditFilter selects audit events; empty fields select any.
type AuditFilter struct {
	Actions      []string // one of these actions
	ActionPrefix string   // an action starting with this (READ_)
	TargetIDs    []string // about one of these people
	ActorID      string
	Actor        string // the command-line actor of CLI events (cli)
	RequestID    string
	Since        time.Time // at or after
}

func (f AuditFilter) match() (string, map[string]any, []string) {
	var conds []string
	params := map[string]any{}
	add := func(cond, param string, value any) {
		conds = append(conds, cond)
		params[param] = value
	}
	if len(f.Actions) == 1 {
		add("e.action = $action", "action", f.Actions[0])
	} else if len(f.Actions) > 1 {
		add("e.action IN $actions", "actions", f.Actions)
	}
	if f.ActionPrefix != "" {
		add("e.action STARTS WITH $actionPrefix", "actionPrefix", f.ActionPrefix)
	}
	if len(f.TargetIDs) == 1 {
		add("e.targetId = $target", "target", f.TargetIDs[0])
	} else if len(f.TargetIDs) > 1 {
		add("e.targetId IN $targets", "targets", f.TargetIDs)
	}
	if f.ActorID != "" {
		add("e.actorId = $actorId", "actorId", f.ActorID)
	}
	if f.Actor != "" {
		add("e.actor = $actor", "actor", f.Actor)
	}
	if f.RequestID != "" {
		add("e.requestId = $requestId", "requestId", f.RequestID)
	}
	if !f.Since.IsZero() {
		add("e.at >= $since", "since", f.Since)
	}
	return "MATCH (e:AuditEvent)\n" + where(conds), params, conds
}

// AuditEvent is an event of the audit log as stored; absent fields are "".
type AuditEvent struct {
	ID, Action, ActorRole, ActorID, TargetID, RequestID, Detail string
	At                                                          time.Time
}

// AuditEvents returns the events the filter selects, oldest first.
func AuditEvents(t testing.TB, f AuditFilter) []AuditEvent {
	t.Helper()
	q, params, _ := f.match()
	var out []AuditEvent
	for _, r := range run(t, q+`RETURN e.id AS id, e.action AS action, e.actorRole AS role, e.actorId AS actor, e.targetId AS target,
       e.requestId AS rid, e.detail AS detail, e.at AS at ORDER BY e.at, e.id`, params) {
		out = append(out, AuditEvent{ID: r.str("id"), Action: r.str("action"), ActorRole: r.str("role"), ActorID: r.str("actor"),
			TargetID: r.str("target"), RequestID: r.str("rid"), Detail: r.str("detail"), At: r.when("at")})
	}
	return out
}

// DeleteAuditEvents deletes the events the filter selects (at least one field is required).
func DeleteAuditEvents(t testing.TB, f AuditFilter) {
	t.Helper()
	q, params, conds := f.match()
	requireFilter(t, "fx.DeleteAuditEvents", conds)
	run(t, q+"DELETE e", params)
}

// Actions lists the actions of events, in their order.
func Actions(events []AuditEvent) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.Action
	}
	return out
}

// String is the event in one line, for failure messages.
func (e AuditEvent) String() string {
	return strings.Join([]string{e.Action, e.ActorRole, e.ActorID, e.TargetID, e.RequestID, e.Detail}, "|")
}
