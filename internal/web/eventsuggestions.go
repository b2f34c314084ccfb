package web

import "net/http"

// eventSuggestions is the signed-in attendee's page of suggestions at an event, where the
// EVENT_SUGGESTIONS e-mail leads: the other attendees they may see and suggest who work on their
// themes (read now, through the API), the themes they share, and a link to ask for an
// introduction on each person's page. Without a profile, before the event has ended, or for a
// person who did not attend, the page says why it lists nobody.
func (a *App) eventSuggestions(w http.ResponseWriter, r *http.Request) {
	if !a.signInFirst(w, r) {
		return
	}
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "EventSuggestions", map[string]any{"id": idParam(r), "lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	e := object(data, "node")
	if e == nil || e["name"] == nil {
		a.fail(w, r, errNotFound) // no such id, or an id of something that is not an event
		return
	}
	me := object(data, "me")
	attended := false
	for _, ev := range list(me, "events") {
		attended = attended || ev["id"] == e["id"]
	}
	end, _ := e["endDate"].(string)
	a.render(w, r, http.StatusOK, "eventsuggestions", "events", l.T("eventsuggestions.title"), map[string]any{
		"Event": e, "NoProfile": me == nil, "Attended": attended, "Ended": end < today(),
		"Suggestions": list(e, "suggestionsForMe")})
}
