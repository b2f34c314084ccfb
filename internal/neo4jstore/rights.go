package neo4jstore

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The register of data-subject rights requests (docs/introductions.md, "Rights requests"):
//
//	(:RightsRequest {id, kind, channel, status, receivedAt, dueAt, extendedAt, extensionReason,
//	                 closedAt, outcome, note, closingNote, anonymised})-[:CONCERNS]->(:Person)
//
// The person is a relationship, not a property: when the person is erased the relationship goes
// with them, the free text (notes, extension reason) is removed and the request stays as an
// anonymous record (anonymised = true) that still shows what was asked and when it was answered.

const (
	// rightsProjection is the map of a request r that rightsFromRow reads.
	rightsProjection = `r{.id, .kind, .channel, .status, .receivedAt, .dueAt, .extendedAt, .extensionReason, .closedAt,
  .outcome, .note, .closingNote, anonymised: coalesce(r.anonymised, false),
  personId: [(r)-[:CONCERNS]->(p:Person) | p.id][0]}`

	qCreateRightsRequest = `
MATCH (p:Person {id: $personId})
CREATE (r:RightsRequest {id: randomUUID(), kind: $kind, channel: $channel, status: $status,
                         receivedAt: $receivedAt, dueAt: $dueAt, closedAt: $closedAt, outcome: $outcome,
                         note: $note, anonymised: false})-[:CONCERNS]->(p)
RETURN ` + rightsProjection + ` AS item`

	// qLockRightsRequest takes the request's write lock (held until commit; see qLockPerson) and
	// reads it, so that two changes of one request run one after the other.
	qLockRightsRequest = `
MATCH (r:RightsRequest {id: $id}) SET r._lock = true REMOVE r._lock
RETURN ` + rightsProjection + ` AS item`

	qRightsRequest = `
MATCH (r:RightsRequest {id: $id})
RETURN ` + rightsProjection + ` AS item`

	qExtendRightsRequest = `
MATCH (r:RightsRequest {id: $id})
SET r.status = 'EXTENDED', r.dueAt = $dueAt, r.extendedAt = $now, r.extensionReason = $reason
RETURN ` + rightsProjection + ` AS item`

	qCloseRightsRequest = `
MATCH (r:RightsRequest {id: $id})
SET r.status = $outcome, r.outcome = $outcome, r.closedAt = $now, r.closingNote = $note
RETURN ` + rightsProjection + ` AS item`

	// qEraseRightsRequests keeps the requests about a person who is being erased as anonymous
	// records: the free text goes (it may hold personal data); the CONCERNS relationship goes
	// with the person (DETACH DELETE). Run before the person is deleted.
	qEraseRightsRequests = `
MATCH (r:RightsRequest)-[:CONCERNS]->(:Person {id: $personId})
SET r.anonymised = true
REMOVE r.note, r.closingNote, r.extensionReason
RETURN count(r) AS n`

	// rightsFilterP is the filter of the register; $today is the start of today (UTC), and
	// $dueBefore the start of the day after the last day of "due within". Every time of a
	// request and every time parameter is a Go time in UTC, so all have the zone [UTC]: Neo4j
	// orders two datetimes of one instant by their zone, which would break the cursor's tie.
	rightsFilterP = `($statuses IS NULL OR r.status IN $statuses) AND ($kinds IS NULL OR r.kind IN $kinds)
    AND ($dueBefore IS NULL OR (r.status IN ['OPEN', 'EXTENDED'] AND r.dueAt < $dueBefore))
    AND ($overdue IS NULL OR (r.status IN ['OPEN', 'EXTENDED'] AND r.dueAt < $today) = $overdue)`

	// qRightsRequestsPage is the SLA report: one page ordered by due date, and the number
	// matching, in one round trip.
	qRightsRequestsPage = `
CALL () {
  MATCH (r:RightsRequest)
  WHERE ` + rightsFilterP + `
  RETURN count(r) AS total
}
CALL () {
  MATCH (r:RightsRequest)
  WHERE ` + rightsFilterP + `
    AND ($afterDue IS NULL OR r.dueAt > $afterDue OR (r.dueAt = $afterDue AND r.id > $afterId))
  WITH r ORDER BY r.dueAt, r.id LIMIT $limit
  RETURN collect(` + rightsProjection + `) AS items
}
RETURN total, items`
)

func rightsFromRow(m *row) (bridge.RightsRequest, error) {
	r := bridge.RightsRequest{ID: m.Str("id"), Kind: bridge.RightsKind(m.Str("kind")), Channel: bridge.RightsChannel(m.Str("channel")),
		Status: bridge.RightsStatus(m.Str("status")), Outcome: bridge.RightsStatus(m.OptStr("outcome")), PersonID: m.OptStr("personId"),
		Note: m.OptStr("note"), ClosingNote: m.OptStr("closingNote"), ExtensionReason: m.OptStr("extensionReason"),
		ReceivedAt: m.OptTime("receivedAt"), DueAt: m.OptTime("dueAt"), ExtendedAt: m.OptTime("extendedAt"),
		ClosedAt: m.OptTime("closedAt"), Anonymised: m.Bool("anonymised")}
	if err := m.Err("rights request"); err != nil {
		return bridge.RightsRequest{}, err
	}
	return r, nil
}

