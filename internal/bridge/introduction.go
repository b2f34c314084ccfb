package bridge

import (
	"strconv"
	"strings"
	"time"
)

// IntroductionStatus is where an introduction stands (docs/introductions.md).
type IntroductionStatus string

// The statuses of an introduction. NotPossible is never stored: it is how a party who did not end
// an introduction sees Declined, Withdrawn and Expired, so that a decline never reads as a
// rejection.
const (
	StatusRequested   IntroductionStatus = "REQUESTED"
	StatusProposed    IntroductionStatus = "PROPOSED"
	StatusIntroduced  IntroductionStatus = "INTRODUCED"
	StatusCompleted   IntroductionStatus = "COMPLETED"
	StatusDeclined    IntroductionStatus = "DECLINED"
	StatusWithdrawn   IntroductionStatus = "WITHDRAWN"
	StatusExpired     IntroductionStatus = "EXPIRED"
	StatusNotPossible IntroductionStatus = "NOT_POSSIBLE"
)

// Open reports whether the introduction still waits for someone (it can expire).
func (s IntroductionStatus) Open() bool { return s == StatusRequested || s == StatusProposed }

// Connected reports whether both sides accepted: contact details are released.
func (s IntroductionStatus) Connected() bool { return s == StatusIntroduced || s == StatusCompleted }

// StoredStatuses are the statuses kept in the graph, in workflow order.
var StoredStatuses = []IntroductionStatus{StatusRequested, StatusProposed, StatusIntroduced, StatusCompleted,
	StatusDeclined, StatusWithdrawn, StatusExpired}

// Outcome is what the secretariat learnt at the follow-up.
type Outcome string

// The outcomes of a follow-up.
const (
	OutcomeMet       Outcome = "MET"
	OutcomeUseful    Outcome = "USEFUL"
	OutcomeNotUseful Outcome = "NOT_USEFUL"
	OutcomeNoContact Outcome = "NO_CONTACT"
)

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool {
	return o == OutcomeMet || o == OutcomeUseful || o == OutcomeNotUseful || o == OutcomeNoContact
}

// Side is a party's place in an introduction.
type Side string

// The two sides.
const (
	SideRequester Side = "REQUESTER"
	SideRecipient Side = "RECIPIENT"
)

// Response is a party's answer.
type Response string

// The answers.
const (
	ResponsePending  Response = "PENDING"
	ResponseAccepted Response = "ACCEPTED"
	ResponseDeclined Response = "DECLINED"
)

// Party is one side of an introduction.
type Party struct {
	PersonID    string
	Side        Side
	Response    Response
	RespondedAt time.Time
	Note        string // the party's message to the secretariat
	// FollowUp is the party's answer to the follow-up (how it went); empty until given.
	FollowUp Outcome
}

// Transition is one stored change of an introduction.
type Transition struct {
	At        time.Time
	Action    Action
	From      IntroductionStatus // empty for the creation
	To        IntroductionStatus
	ActorID   string // the actor's person id; empty for the system or an actor without a profile
	ActorRole Role
	RequestID string
	// OnBehalfOf is the party whose answer the secretariat recorded (given by phone, e-mail or in
	// person), with the Channel it came by; empty when the party answered in Bridge.
	OnBehalfOf string
	Channel    AnswerChannel
}

// AnswerChannel is how a party gave the answer the secretariat recorded for them.
type AnswerChannel string

// The channels.
const (
	AnswerPhone    AnswerChannel = "PHONE"
	AnswerEmail    AnswerChannel = "EMAIL"
	AnswerInPerson AnswerChannel = "IN_PERSON"
	AnswerOther    AnswerChannel = "OTHER"
)

// Valid reports whether c is one of the channels.
func (c AnswerChannel) Valid() bool {
	switch c {
	case AnswerPhone, AnswerEmail, AnswerInPerson, AnswerOther:
		return true
	}
	return false
}

