package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// My profile and my data (journeys 3 and 7): /me is the first visit's form while the signed-in
// person has no profile (the API's me is null; sending it claims a profile the secretariat
// imported with the person's verified e-mail address, and /me then says so), and their profile
// with its forms once they have one: details (with the introductions a quarter), organisations,
// themes, visibility, consents (each optionally until a date), pause, export and erasure. Every
// form posts (with the CSRF token the sign-in middleware checks, through signedInForm) to its own
// /me/… address and answers 303 back to /me, or shows the form again with the API's errors next
// to their fields (BAD_USER_INPUT's extensions.field). An organisation or a municipality is typed
// by name: bridge.js suggests names as one types, and without it the name is matched when the
// form is sent (several organisations of that name are offered to choose from). Export answers
// the JSON as a download; erasure asks for a confirmation word on a page of its own first.

// meLanguages are the working languages offered, in the order shown.
var meLanguages = []string{"sv", "nb", "nn", "da", "fi", "is", "fo", "kl", "se", "en", "de", "fr", "es", "pl",
	"ru", "uk", "ar", "fa", "so", "ti"}

// meVisibilities are the choices of who may see a profile, widest first.
var meVisibilities = []string{"PUBLIC", "MEMBERS", "SECRETARIAT"}

// meConsents are the three purposes of consent (schema/graphql/privacy.graphqls).
var meConsents = []string{"SUGGEST", "INTRODUCE", "SHARE_CONTACT"}

// meDone are the notes shown after a form succeeded (?done=…).
var meDone = []string{"created", "claimed", "exists", "saved", "themes", "organisations", "visibility", "consent", "paused", "resumed"}

// maxForm bounds a form's body.
const maxForm = 64 << 10

// meForm is a form as posted (or as loaded) with the errors to show next to its fields.
type meForm struct {
	Values map[string]string
	Langs  map[string]bool
	Errors map[string]string
	// Problem is an error of the whole form (a conflict, or an error without a field).
	Problem string
	// Reload asks showMe for the profile's values as loaded, with these Values (of another
	// form than the profile's) and Errors on top.
	Reload bool
	// Choices are the organisations that match the organisation field's text, for the person to
	// choose one (organisationId) when the text alone does not say which.
	Choices []orgChoice
}

// orgChoice is an organisation offered to choose from.
type orgChoice struct {
	ID, Name, Country, Municipality string
}

func (f *meForm) V(name string) string { return f.Values[name] }

// signedIn answers false, after redirecting to the sign-in (GET) or failing (POST), when the
// visitor is not signed in.
func (a *App) signedIn(w http.ResponseWriter, r *http.Request) bool {
	if bridge.PrincipalFrom(r.Context()).SignedIn() {
		return true
	}
	if r.Method == http.MethodGet && a.cfg.SignInPath != "" {
		http.Redirect(w, r, a.cfg.SignInPath+"?"+url.Values{"return": {r.URL.RequestURI()}}.Encode(), http.StatusSeeOther)
		return false
	}
	a.fail(w, r, &apiError{Code: bridge.CodeForbidden})
	return false
}

// parseForm reads a posted form within maxForm.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return &apiError{Code: bridge.CodeBadUserInput, Message: "form"}
	}
	return nil
}

// signedInForm is the prologue every form of /me shares, around the handler h of its POST: the
// visitor is signed in (else the sign-in or FORBIDDEN) and the form is read within maxForm (else
// BAD_USER_INPUT); h then finds r.PostForm filled in.
func (a *App) signedInForm(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !a.signedIn(w, r) {
			return
		}
		if err := parseForm(w, r); err != nil {
			a.fail(w, r, err)
			return
		}
		h(w, r)
	}
}

// me is the first visit's form or the signed-in person's profile with its forms.
func (a *App) me(w http.ResponseWriter, r *http.Request) {
	if !a.signedIn(w, r) {
		return
	}
	a.showMe(w, r, http.StatusOK, nil)
}

