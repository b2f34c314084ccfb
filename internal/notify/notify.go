// Package notify delivers the notification outbox (docs/introductions.md, "Notification (outbox)")
// by e-mail. The introduction workflow writes (:Notification) nodes in the transaction of the
// change that causes them; a Sender claims the due ones from the outbox, renders each message from
// what the graph holds at that moment, hands it to a Transport (SMTP, or the log in development)
// and records the outcome.
//
// Delivery is at most once. A claimed notification is SENDING; if the process dies before it
// records the outcome, the notification becomes UNCERTAIN at the next recovery and is never sent
// again, so a crash can lose a message (the recipient still sees the introduction in Bridge) but
// never send one twice. A temporary failure (an SMTP 4xx reply, a network error, a timeout) is
// retried with exponential backoff and jitter until MaxAttempts, then FAILED; a permanent one (an
// SMTP 5xx reply to the message's sender, recipient or content) is FAILED at once.
//
// Logs name the notification id, kind and outcome (with a short reason code) only: never an
// address, a name, a message body or a mail server's reply, which can quote an address.
package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/mail"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Outbox is the storage the Sender works on (internal/neo4jstore implements it). Implementations
// must make ClaimDueNotifications atomic across processes: two senders never get the same
// notification.
type Outbox interface {
	// ClaimDueNotifications marks up to limit PENDING notifications due at now as SENDING and
	// returns them with their content; undeliverable ones (recipient erased) are dropped there.
	ClaimDueNotifications(ctx context.Context, now time.Time, limit int) ([]bridge.OutboxItem, error)
	// MarkNotificationSent records the delivery of a SENDING notification.
	MarkNotificationSent(ctx context.Context, id string, at time.Time) error
	// MarkNotificationFailed records a failed attempt: PENDING again at nextAttempt, or FAILED
	// when final. reason is a short code.
	MarkNotificationFailed(ctx context.Context, id string, nextAttempt time.Time, final bool, reason string) error
	// RecoverInterruptedNotifications turns SENDING notifications that a stopped sender left
	// behind into UNCERTAIN (never sent again) and returns how many.
	RecoverInterruptedNotifications(ctx context.Context) (int, error)
}

// Message is one rendered e-mail, ready for a transport.
type Message struct {
	NotificationID string // for logs
	Kind           string // for logs
	From           string // envelope sender (an addr-spec such as bridge@example.org)
	To             string // envelope recipient
	Data           []byte // the RFC 5322 message, CRLF line endings
}

// Transport hands a message to a mail system. Send must respect ctx's deadline and cancellation.
// Its errors may quote a server's reply (and so an address): the Sender classifies them and never
// logs or stores their text.
type Transport interface {
	Send(ctx context.Context, m Message) error
}

// Observer counts outcomes (internal/metrics implements it).
type Observer interface {
	// ObserveNotification is told each outcome: OutcomeSent, OutcomeRetry, OutcomeFailed,
	// OutcomeReleased, or OutcomeUncertain (once per recovered notification).
	ObserveNotification(outcome string)
}

// The outcomes the Sender logs and reports to the Observer.
const (
	OutcomeSent      = "sent"      // handed to the mail server
	OutcomeRetry     = "retry"     // a temporary failure: PENDING again, later
	OutcomeFailed    = "failed"    // a permanent failure, or the last attempt failed
	OutcomeReleased  = "released"  // claimed but not attempted (shutdown): PENDING again
	OutcomeUncertain = "uncertain" // left SENDING by a stopped sender: never sent again
)

// MaxClaimHold is the longest a Sender holds a claim before it either records the outcome or
// gives the notification back. It must stay below the outbox's claim lease
// (neo4jstore.NotificationClaimLease), after which recovery takes a SENDING notification for the
// leftover of a crashed process; cmd/bridge tests that it does.
const MaxClaimHold = 5 * time.Minute

// recordTimeout bounds the write of an outcome, which is made even while shutting down.
const recordTimeout = 15 * time.Second

