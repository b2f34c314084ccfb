package neo4jstore

import (
	"context"
	"strconv"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Restriction (GDPR art. 18): pausing and resuming a profile.

// qPauseCloseOpen withdraws the open introductions of the person who pauses: as their own
// withdrawal (the actor of the pause), so the others see NOT_POSSIBLE and those who were asked are
// told that it is not possible (closeOpen, the erasure's and the expiry's path).
const qPauseCloseOpen = `
MATCH (:Person {id: $personId})-[:PARTY_TO]->(i:Introduction)
WHERE i.status IN $open
WITH i` + closeOpen

// SetPaused implements privacy.Store: p.paused is true while paused and absent
// otherwise. It does not change the profile's version (no profile field changes). Pausing ends,
// in the same transaction, the person's open introductions (REQUESTED, PROPOSED) as withdrawn by
// the actor, with the withdrawal's transition and notifications; introductions that happened
// (INTRODUCED, COMPLETED) stay as they are. Resuming reopens nothing.
func (s *Store) SetPaused(ctx context.Context, personID string, paused bool, actor bridge.AuditEntry, answer bridge.RightsAnswer) error {
	_, err := s.run(ctx, neo4j.AccessModeWrite, "set_paused", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		if err := lockPerson(ctx, tx, personID); err != nil {
			return nil, err
		}
		recs, err := runConsume(ctx, tx, qSetPaused, map[string]any{"personId": personID, "paused": paused})
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, bridge.Errorf(bridge.CodeNotFound, "no such person")
		}
		was, err := column(recs[0], "was", (*row).Bool)
		if err != nil || was == paused {
			return nil, err // no change: nothing to audit
		}
		action, detail := bridge.AuditResume, ""
		if paused {
			action = bridge.AuditPause
			params := closeOpenByParams(time.Now().UTC(), bridge.StatusWithdrawn, bridge.ActionWithdraw, personID, actor)
			params["personId"] = personID
			recs, err := runConsume(ctx, tx, qPauseCloseOpen, params)
			if err != nil {
				return nil, err
			}
			if len(recs) > 0 {
				n, err := column(recs[0], "value", (*row).Int)
				if err != nil {
					return nil, err
				}
				if n > 0 {
					detail = "introductionsWithdrawn=" + strconv.Itoa(n)
				}
			}
		}
		if err := answerRights(ctx, tx, personID, answer, actor, "rightsRequestId"); err != nil {
			return nil, err
		}
		return runConsume(ctx, tx, qAppendAudit, auditFor(actor, action, personID, detail))
	})
	return err
}
