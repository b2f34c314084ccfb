package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/journal"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

func TestRetentionConfigDefaultsAndValidation(t *testing.T) {
	mail := map[string]string{"SMTP_URL": "smtp://127.0.0.1:2525", "SECRETARIAT_EMAIL": "secretariat@bridge.example.org"}
	cfg, err := parseConfig(t, map[string]string{"NEO4J_PASSWORD": "x", "SMTP_URL": mail["SMTP_URL"], "SECRETARIAT_EMAIL": mail["SECRETARIAT_EMAIL"]})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RetentionUnconfirmed != 8760*time.Hour || cfg.RetentionGrace != 720*time.Hour || cfg.AuditRetention != 8760*time.Hour ||
		cfg.NotificationRetention != 2160*time.Hour || cfg.RetentionInterval != time.Hour || cfg.ErasureJournal != "" {
		t.Fatalf("defaults: %+v", cfg)
	}
	if err := cfg.validateRetention(); err != nil {
		t.Fatalf("default retention: %v", err)
	}
	// Production (the default environment) needs the journal; development has a default.
	if err := cfg.validateErasures(); err == nil || !strings.Contains(err.Error(), "BRIDGE_ERASURE_JOURNAL") {
		t.Fatalf("production without a journal: %v", err)
	}
	dev, err := parseConfig(t, map[string]string{"NEO4J_PASSWORD": "x", "BRIDGE_ENV": "development"})
	if err != nil || dev.validateErasures() != nil || dev.journalPath() != ".local/erasures.jsonl" {
		t.Fatalf("development: %v, %v, %q", err, dev.validateErasures(), dev.journalPath())
	}
	set, err := parseConfig(t, map[string]string{"NEO4J_PASSWORD": "x", "BRIDGE_ERASURE_JOURNAL": "/var/lib/bridge/erasures.jsonl",
		"SMTP_URL": mail["SMTP_URL"], "SECRETARIAT_EMAIL": mail["SECRETARIAT_EMAIL"]},
		"-journal", "/restore/erasures.jsonl", "-retention-grace", "336h")
	if err != nil || set.validateErasures() != nil || set.journalPath() != "/restore/erasures.jsonl" || set.RetentionGrace != 336*time.Hour {
		t.Fatalf("flags over env: %v, %+v", err, set)
	}
	for env, value := range map[string]string{"BRIDGE_RETENTION_UNCONFIRMED": "24h", "BRIDGE_RETENTION_GRACE": "1h",
		"BRIDGE_AUDIT_RETENTION": "48h", "BRIDGE_NOTIFICATION_RETENTION": "1m", "BRIDGE_RETENTION_INTERVAL": "1s"} {
		c, err := parseConfig(t, map[string]string{"NEO4J_PASSWORD": "x", env: value, "SMTP_URL": mail["SMTP_URL"], "SECRETARIAT_EMAIL": mail["SECRETARIAT_EMAIL"]})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.validateRetention(); err == nil || !strings.Contains(err.Error(), env) {
			t.Errorf("%s=%s: %v, want an error naming it", env, value, err)
		}
	}
	if _, err := parseConfig(t, map[string]string{"NEO4J_PASSWORD": "x", "BRIDGE_RETENTION_GRACE": "a month"}); err == nil ||
		!strings.Contains(err.Error(), "BRIDGE_RETENTION_GRACE") {
		t.Errorf("unparsable duration: %v", err)
	}
	// Every command that erases refuses to start in production without a journal (before it
	// opens the database).
	for _, cmd := range []string{"serve", "retention", "reapply-erasures"} {
		var out bytes.Buffer
		err := run(t.Context(), []string{cmd}, func(k string) string { return map[string]string{"NEO4J_PASSWORD": "x"}[k] }, &out, &out)
		if err == nil || !strings.Contains(err.Error(), "BRIDGE_ERASURE_JOURNAL") {
			t.Errorf("%s in production without a journal: %v", cmd, err)
		}
	}
}

// bridgeRunEnv is bridgeRun with more environment variables.
func bridgeRunEnv(t *testing.T, ctx context.Context, extra map[string]string, args ...string) (string, string, error) {
	t.Helper()
	cfg := testneo4j.Config(t)
	env := map[string]string{"NEO4J_URI": cfg.URI, "NEO4J_USER": cfg.User, "NEO4J_PASSWORD": cfg.Password}
	for k, v := range extra {
		env[k] = v
	}
	var out, errOut bytes.Buffer
	err := run(ctx, args, func(k string) string { return env[k] }, &out, &errOut)
	return out.String(), errOut.String(), err
}