// showMe renders /me with form as posted (nil: as loaded).
func (a *App) showMe(w http.ResponseWriter, r *http.Request, status int, form *meForm) {
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "Me", map[string]any{"lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	me := object(data, "me")
	if form == nil || form.Reload {
		loaded := loadedForm(me)
		if form != nil {
			maps.Copy(loaded.Values, form.Values)
			loaded.Errors, loaded.Problem, loaded.Choices = form.Errors, form.Problem, form.Choices
		}
		form = loaded
	}
	view := map[string]any{
		"Me": me, "Form": form, "Countries": list(data, "countries"), "Languages": meLanguages,
		"Visibilities": meVisibilities, "Purposes": meConsents, "Policy": data["privacyPolicyVersion"],
		"Themes": themeTree(list(data, "themes"), me), "Consents": consentState(me),
		"MaxPerQuarter": bridge.MaxIntroductionsPerQuarter, "MailLanguages": bridge.MessageLanguages, "Today": time.Now().UTC().Format(time.DateOnly),
	}
	switch done := r.URL.Query().Get("done"); {
	case done == "exists" && me == nil:
		// createMyProfile said CONFLICT, and the visitor still has no profile: one with their
		// e-mail address exists that this sign-in cannot take over.
		form.Problem = l.T("me.error.exists")
	case slices.Contains(meDone, done):
		view["Done"] = done
	}
	title := l.T("me.title")
	if me == nil {
		title = l.T("me.new.title")
	}
	a.render(w, r, status, "me", "me", title, view)
}

// loadedForm is the profile's values as the edit form shows them (the first visit's defaults
// without a profile).
func loadedForm(me map[string]any) *meForm {
	f := &meForm{Values: map[string]string{"visibility": "MEMBERS", "introductionsPerQuarter": "3"}, Langs: map[string]bool{}, Errors: map[string]string{}}
	if me == nil {
		return f
	}
	if n, ok := me["introductionsPerQuarter"].(json.Number); ok {
		f.Values["introductionsPerQuarter"] = n.String()
	}
	for _, k := range []string{"givenName", "familyName", "title", "bio", "phone", "visibility"} {
		if s, ok := me[k].(string); ok {
			f.Values[k] = s
		}
	}
	if s, ok := me["language"].(string); ok {
		f.Values["mailLanguage"] = s
	}
	f.Values["version"] = fmt.Sprint(me["version"])
	if c := object(me, "country"); c != nil {
		f.Values["country"] = fmt.Sprint(c["code"])
	}
	if m := object(me, "municipality"); m != nil {
		f.Values["municipality"] = fmt.Sprint(m["name"])
	}
	if open, _ := me["openToIntroductions"].(bool); open {
		f.Values["open"] = "on"
	}
	langs, _ := me["languages"].([]any)
	for _, c := range langs {
		f.Langs[fmt.Sprint(c)] = true
	}
	return f
}

// postedForm is the profile form as posted.
func postedForm(r *http.Request) *meForm {
	f := &meForm{Values: map[string]string{}, Langs: map[string]bool{}, Errors: map[string]string{}}
	for _, k := range []string{"givenName", "familyName", "title", "bio", "phone", "country", "municipality", "visibility", "open", "version",
		"introductionsPerQuarter", "organisation", "organisationId", "mailLanguage"} {
		f.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	for _, c := range r.PostForm["languages"] {
		if slices.Contains(meLanguages, c) {
			f.Langs[c] = true
		}
	}
	return f
}

// perQuarter is the number of introductions a quarter in the form; false, with the error at the
// field, when it is not a whole number (its bounds are the API's to check).
func (f *meForm) perQuarter(l *Localizer) (int, bool) {
	n, err := strconv.Atoi(f.Values["introductionsPerQuarter"])
	if err != nil {
		f.Errors["introductionsPerQuarter"] = l.T("me.error.perQuarter", bridge.MaxIntroductionsPerQuarter)
		return 0, false
	}
	return n, true
}

func (f *meForm) languages() []string {
	out := []string{}
	for _, c := range meLanguages {
		if f.Langs[c] {
			out = append(out, c)
		}
	}
	return out
}

// themeNode is a broad theme with the narrower ones under it, each with the person's mode.
type themeNode struct {
	ID, Label, Mode string
	Narrower        []themeNode
}

func themeTree(themes []map[string]any, me map[string]any) []themeNode {
	modes := map[string]string{}
	if me != nil {
		for _, t := range list(me, "themes") {
			modes[fmt.Sprint(object(t, "theme")["id"])] = fmt.Sprint(t["mode"])
		}
	}
	var out []themeNode
	index := map[string]int{}
	for _, t := range themes {
		if len(list(t, "broader")) == 0 {
			id := fmt.Sprint(t["id"])
			index[id] = len(out)
			out = append(out, themeNode{ID: id, Label: fmt.Sprint(t["label"]), Mode: modes[id]})
		}
	}
	for _, t := range themes {
		for _, b := range list(t, "broader") {
			if i, ok := index[fmt.Sprint(b["id"])]; ok {
				id := fmt.Sprint(t["id"])
				out[i].Narrower = append(out[i].Narrower, themeNode{ID: id, Label: fmt.Sprint(t["label"]), Mode: modes[id]})
				break
			}
		}
	}
	return out
}

// consentState is the newest record of each purpose that applies now, by purpose.
func consentState(me map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	if me == nil {
		return out
	}
	for _, c := range list(me, "consents") {
		p := fmt.Sprint(c["purpose"])
		if _, seen := out[p]; !seen {
			if active, _ := c["active"].(bool); active {
				out[p] = c
			}
		}
	}
	return out
}

// fieldErrors puts err on the form: next to its field for BAD_USER_INPUT, or as the form's
// problem. It answers false for an error the form cannot show (the page fails).
func (f *meForm) fieldErrors(l *Localizer, err error) bool {
	var fe *apiError
	if !errors.As(err, &fe) {
		return false
	}
	switch fe.Code {
	case bridge.CodeBadUserInput:
		name := ""
		if path := strings.Split(fe.Field, "."); len(path) > 1 && path[0] == "input" {
			name = path[1]
		}
		switch {
		case name == "":
			f.Problem = l.T("me.error.form")
		case f.Values[name] == "" && (name == "givenName" || name == "familyName" || name == "country"):
			f.Errors[name] = l.T("me.error.required")
		case name == "introductionsPerQuarter":
			f.Errors[name] = l.T("me.error.perQuarter", bridge.MaxIntroductionsPerQuarter)
		default:
			f.Errors[name] = l.T("me.error.invalid")
		}
	case bridge.CodeConflict:
		f.Problem = l.T("me.error.conflict")
	case bridge.CodeNotPossible:
		f.Problem = l.T("me.error.form")
	default:
		return false
	}
	return true
}

// meMunicipality finds the municipality named in the form in its country: an exact name first,
// else the only match. "" with no error when the field is empty.
func (a *App) meMunicipality(ctx context.Context, f *meForm, l *Localizer) (string, bool) {
	name, country := f.Values["municipality"], f.Values["country"]
	if name == "" || country == "" {
		return "", true
	}
	data, err := a.run(ctx, "MeMunicipality", map[string]any{"country": country, "text": name})
	if err != nil {
		f.Errors["municipality"] = l.T("me.error.municipality")
		return "", false
	}
	var nodes []map[string]any
	for _, e := range list(object(data, "municipalities"), "edges") {
		nodes = append(nodes, object(e, "node"))
	}
	for _, n := range nodes {
		names := []string{fmt.Sprint(n["name"])}
		if more, ok := n["names"].([]any); ok {
			for _, m := range more {
				names = append(names, fmt.Sprint(m))
			}
		}
		for _, s := range names {
			if strings.EqualFold(s, name) {
				return fmt.Sprint(n["id"]), true
			}
		}
	}
	if len(nodes) == 1 {
		return fmt.Sprint(nodes[0]["id"]), true
	}
	f.Errors["municipality"] = l.T("me.error.municipality")
	return "", false
}

// meOrganisation finds the organisation the form's organisation field names: the one chosen from
// the list of matches (organisationId) while it still matches the text, else the one whose name
// (or English name) is the text, else the only match. With several matches and none chosen it
// offers them (f.Choices) and puts the error at the field, as when nothing matches. "" without an
// error when the field is empty.
func (a *App) meOrganisation(ctx context.Context, f *meForm, l *Localizer) (string, error) {
	text := f.Values["organisation"]
	if text == "" {
		return "", nil
	}
	data, err := a.run(ctx, "MeOrganisations", map[string]any{"text": text})
	var fe *apiError
	if errors.As(err, &fe) && fe.Code == bridge.CodeBadUserInput { // nothing to search for in the text
		f.Errors["organisation"] = l.T("me.error.organisation")
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var all, exact []orgChoice
	for _, e := range list(object(data, "organisations"), "edges") {
		n := object(e, "node")
		c := orgChoice{ID: fmt.Sprint(n["id"]), Name: fmt.Sprint(n["name"])}
		if country := object(n, "country"); country != nil {
			c.Country = fmt.Sprint(country["code"])
		}
		if m := object(n, "municipality"); m != nil {
			c.Municipality = fmt.Sprint(m["name"])
		}
		if c.ID == f.Values["organisationId"] {
			return c.ID, nil
		}
		all = append(all, c)
		if en, _ := n["nameEn"].(string); strings.EqualFold(c.Name, text) || (en != "" && strings.EqualFold(en, text)) {
			exact = append(exact, c)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0].ID, nil
	case len(exact) == 0 && len(all) == 1:
		return all[0].ID, nil
	case len(all) == 0:
		f.Errors["organisation"] = l.T("me.error.organisation")
		return "", nil
	case len(exact) > 1:
		all = exact
	}
	f.Choices = all
	f.Errors["organisation"] = l.T("me.error.organisation.choose")
	return "", nil
}

// affiliationInputs are the person's affiliations as setMyAffiliations takes them.
func affiliationInputs(person map[string]any) []map[string]any {
	out := []map[string]any{}
	for _, a := range list(person, "affiliations") {
		out = append(out, map[string]any{"organisation": fmt.Sprint(object(a, "organisation")["id"]),
			"role": a["role"], "since": a["since"]})
	}
	return out
}

// meCreate creates (or claims) the profile from the first visit's form, then sets what the
// form chose beyond createMyProfile's input (finishFirstVisit).
func (a *App) meCreate(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	f := postedForm(r)
	for _, k := range []string{"givenName", "familyName", "country"} {
		if f.Values[k] == "" {
			f.Errors[k] = l.T("me.error.required")
		}
	}
	perQuarter, _ := f.perQuarter(l)
	org, err := a.meOrganisation(r.Context(), f, l)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	mun, ok := a.meMunicipality(r.Context(), f, l)
	if !ok || len(f.Errors) > 0 {
		a.showMe(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	input := map[string]any{
		"givenName": f.Values["givenName"], "familyName": f.Values["familyName"], "title": optional(f.Values["title"]),
		"bio": optional(f.Values["bio"]), "country": f.Values["country"], "municipality": optional(mun),
		"languages": f.languages(), "openToIntroductions": f.Values["open"] != "", "introductionsPerQuarter": perQuarter,
		"language": l.Lang, // Bridge's e-mails to them in the language they use the site in
	}
	created, err := a.run(r.Context(), "MeCreate", map[string]any{"input": input})
	var fe *apiError
	switch {
	case errors.As(err, &fe) && fe.Code == bridge.CodeConflict:
		// A second submit (a double click, the back button) or a profile with this e-mail address
		// that this sign-in cannot take over: /me, for the visitor as the next request finds them,
		// shows their profile or says so.
		http.Redirect(w, r, "/me?done=exists", http.StatusSeeOther)
		return
	case err != nil:
		if !f.fieldErrors(l, err) {
			a.fail(w, r, err)
			return
		}
		a.showMe(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	done, err := a.finishFirstVisit(r.Context(), created, f.Values["visibility"], org)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me?done="+done, http.StatusSeeOther)
}

// finishFirstVisit sets what the first visit's form chose beyond createMyProfile's input, as the
// person createMyProfile answered (the sign-in resolved the viewer's person before the profile
// existed; the next request acts as that person too): the visibility, also SECRETARIAT (a claimed
// profile keeps the import's otherwise), and the organisation, added to those a claimed profile
// may have. It answers the note for /me: claimed (the secretariat's import) or created.
func (a *App) finishFirstVisit(ctx context.Context, created map[string]any, visibility, org string) (string, error) {
	_, key, err := bridge.ParseGlobalID(nil, fmt.Sprint(object(created, "createMyProfile")["id"]))
	if err != nil {
		return "", err
	}
	actor := bridge.ActorFrom(ctx)
	actor.PersonID = key
	ctx = bridge.WithActor(ctx, actor)
	if !slices.Contains(meVisibilities, visibility) {
		visibility = "SECRETARIAT"
	}
	set, err := a.run(ctx, "MeVisibility", map[string]any{"visibility": visibility})
	if err != nil {
		return "", err
	}
	person := object(set, "setMyVisibility")
	if affs := affiliationInputs(person); org != "" && !slices.ContainsFunc(affs, func(a map[string]any) bool { return a["organisation"] == org }) {
		if _, err := a.run(ctx, "MeAffiliations", map[string]any{"affiliations": append(affs, map[string]any{"organisation": org})}); err != nil {
			return "", err
		}
	}
	if person["source"] == "IMPORT" {
		return "claimed", nil
	}
	return "created", nil
}

// myProfile reads the visitor's own profile for a form of /me that changes it; false when the
// answer is already written (the error page, or back to /me's first visit without a profile).
func (a *App) myProfile(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	data, err := a.run(r.Context(), "Me", map[string]any{"lang": localizerFrom(r.Context()).Lang})
	if err != nil {
		a.fail(w, r, err)
		return nil, false
	}
	me := object(data, "me")
	if me == nil {
		http.Redirect(w, r, "/me", http.StatusSeeOther)
		return nil, false
	}
	return me, true
}

// meUpdate sends the fields of the profile form that differ from the profile as it is now, and
// only those, with the version the form was loaded at (CONFLICT: changed elsewhere since).
func (a *App) meUpdate(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	me, ok := a.myProfile(w, r)
	if !ok {
		return
	}
	was, f := loadedForm(me), postedForm(r)
	input := map[string]any{}
	for _, k := range []string{"givenName", "familyName", "title", "bio", "phone", "country"} {
		if f.Values[k] != was.Values[k] {
			input[k] = optional(f.Values[k])
			if k == "givenName" || k == "familyName" || k == "country" {
				input[k] = f.Values[k]
			}
		}
	}
	if !slices.Equal(f.languages(), was.languages()) {
		input["languages"] = f.languages()
	}
	if (f.Values["open"] != "") != (was.Values["open"] != "") {
		input["openToIntroductions"] = f.Values["open"] != ""
	}
	if f.Values["mailLanguage"] != was.Values["mailLanguage"] && slices.Contains(bridge.MessageLanguages, f.Values["mailLanguage"]) {
		input["language"] = f.Values["mailLanguage"]
	}
	if f.Values["introductionsPerQuarter"] != was.Values["introductionsPerQuarter"] {
		n, ok := f.perQuarter(l)
		if !ok {
			a.showMe(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		input["introductionsPerQuarter"] = n
	}
	if f.Values["municipality"] != was.Values["municipality"] || (input["country"] != nil && f.Values["municipality"] != "") {
		mun, ok := a.meMunicipality(r.Context(), f, l)
		if !ok {
			a.showMe(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		input["municipality"] = optional(mun)
	}
	if len(input) == 0 {
		http.Redirect(w, r, "/me?done=saved", http.StatusSeeOther)
		return
	}
	var version int
	if _, err := fmt.Sscan(f.Values["version"], &version); err != nil {
		a.fail(w, r, &apiError{Code: bridge.CodeBadUserInput, Message: "version"})
		return
	}
	if _, err := a.run(r.Context(), "MeUpdate", map[string]any{"input": input, "version": version}); err != nil {
		if !f.fieldErrors(l, err) {
			a.fail(w, r, err)
			return
		}
		a.showMe(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	http.Redirect(w, r, "/me?done=saved", http.StatusSeeOther)
}

// meThemes replaces the person's themes with those chosen (theme.<id> = OFFERS, SEEKS or BOTH).
func (a *App) meThemes(w http.ResponseWriter, r *http.Request) {
	themes := []map[string]any{}
	for k, v := range r.PostForm {
		id, ok := strings.CutPrefix(k, "theme.")
		if !ok || len(v) == 0 || !slices.Contains([]string{"OFFERS", "SEEKS", "BOTH"}, v[0]) {
			continue
		}
		themes = append(themes, map[string]any{"theme": id, "mode": v[0]})
	}
	slices.SortFunc(themes, func(x, y map[string]any) int { return strings.Compare(x["theme"].(string), y["theme"].(string)) })
	if _, err := a.run(r.Context(), "MeThemes", map[string]any{"themes": themes}); err != nil {
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me?done=themes#themes", http.StatusSeeOther)
}

// meAffiliations adds the organisation named in the form (meOrganisation), with the person's role
// there and since when (both optional), to the organisations the person works at, or changes
// them when it is listed already; or it removes one (remove=<id>). setMyAffiliations takes the
// whole list. A problem is shown at its field, with what was typed.
func (a *App) meAffiliations(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	me, ok := a.myProfile(w, r)
	if !ok {
		return
	}
	affs := affiliationInputs(me)
	if remove := r.PostForm.Get("remove"); remove != "" {
		affs = slices.DeleteFunc(affs, func(a map[string]any) bool { return a["organisation"] == remove })
		_, err := a.run(r.Context(), "MeAffiliations", map[string]any{"affiliations": affs})
		a.meDone(w, r, err, "organisations#organisations")
		return
	}
	f := &meForm{Reload: true, Values: map[string]string{}, Errors: map[string]string{}}
	for _, k := range []string{"organisation", "organisationId", "role", "since"} {
		f.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	if f.Values["organisation"] == "" {
		f.Errors["organisation"] = l.T("me.error.required")
	}
	org, err := a.meOrganisation(r.Context(), f, l)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if len(f.Errors) > 0 {
		a.showMe(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	added := map[string]any{"organisation": org, "role": optional(f.Values["role"]), "since": optional(f.Values["since"])}
	if i := slices.IndexFunc(affs, func(a map[string]any) bool { return a["organisation"] == org }); i >= 0 {
		affs[i] = added
	} else {
		affs = append(affs, added)
	}
	if _, err := a.run(r.Context(), "MeAffiliations", map[string]any{"affiliations": affs}); err != nil {
		if !f.affiliationErrors(l, err) {
			a.fail(w, r, err)
			return
		}
		a.showMe(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	http.Redirect(w, r, "/me?done=organisations#organisations", http.StatusSeeOther)
}

// affiliationErrors puts a BAD_USER_INPUT of setMyAffiliations at the field of the form it is
// about: affiliations.N.role or .since at the role or the date, the rest (an unknown
// organisation, too many) at the organisation. It answers false for any other error.
func (f *meForm) affiliationErrors(l *Localizer, err error) bool {
	var fe *apiError
	if !errors.As(err, &fe) || fe.Code != bridge.CodeBadUserInput {
		return false
	}
	switch path := strings.Split(fe.Field, "."); path[len(path)-1] {
	case "role":
		f.Errors["role"] = l.T("me.error.invalid")
	case "since":
		f.Errors["since"] = l.T("me.error.since")
	default:
		f.Errors["organisation"] = l.T("me.error.invalid")
	}
	return true
}

// meVisibility chooses who may see the profile.
func (a *App) meVisibility(w http.ResponseWriter, r *http.Request) {
	v := r.PostForm.Get("visibility")
	if !slices.Contains(meVisibilities, v) {
		a.fail(w, r, &apiError{Code: bridge.CodeBadUserInput})
		return
	}
	if _, err := a.run(r.Context(), "MeVisibility", map[string]any{"visibility": v}); err != nil {
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me?done=visibility#visibility", http.StatusSeeOther)
}

// meConsent gives (give=PURPOSE, to the privacy notice's version shown) or withdraws
// (withdraw=PURPOSE) a consent.
func (a *App) meConsent(w http.ResponseWriter, r *http.Request) {
	var err error
	switch give, withdraw := r.PostForm.Get("give"), r.PostForm.Get("withdraw"); {
	case slices.Contains(meConsents, give):
		a.meGiveConsent(w, r, give)
		return
	case slices.Contains(meConsents, withdraw):
		_, err = a.run(r.Context(), "MeWithdrawConsent", map[string]any{"purpose": withdraw})
	default:
		err = &apiError{Code: bridge.CodeBadUserInput}
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me?done=consent#consents", http.StatusSeeOther)
}

// meGiveConsent gives consent for purpose, until withdrawn or, with a date in expiresAt
// (YYYY-MM-DD, a date input's value), until the end of that day (UTC). A date that is no date, or
// that the API refuses (not in the future), is shown at the purpose's date field.
func (a *App) meGiveConsent(w http.ResponseWriter, r *http.Request, purpose string) {
	l := localizerFrom(r.Context())
	field, until := "expires-"+purpose, strings.TrimSpace(r.PostForm.Get("expiresAt"))
	refused := func() {
		a.showMe(w, r, http.StatusUnprocessableEntity, &meForm{Reload: true,
			Values: map[string]string{field: until}, Errors: map[string]string{field: l.T("me.error.expires")}})
	}
	input := map[string]any{"purpose": purpose, "policyVersion": r.PostForm.Get("policyVersion")}
	if until != "" {
		day, err := time.Parse(time.DateOnly, until)
		if err != nil {
			refused()
			return
		}
		input["expiresAt"] = day.Add(24*time.Hour - time.Second).Format(time.RFC3339)
	}
	if _, err := a.run(r.Context(), "MeGiveConsent", map[string]any{"input": input}); err != nil {
		if fe := (*apiError)(nil); errors.As(err, &fe) && fe.Code == bridge.CodeBadUserInput && fe.Field == "input.expiresAt" {
			refused()
			return
		}
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me?done=consent#consents", http.StatusSeeOther)
}

// mePause pauses the profile; meResume shows it again.
func (a *App) mePause(w http.ResponseWriter, r *http.Request) {
	_, err := a.run(r.Context(), "MePause", nil)
	a.meDone(w, r, err, "paused#pause")
}

func (a *App) meResume(w http.ResponseWriter, r *http.Request) {
	_, err := a.run(r.Context(), "MeResume", nil)
	a.meDone(w, r, err, "resumed#pause")
}

// meDone answers a form's POST: the error page, or 303 back to /me with the note done.
func (a *App) meDone(w http.ResponseWriter, r *http.Request, err error, done string) {
	if err != nil {
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me?done="+done, http.StatusSeeOther)
}

// meExport answers everything held about the person as a JSON download.
func (a *App) meExport(w http.ResponseWriter, r *http.Request) {
	data, err := a.run(r.Context(), "MeExport", nil)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	body, err := json.MarshalIndent(object(data, "exportMyData")["document"], "", "  ")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="bridge-my-data.json"`)
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(append(body, '\n'))
}

// meEraseWord is the word to type to confirm erasure, in the visitor's language (English always
// works too).
func meEraseWord(l *Localizer) string { return l.T("me.erase.word") }

// meErase asks for the confirmation word before erasure.
func (a *App) meErase(w http.ResponseWriter, r *http.Request) {
	if !a.signedIn(w, r) {
		return
	}
	a.showErase(w, r, http.StatusOK, "")
}

func (a *App) showErase(w http.ResponseWriter, r *http.Request, status int, problem string) {
	l := localizerFrom(r.Context())
	a.render(w, r, status, "me", "me", l.T("me.erase.title"), map[string]any{
		"Erase": true, "Word": meEraseWord(l), "Problem": problem})
}

// meEraseConfirm erases the profile when the confirmation word was typed, then shows the
// landing page of an erased profile.
func (a *App) meEraseConfirm(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	typed := strings.TrimSpace(r.PostForm.Get("confirm"))
	if !strings.EqualFold(typed, meEraseWord(l)) && !strings.EqualFold(typed, "ERASE") {
		a.showErase(w, r, http.StatusUnprocessableEntity, l.T("me.erase.mismatch"))
		return
	}
	if _, err := a.run(r.Context(), "MeErase", nil); err != nil {
		a.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/me/erased", http.StatusSeeOther)
}

// meBack sends a GET of a form's address (the language chooser after a refused form) to /me.
func (a *App) meBack(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/me", http.StatusSeeOther)
}

// meErased is the page after erasure.
func (a *App) meErased(w http.ResponseWriter, r *http.Request) {
	l := localizerFrom(r.Context())
	a.render(w, r, http.StatusOK, "me", "", l.T("me.erased.title"), map[string]any{"Erased": true})
}

// meOrganisations answers the names of up to ten organisations that match the typed text, as
// JSON, for the organisation field's suggestions (bridge.js).
func (a *App) meOrganisations(w http.ResponseWriter, r *http.Request) {
	a.suggest(w, r, func(text string) []string {
		names := []string{}
		if data, err := a.run(r.Context(), "MeOrganisations", map[string]any{"text": text}); err == nil {
			for _, e := range list(object(data, "organisations"), "edges") {
				if name := fmt.Sprint(object(e, "node")["name"]); !slices.Contains(names, name) {
					names = append(names, name)
				}
			}
		}
		return names
	})
}

// suggest answers the names find finds for the text typed (q, two characters at least) as JSON,
// to signed-in visitors only.
func (a *App) suggest(w http.ResponseWriter, r *http.Request, find func(text string) []string) {
	w.Header().Set("Cache-Control", "no-store")
	if !bridge.PrincipalFrom(r.Context()).SignedIn() {
		http.Error(w, "[]", http.StatusForbidden)
		return
	}
	names := []string{}
	if text := param(r, "q"); len([]rune(text)) >= 2 {
		names = find(text)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(names)
}

// meMunicipalities answers the names of up to ten municipalities of a country that match the
// typed text, as JSON, for the municipality field's suggestions (bridge.js).
func (a *App) meMunicipalities(w http.ResponseWriter, r *http.Request) {
	a.suggest(w, r, func(text string) []string {
		names := []string{}
		country := param(r, "country")
		if country == "" {
			return names
		}
		if data, err := a.run(r.Context(), "MeMunicipality", map[string]any{"country": country, "text": text}); err == nil {
			for _, e := range list(object(data, "municipalities"), "edges") {
				names = append(names, fmt.Sprint(object(e, "node")["name"]))
			}
		}
		return names
	})
}
