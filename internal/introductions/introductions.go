// Package introductions is the brokered, double opt-in introduction workflow: who may do what in
// which state. The rules are pure functions of the current introduction and the facts about the
// people involved (decide*), so they are unit-tested without a database; the store runs each
// decision inside the transaction that writes it, under a lock on the introduction, so that two
// answers at once end in one consistent state.
package introductions

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The notifications the workflow writes (docs/introductions.md; delivered by package notify).
const (
	kindAsked          = bridge.NotificationIntroductionAsked
	kindIntroduced     = bridge.NotificationIntroductionIntroduced
	kindNotPossible    = bridge.NotificationIntroductionNotPossible
	kindRequestArrived = bridge.NotificationIntroductionRequestReceived
)

// Store is the storage of the workflow (package neo4jstore implements it).
type Store interface {
	// CreateIntroduction writes a new introduction unless one with the same request key exists (it
	// returns that one, created false) and returns it as stored. check runs in the transaction
	// with the facts of the people named in facts (read under a lock) and the requester's
	// requests in the last 7 days; an error from it rolls everything back.
	CreateIntroduction(ctx context.Context, v bridge.Principal, n bridge.NewIntroduction, facts []string,
		check func(facts map[string]bridge.PersonFacts, requestsThisWeek int) error) (i bridge.Introduction, created bool, err error)
	// TransitionIntroduction locks the introduction, reads it and the facts of the named people,
	// asks decide for the change and writes it, in one transaction.
	TransitionIntroduction(ctx context.Context, v bridge.Principal, id string, facts []string,
		decide func(cur bridge.Introduction, facts map[string]bridge.PersonFacts) (bridge.IntroductionChange, error)) (bridge.Introduction, error)
	// bridge.Introduction returns one introduction, or NOT_FOUND.
	Introduction(ctx context.Context, id string) (bridge.Introduction, error)
	// Introductions returns a page, newest first: all for the secretariat, the viewer's otherwise.
	Introductions(ctx context.Context, v bridge.Principal, f bridge.IntroductionFilter, first int, after string) (bridge.IntroductionPage, error)
	// Introducible says for each person whether v may ask for an introduction to them now.
	Introducible(ctx context.Context, v bridge.Principal, ids []string) (map[string]bool, error)
	// ExpireIntroductions moves open introductions past their expiry to EXPIRED (at most limit)
	// and returns how many.
	ExpireIntroductions(ctx context.Context, now time.Time, limit int) (int, error)
	// RemindIntroductions writes one INTRODUCTION_REMINDER to each party who has not answered a
	// PROPOSED introduction that expires within lead of now and was not reminded yet (at most
	// limit introductions) and returns how many introductions.
	RemindIntroductions(ctx context.Context, now time.Time, lead time.Duration, limit int) (int, error)
	// AddIntroductionNote appends the secretariat's internal note to the introduction (NOT_FOUND
	// when there is none) and returns the introduction.
	AddIntroductionNote(ctx context.Context, id string, n bridge.IntroductionNote, requestID string) (bridge.Introduction, error)
	// SetIntroductionHandler records who at the secretariat handles the introduction (handler:
	// bridge.HandlerKey, email: the address shown to colleagues; both empty: nobody), NOT_FOUND
	// when there is no such introduction.
	SetIntroductionHandler(ctx context.Context, id, handler, email string, at time.Time) (bridge.Introduction, error)
	// FollowUpIntroductions asks both sides of up to limit INTRODUCED introductions, introduced at
	// least after ago and not asked yet, how it went (INTRODUCTION_FOLLOW_UP), and returns how many.
	FollowUpIntroductions(ctx context.Context, now time.Time, after time.Duration, limit int) (int, error)
	// IntroductionFacts reads what the statistics count of every introduction made in [from, to).
	IntroductionFacts(ctx context.Context, from, to time.Time) ([]bridge.IntroductionFacts, error)
}

// Service runs the workflow over a store.
type Service struct {
	store  Store
	limits bridge.Limits
	now    func() time.Time
	newID  func() string
}

