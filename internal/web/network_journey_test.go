package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/browsertest"
	"github.com/nordic-integration/bridge/internal/testoidc"
)

// TestSecretariatReadsTheNetworkMapInTheBrowser: the Dex demo secretariat signs in with the
// keyboard, goes from the desk to the map of the network, counts by theme, and downloads the
// coverage CSV, in English and Finnish; every page is scanned with axe and photographed.
func TestSecretariatReadsTheNetworkMapInTheBrowser(t *testing.T) {
	testoidc.Env(t)
	store := seedSite(t)
	srv := signedInSite(t, introConfig(), store)
	b := browsertest.Start(t)
	titles := map[string]string{"en": "Map of the network", "fi": "Verkoston kartta"}
	for _, lang := range []string{"en", "fi"} {
		t.Run(lang, func(t *testing.T) {
			p := b.NewUser(lang)
			p.Navigate(srv.URL + "/desk")
			dexSignIn(t, p, "secretariat")
			browsertest.Eval[bool](p, `(document.getElementById("desk-network").focus(), true)`)
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK || !strings.HasSuffix(p.Location(), "/desk/network") {
				t.Fatalf("the desk's link: HTTP %d at %s", status, p.Location())
			}
			if got := p.Text("h1"); got != titles[lang] {
				t.Fatalf("h1 %q, want %q", got, titles[lang])
			}
			if got := p.Text("#network-table thead"); !strings.Contains(got, "GL") || !strings.Contains(got, "AX") {
				t.Fatalf("the table's countries: %q", got)
			}
			p.Screenshot("network")
			p.CheckAccessibility()

			// Count by theme: choose with the keyboard on the select, send with Enter.
			browsertest.Eval[bool](p, `(document.getElementById("network-by").focus(), true)`)
			p.Press(browsertest.ArrowDown) // KIND → THEME
			browsertest.Eval[bool](p, `(document.getElementById("network-apply").focus(), true)`)
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK || !strings.Contains(p.Location(), "by=THEME") {
				t.Fatalf("counting by theme: HTTP %d at %s", status, p.Location())
			}
			p.Screenshot("network-themes")
			p.CheckAccessibility()

			browsertest.Eval[bool](p, `(document.getElementById("network-csv").focus(), true)`)
			name, content := p.PressAndDownload(browsertest.Enter)
			if name != "network-coverage.csv" || !strings.HasPrefix(string(content), "dimension,key,label,country,people,organisations") ||
				!strings.Contains(string(content), "\nKIND,MINISTRY,") {
				t.Fatalf("downloaded %q: %.300s", name, content)
			}
		})
	}
}
