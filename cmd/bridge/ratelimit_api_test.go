package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// TestRateLimitPerCaller: over BRIDGE_RATE_LIMIT requests a minute a caller gets HTTP 429 with
// RATE_LIMITED and Retry-After; each signed-in person has a bucket of their own, anonymous
// callers share their IP's.
func TestRateLimitPerCaller(t *testing.T) {
	cfg := testConfig(envProduction)
	cfg.RateLimit = 3
	api := newTestAPIWith(t, cfg, nil)
	ask := func(who bridge.Principal) (int, string) {
		t.Helper()
		status, resp, raw := api.queryAs(who, `{ countries { code } }`)
		code := ""
		if len(resp.Errors) > 0 {
			code, _ = resp.Errors[0].Extensions["code"].(string)
		}
		if status == http.StatusOK && (code != "" || !strings.Contains(raw, `"SE"`)) {
			t.Fatalf("allowed request failed: %s", raw)
		}
		return status, code
	}
	a := bridge.Principal{Role: bridge.RoleMember, PersonID: "rate-limit-a"}
	b := bridge.Principal{Role: bridge.RoleMember, PersonID: "rate-limit-b"}
	for i := range 3 {
		if status, _ := ask(a); status != http.StatusOK {
			t.Fatalf("request %d of 3: HTTP %d", i+1, status)
		}
	}
	if status, code := ask(a); status != http.StatusTooManyRequests || code != string(bridge.CodeRateLimited) {
		t.Fatalf("4th request: HTTP %d %q, want 429 RATE_LIMITED", status, code)
	}
	if status, _ := ask(b); status != http.StatusOK {
		t.Fatalf("another person is limited by the first one's requests: HTTP %d", status)
	}
	for range 3 {
		ask(bridge.Anonymous)
	}
	if status, code := ask(bridge.Anonymous); status != http.StatusTooManyRequests || code != string(bridge.CodeRateLimited) {
		t.Fatalf("anonymous 4th request: HTTP %d %q, want 429 RATE_LIMITED", status, code)
	}
	// Retry-After tells the client when to come back.
	req, _ := http.NewRequest(http.MethodPost, api.srv.URL+"/graphql", strings.NewReader(`{"query":"{ countries { code } }"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("HTTP %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}