// Introduction is a brokered, double opt-in introduction between two people.
type Introduction struct {
	ID            string
	Status        IntroductionStatus // as stored
	Outcome       Outcome
	ThemeID       string
	WantedCountry string
	Message       string
	CreatedAt     time.Time
	UpdatedAt     time.Time
	ExpiresAt     time.Time
	IntroducedOn  string // ISO date
	Anonymised    bool
	Demo          bool
	Parties       []Party
	Transitions   []Transition
	Notes         []IntroductionNote // the secretariat's internal notes, oldest first
	// Handler is who at the secretariat handles it (TakeIntroduction): the account's key
	// (HandlerKey) and the e-mail address it signs in with, shown to colleagues. Empty: nobody.
	Handler      string
	HandlerEmail string
}

// HandlerKey is the key of the secretariat account that handles an introduction: its issuer and
// subject, which stay the same when the e-mail address changes; empty without an account.
func HandlerKey(a *Account) string {
	if a == nil || a.Subject == "" {
		return ""
	}
	return a.Issuer + " " + a.Subject
}

// Handled selects the secretariat's queue by who handles an introduction.
type Handled string

const (
	HandledByMe     Handled = "ME"     // the viewer took it
	HandledByNobody Handled = "NOBODY" // nobody has taken it
	HandledByOthers Handled = "OTHERS" // a colleague took it
)

// Party returns the side the person is on, if they are a party.
func (i Introduction) Party(personID string) (Party, bool) {
	if personID == "" {
		return Party{}, false
	}
	for _, p := range i.Parties {
		if p.PersonID == personID {
			return p, true
		}
	}
	return Party{}, false
}

// PartyOn returns the party on a side.
func (i Introduction) PartyOn(s Side) (Party, bool) {
	for _, p := range i.Parties {
		if p.Side == s {
			return p, true
		}
	}
	return Party{}, false
}

// StatusFor is the status as the viewer may see it: the secretariat sees the stored status; a
// party who did not end the introduction sees Declined, Withdrawn and Expired as NotPossible.
func (i Introduction) StatusFor(v Principal) IntroductionStatus {
	if v.IsSecretariat() {
		return i.Status
	}
	switch i.Status {
	case StatusDeclined:
		if p, ok := i.Party(v.PersonID); ok && p.Response == ResponseDeclined {
			return StatusDeclined
		}
		return StatusNotPossible
	case StatusWithdrawn:
		if n := len(i.Transitions); n > 0 && i.Transitions[n-1].Action == ActionWithdraw &&
			i.Transitions[n-1].ActorID == v.PersonID && v.PersonID != "" {
			return StatusWithdrawn
		}
		return StatusNotPossible
	case StatusExpired:
		return StatusNotPossible
	}
	return i.Status
}

// Action is what someone does to an introduction.
type Action string

// The actions of the workflow.
const (
	ActionRequest  Action = "REQUEST"
	ActionPropose  Action = "PROPOSE"
	ActionAccept   Action = "ACCEPT"
	ActionDecline  Action = "DECLINE"
	ActionWithdraw Action = "WITHDRAW"
	ActionExpire   Action = "EXPIRE"
	ActionOutcome  Action = "RECORD_OUTCOME"
	ActionFollowUp Action = "FOLLOW_UP"
)

// RoleSystem is the actor role of changes nobody made by hand (expiry).
const RoleSystem Role = "SYSTEM"

// NotificationSpec is a notification to write in the same transaction as a change: to a person,
// or to the secretariat when PersonID is empty.
type NotificationSpec struct {
	Kind     string // one of the notification kinds (notification.go)
	PersonID string
}

// IntroductionChange is what a transition writes: the new status, answers, parties, the
// transition record and the notifications, all in one transaction.
type IntroductionChange struct {
	Status        IntroductionStatus
	Outcome       Outcome
	Responses     []Party // PersonID, Response, Note: set these parties' answers
	AddParties    []Party // new parties (the secretariat picked or changed the recipient)
	RemoveParties []string
	Transition    Transition
	Notify        []NotificationSpec
	ExpiresAt     time.Time // a new expiry (a proposal restarts the clock); zero: unchanged
	// ShareContact gives these people the SHARE_CONTACT consent (source ACCEPTANCE): accepting an
	// introduction is the explicit act of agreeing to share contact details with that person.
	ShareContact []string
}

// PersonFacts is what the workflow must know of a person to involve them, read under a lock in the
// transaction that changes the introduction.
type PersonFacts struct {
	PersonID        string
	Exists          bool
	VisibleToViewer bool
	Paused          bool
	Open            bool // openToIntroductions
	Consent         bool // the INTRODUCE consent is active
	Capacity        int  // introductions per quarter
	UsedThisQuarter int  // introductions this quarter where they did not ask
	HasEmail        bool
}

