package neo4jstore

import (
	"context"
	"time"

	"github.com/nordic-integration/bridge/internal/auth"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/websession"
)

// WebSessions is the web app's session store in the graph (websession.Store), shared by every
// instance that uses the same Neo4j: a sign-in started on one instance may come back to another,
// and a session opened on one is seen by all (schema/neo4j/0010_web_sessions.cypher). The keys are
// the SHA-256 of the cookies' ids (websession computes them), so the graph holds nothing that can
// be replayed as a cookie. Expired entries are never returned and are swept, a bounded batch at a
// time, whenever a new one is written.
type WebSessions struct{ s *Store }

// WebSessions returns the web app's session store on this store's database.
func (s *Store) WebSessions() WebSessions { return WebSessions{s} }

var _ websession.Store = WebSessions{}

// sweepBatch bounds the expired entries one write deletes, so a write costs the same however many
// sessions expired; a busy site sweeps more often, an idle one has little to sweep.
const sweepBatch = 100

const (
	qPutWebSession = `
MERGE (s:WebSession {key: $key})
SET s.issuer = $issuer, s.subject = $subject, s.email = $email, s.emailVerified = $emailVerified,
    s.role = $role, s.name = $name, s.csrfToken = $csrf, s.expiresAt = $expires, s.idleExpiresAt = $idle,
    s.deadline = CASE WHEN $expires < $idle THEN $expires ELSE $idle END`
	qSweepWebSessions = `
MATCH (s:WebSession) WHERE s.deadline <= $now
WITH s LIMIT $limit
DELETE s`
	qWebSession = `
MATCH (s:WebSession {key: $key}) WHERE s.deadline > $now
RETURN s{.issuer, .subject, .email, .emailVerified, .role, .name, .csrfToken, .expiresAt, .idleExpiresAt} AS s`
	qTouchWebSession = `
MATCH (s:WebSession {key: $key}) WHERE s.idleExpiresAt < $idle
SET s.idleExpiresAt = $idle, s.deadline = CASE WHEN s.expiresAt < $idle THEN s.expiresAt ELSE $idle END`
	qDeleteWebSession = `
MATCH (s:WebSession {key: $key}) DELETE s`
	qPutWebSignIn = `
MERGE (p:WebSignIn {key: $key})
SET p.state = $state, p.nonce = $nonce, p.verifier = $verifier, p.returnTo = $return, p.expiresAt = $expires`
	qSweepWebSignIns = `
MATCH (p:WebSignIn) WHERE p.expiresAt <= $now
WITH p LIMIT $limit
DELETE p`
	// qTakeWebSignIn reads and deletes in one transaction; the lock taken first makes a second,
	// concurrent take wait and then find the node gone (its projection is null), so a state is
	// used once.
	qTakeWebSignIn = `
MATCH (p:WebSignIn {key: $key})
SET p._LOCK_ = true
REMOVE p._LOCK_
WITH p, p{.state, .nonce, .verifier, .returnTo, .expiresAt} AS taken
DELETE p
RETURN taken`
)

func (w WebSessions) PutSession(ctx context.Context, key string, s websession.Session) error {
	now := time.Now().UTC()
	_, err := w.s.write(ctx, "web_session_put",
		statement{qSweepWebSessions, map[string]any{"now": now, "limit": sweepBatch}},
		statement{qPutWebSession, map[string]any{"key": key, "issuer": s.Identity.Issuer, "subject": s.Identity.Subject,
			"email": s.Identity.Email, "emailVerified": s.Identity.EmailVerified, "role": string(s.Identity.Role),
			"name": s.Identity.Name, "csrf": s.CSRFToken, "expires": s.Expires.UTC(), "idle": s.IdleExpires.UTC()}})
	return err
}

func (w WebSessions) Session(ctx context.Context, key string) (websession.Session, bool, error) {
	recs, err := w.s.read(ctx, "web_session", qWebSession, map[string]any{"key": key, "now": time.Now().UTC()})
	if err != nil || len(recs) == 0 {
		return websession.Session{}, false, err
	}
	r := recordRow(recs[0]).Row("s")
	s := websession.Session{Identity: auth.Identity{Issuer: r.Str("issuer"), Subject: r.Str("subject"), Email: r.OptStr("email"),
		EmailVerified: r.OptBool("emailVerified"), Role: bridge.Role(r.Str("role")), Name: r.OptStr("name")},
		CSRFToken: r.Str("csrfToken"), Expires: r.OptTime("expiresAt"), IdleExpires: r.OptTime("idleExpiresAt")}
	if err := r.Err("web session"); err != nil {
		return websession.Session{}, false, err
	}
	return s, true, nil
}

func (w WebSessions) TouchSession(ctx context.Context, key string, idleExpires time.Time) error {
	_, err := w.s.write(ctx, "web_session_touch", statement{qTouchWebSession, map[string]any{"key": key, "idle": idleExpires.UTC()}})
	return err
}

func (w WebSessions) DeleteSession(ctx context.Context, key string) error {
	_, err := w.s.write(ctx, "web_session_delete", statement{qDeleteWebSession, map[string]any{"key": key}})
	return err
}

func (w WebSessions) PutPending(ctx context.Context, key string, p websession.Pending) error {
	_, err := w.s.write(ctx, "web_signin_put",
		statement{qSweepWebSignIns, map[string]any{"now": time.Now().UTC(), "limit": sweepBatch}},
		statement{qPutWebSignIn, map[string]any{"key": key, "state": p.State, "nonce": p.Nonce, "verifier": p.Verifier,
			"return": p.Return, "expires": p.Expires.UTC()}})
	return err
}

func (w WebSessions) TakePending(ctx context.Context, key string) (websession.Pending, bool, error) {
	recs, err := w.s.write(ctx, "web_signin_take", statement{qTakeWebSignIn, map[string]any{"key": key}})
	if err != nil || len(recs) == 0 {
		return websession.Pending{}, false, err
	}
	r := recordRow(recs[0]).OptRow("taken")
	if r == nil {
		return websession.Pending{}, false, nil // another instance took it first
	}
	p := websession.Pending{State: r.Str("state"), Nonce: r.Str("nonce"), Verifier: r.Str("verifier"),
		Return: r.OptStr("returnTo"), Expires: r.OptTime("expiresAt")}
	if err := r.Err("web sign-in"); err != nil {
		return websession.Pending{}, false, err
	}
	if !time.Now().Before(p.Expires) {
		return websession.Pending{}, false, nil
	}
	return p, true, nil
}
