package web

import "net/http"

// themes lists the vocabulary: each broad theme with its narrower ones, in the viewer's language.
func (a *App) themes(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "Themes", map[string]any{"lang": l.Lang})
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
	a.render(w, r, http.StatusOK, "themes", "themes", l.T("themes.title"), map[string]any{"Themes": broad})
}

// theme is one theme: its description, its labels in every language, broader and narrower
// themes, and the people the viewer may see who work on it.
func (a *App) theme(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	after, err := a.peopleAfter(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	data, err := a.run(r.Context(), "Theme", map[string]any{"id": idParam(r), "lang": l.Lang, "after": after})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	t := object(data, "theme")
	if t == nil {
		a.fail(w, r, errNotFound)
		return
	}
	a.render(w, r, http.StatusOK, "theme", "themes", t["label"].(string), map[string]any{"Theme": t, "Pager": peoplePager(r, object(t, "people"))})
}
