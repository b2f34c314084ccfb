package web

import (
	"fmt"
	"net/http"
	"slices"
)

// facetOption is one value of a facet: a checkbox (or a radio button) with its label and, where
// the API counts it, how many people have it.
type facetOption struct {
	Value, Label string
	Count        any // nil: the API gives no count for this facet
	Checked      bool
}

// facetGroup is one facet of the people search (a fieldset of checkboxes or radio buttons named
// Param).
type facetGroup struct {
	Param   string // the query parameter: country, region, municipality, size, theme, mode, kind, language, group, open
	Heading string
	Hint    string
	Radio   bool          // one value (radio buttons), not any number of them
	Options []facetOption // the first facetShown, by count
	More    []facetOption // the rest, behind a disclosure
	Open    bool          // a value in More is chosen: the disclosure starts open
}

// facetShown is how many values of a facet are shown before "more".
const facetShown = 8

// sizeClasses are the API's MunicipalitySizeClass values, smallest first, UNKNOWN (no figure,
// all of Denmark today) last.
var sizeClasses = []string{"VERY_SMALL", "SMALL", "MEDIUM", "LARGE", "CITY", "UNKNOWN"}

// searchFilter is the people filter of the search page, read from the address.
type searchFilter struct {
	Text                                              string
	Countries, Regions, Municipalities, Sizes, Themes []string
	Kinds, Languages, Groups                          []string
	Mode, Open                                        string // "", OFFERS or SEEKS; "", yes or no
}

// readSearchFilter reads the filter from the query. Values the API would refuse as malformed
// enum values (size classes, modes) are dropped here, so that an edited address narrows less
// rather than failing; ids and codes are checked by the API (a bad one is the "address does not
// work" page).
func readSearchFilter(r *http.Request) searchFilter {
	f := searchFilter{Text: param(r, "q"), Countries: params(r, "country"), Regions: params(r, "region"),
		Municipalities: params(r, "municipality"), Themes: params(r, "theme"), Kinds: params(r, "kind"),
		Languages: params(r, "language"), Groups: params(r, "group")}
	for _, s := range params(r, "size") {
		if slices.Contains(sizeClasses, s) && !slices.Contains(f.Sizes, s) {
			f.Sizes = append(f.Sizes, s)
		}
	}
	if m := param(r, "mode"); m == "OFFERS" || m == "SEEKS" {
		f.Mode = m
	}
	if o := param(r, "open"); o == "yes" || o == "no" {
		f.Open = o
	}
	return f
}

// api is the PeopleFilter of the API.
func (f searchFilter) api() map[string]any {
	out := map[string]any{}
	if f.Text != "" {
		out["text"] = f.Text
	}
	for key, v := range map[string][]string{"countries": f.Countries, "regions": f.Regions, "municipalities": f.Municipalities,
		"sizeClasses": f.Sizes, "themes": f.Themes, "organisationKinds": f.Kinds, "languages": f.Languages, "expertGroups": f.Groups} {
		if len(v) > 0 {
			out[key] = v
		}
	}
	if f.Mode != "" && len(f.Themes) > 0 { // the API applies the mode to the chosen themes only
		out["themeMode"] = f.Mode
	}
	if f.Open != "" {
		out["openToIntroductions"] = f.Open == "yes"
	}
	return out
}

