package web

import "net/http"

// organisationKinds are the API's OrganisationKind values, in the order the filter shows them.
var organisationKinds = []string{"MINISTRY", "NATIONAL_AGENCY", "REGIONAL_AUTHORITY", "MUNICIPAL_ADMINISTRATION",
	"CIVIL_SOCIETY", "MIGRANT_LED", "RESEARCH", "BUSINESS", "NORDIC_INSTITUTION"}

// organisations lists organisations by name, country and kind, 30 a page.
func (a *App) organisations(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	text, country, kind := param(r, "q"), param(r, "country"), param(r, "kind")
	filter := map[string]any{}
	if text != "" {
		filter["text"] = text
	}
	if country != "" {
		filter["country"] = country
	}
	if kind != "" {
		filter["kinds"] = []string{kind}
	}
	data, err := a.run(r.Context(), "Organisations", map[string]any{"filter": filter, "after": optional(param(r, "after"))})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "organisations", "organisations", l.T("organisations.title"), map[string]any{
		"Result": object(data, "organisations"), "Countries": list(data, "countries"), "Kinds": organisationKinds,
		"Q": text, "Country": country, "Kind": kind, "Pager": cursorPager(r, object(data, "organisations"))})
}

// organisation is one organisation: kind, place, parent, website and the staff the viewer may see.
func (a *App) organisation(w http.ResponseWriter, r *http.Request) {
	after, err := a.peopleAfter(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	data, err := a.run(r.Context(), "Organisation", map[string]any{"id": idParam(r), "after": after})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	o := object(data, "organisation")
	if o == nil {
		a.fail(w, r, errNotFound)
		return
	}
	a.render(w, r, http.StatusOK, "organisation", "organisations", o["name"].(string), map[string]any{"Organisation": o, "Pager": peoplePager(r, object(o, "staff"))})
}
