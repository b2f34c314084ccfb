package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
)

// TestDeskRecordsAttendance: the secretariat picks an attendee by name, then uploads a list whose
// lines match one person, several people and nobody: nothing is recorded until it confirms the
// ticked ones; a list whose every line matches is recorded at once. Members do not find the page.
func TestDeskRecordsAttendance(t *testing.T) {
	store := seedSite(t)
	scope := fx.NewScope(t, "web-desk-attendance")
	picked := "Pickaby Attendant " + given
	twin := "Twinsby Attendant " + given
	listed := "Listby Attendant " + given
	emailed := "Mailby Attendant " + given
	ids := map[string]string{}
	for key, spec := range map[string]fx.PersonSpec{
		"picked": {Name: picked}, "twin-a": {Name: twin, Title: "Adviser"}, "twin-b": {Name: twin, Title: "Planner"},
		"listed": {Name: listed}, "emailed": {Name: emailed, Email: "mailby." + strings.ToLower(given) + "@attendance.example.org"},
	} {
		spec.ID = scope.ID(key)
		spec.GivenName, spec.FamilyName, _ = strings.Cut(spec.Name, " ")
		spec.EmailKey = bridge.EmailKey(spec.Email)
		fx.Person(t, spec)
		ids[key] = gid("Person", spec.ID)
	}
	desk := siteFor(t, store, secretariatPrincipal)

	p := get(t, desk, "/events", "en")
	_, pastPart, _ := strings.Cut(p.body, `id="events-past"`)
	m := regexp.MustCompile(`href="/events/([^"]+)"`).FindStringSubmatch(pastPart)
	if m == nil {
		t.Fatal("no past event listed")
	}
	page := "/desk/events/" + m[1] + "/attendance"
	if p := get(t, desk, "/desk/events", "en"); p.status != http.StatusOK || !strings.Contains(p.body, `href="`+page+`"`) {
		t.Fatalf("/desk/events answers %d without the event's attendance page", p.status)
	}
	if p := get(t, siteFor(t, store, member(scope.ID("picked"))), page, "en"); p.status != http.StatusNotFound {
		t.Fatalf("a member finds the attendance page: %d", p.status)
	}

	// Pick: a name search offers checkboxes; the ticked person is recorded.
	p = get(t, desk, page+"?q="+url.QueryEscape(picked), "en")
	if !strings.Contains(p.body, `name="person" value="`+ids["picked"]+`"`) {
		t.Fatal("the name search does not offer the person to tick")
	}
	if r := postForm(t, desk, page, url.Values{"action": {"record"}, "person": {ids["picked"]}}); r.status != http.StatusSeeOther {
		t.Fatalf("recording the picked person answers %d", r.status)
	}
	if p := get(t, desk, page, "en"); !strings.Contains(p.body, picked) {
		t.Fatalf("the picked person is not listed as an attendee: %s", p.body[strings.Index(p.body, `id="attendees"`):])
	}

	// Upload with an ambiguous and an unmatched line: nothing recorded, a report to confirm.
	list := "email\n" + "MAILBY." + strings.ToUpper(given) + "@attendance.example.org\n" + twin + "\nNobody Suchperson " + given + "\n"
	r := postForm(t, desk, page, url.Values{"action": {"upload"}, "list": {list}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("a list with unresolved lines answers %d", r.status)
	}
	for _, want := range []string{`value="` + ids["emailed"] + `" id="line-0" checked`, `id="ambiguous-1"`, `value="` + ids["twin-a"] + `"`, `value="` + ids["twin-b"] + `"`,
		`id="unmatched-2"`, "Nobody Suchperson " + given, `id="confirm-record"`} {
		if !strings.Contains(r.body, want) {
			t.Fatalf("the upload's report lacks %s", want)
		}
	}
	if p := get(t, desk, page, "en"); strings.Contains(p.body, emailed) || strings.Contains(p.body, twin) {
		t.Fatal("a list with unresolved lines recorded someone before the secretariat confirmed")
	}
	// Confirm the matched one and the right twin.
	if r := postForm(t, desk, page, url.Values{"action": {"record"}, "person": {ids["emailed"], ids["twin-b"]}}); r.status != http.StatusSeeOther {
		t.Fatalf("confirming answers %d", r.status)
	}
	p = get(t, desk, page, "en")
	if !strings.Contains(p.body, `href="/people/`+ids["emailed"]+`"`) || !strings.Contains(p.body, `href="/people/`+ids["twin-b"]+`"`) || strings.Contains(p.body, `href="/people/`+ids["twin-a"]+`"`) {
		t.Fatal("the confirmed people are not exactly the ones recorded")
	}

	// A list whose every line matches one person is recorded at once.
	if r := postForm(t, desk, page, url.Values{"action": {"upload"}, "list": {listed + ",extra column\n"}}); r.status != http.StatusSeeOther {
		t.Fatalf("a fully matched list answers %d", r.status)
	}
	if p := get(t, desk, page+"?done=1", "en"); !strings.Contains(p.body, `href="/people/`+ids["listed"]+`"`) || !strings.Contains(p.body, "Recorded: 1 people.") {
		t.Fatal("the fully matched list was not recorded")
	}
}
