package neo4jstore

// Storage limitation (docs/introductions.md, "Retention"): what the retention job
// (internal/retention) reads and changes, and the re-application of the erasure journal. Every
// statement handles at most $limit items, in a transaction of its own.

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// retentionCovered is the predicate on p of the profiles the retention of unconfirmed profiles
// applies to (retention.Covered): imported by the secretariat, never confirmed, not demo data,
// and nobody signs in as it.
const retentionCovered = `p.source = 'IMPORT' AND p.confirmed = false AND coalesce(p.demo, false) = false
  AND NOT EXISTS { (p)<-[:SIGNS_IN_AS]-(:Account) }`

// retentionDueForFlag and retentionDueForErasure repeat retention.Decide in Cypher: the store
// re-checks, under the person's lock, what the rule decided on a read taken before, so that a
// profile confirmed or edited in the meantime is left alone.
const (
	retentionDueForFlag = retentionCovered + `
  AND p.reconfirmRequestedAt IS NULL AND p.lastActiveAt < $flagBefore`
	retentionDueForErasure = retentionCovered + `
  AND p.reconfirmRequestedAt < $eraseBefore AND coalesce(p.reconfirmBy, $now) <= $now
  AND p.lastActiveAt <= p.reconfirmRequestedAt`
)

const (
	// qRetentionStamp gives covered profiles without a last activity (written before the
	// retention job existed, or by an older binary) the run's time: their clock starts now.
	qRetentionStamp = `
MATCH (p:Person)
WHERE p.lastActiveAt IS NULL AND ` + retentionCovered + `
WITH p LIMIT $limit
SET p.lastActiveAt = $now
RETURN count(p) AS n`

	// qRetentionCandidates reads a page (by id) of the covered profiles that may be due; the
	// rule (retention.Decide) decides.
	qRetentionCandidates = `
MATCH (p:Person)
WHERE p.source = 'IMPORT' AND p.confirmed = false AND coalesce(p.demo, false) = false AND p.id > $after
  AND ((p.reconfirmRequestedAt IS NULL AND p.lastActiveAt < $flagBefore) OR p.reconfirmRequestedAt < $eraseBefore)
WITH p ORDER BY p.id LIMIT $limit
RETURN p.id AS id, p.confirmed AS confirmed, coalesce(p.demo, false) AS demo, p.source AS source,
  EXISTS { (p)<-[:SIGNS_IN_AS]-(:Account) } AS hasAccount, p.lastActiveAt AS lastActiveAt,
  p.reconfirmRequestedAt AS reconfirmRequestedAt, p.reconfirmBy AS reconfirmBy
ORDER BY id`

	// qRetentionFlag flags the profiles that are still due under their lock and asks each owner,
	// through the outbox, to confirm by the deadline.
	qRetentionFlag = `
UNWIND $ids AS pid
WITH DISTINCT pid
MATCH (p:Person {id: pid})
SET p._lock = true
REMOVE p._lock
WITH p WHERE ` + retentionDueForFlag + `
SET p.reconfirmRequestedAt = $now, p.reconfirmBy = $reconfirmBy
WITH p, $kind AS nKind, p.id AS nTo, null AS nIntro
CREATE ` + newNotification + `
RETURN count(p) AS n`

	// qRetentionEraseDue is the erasure's re-check (eraseOptions.due), under the person's lock.
	qRetentionEraseDue = `
MATCH (p:Person {id: $personId})
WHERE ` + retentionDueForErasure + `
RETURN p.id AS id`

	// qPruneAuditEvents deletes the oldest audit events before $before. It is the only statement
	// that deletes audit events (no GraphQL mutation does).
	qPruneAuditEvents = `
MATCH (e:AuditEvent) WHERE e.at < $before
WITH e ORDER BY e.at LIMIT $limit
DETACH DELETE e
RETURN count(e) AS n`

	// qPruneNotifications deletes notifications in a final state created before $before.
	qPruneNotifications = `
MATCH (n:Notification) WHERE n.status IN $final AND n.createdAt < $before
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(n) AS n`

	// qPeopleExisting returns the ids, among $ids, of people that exist.
	qPeopleExisting = `
UNWIND $ids AS pid
MATCH (p:Person {id: pid})
RETURN p.id AS value`
)

// FinalNotificationStatuses are the states a notification never leaves (docs/introductions.md).
var FinalNotificationStatuses = []string{bridge.NotificationSent, bridge.NotificationFailed,
	bridge.NotificationUncertain, bridge.NotificationDropped}

