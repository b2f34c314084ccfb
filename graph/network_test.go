package graph

import (
	"context"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/network"
)

// TestNetworkBridgesAuditHiddenNames: a person members do not see, named as a bridge or an
// island's member, is a READ_PROFILE of their name; others and non-people are not audited.
func TestNetworkBridgesAuditHiddenNames(t *testing.T) {
	a := &readAudit{index: map[[2]string]int{}}
	ctx := bridge.WithActor(context.WithValue(context.Background(), readAuditKey{}, a),
		bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleSecretariat, PersonID: "sec"}})
	b := network.Bridges{
		Bridges: []network.Bridge{{Node: network.Node{Kind: "PERSON", ID: "hidden", Name: "H", Hidden: true}, Separated: 2},
			{Node: network.Node{Kind: "ORGANISATION", ID: "o", Name: "O"}, Separated: 1}},
		Islands: []network.Island{{Size: 2, Members: []network.Node{{Kind: "PERSON", ID: "shown", Name: "S"},
			{Kind: "PERSON", ID: "paused", Name: "P", Hidden: true}}}}}
	out := networkBridges(ctx, &Resolver{}, b)
	if out.Bridges[0].Node.Name != "H" || out.Bridges[0].Node.ID != bridge.GlobalID(typePerson, "hidden") ||
		out.Bridges[1].Node.ID != bridge.GlobalID(typeOrganisation, "o") {
		t.Fatalf("bridges: %+v", out.Bridges)
	}
	events := a.take()
	if len(events) != 2 || events[0].TargetID != "hidden" || events[1].TargetID != "paused" ||
		events[0].Action != bridge.AuditReadProfile || events[0].Detail != "name" {
		t.Fatalf("audited: %+v", events)
	}
}
