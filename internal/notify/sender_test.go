package notify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/textproto"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// fakeOutbox is an in-memory outbox with the store's state machine.
type fakeOutbox struct {
	mu        sync.Mutex
	items     map[string]*fakeNotification
	calls     []string // "recover", "claim", "sent:<id>", "failed:<id>"
	claimErr  error
	recovered int // what RecoverInterruptedNotifications reports
}

type fakeNotification struct {
	item      bridge.OutboxItem
	status    string
	next      time.Time
	lastError string
	sentAt    time.Time
}

func newFakeOutbox() *fakeOutbox { return &fakeOutbox{items: map[string]*fakeNotification{}} }

func (o *fakeOutbox) add(it bridge.OutboxItem, due time.Time) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.items[it.ID] = &fakeNotification{item: it, status: bridge.NotificationPending, next: due}
}

func (o *fakeOutbox) get(id string) fakeNotification {
	o.mu.Lock()
	defer o.mu.Unlock()
	return *o.items[id]
}

func (o *fakeOutbox) callLog() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return slices.Clone(o.calls)
}

func (o *fakeOutbox) ClaimDueNotifications(_ context.Context, now time.Time, limit int) ([]bridge.OutboxItem, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, "claim")
	if o.claimErr != nil {
		return nil, o.claimErr
	}
	var due []*fakeNotification
	for _, n := range o.items {
		if n.status == bridge.NotificationPending && !n.next.After(now) {
			due = append(due, n)
		}
	}
	sort.Slice(due, func(i, j int) bool {
		if !due[i].next.Equal(due[j].next) {
			return due[i].next.Before(due[j].next)
		}
		return due[i].item.ID < due[j].item.ID
	})
	var out []bridge.OutboxItem
	for _, n := range due[:min(limit, len(due))] {
		n.status = bridge.NotificationSending
		out = append(out, n.item)
	}
	return out, nil
}

func (o *fakeOutbox) MarkNotificationSent(_ context.Context, id string, at time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, "sent:"+id)
	n := o.items[id]
	if n == nil || n.status != bridge.NotificationSending {
		return errors.New("not sending")
	}
	n.status, n.sentAt = bridge.NotificationSent, at
	return nil
}

func (o *fakeOutbox) MarkNotificationFailed(_ context.Context, id string, next time.Time, final bool, reason string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, "failed:"+id)
	n := o.items[id]
	if n == nil || n.status != bridge.NotificationSending {
		return errors.New("not sending")
	}
	n.item.Attempts++
	n.lastError = reason
	if final {
		n.status = bridge.NotificationFailed
	} else {
		n.status, n.next = bridge.NotificationPending, next
	}
	return nil
}

func (o *fakeOutbox) RecoverInterruptedNotifications(context.Context) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, "recover")
	return o.recovered, nil
}

// fakeTransport records messages; errs are returned, one per Send, before it succeeds.
type fakeTransport struct {
	mu    sync.Mutex
	sent  []Message
	errs  []error
	block chan struct{} // when set, Send waits for it (or its ctx)
	began chan string   // when set, told each id as Send starts
}

func (t *fakeTransport) Send(ctx context.Context, m Message) error {
	if t.began != nil {
		t.began <- m.NotificationID
	}
	if t.block != nil {
		select {
		case <-t.block:
		case <-ctx.Done():
			return &SendError{StageData, ctx.Err()}
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.errs) > 0 {
		err := t.errs[0]
		t.errs = t.errs[1:]
		return err
	}
	t.sent = append(t.sent, m)
	return nil
}

func (t *fakeTransport) messages() []Message {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.sent)
}

type countingObserver struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *countingObserver) ObserveNotification(outcome string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[outcome]++
}

func (c *countingObserver) get(outcome string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[outcome]
}

var senderNow = time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)

type senderFixture struct {
	outbox    *fakeOutbox
	transport *fakeTransport
	logs      *lockedBuffer
	observer  *countingObserver
	sender    *Sender
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newSenderFixture(t *testing.T, opts Options) *senderFixture {
	t.Helper()
	f := &senderFixture{outbox: newFakeOutbox(), transport: &fakeTransport{}, logs: &lockedBuffer{}, observer: &countingObserver{}}
	if opts.SecretariatAddress == "" {
		opts.SecretariatAddress = "Secretariat <secretariat@example.org>"
	}
	opts.Observer = f.observer
	s, err := New(f.outbox, f.transport, NewTextRenderer(), func() time.Time { return senderNow },
		slog.New(slog.NewJSONHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})), opts)
	if err != nil {
		t.Fatal(err)
	}
	f.sender = s
	return f
}

