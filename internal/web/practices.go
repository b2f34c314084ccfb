package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/nordic-integration/bridge/internal/bridge"
)

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

// practice is one knowledge item: what it is, its themes and countries, the organisations and
// municipalities behind it and the people behind it whom the viewer may see (the API lists them
// as every list of people: signed out, only those who chose to be public). A signed-in viewer
// with a profile gets, for each of them who takes introductions, a link to ask to be
// introduced: the person page's own form (introductions.go), with the practice's theme that the
// person works on chosen.
func (a *App) practice(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	after, err := a.peopleAfter(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	data, err := a.run(r.Context(), "Practice", map[string]any{"id": idParam(r), "lang": l.Lang, "after": after})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	p := object(data, "practice")
	if p == nil {
		a.fail(w, r, errNotFound)
		return
	}
	asks, noProfile, err := a.practiceAsks(r, p)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "practice", "practices", fmt.Sprint(p["title"]), map[string]any{
		"Practice": p, "Asks": asks, "NoProfile": noProfile, "Pager": peoplePager(r, object(p, "people"))})
}

// practiceAsks is, per global id of a person behind practice p, the address that asks to be
// introduced to them: only for a signed-in viewer with a profile, never to themselves, and only
// to people who take introductions. The theme is the practice's first theme that the person
// works on (none: the visitor chooses on the person page). noProfile: the viewer is signed in
// without a profile, so they may not ask yet.
func (a *App) practiceAsks(r *http.Request, p map[string]any) (asks map[string]string, noProfile bool, err error) {
	if !bridge.PrincipalFrom(r.Context()).SignedIn() {
		return nil, false, nil
	}
	viewer, err := a.run(r.Context(), "PersonViewer", nil)
	if err != nil {
		return nil, false, err
	}
	me := object(viewer, "me")
	if me == nil {
		return nil, true, nil
	}
	var themes []string
	for _, t := range list(p, "themes") {
		themes = append(themes, fmt.Sprint(t["id"]))
	}
	asks = map[string]string{}
	for _, e := range list(object(p, "people"), "edges") {
		person := object(e, "node")
		id := fmt.Sprint(person["id"])
		if id == fmt.Sprint(me["id"]) || person["openToIntroductions"] != true {
			continue
		}
		q := url.Values{}
		for _, t := range list(person, "themes") {
			if th := fmt.Sprint(object(t, "theme")["id"]); slices.Contains(themes, th) {
				q.Set("theme", th)
				break
			}
		}
		link := "/people/" + url.PathEscape(id)
		if len(q) > 0 {
			link += "?" + q.Encode()
		}
		asks[id] = link + "#ask"
	}
	return asks, false, nil
}