// Options tune a Sender. Zero values take the defaults in brackets.
type Options struct {
	PollInterval time.Duration // time between rounds when the outbox has nothing due [2s]
	BatchSize    int           // notifications claimed per round [10]
	MaxAttempts  int           // attempts before a temporarily failing notification is FAILED [8]
	BackoffBase  time.Duration // delay after the first failure, doubled after each further one [30s]
	BackoffMax   time.Duration // longest delay between attempts [1h]
	SendTimeout  time.Duration // deadline of one message's delivery (connect to QUIT) [20s]
	// RecoverEvery is how often the Sender looks for claims a stopped sender left behind, besides
	// once at start [5m].
	RecoverEvery time.Duration
	// From is the sender of every message, "Name <address>" or an address [Bridge <bridge@localhost>].
	From string
	// SecretariatAddress receives INTRODUCTION_REQUEST_RECEIVED ("Name <address>" or an address).
	// Without it those notifications are FAILED with reason no_secretariat_address.
	SecretariatAddress string
	Observer           Observer // optional
}

// Sender delivers the outbox. Create it with New; it is safe to run one Sender per process, and
// any number of processes over the same outbox.
type Sender struct {
	outbox      Outbox
	transport   Transport
	renderer    Renderer
	clock       func() time.Time
	log         *slog.Logger
	opts        Options
	from        mail.Address
	secretariat *mail.Address
	jitter      func() float64 // in [0, 1)
}

// New checks the options, fills in the defaults and returns a Sender. clock gives the time stored
// in the outbox and written in the Date header (nil: time.Now).
func New(outbox Outbox, transport Transport, renderer Renderer, clock func() time.Time, logger *slog.Logger, opts Options) (*Sender, error) {
	if outbox == nil || transport == nil || renderer == nil {
		return nil, errors.New("notify: outbox, transport and renderer are required")
	}
	if clock == nil {
		clock = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d == 0 {
			*d = v
		}
	}
	def(&opts.PollInterval, 2*time.Second)
	def(&opts.BackoffBase, 30*time.Second)
	def(&opts.BackoffMax, time.Hour)
	def(&opts.SendTimeout, 20*time.Second)
	def(&opts.RecoverEvery, 5*time.Minute)
	if opts.BatchSize == 0 {
		opts.BatchSize = 10
	}
	if opts.MaxAttempts == 0 {
		opts.MaxAttempts = 8
	}
	if opts.From == "" {
		opts.From = "Bridge <bridge@localhost>"
	}
	var errs []error
	if opts.PollInterval < 0 || opts.BackoffBase < 0 || opts.BackoffMax < opts.BackoffBase || opts.RecoverEvery < 0 {
		errs = append(errs, errors.New("poll interval, backoff and recovery interval must be positive, backoff max at least the base"))
	}
	if opts.BatchSize < 0 || opts.MaxAttempts < 0 {
		errs = append(errs, errors.New("batch size and max attempts must be positive"))
	}
	if opts.SendTimeout < 0 || opts.SendTimeout >= MaxClaimHold {
		errs = append(errs, fmt.Errorf("send timeout must be positive and below %s", MaxClaimHold))
	}
	from, err := mail.ParseAddress(opts.From)
	if err != nil {
		errs = append(errs, errors.New("the From address is not an e-mail address"))
	}
	s := &Sender{outbox: outbox, transport: transport, renderer: renderer, clock: clock, log: logger, opts: opts,
		jitter: rand.Float64}
	if from != nil {
		s.from = *from
	}
	if opts.SecretariatAddress != "" {
		if s.secretariat, err = mail.ParseAddress(opts.SecretariatAddress); err != nil {
			errs = append(errs, errors.New("the secretariat address is not an e-mail address"))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	return s, nil
}

// Run delivers the outbox until ctx is done. It first recovers the claims a stopped sender left
// behind (once at start, then every RecoverEvery), then claims and sends a batch every
// PollInterval, or at once while batches come back full. Errors are logged and the loop goes on
// (a database that is down is tried again at the next round). When ctx is done, the message being
// sent is finished, claimed ones not yet attempted are given back, and Run returns.
func (s *Sender) Run(ctx context.Context) {
	s.log.Info("notification sender started", slog.Duration("poll_interval", s.opts.PollInterval),
		slog.Int("batch_size", s.opts.BatchSize), slog.Int("max_attempts", s.opts.MaxAttempts))
	s.recoverInterrupted(ctx)
	lastRecovery := time.Now()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			s.log.Info("notification sender stopped")
			return
		case <-timer.C:
		}
		if time.Since(lastRecovery) >= s.opts.RecoverEvery {
			s.recoverInterrupted(ctx)
			lastRecovery = time.Now()
		}
		next := s.opts.PollInterval
		r, err := s.SendDue(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.Warn("notification round failed", slog.String("code", string(bridge.ErrorCode(err))), slog.String("cause", err.Error()))
		case err == nil && r.Claimed >= s.opts.BatchSize:
			next = 0 // more may be due
		}
		timer.Reset(next)
	}
}

