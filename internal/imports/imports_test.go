package imports

import (
	"context"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/csvio"
)

// fakeStore records what would be written.
type fakeStore struct {
	people []bridge.Person
	audit  bridge.AuditEntry
}

func (f *fakeStore) ImportReference(context.Context) (csvio.Reference, error) {
	return csvio.Reference{Countries: []string{"SE"},
		Municipalities: []bridge.Municipality{{ID: "SE-1280", CountryCode: "SE", OfficialCode: "1280", Name: "Malmö"}}}, nil
}

func (f *fakeStore) ImportPeople(_ context.Context, p []bridge.Person, _ func(bridge.Person, *bridge.Person), a bridge.AuditEntry) (Result, error) {
	f.people, f.audit = p, a
	return Result{Created: len(p)}, nil
}

func (f *fakeStore) ImportOrganisations(context.Context, []bridge.Organisation, func(bridge.Organisation, *bridge.Organisation), bridge.AuditEntry) (Result, error) {
	return Result{}, nil
}

func TestApply(t *testing.T) {
	secretariat := bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleSecretariat}, RequestID: "r1"}
	member := bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleMember, PersonID: "p"}}
	good := "email,given_name,family_name,country,municipality\na@example.org,A,B,SE,Malmö\n"
	bad := "email,given_name,family_name,country,municipality\na@example.org,A,B,SE,Malmo\n"
	cases := []struct {
		name     string
		actor    bridge.Actor
		kind     Kind
		text     string
		wantCode bridge.Code
		written  int
	}{
		{"secretariat, good file", secretariat, People, good, "", 1},
		{"a bad row writes nothing", secretariat, People, bad, bridge.CodeBadUserInput, 0},
		{"member", member, People, good, bridge.CodeForbidden, 0},
		{"anonymous", bridge.Actor{Principal: bridge.Anonymous}, People, good, bridge.CodeUnauthenticated, 0},
		{"unknown kind", secretariat, "THEMES", good, bridge.CodeBadUserInput, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			store := &fakeStore{}
			_, err := Service{Store: store}.Apply(context.Background(), tc.actor, tc.kind, tc.text, nil)
			if bridge.ErrorCode(err) != tc.wantCode || len(store.people) != tc.written {
				t.Fatalf("err %v, written %d", err, len(store.people))
			}
			if tc.written > 0 && (store.audit.Action != bridge.AuditImport || store.audit.RequestID != "r1") {
				t.Errorf("audit %+v", store.audit)
			}
		})
	}
}

func TestCheckReportsWithoutWriting(t *testing.T) {
	store := &fakeStore{}
	c, err := Service{Store: store}.Check(context.Background(), bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleAdmin}},
		People, "email,given_name,family_name,country,municipality\na@example.org,A,B,SE,Malmo\n", nil)
	if err != nil || len(c.Problems) != 1 || c.Problems[0].Suggestions[0].Value != "SE-1280" || c.Rows != 1 || store.people != nil {
		t.Fatalf("check %+v, err %v", c, err)
	}
}
