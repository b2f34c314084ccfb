package graph

import (
	"slices"
	"strings"
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

// TestProtectedFieldsHaveAPolicy fails when a field that returns people or contact details is
// added to the schema without an entry in FieldPolicy, and when an entry names no field.
func TestProtectedFieldsHaveAPolicy(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{}}).Schema()
	policy := FieldPolicy()
	for name := range policy {
		typ, field, _ := strings.Cut(name, ".")
		def := schema.Types[typ]
		if def == nil || def.Fields.ForName(field) == nil {
			t.Errorf("FieldPolicy names %s, which the schema does not have", name)
		}
	}
	for _, def := range schema.Types {
		if strings.HasPrefix(def.Name, "__") || def.Kind != "OBJECT" || def.Name == "Mutation" {
			continue
		}
		for _, f := range def.Fields {
			name := def.Name + "." + f.Name
			returnsPeople := f.Type.Name() == "Person" || f.Type.Name() == "PersonConnection" || f.Type.Name() == "PeopleSearchResult" || f.Type.Name() == "PeerMatch" || f.Type.Name() == "IntroductionPath"
			contact := f.Name == "email" || f.Name == "phone"
			// Single-person fields (person, me, node, PeerMatch.person, PathStep.from/to, ...)
			// are guarded by the same visibility in the loader; lists need an entry.
			isList := f.Type.Elem != nil || strings.HasSuffix(f.Type.Name(), "Connection") || f.Type.Name() == "PeopleSearchResult"
			if contact || (returnsPeople && isList) {
				if _, ok := policy[name]; !ok {
					t.Errorf("%s returns people or contact details but has no FieldPolicy entry", name)
				}
			}
		}
	}
}

// TestRestrictedQueriesHaveAPolicy: every query that returns rights requests or audit events
// (directly, as a list or as a connection) is restricted by QueryPolicy, the policy gives the
// expected outcome per role, and every entry names a query of the schema.
func TestRestrictedQueriesHaveAPolicy(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{}}).Schema()
	policy := QueryPolicy()
	restricted := map[string]bool{"RightsRequest": true, "RightsRequestConnection": true,
		"AuditEvent": true, "AuditEventConnection": true}
	for _, f := range schema.Query.Fields {
		if restricted[f.Type.Name()] {
			if _, ok := policy[f.Name]; !ok {
				t.Errorf("query %s returns %s but has no QueryPolicy entry", f.Name, f.Type.Name())
			}
		}
	}
	for name := range policy {
		if schema.Query.Fields.ForName(name) == nil {
			t.Errorf("QueryPolicy names %s, which the schema does not have", name)
		}
	}
	cases := []struct {
		query string
		role  bridge.Role
		want  bridge.Code
	}{
		{"auditEvents", bridge.RoleAnonymous, bridge.CodeUnauthenticated},
		{"auditEvents", bridge.RoleMember, bridge.CodeForbidden},
		{"auditEvents", bridge.RoleSecretariat, bridge.CodeForbidden},
		{"auditEvents", bridge.RoleAdmin, ""},
		{"rightsRequests", bridge.RoleAnonymous, bridge.CodeUnauthenticated},
		{"rightsRequests", bridge.RoleMember, bridge.CodeForbidden},
		{"rightsRequests", bridge.RoleSecretariat, ""},
		{"rightsRequests", bridge.RoleAdmin, ""},
	}
	for _, c := range cases {
		if got := bridge.ErrorCode(authorize(policy, c.query, c.role)); got != c.want {
			t.Errorf("%s as %s: %q, want %q", c.query, c.role, got, c.want)
		}
	}
}
