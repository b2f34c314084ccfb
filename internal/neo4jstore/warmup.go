package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The write warm-up (issue 15). Neo4j plans a statement on its first use, per parameter types
// (profileValues), and keeps the plan; `bridge serve` warms the reads by loading pages
// (cmd/bridge/warmup.go), but a write cannot be sent to warm it. So WarmUpWrites runs the
// profile writes', an introduction request's and an answer to an introduction's own code, with
// their own statements and parameters, in transactions that are rolled back instead of
// committed: Neo4j plans what the first person to save a profile, ask for an introduction or
// answer one would otherwise wait for (1.1 s for the first create and 0.67 s for the first update
// on a Neo4j just started, docs/performance.md), and nothing is written. Every later change to an
// introduction (accept, decline, propose, withdraw, ...) is one statement with one plan
// (qApplyChange), so the answer warms them all. Not warmed: the secretariat's edits of people and
// the other writes.

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

// qWarmUpPeople are two people, the first one's version, a theme, and an introduction with one
// of its parties: whose profile the warm-up edits (as that person), who asks whom for an
// introduction about what, and who answers which introduction.
const qWarmUpPeople = `
MATCH (p:Person) WITH p LIMIT 2
WITH collect(p) AS people
OPTIONAL MATCH (t:Theme) WITH people, t LIMIT 1
OPTIONAL MATCH (x:Person)-[:PARTY_TO]->(i:Introduction) WITH people, t, x, i LIMIT 1
RETURN [p IN people | p.id] AS ids, coalesce(people[0].version, 0) AS version, t.id AS theme,
       i.id AS introduction, x.id AS party`

// WarmUpWrites runs createMyProfile's, updateMyProfile's, requestIntroduction's and
// acceptIntroduction's transactions once each, as a member of the issuer would, and rolls them
// back; it returns how many ran to their end. The update needs a person, the request two and a
// theme, the answer an introduction; in a graph without them they are left out.
func (s *Store) WarmUpWrites(ctx context.Context, issuer string) (int, error) {
	ctx = context.WithValue(ctx, rollbackKey{}, true)
	acc := bridge.Account{Issuer: issuer, Subject: "bridge-warm-up-" + uuid.NewString(),
		Email: "warm-up@bridge.invalid", EmailVerified: true}
	_, err := s.CreateProfile(ctx, bridge.Principal{Role: bridge.RoleMember, Account: &acc},
		bridge.ProfileInput{GivenName: "Warm", FamilyName: "Up", CountryCode: "SE", Language: "sv"}, uuid.NewString())
	if !errors.Is(err, errWarmUpRolledBack) {
		return 0, warmUpError("createMyProfile", err)
	}
	recs, err := s.read(ctx, "warm_up_people", qWarmUpPeople, nil)
	if err != nil || len(recs) == 0 {
		return 1, err
	}
	rec := recordRow(recs[0])
	ids, version, theme := rec.Strs("ids"), rec.Int("version"), rec.OptStr("theme")
	introduction, party := rec.OptStr("introduction"), rec.OptStr("party")
	if err := rec.Err("warm-up people"); err != nil || len(ids) == 0 {
		return 1, err
	}
	// A changed title: the update also tells the people the person was introduced to.
	me := bridge.Principal{Role: bridge.RoleMember, PersonID: ids[0]}
	title := "Bridge warm-up " + uuid.NewString()
	audit := bridge.AuditEntry{Action: bridge.AuditUpdateOwnProfile, ActorRole: bridge.RoleMember, ActorID: me.PersonID,
		TargetID: me.PersonID, RequestID: "warm-up"}
	_, err = s.UpdateProfile(ctx, me, func(p bridge.Person) (bridge.ProfileInput, error) {
		return bridge.ProfilePatch{Title: &title}.Apply(p).Clean("input")
	}, version, &audit)
	if !errors.Is(err, errWarmUpRolledBack) {
		return 1, warmUpError("updateMyProfile", err)
	}
	if len(ids) < 2 || theme == "" {
		return 2, nil
	}
	// A request as introductions.Service.Request makes it; the check is the service's to make.
	now := time.Now().UTC()
	n := bridge.NewIntroduction{ID: uuid.NewString(), RequestKey: me.PersonID + "/" + uuid.NewString(),
		Status: bridge.StatusRequested, ThemeID: theme, Message: "Bridge warm-up", ExpiresAt: now.Add(24 * time.Hour),
		Parties: []bridge.Party{{PersonID: me.PersonID, Side: bridge.SideRequester, Response: bridge.ResponseAccepted, RespondedAt: now},
			{PersonID: ids[1], Side: bridge.SideRecipient, Response: bridge.ResponsePending}},
		Transition: bridge.Transition{At: now, Action: bridge.ActionRequest, To: bridge.StatusRequested, ActorID: me.PersonID,
			ActorRole: bridge.RoleMember, RequestID: "warm-up"},
		Notify:          []bridge.NotificationSpec{{Kind: bridge.NotificationIntroductionRequestReceived}},
		WeeklyRequester: me.PersonID}
	_, _, err = s.CreateIntroduction(ctx, me, n, ids, func(map[string]bridge.PersonFacts, int) error { return nil })
	if !errors.Is(err, errWarmUpRolledBack) {
		return 2, warmUpError("requestIntroduction", err)
	}
	if introduction == "" || party == "" {
		return 3, nil
	}
	// A party's acceptance, as introductions' decideRespond makes one; whether it may is the
	// service's to decide, and nothing of it stays.
	_, err = s.TransitionIntroduction(ctx, bridge.Principal{Role: bridge.RoleMember, PersonID: party}, introduction, nil,
		func(cur bridge.Introduction, _ map[string]bridge.PersonFacts) (bridge.IntroductionChange, error) {
			at := time.Now().UTC()
			return bridge.IntroductionChange{Status: cur.Status,
				Responses: []bridge.Party{{PersonID: party, Response: bridge.ResponseAccepted, Note: "Bridge warm-up", RespondedAt: at}},
				Transition: bridge.Transition{At: at, Action: bridge.ActionAccept, From: cur.Status, To: cur.Status, ActorID: party,
					ActorRole: bridge.RoleMember, RequestID: "warm-up"},
				ShareContact: []string{party}}, nil
		})
	if !errors.Is(err, errWarmUpRolledBack) {
		return 3, warmUpError("acceptIntroduction", err)
	}
	return 4, nil
}

// warmUpError is the error of a warm-up write that did not end rolled back.
func warmUpError(what string, err error) error {
	if err == nil {
		return fmt.Errorf("warm-up of %s: committed, not rolled back", what)
	}
	return fmt.Errorf("warm-up of %s: %w", what, err)
}
