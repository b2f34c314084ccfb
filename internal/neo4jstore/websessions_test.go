package neo4jstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/auth"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testneo4j"
	"github.com/nordic-integration/bridge/internal/websession"
)

// randomKey is a store key of the test's own (the stores hold SHA-256 hex keys).
func randomKey(t *testing.T) string {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// TestWebSessionsInTheGraph: what websession.MemoryStore does for one instance, the graph does
// for several (two handles on the store stand for two instances): a session written by one is
// read, touched and deleted by the other; an expired one is not returned; a pending sign-in is
// taken once, also when two instances take it at the same moment.
func TestWebSessionsInTheGraph(t *testing.T) {
	a, b := testneo4j.Prepared(t, nil).WebSessions(), testneo4j.Prepared(t, nil).WebSessions()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Millisecond)

	key := randomKey(t)
	want := websession.Session{Identity: auth.Identity{Issuer: "https://idp.example.org", Subject: "sub-1", Email: "ana@example.org",
		EmailVerified: true, Role: bridge.RoleMember, Name: "Ana"}, CSRFToken: "csrf-1",
		Expires: now.Add(12 * time.Hour), IdleExpires: now.Add(time.Hour)}
	if err := a.PutSession(ctx, key, want); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.DeleteSession(context.Background(), key) })
	got, ok, err := b.Session(ctx, key)
	if err != nil || !ok || got != want {
		t.Fatalf("the other instance reads %+v, %v, %v; want %+v", got, ok, err, want)
	}
	if err := b.TouchSession(ctx, key, now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := a.Session(ctx, key); !got.IdleExpires.Equal(now.Add(2 * time.Hour)) {
		t.Fatalf("after a touch the idle deadline is %s", got.IdleExpires)
	}
	if err := b.TouchSession(ctx, key, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := a.Session(ctx, key); !got.IdleExpires.Equal(now.Add(2 * time.Hour)) {
		t.Fatalf("a touch moved the idle deadline back to %s", got.IdleExpires)
	}
	if err := a.DeleteSession(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := b.Session(ctx, key); ok || err != nil {
		t.Fatalf("a deleted session is still there (%v)", err)
	}

	expired := randomKey(t)
	idleGone := want
	idleGone.IdleExpires = now.Add(-time.Second)
	if err := a.PutSession(ctx, expired, idleGone); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.DeleteSession(context.Background(), expired) })
	if _, ok, _ := b.Session(ctx, expired); ok {
		t.Fatal("a session past its idle deadline is returned")
	}
	if err := a.PutSession(ctx, randomKey(t), want); err != nil { // a write sweeps
		t.Fatal(err)
	}
	if _, ok, _ := b.Session(ctx, expired); ok {
		t.Fatal("the expired session is still there after a sweep")
	}

	pending := randomKey(t)
	p := websession.Pending{State: "state-1", Nonce: "nonce-1", Verifier: "verifier-1", Return: "/peers", Expires: now.Add(10 * time.Minute)}
	if err := a.PutPending(ctx, pending, p); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	taken := 0
	for _, s := range []websession.Store{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, ok, err := s.TakePending(ctx, pending)
			if err != nil {
				t.Errorf("take: %v", err)
			}
			if ok {
				mu.Lock()
				taken++
				mu.Unlock()
				if got != p {
					t.Errorf("took %+v, want %+v", got, p)
				}
			}
		}()
	}
	wg.Wait()
	if taken != 1 {
		t.Fatalf("a pending sign-in was taken %d times, want once", taken)
	}

	late := randomKey(t)
	p.Expires = now.Add(-time.Second)
	if err := a.PutPending(ctx, late, p); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := b.TakePending(ctx, late); ok {
		t.Fatal("an expired pending sign-in was taken")
	}
}
