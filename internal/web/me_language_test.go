package web_test

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/fx"
)

// TestFirstVisitFormSetsTheLanguageOfTheEmails: the profile the first visit's form creates asks
// Bridge to write to the person in the language they use the site in, whether they chose it with
// the chooser (its cookie) or their browser asked for it.
func TestFirstVisitFormSetsTheLanguageOfTheEmails(t *testing.T) {
	for _, tc := range []struct {
		name, cookie, acceptLanguage, want string
	}{
		{"chooser", "fi", "en", "fi"},
		{"browser", "", "is,en;q=0.5", "is"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			subject := "first-visit-lang-" + tc.name
			srv, store := newSiteSignedIn(t, subject)
			// A name of its own, and visible to the secretariat only, so that no other test meets
			// this person.
			name := []byte("Kielo")
			for _, n := range rand.Perm(26)[:6] {
				name = append(name, byte('a'+n))
			}
			form := firstVisit()
			form.Set("givenName", string(name))
			form.Del("visibility")
			req, err := http.NewRequest(http.MethodPost, srv.URL+"/me/create", strings.NewReader(form.Encode()))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Accept-Language", tc.acceptLanguage)
			if tc.cookie != "" {
				req.AddCookie(&http.Cookie{Name: "bridge_lang", Value: tc.cookie})
			}
			client := *srv.Client()
			client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("creating answers %d: %s", resp.StatusCode, body)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			id, err := store.PersonForAccount(ctx, "https://signin.web-test.example.org", subject+"-"+given)
			if err != nil || id == "" {
				t.Fatalf("no person for the account: %q, %v", id, err)
			}
			if got := fx.StoredPerson(t, id)["language"]; got != tc.want {
				t.Fatalf("stored language %v, want %s", got, tc.want)
			}
		})
	}
}
