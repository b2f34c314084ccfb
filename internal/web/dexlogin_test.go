package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/browsertest"
	"github.com/nordic-integration/bridge/internal/testoidc"
)

// dexSignIn signs in on Dex's login page, where p must be, as the demo user of role, with the
// keyboard: it waits until the page has put the focus on the e-mail field (autofocus; on a busy
// machine the first keys would otherwise be lost), types the e-mail, Tab, the password, Enter,
// and fails the test unless the page after it answers 200.
func dexSignIn(t *testing.T, p *browsertest.Page, role string) {
	t.Helper()
	if loc := p.Location(); !strings.Contains(loc, "/dex/auth/local") {
		t.Fatalf("expected Dex's login page, at %s", loc)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.HasPrefix(p.Focused(), "input") {
		if time.Now().After(deadline) {
			t.Fatalf("Dex's login page never put the focus on a field (focus: %q)", p.Focused())
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.Type(testoidc.Users[role].Email)
	p.Press(browsertest.Tab)
	p.Type(testoidc.Users[role].Password)
	if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK {
		t.Fatalf("after signing in as %s: HTTP %d at %s", role, status, p.Location())
	}
}
