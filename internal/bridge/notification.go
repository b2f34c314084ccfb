package bridge

import (
	"log/slog"
	"time"
)

// The kinds of notification (docs/introductions.md, "Notification (outbox)"). They are plain string
// constants so that they fit NotificationSpec.Kind and the stored kind property alike.
const (
	// NotificationIntroductionAsked: the recipient is asked to accept or decline an introduction.
	NotificationIntroductionAsked = "INTRODUCTION_ASKED"
	// NotificationIntroductionIntroduced: both sides accepted; the message carries the other
	// party's name and contact details.
	NotificationIntroductionIntroduced = "INTRODUCTION_INTRODUCED"
	// NotificationIntroductionNotPossible: the introduction will not happen now. Its text never says
	// who declined, or that anyone did.
	NotificationIntroductionNotPossible = "INTRODUCTION_NOT_POSSIBLE"
	// NotificationIntroductionRequestReceived: to the secretariat's address (no recipient person):
	// a new request waits in the queue.
	NotificationIntroductionRequestReceived = "INTRODUCTION_REQUEST_RECEIVED"
	// NotificationContactChanged: someone the recipient was introduced to changed the details the
	// INTRODUCED message gave (art. 19); the message carries the current ones.
	NotificationContactChanged = "INTRODUCTION_CONTACT_CHANGED"
	// NotificationReminder: the recipient has not answered an introduction that closes soon.
	NotificationReminder = "INTRODUCTION_REMINDER"
	// NotificationReconfirmProfile: to a person whose profile the secretariat imported and who
	// never confirmed it (the retention job, internal/retention): sign in before the deadline
	// (OutboxItem.ReconfirmBy) or the profile is erased. It concerns no introduction.
	NotificationReconfirmProfile = "RECONFIRM_PROFILE"
	// NotificationPartyErased: someone the recipient was introduced to has been erased; the
	// recipient is asked to delete the contact details Bridge gave them (art. 19). It cannot name
	// the person (they are gone); it names the introduction's theme.
	NotificationPartyErased = "INTRODUCTION_PARTY_ERASED"
	// NotificationPersonErased: to the secretariat's address (the data-protection contact): a
	// person was erased; the message carries the pseudonymous id only (security.md row 70).
	NotificationPersonErased = "PERSON_ERASED"
	// NotificationFollowUp: some time after an introduction, each side is asked whether they met
	// and whether it was useful (one click in the web app).
	NotificationFollowUp = "INTRODUCTION_FOLLOW_UP"
	// NotificationEventSuggestions: after an event, to an attendee: other attendees work on
	// their themes (OutboxItem.EventID). It carries ids only; the sender names the event and
	// links to the page of suggestions, and drops it when, at send time, the recipient no longer
	// attended, has paused, or has no suggestion they may see. It names nobody.
	NotificationEventSuggestions = "EVENT_SUGGESTIONS"
)

// NotificationKinds are the known kinds.
var NotificationKinds = []string{NotificationIntroductionAsked, NotificationIntroductionIntroduced,
	NotificationIntroductionNotPossible, NotificationIntroductionRequestReceived, NotificationContactChanged,
	NotificationReminder, NotificationReconfirmProfile, NotificationPartyErased, NotificationPersonErased,
	NotificationFollowUp, NotificationEventSuggestions}

// ConcernsNoIntroduction reports whether notifications of kind have no introduction behind them.
func ConcernsNoIntroduction(kind string) bool {
	return kind == NotificationReconfirmProfile || kind == NotificationPersonErased || kind == NotificationEventSuggestions
}

// CarriesCounterpart reports whether a notification of kind gives the other party's contact
// details: only for a connected introduction (INTRODUCED or COMPLETED).
func CarriesCounterpart(kind string) bool {
	return kind == NotificationIntroductionIntroduced || kind == NotificationContactChanged
}

