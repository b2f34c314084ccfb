package introductions

import (
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

var (
	now       = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	memberA   = bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleMember, PersonID: "a"}, RequestID: "r"}
	memberB   = bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleMember, PersonID: "b"}, RequestID: "r"}
	stranger  = bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleMember, PersonID: "z"}, RequestID: "r"}
	secretary = bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleSecretariat}, RequestID: "r"}
)

func proposed(ra, rb bridge.Response) bridge.Introduction {
	return bridge.Introduction{ID: "i", Status: bridge.StatusProposed, ExpiresAt: now.Add(time.Hour), Parties: []bridge.Party{
		{PersonID: "a", Side: bridge.SideRequester, Response: ra},
		{PersonID: "b", Side: bridge.SideRecipient, Response: rb},
	}}
}

func code(err error) bridge.Code { return bridge.ErrorCode(err) }

func TestBothMustAcceptBeforeIntroduced(t *testing.T) {
	ch, err := decideRespond(proposed(bridge.ResponsePending, bridge.ResponsePending), memberA, true, "", now)
	if err != nil || ch.Status != bridge.StatusProposed || len(ch.Notify) != 0 {
		t.Fatalf("first accept: %+v, %v; want still PROPOSED, nobody notified", ch, err)
	}
	if ch.Transition.ActorID != "a" || ch.Transition.RequestID != "r" {
		t.Errorf("the transition records the actor and the request id: %+v", ch.Transition)
	}
	if len(ch.ShareContact) != 1 || ch.ShareContact[0] != "a" {
		t.Errorf("accepting gives the SHARE_CONTACT consent of the one who accepts: %v", ch.ShareContact)
	}
	ch, err = decideRespond(proposed(bridge.ResponseAccepted, bridge.ResponsePending), memberB, true, "", now)
	if err != nil || ch.Status != bridge.StatusIntroduced || ch.Transition.To != bridge.StatusIntroduced {
		t.Fatalf("second accept: %+v, %v; want INTRODUCED", ch, err)
	}
	got := map[string]string{}
	for _, n := range ch.Notify {
		got[n.PersonID] = n.Kind
	}
	if got["a"] != kindIntroduced || got["b"] != kindIntroduced || len(ch.Notify) != 2 {
		t.Errorf("both are notified together: %v", ch.Notify)
	}
}

func TestDeclineReadsAsNotPossibleToTheOtherSide(t *testing.T) {
	ch, err := decideRespond(proposed(bridge.ResponseAccepted, bridge.ResponsePending), memberB, false, "too busy", now)
	if err != nil || ch.Status != bridge.StatusDeclined {
		t.Fatalf("decline: %+v, %v", ch, err)
	}
	if len(ch.Notify) != 1 || ch.Notify[0].PersonID != "a" || ch.Notify[0].Kind != kindNotPossible {
		t.Errorf("the requester is told it is not possible: %v", ch.Notify)
	}
	after := proposed(bridge.ResponseAccepted, bridge.ResponseDeclined)
	after.Status = bridge.StatusDeclined
	if st := after.StatusFor(memberA.Principal); st != bridge.StatusNotPossible {
		t.Errorf("A sees %s, want NOT_POSSIBLE", st)
	}
	if st := after.StatusFor(memberB.Principal); st != bridge.StatusDeclined {
		t.Errorf("B (who declined) sees %s, want DECLINED", st)
	}
	if st := after.StatusFor(secretary.Principal); st != bridge.StatusDeclined {
		t.Errorf("the secretariat sees %s, want DECLINED", st)
	}
}

