package neo4jstore

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The privacy rights of docs/introductions.md: consent records with the person's denormalised
// current state (here), restriction (pause.go), export (access and portability, privacy_export.go)
// and erasure (erasure.go).

// noExpiry is what the person carries for consent without an expiry, so that "has consent now"
// is one comparison: p.suggestUntil > $now (viewerParams).
const noExpiry = `datetime('9999-12-31T00:00:00Z')`

// The person properties that carry the current consent state, one per purpose.
const (
	propSuggestUntil      = "suggestUntil"
	propIntroduceUntil    = "introduceUntil"
	propShareContactUntil = "shareContactUntil"
)

// consentProperty returns the person property of a purpose. Property names cannot be
// parameters; they come from this switch over the enum only, never from input.
func consentProperty(p bridge.ConsentPurpose) (string, error) {
	switch p {
	case bridge.ConsentSuggest:
		return propSuggestUntil, nil
	case bridge.ConsentIntroduce:
		return propIntroduceUntil, nil
	case bridge.ConsentShareContact:
		return propShareContactUntil, nil
	}
	return "", bridge.InvalidInput([]string{"purpose"}, "purpose is one of SUGGEST, INTRODUCE, SHARE_CONTACT")
}

// consentFields is the projection of a Consent record that consentFromRow reads.
const consentFields = `c{.id, .purpose, .givenAt, .source, .policyVersion, .expiresAt, .withdrawnAt, .actorRole}`

// activeConsents is the pattern of the person's active records of $purpose at $now.
const activeConsents = `COLLECT { MATCH (p)-[:GAVE]->(c:Consent {purpose: $purpose})
    WHERE c.withdrawnAt IS NULL AND (c.expiresAt IS NULL OR c.expiresAt > $now) RETURN c }`

// qGiveConsentFormat withdraws the active records of the purpose, creates the new record and sets the
// person's property (the placeholder %s, filled with a constant by consentQueries).
const qGiveConsentFormat = `
MATCH (p:Person {id: $personId})
FOREACH (old IN ` + activeConsents + ` | SET old.withdrawnAt = $now)
CREATE (p)-[:GAVE]->(c:Consent {id: randomUUID(), purpose: $purpose, givenAt: $now, source: $source,
                                policyVersion: $policyVersion, expiresAt: $expiresAt, actorRole: $actorRole})
SET p.%s = coalesce($expiresAt, ` + noExpiry + `)
RETURN ` + consentFields + ` AS item`

// qWithdrawConsentFormat sets withdrawnAt on the active records of the purpose and removes the
// person's property (%s, a constant).
const qWithdrawConsentFormat = `
MATCH (p:Person {id: $personId})
WITH p, ` + activeConsents + ` AS active
FOREACH (c IN active | SET c.withdrawnAt = $now)
REMOVE p.%s
RETURN size(active) AS withdrawn`

// The queries per purpose, built once from constants.
var (
	qGiveConsent     = consentQueries(qGiveConsentFormat)
	qWithdrawConsent = consentQueries(qWithdrawConsentFormat)
)

// consentQueries fills a query format with the person property of each purpose.
func consentQueries(format string) map[bridge.ConsentPurpose]string {
	out := map[bridge.ConsentPurpose]string{}
	for _, p := range bridge.ConsentPurposes() {
		prop, err := consentProperty(p)
		if err != nil {
			panic(err) // a purpose without a property is a programming error
		}
		out[p] = fmt.Sprintf(format, prop)
	}
	return out
}

const (
	// qLockPerson takes the person's write lock, held until commit, so that concurrent changes
	// of the same person's consent, restriction or erasure (and the introduction workflow, which
	// locks the same way) run one after the other and each reads what the one before committed.
	// The lock property is removed at once; the lock stays.
	qLockPerson = `MATCH (p:Person {id: $personId}) SET p._lock = true REMOVE p._lock RETURN p.id AS id`

	qSetPaused = `
MATCH (p:Person {id: $personId})
WITH p, coalesce(p.paused, false) AS was
SET p.paused = CASE WHEN $paused THEN true END
RETURN was`
)

// auditFor is qAppendAudit's parameters for an actor's entry completed with what the store
// decides: the action, the target and the detail.
func auditFor(actor bridge.AuditEntry, action bridge.AuditAction, personID, detail string) map[string]any {
	actor.Action, actor.TargetID, actor.Detail = action, personID, detail
	return appendAuditParams(actor)
}

