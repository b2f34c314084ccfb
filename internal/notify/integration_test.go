package notify

// Integration tests: the Sender over the real store (the Neo4j that `make test` starts) and the
// SMTP transport to a real SMTP server (go-smtp) on a loopback port.
//
// The database is shared with every other test. These tests keep to their own data: every node
// they create has an id with a prefix of their own (removed in t.Cleanup), and their notifications
// are due on a day in 1970 of each test's own, with the Sender's clock on that day, so a claim
// never takes a notification that anything else wrote (those are due when they were written).
// Fixtures are written with the builders of internal/fx, as cmd/bridge's tests do.

import (
	"context"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// graph is a test's own corner of the test database (fx.Scope: ids with a prefix of its own).
type graph struct {
	t     *testing.T
	scope *fx.Scope
	store *neo4jstore.Store
	day   time.Time // when this test's notifications are due
}

func newGraph(t *testing.T, day int) *graph {
	t.Helper()
	store := testneo4j.Prepared(t, nil)
	return &graph{t: t, scope: fx.NewScope(t, "notify"), store: store,
		day: time.Date(1970, 1, 1, 8, 0, 0, 0, time.UTC).AddDate(0, 0, 500+day)}
}

func (g *graph) id(name string) string { return g.scope.ID(name) }

// person writes a person (confirmed, self-registered, public unless told) working at the
// organisations named.
func (g *graph) person(name string, p fx.PersonSpec, orgs ...string) string {
	g.t.Helper()
	p.ID = g.id(name)
	for _, o := range orgs {
		p.WorksAt = append(p.WorksAt, fx.Organisation{ID: g.id("org-" + o), Name: o})
	}
	return fx.Person(g.t, p)
}

// introduction creates an introduction about a seeded theme (none is created: other tests list
// the themes); the first party is the requester.
func (g *graph) introduction(name, status, themeID string, parties ...string) string {
	g.t.Helper()
	return fx.Introduction(g.t, fx.IntroductionSpec{ID: g.id(name), Status: status, ThemeID: themeID,
		Requester: parties[0], Recipients: parties[1:]})
}

// notification writes a notification as the introduction workflow does (due on the test's day);
// status SENDING with claimedAt on that day is what a crashed sender leaves behind.
func (g *graph) notification(name, kind, recipientID, introductionID, status string) string {
	g.t.Helper()
	n := fx.NotificationSpec{ID: g.id(name), Kind: kind, RecipientID: recipientID, IntroductionID: introductionID,
		Status: status, DueAt: g.day}
	if status == bridge.NotificationSending {
		n.ClaimedAt = g.day
	}
	return fx.Notification(g.t, n)
}

type storedState = fx.Delivery

func (g *graph) state(id string) storedState {
	g.t.Helper()
	return fx.NotificationDelivery(g.t, id)
}

// testClock is the Sender's clock, on the test's day, moved by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// recordingOutbox passes calls on to the real outbox and records their order.
type recordingOutbox struct {
	Outbox
	mu    sync.Mutex
	calls []string
}

func (r *recordingOutbox) record(call string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, call)
}

func (r *recordingOutbox) count(call string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.calls {
		if c == call {
			n++
		}
	}
	return n
}

func (r *recordingOutbox) ClaimDueNotifications(ctx context.Context, now time.Time, limit int) ([]bridge.OutboxItem, error) {
	r.record("claim")
	return r.Outbox.ClaimDueNotifications(ctx, now, limit)
}

func (r *recordingOutbox) RecoverInterruptedNotifications(ctx context.Context) (int, error) {
	r.record("recover")
	return r.Outbox.RecoverInterruptedNotifications(ctx)
}

const testSecretariat = "Secretariat <secretariat@notify-test.example.org>"

