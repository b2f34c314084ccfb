package web

import "net/http"

// home is the front page: what Bridge is, the broad themes and the expert groups as ways in, and
// how many people chose to be visible to this viewer.
func (a *App) home(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "Home", map[string]any{"lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var broad []map[string]any
	for _, t := range list(data, "themes") {
		if len(list(t, "broader")) == 0 {
			broad = append(broad, t)
		}
	}
	a.render(w, r, http.StatusOK, "home", "home", l.T("home.title"), map[string]any{
		"Themes": broad, "Groups": list(data, "expertGroups"), "People": object(data, "people")["totalCount"],
	})
}