func TestIllegalTransitionsAreConflictsWithTheStateAsSeen(t *testing.T) {
	declined := proposed(bridge.ResponseAccepted, bridge.ResponseDeclined)
	declined.Status = bridge.StatusDeclined
	introduced := proposed(bridge.ResponseAccepted, bridge.ResponseAccepted)
	introduced.Status = bridge.StatusIntroduced
	expired := proposed(bridge.ResponsePending, bridge.ResponsePending)
	expired.ExpiresAt = now.Add(-time.Minute)
	requested := proposed(bridge.ResponseAccepted, bridge.ResponsePending)
	requested.Status = bridge.StatusRequested

	for _, c := range []struct {
		name   string
		err    error
		status bridge.IntroductionStatus
	}{
		{"accept after the other declined", second(decideRespond(declined, memberA, true, "", now)), bridge.StatusNotPossible},
		{"answer twice", second(decideRespond(proposed(bridge.ResponseAccepted, bridge.ResponsePending), memberA, true, "", now)), bridge.StatusProposed},
		{"answer after expiry", second(decideRespond(expired, memberB, true, "", now)), bridge.StatusNotPossible},
		{"answer a request not yet proposed", second(decideRespond(requested, memberB, true, "", now)), bridge.StatusRequested},
		{"withdraw an accomplished introduction", second(decideWithdraw(introduced, memberA, "", now)), bridge.StatusIntroduced},
		{"propose an introduction that is not a request", second(decideTriage(introduced, secretary, "", nil, bridge.Transition{})), bridge.StatusIntroduced},
	} {
		var e *bridge.Error
		if c.err == nil || code(c.err) != bridge.CodeConflict {
			t.Errorf("%s: %v, want CONFLICT", c.name, c.err)
			continue
		}
		if asErr(c.err, &e); e.Status != string(c.status) {
			t.Errorf("%s: status %q, want %q", c.name, e.Status, c.status)
		}
	}
	if err := second(decideRespond(proposed(bridge.ResponsePending, bridge.ResponsePending), stranger, true, "", now)); code(err) != bridge.CodeNotFound {
		t.Errorf("a stranger answering: %v, want NOT_FOUND", err)
	}
}

func second[T any](_ T, err error) error { return err }

func asErr(err error, target **bridge.Error) {
	e, _ := err.(*bridge.Error)
	*target = e
}

func TestTriageAsksTheRequesterAgainOnlyWhenThePersonChanged(t *testing.T) {
	req := bridge.Introduction{ID: "i", Status: bridge.StatusRequested, Parties: []bridge.Party{
		{PersonID: "a", Side: bridge.SideRequester, Response: bridge.ResponseAccepted},
		{PersonID: "b", Side: bridge.SideRecipient, Response: bridge.ResponsePending},
	}}
	ok := bridge.PersonFacts{Exists: true, Open: true, Consent: true, Capacity: 2}
	ch, err := decideTriage(req, secretary, "", nil, bridge.Transition{})
	if err != nil || ch.Status != bridge.StatusProposed || len(ch.Responses) != 0 || len(ch.Notify) != 1 || ch.Notify[0].PersonID != "b" {
		t.Fatalf("same person: %+v, %v; want only B asked", ch, err)
	}
	ch, err = decideTriage(req, secretary, "c", map[string]bridge.PersonFacts{"c": ok}, bridge.Transition{})
	if err != nil || len(ch.RemoveParties) != 1 || ch.RemoveParties[0] != "b" || len(ch.AddParties) != 1 || ch.AddParties[0].PersonID != "c" {
		t.Fatalf("changed person: %+v, %v", ch, err)
	}
	if len(ch.Responses) != 1 || ch.Responses[0].PersonID != "a" || ch.Responses[0].Response != bridge.ResponsePending {
		t.Errorf("the requester must be asked about the new person: %+v", ch.Responses)
	}
	full := ok
	full.UsedThisQuarter = 2
	if _, err := decideTriage(req, secretary, "c", map[string]bridge.PersonFacts{"c": full}, bridge.Transition{}); code(err) != bridge.CodeNotPossible {
		t.Errorf("a person at capacity: %v, want NOT_POSSIBLE", err)
	}
}