// New returns the service. now and newID are injected for tests.
func New(store Store, limits bridge.Limits, now func() time.Time, newID func() string) *Service {
	return &Service{store: store, limits: limits, now: now, newID: newID}
}

func (s *Service) transition(v bridge.Actor, a bridge.Action, from, to bridge.IntroductionStatus) bridge.Transition {
	return bridge.Transition{At: s.now().UTC(), Action: a, From: from, To: to, ActorID: v.PersonID, ActorRole: v.Role, RequestID: v.RequestID}
}

// Request is a member's request for an introduction. A retry with the same client request id
// returns the introduction the first call made.
func (s *Service) Request(ctx context.Context, v bridge.Actor, r bridge.IntroductionRequest) (bridge.Introduction, error) {
	if v.PersonID == "" {
		return bridge.Introduction{}, bridge.Errorf(bridge.CodeForbidden, "create your profile before asking for introductions")
	}
	r, err := r.Clean("input")
	if err != nil {
		return bridge.Introduction{}, err
	}
	if r.ToPersonID == v.PersonID {
		return bridge.Introduction{}, bridge.InvalidInput([]string{"input", "to"}, "you cannot ask for an introduction to yourself")
	}
	n := bridge.NewIntroduction{
		ID: s.newID(), RequestKey: v.PersonID + "/" + r.ClientRequestID, Status: bridge.StatusRequested,
		ThemeID: r.ThemeID, WantedCountry: r.Country, Message: r.Message, ExpiresAt: s.now().UTC().Add(s.limits.TTL),
		Parties:         []bridge.Party{{PersonID: v.PersonID, Side: bridge.SideRequester, Response: bridge.ResponseAccepted, RespondedAt: s.now().UTC()}},
		Transition:      s.transition(v, bridge.ActionRequest, "", bridge.StatusRequested),
		Notify:          []bridge.NotificationSpec{{Kind: kindRequestArrived}},
		WeeklyRequester: v.PersonID,
	}
	facts := []string{v.PersonID}
	if r.ToPersonID != "" {
		n.Parties = append(n.Parties, bridge.Party{PersonID: r.ToPersonID, Side: bridge.SideRecipient, Response: bridge.ResponsePending})
		facts = append(facts, r.ToPersonID)
	}
	check := func(f map[string]bridge.PersonFacts, thisWeek int) error {
		return checkRequest(v, r, f, thisWeek, s.limits)
	}
	return s.create(ctx, v, n, facts, check)
}

// checkRequest is the rule for a member's request.
func checkRequest(v bridge.Actor, r bridge.IntroductionRequest, f map[string]bridge.PersonFacts, thisWeek int, l bridge.Limits) error {
	if me := f[v.PersonID]; !me.Exists || me.Paused {
		return bridge.Errorf(bridge.CodeForbidden, "resume your profile before asking for introductions")
	}
	if thisWeek >= l.WeeklyPerMember {
		return bridge.Errorf(bridge.CodeRateLimited, "you have asked for %d introductions this week; try again next week", l.WeeklyPerMember)
	}
	if r.ToPersonID == "" {
		return nil
	}
	to := f[r.ToPersonID]
	if !to.Exists || !to.VisibleToViewer || to.Paused {
		// A paused profile is hidden: it looks like one that does not exist.
		return bridge.Errorf(bridge.CodeNotFound, "no such person")
	}
	if !to.Introducible() {
		return bridge.ErrNotPossible()
	}
	return nil
}

// ProposeInput is the secretariat's proposal: either triage of a member's request (Introduction,
// and Recipient to pick or change the person), or a new introduction between two people.
type ProposeInput struct {
	IntroductionID  string
	RequesterID     string
	RecipientID     string
	ThemeID         string
	Message         string
	ClientRequestID string
}

