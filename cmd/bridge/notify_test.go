package main

import (
	"bytes"
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/mail"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/notify"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

func TestNotifyConfigDefaultsAndValidation(t *testing.T) {
	cfg, err := parseConfig(t, map[string]string{"NEO4J_PASSWORD": "x", "BRIDGE_ENV": "development"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SMTPURL != "" || cfg.MailFrom != "Bridge <bridge@localhost>" || cfg.SecretariatEmail != "" || cfg.NotifyInterval != 2*time.Second {
		t.Fatalf("defaults: SMTP_URL %q, MAIL_FROM %q, SECRETARIAT_EMAIL %q, NOTIFY_INTERVAL %s", cfg.SMTPURL, cfg.MailFrom, cfg.SecretariatEmail, cfg.NotifyInterval)
	}
	cfg, err = parseConfig(t, map[string]string{"NEO4J_PASSWORD": "x", "SMTP_URL": "smtp://127.0.0.1:2525", "NOTIFY_INTERVAL": "5s"},
		"-mail-from", "Bridge <noreply@bridge.example.org>", "-secretariat-email", "secretariat@bridge.example.org")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.SMTPURL != "smtp://127.0.0.1:2525" || cfg.MailFrom != "Bridge <noreply@bridge.example.org>" || cfg.NotifyInterval != 5*time.Second ||
		cfg.SecretariatEmail != "secretariat@bridge.example.org" {
		t.Fatalf("config %+v", cfg)
	}
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"SMTP_URL": "smtp://user:hunter2@mail example.org"}, "SMTP_URL"},
		{map[string]string{"SMTP_URL": "http://mail.example.org"}, "SMTP_URL"},
		{map[string]string{"SMTP_URL": "smtp://user:hunter2@mail.example.org?starttls=off"}, "SMTP_URL"},
		{map[string]string{"MAIL_FROM": "Bridge"}, "MAIL_FROM"},
		{map[string]string{"SECRETARIAT_EMAIL": "secretariat at example"}, "SECRETARIAT_EMAIL"},
		{map[string]string{"NOTIFY_INTERVAL": "0s"}, "NOTIFY_INTERVAL"},
		{map[string]string{"NOTIFY_INTERVAL": "often"}, "NOTIFY_INTERVAL"},
		{map[string]string{"SECRETARIAT_EMAIL": "secretariat@bridge.example.org"}, "SMTP_URL: required in production"},
		{map[string]string{"SMTP_URL": "smtp://127.0.0.1:2525"}, "SECRETARIAT_EMAIL: required in production"},
	} {
		tt.env["NEO4J_PASSWORD"] = "x"
		_, err := parseConfig(t, tt.env)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("env %v: error %v, want one naming %s", tt.env, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("env %v: the error quotes the SMTP password: %v", tt.env, err)
		}
	}
}

func TestSMTPPasswordIsNotLogged(t *testing.T) {
	cfg, err := parseConfig(t, map[string]string{"NEO4J_PASSWORD": "x", "SMTP_URL": "smtps://bridge:very-secret-smtp-pw@mail.example.org",
		"SECRETARIAT_EMAIL": "secretariat@bridge.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	logger := newLogger(&buf, "info")
	logger.LogAttrs(t.Context(), 0, "configuration", cfg.attrs()...)
	if _, err := newSender(cfg, nil, nil, logger); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "very-secret-smtp-pw") || !strings.Contains(out, `"smtp_url":"smtps://bridge:(set)@mail.example.org:465"`) {
		t.Fatalf("logs: %s", out)
	}
}

// The sender gives a claim back (or records its outcome) within MaxClaimHold; recovery takes a
// SENDING notification for a crashed sender's only after the store's lease. If the lease were
// shorter, recovery could take a notification that a live instance is sending.
func TestClaimHoldStaysBelowTheLease(t *testing.T) {
	if notify.MaxClaimHold >= neo4jstore.NotificationClaimLease {
		t.Fatalf("notify.MaxClaimHold %s is not below neo4jstore.NotificationClaimLease %s", notify.MaxClaimHold, neo4jstore.NotificationClaimLease)
	}
}

// recordingSMTP is an SMTP server on a loopback port that keeps what it accepts.
type recordingSMTP struct {
	addr string
	mu   sync.Mutex
	data [][]byte
}

func startRecordingSMTP(t *testing.T) *recordingSMTP {
	t.Helper()
	r := &recordingSMTP{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &recordingSession{r: r}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.ErrorLog = log.New(io.Discard, "", 0)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r.addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return r
}

// withMessageID returns the accepted messages whose Message-ID is <id@bridge.invalid>.
func (r *recordingSMTP) withMessageID(t *testing.T, id string) []*mail.Message {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*mail.Message
	for _, d := range r.data {
		m, err := mail.ReadMessage(bytes.NewReader(d))
		if err != nil {
			t.Fatalf("received message: %v", err)
		}
		if m.Header.Get("Message-ID") == "<"+id+"@"+notify.MessageIDDomain+">" {
			out = append(out, m)
		}
	}
	return out
}

type recordingSession struct{ r *recordingSMTP }

func (s *recordingSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *recordingSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *recordingSession) Reset()                               {}
func (s *recordingSession) Logout() error                        { return nil }
func (s *recordingSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	s.r.data = append(s.r.data, b)
	return nil
}

// notifyGraph is a serve test's own corner of the test database (fx.Scope).
type notifyGraph struct {
	t     *testing.T
	scope *fx.Scope
}

func newNotifyGraph(t *testing.T) *notifyGraph {
	t.Helper()
	testneo4j.Prepared(t, nil)
	return &notifyGraph{t: t, scope: fx.NewScope(t, "cmdnotify")}
}

// notification writes a person, an introduction and a notification to them, due now; it returns
// the notification's id.
func (g *notifyGraph) notification() string {
	g.t.Helper()
	person := fx.Person(g.t, fx.PersonSpec{ID: g.scope.ID("person"), Name: "Åsa Öberg", GivenName: "Åsa",
		Email: "asa@cmd-notify-test.example.org"})
	intro := fx.Introduction(g.t, fx.IntroductionSpec{ID: g.scope.ID("intro"), Status: "PROPOSED", ThemeID: "housing-and-segregation",
		Recipients: []string{person}, Response: "PENDING"})
	return fx.Notification(g.t, fx.NotificationSpec{ID: g.scope.ID("notification"), Kind: bridge.NotificationIntroductionAsked,
		RecipientID: person, IntroductionID: intro})
}

func (g *notifyGraph) status(id string) string {
	g.t.Helper()
	return fx.NotificationStatus(g.t, id)
}

// serveUntil runs `bridge serve` with env until ready, calls during, then stops it (what SIGTERM
// does) and returns the logs.
func serveUntil(t *testing.T, env map[string]string, during func(url string)) string {
	t.Helper()
	cfg := testneo4j.Config(t)
	full := map[string]string{"NEO4J_URI": cfg.URI, "NEO4J_USER": cfg.User, "NEO4J_PASSWORD": cfg.Password,
		"BRIDGE_ADDR": freeAddr(t), "NOTIFY_INTERVAL": "50ms",
		// production needs mail settings; tests about mail set their own
		"SMTP_URL": "smtp://127.0.0.1:1?starttls=off", "SECRETARIAT_EMAIL": "secretariat@cmd-notify-test.example.org",
		"BRIDGE_ERASURE_JOURNAL": filepath.Join(t.TempDir(), "erasures.jsonl")}
	for k, v := range env {
		full[k] = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &lockedWriter{w: &bytes.Buffer{}}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, func(k string) string { return full[k] }, out, out) }()
	url := "http://" + full["BRIDGE_ADDR"]
	if !waitReady(url) {
		cancel()
		t.Fatalf("serve did not become ready: %v %s", <-done, out.String())
	}
	during(url)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v: %s", err, out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop")
	}
	return out.String()
}

