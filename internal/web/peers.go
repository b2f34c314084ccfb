package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// peerLanguages are the working languages offered as a filter of the peers page.
var peerLanguages = []string{"sv", "nb", "da", "fi", "is", "en", "de", "fr", "ar", "so", "fa", "uk"}

// peerMatch is one suggested person with the reasons and gaps in the visitor's language.
type peerMatch struct {
	Person   map[string]any
	Reasons  []string
	Missing  []string
	Possible bool
}

// signInFirst sends a signed-out visitor to the sign-in page, with this page to return to (or,
// without a sign-in, the "not available to you" page). It reports whether the visitor is signed in.
func (a *App) signInFirst(w http.ResponseWriter, r *http.Request) bool {
	if bridge.PrincipalFrom(r.Context()).SignedIn() {
		return true
	}
	if a.cfg.SignInPath != "" && r.Method == http.MethodGet {
		http.Redirect(w, r, a.cfg.SignInPath+"?"+url.Values{"return": {r.URL.RequestURI()}}.Encode(), http.StatusSeeOther)
		return false
	}
	a.fail(w, r, &apiError{Code: bridge.CodeUnauthenticated})
	return false
}

// peers is the signed-in person's suggested peers (the peers query) with the reasons in words and
// what each match lacks, filtered by the GET parameters country, nothome, theme, kind and language.
// A visitor without a profile yet is told why there are no suggestions.
func (a *App) peers(w http.ResponseWriter, r *http.Request) {
	if !a.signInFirst(w, r) {
		return
	}
	l := localizerFrom(r.Context())
	setup, err := a.run(r.Context(), "PeersSetup", map[string]any{"lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	countries, themes, kinds, langs := params(r, "country"), params(r, "theme"), params(r, "kind"), params(r, "language")
	notHome := param(r, "nothome") == "1"
	data := map[string]any{"NoProfile": object(setup, "me") == nil, "NotHome": notHome}
	var countryOpts, themeOpts, kindOpts, langOpts []facetOption
	for _, c := range list(setup, "countries") {
		code := fmt.Sprint(c["code"])
		countryOpts = append(countryOpts, facetOption{Value: code, Label: l.Country(code), Checked: slices.Contains(countries, code)})
	}
	for _, t := range list(setup, "themes") {
		id := fmt.Sprint(t["id"])
		themeOpts = append(themeOpts, facetOption{Value: id, Label: fmt.Sprint(t["label"]), Checked: slices.Contains(themes, id)})
	}
	for _, k := range organisationKinds {
		kindOpts = append(kindOpts, facetOption{Value: k, Label: l.Enum("orgkind", k), Checked: slices.Contains(kinds, k)})
	}
	for _, c := range peerLanguages {
		langOpts = append(langOpts, facetOption{Value: c, Label: l.Language(c), Checked: slices.Contains(langs, c)})
	}
	data["Filters"] = []facetGroup{
		{Param: "country", Heading: l.T("peers.filter.country"), Options: countryOpts},
		{Param: "kind", Heading: l.T("peers.filter.kind"), Options: kindOpts},
		{Param: "language", Heading: l.T("peers.filter.language"), Options: langOpts},
		{Param: "theme", Heading: l.T("peers.filter.theme"), Options: themeOpts, Open: len(themes) > 0},
	}
	data["Filtered"] = len(countries)+len(themes)+len(kinds)+len(langs) > 0 || notHome
	if data["NoProfile"] == true {
		a.render(w, r, http.StatusOK, "peers", "peers", l.T("peers.title"), data)
		return
	}
	filter := map[string]any{"excludeMyCountry": notHome}
	for key, v := range map[string][]string{"countries": countries, "themes": themes, "organisationKinds": kinds, "languages": langs} {
		if len(v) > 0 {
			filter[key] = v
		}
	}
	res, err := a.run(r.Context(), "Peers", map[string]any{"filter": filter, "lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var matches []peerMatch
	for _, m := range list(res, "peers") {
		pm := peerMatch{Person: object(m, "person"), Possible: m["introductionPossible"] == true}
		for _, reason := range list(m, "reasons") {
			pm.Reasons = append(pm.Reasons, reasonText(l, reason))
		}
		for _, gap := range list(m, "missing") {
			pm.Missing = append(pm.Missing, translated(l, "peers.missing."+fmt.Sprint(gap["kind"]), fmt.Sprint(gap["text"])))
		}
		matches = append(matches, pm)
	}
	data["Matches"] = matches
	a.render(w, r, http.StatusOK, "peers", "peers", l.T("peers.title"), data)
}

// reasonText is a match reason in the visitor's language, naming the theme, group, event or
// language it is about; the API's English text when the kind is new to the web app.
func reasonText(l *Localizer, reason map[string]any) string {
	return reasonWords(l, "peers.reason", reason)
}

// reasonWords is reasonText with the messages of prefix (the desk speaks of the two people, not
// of "you").
func reasonWords(l *Localizer, prefix string, reason map[string]any) string {
	what := ""
	switch {
	case object(reason, "theme") != nil:
		what = fmt.Sprint(object(reason, "theme")["label"])
	case object(reason, "group") != nil:
		what = fmt.Sprint(object(reason, "group")["name"])
	case object(reason, "event") != nil:
		what = fmt.Sprint(object(reason, "event")["name"])
	case reason["language"] != nil:
		what = l.Language(fmt.Sprint(reason["language"]))
	}
	key := prefix + "." + fmt.Sprint(reason["kind"])
	if what == "" {
		key += ".plain"
	}
	if theme := themeReasonText(l, key, what, reason); theme != "" {
		return theme
	}
	if _, ok := catalogs["en"][key]; !ok {
		return fmt.Sprint(reason["text"])
	}
	if what == "" {
		return l.T(key)
	}
	return l.T(key, what)
}

// themeReasonText words a theme reason from its data, when the data says more than the kind:
// both seek or both offer, who seeks and who offers, and how a related theme relates to the
// visitor's ("They offer Language learning, the broader theme of what you seek (…)"). It is ""
// when the kind's own message says it all.
func themeReasonText(l *Localizer, key, what string, reason map[string]any) string {
	mine, theirs := fmt.Sprint(reason["personMode"]), fmt.Sprint(reason["peerMode"])
	iSeek := (mine == "SEEKS" || mine == "BOTH") && (theirs == "OFFERS" || theirs == "BOTH")
	theySeek := (theirs == "SEEKS" || theirs == "BOTH") && (mine == "OFFERS" || mine == "BOTH")
	switch fmt.Sprint(reason["kind"]) {
	case "SHARED_THEME":
		if mine == theirs && (mine == "SEEKS" || mine == "OFFERS") {
			return l.T(key+"."+mine, what)
		}
	case "COMPLEMENTARY_THEME":
		switch {
		case iSeek && !theySeek:
			return l.T(key+".mine", what)
		case theySeek && !iSeek:
			return l.T(key+".theirs", what)
		}
	case "RELATED_THEME":
		related, relation := object(reason, "relatedTheme"), fmt.Sprint(reason["relation"])
		if related == nil || (relation != "BROADER" && relation != "NARROWER" && relation != "SIBLING") {
			return ""
		}
		dir := "work"
		switch {
		case iSeek:
			dir = "offer"
		case theySeek:
			dir = "seek"
		}
		return l.T(key+"."+relation+"."+dir, fmt.Sprint(related["label"]), what)
	}
	return ""
}

// translated is the message key in the visitor's language, or fallback when the web app has no
// such message (a value the API added later).
func translated(l *Localizer, key, fallback string) string {
	if _, ok := catalogs["en"][key]; !ok {
		return fallback
	}
	return l.T(key)
}
