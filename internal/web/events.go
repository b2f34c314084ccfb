package web

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// events lists the programme's seminars and conferences in two parts: the upcoming ones (an event
// not yet over), soonest first, and the past ones, newest first as the API orders them.
func (a *App) events(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "Events", map[string]any{"lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	upcoming, past := splitEvents(list(data, "events"), today())
	a.render(w, r, http.StatusOK, "events", "events", l.T("events.title"), map[string]any{"Upcoming": upcoming, "Past": past})
}

// today is the current date in UTC as an ISO date, the form the API's Date scalar takes.
func today() string { return time.Now().UTC().Format(time.DateOnly) }

// splitEvents parts events (newest first) into those whose end date is today or later, soonest
// first, and the others in the order given. ISO dates compare as strings.
func splitEvents(events []map[string]any, today string) (upcoming, past []map[string]any) {
	for _, e := range events {
		if end, _ := e["endDate"].(string); end >= today {
			upcoming = append(upcoming, e)
		} else {
			past = append(past, e)
		}
	}
	slices.Reverse(upcoming)
	return upcoming, past
}

// event is one event: when and where, its themes and the attendees the viewer may see. A signed-in
// member with a profile sees, once the event has started, "I attended" or "take it back".
func (a *App) event(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	after, err := a.peopleAfter(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	data, err := a.run(r.Context(), "Event", map[string]any{"id": idParam(r), "lang": l.Lang, "after": after})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	e := object(data, "node")
	if e == nil || e["name"] == nil {
		a.fail(w, r, errNotFound) // no such id, or an id of something that is not an event
		return
	}
	page := map[string]any{"Event": e, "Pager": peoplePager(r, object(e, "attendees")), "Done": r.URL.Query().Get("done")}
	if start, _ := e["startDate"].(string); start <= today() {
		mine, err := a.myAttendance(r, e["id"].(string))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		page["Mine"] = mine
		end, _ := e["endDate"].(string)
		page["Ended"] = end < today()
	}
	a.render(w, r, http.StatusOK, "event", "events", e["name"].(string), page)
}

// myAttendance is "" for a visitor without a profile, else "attended" or "absent" by whether the
// signed-in person's events include the event.
func (a *App) myAttendance(r *http.Request, event string) (string, error) {
	if bridge.PrincipalFrom(r.Context()).PersonID == "" {
		return "", nil
	}
	data, err := a.run(r.Context(), "MyEvents", nil)
	if err != nil {
		return "", err
	}
	me := object(data, "me")
	if me == nil {
		return "", nil
	}
	for _, ev := range list(me, "events") {
		if ev["id"] == event {
			return "attended", nil
		}
	}
	return "absent", nil
}

// markAttendance answers the event page's "I attended" (attended=true) or "take it back" form
// with markMyAttendance, then 303 back to the event.
func (a *App) markAttendance(w http.ResponseWriter, r *http.Request) {
	attended := r.PostForm.Get("attended") == "true"
	_, err := a.run(r.Context(), "MarkMyAttendance", map[string]any{"event": idParam(r), "attended": attended})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	done := "unmarked"
	if attended {
		done = "marked"
	}
	http.Redirect(w, r, "/events/"+url.PathEscape(idParam(r))+"?done="+done+"#attendance", http.StatusSeeOther)
}