// Introducible says whether the person can be asked now: kept deliberately as one answer, so that
// the requester learns only that it is not possible, never which rule said no.
func (f PersonFacts) Introducible() bool {
	return f.Exists && !f.Paused && f.Open && f.Consent && f.UsedThisQuarter < f.Capacity
}

// ErrNotPossible is what a requester learns when the person cannot be asked now.
func ErrNotPossible() *Error {
	return Errorf(CodeNotPossible, "an introduction is not possible at the moment")
}

// Limits are the workflow's configurable limits.
type Limits struct {
	TTL             time.Duration // an open introduction expires after this without answers
	WeeklyPerMember int           // requests per member per 7 days
	// ReminderLead: a party who has not answered a PROPOSED introduction is reminded once, this
	// long before it expires; 0 sends no reminders.
	ReminderLead time.Duration
	// FollowUpAfter: this long after two people were introduced, both are asked once how it went
	// (answerFollowUp); 0 asks nobody.
	FollowUpAfter time.Duration
}

// CombineFollowUps is the outcome two answers to the follow-up give: the same answer is that
// answer; "no contact" from one side yields to what the other says (they say they met); two
// different answers of people who met are MET.
func CombineFollowUps(a, b Outcome) Outcome {
	switch {
	case a == b:
		return a
	case a == OutcomeNoContact:
		return b
	case b == OutcomeNoContact:
		return a
	}
	return OutcomeMet
}

// Message and note limits.
const (
	MaxIntroductionMessage = 2000
	MaxResponseNote        = 1000
	MaxClientRequestID     = 100
)

// IntroductionRequest is a member's request: to a person, or to someone who works on the theme in
// a country (the secretariat picks).
type IntroductionRequest struct {
	ToPersonID      string
	ThemeID         string
	Country         string
	Message         string
	ClientRequestID string
}

// Clean checks the request and returns it with its message in the form to store (CleanText);
// path is the input's path.
func (r IntroductionRequest) Clean(path ...string) (IntroductionRequest, error) {
	at := func(f string) []string { return sub(path, f) }
	if err := validateClientRequestID(r.ClientRequestID, at("clientRequestId")); err != nil {
		return IntroductionRequest{}, err
	}
	if r.ThemeID == "" {
		return IntroductionRequest{}, InvalidInput(at("theme"), "say which theme the introduction is about")
	}
	if r.ToPersonID == "" && r.Country == "" {
		return IntroductionRequest{}, InvalidInput(at("to"), "name a person, or a country to find someone in")
	}
	if r.ToPersonID != "" && r.Country != "" {
		return IntroductionRequest{}, InvalidInput(at("country"), "name either a person or a country, not both")
	}
	msg, err := CleanText(at("message"), r.Message, false, MaxIntroductionMessage)
	if err != nil {
		return IntroductionRequest{}, err
	}
	if msg == "" {
		return IntroductionRequest{}, InvalidInput(at("message"), "write a short message")
	}
	r.Message = msg
	return r, nil
}

// Validate reports the first problem Clean finds.
func (r IntroductionRequest) Validate(path ...string) error {
	_, err := r.Clean(path...)
	return err
}

func validateClientRequestID(id string, path []string) error {
	if strings.TrimSpace(id) == "" || len(id) > MaxClientRequestID {
		return InvalidInput(path, "a client request id of 1 to %d characters is required (reuse it when you retry)", MaxClientRequestID)
	}
	return nil
}

// CleanNote checks an optional free-text note (a response or a withdrawal) and returns the form to
// store (CleanText; "" for none).
func CleanNote(note string, path ...string) (string, error) {
	return CleanText(path, note, false, MaxResponseNote)
}

// ValidateNote reports the first problem CleanNote finds.
func ValidateNote(note string, path ...string) error {
	_, err := CleanNote(note, path...)
	return err
}

