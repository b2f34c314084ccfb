// Storage limitation (docs/introductions.md, "Retention"; internal/retention). The retention job
// finds unconfirmed imported profiles by their last activity and by their reconfirmation request,
// and deletes audit events by time and notifications in a final state by status and creation time.
// Person.createdAt and Person.lastActiveAt are written by the code that creates or changes a
// profile; people written before this migration have no lastActiveAt, and the retention job gives
// them its first run's time (so nobody is flagged, let alone erased, the day it is deployed). That
// is not done here: migrations are schema statements only, each in one short transaction.
CREATE INDEX person_last_active IF NOT EXISTS FOR (n:Person) ON (n.lastActiveAt);
CREATE INDEX person_reconfirm_requested IF NOT EXISTS FOR (n:Person) ON (n.reconfirmRequestedAt);
CREATE INDEX audit_event_at IF NOT EXISTS FOR (n:AuditEvent) ON (n.at);
CREATE INDEX notification_status_created IF NOT EXISTS FOR (n:Notification) ON (n.status, n.createdAt);