// rightsItem reads the request of the first record's "item" column; found is false without one.
func rightsItem(recs []*neo4j.Record) (r bridge.RightsRequest, found bool, err error) {
	if len(recs) == 0 {
		return r, false, nil
	}
	r, err = rightsFromRow(recordRow(recs[0]).Row("item"))
	return r, err == nil, err
}

// rightsDetail is the detail of a register audit event: ids and enum values only.
func rightsDetail(r bridge.RightsRequest) string {
	return "request=" + r.ID + " kind=" + string(r.Kind) + " channel=" + string(r.Channel) + " status=" + string(r.Status)
}

func createRightsRequest(ctx context.Context, tx neo4j.ManagedTransaction, personID string, kind bridge.RightsKind,
	channel bridge.RightsChannel, receivedAt time.Time, note string, closedAt time.Time) (bridge.RightsRequest, bool, error) {
	var closed, outcome any
	status := bridge.RightsOpen
	if !closedAt.IsZero() {
		status, closed, outcome = bridge.RightsFulfilled, closedAt.UTC(), string(bridge.RightsFulfilled)
	}
	recs, err := runConsume(ctx, tx, qCreateRightsRequest, map[string]any{"personId": personID, "kind": string(kind),
		"channel": string(channel), "status": string(status), "receivedAt": receivedAt.UTC(),
		"dueAt": bridge.RightsDueAt(receivedAt, false), "closedAt": closed, "outcome": outcome, "note": nullIfEmpty(note)})
	if err != nil {
		return bridge.RightsRequest{}, false, err
	}
	return rightsItem(recs)
}

// lockRightsRequest locks and reads a request inside a transaction.
func lockRightsRequest(ctx context.Context, tx neo4j.ManagedTransaction, id string) (bridge.RightsRequest, bool, error) {
	recs, err := runConsume(ctx, tx, qLockRightsRequest, map[string]any{"id": id})
	if err != nil {
		return bridge.RightsRequest{}, false, err
	}
	return rightsItem(recs)
}

// answerRights records, inside a privacy act's transaction on personID (already locked), the
// rights request the act answers: a new self-service request received and fulfilled now, or the
// recorded request answer.RequestID closed as FULFILLED (audited as CLOSE_RIGHTS_REQUEST). field
// names the argument that gave the request id, for errors.
func answerRights(ctx context.Context, tx neo4j.ManagedTransaction, personID string, answer bridge.RightsAnswer,
	actor bridge.AuditEntry, field string) error {
	now := time.Now().UTC()
	switch {
	case answer.RequestID != "":
		r, found, err := lockRightsRequest(ctx, tx, answer.RequestID)
		if err != nil {
			return err
		}
		if !found {
			return bridge.InvalidInput([]string{field}, "no such rights request")
		}
		if err := bridge.DecideFulfil(r, personID, answer.Kind, field); err != nil {
			return err
		}
		recs, err := runConsume(ctx, tx, qCloseRightsRequest, map[string]any{"id": r.ID,
			"outcome": string(bridge.RightsFulfilled), "now": now, "note": nil})
		if err != nil {
			return err
		}
		if r, _, err = rightsItem(recs); err != nil {
			return err
		}
		_, err = runConsume(ctx, tx, qAppendAudit, auditFor(actor, bridge.AuditCloseRights, personID, rightsDetail(r)))
		return err
	case answer.SelfService:
		if !answer.Kind.Valid() {
			return fmt.Errorf("rights answer: unknown kind %q", answer.Kind)
		}
		_, found, err := createRightsRequest(ctx, tx, personID, answer.Kind, bridge.ChannelSelfService, now, "", now)
		if err == nil && !found {
			err = bridge.Errorf(bridge.CodeNotFound, "no such person")
		}
		return err
	}
	return nil
}

// RecordRightsRequest implements rights.Store.
func (s *Store) RecordRightsRequest(ctx context.Context, in bridge.RightsRequestInput, actor bridge.AuditEntry) (bridge.RightsRequest, error) {
	var out bridge.RightsRequest
	_, err := s.run(ctx, neo4j.AccessModeWrite, "record_rights_request", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		r, found, err := createRightsRequest(ctx, tx, in.PersonID, in.Kind, in.Channel, in.ReceivedAt, in.Note, time.Time{})
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, bridge.InvalidInput([]string{"input", "personId"}, "no such person")
		}
		out = r
		return runConsume(ctx, tx, qAppendAudit, auditFor(actor, bridge.AuditRecordRights, in.PersonID, rightsDetail(r)))
	})
	if err != nil {
		return bridge.RightsRequest{}, err
	}
	return out, nil
}

