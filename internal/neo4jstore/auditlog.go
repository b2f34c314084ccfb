package neo4jstore

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Reading the audit log. AuditEvent nodes are only ever created (qAppendAudit,
// qAppendAuditBatch, qAuditExport); this file reads them, and every read appends its own
// AUDIT_READ event in the same transaction.

const (
	// auditFilterP is the filter of the log; absent parameters (null) do not filter. Times are
	// RFC 3339 strings read with datetime(), so that they have the offset form ('Z') of the
	// stored datetime() values: Neo4j orders two datetimes of one instant by their zone, and a
	// Go time in UTC arrives with the zone id [UTC], which would break the cursor's tie.
	auditFilterP = `($eventId IS NULL OR e.id = $eventId) AND ($personId IS NULL OR e.targetId = $personId) AND ($actorId IS NULL OR e.actorId = $actorId)
    AND ($action IS NULL OR e.action = $action) AND ($since IS NULL OR e.at >= datetime($since))
    AND ($until IS NULL OR e.at < datetime($until))`

	// auditProjection reads an event. The command-line export's events (qAuditExport) have an
	// actor name and a count instead of a role and a detail.
	auditProjection = `e{.id, .at, .action, .actorId, .targetId, .requestId,
  actorRole: coalesce(e.actorRole, toUpper(e.actor), 'SYSTEM'),
  detail: coalesce(e.detail, CASE WHEN e.count IS NOT NULL THEN 'count=' + toString(e.count) END)}`

	// qAuditPage reads one page of the log, newest first, and the number matching, in one query.
	qAuditPage = `
CALL () {
  MATCH (e:AuditEvent)
  WHERE ` + auditFilterP + `
  RETURN count(e) AS total
}
CALL () {
  MATCH (e:AuditEvent)
  WHERE ` + auditFilterP + `
    AND ($afterAt IS NULL OR e.at < datetime($afterAt) OR (e.at = datetime($afterAt) AND e.id < $afterId))
  WITH e ORDER BY e.at DESC, e.id DESC LIMIT $limit
  RETURN collect(` + auditProjection + `) AS items
}
RETURN total, items`
)

// ReadAuditLog implements auditlog.Store: the page is read first and the reader's
// AUDIT_READ event appended after it, in one write transaction, so a read that cannot be audited
// fails as a whole.
func (s *Store) ReadAuditLog(ctx context.Context, f bridge.AuditFilter, first int, after string, reader bridge.AuditEntry) (bridge.AuditPage, error) {
	var page bridge.AuditPage
	afterAt, afterID, err := bridge.ParseTimeCursor(after)
	if err != nil {
		return page, err
	}
	params := map[string]any{"eventId": nullIfEmpty(f.EventID), "personId": nullIfEmpty(f.PersonID), "actorId": nullIfEmpty(f.ActorID),
		"action": nullIfEmpty(string(f.Action)), "since": nil, "until": nil, "afterAt": nil, "afterId": nil, "limit": int64(first + 1)}
	if !f.Since.IsZero() {
		params["since"] = f.Since.UTC().Format(time.RFC3339Nano)
	}
	if !f.Until.IsZero() {
		params["until"] = f.Until.UTC().Format(time.RFC3339Nano)
	}
	if after != "" {
		params["afterAt"], params["afterId"] = afterAt.Format(time.RFC3339Nano), afterID
	}
	reader.Action, reader.TargetID, reader.Detail = bridge.AuditRead, "", f.Detail(first, after)
	_, err = s.run(ctx, neo4j.AccessModeWrite, "read_audit_log", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		page = bridge.AuditPage{}
		recs, err := runConsume(ctx, tx, qAuditPage, params)
		if err != nil {
			return nil, err
		}
		if page.Items, page.Total, page.HasNext, err = readPage(recs, first, auditEventFromRow); err != nil {
			return nil, err
		}
		return runConsume(ctx, tx, qAppendAudit, appendAuditParams(reader))
	})
	if err != nil {
		return bridge.AuditPage{}, err
	}
	return page, nil
}

func auditEventFromRow(r *row) (bridge.AuditEvent, error) {
	e := bridge.AuditEvent{ID: r.Str("id"), At: r.OptTime("at")}
	e.AuditEntry = bridge.AuditEntry{Action: bridge.AuditAction(r.Str("action")), ActorRole: bridge.Role(r.OptStr("actorRole")),
		ActorID: r.OptStr("actorId"), TargetID: r.OptStr("targetId"), RequestID: r.OptStr("requestId"), Detail: r.OptStr("detail")}
	if err := r.Err("audit event"); err != nil {
		return bridge.AuditEvent{}, err
	}
	return e, nil
}