// newSMTPSender is a Sender over outbox that delivers to the test SMTP server.
func newSMTPSender(t *testing.T, outbox Outbox, server *testSMTP, clock *testClock, logs io.Writer) *Sender {
	t.Helper()
	cfg, err := ParseSMTPURL("smtp://" + server.Addr)
	if err != nil {
		t.Fatal(err)
	}
	if logs == nil {
		logs = io.Discard
	}
	s, err := New(outbox, NewSMTPTransport(cfg), NewTextRenderer(), clock.Now, slog.New(slog.NewJSONHandler(logs, nil)), Options{
		PollInterval: 20 * time.Millisecond, BatchSize: 10, MaxAttempts: 4, BackoffBase: time.Second, BackoffMax: 2 * time.Second,
		SendTimeout: 10 * time.Second, SecretariatAddress: testSecretariat,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func decodedBody(t *testing.T, m *mail.Message) string {
	t.Helper()
	b, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatalf("body: %v", err)
	}
	return string(b)
}

func TestSenderDeliversOverSMTPWhatTheGraphSays(t *testing.T) {
	g := newGraph(t, 1)
	server := startTestSMTP(t, nil)
	clock := &testClock{now: g.day.Add(time.Hour)}
	var logs lockedBuffer
	sender := newSMTPSender(t, g.store, server, clock, &logs)

	asa := g.person("asa", fx.PersonSpec{GivenName: "Åsa", FamilyName: "Öberg", Name: "Åsa Öberg", Email: "asa@notify-test.example.org"})
	// Jóhanna chose Icelandic: her message is in Icelandic, with the theme's Icelandic label.
	jo := g.person("jo", fx.PersonSpec{GivenName: "Jóhanna", Name: "Jóhanna Guðmundsdóttir", Email: "johanna@notify-test.example.org",
		Phone: "+354 555 0100", Title: "Integration officer", Language: "is"}, "Reykjavíkurborg")
	introduced := g.introduction("i1", "INTRODUCED", "workplace-language-learning", asa, jo)
	proposed := g.introduction("i2", "PROPOSED", "housing-and-segregation", asa, jo)
	asked := g.notification("asked", bridge.NotificationIntroductionAsked, asa, proposed, bridge.NotificationPending)
	intro := g.notification("introduced", bridge.NotificationIntroductionIntroduced, asa, introduced, bridge.NotificationPending)
	notPossible := g.notification("notpossible", bridge.NotificationIntroductionNotPossible, jo, proposed, bridge.NotificationPending)
	request := g.notification("request", bridge.NotificationIntroductionRequestReceived, "", proposed, bridge.NotificationPending)

	r, err := sender.SendDue(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if r.Sent < 4 || r.Failed+r.Retried != 0 {
		t.Fatalf("round %+v, want our 4 sent", r)
	}
	tests := []struct {
		id, toName, toAddr, subject string
		body                        []string
	}{
		{asked, "Åsa Öberg", "asa@notify-test.example.org", "Bridge: you have been asked for an introduction",
			[]string{"Hello Åsa,", "You have been asked for an introduction about Housing and residential segregation; sign in to Bridge to accept or decline."}},
		{intro, "Åsa Öberg", "asa@notify-test.example.org", "Bridge: you have been introduced",
			[]string{"You and Jóhanna Guðmundsdóttir are introduced", "Language learning at work", "E-mail: johanna@notify-test.example.org",
				"Phone: +354 555 0100", "Title: Integration officer", "Organisation: Reykjavíkurborg"}},
		{notPossible, "Jóhanna Guðmundsdóttir", "johanna@notify-test.example.org", "Bridge: kynning er ekki möguleg eins og er",
			[]string{"Halló Jóhanna,", "Kynningin (þema: Húsnæðismál og aðgreining í búsetu) er ekki möguleg eins og er."}},
		{request, "Secretariat", "secretariat@notify-test.example.org", "Bridge: a new introduction request",
			[]string{"A new introduction request is waiting in the queue.", "Introduction: " + proposed}},
	}
	for _, tt := range tests {
		msgs := server.MessagesWithID(t, tt.id)
		if len(msgs) != 1 {
			t.Errorf("%s: %d messages, want 1", tt.id, len(msgs))
			continue
		}
		m := msgs[0]
		to, err := m.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Name != tt.toName || to[0].Address != tt.toAddr {
			t.Errorf("%s: To %q → %v, %v", tt.id, m.Header.Get("To"), to, err)
		}
		if subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); subject != tt.subject {
			t.Errorf("%s: subject %q", tt.id, subject)
		}
		if date, err := m.Header.Date(); err != nil || !date.Equal(clock.Now()) {
			t.Errorf("%s: Date %q", tt.id, m.Header.Get("Date"))
		}
		body := decodedBody(t, m)
		for _, w := range tt.body {
			if !strings.Contains(body, w) {
				t.Errorf("%s: body lacks %q:\n%s", tt.id, w, body)
			}
		}
		if tt.id == request && (strings.Contains(body, "Åsa") || strings.Contains(body, "@")) {
			t.Errorf("the secretariat's message names people:\n%s", body)
		}
		if st := g.state(tt.id); st.Status != bridge.NotificationSent || st.Attempts != 0 {
			t.Errorf("%s: %+v, want SENT", tt.id, st)
		}
	}
	// The envelope matches the headers.
	for _, m := range server.Messages() {
		if strings.Contains(string(m.Data), "<"+asked+"@") && (m.From != "bridge@localhost" || !slices.Equal(m.To, []string{"asa@notify-test.example.org"})) {
			t.Errorf("envelope of %s: from %s to %v", asked, m.From, m.To)
		}
	}
	for _, never := range []string{"notify-test.example.org", "Åsa", "Öberg", "Jóhanna", "Housing", "Húsnæðismál", "Language learning", "Hello", "Halló", "+354"} {
		if strings.Contains(logs.String(), never) {
			t.Errorf("the logs contain %q:\n%s", never, logs.String())
		}
	}
	if !strings.Contains(logs.String(), `"notification_id":"`+asked+`"`) {
		t.Errorf("the logs do not name the notification:\n%s", logs.String())
	}
}

func TestTemporaryFailureThenSuccessDeliversExactlyOnce(t *testing.T) {
	g := newGraph(t, 2)
	server := startTestSMTP(t, func(s *testSMTP, _ *smtp.Server) {
		s.dataErrs = []error{smtpReply(451, "4.3.0 try again later")}
	})
	clock := &testClock{now: g.day.Add(time.Hour)}
	sender := newSMTPSender(t, g.store, server, clock, nil)
	asa := g.person("asa", fx.PersonSpec{Name: "Åsa Öberg", Email: "asa@notify-test.example.org"})
	intro := g.introduction("i", "PROPOSED", "housing-and-segregation", asa)
	id := g.notification("asked", bridge.NotificationIntroductionAsked, asa, intro, bridge.NotificationPending)

	if r, err := sender.SendDue(t.Context()); err != nil || r.Retried != 1 || r.Sent != 0 {
		t.Fatalf("first round %+v, %v: want one retry", r, err)
	}
	if st := g.state(id); st.Status != bridge.NotificationPending || st.Attempts != 1 || st.LastError != "smtp_451" {
		t.Fatalf("after the 451: %+v", st)
	}
	if r, _ := sender.SendDue(t.Context()); r.Claimed != 0 {
		t.Fatalf("claimed again before the backoff passed: %+v", r)
	}
	clock.Advance(3 * time.Second) // past BackoffMax
	if r, err := sender.SendDue(t.Context()); err != nil || r.Sent != 1 {
		t.Fatalf("second round %+v, %v: want it sent", r, err)
	}
	clock.Advance(time.Hour)
	if r, _ := sender.SendDue(t.Context()); r.Claimed != 0 {
		t.Fatalf("claimed after it was sent: %+v", r)
	}
	if n := len(server.MessagesWithID(t, id)); n != 1 {
		t.Fatalf("%d messages delivered, want exactly 1", n)
	}
	if st := g.state(id); st.Status != bridge.NotificationSent || st.Attempts != 1 {
		t.Fatalf("at the end: %+v", st)
	}
}

func TestPermanentFailureIsFailed(t *testing.T) {
	g := newGraph(t, 3)
	server := startTestSMTP(t, func(s *testSMTP, _ *smtp.Server) {
		s.rcptErr = smtpReply(550, "5.1.1 <asa@notify-test.example.org>: no such user")
	})
	clock := &testClock{now: g.day.Add(time.Hour)}
	var logs lockedBuffer
	sender := newSMTPSender(t, g.store, server, clock, &logs)
	asa := g.person("asa", fx.PersonSpec{Name: "Åsa Öberg", Email: "asa@notify-test.example.org"})
	intro := g.introduction("i", "PROPOSED", "housing-and-segregation", asa)
	id := g.notification("asked", bridge.NotificationIntroductionAsked, asa, intro, bridge.NotificationPending)

	if r, err := sender.SendDue(t.Context()); err != nil || r.Failed != 1 {
		t.Fatalf("round %+v, %v: want one failure", r, err)
	}
	if st := g.state(id); st.Status != bridge.NotificationFailed || st.Attempts != 1 || st.LastError != "smtp_550" {
		t.Fatalf("after the 550: %+v", st)
	}
	clock.Advance(time.Hour)
	if r, _ := sender.SendDue(t.Context()); r.Claimed != 0 || len(server.Messages()) != 0 {
		t.Fatalf("a FAILED notification was tried again: %+v", r)
	}
	if strings.Contains(logs.String(), "notify-test.example.org") || !strings.Contains(logs.String(), `"reason":"smtp_550"`) {
		t.Errorf("logs:\n%s", logs.String())
	}
}

func TestErasedRecipientIsDropped(t *testing.T) {
	g := newGraph(t, 4)
	server := startTestSMTP(t, nil)
	clock := &testClock{now: g.day.Add(time.Hour)}
	sender := newSMTPSender(t, g.store, server, clock, nil)
	asa := g.person("asa", fx.PersonSpec{Name: "Åsa Öberg", Email: "asa@notify-test.example.org"})
	jo := g.person("jo", fx.PersonSpec{Name: "Jóhanna G", Email: "johanna@notify-test.example.org"})
	intro := g.introduction("i", "INTRODUCED", "housing-and-segregation", asa, jo)
	toAsa := g.notification("to-asa", bridge.NotificationIntroductionIntroduced, asa, intro, bridge.NotificationPending)
	toJo := g.notification("to-jo", bridge.NotificationIntroductionIntroduced, jo, intro, bridge.NotificationPending)
	fx.DeletePerson(t, asa) // erased after the change, before delivery

	if _, err := sender.SendDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	if st := g.state(toAsa); st.Status != bridge.NotificationDropped || st.LastError != "recipient_gone" {
		t.Errorf("to the erased person: %+v, want DROPPED", st)
	}
	// The other side would learn the erased person's details: dropped as well.
	if st := g.state(toJo); st.Status != bridge.NotificationDropped || st.LastError != "counterpart_gone" {
		t.Errorf("about the erased person: %+v, want DROPPED", st)
	}
	if len(server.MessagesWithID(t, toAsa))+len(server.MessagesWithID(t, toJo)) != 0 {
		t.Fatal("a message was sent")
	}
}

func TestNeverSentTwiceAcrossARestart(t *testing.T) {
	g := newGraph(t, 5)
	server := startTestSMTP(t, nil)
	clock := &testClock{now: g.day.Add(time.Hour)}
	asa := g.person("asa", fx.PersonSpec{Name: "Åsa Öberg", Email: "asa@notify-test.example.org"})
	intro := g.introduction("i", "PROPOSED", "housing-and-segregation", asa)
	id := g.notification("asked", bridge.NotificationIntroductionAsked, asa, intro, bridge.NotificationPending)

	first := newSMTPSender(t, g.store, server, clock, nil)
	if r, err := first.SendDue(t.Context()); err != nil || r.Sent < 1 {
		t.Fatalf("first sender: %+v, %v", r, err)
	}
	// A new process: a store of its own over the same database, a new Sender, run for a while.
	store2 := testneo4j.Open(t, testneo4j.Config(t), nil)
	rec := &recordingOutbox{Outbox: store2}
	second := newSMTPSender(t, rec, server, clock, nil)
	clock.Advance(time.Hour)
	runFor(t, second, func() bool { return rec.count("claim") >= 3 })
	if rec.count("recover") < 1 {
		t.Error("the second sender did not recover at start")
	}
	if n := len(server.MessagesWithID(t, id)); n != 1 {
		t.Fatalf("%d messages across the restart, want exactly 1", n)
	}
	if st := g.state(id); st.Status != bridge.NotificationSent {
		t.Fatalf("%+v, want SENT", st)
	}
}

func TestInterruptedSendingBecomesUncertainAtStartAndIsNotSent(t *testing.T) {
	g := newGraph(t, 6)
	server := startTestSMTP(t, nil)
	clock := &testClock{now: g.day.Add(time.Hour)}
	asa := g.person("asa", fx.PersonSpec{Name: "Åsa Öberg", Email: "asa@notify-test.example.org"})
	intro := g.introduction("i", "PROPOSED", "housing-and-segregation", asa)
	// A sender claimed this one long ago (more than the lease) and died before recording anything.
	interrupted := g.notification("interrupted", bridge.NotificationIntroductionAsked, asa, intro, bridge.NotificationSending)
	pending := g.notification("pending", bridge.NotificationIntroductionAsked, asa, intro, bridge.NotificationPending)

	rec := &recordingOutbox{Outbox: g.store}
	sender := newSMTPSender(t, rec, server, clock, nil)
	runFor(t, sender, func() bool { return len(server.MessagesWithID(t, pending)) == 1 && rec.count("claim") >= 2 })
	rec.mu.Lock()
	first := rec.calls[0]
	rec.mu.Unlock()
	if first != "recover" {
		t.Errorf("first call %s, want recover", first)
	}
	if st := g.state(interrupted); st.Status != bridge.NotificationUncertain || st.LastError != "interrupted" {
		t.Fatalf("interrupted: %+v, want UNCERTAIN", st)
	}
	if n := len(server.MessagesWithID(t, interrupted)); n != 0 {
		t.Fatalf("the interrupted notification was sent %d times, want never", n)
	}
	if st := g.state(pending); st.Status != bridge.NotificationSent {
		t.Fatalf("pending: %+v, want SENT", st)
	}
}

// runFor runs the sender until done reports true (or 20 s pass), then stops it and waits for Run
// to return.
func runFor(t *testing.T, s *Sender, done func() bool) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	stopped := make(chan struct{})
	go func() { s.Run(ctx); close(stopped) }()
	deadline := time.Now().Add(20 * time.Second)
	for !done() {
		if time.Now().After(deadline) {
			cancel()
			<-stopped
			t.Fatal("the sender did not get there in 20 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-stopped:
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}

// TestRetentionReconfirmationIsSentOverSMTP: the retention job's request to confirm a profile
// reaches its owner with the deadline; one whose profile was confirmed meanwhile is not sent.
func TestRetentionReconfirmationIsSentOverSMTP(t *testing.T) {
	g := newGraph(t, 7)
	server := startTestSMTP(t, nil)
	clock := &testClock{now: g.day.Add(time.Hour)}
	var logs lockedBuffer
	sender := newSMTPSender(t, g.store, server, clock, &logs)
	by := time.Date(2027, 3, 12, 9, 0, 0, 0, time.UTC)
	liv := g.person("liv", fx.PersonSpec{GivenName: "Liv", FamilyName: "Ås", Name: "Liv Ås", Email: "liv@notify-test.example.org",
		Unconfirmed: true, Source: "IMPORT", ReconfirmRequestedAt: g.day, ReconfirmBy: by})
	ola := g.person("ola", fx.PersonSpec{GivenName: "Ola", Name: "Ola Nordmann", Email: "ola@notify-test.example.org",
		Source: "IMPORT"})
	ask := g.notification("ask", bridge.NotificationReconfirmProfile, liv, "", bridge.NotificationPending)
	late := g.notification("late", bridge.NotificationReconfirmProfile, ola, "", bridge.NotificationPending)
	// (no introductionId: a notification about a profile, not an introduction)

	if _, err := sender.SendDue(t.Context()); err != nil {
		t.Fatal(err)
	}
	msgs := server.MessagesWithID(t, ask)
	if len(msgs) != 1 {
		t.Fatalf("%d messages for the request, want 1", len(msgs))
	}
	if to, err := msgs[0].Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != "liv@notify-test.example.org" {
		t.Fatalf("To %q", msgs[0].Header.Get("To"))
	}
	body := decodedBody(t, msgs[0])
	for _, w := range []string{"Hello Liv,", "sign in to Bridge with this e-mail address by 12 March 2027"} {
		if !strings.Contains(body, w) {
			t.Errorf("body lacks %q:\n%s", w, body)
		}
	}
	if st := g.state(ask); st.Status != bridge.NotificationSent {
		t.Errorf("request: %+v, want SENT", st)
	}
	if len(server.MessagesWithID(t, late)) != 0 {
		t.Error("a request to a confirmed profile was sent")
	}
	if st := g.state(late); st.Status != bridge.NotificationDropped || st.LastError != "confirmed" {
		t.Errorf("request to a confirmed profile: %+v, want DROPPED (confirmed)", st)
	}
	if strings.Contains(logs.String(), "notify-test.example.org") || strings.Contains(logs.String(), "Liv") {
		t.Errorf("the logs name the person:\n%s", logs.String())
	}
}
