package neo4jstore

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The erasure, one statement per step, all in one transaction (docs/introductions.md,
// "Erasure"). Every step returns how many things it changed.
const (
	// qEraseCloseOpen withdraws the open introductions of the person being erased (for the system:
	// nobody can answer for them any more) and tells the others who were asked that it is not
	// possible, so that nothing waits for a party who no longer exists. Done before anonymising.
	qEraseCloseOpen = `
MATCH (:Person {id: $personId})-[:PARTY_TO]->(i:Introduction)
WHERE i.status IN $open
WITH i` + closeOpen

	// qEraseIntroductions anonymises the introductions the person was party to: they keep their
	// status, theme, dates and outcome; the requester's free text and request key (which embeds
	// the requester's id) go when the erased person was the requester. Their PARTY_TO goes with
	// the person (DETACH DELETE).
	// The secretariat's internal notes on those introductions are deleted (free text that may
	// name the person); notes the person wrote as a secretariat member lose their author.
	qEraseIntroductions = `
MATCH (p:Person {id: $personId})-[r:PARTY_TO]->(i:Introduction)
WITH i, collect(r.side) AS sides
SET i.anonymised = true,
    i.message = CASE WHEN 'REQUESTER' IN sides THEN null ELSE i.message END,
    i.requestKey = CASE WHEN 'REQUESTER' IN sides THEN null ELSE i.requestKey END
WITH i
CALL (i) {
  MATCH (i)-[:HAS_NOTE]->(n:IntroductionNote) DETACH DELETE n
}
WITH count(i) AS n
CALL () {
  MATCH (x:IntroductionNote {authorId: $personId}) REMOVE x.authorId
}
RETURN n`

	// qEraseTransitionActor removes the person's id from every transition they made (of
	// introductions they were party to, and of any other, as a secretariat member who is erased),
	// and from the answers the secretariat recorded on their behalf.
	qEraseTransitionActor = `
CALL () {
  MATCH (x:Transition {actorId: $personId}) REMOVE x.actorId RETURN count(x) AS made
}
CALL () {
  MATCH (x:Transition {onBehalfOf: $personId}) REMOVE x.onBehalfOf RETURN count(x) AS answered
}
RETURN made + answered AS n`

	qEraseConsents = `
MATCH (:Person {id: $personId})-[:GAVE]->(c:Consent)
WITH collect(c) AS cs
FOREACH (c IN cs | DETACH DELETE c)
RETURN size(cs) AS n`

	// qEraseAccounts deletes the person's sign-ins and the web sessions open under them, on
	// every instance (the sessions are in the graph): the browser is signed out at once.
	qEraseAccounts = `
MATCH (a:Account)-[:SIGNS_IN_AS]->(:Person {id: $personId})
OPTIONAL MATCH (s:WebSession {issuer: a.issuer, subject: a.subject})
WITH collect(DISTINCT a) AS accounts, collect(s) AS sessions
FOREACH (s IN sessions | DELETE s)
FOREACH (a IN accounts | DETACH DELETE a)
RETURN size(accounts) AS n`

	// qEraseNotifications deletes every outbox entry addressed to the person, whatever its
	// status: pending ones must not be sent, and sent ones are of no use without their recipient
	// (they would only tie the erased id to introductions).
	qEraseNotifications = `
MATCH (n:Notification {recipientId: $personId})
WITH collect(n) AS ns
FOREACH (n IN ns | DETACH DELETE n)
RETURN size(ns) AS n`

	qErasePerson = `
MATCH (p:Person {id: $personId})
DETACH DELETE p`
)

// qTellDataProtection writes the PERSON_ERASED notification to the secretariat's address (no
// recipient person, no introduction): the erased id only, rendered when sent.
const qTellDataProtection = `
CREATE (:Notification {id: randomUUID(), kind: $kind, recipientId: null, introductionId: null, subjectId: $id,
                       createdAt: $now, status: 'PENDING', attempts: 0, nextAttemptAt: $now})`

// ErasePerson implements privacy.Store. Audit events about or by the person keep its id,
// which leads nowhere afterwards; the ERASE event's detail holds the counts only. After the
// transaction committed, the erasure journal (Config.ErasureJournal) gets the person's id.
func (s *Store) ErasePerson(ctx context.Context, personID string, audit bridge.AuditEntry, answer bridge.RightsAnswer) (bridge.ErasureResult, error) {
	res, _, err := s.erase(ctx, personID, audit, eraseOptions{journal: true, answer: answer})
	return res, err
}

// eraseOptions say which erasure runs: one a person or the secretariat asked for (the zero value
// but journal), the retention job's, or the re-application of the journal after a restore.
type eraseOptions struct {
	// reason, when set, goes into the ERASE event's detail as "reason=<reason>" (the retention
	// job, the journal): nobody asked, so the event says why.
	reason string
	// due, when set, runs under the person's lock before anything changes and must return a row
	// for the erasure to go on: the retention job's re-check that the profile is still due (not
	// confirmed in the meantime). Without a row nothing is erased and erase reports false.
	due       string
	dueParams map[string]any
	// missingOK makes a person who does not exist (false, nil) rather than NOT_FOUND.
	missingOK bool
	// journal tells the erasure journal after the transaction committed. The re-application of
	// the journal does not: the id is in the journal already.
	journal bool
	// answer records or closes the rights request the erasure answers (zero: none).
	answer bridge.RightsAnswer
}

// erase is the one erasure of the store (docs/introductions.md, "Erasure"): every path that
// erases a person runs it, so every erasure is audited and, after commit, journaled the same way.
// It reports whether the person was erased.
func (s *Store) erase(ctx context.Context, personID string, audit bridge.AuditEntry, opt eraseOptions) (bridge.ErasureResult, bool, error) {
	var res bridge.ErasureResult
	var erased bool
	now := time.Now().UTC()
	params := map[string]any{"personId": personID}
	_, err := s.run(ctx, neo4j.AccessModeWrite, "erase_person", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		res, erased = bridge.ErasureResult{}, false // the work may run again on retry
		if err := lockPerson(ctx, tx, personID); err != nil {
			if opt.missingOK && bridge.ErrorCode(err) == bridge.CodeNotFound {
				return nil, nil
			}
			return nil, err
		}
		if opt.due != "" {
			p := map[string]any{"personId": personID}
			for k, v := range opt.dueParams {
				p[k] = v
			}
			recs, err := runConsume(ctx, tx, opt.due, p)
			if err != nil {
				return nil, err
			}
			if len(recs) == 0 {
				return nil, nil // no longer due: leave the person alone
			}
		}
		if err := answerRights(ctx, tx, personID, opt.answer, audit, "rightsRequestId"); err != nil {
			return nil, err
		}
		closeParams := closeOpenParams(now, bridge.StatusWithdrawn, bridge.ActionWithdraw, personID)
		closeParams["personId"] = personID
		if _, err := runConsume(ctx, tx, qEraseCloseOpen, closeParams); err != nil {
			return nil, err
		}
		// Art. 19: those who received the person's contact details through an introduction are
		// asked to delete them; the data-protection contact learns of the erasure (id only).
		if _, err := runConsume(ctx, tx, qTellIntroduced, tellIntroducedParams(personID, now, bridge.NotificationPartyErased)); err != nil {
			return nil, err
		}
		if _, err := runConsume(ctx, tx, qTellDataProtection, map[string]any{"id": personID, "now": now,
			"kind": bridge.NotificationPersonErased}); err != nil {
			return nil, err
		}
		for _, step := range []struct {
			query string
			count *int
		}{
			{qEraseIntroductions, &res.IntroductionsAnonymised},
			{qEraseTransitionActor, &res.TransitionsCleared},
			{qEraseConsents, &res.ConsentsDeleted},
			{qEraseAccounts, &res.AccountsDeleted},
			{qEraseNotifications, &res.NotificationsDeleted},
			{qEraseRightsRequests, &res.RightsRequestsKept},
		} {
			recs, err := runConsume(ctx, tx, step.query, params)
			if err != nil {
				return nil, err
			}
			if len(recs) > 0 {
				if *step.count, err = column(recs[0], "n", (*row).Int); err != nil {
					return nil, err
				}
			}
		}
		if _, err := runConsume(ctx, tx, qErasePerson, params); err != nil {
			return nil, err
		}
		detail := fmt.Sprintf("introductions=%d transitions=%d consents=%d accounts=%d notifications=%d",
			res.IntroductionsAnonymised, res.TransitionsCleared, res.ConsentsDeleted, res.AccountsDeleted, res.NotificationsDeleted)
		if opt.reason != "" {
			detail = "reason=" + opt.reason + " " + detail
		}
		erased = true
		return runConsume(ctx, tx, qAppendAudit, auditFor(audit, bridge.AuditErase, personID, detail))
	})
	if err != nil {
		return bridge.ErasureResult{}, false, err
	}
	// After commit only: a journal line for an erasure that rolled back would erase the person at
	// the next reapply-erasures although they asked for nothing of the kind (the retention job's
	// re-check may have kept them). The journal reports its own failures (bridge.ErasureJournal).
	if erased && opt.journal && s.journal != nil {
		s.journal.RecordErasure(personID, now)
	}
	return res, erased, nil
}