func cutoffParams(c bridge.RetentionCutoffs) map[string]any {
	return map[string]any{"now": c.Now.UTC(), "flagBefore": c.FlagInactiveBefore.UTC(),
		"eraseBefore": c.EraseFlaggedBefore.UTC(), "reconfirmBy": c.ReconfirmBy.UTC()}
}

// countOf reads the single integer column n of a one-record result.
func countOf(name string, recs []*neo4j.Record) (int, error) {
	if len(recs) != 1 {
		return 0, fmt.Errorf("%s: %d records", name, len(recs))
	}
	n, err := column(recs[0], "n", (*row).Int)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return n, nil
}

func (s *Store) writeCount(ctx context.Context, name, query string, params map[string]any) (int, error) {
	recs, err := s.write(ctx, name, statement{query: query, params: params})
	if err != nil {
		return 0, err
	}
	return countOf(name, recs)
}

// StampRetentionActivity implements retention.Store.
func (s *Store) StampRetentionActivity(ctx context.Context, now time.Time, limit int) (int, error) {
	return s.writeCount(ctx, "retention_stamp", qRetentionStamp, map[string]any{"now": now.UTC(), "limit": int64(limit)})
}

// RetentionCandidates implements retention.Store.
func (s *Store) RetentionCandidates(ctx context.Context, c bridge.RetentionCutoffs, afterID string, limit int) ([]bridge.RetentionProfile, error) {
	params := cutoffParams(c)
	params["after"], params["limit"] = afterID, int64(limit)
	recs, err := s.read(ctx, "retention_candidates", qRetentionCandidates, params)
	if err != nil {
		return nil, err
	}
	out := make([]bridge.RetentionProfile, 0, len(recs))
	for _, r := range recs {
		rec := recordRow(r)
		p := bridge.RetentionProfile{PersonID: rec.Str("id"), Source: bridge.PersonSource(rec.Str("source")),
			Confirmed: rec.Bool("confirmed"), Demo: rec.Bool("demo"), HasAccount: rec.Bool("hasAccount"),
			LastActiveAt: rec.OptTime("lastActiveAt"), ReconfirmRequestedAt: rec.OptTime("reconfirmRequestedAt"),
			ReconfirmBy: rec.OptTime("reconfirmBy")}
		if err := rec.Err("retention_candidates"); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// FlagForReconfirmation implements retention.Store.
func (s *Store) FlagForReconfirmation(ctx context.Context, ids []string, c bridge.RetentionCutoffs) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	params := cutoffParams(c)
	params["ids"], params["kind"] = ids, bridge.NotificationReconfirmProfile
	return s.writeCount(ctx, "retention_flag", qRetentionFlag, params)
}

// EraseForRetention implements retention.Store: the store's erasure (audited with
// "reason=retention", journaled), if the profile is still due under the person's lock.
func (s *Store) EraseForRetention(ctx context.Context, personID string, c bridge.RetentionCutoffs, audit bridge.AuditEntry) (bool, error) {
	_, erased, err := s.erase(ctx, personID, audit, eraseOptions{reason: bridge.ErasureReasonRetention,
		due: qRetentionEraseDue, dueParams: cutoffParams(c), missingOK: true, journal: true})
	return erased, err
}

// PruneAuditEvents implements retention.Store.
func (s *Store) PruneAuditEvents(ctx context.Context, before time.Time, limit int) (int, error) {
	return s.writeCount(ctx, "retention_prune_audit", qPruneAuditEvents, map[string]any{"before": before.UTC(), "limit": int64(limit)})
}

// PruneNotifications implements retention.Store.
func (s *Store) PruneNotifications(ctx context.Context, before time.Time, limit int) (int, error) {
	return s.writeCount(ctx, "retention_prune_notifications", qPruneNotifications,
		map[string]any{"before": before.UTC(), "limit": int64(limit), "final": FinalNotificationStatuses})
}

// PeopleExisting returns those of ids that are people in the graph, in no particular order.
func (s *Store) PeopleExisting(ctx context.Context, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return s.readStrings(ctx, "people_existing", qPeopleExisting, map[string]any{"ids": ids})
}

// ReapplyErasure erases a person again who was erased before and is back (a backup restored): the
// store's erasure with the system as actor and "reason=journal" in the ERASE event, not journaled
// again (the id is in the journal). A person who does not exist is (false, nil).
func (s *Store) ReapplyErasure(ctx context.Context, personID string, audit bridge.AuditEntry) (bool, error) {
	_, erased, err := s.erase(ctx, personID, audit, eraseOptions{reason: bridge.ErasureReasonJournal, missingOK: true})
	return erased, err
}