func (s *Sender) recoverInterrupted(ctx context.Context) {
	n, err := s.outbox.RecoverInterruptedNotifications(ctx)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("notification recovery failed", slog.String("code", string(bridge.ErrorCode(err))), slog.String("cause", err.Error()))
		}
		return
	}
	if n > 0 {
		s.log.Warn("notifications left SENDING by a stopped sender are now UNCERTAIN and will not be sent",
			slog.Int("count", n), slog.String("outcome", OutcomeUncertain))
		for range n {
			s.observe(OutcomeUncertain)
		}
	}
}

// Round is what one SendDue did.
type Round struct {
	Claimed  int // notifications claimed
	Sent     int
	Retried  int // temporary failures, to be tried again
	Failed   int // FAILED: permanent failures and last attempts
	Released int // claimed but not attempted (shutdown, claim held too long)
}

// SendDue does one round: it claims up to BatchSize due notifications and delivers them one after
// the other. When ctx is done, or the claim has been held close to MaxClaimHold, the remaining ones
// are given back (PENDING, due at once). The error is the claim's; delivery failures are recorded
// in the outbox and counted in the Round.
func (s *Sender) SendDue(ctx context.Context) (Round, error) {
	var r Round
	claimedAt := time.Now()
	items, err := s.outbox.ClaimDueNotifications(ctx, s.now(), s.opts.BatchSize)
	if err != nil {
		return r, err
	}
	r.Claimed = len(items)
	for _, it := range items {
		if ctx.Err() != nil || time.Since(claimedAt)+s.opts.SendTimeout > MaxClaimHold {
			s.release(ctx, it)
			r.Released++
			continue
		}
		switch s.deliver(ctx, it) {
		case OutcomeSent:
			r.Sent++
		case OutcomeRetry:
			r.Retried++
		case OutcomeFailed:
			r.Failed++
		}
	}
	return r, nil
}

func (s *Sender) now() time.Time { return s.clock().UTC() }

// deliver renders and sends one claimed notification and records the outcome.
func (s *Sender) deliver(ctx context.Context, it bridge.OutboxItem) string {
	to, reason := s.recipient(it)
	if reason != "" {
		return s.failed(ctx, it, reason, true)
	}
	data, err := s.renderer.Render(it, Header{From: s.from, To: to, Date: s.now()})
	if err != nil {
		return s.failed(ctx, it, "render", true)
	}
	// The message in flight is finished even when ctx is cancelled (shutdown): cutting the
	// connection after DATA could leave it delivered but recorded as failed, and so sent twice.
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.SendTimeout)
	err = s.transport.Send(sendCtx, Message{NotificationID: it.ID, Kind: it.Kind, From: s.from.Address, To: to.Address, Data: data})
	cancel()
	if err != nil {
		reason, permanent := Classify(err)
		return s.failed(ctx, it, reason, permanent)
	}
	rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer rcancel()
	switch err := s.outbox.MarkNotificationSent(rctx, it.ID, s.now()); {
	case bridge.ErrorCode(err) == bridge.CodeNotFound:
		// An erasure deleted it while it was being sent.
		s.log.Info("notification sent; it was deleted meanwhile", slog.String("notification_id", it.ID),
			slog.String("kind", it.Kind), slog.String("outcome", OutcomeSent))
	case err != nil:
		// It stays SENDING and becomes UNCERTAIN: never sent again.
		s.log.Error("notification sent but not recorded", slog.String("notification_id", it.ID), slog.String("kind", it.Kind),
			slog.String("outcome", OutcomeSent), slog.String("code", string(bridge.ErrorCode(err))), slog.String("cause", err.Error()))
	default:
		s.log.Info("notification sent", slog.String("notification_id", it.ID), slog.String("kind", it.Kind),
			slog.String("outcome", OutcomeSent))
	}
	s.observe(OutcomeSent)
	return OutcomeSent
}

