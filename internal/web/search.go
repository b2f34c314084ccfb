package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
)

// facetOption is one value of a facet: a checkbox with its label and count.
type facetOption struct {
	Value, Label string
	Count        any
	Checked      bool
}

// facetGroup is one facet of the people search (a fieldset of checkboxes named Param).
type facetGroup struct {
	Param   string // the query parameter: country, theme, kind, language, group
	Heading string
	Options []facetOption // the first facetShown, by count
	More    []facetOption // the rest, behind a disclosure
	Open    bool          // a value in More is chosen: the disclosure starts open
}

// facetShown is how many values of a facet are shown before "more".
const facetShown = 8

// search finds people (with facets and counts: country, theme, organisation kind, language,
// expert group) and, for a text, organisations, municipalities and practices. The form is a GET
// so that results can be bookmarked and paged; the address carries only the text typed, codes and
// ids, and is never logged (the access log has the route pattern only).
func (a *App) search(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	text := param(r, "q")
	countries, themes, kinds, langs, groups := params(r, "country"), params(r, "theme"), params(r, "kind"), params(r, "language"), params(r, "group")
	filter := map[string]any{}
	if text != "" {
		filter["text"] = text
	}
	for key, v := range map[string][]string{"countries": countries, "themes": themes, "organisationKinds": kinds,
		"languages": langs, "expertGroups": groups} {
		if len(v) > 0 {
			filter[key] = v
		}
	}
	data, err := a.run(r.Context(), "SearchPeople", map[string]any{"filter": filter, "after": optional(param(r, "after")), "lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	people := object(data, "people")
	themeLabels := map[string]string{}
	for _, t := range list(data, "themes") {
		themeLabels[fmt.Sprint(t["id"])] = fmt.Sprint(t["label"])
	}
	facets := object(people, "facets")
	group := func(apiKey, param, heading string, chosen []string, label func(map[string]any) string) facetGroup {
		g := facetGroup{Param: param, Heading: l.T(heading)}
		for i, f := range list(facets, apiKey) {
			v := fmt.Sprint(f["value"])
			o := facetOption{Value: v, Label: label(f), Count: f["count"], Checked: slices.Contains(chosen, v)}
			if i < facetShown {
				g.Options = append(g.Options, o)
			} else {
				g.More = append(g.More, o)
				g.Open = g.Open || o.Checked
			}
		}
		return g
	}
	facetGroups := []facetGroup{
		group("countries", "country", "search.facet.country", countries, func(f map[string]any) string { return l.Country(fmt.Sprint(f["value"])) }),
		group("themes", "theme", "search.facet.theme", themes, func(f map[string]any) string {
			if s, ok := themeLabels[fmt.Sprint(f["value"])]; ok {
				return s
			}
			return fmt.Sprint(f["value"])
		}),
		group("organisationKinds", "kind", "search.facet.kind", kinds, func(f map[string]any) string { return l.Enum("orgkind", f["value"]) }),
		group("languages", "language", "search.facet.language", langs, func(f map[string]any) string { return l.Language(fmt.Sprint(f["value"])) }),
		group("expertGroups", "group", "search.facet.group", groups, func(f map[string]any) string {
			if f["label"] != nil {
				return fmt.Sprint(f["label"])
			}
			return fmt.Sprint(f["value"])
		}),
	}
	hasFacets := false
	for _, g := range facetGroups {
		hasFacets = hasFacets || len(g.Options) > 0
	}
	var others map[string]any
	if text != "" {
		if others, err = a.run(r.Context(), "SearchOthers", map[string]any{"text": text}); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	next := ""
	if info := object(people, "pageInfo"); info["hasNextPage"] == true {
		q := url.Values{}
		for k, v := range r.URL.Query() {
			q[k] = v
		}
		q.Set("after", fmt.Sprint(info["endCursor"]))
		next = "/search?" + q.Encode()
	}
	first := ""
	if param(r, "after") != "" {
		q := url.Values{}
		for k, v := range r.URL.Query() {
			q[k] = v
		}
		q.Del("after")
		first = "/search?" + q.Encode()
	}
	a.render(w, r, http.StatusOK, "search", "search", l.T("search.title"), map[string]any{
		"Q": text, "People": people, "Facets": facetGroups, "Others": others, "Next": next, "First": first,
		"Filtered": len(filter) > 0, "HasFacets": hasFacets})
}
