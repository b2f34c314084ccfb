package neo4jstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// TestConcurrentClosesOfARightsRequestEndInOneState: the lock on the request serialises changes,
// so of eight closes at once exactly one succeeds, the others are CONFLICT, and one audit event
// records it.
func TestConcurrentClosesOfARightsRequestEndInOneState(t *testing.T) {
	s := testneo4j.Prepared(t, nil)
	p := privPerson(t, s, bridge.Person{})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	actor := bridge.AuditEntry{ActorRole: bridge.RoleSecretariat, ActorID: privUUID(t), RequestID: "req-rights"}
	r, err := s.RecordRightsRequest(ctx, bridge.RightsRequestInput{PersonID: p.ID, Kind: bridge.RightsRectification,
		Channel: bridge.ChannelEmail, ReceivedAt: time.Now().Add(-time.Hour)}, actor)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cypher(t, s, `MATCH (r:RightsRequest {id: $id}) DETACH DELETE r`, map[string]any{"id": r.ID}) })
	if r.Status != bridge.RightsOpen || r.PersonID != p.ID || !r.DueAt.Equal(bridge.RightsDueAt(r.ReceivedAt, false)) {
		t.Fatalf("recorded %+v", r)
	}

	var wg sync.WaitGroup
	codes := make([]bridge.Code, 8)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outcome := bridge.RightsFulfilled
			if i%2 == 1 {
				outcome = bridge.RightsRejected
			}
			_, err := s.CloseRightsRequest(ctx, r.ID, outcome, "reason", time.Now(), actor)
			codes[i] = bridge.ErrorCode(err)
		}()
	}
	wg.Wait()
	ok, conflicts := 0, 0
	for _, c := range codes {
		switch c {
		case "":
			ok++
		case bridge.CodeConflict:
			conflicts++
		default:
			t.Errorf("close: %s", c)
		}
	}
	if ok != 1 || conflicts != 7 {
		t.Errorf("%d closes succeeded and %d conflicted, want 1 and 7", ok, conflicts)
	}
	rows := cypher(t, s, `MATCH (e:AuditEvent {action: 'CLOSE_RIGHTS_REQUEST', targetId: $id}) RETURN count(e) AS n`, map[string]any{"id": p.ID})
	if rows[0]["n"] != int64(1) {
		t.Errorf("%v CLOSE_RIGHTS_REQUEST events, want 1", rows[0]["n"])
	}
	if _, err := s.ExtendRightsRequest(ctx, r.ID, "late", time.Now(), actor); bridge.ErrorCode(err) != bridge.CodeConflict {
		t.Errorf("extending a closed request: %v", err)
	}
	if _, err := s.RightsRequest(ctx, privUUID(t)); bridge.ErrorCode(err) != bridge.CodeNotFound {
		t.Errorf("an unknown request: %v", err)
	}
}

// TestMergedPeopleKeepTheirRightsRequests: merging a duplicate moves its requests to the person
// kept, so the register does not lose whom a request concerns.
func TestMergedPeopleKeepTheirRightsRequests(t *testing.T) {
	s := testneo4j.Prepared(t, nil)
	keep := privPerson(t, s, bridge.Person{})
	dup := privPerson(t, s, bridge.Person{})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	actor := bridge.AuditEntry{ActorRole: bridge.RoleSecretariat, RequestID: "req-merge"}
	r, err := s.RecordRightsRequest(ctx, bridge.RightsRequestInput{PersonID: dup.ID, Kind: bridge.RightsAccess,
		Channel: bridge.ChannelLetter, ReceivedAt: time.Now().Add(-time.Hour), Note: "n"}, actor)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cypher(t, s, `MATCH (r:RightsRequest {id: $id}) DETACH DELETE r`, map[string]any{"id": r.ID}) })
	if _, err := s.MergePeople(ctx, bridge.Principal{Role: bridge.RoleSecretariat, PersonID: keep.ID}, dup.ID, actor); err != nil {
		t.Fatal(err)
	}
	got, err := s.RightsRequest(ctx, r.ID)
	if err != nil || got.PersonID != keep.ID || got.Note != "n" || got.Anonymised {
		t.Errorf("after the merge: %+v %v; want it to concern %s", got, err, keep.ID)
	}
}