// lockPerson takes the person's write lock inside a transaction, and answers NOT_FOUND when
// there is no such person.
func lockPerson(ctx context.Context, tx neo4j.ManagedTransaction, personID string) error {
	recs, err := runConsume(ctx, tx, qLockPerson, map[string]any{"personId": personID})
	if err != nil {
		return err
	}
	if len(recs) == 0 {
		return bridge.Errorf(bridge.CodeNotFound, "no such person")
	}
	return nil
}

// GiveConsent implements privacy.Store. The input is validated here as well as by the
// caller, so that nothing invalid reaches the graph; the record's id is a new UUID.
func (s *Store) GiveConsent(ctx context.Context, personID string, in bridge.ConsentInput, source bridge.ConsentSource,
	actor bridge.AuditEntry) (bridge.Consent, error) {
	now := time.Now().UTC()
	if err := in.Validate(now, "input"); err != nil {
		return bridge.Consent{}, err
	}
	if !source.Valid() {
		return bridge.Consent{}, fmt.Errorf("give consent: unknown source %q", source)
	}
	var expires any
	if !in.ExpiresAt.IsZero() {
		expires = in.ExpiresAt.UTC()
	}
	params := map[string]any{"personId": personID, "purpose": string(in.Purpose), "now": now, "source": string(source),
		"policyVersion": in.PolicyVersion, "expiresAt": expires, "actorRole": nullIfEmpty(string(actor.ActorRole))}
	var out bridge.Consent
	_, err := s.run(ctx, neo4j.AccessModeWrite, "give_consent", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		if err := lockPerson(ctx, tx, personID); err != nil {
			return nil, err
		}
		recs, err := runConsume(ctx, tx, qGiveConsent[in.Purpose], params)
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, bridge.Errorf(bridge.CodeNotFound, "no such person")
		}
		if out, err = consentFromRow(recordRow(recs[0]).Row("item")); err != nil {
			return nil, err
		}
		detail := "purpose=" + string(in.Purpose) + " consent=" + out.ID
		return runConsume(ctx, tx, qAppendAudit, auditFor(actor, bridge.AuditGiveConsent, personID, detail))
	})
	if err != nil {
		return bridge.Consent{}, err
	}
	return out, nil
}

// WithdrawConsent implements privacy.Store.
func (s *Store) WithdrawConsent(ctx context.Context, personID string, purpose bridge.ConsentPurpose, actor bridge.AuditEntry) error {
	q, ok := qWithdrawConsent[purpose]
	if !ok {
		_, err := consentProperty(purpose)
		return err
	}
	params := map[string]any{"personId": personID, "purpose": string(purpose), "now": time.Now().UTC()}
	_, err := s.run(ctx, neo4j.AccessModeWrite, "withdraw_consent", func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		if err := lockPerson(ctx, tx, personID); err != nil {
			return nil, err
		}
		recs, err := runConsume(ctx, tx, q, params)
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, bridge.Errorf(bridge.CodeNotFound, "no such person")
		}
		n, err := column(recs[0], "withdrawn", (*row).Int)
		if err != nil || n == 0 {
			return nil, err // nothing was active: nothing to audit
		}
		detail := "purpose=" + string(purpose) + " withdrawn=" + strconv.Itoa(n)
		return runConsume(ctx, tx, qAppendAudit, auditFor(actor, bridge.AuditWithdrawConsent, personID, detail))
	})
	return err
}

// Consents implements privacy.Store.
func (s *Store) Consents(ctx context.Context, personID string) ([]bridge.Consent, error) {
	got, err := s.ConsentsOf(ctx, []string{personID})
	if err != nil {
		return nil, err
	}
	cs, ok := got[personID]
	if !ok {
		return nil, bridge.Errorf(bridge.CodeNotFound, "no such person")
	}
	return cs, nil
}

func consentFromRow(r *row) (bridge.Consent, error) {
	c := bridge.Consent{ID: r.Str("id"), Purpose: bridge.ConsentPurpose(r.Str("purpose")), Source: bridge.ConsentSource(r.Str("source")),
		PolicyVersion: r.OptStr("policyVersion"), ActorRole: bridge.Role(r.OptStr("actorRole")), GivenAt: r.OptTime("givenAt"),
		ExpiresAt: r.OptTime("expiresAt"), WithdrawnAt: r.OptTime("withdrawnAt")}
	if err := r.Err("consent record"); err != nil {
		return bridge.Consent{}, err
	}
	return c, nil
}