// search finds people (with facets: country, region, municipality, size of the municipality,
// theme and whether they offer or seek it, organisation kind, language, expert group, open to
// introductions; with counts where the API counts) and, for a text, organisations,
// municipalities and practices.
//
// The form is a GET so that results can be bookmarked, shared and paged without script. The
// address carries codes and global ids, and the words typed in the search box. Those words are
// what the visitor looks for (a theme, a place, at most a name of someone public), not data
// about the visitor or about a person Bridge holds, and the page is a public one: we accept them
// in the address, as every search engine does. They never reach a log (the access log records
// the route pattern only), and Referrer-Policy same-origin keeps them from other sites. People
// on later pages are named by id (paging.go), never by name.
func (a *App) search(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	f := readSearchFilter(r)
	filter := f.api()
	after, err := a.peopleAfter(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	data, err := a.run(r.Context(), "SearchPeople", map[string]any{"filter": filter, "after": after, "lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var others map[string]any
	if f.Text != "" {
		if others, err = a.run(r.Context(), "SearchOthers", map[string]any{"text": f.Text}); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	people := object(data, "people")
	facets := object(people, "facets")
	themeLabels := map[string]string{}
	for _, t := range list(data, "themes") {
		themeLabels[fmt.Sprint(t["id"])] = fmt.Sprint(t["label"])
	}
	// When many people match, the API counts the facets over the first of them only
	// (countsAreExact false): the values are offered without counts, every country included.
	sampled := facets != nil && facets["countsAreExact"] == false
	shown := func(count any) any {
		if sampled {
			return nil
		}
		return count
	}
	counted := func(apiKey, param, heading string, chosen []string, label func(value string, f map[string]any) string) facetGroup {
		var opts []facetOption
		for _, c := range list(facets, apiKey) {
			v := fmt.Sprint(c["value"])
			if fmt.Sprint(c["count"]) == "0" && !slices.Contains(chosen, v) && !sampled {
				continue // the API lists every country, also those with nobody: nothing to narrow to
			}
			opts = append(opts, facetOption{Value: v, Label: label(v, c), Count: shown(c["count"]), Checked: slices.Contains(chosen, v)})
		}
		// A chosen value that no longer has anyone (another filter left nobody with it) stays
		// on the form, checked, so that it can be unchecked.
		for _, v := range chosen {
			if !slices.ContainsFunc(opts, func(o facetOption) bool { return o.Value == v }) {
				opts = append(opts, facetOption{Value: v, Label: label(v, nil), Count: shown(0), Checked: true})
			}
		}
		return newFacetGroup(param, l.T(heading), opts)
	}
	named := func(v string, c map[string]any) string {
		if c != nil && c["label"] != nil {
			return fmt.Sprint(c["label"])
		}
		if s, ok := themeLabels[v]; ok {
			return s
		}
		return v
	}
	country := func(v string, _ map[string]any) string { return l.Country(v) }
	regions, err := a.regionFacet(r, l, f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	municipalities, err := a.municipalityFacet(r, l, f, others)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var sizes []facetOption
	for _, s := range sizeClasses {
		sizes = append(sizes, facetOption{Value: s, Label: l.Enum("sizeclass", s), Checked: slices.Contains(f.Sizes, s)})
	}
	radio := func(param, heading, hint, chosen string, values ...string) facetGroup {
		g := facetGroup{Param: param, Heading: l.T(heading), Radio: true}
		if hint != "" {
			g.Hint = l.T(hint)
		}
		for _, v := range values {
			g.Options = append(g.Options, facetOption{Value: v, Label: l.T("search." + param + "." + or(v, "any")), Checked: v == chosen})
		}
		return g
	}
	counts := []facetGroup{
		counted("countries", "country", "search.facet.country", f.Countries, country),
		counted("themes", "theme", "search.facet.theme", f.Themes, named),
		counted("organisationKinds", "kind", "search.facet.kind", f.Kinds, func(v string, _ map[string]any) string { return l.Enum("orgkind", v) }),
		counted("languages", "language", "search.facet.language", f.Languages, func(v string, _ map[string]any) string { return l.Language(v) }),
		counted("expertGroups", "group", "search.facet.group", f.Groups, named),
	}
	hasFacets := len(filter) > 0
	for _, g := range counts {
		hasFacets = hasFacets || len(g.Options) > 0
	}
	facetGroups := []facetGroup{counts[0], regions, municipalities,
		newFacetGroup("size", l.T("search.facet.size"), sizes), counts[1],
		radio("mode", "search.facet.mode", "search.facet.mode.hint", f.Mode, "", "OFFERS", "SEEKS"),
		counts[2], counts[3], counts[4],
		radio("open", "search.facet.open", "", f.Open, "", "yes", "no"),
	}
	a.render(w, r, http.StatusOK, "search", "search", l.T("search.title"), map[string]any{
		"Q": f.Text, "People": people, "Facets": facetGroups, "Others": others, "Pager": peoplePager(r, people),
		"Filtered": len(filter) > 0, "HasFacets": hasFacets, "Sampled": sampled})
}

// newFacetGroup puts the first facetShown options in view and the rest behind "more".
func newFacetGroup(param, heading string, opts []facetOption) facetGroup {
	g := facetGroup{Param: param, Heading: heading}
	for i, o := range opts {
		if i < facetShown {
			g.Options = append(g.Options, o)
		} else {
			g.More = append(g.More, o)
			g.Open = g.Open || o.Checked
		}
	}
	return g
}

// regionFacet offers the regions of the chosen countries (and any region chosen). The API counts
// no regions, so they come without counts; without a country there are too many to list.
func (a *App) regionFacet(r *http.Request, l *Localizer, f searchFilter) (facetGroup, error) {
	if len(f.Countries) == 0 && len(f.Regions) == 0 {
		return facetGroup{Param: "region"}, nil
	}
	data, err := a.run(r.Context(), "SearchRegions", nil)
	if err != nil {
		return facetGroup{}, err
	}
	var opts []facetOption
	for _, reg := range list(data, "regions") {
		id, code := fmt.Sprint(reg["id"]), fmt.Sprint(object(reg, "country")["code"])
		chosen := slices.Contains(f.Regions, id)
		if !chosen && !slices.Contains(f.Countries, code) {
			continue
		}
		label := fmt.Sprint(reg["name"])
		if len(f.Countries) != 1 {
			label += " (" + l.Country(code) + ")"
		}
		opts = append(opts, facetOption{Value: id, Label: label, Checked: chosen})
	}
	return newFacetGroup("region", l.T("search.facet.region"), opts), nil
}

// municipalityFacet offers the municipalities the search words name (people based there, rather
// than people whose profile mentions the place) and those already chosen. There are 1,149: they
// are found by words, not listed; a municipality's page links here with it chosen.
func (a *App) municipalityFacet(r *http.Request, l *Localizer, f searchFilter, others map[string]any) (facetGroup, error) {
	var opts []facetOption
	label := func(m map[string]any) string {
		return fmt.Sprintf("%v (%s, %s)", m["name"], l.Country(fmt.Sprint(object(m, "country")["code"])), l.Enum("size", m["sizeClass"]))
	}
	for _, id := range f.Municipalities {
		data, err := a.run(r.Context(), "SearchMunicipality", map[string]any{"id": id})
		if err != nil {
			return facetGroup{}, err
		}
		if m := object(data, "municipality"); m != nil {
			opts = append(opts, facetOption{Value: id, Label: label(m), Checked: true})
		}
	}
	for _, e := range list(object(others, "municipalities"), "edges") {
		m := object(e, "node")
		if id := fmt.Sprint(m["id"]); !slices.Contains(f.Municipalities, id) {
			opts = append(opts, facetOption{Value: id, Label: label(m)})
		}
	}
	return newFacetGroup("municipality", l.T("search.facet.municipality"), opts), nil
}

// or is s, or alt when s is empty.
func or(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
