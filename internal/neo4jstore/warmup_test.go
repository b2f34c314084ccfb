package neo4jstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// TestWarmUpWritesLeavesNothing: the write warm-up runs createMyProfile's, updateMyProfile's,
// requestIntroduction's and acceptIntroduction's transactions to their end (it says 4) and rolls
// them back: the nodes, the relationships, the people's versions, the introductions' statuses and
// their parties' answers are as they were, and nobody has the warm-up's title.
func TestWarmUpWritesLeavesNothing(t *testing.T) {
	s := testneo4j.Prepared(t, nil)
	ctx := ctxT(t)
	// At least two people: whose profile the warm-up edits, and whom the request is to.
	for _, given := range []string{"Varm", "Kall"} {
		acc := bridge.Account{Issuer: "https://issuer.warm-up-test.example", Subject: "sub-" + privRandom(t, 6),
			Email: "warm-" + privLetters(t, 8) + "@warm-up-test.example", EmailVerified: true}
		if _, err := s.CreateProfile(ctx, bridge.Principal{Role: bridge.RoleMember, Account: &acc},
			bridge.ProfileInput{GivenName: given, FamilyName: "Uppsson", Title: "Samordnare", CountryCode: "SE"}, privUUID(t)); err != nil {
			t.Fatal(err)
		}
	}
	// An introduction for the warm-up to answer.
	people := cypher(t, s, `MATCH (p:Person) WHERE p.familyName = 'Uppsson' RETURN p.id AS id LIMIT 2`, nil)
	a, b := people[0]["id"].(string), people[1]["id"].(string)
	at := time.Now().UTC()
	if _, _, err := s.CreateIntroduction(ctx, bridge.Principal{Role: bridge.RoleMember, PersonID: a}, bridge.NewIntroduction{
		ID: privUUID(t), RequestKey: a + "/" + privUUID(t), Status: bridge.StatusRequested, ThemeID: privTheme,
		ExpiresAt: at.Add(time.Hour), Parties: []bridge.Party{{PersonID: a, Side: bridge.SideRequester, Response: bridge.ResponseAccepted, RespondedAt: at},
			{PersonID: b, Side: bridge.SideRecipient, Response: bridge.ResponsePending}},
		Transition: bridge.Transition{At: at, Action: bridge.ActionRequest, To: bridge.StatusRequested, ActorID: a, ActorRole: bridge.RoleMember}},
		[]string{a, b}, func(map[string]bridge.PersonFacts, int) error { return nil }); err != nil {
		t.Fatal(err)
	}
	snapshot := func() string {
		rows := cypher(t, s, `
MATCH (n) WITH count(n) AS nodes
MATCH ()-[r]->() WITH nodes, count(r) AS relationships
MATCH (p:Person)
RETURN nodes, relationships, sum(coalesce(p.version, 0)) AS versions,
       count(CASE WHEN p.title STARTS WITH 'Bridge warm-up' THEN 1 END) AS warmUpTitles,
       COLLECT { MATCH (i:Introduction) RETURN i.id + ' ' + i.status + ' ' + toString(i.updatedAt) AS x ORDER BY x } AS introductions,
       COLLECT { MATCH (q:Person)-[r:PARTY_TO]->(i:Introduction)
                 RETURN i.id + ' ' + q.id + ' ' + coalesce(r.response, '') + ' ' + coalesce(r.note, '') AS x ORDER BY x } AS answers`, nil)
		return fmt.Sprint(rows)
	}
	before := snapshot()
	n, err := s.WarmUpWrites(ctx, "https://issuer.warm-up-test.example")
	if err != nil || n != 4 {
		t.Fatalf("warm-up: %d writes, %v; want 4", n, err)
	}
	if after := snapshot(); after != before {
		t.Fatalf("the warm-up changed the graph:\nbefore %.300s\nafter  %.300s", before, after)
	}
}
