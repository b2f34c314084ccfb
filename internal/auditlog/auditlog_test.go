package auditlog

import (
	"context"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

type fakeStore struct {
	reader *bridge.AuditEntry
}

func (s *fakeStore) ReadAuditLog(_ context.Context, _ bridge.AuditFilter, _ int, _ string, reader bridge.AuditEntry) (bridge.AuditPage, error) {
	s.reader = &reader
	return bridge.AuditPage{}, nil
}

// TestOnlyAdministratorsReadTheLogAndEachReadIsAudited: the secretariat and members are refused,
// anonymous callers asked to sign in, all before the store is asked; an administrator's read
// hands the store the reader's entry with the request id.
func TestOnlyAdministratorsReadTheLogAndEachReadIsAudited(t *testing.T) {
	cases := []struct {
		role bridge.Role
		code bridge.Code
	}{
		{bridge.RoleAdmin, ""},
		{bridge.RoleSecretariat, bridge.CodeForbidden},
		{bridge.RoleMember, bridge.CodeForbidden},
		{bridge.RoleAnonymous, bridge.CodeUnauthenticated},
	}
	for _, c := range cases {
		t.Run(string(c.role), func(t *testing.T) {
			st := &fakeStore{}
			a := bridge.Actor{Principal: bridge.Principal{Role: c.role, PersonID: "x"}, RequestID: "req-1"}
			_, err := Service{Store: st}.Read(context.Background(), a, bridge.AuditFilter{}, 10, "")
			if c.code != "" {
				if bridge.ErrorCode(err) != c.code || st.reader != nil {
					t.Fatalf("got %v (store asked: %v), want %s", err, st.reader != nil, c.code)
				}
				return
			}
			if err != nil || st.reader == nil || st.reader.ActorRole != bridge.RoleAdmin || st.reader.ActorID != "x" || st.reader.RequestID != "req-1" {
				t.Fatalf("admin: %v, reader %+v", err, st.reader)
			}
		})
	}
	st := &fakeStore{}
	admin := bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleAdmin}}
	if _, err := (Service{Store: st}).Read(context.Background(), admin, bridge.AuditFilter{}, 0, ""); bridge.ErrorCode(err) != bridge.CodeBadUserInput || st.reader != nil {
		t.Fatalf("first 0: %v", err)
	}
}
