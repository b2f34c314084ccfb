package neo4jstore

import (
	"context"
	"slices"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Event suggestions (internal/eventsuggestions): after an event, each attendee learns which other
// attendees work on their themes. A suggestion is an attendee the reader may see and suggest
// (suggestable: visibility, SUGGEST consent, open to introductions, not paused) who shares a
// theme; the same rule chooses whom the secretariat's send writes to, and the sender checks it
// again when the e-mail leaves (qClaimDueNotifications).

// qEventSuggestions is the viewer's suggestions at the event: none unless the viewer attended.
// The shared themes are the viewer's (the reason in their own words; sharedThemesT spelt out for
// me and o); the order is the number of shared themes, then the name.
var qEventSuggestions = `
MATCH (me:Person {id: $viewerId})-[:ATTENDED]->(e:Event {id: $event})
MATCH (o:Person)-[:ATTENDED]->(e)
WHERE o <> me AND ` + suggestable("o") + `
WITH o, [(me)-[:WORKS_ON]->(me_st:Theme) WHERE EXISTS { (o)-[:WORKS_ON]->(me_st) }
    OR EXISTS { (o)-[:WORKS_ON]->(:Theme)-[:BROADER]-(me_st) } | me_st.id] AS themes
WHERE size(themes) > 0
RETURN o.id AS id, themes
ORDER BY size(themes) DESC, o.name, o.id
LIMIT $limit`

const (
	// qLockEvent takes the event's write lock (held until commit: two sends are serialised) and
	// reads what the rule needs.
	qLockEvent = `
MATCH (e:Event {id: $event})
SET e._lock = true
REMOVE e._lock
RETURN e.id AS id, toString(e.startDate) AS startDate, toString(e.endDate) AS endDate`
)

// qSendEventSuggestions writes, for each attendee not written to yet who may be written to and
// has at least one suggestion, the mark on their attendance, one EVENT_SUGGESTIONS notification
// (ids only) and one audit event; then records on the event when suggestions were sent.
var qSendEventSuggestions = `
MATCH (e:Event {id: $event})
CALL (e) {
  MATCH (v:Person)-[a:ATTENDED]->(e)
  WHERE a.suggestionsSentAt IS NULL AND ` + reachable("v") + `
    AND EXISTS { MATCH (o:Person)-[:ATTENDED]->(e) WHERE o <> v AND ` + suggestable("o") + ` AND size(` + sharedThemes("v", "o") + `) > 0 }
  SET a.suggestionsSentAt = $now
  CREATE (:Notification {id: randomUUID(), kind: $kind, recipientId: v.id, introductionId: null, eventId: e.id,
                         createdAt: $now, status: 'PENDING', attempts: 0, nextAttemptAt: $now})
  CREATE (:AuditEvent {id: randomUUID(), at: datetime(), action: $action, actorId: $actorId, actorRole: $actorRole,
                       targetId: v.id, requestId: $requestId, detail: 'event=' + e.id})
  RETURN count(v) AS written
}
SET e.suggestionsSentAt = $now
RETURN written`

// SendEventSuggestions implements eventsuggestions.Store.
func (s *Store) SendEventSuggestions(ctx context.Context, eventID string, levels []string, now time.Time, audit bridge.AuditEntry,
	check func(bridge.Event) error) (int, error) {
	var written int
	_, err := s.run(ctx, neo4j.AccessModeWrite, "send_event_suggestions", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		written = 0
		recs, err := runConsume(ctx, tx, qLockEvent, map[string]any{"event": eventID})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, bridge.Errorf(bridge.CodeNotFound, "no such event")
		}
		r := recordRow(recs[0])
		e := bridge.Event{ID: r.Str("id"), StartDate: r.Str("startDate"), EndDate: r.Str("endDate")}
		if err := r.Err("event"); err != nil {
			return nil, err
		}
		if err := check(e); err != nil {
			return nil, err
		}
		p := auditParams(audit)
		p["event"], p["levels"], p["now"], p["kind"] = eventID, levels, now.UTC(), bridge.NotificationEventSuggestions
		recs, err = runConsume(ctx, tx, qSendEventSuggestions, p)
		if err != nil || len(recs) == 0 {
			return nil, err
		}
		n, err := column(recs[0], "written", (*row).Int)
		written = n
		return recs, err
	})
	return written, err
}

// EventSuggestions implements eventsuggestions.Store.
func (s *Store) EventSuggestions(ctx context.Context, viewer bridge.Principal, eventID string, limit int) ([]bridge.EventSuggestion, error) {
	out := []bridge.EventSuggestion{}
	if viewer.PersonID == "" {
		return out, nil
	}
	params := viewerParams(viewer)
	params["event"], params["limit"] = eventID, int64(limit)
	recs, err := s.read(ctx, "event_suggestions", qEventSuggestions, params)
	if err != nil {
		return nil, err
	}
	for _, rec := range recs {
		r := recordRow(rec)
		sug := bridge.EventSuggestion{PersonID: r.Str("id"), ThemeIDs: r.Strs("themes")}
		if err := r.Err("event suggestion"); err != nil {
			return nil, err
		}
		slices.Sort(sug.ThemeIDs)
		out = append(out, sug)
	}
	return out, nil
}