// Propose asks both sides. For a member's request to the person they named, their request counts
// as their acceptance; when the secretariat picked or changed the person, the requester is asked too.
func (s *Service) Propose(ctx context.Context, v bridge.Actor, in ProposeInput) (bridge.Introduction, error) {
	if in.IntroductionID != "" {
		return s.triage(ctx, v, in)
	}
	switch {
	case in.RequesterID == "":
		return bridge.Introduction{}, bridge.InvalidInput([]string{"input", "requester"}, "name both people, or the request to triage")
	case in.RecipientID == "":
		return bridge.Introduction{}, bridge.InvalidInput([]string{"input", "recipient"}, "name both people, or the request to triage")
	case in.RequesterID == in.RecipientID:
		return bridge.Introduction{}, bridge.InvalidInput([]string{"input", "recipient"}, "an introduction needs two different people")
	case in.ThemeID == "":
		return bridge.Introduction{}, bridge.InvalidInput([]string{"input", "theme"}, "say which theme the introduction is about")
	}
	req, err := bridge.IntroductionRequest{ToPersonID: in.RecipientID, ThemeID: in.ThemeID, Message: in.Message, ClientRequestID: in.ClientRequestID}.Clean("input")
	if err != nil {
		return bridge.Introduction{}, err
	}
	in.Message = req.Message
	now := s.now().UTC()
	n := bridge.NewIntroduction{
		ID: s.newID(), RequestKey: "secretariat/" + in.ClientRequestID, Status: bridge.StatusProposed,
		ThemeID: in.ThemeID, Message: in.Message, ExpiresAt: now.Add(s.limits.TTL),
		Parties: []bridge.Party{
			{PersonID: in.RequesterID, Side: bridge.SideRequester, Response: bridge.ResponsePending},
			{PersonID: in.RecipientID, Side: bridge.SideRecipient, Response: bridge.ResponsePending},
		},
		Transition: s.transition(v, bridge.ActionPropose, "", bridge.StatusProposed),
		Notify:     []bridge.NotificationSpec{{Kind: kindAsked, PersonID: in.RequesterID}, {Kind: kindAsked, PersonID: in.RecipientID}},
	}
	check := func(f map[string]bridge.PersonFacts, _ int) error {
		for _, id := range []string{in.RequesterID, in.RecipientID} {
			if err := secretariatCheck(f[id]); err != nil {
				return err
			}
		}
		return nil
	}
	return s.create(ctx, v, n, []string{in.RequesterID, in.RecipientID}, check)
}

// secretariatCheck is the rule for involving a person on the secretariat's initiative; the
// secretariat may learn which rule says no (it is their work to find another way), except that a
// paused profile answers as one not open to introductions: the restriction (art. 18) is read only
// where it is audited (Person.paused, READ_PRIVACY), never learnt from a refusal.
func secretariatCheck(f bridge.PersonFacts) error {
	switch {
	case !f.Exists:
		return bridge.Errorf(bridge.CodeNotFound, "no such person")
	case f.Paused, !f.Open:
		return &bridge.Error{Code: bridge.CodeNotPossible, Message: "not possible: this person is not open to introductions"}
	case !f.Consent:
		return &bridge.Error{Code: bridge.CodeNotPossible, Message: "not possible: this person has not consented to introductions"}
	case f.UsedThisQuarter >= f.Capacity:
		return &bridge.Error{Code: bridge.CodeNotPossible, Message: "not possible: this person has reached their introductions for the quarter"}
	}
	return nil
}

func (s *Service) triage(ctx context.Context, v bridge.Actor, in ProposeInput) (bridge.Introduction, error) {
	var facts []string
	if in.RecipientID != "" {
		facts = append(facts, in.RecipientID)
	}
	return s.store.TransitionIntroduction(ctx, v.Principal, in.IntroductionID, facts, func(cur bridge.Introduction, f map[string]bridge.PersonFacts) (bridge.IntroductionChange, error) {
		ch, err := decideTriage(cur, v, in.RecipientID, f, s.transition(v, bridge.ActionPropose, cur.Status, bridge.StatusProposed))
		ch.ExpiresAt = s.now().UTC().Add(s.limits.TTL) // the people asked get the full time to answer
		return ch, err
	})
}

