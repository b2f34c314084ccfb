// Package eventsuggestions is the use case "after an event, suggest to each attendee the other
// attendees who work on their themes": the secretariat sends them once the event has ended (one
// e-mail per attendee, through the outbox, ids only), and each attendee reads theirs. Who is
// suggested follows the privacy predicates of the store: only people the attendee may see and who
// may be suggested (consent, not paused, open to introductions), never anyone hidden from them.
// The Service holds no state; it is safe for concurrent use.
package eventsuggestions

import (
	"context"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// MaxSuggestions bounds the suggestions one attendee reads (a seminar has tens to a few hundred
// attendees; the list is for choosing whom to meet, not a directory).
const MaxSuggestions = 50

// Store is what the use case needs of the database; package neo4jstore satisfies it.
type Store interface {
	// SendEventSuggestions, in one transaction under the event's lock: reads the event (NOT_FOUND
	// when there is none) and lets check refuse; then, for each attendee who may be written to
	// (not paused, an e-mail address, the INTRODUCE consent, open to introductions) and was not
	// yet, who has at least one suggestion (suggestable for the member levels given, sharing a
	// theme), marks the attendance as written to, writes one EVENT_SUGGESTIONS notification and
	// one audit event (the entry, targeted at the attendee). It answers how many were written to.
	SendEventSuggestions(ctx context.Context, eventID string, levels []string, now time.Time, audit bridge.AuditEntry,
		check func(bridge.Event) error) (int, error)
	// EventSuggestions is the viewer's suggestions among the other attendees of the event (none
	// when the viewer did not attend): at most limit, most shared themes first, then by name.
	EventSuggestions(ctx context.Context, viewer bridge.Principal, eventID string, limit int) ([]bridge.EventSuggestion, error)
}

// Service sends and reads event suggestions.
type Service struct {
	Store Store
	Now   func() time.Time // nil: time.Now
}

func (s Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// Ended reports whether the event is over on the day today (an ISO date): its last day has
// passed. Suggestions are sent and shown only then, when the attendance list is complete.
func Ended(e bridge.Event, today string) bool { return e.EndDate != "" && e.EndDate < today }

// Send writes to each attendee of the event their suggestions (secretariat only). It is
// NOT_POSSIBLE before the event has ended, and idempotent: an attendee written to once is never
// written to again, so a second call writes only to attendees recorded since.
func (s Service) Send(ctx context.Context, viewer bridge.Actor, eventID string) (bridge.EventSuggestionsSent, error) {
	audit, err := viewer.SecretariatAudit(bridge.AuditSendEventSuggestions)
	if err != nil {
		return bridge.EventSuggestionsSent{}, err
	}
	now := s.now()
	today := now.Format(time.DateOnly)
	// The recipients are members: what they may see is what a member sees, whatever role their
	// own sign-in may have.
	levels := []string{}
	for _, l := range (bridge.Principal{Role: bridge.RoleMember}).VisibleLevels() {
		levels = append(levels, string(l))
	}
	n, err := s.Store.SendEventSuggestions(ctx, eventID, levels, now, audit, func(e bridge.Event) error {
		if !Ended(e, today) {
			return bridge.Errorf(bridge.CodeNotPossible, "the event has not ended yet")
		}
		return nil
	})
	if err != nil {
		return bridge.EventSuggestionsSent{}, err
	}
	return bridge.EventSuggestionsSent{EventID: eventID, Written: n}, nil
}

// ForMe is the viewer's suggestions at the event: the other attendees they may see who work on
// their themes, once the event has ended and if they attended it; none for a visitor without a
// profile.
func (s Service) ForMe(ctx context.Context, viewer bridge.Principal, e bridge.Event) ([]bridge.EventSuggestion, error) {
	if viewer.PersonID == "" || !Ended(e, s.now().Format(time.DateOnly)) {
		return []bridge.EventSuggestion{}, nil
	}
	return s.Store.EventSuggestions(ctx, viewer, e.ID, MaxSuggestions)
}
