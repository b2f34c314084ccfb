package web

import (
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
)

// Paging back and forth over a forward-only API: each page's links carry the starts of the pages
// before it, so "previous" leads exactly one page back, and the filters stay as they were.
func TestPagerWalksBackThePagesItCameThrough(t *testing.T) {
	at := func(link string) (string, []string, url.Values) {
		t.Helper()
		u, err := url.Parse(link)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		return q.Get("after"), q["back"], q
	}
	first := httptest.NewRequest("GET", "/search?q=x&country=FI&country=SE", nil)
	p := pagerFor(first, true, "c1")
	if p.First != "" || p.Prev != "" || p.Next == "" {
		t.Fatalf("first page: %+v", p)
	}
	// Walk forward five pages, then back: each previous link is the page before.
	links := []string{first.URL.String()}
	next := p.Next
	for i := 2; i <= 5; i++ {
		links = append(links, next)
		r := httptest.NewRequest("GET", next, nil)
		p = pagerFor(r, true, "c"+strconv.Itoa(i))
		after, _, q := at(r.URL.String())
		if after != "c"+strconv.Itoa(i-1) || len(q["country"]) != 2 || q.Get("q") != "x" {
			t.Fatalf("page %d: %s", i, r.URL)
		}
		if p.First != "/search?country=FI&country=SE&q=x" {
			t.Errorf("page %d: first = %s", i, p.First)
		}
		wantPrev, _, _ := at(links[i-2])
		if gotPrev, _, _ := at(p.Prev); gotPrev != wantPrev {
			t.Errorf("page %d: previous starts after %q, want %q", i, gotPrev, wantPrev)
		}
		next = p.Next
	}
	// The last page has no next link.
	if p := pagerFor(httptest.NewRequest("GET", next, nil), false, "c9"); p.Next != "" || p.Prev == "" {
		t.Errorf("last page: %+v", p)
	}
	// The pages remembered are bounded.
	r := httptest.NewRequest("GET", "/x?after=z", nil)
	q := r.URL.Query()
	for i := range maxBack {
		q.Add("back", "b"+strconv.Itoa(i))
	}
	r.URL.RawQuery = q.Encode()
	if _, back, _ := at(pagerFor(r, true, "n").Next); len(back) != maxBack || back[maxBack-1] != "z" || back[0] != "b1" {
		t.Errorf("back after a long walk: %v", back)
	}
}