// decideTriage turns a member's request into a proposal to both sides.
func decideTriage(cur bridge.Introduction, v bridge.Actor, recipientID string, f map[string]bridge.PersonFacts, t bridge.Transition) (bridge.IntroductionChange, error) {
	if cur.Status != bridge.StatusRequested {
		return bridge.IntroductionChange{}, conflict(cur, v, "only a new request can be proposed")
	}
	req, _ := cur.PartyOn(bridge.SideRequester)
	old, hadRecipient := cur.PartyOn(bridge.SideRecipient)
	ch := bridge.IntroductionChange{Status: bridge.StatusProposed, Transition: t}
	switch {
	case recipientID == "" && !hadRecipient:
		return bridge.IntroductionChange{}, bridge.InvalidInput([]string{"input", "recipient"}, "pick the person to introduce")
	case recipientID == req.PersonID:
		return bridge.IntroductionChange{}, bridge.InvalidInput([]string{"input", "recipient"}, "an introduction needs two different people")
	case recipientID != "" && (!hadRecipient || recipientID != old.PersonID):
		if err := secretariatCheck(f[recipientID]); err != nil {
			return bridge.IntroductionChange{}, err
		}
		if hadRecipient {
			ch.RemoveParties = []string{old.PersonID}
		}
		ch.AddParties = []bridge.Party{{PersonID: recipientID, Side: bridge.SideRecipient, Response: bridge.ResponsePending}}
		// The requester asked for someone else (or for anyone): they are asked about this person.
		ch.Responses = []bridge.Party{{PersonID: req.PersonID, Response: bridge.ResponsePending}}
		ch.Notify = []bridge.NotificationSpec{{Kind: kindAsked, PersonID: req.PersonID}, {Kind: kindAsked, PersonID: recipientID}}
	default:
		ch.Notify = []bridge.NotificationSpec{{Kind: kindAsked, PersonID: old.PersonID}}
	}
	return ch, nil
}

// Accept records a party's yes. Only when both have accepted does the introduction become
// INTRODUCED, and then both are notified together.
func (s *Service) Accept(ctx context.Context, v bridge.Actor, id, note string) (bridge.Introduction, error) {
	return s.respond(ctx, v, id, true, note)
}

// Decline records a party's no: it ends the introduction, and the other side learns only that it
// is not possible at the moment.
func (s *Service) Decline(ctx context.Context, v bridge.Actor, id, note string) (bridge.Introduction, error) {
	return s.respond(ctx, v, id, false, note)
}

// respond is the one path of Accept and Decline: clean the note, decide under the lock.
func (s *Service) respond(ctx context.Context, v bridge.Actor, id string, accept bool, note string) (bridge.Introduction, error) {
	note, err := bridge.CleanNote(note, "note")
	if err != nil {
		return bridge.Introduction{}, err
	}
	return s.store.TransitionIntroduction(ctx, v.Principal, id, nil, func(cur bridge.Introduction, _ map[string]bridge.PersonFacts) (bridge.IntroductionChange, error) {
		return decideRespond(cur, v, accept, note, s.now().UTC())
	})
}

