package web

import "net/http"

// practices lists good practices, projects and publications, filtered by text and theme.
func (a *App) practices(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	text, theme := param(r, "q"), param(r, "theme")
	filter := map[string]any{}
	if text != "" {
		filter["text"] = text
	}
	if theme != "" {
		filter["themes"] = []string{theme}
	}
	data, err := a.run(r.Context(), "Practices", map[string]any{"lang": l.Lang, "filter": filter})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "practices", "practices", l.T("practices.title"), map[string]any{
		"Practices": list(data, "practices"), "Themes": list(data, "themes"), "Q": text, "Theme": theme})
}