// waitFor polls cond for up to 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 20 s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func TestServeSendsNotificationsOverSMTP(t *testing.T) {
	g := newNotifyGraph(t)
	server := startRecordingSMTP(t)
	id := g.notification()
	metricsAddr := freeAddr(t)
	logs := serveUntil(t, map[string]string{"SMTP_URL": "smtp://" + server.addr + "?starttls=off",
		"SECRETARIAT_EMAIL": "secretariat@cmd-notify-test.example.org", "BRIDGE_METRICS_ADDR": metricsAddr}, func(url string) {
		waitFor(t, "the notification e-mail", func() bool { return len(server.withMessageID(t, id)) == 1 })
		waitFor(t, "SENT", func() bool { return g.status(id) == bridge.NotificationSent })
		// Metrics are served on BRIDGE_METRICS_ADDR only, not with the API.
		resp, err := http.Get(url + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("/metrics on the API's address: %d, want 404", resp.StatusCode)
		}
		resp, err = http.Get("http://" + metricsAddr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), `bridge_notifications_total{outcome="sent"}`) {
			t.Errorf("/metrics lacks the sent notifications:\n%s", body)
		}
	})
	m := server.withMessageID(t, id)[0]
	if to, err := m.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != "asa@cmd-notify-test.example.org" || to[0].Name != "Åsa Öberg" {
		t.Errorf("To %q: %v %v", m.Header.Get("To"), to, err)
	}
	if !strings.Contains(logs, `"notification_id":"`+id+`"`) || !strings.Contains(logs, `"outcome":"sent"`) ||
		!strings.Contains(logs, "notification sender stopped") {
		t.Errorf("logs: %s", logs)
	}
	if strings.Contains(logs, "asa@cmd-notify-test") || strings.Contains(logs, "Öberg") {
		t.Errorf("the logs name the recipient: %s", logs)
	}
}

func TestServeWithoutSMTP(t *testing.T) {
	t.Run("production refuses to start without SMTP_URL and SECRETARIAT_EMAIL", func(t *testing.T) {
		cfg := testneo4j.Config(t)
		env := map[string]string{"NEO4J_URI": cfg.URI, "NEO4J_USER": cfg.User, "NEO4J_PASSWORD": cfg.Password,
			"BRIDGE_ADDR": freeAddr(t)}
		var out bytes.Buffer
		err := run(t.Context(), []string{"serve"}, func(k string) string { return env[k] }, &out, &out)
		if err == nil || !strings.Contains(err.Error(), "SMTP_URL: required in production") ||
			!strings.Contains(err.Error(), "SECRETARIAT_EMAIL: required in production") {
			t.Fatalf("serve in production without mail settings: %v", err)
		}
	})
	t.Run("development logs what would be sent", func(t *testing.T) {
		g := newNotifyGraph(t)
		id := g.notification()
		logs := serveUntil(t, map[string]string{"BRIDGE_ENV": "development", "SMTP_URL": ""}, func(string) {
			waitFor(t, "SENT through the log", func() bool { return g.status(id) == bridge.NotificationSent })
		})
		if !strings.Contains(logs, `"notification_id":"`+id+`"`) || !strings.Contains(logs, "it would have been") ||
			strings.Contains(logs, "asa@cmd-notify-test") {
			t.Errorf("logs: %s", logs)
		}
	})
}
