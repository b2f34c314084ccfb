// The introduction workflow (docs/introductions.md): the expiry sweep reads open introductions by
// status and expiry; the queue is read newest first.
CREATE INDEX introduction_status_expires IF NOT EXISTS FOR (n:Introduction) ON (n.status, n.expiresAt);
CREATE INDEX introduction_created IF NOT EXISTS FOR (n:Introduction) ON (n.createdAt);
