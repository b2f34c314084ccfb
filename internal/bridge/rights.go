package bridge

import (
	"strconv"
	"strings"
	"time"
)

// The register of data-subject rights requests (GDPR art. 12(3)): every request a person makes
// to exercise a right (access, portability, rectification, erasure, restriction, objection) is
// recorded with the time it was received and answered within one month; the secretariat may
// extend that once by two further months, giving the reason. The graph model is
// docs/introductions.md ("Rights requests").

// RightsKind is the right a request exercises.
type RightsKind string

// The kinds of rights requests.
const (
	RightsAccess        RightsKind = "ACCESS"        // art. 15
	RightsPortability   RightsKind = "PORTABILITY"   // art. 20
	RightsRectification RightsKind = "RECTIFICATION" // art. 16
	RightsErasure       RightsKind = "ERASURE"       // art. 17
	RightsRestriction   RightsKind = "RESTRICTION"   // art. 18
	RightsObjection     RightsKind = "OBJECTION"     // art. 21
)

// Valid reports whether k is a known kind.
func (k RightsKind) Valid() bool {
	switch k {
	case RightsAccess, RightsPortability, RightsRectification, RightsErasure, RightsRestriction, RightsObjection:
		return true
	}
	return false
}

// Answers reports whether a privacy act of kind k fulfils a request of kind requested: an export
// answers both access and portability; every other act answers its own kind.
func (k RightsKind) Answers(requested RightsKind) bool {
	if k == RightsAccess {
		return requested == RightsAccess || requested == RightsPortability
	}
	return k == requested
}

// RightsChannel is how a request reached us.
type RightsChannel string

// The channels of rights requests.
const (
	ChannelEmail    RightsChannel = "EMAIL"
	ChannelLetter   RightsChannel = "LETTER"
	ChannelPhone    RightsChannel = "PHONE"
	ChannelInPerson RightsChannel = "IN_PERSON"
	ChannelOther    RightsChannel = "OTHER"
	// ChannelSelfService: the person exercised the right in the app (export, erase, pause); the
	// request is recorded as received and fulfilled at once. The secretariat cannot record it.
	ChannelSelfService RightsChannel = "SELF_SERVICE"
)

// Valid reports whether c is a known channel (SELF_SERVICE included).
func (c RightsChannel) Valid() bool {
	switch c {
	case ChannelEmail, ChannelLetter, ChannelPhone, ChannelInPerson, ChannelOther, ChannelSelfService:
		return true
	}
	return false
}

// RightsStatus is where a request stands. OPEN and EXTENDED are open (the clock runs);
// FULFILLED and REJECTED are closed.
type RightsStatus string

// The statuses of rights requests.
const (
	RightsOpen      RightsStatus = "OPEN"
	RightsExtended  RightsStatus = "EXTENDED"
	RightsFulfilled RightsStatus = "FULFILLED"
	RightsRejected  RightsStatus = "REJECTED"
)

// Open reports whether the request still waits for an answer.
func (s RightsStatus) Open() bool { return s == RightsOpen || s == RightsExtended }

// Valid reports whether s is a known status.
func (s RightsStatus) Valid() bool { return s.Open() || s == RightsFulfilled || s == RightsRejected }

// The time limits of art. 12(3).
const (
	// RightsAnswerMonths: a request is answered within one month of receipt.
	RightsAnswerMonths = 1
	// RightsExtensionMonths: the limit may be extended once by two further months.
	RightsExtensionMonths = 2
)

// GDPRApplies is the day the GDPR applied (art. 99(2)); no request was received before it.
var GDPRApplies = time.Date(2018, 5, 25, 0, 0, 0, 0, time.UTC)