// TestRetentionCommandFlagsErasesAndJournals runs `bridge retention` as cron would: an
// unconfirmed imported profile past its deadline is erased (and its id journaled), a stale one is
// flagged and asked to confirm, and the counts are printed and audited.
func TestRetentionCommandFlagsErasesAndJournals(t *testing.T) {
	testneo4j.Prepared(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	domain := "@ret-cmd-" + uuid.NewString()[:8] + ".example.org"
	var ids []string
	t.Cleanup(func() {
		fx.RemovePeople(t, domain)
		fx.DeleteAuditEvents(t, fx.AuditFilter{TargetIDs: ids})
	})
	overdue, stale := uuid.NewString(), uuid.NewString()
	ids = []string{overdue, stale}
	now := time.Now().UTC()
	imported := func(id, name, email string) fx.PersonSpec {
		return fx.PersonSpec{ID: id, Name: name, GivenName: name, Email: email, EmailKey: email, Unconfirmed: true, Source: "IMPORT",
			Visibility: "SECRETARIAT", LastActiveAt: now.Add(-500 * 24 * time.Hour)}
	}
	asked := imported(overdue, "Overdue Person", "overdue"+domain)
	asked.ReconfirmRequestedAt, asked.ReconfirmBy = now.Add(-60*24*time.Hour), now.Add(-30*24*time.Hour)
	fx.Person(t, asked)
	fx.Person(t, imported(stale, "Stale Person", "stale"+domain))
	path := filepath.Join(t.TempDir(), "journal", "erasures.jsonl")
	start := time.Now().UTC()
	out, errOut, err := bridgeRunEnv(t, ctx, map[string]string{"BRIDGE_ERASURE_JOURNAL": path}, "retention")
	if err != nil {
		t.Fatalf("bridge retention: %v\n%s\n%s", err, out, errOut)
	}
	m := regexp.MustCompile(`^retention: stamped \d+, flagged (\d+), erased (\d+), audit events pruned \d+, notifications pruned \d+\n$`).FindStringSubmatch(out)
	if m == nil || m[1] == "0" || m[2] == "0" {
		t.Fatalf("output %q: want counts with at least one flagged and one erased", out)
	}
	if fx.PersonExists(t, overdue) {
		t.Fatal("the overdue profile was not erased")
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"personId":"`+overdue+`"`) || strings.Contains(string(raw), "Overdue") || strings.Contains(string(raw), domain) {
		t.Fatalf("journal %s: want the erased id and nothing else about them", raw)
	}
	stored := fx.StoredPerson(t, stale)
	reminders := fx.Notifications(t, fx.NotificationFilter{RecipientID: stale, Kind: "RECONFIRM_PROFILE"})
	if stored == nil || stored["reconfirmRequestedAt"] == nil || len(reminders) != 1 {
		t.Fatalf("stale profile: %v, %v, want flagged with one RECONFIRM_PROFILE notification", stored, reminders)
	}
	events := fx.AuditEvents(t, fx.AuditFilter{Actions: []string{"RETENTION"}, Since: start})
	if len(events) != 1 || events[0].ActorRole != "SYSTEM" || events[0].TargetID != "" || strings.Contains(events[0].Detail, overdue) {
		t.Fatalf("RETENTION audit events: %v, want one by the system, counts only", events)
	}
	if rid := events[0].RequestID; rid != "" {
		t.Cleanup(func() { fx.DeleteAuditEvents(t, fx.AuditFilter{RequestID: rid}) })
	}
	erase := fx.AuditEvents(t, fx.AuditFilter{Actions: []string{"ERASE"}, TargetIDs: []string{overdue}})
	if len(erase) != 1 || !strings.HasPrefix(erase[0].Detail, "reason=retention ") || erase[0].RequestID != events[0].RequestID {
		t.Fatalf("ERASE audit events %v, want one with reason=retention in the run's request id %v", erase, events[0].RequestID)
	}
}

// TestErasureJournalReapplyAfterRestore: an erasure through the API is journaled (ids only); the
// person comes back with a restored backup; `bridge reapply-erasures` erases them again, and a
// second run erases nothing.
func TestErasureJournalReapplyAfterRestore(t *testing.T) {
	tag := strings.ToLower(uuid.NewString()[:8])
	ids, domain := introFixture(t, openPerson("Hedda"+tag))
	me := ids[0]
	path := filepath.Join(t.TempDir(), "erasures.jsonl")
	j, err := journal.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	sc := testneo4j.Config(t)
	sc.ErasureJournal = j
	api := newTestAPIWith(t, testConfig(envProduction), &sc)
	if _, code, raw := api.mutate(as(me), `mutation { eraseMyProfile { consentsDeleted } }`, nil); code != "" {
		t.Fatalf("erase: %s %s", code, raw)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	if len(lines) != 1 || !regexp.MustCompile(`^\{"personId":"`+me+`","erasedAt":"[0-9T:.Z-]+"\}$`).MatchString(lines[0]) {
		t.Fatalf("journal %q: want one line with the id and the time only", raw)
	}

	// The restore of a backup taken before the erasure brings the person back.
	email := "hedda" + tag + ".0@" + domain
	fx.Person(t, fx.PersonSpec{ID: me, Name: "Hedda" + tag, GivenName: "Hedda" + tag, Email: email, EmailKey: email,
		Source: "DEMO", Demo: true, Visibility: "MEMBERS"})
	t.Cleanup(func() { fx.DeleteAuditEvents(t, fx.AuditFilter{TargetIDs: []string{me}}) })

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, _ := mustRun(t, ctx, "reapply-erasures", "--journal", path)
	if out != "reapply-erasures: 1 people in the journal, 1 erased again, 0 absent, 0 unreadable lines\n" {
		t.Fatalf("first run: %q", out)
	}
	if fx.PersonExists(t, me) {
		t.Fatal("the restored person is still there")
	}
	if found := fx.ValuesContaining(t, "hedda"+tag); len(found) != 0 {
		t.Fatalf("the restored person's name is still in the graph: %v", found)
	}
	erase := fx.AuditEvents(t, fx.AuditFilter{Actions: []string{"ERASE"}, TargetIDs: []string{me}})
	if len(erase) != 2 || erase[1].ActorRole != "SYSTEM" || !strings.HasPrefix(erase[1].Detail, "reason=journal ") {
		t.Fatalf("ERASE audit events %v: want the member's and then the system's with reason=journal", erase)
	}
	out, _ = mustRun(t, ctx, "reapply-erasures", "--journal", path)
	if out != "reapply-erasures: 1 people in the journal, 0 erased again, 1 absent, 0 unreadable lines\n" {
		t.Fatalf("second run: %q", out)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, raw) {
		t.Fatalf("reapplying changed the journal: %s", again)
	}

	// A damaged line is reported (and the command fails) after the others were applied; a missing
	// journal is an error, not "nothing to do".
	if err := os.WriteFile(path, append(raw, []byte("{\"personId\":\"cut-of\n")...), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := bridgeRun(t, ctx, "reapply-erasures", "--journal", path)
	if err == nil || !strings.Contains(out, "1 unreadable lines") || !strings.Contains(errOut, "unreadable lines: 2") {
		t.Fatalf("damaged journal: %v\n%s\n%s", err, out, errOut)
	}
	if _, _, err := bridgeRun(t, ctx, "reapply-erasures", "--journal", filepath.Join(t.TempDir(), "missing.jsonl")); err == nil {
		t.Fatal("a missing journal was accepted")
	}
}

// TestRetentionRunsInServe: serve runs the retention job at start (then every interval) beside
// the API, and logs the counts.
func TestRetentionRunsInServe(t *testing.T) {
	testneo4j.Prepared(t, nil)
	start := time.Now().UTC()
	var rid string
	logs := serveUntil(t, map[string]string{"BRIDGE_RETENTION_INTERVAL": "1h"}, func(string) {
		for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if events := fx.AuditEvents(t, fx.AuditFilter{Actions: []string{"RETENTION"}, Since: start}); len(events) > 0 {
				rid = events[0].RequestID
				return
			}
		}
	})
	if rid == "" {
		t.Fatalf("serve wrote no RETENTION audit event: %s", logs)
	}
	t.Cleanup(func() { fx.DeleteAuditEvents(t, fx.AuditFilter{RequestID: rid}) })
	if !strings.Contains(logs, `"msg":"retention run"`) || !strings.Contains(logs, `"erasure_journal":"`) {
		t.Fatalf("logs lack the retention run or the journal in the configuration: %s", logs)
	}
}
