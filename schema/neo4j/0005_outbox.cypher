// The notification outbox (docs/introductions.md, "Notification (outbox)"). The uniqueness of the
// id is already declared in 0001_constraints; it is repeated here (a no-op when present) so that
// this file states everything the outbox relies on. The sender finds due work by status and time:
// "PENDING and nextAttemptAt <= now" (equality on the first property, a range on the second), and
// recovery finds SENDING ones by the same index.
CREATE CONSTRAINT notification_id IF NOT EXISTS FOR (n:Notification) REQUIRE n.id IS UNIQUE;
CREATE INDEX notification_status_next_attempt IF NOT EXISTS FOR (n:Notification) ON (n.status, n.nextAttemptAt);