func TestRequestRules(t *testing.T) {
	limits := bridge.Limits{TTL: time.Hour, WeeklyPerMember: 3}
	me := bridge.PersonFacts{PersonID: "a", Exists: true}
	target := bridge.PersonFacts{PersonID: "b", Exists: true, VisibleToViewer: true, Open: true, Consent: true, Capacity: 1}
	r := bridge.IntroductionRequest{ToPersonID: "b", ThemeID: "t", Message: "hello", ClientRequestID: "c1"}
	facts := func(mod func(*bridge.PersonFacts)) map[string]bridge.PersonFacts {
		b := target
		mod(&b)
		return map[string]bridge.PersonFacts{"a": me, "b": b}
	}
	for _, c := range []struct {
		name     string
		f        map[string]bridge.PersonFacts
		thisWeek int
		want     bridge.Code
	}{
		{"possible", facts(func(*bridge.PersonFacts) {}), 2, ""},
		{"weekly limit", facts(func(*bridge.PersonFacts) {}), 3, bridge.CodeRateLimited},
		{"not open", facts(func(f *bridge.PersonFacts) { f.Open = false }), 0, bridge.CodeNotPossible},
		{"no consent", facts(func(f *bridge.PersonFacts) { f.Consent = false }), 0, bridge.CodeNotPossible},
		{"at capacity", facts(func(f *bridge.PersonFacts) { f.UsedThisQuarter = 1 }), 0, bridge.CodeNotPossible},
		{"paused looks absent", facts(func(f *bridge.PersonFacts) { f.Paused = true }), 0, bridge.CodeNotFound},
		{"not visible", facts(func(f *bridge.PersonFacts) { f.VisibleToViewer = false }), 0, bridge.CodeNotFound},
	} {
		err := checkRequest(memberA, r, c.f, c.thisWeek, limits)
		if code(err) != c.want {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
		if c.want == bridge.CodeNotPossible && err.Error() != bridge.ErrNotPossible().Error() {
			t.Errorf("%s: the requester must learn only that it is not possible, got %q", c.name, err)
		}
	}
	if err := r.Validate("input"); err != nil {
		t.Fatal(err)
	}
	bad := r
	bad.ClientRequestID = ""
	if err := bad.Validate("input"); code(err) != bridge.CodeBadUserInput {
		t.Errorf("missing client request id: %v", err)
	}
	bad = r
	bad.Message = string(make([]rune, bridge.MaxIntroductionMessage+1))
	if err := bad.Validate("input"); code(err) != bridge.CodeBadUserInput {
		t.Errorf("over-long message: %v", err)
	}
}

func TestWithdrawTellsOnlyThoseWhoWereAsked(t *testing.T) {
	req := proposed(bridge.ResponseAccepted, bridge.ResponsePending)
	req.Status = bridge.StatusRequested
	ch, err := decideWithdraw(req, secretary, "", now)
	if err != nil || ch.Status != bridge.StatusWithdrawn {
		t.Fatal(ch, err)
	}
	if len(ch.Notify) != 1 || ch.Notify[0].PersonID != "a" {
		t.Errorf("closing a request tells the requester only (B was never asked): %v", ch.Notify)
	}
	ch, err = decideWithdraw(proposed(bridge.ResponseAccepted, bridge.ResponsePending), memberA, "", now)
	if err != nil || len(ch.Notify) != 1 || ch.Notify[0].PersonID != "b" {
		t.Errorf("A withdraws a proposal: B is told: %v, %v", ch.Notify, err)
	}
	w := proposed(bridge.ResponseAccepted, bridge.ResponsePending)
	w.Status = bridge.StatusWithdrawn
	w.Transitions = []bridge.Transition{{Action: bridge.ActionWithdraw, ActorID: "a"}}
	if w.StatusFor(memberA.Principal) != bridge.StatusWithdrawn || w.StatusFor(memberB.Principal) != bridge.StatusNotPossible {
		t.Errorf("A sees %s, B sees %s", w.StatusFor(memberA.Principal), w.StatusFor(memberB.Principal))
	}
}

// TestSecretariatCannotTellAPauseFromNotOpen: a paused person cannot be involved, and the
// secretariat's answer is the one for a person who is not open to introductions (same code, same
// message), so that proposing is not a way to learn of a restriction (art. 18) unaudited.
func TestSecretariatCannotTellAPauseFromNotOpen(t *testing.T) {
	ok := bridge.PersonFacts{Exists: true, Open: true, Consent: true, Capacity: 2}
	paused, closed := ok, ok
	paused.Paused = true
	closed.Open = false
	errPaused, errClosed := secretariatCheck(paused), secretariatCheck(closed)
	if code(errPaused) != bridge.CodeNotPossible || errClosed == nil || errPaused.Error() != errClosed.Error() {
		t.Errorf("paused: %v; not open: %v; want the same NOT_POSSIBLE", errPaused, errClosed)
	}
	req := bridge.Introduction{ID: "i", Status: bridge.StatusRequested, Parties: []bridge.Party{
		{PersonID: "a", Side: bridge.SideRequester, Response: bridge.ResponseAccepted}}}
	_, errTriage := decideTriage(req, secretary, "c", map[string]bridge.PersonFacts{"c": paused}, bridge.Transition{})
	if errTriage == nil || errTriage.Error() != errClosed.Error() {
		t.Errorf("triage to a paused person: %v, want %v", errTriage, errClosed)
	}
}

// TestRecordedAnswerIsThePartysAnswerBySomeoneElse: the secretariat records B's answer given by
// phone: the same double opt-in as B's own (contact shared, both told when both accepted), with
// the secretariat as the actor and B and the channel in the transition; nobody else's answer can
// be recorded, and an answer is recorded once.
func TestRecordedAnswerIsThePartysAnswerBySomeoneElse(t *testing.T) {
	recorder := bridge.Actor{Principal: bridge.Principal{Role: bridge.RoleSecretariat, PersonID: "s"}, RequestID: "r2"}
	ch, err := decideRecordedAnswer(proposed(bridge.ResponseAccepted, bridge.ResponsePending), recorder, "b", true, bridge.AnswerPhone, "said yes on the phone", now)
	if err != nil || ch.Status != bridge.StatusIntroduced {
		t.Fatalf("recorded accept: %+v, %v; want INTRODUCED", ch, err)
	}
	tr := ch.Transition
	if tr.ActorID != "s" || tr.ActorRole != bridge.RoleSecretariat || tr.OnBehalfOf != "b" || tr.Channel != bridge.AnswerPhone || tr.RequestID != "r2" {
		t.Errorf("the transition: %+v; want the secretariat as actor on behalf of b by phone", tr)
	}
	if len(ch.ShareContact) != 1 || ch.ShareContact[0] != "b" || len(ch.Responses) != 1 || ch.Responses[0].PersonID != "b" ||
		ch.Responses[0].Note != "said yes on the phone" {
		t.Errorf("b's answer and consent: %+v %v", ch.Responses, ch.ShareContact)
	}
	if len(ch.Notify) != 2 {
		t.Errorf("both are told they are introduced: %v", ch.Notify)
	}
	ch, err = decideRecordedAnswer(proposed(bridge.ResponsePending, bridge.ResponsePending), recorder, "a", false, bridge.AnswerEmail, "", now)
	if err != nil || ch.Status != bridge.StatusDeclined || len(ch.Notify) != 1 || ch.Notify[0].PersonID != "b" {
		t.Fatalf("recorded decline: %+v, %v", ch, err)
	}
	if _, err := decideRecordedAnswer(proposed(bridge.ResponsePending, bridge.ResponsePending), recorder, "z", true, bridge.AnswerPhone, "", now); code(err) != bridge.CodeBadUserInput || bridge.InvalidField(err) != "input.person" {
		t.Errorf("a stranger's answer: %v, want BAD_USER_INPUT at input.person", err)
	}
	if _, err := decideRecordedAnswer(proposed(bridge.ResponseAccepted, bridge.ResponsePending), recorder, "a", true, bridge.AnswerPhone, "", now); code(err) != bridge.CodeConflict {
		t.Errorf("an answer recorded twice: %v, want CONFLICT", err)
	}
}
