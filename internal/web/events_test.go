package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestIAttended: a signed-in member says they attended a past event and takes it back; the page
// offers the other form each time, and the attendee list follows.
func TestIAttended(t *testing.T) {
	srv, _ := newSiteSignedIn(t, "attended")
	p := get(t, srv, "/events", "en")
	if p.status != http.StatusOK || !strings.Contains(p.body, `id="events-upcoming"`) || !strings.Contains(p.body, `id="events-past"`) {
		t.Fatalf("/events answers %d without the upcoming and past parts", p.status)
	}
	_, pastPart, _ := strings.Cut(p.body, `id="events-past"`)
	m := regexp.MustCompile(`href="/events/([^"]+)"`).FindStringSubmatch(pastPart)
	if m == nil {
		t.Fatal("no past event listed (the seed has past events)")
	}
	path := "/events/" + m[1]

	// Without a profile there is nothing to mark.
	if p := get(t, srv, path, "en"); strings.Contains(p.body, `id="mark-attended"`) {
		t.Fatal("a visitor without a profile is offered \"I attended\"")
	}
	createProfileWith(t, srv, firstVisit())
	p = get(t, srv, path, "en")
	if !strings.Contains(p.body, `id="mark-attended"`) || strings.Contains(p.body, `id="unmark-attended"`) {
		t.Fatal("a member who has not said so is not offered \"I attended\" on a past event")
	}
	if r := postForm(t, srv, path+"/attendance", url.Values{"attended": {"true"}}); r.status != http.StatusSeeOther {
		t.Fatalf("I attended answers %d", r.status)
	}
	p = get(t, srv, path+"?done=marked", "en")
	if !strings.Contains(p.body, `id="unmark-attended"`) || !strings.Contains(p.body, "Noted: you attended this event.") || !strings.Contains(p.body, given) {
		t.Fatal("after I attended the page neither offers to take it back nor lists the member")
	}
	if r := postForm(t, srv, path+"/attendance", url.Values{"attended": {"false"}}); r.status != http.StatusSeeOther {
		t.Fatalf("take it back answers %d", r.status)
	}
	p = get(t, srv, path, "en")
	if !strings.Contains(p.body, `id="mark-attended"`) || strings.Contains(p.body, given) {
		t.Fatal("after taking it back the page still lists the member, or does not offer I attended again")
	}
}