// recipient is the address the message goes to, or the reason there is none.
func (s *Sender) recipient(it bridge.OutboxItem) (mail.Address, string) {
	if it.ToSecretariat() {
		if s.secretariat == nil {
			return mail.Address{}, "no_secretariat_address"
		}
		return *s.secretariat, ""
	}
	a, err := mail.ParseAddress(it.Recipient.Email)
	if err != nil {
		return mail.Address{}, "bad_address"
	}
	return mail.Address{Name: oneLine(it.Recipient.DisplayName()), Address: a.Address}, ""
}

// failed records a failed attempt: FAILED when permanent or the last attempt, PENDING again after
// a backoff otherwise.
func (s *Sender) failed(ctx context.Context, it bridge.OutboxItem, reason string, permanent bool) string {
	attempt := it.Attempts + 1
	final := permanent || attempt >= s.opts.MaxAttempts
	next := s.now().Add(s.backoff(attempt))
	outcome := OutcomeRetry
	if final {
		outcome = OutcomeFailed
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	attrs := []any{slog.String("notification_id", it.ID), slog.String("kind", it.Kind), slog.String("outcome", outcome),
		slog.String("reason", reason), slog.Int("attempt", attempt)}
	if !final {
		attrs = append(attrs, slog.Time("next_attempt_at", next))
	}
	if err := s.outbox.MarkNotificationFailed(rctx, it.ID, next, final, reason); err != nil {
		s.log.Error("notification failure not recorded", append(attrs, slog.String("code", string(bridge.ErrorCode(err))),
			slog.String("cause", err.Error()))...)
	} else {
		s.log.Warn("notification not sent", attrs...)
	}
	s.observe(outcome)
	return outcome
}

// release gives a claimed notification back without attempting it. The outbox counts it as an
// attempt (reason "not_attempted"); it is due again at once.
func (s *Sender) release(ctx context.Context, it bridge.OutboxItem) {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	if err := s.outbox.MarkNotificationFailed(rctx, it.ID, s.now(), false, "not_attempted"); err != nil {
		s.log.Error("notification release not recorded", slog.String("notification_id", it.ID), slog.String("kind", it.Kind),
			slog.String("outcome", OutcomeReleased), slog.String("cause", err.Error()))
		return
	}
	s.log.Info("notification given back", slog.String("notification_id", it.ID), slog.String("kind", it.Kind),
		slog.String("outcome", OutcomeReleased))
	s.observe(OutcomeReleased)
}

// backoff is the delay after the attempt-th failure: BackoffBase doubled attempt-1 times, at most
// BackoffMax, of which a random half is taken off ("equal jitter"), so that senders that failed
// together do not retry together.
func (s *Sender) backoff(attempt int) time.Duration {
	d := s.opts.BackoffBase
	for i := 1; i < attempt && d < s.opts.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, s.opts.BackoffMax)
	half := d / 2
	return half + time.Duration(s.jitter()*float64(d-half))
}

func (s *Sender) observe(outcome string) {
	if s.opts.Observer != nil {
		s.opts.Observer.ObserveNotification(outcome)
	}
}
