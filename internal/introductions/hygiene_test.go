package introductions

import (
	"context"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// recordingStore keeps what the workflow asks the store to write; the embedded interface is nil,
// so anything else the workflow calls fails the test loudly.
type recordingStore struct {
	Store
	created []bridge.NewIntroduction
	changes []bridge.IntroductionChange
	cur     bridge.Introduction
}

func (s *recordingStore) CreateIntroduction(_ context.Context, _ bridge.Principal, n bridge.NewIntroduction, _ []string,
	_ func(map[string]bridge.PersonFacts, int) error) (bridge.Introduction, bool, error) {
	s.created = append(s.created, n)
	return bridge.Introduction{ID: n.ID}, true, nil
}

func (s *recordingStore) TransitionIntroduction(_ context.Context, _ bridge.Principal, _ string, _ []string,
	decide func(bridge.Introduction, map[string]bridge.PersonFacts) (bridge.IntroductionChange, error)) (bridge.Introduction, error) {
	ch, err := decide(s.cur, nil)
	if err == nil {
		s.changes = append(s.changes, ch)
	}
	return s.cur, err
}

func (s *recordingStore) Introduction(context.Context, string) (bridge.Introduction, error) {
	return bridge.Introduction{}, nil
}

// TestMessagesAndNotesAreStoredClean: the message of a request or proposal and the note of an
// answer or a withdrawal reach the store NFC and trimmed (bridge.CleanText), and text with
// control or direction-override characters never reaches it.
func TestMessagesAndNotesAreStoredClean(t *testing.T) {
	ctx := context.Background()
	st := &recordingStore{cur: proposed(bridge.ResponsePending, bridge.ResponsePending)}
	svc := New(st, bridge.Limits{TTL: 24 * time.Hour, WeeklyPerMember: 5}, func() time.Time { return now }, func() string { return "i1" })

	msg := " Hello,\r\nMa\u0308lmo\u0308 here. "
	if _, err := svc.Request(ctx, memberA, bridge.IntroductionRequest{ToPersonID: "b", ThemeID: "housing", Message: msg, ClientRequestID: "c1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Propose(ctx, secretary, ProposeInput{RequesterID: "a", RecipientID: "b", ThemeID: "housing", Message: msg, ClientRequestID: "c2"}); err != nil {
		t.Fatal(err)
	}
	for i, n := range st.created {
		if n.Message != "Hello,\nMälmö here." {
			t.Errorf("introduction %d stored message %q", i, n.Message)
		}
	}
	if _, err := svc.Decline(ctx, memberB, "i", " No, thanks \u200b"); err != nil {
		t.Fatal(err)
	}
	st.cur = proposed(bridge.ResponsePending, bridge.ResponsePending)
	if _, err := svc.Withdraw(ctx, memberA, "i", "\nMa\u0308lmo\u0308\n"); err != nil {
		t.Fatal(err)
	}
	if len(st.changes) != 2 || st.changes[0].Responses[0].Note != "No, thanks" || st.changes[1].Transition.Action != bridge.ActionWithdraw {
		t.Fatalf("changes %+v", st.changes)
	}

	before := len(st.created) + len(st.changes)
	for _, bad := range []string{"Hi\x00", "Hi \x1b[31mred", "Hi\u202eereht", "\u200b\u200c\u200d"} {
		if _, err := svc.Request(ctx, memberA, bridge.IntroductionRequest{ToPersonID: "b", ThemeID: "housing", Message: bad, ClientRequestID: "c3"}); code(err) != bridge.CodeBadUserInput {
			t.Errorf("request message %q: %v", bad, err)
		}
		if _, err := svc.Propose(ctx, secretary, ProposeInput{RequesterID: "a", RecipientID: "b", ThemeID: "housing", Message: bad, ClientRequestID: "c4"}); code(err) != bridge.CodeBadUserInput {
			t.Errorf("proposal message %q: %v", bad, err)
		}
		if bad == "\u200b\u200c\u200d" {
			continue // an empty note is fine
		}
		if _, err := svc.Accept(ctx, memberB, "i", bad); code(err) != bridge.CodeBadUserInput {
			t.Errorf("answer note %q: %v", bad, err)
		}
		if _, err := svc.Withdraw(ctx, memberA, "i", bad); code(err) != bridge.CodeBadUserInput {
			t.Errorf("withdrawal note %q: %v", bad, err)
		}
	}
	if after := len(st.created) + len(st.changes); after != before {
		t.Errorf("refused text reached the store: %d writes", after-before)
	}
}
