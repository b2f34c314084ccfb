package web

import "net/http"

// groups lists the programme's expert groups and networks with their themes.
func (a *App) groups(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "Groups", map[string]any{"lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "groups", "groups", l.T("groups.title"), map[string]any{"Groups": list(data, "expertGroups")})
}

// group is one expert group: description, themes and the members the viewer may see.
func (a *App) group(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	after, err := a.peopleAfter(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	data, err := a.run(r.Context(), "Group", map[string]any{"id": idParam(r), "lang": l.Lang, "after": after})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	g := object(data, "expertGroup")
	if g == nil {
		a.fail(w, r, errNotFound)
		return
	}
	a.render(w, r, http.StatusOK, "group", "groups", g["name"].(string), map[string]any{"Group": g, "Pager": peoplePager(r, object(g, "members"))})
}
