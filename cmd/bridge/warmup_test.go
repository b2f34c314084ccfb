package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

func TestWarmUpBaseReachesTheListener(t *testing.T) {
	for addr, want := range map[string]string{
		"[::]:8080":      "http://127.0.0.1:8080",
		"0.0.0.0:8080":   "http://127.0.0.1:8080",
		"127.0.0.1:9000": "http://127.0.0.1:9000",
		"10.1.2.3:80":    "http://10.1.2.3:80",
		"[::1]:8080":     "http://[::1]:8080",
	} {
		tcp, err := net.ResolveTCPAddr("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := warmUpBase(tcp); got != want {
			t.Errorf("warmUpBase(%s) = %s, want %s", addr, got, want)
		}
	}
}

// TestWarmUpSendsWhatVisitorsSearchesSend: the warm-up loads its pages, and every kind of query a
// visitor's later searches send (other words, a country, a language, signed in or not) is one the
// warm-up sent before them. (Which statements Neo4j plans apart within a kind, by the size of the
// text, is TestWarmUpCoversEveryTextSizeClass's; whether they were planned shows only in time,
// measured in docs/performance.md, "The warm-up".)
func TestWarmUpSendsWhatVisitorsSearchesSend(t *testing.T) {
	a := newPatientAPI(t, testneo4j.Config(t)) // a fresh test Neo4j plans a text search for seconds
	var logs bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// As `bridge seed` leaves the database before `serve`: plans made on statistics that then
	// move are made again (Store.RefreshStatistics).
	if err := testneo4j.Prepared(t, nil).RefreshStatistics(ctx); err != nil {
		t.Fatal(err)
	}
	before := a.roundTripsByQuery()
	warmUpPages(ctx, a.srv.URL, a.srv.Client(), slog.New(slog.NewJSONHandler(&logs, nil)))
	if want := fmt.Sprintf(`"msg":"warmed up","pages":%d,"of":%[1]d`, len(warmUpPaths)); !strings.Contains(logs.String(), want) {
		t.Fatalf("the warm-up did not load its pages: %s", logs.String())
	}
	warmed := sentSince(before, a.roundTripsByQuery())
	if len(warmed) == 0 || !slices.ContainsFunc(warmed, func(q string) bool { return strings.Contains(q, "text") }) {
		t.Fatalf("the warm-up sent %v: no text search", warmed)
	}

	before = a.roundTripsByQuery()
	member := bridge.Principal{Role: bridge.RoleMember, PersonID: "warm-up-test-member"}
	for _, v := range []struct {
		path string
		who  bridge.Principal
	}{
		{"/search?q=arbetsmarknaden&lang=sv", bridge.Anonymous},
		{"/search?q=Malmo&country=NO", bridge.Anonymous},
		{"/search?q=kotoutuminen&country=FI&lang=fi", member},
		{"/search?q=spr%C3%A5k", member},
		{"/search?lang=da", bridge.Anonymous},
		{"/search?q=SFI&country=NO", bridge.Anonymous},
		{"/search?q=flykting", member},
		{"/search?q=nyanl%C3%A4nda+kvinnor", bridge.Anonymous},
		{"/search?country=IS", member},
	} {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.srv.URL+v.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if v.who.Role != bridge.RoleAnonymous {
			req.Header.Set(testPrincipalHeader, string(v.who.Role)+"|"+v.who.PersonID)
		}
		resp, err := a.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", v.path, resp.StatusCode)
		}
	}
	for _, q := range sentSince(before, a.roundTripsByQuery()) {
		if !slices.Contains(warmed, q) {
			t.Errorf("a visitor's search sent %s, which the warm-up (%v) did not", q, warmed)
		}
	}
}

// TestWarmUpCoversEveryTextSizeClass: the warm-up's texts are a word of each size class that
// Neo4j plans apart (up to 5 letters, 6–10, 11 and more), with and without a country.
func TestWarmUpCoversEveryTextSizeClass(t *testing.T) {
	class := func(word string) string {
		switch n := utf8.RuneCountInString(word); {
		case n <= 5:
			return "up to 5"
		case n <= 10:
			return "6 to 10"
		default:
			return "11 and more"
		}
	}
	have := map[string]bool{}
	for _, p := range warmUpPaths {
		u, err := url.Parse(p)
		if err != nil {
			t.Fatal(err)
		}
		if q := u.Query().Get("q"); q != "" {
			have[class(q)+", country "+fmt.Sprint(u.Query().Has("country"))] = true
		}
	}
	for _, c := range []string{"up to 5", "6 to 10", "11 and more"} {
		for _, country := range []bool{false, true} {
			if k := c + ", country " + fmt.Sprint(country); !have[k] {
				t.Errorf("no warm-up text of %s letters", k)
			}
		}
	}
}

// sentSince is the query names whose round trips grew from before to after, sorted.
func sentSince(before, after map[string]float64) []string {
	var out []string
	for _, q := range slices.Sorted(maps.Keys(after)) {
		if after[q] > before[q] {
			out = append(out, q)
		}
	}
	return out
}