// decideRespond is the double opt-in.
func decideRespond(cur bridge.Introduction, v bridge.Actor, accept bool, note string, now time.Time) (bridge.IntroductionChange, error) {
	me, ok := cur.Party(v.PersonID)
	if !ok {
		return bridge.IntroductionChange{}, bridge.Errorf(bridge.CodeNotFound, "no such introduction")
	}
	if err := checkOpen(cur, v, now, bridge.StatusProposed); err != nil {
		return bridge.IntroductionChange{}, err
	}
	if me.Response != bridge.ResponsePending {
		return bridge.IntroductionChange{}, conflict(cur, v, "you have already answered")
	}
	t := bridge.Transition{At: now, ActorID: v.PersonID, ActorRole: v.Role, RequestID: v.RequestID, From: cur.Status}
	if !accept {
		t.Action, t.To = bridge.ActionDecline, bridge.StatusDeclined
		return bridge.IntroductionChange{Status: bridge.StatusDeclined, Transition: t,
			Responses: []bridge.Party{{PersonID: me.PersonID, Response: bridge.ResponseDeclined, Note: note, RespondedAt: now}},
			Notify:    notifyOthers(cur, me.PersonID, kindNotPossible)}, nil
	}
	ch := bridge.IntroductionChange{Status: bridge.StatusProposed, Transition: t,
		Responses:    []bridge.Party{{PersonID: me.PersonID, Response: bridge.ResponseAccepted, Note: note, RespondedAt: now}},
		ShareContact: []string{me.PersonID}}
	all := true
	for _, p := range cur.Parties {
		if p.PersonID != me.PersonID && p.Response != bridge.ResponseAccepted {
			all = false
		}
	}
	t.Action, t.To = bridge.ActionAccept, bridge.StatusProposed
	if all && len(cur.Parties) == 2 {
		t.To, ch.Status = bridge.StatusIntroduced, bridge.StatusIntroduced
		for _, p := range cur.Parties {
			ch.Notify = append(ch.Notify, bridge.NotificationSpec{Kind: kindIntroduced, PersonID: p.PersonID})
		}
	}
	ch.Transition = t
	return ch, nil
}

// FollowUp asks the sides of the introductions that are due how it went; the worker calls it
// with Remind and Expire.
func (s *Service) FollowUp(ctx context.Context) (int, error) {
	if s.limits.FollowUpAfter <= 0 {
		return 0, nil
	}
	return inBatches(func(limit int) (int, error) {
		return s.store.FollowUpIntroductions(ctx, s.now().UTC(), s.limits.FollowUpAfter, limit)
	})
}

// AnswerFollowUp is a party's answer to "did you meet, was it useful?" about an introduction that
// happened. When both have answered, the introduction is COMPLETED with the outcome their
// answers give (bridge.CombineFollowUps); the secretariat may still record one itself before.
func (s *Service) AnswerFollowUp(ctx context.Context, v bridge.Actor, id string, o bridge.Outcome) (bridge.Introduction, error) {
	if !o.Valid() {
		return bridge.Introduction{}, bridge.InvalidInput([]string{"outcome"}, "not a known outcome")
	}
	return s.store.TransitionIntroduction(ctx, v.Principal, id, nil, func(cur bridge.Introduction, _ map[string]bridge.PersonFacts) (bridge.IntroductionChange, error) {
		return decideFollowUp(cur, v, o, s.now().UTC())
	})
}

func decideFollowUp(cur bridge.Introduction, v bridge.Actor, o bridge.Outcome, now time.Time) (bridge.IntroductionChange, error) {
	me, ok := cur.Party(v.PersonID)
	if !ok {
		return bridge.IntroductionChange{}, bridge.Errorf(bridge.CodeNotFound, "no such introduction")
	}
	if cur.Status != bridge.StatusIntroduced {
		return bridge.IntroductionChange{}, conflict(cur, v, "you can say how it went once you are introduced, until the outcome is recorded")
	}
	if me.FollowUp != "" {
		return bridge.IntroductionChange{}, conflict(cur, v, "you have already said how it went")
	}
	mine := me
	mine.FollowUp = o
	ch := bridge.IntroductionChange{Status: bridge.StatusIntroduced, Responses: []bridge.Party{mine},
		Transition: bridge.Transition{At: now, Action: bridge.ActionFollowUp, From: cur.Status, To: bridge.StatusIntroduced,
			ActorID: v.PersonID, ActorRole: v.Role, RequestID: v.RequestID}}
	for _, p := range cur.Parties {
		if p.PersonID != me.PersonID && p.FollowUp != "" {
			ch.Status, ch.Outcome = bridge.StatusCompleted, bridge.CombineFollowUps(p.FollowUp, o)
			ch.Transition.To = bridge.StatusCompleted
		}
	}
	return ch, nil
}

