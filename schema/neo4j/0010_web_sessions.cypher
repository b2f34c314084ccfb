// The web app's sessions and sign-ins under way (internal/websession; neo4jstore/websessions.go),
// kept in the graph so that every API instance behind a load balancer sees them: the callback of a
// sign-in may reach another instance than the one that started it. Both are found by the SHA-256
// of the id their cookie carries (never the id itself); expired ones are swept by their deadline;
// an erasure deletes the sessions of the person's accounts by (issuer, subject).
CREATE CONSTRAINT web_session_key IF NOT EXISTS FOR (s:WebSession) REQUIRE s.key IS UNIQUE;
CREATE CONSTRAINT web_signin_key IF NOT EXISTS FOR (p:WebSignIn) REQUIRE p.key IS UNIQUE;
CREATE INDEX web_session_deadline IF NOT EXISTS FOR (s:WebSession) ON (s.deadline);
CREATE INDEX web_session_account IF NOT EXISTS FOR (s:WebSession) ON (s.issuer, s.subject);
CREATE INDEX web_signin_expires IF NOT EXISTS FOR (p:WebSignIn) ON (p.expiresAt);
