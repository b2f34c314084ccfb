package web

import "net/http"

// person is one profile as the viewer may see it (signed out: only people who chose to be
// public), never with contact details. A signed-in viewer with a profile also sees the warm
// paths to the person and the form to ask for an introduction (introductions.go).
func (a *App) person(w http.ResponseWriter, r *http.Request) {
	a.showPerson(w, r, idParam(r), nil, http.StatusOK)
}

// showPerson renders the person page; ask is the introduction form as the visitor sent it back
// with an error (nil: a fresh form).
func (a *App) showPerson(w http.ResponseWriter, r *http.Request, id string, ask *askForm, status int) {
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "Person", map[string]any{"id": id, "lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	p := object(data, "person")
	if p == nil {
		a.fail(w, r, errNotFound)
		return
	}
	offer, err := a.introductionOffer(r, p, ask)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, status, "person", "search", p["name"].(string), map[string]any{"Person": p, "Offer": offer})
}
