// The privacy rights (docs/introductions.md): consent, export and erasure. Consent records are
// unique on their id (consent_id, already created by 0001_constraints with the same name, so
// this statement does nothing there and documents the key here). Range indexes for the lookups by
// person id that export and erasure make on nodes that are not linked to the person: the audit
// events about them, the outbox entries addressed to them and the introduction transitions they
// acted in.
CREATE CONSTRAINT consent_id IF NOT EXISTS FOR (n:Consent) REQUIRE n.id IS UNIQUE;
CREATE INDEX audit_event_target IF NOT EXISTS FOR (n:AuditEvent) ON (n.targetId);
CREATE INDEX notification_recipient IF NOT EXISTS FOR (n:Notification) ON (n.recipientId);
CREATE INDEX transition_actor IF NOT EXISTS FOR (n:Transition) ON (n.actorId);