func item(id, kind string) bridge.OutboxItem {
	it := renderItem(kind)
	it.ID = id
	return it
}

// assertNoPersonalData fails when the logs name an address, a name or a body line of the items.
func assertNoPersonalData(t *testing.T, logs string) {
	t.Helper()
	for _, s := range []string{"@example", "Åsa", "Öberg", "Jóhanna", "Language learning", "Hello", "secretariat@"} {
		if strings.Contains(logs, s) {
			t.Errorf("the logs contain %q:\n%s", s, logs)
		}
	}
}

func TestSendDueDeliversAndRecordsSent(t *testing.T) {
	f := newSenderFixture(t, Options{})
	f.outbox.add(item("n-1", bridge.NotificationIntroductionAsked), senderNow.Add(-time.Minute))
	f.outbox.add(item("n-2", bridge.NotificationIntroductionRequestReceived), senderNow)
	f.outbox.add(item("n-3", bridge.NotificationIntroductionAsked), senderNow.Add(time.Second)) // not due yet
	r, err := f.sender.SendDue(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if r != (Round{Claimed: 2, Sent: 2}) {
		t.Fatalf("round %+v", r)
	}
	msgs := f.transport.messages()
	if len(msgs) != 2 || msgs[0].To != "asa@example.org" || msgs[1].To != "secretariat@example.org" ||
		msgs[0].From != "bridge@localhost" || msgs[0].NotificationID != "n-1" || msgs[1].Kind != bridge.NotificationIntroductionRequestReceived {
		t.Fatalf("messages %+v", msgs)
	}
	for _, id := range []string{"n-1", "n-2"} {
		if n := f.outbox.get(id); n.status != bridge.NotificationSent || !n.sentAt.Equal(senderNow) {
			t.Errorf("%s: %+v", id, n)
		}
	}
	if f.outbox.get("n-3").status != bridge.NotificationPending {
		t.Error("a notification not yet due was touched")
	}
	logs := f.logs.String()
	if !strings.Contains(logs, `"notification_id":"n-1"`) || !strings.Contains(logs, `"outcome":"sent"`) ||
		!strings.Contains(logs, `"kind":"INTRODUCTION_ASKED"`) {
		t.Errorf("logs lack id, kind or outcome:\n%s", logs)
	}
	assertNoPersonalData(t, logs)
	if f.observer.get(OutcomeSent) != 2 {
		t.Errorf("observer: %v", f.observer.n)
	}
}

func TestTemporaryFailureIsRetriedWithBackoffUntilMaxAttempts(t *testing.T) {
	f := newSenderFixture(t, Options{MaxAttempts: 3, BackoffBase: time.Minute, BackoffMax: 10 * time.Minute})
	it := item("n-1", bridge.NotificationIntroductionAsked)
	f.outbox.add(it, senderNow)
	temp := &SendError{StageData, &textproto.Error{Code: 451, Msg: "4.3.0 asa@example.org mailbox busy"}}
	f.transport.errs = []error{temp, temp, temp}

	// Attempt 1 fails: PENDING again, due 30–60 s later (base with equal jitter).
	if r, err := f.sender.SendDue(t.Context()); err != nil || r != (Round{Claimed: 1, Retried: 1}) {
		t.Fatalf("round 1: %+v, %v", r, err)
	}
	n := f.outbox.get("n-1")
	if n.status != bridge.NotificationPending || n.item.Attempts != 1 || n.lastError != "smtp_451" ||
		n.next.Before(senderNow.Add(30*time.Second)) || n.next.After(senderNow.Add(time.Minute)) {
		t.Fatalf("after attempt 1: %+v", n)
	}
	// Not due yet: nothing happens.
	if r, _ := f.sender.SendDue(t.Context()); r.Claimed != 0 {
		t.Fatalf("claimed before the backoff passed: %+v", r)
	}
	// Attempt 2 (pretend time passed by making it due).
	f.outbox.items["n-1"].next = senderNow
	if r, _ := f.sender.SendDue(t.Context()); r != (Round{Claimed: 1, Retried: 1}) {
		t.Fatalf("round 2: %+v", r)
	}
	n = f.outbox.get("n-1")
	if n.item.Attempts != 2 || n.next.Before(senderNow.Add(time.Minute)) || n.next.After(senderNow.Add(2*time.Minute)) {
		t.Fatalf("after attempt 2 the delay doubles (60–120 s): %+v", n)
	}
	// Attempt 3 is the last: FAILED.
	f.outbox.items["n-1"].next = senderNow
	if r, _ := f.sender.SendDue(t.Context()); r != (Round{Claimed: 1, Failed: 1}) {
		t.Fatalf("round 3: %+v", r)
	}
	if n := f.outbox.get("n-1"); n.status != bridge.NotificationFailed || n.item.Attempts != 3 || n.lastError != "smtp_451" {
		t.Fatalf("after the last attempt: %+v", n)
	}
	if len(f.transport.messages()) != 0 {
		t.Fatal("a message was recorded as delivered")
	}
	assertNoPersonalData(t, f.logs.String())
	if f.observer.get(OutcomeRetry) != 2 || f.observer.get(OutcomeFailed) != 1 {
		t.Errorf("observer: %v", f.observer.n)
	}
}

func TestPermanentFailureIsFailedAtOnce(t *testing.T) {
	f := newSenderFixture(t, Options{MaxAttempts: 5})
	f.outbox.add(item("n-1", bridge.NotificationIntroductionAsked), senderNow)
	f.transport.errs = []error{&SendError{StageRcpt, &textproto.Error{Code: 550, Msg: "5.1.1 <asa@example.org>: unknown user"}}}
	if r, _ := f.sender.SendDue(t.Context()); r != (Round{Claimed: 1, Failed: 1}) {
		t.Fatalf("round %+v", r)
	}
	if n := f.outbox.get("n-1"); n.status != bridge.NotificationFailed || n.item.Attempts != 1 || n.lastError != "smtp_550" {
		t.Fatalf("%+v", n)
	}
	logs := f.logs.String()
	if !strings.Contains(logs, `"reason":"smtp_550"`) || !strings.Contains(logs, `"outcome":"failed"`) {
		t.Errorf("logs:\n%s", logs)
	}
	assertNoPersonalData(t, logs)
}

func TestMessagesThatCannotBeWrittenAreFailed(t *testing.T) {
	f := newSenderFixture(t, Options{})
	noSecretariat, err := New(f.outbox, f.transport, NewTextRenderer(), func() time.Time { return senderNow }, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	f.outbox.add(item("n-1", bridge.NotificationIntroductionRequestReceived), senderNow)
	bad := item("n-2", bridge.NotificationIntroductionAsked)
	bad.Recipient.Email = "not an address"
	f.outbox.add(bad, senderNow)
	unknown := item("n-3", "INTRODUCTION_UNKNOWN")
	f.outbox.add(unknown, senderNow)
	if r, _ := noSecretariat.SendDue(t.Context()); r != (Round{Claimed: 3, Failed: 3}) {
		t.Fatalf("round %+v", r)
	}
	for id, reason := range map[string]string{"n-1": "no_secretariat_address", "n-2": "bad_address", "n-3": "render"} {
		if n := f.outbox.get(id); n.status != bridge.NotificationFailed || n.lastError != reason {
			t.Errorf("%s: %+v, want FAILED %s", id, n, reason)
		}
	}
	if len(f.transport.messages()) != 0 {
		t.Fatal("something was sent")
	}
}

func TestRunRecoversFirstThenSendsUntilCancelled(t *testing.T) {
	f := newSenderFixture(t, Options{PollInterval: 10 * time.Millisecond})
	f.outbox.recovered = 2
	f.outbox.add(item("n-1", bridge.NotificationIntroductionAsked), senderNow)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { f.sender.Run(ctx); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for len(f.transport.messages()) == 0 || strings.Count(strings.Join(f.outbox.callLog(), ","), "claim") < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("Run did not send and poll: calls %v", f.outbox.callLog())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	calls := f.outbox.callLog()
	if calls[0] != "recover" || calls[1] != "claim" || !slices.Contains(calls, "sent:n-1") {
		t.Fatalf("calls %v: want recover first, then claims", calls)
	}
	if len(f.transport.messages()) != 1 {
		t.Fatalf("%d messages, want 1", len(f.transport.messages()))
	}
	if f.observer.get(OutcomeUncertain) != 2 || !strings.Contains(f.logs.String(), `"count":2`) {
		t.Errorf("recovered notifications not reported: %v\n%s", f.observer.n, f.logs.String())
	}
}

func TestRunGoesOnWhenTheOutboxFails(t *testing.T) {
	f := newSenderFixture(t, Options{PollInterval: 5 * time.Millisecond})
	f.outbox.claimErr = bridge.Unavailable(errors.New("neo4j notification_claim: connection refused"))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { f.sender.Run(ctx); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for strings.Count(strings.Join(f.outbox.callLog(), ","), "claim") < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("Run stopped trying: %v", f.outbox.callLog())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if !strings.Contains(f.logs.String(), `"code":"UNAVAILABLE"`) {
		t.Errorf("the failure was not logged:\n%s", f.logs.String())
	}
}

func TestShutdownFinishesTheMessageInFlightAndGivesBackTheRest(t *testing.T) {
	f := newSenderFixture(t, Options{})
	f.transport.block = make(chan struct{})
	f.transport.began = make(chan string, 10)
	for _, id := range []string{"n-1", "n-2", "n-3"} {
		f.outbox.add(item(id, bridge.NotificationIntroductionAsked), senderNow)
	}
	ctx, cancel := context.WithCancel(t.Context())
	type result struct {
		r   Round
		err error
	}
	res := make(chan result, 1)
	go func() {
		r, err := f.sender.SendDue(ctx)
		res <- result{r, err}
	}()
	if id := <-f.transport.began; id != "n-1" {
		t.Fatalf("first send %s", id)
	}
	cancel()                 // shutdown while n-1 is in flight
	close(f.transport.block) // the server answers after the cancellation
	got := <-res
	if got.err != nil || got.r != (Round{Claimed: 3, Sent: 1, Released: 2}) {
		t.Fatalf("round %+v, %v", got.r, got.err)
	}
	if n := f.outbox.get("n-1"); n.status != bridge.NotificationSent {
		t.Errorf("the message in flight: %+v, want SENT", n)
	}
	for _, id := range []string{"n-2", "n-3"} {
		if n := f.outbox.get(id); n.status != bridge.NotificationPending || n.lastError != "not_attempted" || n.next.After(senderNow) {
			t.Errorf("%s: %+v, want PENDING and due at once", id, n)
		}
	}
}

func TestBackoffGrowsAndIsBounded(t *testing.T) {
	f := newSenderFixture(t, Options{BackoffBase: time.Second, BackoffMax: 10 * time.Second})
	for _, tt := range []struct {
		attempt  int
		min, max time.Duration
	}{{1, 500 * time.Millisecond, time.Second}, {2, time.Second, 2 * time.Second}, {3, 2 * time.Second, 4 * time.Second},
		{4, 4 * time.Second, 8 * time.Second}, {5, 5 * time.Second, 10 * time.Second}, {40, 5 * time.Second, 10 * time.Second}} {
		for _, j := range []float64{0, 0.5, 0.999} {
			f.sender.jitter = func() float64 { return j }
			if d := f.sender.backoff(tt.attempt); d < tt.min || d > tt.max {
				t.Errorf("backoff(%d) with jitter %v = %s, want %s–%s", tt.attempt, j, d, tt.min, tt.max)
			}
		}
	}
	f.sender.jitter = func() float64 { return 0 }
	low := f.sender.backoff(3)
	f.sender.jitter = func() float64 { return 0.99 }
	if high := f.sender.backoff(3); high <= low {
		t.Errorf("jitter does not spread retries: %s and %s", low, high)
	}
}

func TestNewValidatesOptions(t *testing.T) {
	o, tr := newFakeOutbox(), &fakeTransport{}
	for name, opts := range map[string]Options{
		"bad From":            {From: "not an address"},
		"bad secretariat":     {SecretariatAddress: "secretariat at example"},
		"send timeout ≥ hold": {SendTimeout: MaxClaimHold},
		"negative batch":      {BatchSize: -1},
		"max below base":      {BackoffBase: time.Hour, BackoffMax: time.Minute},
	} {
		if _, err := New(o, tr, NewTextRenderer(), nil, nil, opts); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := New(nil, tr, NewTextRenderer(), nil, nil, Options{}); err == nil {
		t.Error("no outbox: accepted")
	}
	s, err := New(o, tr, NewTextRenderer(), nil, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.opts.PollInterval != 2*time.Second || s.opts.BatchSize != 10 || s.opts.MaxAttempts != 8 || s.from.Address != "bridge@localhost" || s.from.Name != "Bridge" {
		t.Errorf("defaults: %+v, from %v", s.opts, s.from)
	}
}

func TestOutboxItemNeverFormatsItsContacts(t *testing.T) {
	it := item("n-1", bridge.NotificationIntroductionIntroduced)
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "item", it)
	for _, s := range []string{buf.String(), fmt.Sprintf("%v %+v %s %#v", it, it, it, it), fmt.Errorf("x: %v", it).Error()} {
		if !strings.Contains(s, "n-1") || strings.Contains(s, "@") || strings.Contains(s, "Åsa") {
			t.Errorf("formatted item: %s", s)
		}
	}
}
