package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// My profile and my data (journeys 3 and 7): /me is the first visit's form while the signed-in
// person has no profile (the API's me is null), and their profile with its forms once they have
// one. Every form posts (with the CSRF token the sign-in middleware checks) to its own /me/…
// address and answers 303 back to /me, or shows the form again with the API's errors next to
// their fields (BAD_USER_INPUT's extensions.field). Export answers the JSON as a download; erasure
// asks for a confirmation word on a page of its own first.

// meLanguages are the working languages offered, in the order shown.
var meLanguages = []string{"sv", "nb", "nn", "da", "fi", "is", "fo", "kl", "se", "en", "de", "fr", "es", "pl",
	"ru", "uk", "ar", "fa", "so", "ti"}

// meVisibilities are the choices of who may see a profile, widest first.
var meVisibilities = []string{"PUBLIC", "MEMBERS", "SECRETARIAT"}

// meConsents are the three purposes of consent (schema/graphql/privacy.graphqls).
var meConsents = []string{"SUGGEST", "INTRODUCE", "SHARE_CONTACT"}

// meDone are the notes shown after a form succeeded (?done=…).
var meDone = []string{"created", "saved", "themes", "visibility", "consent", "paused", "resumed"}

// maxForm bounds a form's body.
const maxForm = 64 << 10