// changeRightsRequest locks the request, lets decide check the change, runs the query with
// params (plus $id) and appends the audit event of action.
func (s *Store) changeRightsRequest(ctx context.Context, name, id string, decide func(bridge.RightsRequest) error,
	query string, params map[string]any, action bridge.AuditAction, actor bridge.AuditEntry) (bridge.RightsRequest, error) {
	var out bridge.RightsRequest
	params["id"] = id
	_, err := s.run(ctx, neo4j.AccessModeWrite, name, func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		r, found, err := lockRightsRequest(ctx, tx, id)
		if err != nil {
			return nil, err
		}
		if !found {
			return nil, bridge.Errorf(bridge.CodeNotFound, "no such rights request")
		}
		if err := decide(r); err != nil {
			return nil, err
		}
		recs, err := runConsume(ctx, tx, query, params)
		if err != nil {
			return nil, err
		}
		if out, _, err = rightsItem(recs); err != nil {
			return nil, err
		}
		return runConsume(ctx, tx, qAppendAudit, auditFor(actor, action, out.PersonID, rightsDetail(out)))
	})
	if err != nil {
		return bridge.RightsRequest{}, err
	}
	return out, nil
}

// ExtendRightsRequest implements rights.Store: the new due date is three months after
// receipt (bridge.RightsDueAt).
func (s *Store) ExtendRightsRequest(ctx context.Context, id, reason string, now time.Time, actor bridge.AuditEntry) (bridge.RightsRequest, error) {
	if err := bridge.ValidateExtension(reason, "reason"); err != nil {
		return bridge.RightsRequest{}, err
	}
	params := map[string]any{"now": now.UTC(), "reason": reason}
	decide := func(r bridge.RightsRequest) error {
		params["dueAt"] = bridge.RightsDueAt(r.ReceivedAt, true)
		return bridge.DecideExtend(r, now)
	}
	return s.changeRightsRequest(ctx, "extend_rights_request", id, decide, qExtendRightsRequest, params, bridge.AuditExtendRights, actor)
}

// CloseRightsRequest implements rights.Store.
func (s *Store) CloseRightsRequest(ctx context.Context, id string, outcome bridge.RightsStatus, note string, now time.Time,
	actor bridge.AuditEntry) (bridge.RightsRequest, error) {
	if err := bridge.ValidateClosing(outcome, note); err != nil {
		return bridge.RightsRequest{}, err
	}
	params := map[string]any{"outcome": string(outcome), "now": now.UTC(), "note": nullIfEmpty(note)}
	return s.changeRightsRequest(ctx, "close_rights_request", id, bridge.DecideClose, qCloseRightsRequest, params,
		bridge.AuditCloseRights, actor)
}

// RightsRequest implements rights.Store.
func (s *Store) RightsRequest(ctx context.Context, id string) (bridge.RightsRequest, error) {
	recs, err := s.read(ctx, "rights_request", qRightsRequest, map[string]any{"id": id})
	if err != nil {
		return bridge.RightsRequest{}, err
	}
	r, found, err := rightsItem(recs)
	if err == nil && !found {
		err = bridge.Errorf(bridge.CodeNotFound, "no such rights request")
	}
	return r, err
}

// RightsRequests implements rights.Store.
func (s *Store) RightsRequests(ctx context.Context, f bridge.RightsFilter, now time.Time, first int, after string) (bridge.RightsPage, error) {
	var page bridge.RightsPage
	afterDue, afterID, err := bridge.ParseTimeCursor(after)
	if err != nil {
		return page, err
	}
	y, m, d := now.UTC().Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	params := map[string]any{"statuses": nil, "kinds": nil, "dueBefore": nil, "overdue": nil, "today": today,
		"afterDue": nil, "afterId": nil, "limit": int64(first + 1)}
	if len(f.Statuses) > 0 {
		ss := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			ss[i] = string(st)
		}
		params["statuses"] = ss
	}
	if len(f.Kinds) > 0 {
		ks := make([]string, len(f.Kinds))
		for i, k := range f.Kinds {
			ks[i] = string(k)
		}
		params["kinds"] = ks
	}
	if f.DueWithinDays != nil {
		params["dueBefore"] = today.AddDate(0, 0, *f.DueWithinDays+1)
	}
	if f.Overdue != nil {
		params["overdue"] = *f.Overdue
	}
	if after != "" {
		params["afterDue"], params["afterId"] = afterDue, afterID
	}
	recs, err := s.read(ctx, "rights_requests_page", qRightsRequestsPage, params)
	if err != nil || len(recs) == 0 {
		return page, err
	}
	page.Items, page.Total, page.HasNext, err = readPage(recs, first, rightsFromRow)
	return page, err
}
