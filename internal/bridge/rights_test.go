package bridge

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestRightsDueAtCountsCalendarMonthsFromReceipt(t *testing.T) {
	cases := []struct {
		received string
		extended bool
		want     string
	}{
		{"2026-03-10T09:30:00Z", false, "2026-04-10T09:30:00Z"},
		{"2026-01-31T12:00:00Z", false, "2026-02-28T12:00:00Z"}, // no 31 February: its last day
		{"2028-01-31T12:00:00Z", false, "2028-02-29T12:00:00Z"}, // leap year
		{"2026-12-15T00:00:00Z", false, "2027-01-15T00:00:00Z"}, // across the year
		{"2026-01-31T12:00:00Z", true, "2026-04-30T12:00:00Z"},  // three months from receipt, not 28 Feb + 2
		{"2026-03-31T08:00:00+02:00", false, "2026-04-30T06:00:00Z"},
		{"2026-11-30T10:00:00Z", true, "2027-02-28T10:00:00Z"},
	}
	for _, c := range cases {
		if got := RightsDueAt(day(c.received), c.extended); !got.Equal(day(c.want)) {
			t.Errorf("RightsDueAt(%s, %v) = %s, want %s", c.received, c.extended, got.Format(time.RFC3339), c.want)
		}
	}
}

func TestRightsDaysLeftIsCalendarDaysAndNullWhenClosed(t *testing.T) {
	now := day("2026-05-20T23:59:00Z")
	cases := []struct {
		due     string
		status  RightsStatus
		want    int
		ok      bool
		overdue bool
	}{
		{"2026-05-20T00:00:01Z", RightsOpen, 0, true, false}, // due today, even if the hour passed
		{"2026-05-21T00:00:00Z", RightsOpen, 1, true, false},
		{"2026-05-27T12:00:00Z", RightsExtended, 7, true, false},
		{"2026-05-19T23:59:59Z", RightsOpen, -1, true, true},
		{"2026-04-20T10:00:00Z", RightsOpen, -30, true, true},
		{"2026-04-20T10:00:00Z", RightsFulfilled, 0, false, false},
		{"2026-04-20T10:00:00Z", RightsRejected, 0, false, false},
	}
	for _, c := range cases {
		r := RightsRequest{DueAt: day(c.due), Status: c.status}
		got, ok := r.DaysLeft(now)
		if got != c.want || ok != c.ok || r.Overdue(now) != c.overdue {
			t.Errorf("due %s %s: DaysLeft = %d, %v; Overdue %v; want %d, %v, %v", c.due, c.status, got, ok, r.Overdue(now), c.want, c.ok, c.overdue)
		}
	}
}

func fieldOf(err error) string {
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeBadUserInput {
		return "no BAD_USER_INPUT: " + string(ErrorCode(err))
	}
	return strings.Join(e.Field, ".")
}

func TestRightsRequestInputValidation(t *testing.T) {
	now := day("2026-05-20T10:00:00Z")
	ok := RightsRequestInput{PersonID: "p1", Kind: RightsAccess, Channel: ChannelEmail, ReceivedAt: day("2026-05-01T08:00:00Z"), Note: "by e-mail\nsecond line"}
	if err := ok.Validate(now, "input"); err != nil {
		t.Fatalf("valid input: %v", err)
	}
	cases := []struct {
		change func(*RightsRequestInput)
		field  string
	}{
		{func(in *RightsRequestInput) { in.PersonID = "" }, "input.personId"},
		{func(in *RightsRequestInput) { in.Kind = "FORGET" }, "input.kind"},
		{func(in *RightsRequestInput) { in.Channel = ChannelSelfService }, "input.channel"},
		{func(in *RightsRequestInput) { in.Channel = "FAX" }, "input.channel"},
		{func(in *RightsRequestInput) { in.ReceivedAt = time.Time{} }, "input.receivedAt"},
		{func(in *RightsRequestInput) { in.ReceivedAt = now.Add(time.Hour) }, "input.receivedAt"},
		{func(in *RightsRequestInput) { in.ReceivedAt = day("2018-05-24T23:00:00Z") }, "input.receivedAt"},
		{func(in *RightsRequestInput) { in.Note = strings.Repeat("x", MaxRightsNote+1) }, "input.note"},
		{func(in *RightsRequestInput) { in.Note = "bell\a" }, "input.note"},
	}
	for _, c := range cases {
		in := ok
		c.change(&in)
		if got := fieldOf(in.Validate(now, "input")); got != c.field {
			t.Errorf("%+v: field %s, want %s", in, got, c.field)
		}
	}
	in := ok
	in.ReceivedAt = now.Add(30 * time.Second) // clock skew
	if err := in.Validate(now, "input"); err != nil {
		t.Errorf("half a minute of clock skew: %v", err)
	}
}