// The statuses of a notification. PENDING → SENDING (claimed by a sender) → SENT; a temporary
// failure goes back to PENDING with a later nextAttemptAt until it is FAILED; a SENDING one that a
// crashed process left behind becomes UNCERTAIN and is never sent again; one whose recipient has
// no address any more (erased) is DROPPED.
const (
	NotificationPending   = "PENDING"
	NotificationSending   = "SENDING"
	NotificationSent      = "SENT"
	NotificationFailed    = "FAILED"
	NotificationUncertain = "UNCERTAIN"
	NotificationDropped   = "DROPPED"
)

// NotificationStatuses are the known statuses, in workflow order.
var NotificationStatuses = []string{NotificationPending, NotificationSending, NotificationSent,
	NotificationFailed, NotificationUncertain, NotificationDropped}

// NotificationContact is a person as a notification names them. It is personal data: it exists
// only between the outbox read and the rendered message, and never goes into a log or an error.
type NotificationContact struct {
	PersonID      string
	GivenName     string
	FamilyName    string
	Name          string // the display name as stored; see DisplayName
	Email         string
	Phone         string
	Title         string
	Organisations []string // names of the organisations they work at, sorted
}

// DisplayName is the stored display name, or the given and family names joined when there is none.
func (c NotificationContact) DisplayName() string {
	if c.Name != "" {
		return c.Name
	}
	switch {
	case c.GivenName != "" && c.FamilyName != "":
		return c.GivenName + " " + c.FamilyName
	case c.GivenName != "":
		return c.GivenName
	}
	return c.FamilyName
}

// OutboxItem is one claimed notification with what rendering needs, read from the graph at send
// time (the stored notification holds ids only, so that erasure leaves no personal data behind).
//
// It deliberately formats as "notification <id> (<kind>)" with %v and logs as id and kind only
// (String, LogValue): its contact fields must never reach a log line or an error string by
// accident.
type OutboxItem struct {
	ID       string // the notification's id
	Kind     string // one of the Notification… kinds
	Attempts int    // failed attempts before this one
	// Recipient is the person the message goes to; an empty Recipient.PersonID means the
	// secretariat's address (INTRODUCTION_REQUEST_RECEIVED), which the sender knows.
	Recipient NotificationContact
	// Language is the language to write in: the recipient's choice (one of MessageLanguages),
	// DefaultLanguage when they made none, and for the secretariat.
	Language           string
	IntroductionID     string    // empty for RECONFIRM_PROFILE, which concerns no introduction
	IntroductionStatus string    // as stored (REQUESTED, PROPOSED, INTRODUCED …)
	ThemeLabel         string    // the theme's label in Language (English where it has none)
	ExpiresAt          time.Time // when the introduction closes without answers (zero when closed)
	// ReconfirmBy is the deadline of a RECONFIRM_PROFILE notification: the recipient's profile is
	// erased if they have not confirmed it by then. Zero for every other kind.
	ReconfirmBy time.Time
	// SubjectID is the erased person's id of a PERSON_ERASED notification (pseudonymous: it leads
	// nowhere any more); empty for every other kind.
	SubjectID string
	// EventID and EventName are the event of an EVENT_SUGGESTIONS notification; empty for every
	// other kind.
	EventID, EventName string
	// Counterpart is the other party of an INTRODUCTION_INTRODUCED or INTRODUCTION_CONTACT_CHANGED
	// notification (name, e-mail, phone, title, organisations); nil for every other kind.
	Counterpart *NotificationContact
}

// ToSecretariat reports whether the message goes to the secretariat's address.
func (i OutboxItem) ToSecretariat() bool { return i.Recipient.PersonID == "" }

// String names the notification by id and kind only.
func (i OutboxItem) String() string { return "notification " + i.ID + " (" + i.Kind + ")" }

// GoString names the notification by id and kind only, for %#v.
func (i OutboxItem) GoString() string { return i.String() }

// LogValue implements slog.LogValuer: id and kind only.
func (i OutboxItem) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", i.ID), slog.String("kind", i.Kind))
}