// IntroductionFilter selects introductions; the secretariat sees all, a member their own.
type IntroductionFilter struct {
	Statuses []IntroductionStatus // stored statuses; empty: all
	// The secretariat's queue filters (a member's own list ignores them): the theme it is about
	// (a broad theme includes its narrower ones), the countries of the people in it or the
	// country asked for, the outcomes recorded, and when it was made (either bound may be zero).
	ThemeIDs      []string
	Countries     []string
	Outcomes      []Outcome
	CreatedAfter  time.Time
	CreatedBefore time.Time
	// HandledBy selects by who handles it, relative to the viewer (empty: anyone or nobody).
	HandledBy Handled
}

// Narrowed reports whether f selects by more than the status.
func (f IntroductionFilter) Narrowed() bool {
	return len(f.ThemeIDs) > 0 || len(f.Countries) > 0 || len(f.Outcomes) > 0 || !f.CreatedAfter.IsZero() || !f.CreatedBefore.IsZero() ||
		f.HandledBy != ""
}

// IntroductionPage is a page of introductions with the counts per stored status over everything
// the viewer may see.
type IntroductionPage struct {
	Items   []Introduction
	HasNext bool
	Total   int
	Counts  map[IntroductionStatus]int
}

// NewIntroduction is a new introduction to write.
type NewIntroduction struct {
	ID            string
	RequestKey    string
	Status        IntroductionStatus
	ThemeID       string
	WantedCountry string
	Message       string
	ExpiresAt     time.Time
	Parties       []Party
	Transition    Transition
	Notify        []NotificationSpec
	// WeeklyRequester is whose requests of the last 7 days are counted for check; empty: none.
	WeeklyRequester string
}

// IntroductionCursor encodes the position of an introduction in a list (newest first: creation
// time in milliseconds, then id).
func IntroductionCursor(i Introduction) string {
	return Cursor(strconv.FormatInt(i.CreatedAt.UnixMilli(), 10) + "/" + i.ID)
}

// ParseIntroductionCursor decodes a cursor of IntroductionCursor ("" gives zero values).
func ParseIntroductionCursor(after string) (int64, string, error) {
	if after == "" {
		return 0, "", nil
	}
	raw, err := ParseCursor([]string{"after"}, after)
	if err != nil {
		return 0, "", err
	}
	keyStr, id, ok := strings.Cut(raw, "/")
	key, perr := strconv.ParseInt(keyStr, 10, 64)
	if !ok || perr != nil || id == "" {
		return 0, "", InvalidInput([]string{"after"}, "not a cursor of this list")
	}
	return key, id, nil
}

// IntroductionFacts is what the outcome statistics count of one introduction: when it was made,
// its theme, the countries of its people and the one asked for, and how far it got.
type IntroductionFacts struct {
	MadeAt     time.Time
	ThemeID    string
	Countries  []string // of the parties still in Bridge, and the country asked for; each once
	Introduced bool     // both accepted (INTRODUCED or COMPLETED)
	Outcome    Outcome
}

// IntroductionTally counts introductions: made, introduced (both accepted), met (an outcome that
// says they met: MET, USEFUL or NOT_USEFUL) and useful (USEFUL).
type IntroductionTally struct {
	Key                           string // the month (2026-11), the country code or the theme id
	Made, Introduced, Met, Useful int
}

// Add counts f in t.
func (t *IntroductionTally) Add(f IntroductionFacts) {
	t.Made++
	if f.Introduced {
		t.Introduced++
	}
	switch f.Outcome {
	case OutcomeMet, OutcomeNotUseful:
		t.Met++
	case OutcomeUseful:
		t.Met++
		t.Useful++
	}
}

// IntroductionStatistics are the secretariat's outcome statistics over a time range: per month
// (every month of the range, also empty ones), per country and per theme (those with any).
type IntroductionStatistics struct {
	From, To  time.Time
	Months    []IntroductionTally
	Countries []IntroductionTally
	Themes    []IntroductionTally
	Total     IntroductionTally
}

// IntroductionNote is one of the secretariat's internal notes on an introduction: only the
// secretariat reads them; they are not in a party's data export (they may concern the other
// party) and are deleted when a party is erased.
type IntroductionNote struct {
	At         time.Time
	Text       string
	AuthorID   string // the author's person id; empty without a profile, or once erased
	AuthorRole Role
}

// MaxNoteLength bounds an internal note.
const MaxNoteLength = 4000