func TestRightsClosingAndExtensionValidation(t *testing.T) {
	if err := ValidateClosing(RightsFulfilled, ""); err != nil {
		t.Errorf("fulfilled without a note: %v", err)
	}
	if got := fieldOf(ValidateClosing(RightsRejected, "  ")); got != "note" {
		t.Errorf("rejected without a reason: %s", got)
	}
	for _, o := range []RightsStatus{RightsOpen, RightsExtended, ""} {
		if got := fieldOf(ValidateClosing(o, "x")); got != "outcome" {
			t.Errorf("closing as %q: %s", o, got)
		}
	}
	if got := fieldOf(ValidateExtension(" ", "reason")); got != "reason" {
		t.Errorf("extension without a reason: %s", got)
	}
	if got := fieldOf(ValidateExtension(strings.Repeat("y", MaxRightsReason+1), "reason")); got != "reason" {
		t.Errorf("a long reason: %s", got)
	}
}

func TestRightsDecisions(t *testing.T) {
	now := day("2026-05-20T10:00:00Z")
	open := RightsRequest{ID: "r", PersonID: "p", Kind: RightsErasure, Status: RightsOpen,
		ReceivedAt: day("2026-05-01T10:00:00Z"), DueAt: day("2026-06-01T10:00:00Z")}
	if err := DecideExtend(open, now); err != nil {
		t.Errorf("extend an open request: %v", err)
	}
	conflict := func(err error, status RightsStatus) bool {
		var e *Error
		return errors.As(err, &e) && e.Code == CodeConflict && e.Status == string(status)
	}
	extended := open
	extended.Status, extended.ExtendedAt = RightsExtended, now
	if err := DecideExtend(extended, now); !conflict(err, RightsExtended) {
		t.Errorf("extend twice: %v", err)
	}
	late := open
	late.DueAt = now.Add(-time.Hour)
	if err := DecideExtend(late, now); !conflict(err, RightsOpen) {
		t.Errorf("extend after the month: %v", err)
	}
	closed := open
	closed.Status = RightsFulfilled
	if err := DecideExtend(closed, now); !conflict(err, RightsFulfilled) {
		t.Errorf("extend a closed request: %v", err)
	}
	if err := DecideClose(closed); !conflict(err, RightsFulfilled) {
		t.Errorf("close twice: %v", err)
	}
	if err := DecideClose(extended); err != nil {
		t.Errorf("close an extended request: %v", err)
	}
	if err := DecideFulfil(open, "p", RightsErasure, "rightsRequestId"); err != nil {
		t.Errorf("fulfil: %v", err)
	}
	if got := fieldOf(DecideFulfil(open, "q", RightsErasure, "rightsRequestId")); got != "rightsRequestId" {
		t.Errorf("another person's request: %s", got)
	}
	if got := fieldOf(DecideFulfil(open, "p", RightsAccess, "rightsRequestId")); got != "rightsRequestId" {
		t.Errorf("an export for an erasure request: %s", got)
	}
	if err := DecideFulfil(closed, "p", RightsErasure, "rightsRequestId"); !conflict(err, RightsFulfilled) {
		t.Errorf("fulfil a closed request: %v", err)
	}
	portability := open
	portability.Kind = RightsPortability
	if err := DecideFulfil(portability, "p", RightsAccess, "x"); err != nil {
		t.Errorf("an export answers a portability request: %v", err)
	}
}

func TestRightsFilterAndCursor(t *testing.T) {
	n := MaxDueWithinDays + 1
	if got := fieldOf(RightsFilter{DueWithinDays: &n}.Validate()); got != "filter.dueWithinDays" {
		t.Errorf("dueWithinDays too large: %s", got)
	}
	m := -1
	if got := fieldOf(RightsFilter{DueWithinDays: &m}.Validate()); got != "filter.dueWithinDays" {
		t.Errorf("negative dueWithinDays: %s", got)
	}
	if got := fieldOf(RightsFilter{Kinds: []RightsKind{RightsAccess, "X"}}.Validate()); got != "filter.kind.1" {
		t.Errorf("unknown kind: %s", got)
	}
	r := RightsRequest{ID: "abc", DueAt: day("2026-06-01T10:00:00.123456789Z")}
	at, id, err := ParseTimeCursor(RightsCursor(r))
	if err != nil || id != "abc" || !at.Equal(r.DueAt) {
		t.Errorf("cursor round trip: %v %q %v", at, id, err)
	}
	if _, _, err := ParseTimeCursor(Cursor("nonsense")); fieldOf(err) != "after" {
		t.Errorf("bad cursor: %v", err)
	}
}

func TestAuditFilterValidationAndDetail(t *testing.T) {
	if got := fieldOf(AuditFilter{Action: "read_contact"}.Validate()); got != "filter.action" {
		t.Errorf("lower-case action: %s", got)
	}
	if got := fieldOf(AuditFilter{Action: "READ CONTACT"}.Validate()); got != "filter.action" {
		t.Errorf("action with a space: %s", got)
	}
	if got := fieldOf(AuditFilter{Since: day("2026-05-02T00:00:00Z"), Until: day("2026-05-01T00:00:00Z")}.Validate()); got != "filter.until" {
		t.Errorf("until before since: %s", got)
	}
	f := AuditFilter{PersonID: "p1", Action: "EXPORT", Since: day("2026-05-01T00:00:00+02:00")}
	if err := f.Validate(); err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(f.Detail(50, "x"))
	want := []string{"personId=p1", "action=EXPORT", "since=2026-04-30T22:00:00Z", "first=50", "after=cursor"}
	if !slices.Equal(got, want) {
		t.Errorf("Detail = %q, want %q", got, want)
	}
}