// AddMonths returns t plus n calendar months, at the same time of day (UTC). When the target
// month is shorter (31 January + 1 month), the result is its last day (28 or 29 February), not
// the overflow into the next month that time.AddDate gives: a one-month limit ends on the
// corresponding day of the next month, or on its last day when there is none.
func AddMonths(t time.Time, n int) time.Time {
	t = t.UTC()
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// RightsDueAt is the answer deadline of a request received at receivedAt: one month, or three
// (one plus the two of the extension) once extended. Both are counted from receipt, so an
// extension of a request received on 31 January ends on 30 April.
func RightsDueAt(receivedAt time.Time, extended bool) time.Time {
	n := RightsAnswerMonths
	if extended {
		n += RightsExtensionMonths
	}
	return AddMonths(receivedAt, n)
}

// RightsRequest is one entry of the register. PersonID is empty once the person was erased: the
// entry stays as an anonymous record (kind, channel, dates, status) without its notes.
type RightsRequest struct {
	ID              string
	PersonID        string
	Kind            RightsKind
	Channel         RightsChannel
	Status          RightsStatus
	ReceivedAt      time.Time
	DueAt           time.Time
	ExtendedAt      time.Time // zero: not extended
	ExtensionReason string
	ClosedAt        time.Time    // zero: open
	Outcome         RightsStatus // FULFILLED or REJECTED once closed
	Note            string       // the secretariat's note on receipt (free text: dropped on erasure)
	ClosingNote     string       // the secretariat's note on closing (free text: dropped on erasure)
	Anonymised      bool         // the person was erased
}

// DaysLeft is the number of calendar days (UTC) from now's day to the day the request is due:
// 0 when it is due today, negative when it is overdue. ok is false for a closed request.
func (r RightsRequest) DaysLeft(now time.Time) (days int, ok bool) {
	if !r.Status.Open() {
		return 0, false
	}
	return int(startOfDay(r.DueAt).Sub(startOfDay(now)).Hours() / 24), true
}

// Overdue reports whether the request is open and its deadline day has passed.
func (r RightsRequest) Overdue(now time.Time) bool {
	d, ok := r.DaysLeft(now)
	return ok && d < 0
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Limits of the register's free text.
const (
	MaxRightsNote   = 2000
	MaxRightsReason = 1000
)

// RightsRequestInput is what the secretariat records for a request received by e-mail, letter,
// phone or in person.
type RightsRequestInput struct {
	PersonID   string
	Kind       RightsKind
	Channel    RightsChannel
	ReceivedAt time.Time
	Note       string
}

// Clean checks the input at now and returns it with its note in the form to store (CleanText);
// fields are reported under prefix (e.g. "input"). A request cannot be received in the future (a
// minute of clock skew is allowed) nor before the GDPR applied, and SELF_SERVICE is the app's own
// channel.
func (in RightsRequestInput) Clean(now time.Time, prefix ...string) (RightsRequestInput, error) {
	at := func(f string) []string { return sub(prefix, f) }
	switch {
	case in.PersonID == "":
		return RightsRequestInput{}, InvalidInput(at("personId"), "say whose request it is")
	case !in.Kind.Valid():
		return RightsRequestInput{}, InvalidInput(at("kind"), "kind is one of ACCESS, PORTABILITY, RECTIFICATION, ERASURE, RESTRICTION, OBJECTION")
	case in.Channel == ChannelSelfService:
		return RightsRequestInput{}, InvalidInput(at("channel"), "SELF_SERVICE requests are recorded by the app itself; say how the request reached you")
	case !in.Channel.Valid():
		return RightsRequestInput{}, InvalidInput(at("channel"), "channel is one of EMAIL, LETTER, PHONE, IN_PERSON, OTHER")
	case in.ReceivedAt.IsZero():
		return RightsRequestInput{}, InvalidInput(at("receivedAt"), "receivedAt is required")
	case in.ReceivedAt.After(now.Add(time.Minute)):
		return RightsRequestInput{}, InvalidInput(at("receivedAt"), "receivedAt cannot be in the future")
	case in.ReceivedAt.Before(GDPRApplies):
		return RightsRequestInput{}, InvalidInput(at("receivedAt"), "receivedAt is before the GDPR applied (2018-05-25)")
	}
	var err error
	if in.Note, err = CleanText(at("note"), in.Note, false, MaxRightsNote); err != nil {
		return RightsRequestInput{}, err
	}
	return in, nil
}

// Validate reports the first problem Clean finds.
func (in RightsRequestInput) Validate(now time.Time, prefix ...string) error {
	_, err := in.Clean(now, prefix...)
	return err
}

// CleanExtension checks the reason of an extension (required: art. 12(3) asks for it) and returns
// the form to store (CleanText).
func CleanExtension(reason string, path ...string) (string, error) {
	r, err := CleanText(path, reason, false, MaxRightsReason)
	if err != nil {
		return "", err
	}
	if r == "" {
		return "", InvalidInput(path, "give the reason for the extension; the person is told it")
	}
	return r, nil
}

// ValidateExtension reports the first problem CleanExtension finds.
func ValidateExtension(reason string, path ...string) error {
	_, err := CleanExtension(reason, path...)
	return err
}

// CleanClosing checks a closing and returns its note in the form to store (CleanText): the outcome
// is FULFILLED or REJECTED, and a rejection gives its reason in the note (art. 12(4): the person
// is told why no action is taken).
func CleanClosing(outcome RightsStatus, note string) (string, error) {
	if outcome != RightsFulfilled && outcome != RightsRejected {
		return "", InvalidInput([]string{"outcome"}, "outcome is FULFILLED or REJECTED")
	}
	n, err := CleanText([]string{"note"}, note, false, MaxRightsNote)
	if err != nil {
		return "", err
	}
	if outcome == RightsRejected && n == "" {
		return "", InvalidInput([]string{"note"}, "a rejection needs its reason in the note; the person is told it")
	}
	return n, nil
}

// ValidateClosing reports the first problem CleanClosing finds.
func ValidateClosing(outcome RightsStatus, note string) error {
	_, err := CleanClosing(outcome, note)
	return err
}

func rightsConflict(r RightsRequest, format string, args ...any) *Error {
	e := Errorf(CodeConflict, format, args...)
	e.Status = string(r.Status)
	return e
}

// DecideExtend says whether r may be extended at now: once, while open, and before the first
// month has passed (art. 12(3): the person is told of an extension within one month of receipt).
func DecideExtend(r RightsRequest, now time.Time) error {
	switch {
	case r.Status == RightsExtended || !r.ExtendedAt.IsZero():
		return rightsConflict(r, "the request was extended already; it can be extended only once")
	case !r.Status.Open():
		return rightsConflict(r, "the request is closed")
	case now.After(r.DueAt):
		return rightsConflict(r, "the month to answer has passed; the request can no longer be extended")
	}
	return nil
}

// DecideClose says whether r may be closed: only while open.
func DecideClose(r RightsRequest) error {
	if !r.Status.Open() {
		return rightsConflict(r, "the request is closed already")
	}
	return nil
}

// DecideFulfil says whether a privacy act of kind act on personID may close the recorded
// request r as FULFILLED; field is the argument that named the request.
func DecideFulfil(r RightsRequest, personID string, act RightsKind, field string) error {
	switch {
	case r.PersonID != personID:
		return InvalidInput([]string{field}, "the rights request concerns another person")
	case !act.Answers(r.Kind):
		return InvalidInput([]string{field}, "the rights request is of another kind (%s)", r.Kind)
	}
	return DecideClose(r)
}

// RightsAnswer links a privacy act (export, erasure, pause) to the rights request it answers,
// so that the register is written in the act's transaction. The zero value records nothing.
type RightsAnswer struct {
	// Kind is the right the act carries out: ACCESS (export), ERASURE or RESTRICTION (pause).
	Kind RightsKind
	// RequestID closes this recorded request as FULFILLED (the secretariat acting on a request):
	// it must concern the person, be of a kind the act answers, and be open.
	RequestID string
	// SelfService records a new request of Kind, received through the app and fulfilled now.
	SelfService bool
}

// Records reports whether the answer writes anything to the register.
func (a RightsAnswer) Records() bool { return a.RequestID != "" || a.SelfService }

// RightsFilter selects entries of the register; all set conditions apply.
type RightsFilter struct {
	Statuses []RightsStatus
	Kinds    []RightsKind
	// DueWithinDays (when set) keeps open requests due within that many days from today,
	// overdue ones included (DaysLeft <= n).
	DueWithinDays *int
	// Overdue (when set) keeps the overdue requests (true) or the others (false).
	Overdue *bool
}

// MaxDueWithinDays bounds DueWithinDays: an extended request is due in three months at most.
const MaxDueWithinDays = 366

// Validate checks the filter; fields are reported under "filter".
func (f RightsFilter) Validate() error {
	for i, s := range f.Statuses {
		if !s.Valid() {
			return InvalidInput([]string{"filter", "status", strconv.Itoa(i)}, "unknown status")
		}
	}
	for i, k := range f.Kinds {
		if !k.Valid() {
			return InvalidInput([]string{"filter", "kind", strconv.Itoa(i)}, "unknown kind")
		}
	}
	if f.DueWithinDays != nil && (*f.DueWithinDays < 0 || *f.DueWithinDays > MaxDueWithinDays) {
		return InvalidInput([]string{"filter", "dueWithinDays"}, "dueWithinDays is between 0 and %d", MaxDueWithinDays)
	}
	return nil
}

// RightsPage is a page of the register, ordered by due date (soonest first), then id.
type RightsPage = ResultPage[RightsRequest]

// RightsCursor encodes the position of a request in the register (due date, then id).
func RightsCursor(r RightsRequest) string {
	return Cursor(r.DueAt.UTC().Format(time.RFC3339Nano) + "/" + r.ID)
}

// ParseTimeCursor decodes a cursor of RightsCursor or AuditCursor: a time and an id ("" gives
// zero values).
func ParseTimeCursor(after string) (time.Time, string, error) {
	if after == "" {
		return time.Time{}, "", nil
	}
	raw, err := ParseCursor([]string{"after"}, after)
	if err != nil {
		return time.Time{}, "", err
	}
	ts, id, ok := strings.Cut(raw, "/")
	t, perr := time.Parse(time.RFC3339Nano, ts)
	if !ok || perr != nil || id == "" {
		return time.Time{}, "", InvalidInput([]string{"after"}, "not a cursor of this list")
	}
	return t.UTC(), id, nil
}