// RecordAnswer is the secretariat recording a party's answer given outside Bridge (by phone,
// e-mail or in person): the same double opt-in as the party's own Accept or Decline, with the
// transition saying who recorded it, for whom and by which channel (the introduction's history
// is its audit trail). An acceptance recorded this way shares the party's contact details as
// their own would: the secretariat records it only when the party said so.
func (s *Service) RecordAnswer(ctx context.Context, v bridge.Actor, id, personID string, accept bool, channel bridge.AnswerChannel, note string) (bridge.Introduction, error) {
	if err := v.Require(v.IsSecretariat()); err != nil {
		return bridge.Introduction{}, err
	}
	if !channel.Valid() {
		return bridge.Introduction{}, bridge.InvalidInput([]string{"input", "channel"}, "not a known channel")
	}
	note, err := bridge.CleanNote(note, "note")
	if err != nil {
		return bridge.Introduction{}, err
	}
	return s.store.TransitionIntroduction(ctx, v.Principal, id, nil, func(cur bridge.Introduction, _ map[string]bridge.PersonFacts) (bridge.IntroductionChange, error) {
		return decideRecordedAnswer(cur, v, personID, accept, channel, note, s.now().UTC())
	})
}

// decideRecordedAnswer is decideRespond for the party, with the secretariat as the actor.
func decideRecordedAnswer(cur bridge.Introduction, v bridge.Actor, personID string, accept bool, channel bridge.AnswerChannel,
	note string, now time.Time) (bridge.IntroductionChange, error) {
	if _, ok := cur.Party(personID); !ok || personID == "" {
		return bridge.IntroductionChange{}, bridge.InvalidInput([]string{"input", "person"}, "this person is not a party to the introduction")
	}
	party := v
	party.Principal.PersonID = personID
	ch, err := decideRespond(cur, party, accept, note, now)
	if err != nil {
		return ch, err
	}
	ch.Transition.ActorID, ch.Transition.ActorRole = v.PersonID, v.Role
	ch.Transition.OnBehalfOf, ch.Transition.Channel = personID, channel
	return ch, nil
}

// AddNote is the secretariat's internal note on an introduction (any status): only the
// secretariat reads notes.
func (s *Service) AddNote(ctx context.Context, v bridge.Actor, id, text string) (bridge.Introduction, error) {
	if err := v.Require(v.IsSecretariat()); err != nil {
		return bridge.Introduction{}, err
	}
	text, err := bridge.CleanText([]string{"text"}, text, true, bridge.MaxNoteLength)
	if err != nil {
		return bridge.Introduction{}, err
	}
	return s.store.AddIntroductionNote(ctx, id, bridge.IntroductionNote{At: s.now().UTC(), Text: text, AuthorID: v.PersonID,
		AuthorRole: v.Role}, v.RequestID)
}

// Take makes the acting secretariat account the handler of an introduction (taking it from a
// colleague too: the queue shows who has it, not a lock). It needs a signed-in account, whose
// e-mail address colleagues see.
func (s *Service) Take(ctx context.Context, v bridge.Actor, id string) (bridge.Introduction, error) {
	if err := v.Require(v.IsSecretariat()); err != nil {
		return bridge.Introduction{}, err
	}
	key := bridge.HandlerKey(v.Account)
	if key == "" {
		return bridge.Introduction{}, bridge.Errorf(bridge.CodeNotPossible, "taking an introduction needs a signed-in account")
	}
	return s.store.SetIntroductionHandler(ctx, id, key, v.Account.Email, s.now().UTC())
}

// Release leaves an introduction to nobody at the secretariat (any colleague may, e.g. for
// someone away).
func (s *Service) Release(ctx context.Context, v bridge.Actor, id string) (bridge.Introduction, error) {
	if err := v.Require(v.IsSecretariat()); err != nil {
		return bridge.Introduction{}, err
	}
	return s.store.SetIntroductionHandler(ctx, id, "", "", s.now().UTC())
}

