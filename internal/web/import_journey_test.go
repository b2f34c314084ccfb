package web_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nordic-integration/bridge/internal/browsertest"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/internal/testoidc"
)

// TestSecretariatImportsAFileInTheBrowser is /desk/import in a real browser, in English and
// Swedish: the Dex demo secretariat signs in with the keyboard, uploads a file of two people
// whose second row misspells its municipality ("Malmo"), sees that row's line, column and the
// suggestion Malmö (SE-1280), takes the suggestion, applies the file and sees the counts; both
// people are then in Bridge with the municipality resolved. Every page is scanned with axe and
// photographed.
func TestSecretariatImportsAFileInTheBrowser(t *testing.T) {
	testoidc.Env(t)
	store := seedSite(t)
	srv := signedInSite(t, introConfig(), store)
	b := browsertest.Start(t)
	since := time.Now().UTC().Add(-time.Second)
	const domain = "@imp-web.example.org"
	clean := func() {
		fx.DeletePeople(t, domain)
		fx.DeleteAuditEvents(t, fx.AuditFilter{Actions: []string{"IMPORT"}, Since: since})
	}
	clean()
	t.Cleanup(clean)
	words := map[string]map[string]string{
		"en": {"summary": "2 rows, 1 problems.", "use": "Use Malmö (SE-1280)", "ready": "No problems: 2 rows are ready", "done": "2 created, 0 updated"},
		"sv": {"summary": "2 rader, 1 problem.", "use": "Använd Malmö (SE-1280)", "ready": "Inga problem: 2 rader är klara", "done": "2 skapade, 0 uppdaterade"},
	}
	for _, lang := range []string{"en", "sv"} {
		t.Run(lang, func(t *testing.T) {
			w := words[lang]
			file := filepath.Join(t.TempDir(), "people.csv")
			text := "E-mail,Given name,Family name,Country,Municipality,Themes\n" +
				"ines-" + lang + domain + ",Ines,Import (example),SE,Malmö,Hälsa:OFFERS\n" +
				"ivar-" + lang + domain + ",Ivar,Import (example),SE,Malmo,health:SEEKS\n"
			if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			p := b.NewUser(lang)
			p.Navigate(srv.URL + "/desk/import")
			dexSignIn(t, p, "secretariat")
			if loc := p.Location(); !strings.HasSuffix(loc, "/desk/import") {
				t.Fatalf("after signing in the secretariat is at %s", loc)
			}
			p.Screenshot("import-upload")
			p.CheckAccessibility()

			browsertest.Run(p, "choose the file", chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{file}))
			browsertest.Eval[bool](p, `(document.getElementById("import-check").focus(), true)`)
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK || !strings.Contains(p.Location(), "/desk/import/") {
				t.Fatalf("upload: HTTP %d at %s", status, p.Location())
			}
			if got := p.Text("#import-summary"); got != w["summary"] {
				t.Errorf("summary %q, want %q", got, w["summary"])
			}
			row := p.Text("#problem-0")
			if !strings.Contains(row, "3") || !strings.Contains(row, "municipality") || !strings.Contains(row, `"Malmo"`) {
				t.Fatalf("the bad row: %q", row)
			}
			if got := p.Text("#use-0-0"); got != w["use"] {
				t.Fatalf("suggestion %q, want %q", got, w["use"])
			}
			p.Screenshot("import-problems")
			p.CheckAccessibility()

			// Take the suggestion with the keyboard: the cell is rewritten and the file checked again.
			browsertest.Eval[bool](p, `(document.getElementById("use-0-0").focus(), true)`)
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK {
				t.Fatalf("use the suggestion: HTTP %d", status)
			}
			if got := p.Text("#import-apply"); !strings.Contains(got, w["ready"]) {
				t.Fatalf("after the fix: %q", got)
			}
			p.Screenshot("import-ready")
			p.CheckAccessibility()

			browsertest.Eval[bool](p, `(document.getElementById("import-apply-button").focus(), true)`)
			if status := p.PressAndWait(browsertest.Enter); status != http.StatusOK {
				t.Fatalf("apply: HTTP %d", status)
			}
			if got := p.Text("#import-result"); !strings.HasPrefix(got, w["done"]) {
				t.Fatalf("result %q, want %q…", got, w["done"])
			}
			p.Screenshot("import-done")
			p.CheckAccessibility()

			found := importedPeople(t, store, "-"+lang+domain)
			if len(found) != 2 || found["ivar-"+lang+domain] != "SE-1280" || found["ines-"+lang+domain] != "SE-1280" {
				t.Errorf("imported people and their municipalities: %v", found)
			}
		})
	}
}

// importedPeople maps the e-mails ending in suffix to their municipality, read through the
// store's export.
func importedPeople(t *testing.T, store *neo4jstore.Store, suffix string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for after := ""; ; {
		people, err := store.ExportPeople(context.Background(), neo4jstore.ExportFilter{}, after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(people) == 0 {
			return out
		}
		for _, p := range people {
			if strings.HasSuffix(p.Email, suffix) {
				out[p.Email] = p.MunicipalityID
			}
		}
		after = people[len(people)-1].ID
	}
}
