package neo4jstore_test

import (
	"fmt"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// TestWarmUpWritesLeavesNothing: the write warm-up runs createMyProfile's, updateMyProfile's and
// requestIntroduction's transactions to their end (it says 3) and rolls them back: the nodes, the
// relationships and the people's versions are as they were, and nobody has the warm-up's title.
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
	snapshot := func() string {
		rows := cypher(t, s, `
MATCH (n) WITH count(n) AS nodes
MATCH ()-[r]->() WITH nodes, count(r) AS relationships
MATCH (p:Person)
RETURN nodes, relationships, sum(coalesce(p.version, 0)) AS versions,
       count(CASE WHEN p.title STARTS WITH 'Bridge warm-up' THEN 1 END) AS warmUpTitles`, nil)
		return fmt.Sprint(rows)
	}
	before := snapshot()
	n, err := s.WarmUpWrites(ctx, "https://issuer.warm-up-test.example")
	if err != nil || n != 3 {
		t.Fatalf("warm-up: %d writes, %v; want 3", n, err)
	}
	if after := snapshot(); after != before {
		t.Fatalf("the warm-up changed the graph:\nbefore %.300s\nafter  %.300s", before, after)
	}
}