// Withdraw ends an open introduction, by a party or the secretariat (closing a request it will not
// pursue). The others who were asked learn only that it is not possible at the moment.
func (s *Service) Withdraw(ctx context.Context, v bridge.Actor, id, note string) (bridge.Introduction, error) {
	note, err := bridge.CleanNote(note, "note")
	if err != nil {
		return bridge.Introduction{}, err
	}
	return s.store.TransitionIntroduction(ctx, v.Principal, id, nil, func(cur bridge.Introduction, _ map[string]bridge.PersonFacts) (bridge.IntroductionChange, error) {
		return decideWithdraw(cur, v, note, s.now().UTC())
	})
}

func decideWithdraw(cur bridge.Introduction, v bridge.Actor, note string, now time.Time) (bridge.IntroductionChange, error) {
	me, party := cur.Party(v.PersonID)
	if !party && !v.IsSecretariat() {
		return bridge.IntroductionChange{}, bridge.Errorf(bridge.CodeNotFound, "no such introduction")
	}
	if err := checkOpen(cur, v, now, bridge.StatusRequested, bridge.StatusProposed); err != nil {
		return bridge.IntroductionChange{}, err
	}
	ch := bridge.IntroductionChange{Status: bridge.StatusWithdrawn,
		Transition: bridge.Transition{At: now, Action: bridge.ActionWithdraw, From: cur.Status, To: bridge.StatusWithdrawn,
			ActorID: v.PersonID, ActorRole: v.Role, RequestID: v.RequestID}}
	if party {
		ch.Responses = []bridge.Party{{PersonID: me.PersonID, Response: me.Response, Note: note, RespondedAt: me.RespondedAt}}
	}
	// Only people who were told about it are told it ends: in REQUESTED that is the requester.
	for _, p := range cur.Parties {
		if p.PersonID == v.PersonID || (cur.Status == bridge.StatusRequested && p.Side != bridge.SideRequester) {
			continue
		}
		ch.Notify = append(ch.Notify, bridge.NotificationSpec{Kind: kindNotPossible, PersonID: p.PersonID})
	}
	return ch, nil
}

// RecordOutcome is the secretariat's follow-up of an introduction that happened.
func (s *Service) RecordOutcome(ctx context.Context, v bridge.Actor, id string, o bridge.Outcome) (bridge.Introduction, error) {
	if !o.Valid() {
		return bridge.Introduction{}, bridge.InvalidInput([]string{"outcome"}, "not a known outcome")
	}
	return s.store.TransitionIntroduction(ctx, v.Principal, id, nil, func(cur bridge.Introduction, _ map[string]bridge.PersonFacts) (bridge.IntroductionChange, error) {
		if cur.Status != bridge.StatusIntroduced {
			return bridge.IntroductionChange{}, conflict(cur, v, "an outcome is recorded once, after both sides accepted")
		}
		return bridge.IntroductionChange{Status: bridge.StatusCompleted, Outcome: o,
			Transition: s.transition(v, bridge.ActionOutcome, cur.Status, bridge.StatusCompleted)}, nil
	})
}

// Get returns an introduction the viewer may see: the secretariat all, a member their own.
func (s *Service) Get(ctx context.Context, v bridge.Actor, id string) (bridge.Introduction, error) {
	i, err := s.store.Introduction(ctx, id)
	if err != nil {
		return i, err
	}
	if _, party := i.Party(v.PersonID); !party && !v.IsSecretariat() {
		return bridge.Introduction{}, bridge.Errorf(bridge.CodeNotFound, "no such introduction")
	}
	return i, nil
}

// Introducible says for each person whether the viewer may ask for an introduction to them now.
func (s *Service) Introducible(ctx context.Context, v bridge.Actor, ids []string) (map[string]bool, error) {
	return s.store.Introducible(ctx, v.Principal, ids)
}

