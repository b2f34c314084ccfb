// The register of data-subject rights requests and the reading of the audit log
// (docs/introductions.md, "Rights requests" and "Audit"). Requests are unique on their id; the
// SLA report reads them ordered by due date. The audit log is read newest first, and filtered
// by actor (by target: audit_event_target in 0006_privacy).
CREATE CONSTRAINT rights_request_id IF NOT EXISTS FOR (n:RightsRequest) REQUIRE n.id IS UNIQUE;
CREATE INDEX rights_request_due IF NOT EXISTS FOR (n:RightsRequest) ON (n.dueAt);
CREATE INDEX audit_event_at IF NOT EXISTS FOR (n:AuditEvent) ON (n.at);
CREATE INDEX audit_event_actor IF NOT EXISTS FOR (n:AuditEvent) ON (n.actorId);