// meForm is a form as posted (or as loaded) with the errors to show next to its fields.
type meForm struct {
	Values map[string]string
	Langs  map[string]bool
	Errors map[string]string
	// Problem is an error of the whole form (a conflict, or an error without a field).
	Problem string
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
	if form == nil {
		form = loadedForm(me)
	}
	view := map[string]any{
		"Me": me, "Form": form, "Countries": list(data, "countries"), "Languages": meLanguages,
		"Visibilities": meVisibilities, "Purposes": meConsents, "Policy": data["privacyPolicyVersion"],
		"Themes": themeTree(list(data, "themes"), me), "Consents": consentState(me),
	}
	if done := r.URL.Query().Get("done"); slices.Contains(meDone, done) {
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
	f := &meForm{Values: map[string]string{"visibility": "MEMBERS"}, Langs: map[string]bool{}, Errors: map[string]string{}}
	if me == nil {
		return f
	}
	for _, k := range []string{"givenName", "familyName", "title", "bio", "phone", "visibility"} {
		if s, ok := me[k].(string); ok {
			f.Values[k] = s
		}
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
	for _, k := range []string{"givenName", "familyName", "title", "bio", "phone", "country", "municipality", "visibility", "open", "version"} {
		f.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	for _, c := range r.PostForm["languages"] {
		if slices.Contains(meLanguages, c) {
			f.Langs[c] = true
		}
	}
	return f
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

// meCreate creates (or claims) the profile from the first visit's form, then sets the chosen
// visibility (new profiles are visible to the secretariat only).
func (a *App) meCreate(w http.ResponseWriter, r *http.Request) {
	if !a.signedIn(w, r) {
		return
	}
	if err := parseForm(w, r); err != nil {
		a.fail(w, r, err)
		return
	}
	l := localizerFrom(r.Context())
	f := postedForm(r)
	for _, k := range []string{"givenName", "familyName", "country"} {
		if f.Values[k] == "" {
			f.Errors[k] = l.T("me.error.required")
		}
	}
	mun, ok := a.meMunicipality(r.Context(), f, l)
	if !ok || len(f.Errors) > 0 {
		a.showMe(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	input := map[string]any{
		"givenName": f.Values["givenName"], "familyName": f.Values["familyName"], "title": optional(f.Values["title"]),
		"bio": optional(f.Values["bio"]), "country": f.Values["country"], "municipality": optional(mun),
		"languages": f.languages(), "openToIntroductions": f.Values["open"] != "",
		"language": l.Lang, // Bridge's e-mails to them in the language they use the site in
	}
	if f.Values["open"] != "" {
		input["introductionsPerQuarter"] = 3
	}
	created, err := a.run(r.Context(), "MeCreate", map[string]any{"input": input})
	if err != nil {
		if !f.fieldErrors(l, err) {
			a.fail(w, r, err)
			return
		}
		a.showMe(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if v := f.Values["visibility"]; slices.Contains(meVisibilities, v) && v != "SECRETARIAT" {
		// The sign-in resolved the viewer's person before the profile existed: from here on,
		// this request acts as that person (as the next request will).
		_, key, err := bridge.ParseGlobalID(nil, fmt.Sprint(object(created, "createMyProfile")["id"]))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		actor := bridge.ActorFrom(r.Context())
		actor.PersonID = key
		ctx := bridge.WithActor(r.Context(), actor)
		if _, err := a.run(ctx, "MeVisibility", map[string]any{"visibility": v}); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	http.Redirect(w, r, "/me?done=created", http.StatusSeeOther)
}

// meUpdate sends the fields of the profile form that differ from the profile as it is now, and
// only those, with the version the form was loaded at (CONFLICT: changed elsewhere since).
func (a *App) meUpdate(w http.ResponseWriter, r *http.Request) {
	if !a.signedIn(w, r) {
		return
	}
	if err := parseForm(w, r); err != nil {
		a.fail(w, r, err)
		return
	}
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "Me", map[string]any{"lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	me := object(data, "me")
	if me == nil {
		http.Redirect(w, r, "/me", http.StatusSeeOther)
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
		if f.Values["open"] != "" {
			input["introductionsPerQuarter"] = 3
		}
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
	if !a.signedIn(w, r) {
		return
	}
	if err := parseForm(w, r); err != nil {
		a.fail(w, r, err)
		return
	}
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

// meVisibility chooses who may see the profile.
func (a *App) meVisibility(w http.ResponseWriter, r *http.Request) {
	if !a.signedIn(w, r) {
		return
	}
	if err := parseForm(w, r); err != nil {
		a.fail(w, r, err)
		return
	}
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
	if !a.signedIn(w, r) {
		return
	}
	if err := parseForm(w, r); err != nil {
		a.fail(w, r, err)
		return
	}
	var err error
	switch give, withdraw := r.PostForm.Get("give"), r.PostForm.Get("withdraw"); {
	case slices.Contains(meConsents, give):
		_, err = a.run(r.Context(), "MeGiveConsent", map[string]any{"input": map[string]any{
			"purpose": give, "policyVersion": r.PostForm.Get("policyVersion")}})
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

// mePause pauses the profile; meResume shows it again.
func (a *App) mePause(w http.ResponseWriter, r *http.Request) {
	if a.signedIn(w, r) {
		_, err := a.run(r.Context(), "MePause", nil)
		a.meDone(w, r, err, "paused#pause")
	}
}

func (a *App) meResume(w http.ResponseWriter, r *http.Request) {
	if a.signedIn(w, r) {
		_, err := a.run(r.Context(), "MeResume", nil)
		a.meDone(w, r, err, "resumed#pause")
	}
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
	if !a.signedIn(w, r) {
		return
	}
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
	if !a.signedIn(w, r) {
		return
	}
	if err := parseForm(w, r); err != nil {
		a.fail(w, r, err)
		return
	}
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

// meMunicipalities answers the names of up to ten municipalities of a country that match the
// typed text, as JSON, for the municipality field's suggestions (bridge.js).
func (a *App) meMunicipalities(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if !bridge.PrincipalFrom(r.Context()).SignedIn() {
		http.Error(w, "[]", http.StatusForbidden)
		return
	}
	names := []string{}
	country, text := param(r, "country"), param(r, "q")
	if country != "" && len([]rune(text)) >= 2 {
		data, err := a.run(r.Context(), "MeMunicipality", map[string]any{"country": country, "text": text})
		if err == nil {
			for _, e := range list(object(data, "municipalities"), "edges") {
				names = append(names, fmt.Sprint(object(e, "node")["name"]))
			}
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(names)
}