// List returns the viewer's introductions (the secretariat: the queue).
func (s *Service) List(ctx context.Context, v bridge.Actor, f bridge.IntroductionFilter, first int, after string) (bridge.IntroductionPage, error) {
	if !v.IsSecretariat() && v.PersonID == "" {
		return bridge.IntroductionPage{Counts: map[bridge.IntroductionStatus]int{}}, nil
	}
	if err := bridge.ValidateFirst(first); err != nil {
		return bridge.IntroductionPage{}, err
	}
	return s.store.Introductions(ctx, v.Principal, f, first, after)
}

// Expire moves open introductions past their time to EXPIRED; the worker calls it periodically.
func (s *Service) Expire(ctx context.Context) (int, error) {
	return inBatches(func(limit int) (int, error) { return s.store.ExpireIntroductions(ctx, s.now().UTC(), limit) })
}

// Remind writes the reminders that are due (Limits.ReminderLead before expiry); the worker calls
// it with Expire.
func (s *Service) Remind(ctx context.Context) (int, error) {
	if s.limits.ReminderLead <= 0 {
		return 0, nil
	}
	return inBatches(func(limit int) (int, error) {
		return s.store.RemindIntroductions(ctx, s.now().UTC(), s.limits.ReminderLead, limit)
	})
}

// RunExpiry calls Remind, FollowUp and Expire every interval until ctx ends; failures are logged
// by the caller's log function and retried at the next tick. gate, when not nil, is asked before
// each round (lease.For: one instance runs the round per interval).
func (s *Service) RunExpiry(ctx context.Context, interval time.Duration, gate func(context.Context) bool, logf func(n int, err error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if gate != nil && !gate(ctx) {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				continue
			}
		}
		if _, err := s.Remind(ctx); err != nil && ctx.Err() == nil {
			logf(0, err)
		}
		if _, err := s.FollowUp(ctx); err != nil && ctx.Err() == nil {
			logf(0, err)
		}
		n, err := s.Expire(ctx)
		if (n > 0 || err != nil) && ctx.Err() == nil {
			logf(n, err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Service) create(ctx context.Context, v bridge.Actor, n bridge.NewIntroduction, facts []string,
	check func(map[string]bridge.PersonFacts, int) error) (bridge.Introduction, error) {
	i, _, err := s.store.CreateIntroduction(ctx, v.Principal, n, facts, check)
	return i, err
}

// checkOpen says CONFLICT unless the introduction is in one of the states and not past expiry.
func checkOpen(cur bridge.Introduction, v bridge.Actor, now time.Time, states ...bridge.IntroductionStatus) error {
	if cur.Status.Open() && !cur.ExpiresAt.IsZero() && now.After(cur.ExpiresAt) {
		cur.Status = bridge.StatusExpired
		return conflict(cur, v, "this introduction has expired")
	}
	if !slices.Contains(states, cur.Status) {
		return conflict(cur, v, "not possible in the introduction's current state")
	}
	return nil
}

// conflict is the CONFLICT of an illegal transition, with the current state as the viewer may see
// it (so a party is never told "declined" by the error either).
func conflict(cur bridge.Introduction, v bridge.Actor, msg string) error {
	st := cur.StatusFor(v.Principal)
	return &bridge.Error{Code: bridge.CodeConflict, Status: string(st),
		Message: fmt.Sprintf("%s (it is %s)", msg, st)}
}

func notifyOthers(cur bridge.Introduction, except, kind string) []bridge.NotificationSpec {
	var out []bridge.NotificationSpec
	for _, p := range cur.Parties {
		if p.PersonID != except {
			out = append(out, bridge.NotificationSpec{Kind: kind, PersonID: p.PersonID})
		}
	}
	return out
}

// workerBatch is how many introductions one write of a worker's step changes at most.
const workerBatch = 200

// inBatches runs a worker's step until a batch comes back short (or fails) and returns how many
// it changed in all.
func inBatches(step func(limit int) (int, error)) (int, error) {
	total := 0
	for {
		n, err := step(workerBatch)
		total += n
		if err != nil || n < workerBatch {
			return total, err
		}
	}
}
