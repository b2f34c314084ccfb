package graph

import (
	"slices"
	"testing"

	"github.com/nordic-integration/bridge/graph/generated"
	"github.com/nordic-integration/bridge/internal/bridge"
)

// TestEveryMutationHasAPolicy walks the whole schema: every mutation × every role gives exactly
// the outcome the policy table says, and a mutation added without a policy fails here.
func TestEveryMutationHasAPolicy(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{}}).Schema()
	policy := MutationPolicy()
	if schema.Mutation == nil || len(schema.Mutation.Fields) == 0 {
		t.Fatal("the schema has no mutations")
	}
	roles := []bridge.Role{bridge.RoleAnonymous, bridge.RoleMember, bridge.RoleSecretariat, bridge.RoleAdmin}
	for _, f := range schema.Mutation.Fields {
		if len(f.Name) > 1 && f.Name[:2] == "__" {
			continue
		}
		allowed, ok := policy[f.Name]
		if !ok {
			t.Errorf("mutation %s has no policy in MutationPolicy", f.Name)
			continue
		}
		for _, role := range roles {
			err := authorize(policy, f.Name, role)
			want := slices.Contains(allowed, role)
			if (err == nil) != want {
				t.Errorf("%s as %s: %v, allowed %v", f.Name, role, err, want)
			}
			if role == bridge.RoleAnonymous && !want && bridge.ErrorCode(err) != bridge.CodeUnauthenticated {
				t.Errorf("%s as anonymous: %v, want UNAUTHENTICATED", f.Name, err)
			}
		}
	}
	for name := range policy {
		if schema.Mutation.Fields.ForName(name) == nil {
			t.Errorf("policy for %s, which the schema does not have", name)
		}
	}
	if err := authorize(policy, "noSuchMutation", bridge.RoleAdmin); bridge.ErrorCode(err) != bridge.CodeForbidden {
		t.Errorf("a mutation without policy: %v, want FORBIDDEN (fail closed)", err)
	}
}
