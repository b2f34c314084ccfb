package web

import "net/http"

// municipalities lists municipalities by country and name, 50 a page (the API's cursors).
func (a *App) municipalities(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	text, country, region := param(r, "q"), param(r, "country"), param(r, "region")
	filter := map[string]any{}
	if text != "" {
		filter["text"] = text
	}
	if country != "" {
		filter["country"] = country
	}
	if region != "" {
		filter["region"] = region
	}
	data, err := a.run(r.Context(), "Municipalities", map[string]any{"filter": filter, "after": optional(param(r, "after"))})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "municipalities", "countries", l.T("municipalities.title"), map[string]any{
		"Result": object(data, "municipalities"), "Countries": list(data, "countries"), "Q": text, "Country": country,
		"Region": region, "Pager": cursorPager(r, object(data, "municipalities"))})
}

// municipality is one municipality: its names, region, population and the people the viewer may
// see who are based there.
func (a *App) municipality(w http.ResponseWriter, r *http.Request) {
	after, err := a.peopleAfter(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	data, err := a.run(r.Context(), "Municipality", map[string]any{"id": idParam(r), "after": after})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	m := object(data, "municipality")
	if m == nil {
		a.fail(w, r, errNotFound)
		return
	}
	a.render(w, r, http.StatusOK, "municipality", "countries", m["name"].(string), map[string]any{"Municipality": m, "Pager": peoplePager(r, object(m, "people"))})
}
