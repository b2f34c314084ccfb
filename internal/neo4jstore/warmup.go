package neo4jstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The write warm-up (issue 15). Neo4j plans a statement on its first use, per parameter types
// (profileValues), and keeps the plan; `bridge serve` warms the reads by loading pages
// (cmd/bridge/warmup.go), but a write cannot be sent to warm it. So WarmUpWrites runs the
// profile writes' own code, with their own statements and parameters, in transactions that are
// rolled back instead of committed: Neo4j plans what the first person to save a profile would
// otherwise wait for (0.85 s for the first update and 1.45 s for the first create on a Neo4j just
// started, docs/performance.md), and nothing is written. Not warmed: introductions, the
// secretariat's edits, and the other writes.

// errWarmUpRolledBack ends a warm-up's transaction after its work: the driver rolls it back.
var errWarmUpRolledBack = errors.New("warm-up: rolled back")

type rollbackKey struct{}

// rollsBack reports whether the writes in ctx are a warm-up's, rolled back once done.
func rollsBack(ctx context.Context) bool {
	v, _ := ctx.Value(rollbackKey{}).(bool)
	return v
}

// rolledBack is work that, when it succeeds, fails with errWarmUpRolledBack so that its
// transaction is rolled back.
func rolledBack(work func(neo4j.ManagedTransaction) ([]*neo4j.Record, error)) func(neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
	return func(tx neo4j.ManagedTransaction) ([]*neo4j.Record, error) {
		if _, err := work(tx); err != nil {
			return nil, err
		}
		return nil, errWarmUpRolledBack
	}
}

// qWarmUpPerson is a person and their version: whose profile the warm-up edits (as that person).
const qWarmUpPerson = `
MATCH (p:Person)
RETURN p.id AS id, coalesce(p.version, 0) AS version
LIMIT 1`

// WarmUpWrites runs createMyProfile's and updateMyProfile's transactions once each, as a member
// of the issuer would, and rolls them back; it returns how many ran to their end. The update
// needs a person; in a graph without one it is left out.
func (s *Store) WarmUpWrites(ctx context.Context, issuer string) (int, error) {
	ctx = context.WithValue(ctx, rollbackKey{}, true)
	acc := bridge.Account{Issuer: issuer, Subject: "bridge-warm-up-" + uuid.NewString(),
		Email: "warm-up@bridge.invalid", EmailVerified: true}
	_, err := s.CreateProfile(ctx, bridge.Principal{Role: bridge.RoleMember, Account: &acc},
		bridge.ProfileInput{GivenName: "Warm", FamilyName: "Up", CountryCode: "SE", Language: "sv"}, uuid.NewString())
	if !errors.Is(err, errWarmUpRolledBack) {
		return 0, warmUpError("createMyProfile", err)
	}
	recs, err := s.read(ctx, "warm_up_person", qWarmUpPerson, nil)
	if err != nil || len(recs) == 0 {
		return 1, err
	}
	rec := recordRow(recs[0])
	id, version := rec.Str("id"), rec.Int("version")
	if err := rec.Err("warm-up person"); err != nil {
		return 1, err
	}
	// A changed title: the update also tells the people the person was introduced to.
	title := "Bridge warm-up " + uuid.NewString()
	audit := bridge.AuditEntry{Action: bridge.AuditUpdateOwnProfile, ActorRole: bridge.RoleMember, ActorID: id,
		TargetID: id, RequestID: "warm-up"}
	_, err = s.UpdateProfile(ctx, bridge.Principal{Role: bridge.RoleMember, PersonID: id},
		func(p bridge.Person) (bridge.ProfileInput, error) {
			return bridge.ProfilePatch{Title: &title}.Apply(p).Clean("input")
		}, version, &audit)
	if !errors.Is(err, errWarmUpRolledBack) {
		return 1, warmUpError("updateMyProfile", err)
	}
	return 2, nil
}

// warmUpError is the error of a warm-up write that did not end rolled back.
func warmUpError(what string, err error) error {
	if err == nil {
		return fmt.Errorf("warm-up of %s: committed, not rolled back", what)
	}
	return fmt.Errorf("warm-up of %s: %w", what, err)
}
