package main

import (
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// TestReminderThenExpiry: a party who has not answered a proposed introduction is reminded once,
// BRIDGE_INTRODUCTION_REMINDER before it expires (the one who answered is not); after the TTL it
// expires, both hear "not possible", and a late answer is a CONFLICT. The worker of `serve` runs
// the same Remind and Expire.
func TestReminderThenExpiry(t *testing.T) {
	ids, _ := introFixture(t, openPerson("Ylva"), openPerson("Yrsa"))
	a, b := ids[0], ids[1]
	api := newTestAPI(t, envProduction, nil)
	intro := propose(t, api, a, b, a) // A accepts, B does not answer
	key := introKey(t, intro.ID)
	workflow := newIntroductions(testConfig(envProduction), testneo4j.Prepared(t, nil))
	remind := func() {
		t.Helper()
		if _, err := workflow.Remind(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	setExpiry := func(offset string) {
		fx.SetIntroductionExpiry(t, key, offset)
	}

	// Fresh (14 days left): no reminder yet.
	remind()
	if n := notifications(t, key); n[b+"/"+bridge.NotificationReminder] != 0 {
		t.Fatalf("reminded with 14 days left: %v", n)
	}
	// Two days left (the lead is three): B, who has not answered, is reminded; A is not.
	setExpiry("P2D")
	remind()
	remind() // once only
	if n := notifications(t, key); n[b+"/"+bridge.NotificationReminder] != 1 || n[a+"/"+bridge.NotificationReminder] != 0 {
		t.Fatalf("after the reminder lead: %v, want one reminder to B only", n)
	}
	// Past expiry: EXPIRED, both told it is not possible, B's late answer is a CONFLICT.
	setExpiry("-PT1M")
	if _, err := workflow.Expire(t.Context()); err != nil {
		t.Fatal(err)
	}
	if s := fx.IntroductionStatus(t, key); s != "EXPIRED" {
		t.Fatalf("status after expiry: %q", s)
	}
	if n := notifications(t, key); n[a+"/"+bridge.NotificationIntroductionNotPossible] != 1 || n[b+"/"+bridge.NotificationIntroductionNotPossible] != 1 {
		t.Errorf("after expiry: %v, want NOT_POSSIBLE to both", n)
	}
	if _, code, _ := api.mutate(as(b), mAccept, map[string]any{"id": intro.ID}); code != string(bridge.CodeConflict) {
		t.Errorf("late answer: %q, want CONFLICT", code)
	}
}
