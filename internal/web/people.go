package web

import "net/http"

// person is one profile as the viewer may see it (signed out: only people who chose to be
// public), never with contact details.
func (a *App) person(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "Person", map[string]any{"id": idParam(r), "lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	p := object(data, "person")
	if p == nil {
		a.fail(w, r, errNotFound)
		return
	}
	a.render(w, r, http.StatusOK, "person", "search", p["name"].(string), map[string]any{"Person": p})
}
