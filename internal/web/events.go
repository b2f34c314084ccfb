package web

import "net/http"

// events lists the programme's seminars and conferences, newest first as the API orders them.
func (a *App) events(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "Events", map[string]any{"lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "events", "events", l.T("events.title"), map[string]any{"Events": list(data, "events")})
}

// event is one event: when and where, its themes and the attendees the viewer may see.
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
	a.render(w, r, http.StatusOK, "event", "events", e["name"].(string), map[string]any{"Event": e, "Pager": peoplePager(r, object(e, "attendees"))})
}
