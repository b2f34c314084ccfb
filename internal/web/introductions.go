package web

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// maxMessage is the longest message the API takes for an introduction (RequestIntroductionInput).
const maxMessage = 2000

// askForm is the "ask for an introduction" form of the person page.
type askForm struct {
	To, Theme, Message, ClientRequestID string
	// Error is what went wrong, in the visitor's language; Field is the control it is about
	// ("message", "theme") or "" for the whole form.
	Error, Field string
}

// offer is what a signed-in viewer with a profile gets on someone else's person page: the warm
// paths to them in words and the form to ask for an introduction.
type offer struct {
	NoProfile bool
	Paths     [][]string
	Themes    []facetOption
	Form      askForm
	CSRF      string
	CSRFField string
}

// introductionOffer is the offer for person p, nil for a signed-out viewer or the viewer's own page.
func (a *App) introductionOffer(r *http.Request, p map[string]any, ask *askForm) (*offer, error) {
	if !bridge.PrincipalFrom(r.Context()).SignedIn() {
		return nil, nil
	}
	ctx := r.Context()
	viewer, err := a.run(ctx, "PersonViewer", nil)
	if err != nil {
		return nil, err
	}
	me := object(viewer, "me")
	if me == nil {
		return &offer{NoProfile: true}, nil
	}
	to := fmt.Sprint(p["id"])
	if fmt.Sprint(me["id"]) == to {
		return nil, nil
	}
	o := &offer{}
	if a.cfg.CSRFToken != nil {
		o.CSRF, o.CSRFField = a.cfg.CSRFToken(ctx), a.cfg.CSRFField
	}
	if ask != nil {
		o.Form = *ask
	} else {
		// ?theme= chooses the theme, as a practice's "ask to be introduced" link does.
		o.Form = askForm{To: to, Theme: param(r, "theme"), ClientRequestID: newClientRequestID()}
	}
	l := localizerFrom(ctx)
	for _, t := range list(p, "themes") {
		th := object(t, "theme")
		id := fmt.Sprint(th["id"])
		o.Themes = append(o.Themes, facetOption{Value: id, Label: fmt.Sprint(th["label"]), Checked: id == o.Form.Theme})
	}
	if len(o.Themes) == 1 && ask == nil { // one theme: nothing to choose
		o.Themes[0].Checked = true
	}
	paths, err := a.run(ctx, "PersonPaths", map[string]any{"from": me["id"], "to": to})
	if err != nil {
		return nil, err
	}
	for _, path := range list(paths, "introductionPaths") {
		var words []string
		for _, s := range list(path, "steps") {
			words = append(words, stepWords(l, s))
		}
		o.Paths = append(o.Paths, words)
	}
	return o, nil
}

// stepWords is one link of a warm path in the visitor's language: who, and what links them.
func stepWords(l *Localizer, s map[string]any) string {
	name := func(key string) string {
		if o := object(s, key); o != nil {
			return fmt.Sprint(o["name"])
		}
		return l.T("person.path.someone")
	}
	via := fmt.Sprint(s["via"])
	key := "person.path." + via
	if _, ok := catalogs["en"][key]; !ok {
		return fmt.Sprint(s["text"])
	}
	switch via {
	case "ORGANISATION":
		return l.T(key, name("from"), name("to"), name("organisation"))
	case "GROUP":
		return l.T(key, name("from"), name("to"), name("group"))
	case "EVENT":
		return l.T(key, name("from"), name("to"), name("event"))
	}
	return l.T(key, name("from"), name("to"))
}

// newClientRequestID is the idempotency key of one ask form: sending the same form twice makes
// one request.
func newClientRequestID() string {
	return "web-" + rand.Text()
}

// formErrorKey is the message that explains a mutation's error code to the visitor (never the
// API's text), and the HTTP status of the page that shows it.
func formErrorKey(code bridge.Code) (string, int) {
	switch code {
	case bridge.CodeNotPossible:
		return "introductions.error.notpossible", http.StatusConflict
	case bridge.CodeRateLimited:
		return "introductions.error.ratelimited", http.StatusTooManyRequests
	case bridge.CodeBadUserInput:
		return "introductions.error.input", http.StatusUnprocessableEntity
	case bridge.CodeNotFound:
		return "introductions.error.notfound", http.StatusNotFound
	case bridge.CodeForbidden, bridge.CodeUnauthenticated:
		return "introductions.error.forbidden", http.StatusForbidden
	case bridge.CodeConflict:
		return "introductions.error.conflict", http.StatusConflict
	}
	return "introductions.error.other", http.StatusServiceUnavailable
}

// requestIntroduction is the person page's form: requestIntroduction, then 303 to /introductions;
// an error shows the form again with what to do, in the visitor's language.
func (a *App) requestIntroduction(w http.ResponseWriter, r *http.Request) {
	if !a.signInFirst(w, r) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		a.fail(w, r, &apiError{Code: bridge.CodeBadUserInput})
		return
	}
	form := askForm{To: strings.TrimSpace(r.PostForm.Get("to")), Theme: strings.TrimSpace(r.PostForm.Get("theme")),
		Message: r.PostForm.Get("message"), ClientRequestID: strings.TrimSpace(r.PostForm.Get("clientRequestId"))}
	if form.To == "" || len(form.To) > maxParam {
		a.fail(w, r, &apiError{Code: bridge.CodeBadUserInput})
		return
	}
	if form.ClientRequestID == "" || len(form.ClientRequestID) > 100 {
		form.ClientRequestID = newClientRequestID()
	}
	l := localizerFrom(r.Context())
	switch {
	case form.Theme == "":
		form.Error, form.Field = l.T("introductions.error.theme"), "theme"
	case strings.TrimSpace(form.Message) == "":
		form.Error, form.Field = l.T("introductions.error.message"), "message"
	case len([]rune(form.Message)) > maxMessage:
		form.Error, form.Field = l.T("introductions.error.toolong", maxMessage), "message"
	}
	if form.Error != "" {
		a.showPerson(w, r, form.To, &form, http.StatusUnprocessableEntity)
		return
	}
	_, err := a.run(r.Context(), "RequestIntroduction", map[string]any{"input": map[string]any{
		"to": form.To, "theme": form.Theme, "message": form.Message, "clientRequestId": form.ClientRequestID}})
	if err != nil {
		var me *apiError
		if !errors.As(err, &me) {
			a.fail(w, r, err)
			return
		}
		key, status := formErrorKey(me.Code)
		form.Error = l.T(key)
		switch {
		case strings.HasSuffix(me.Field, "message"):
			form.Field = "message"
		case strings.HasSuffix(me.Field, "theme"):
			form.Field = "theme"
		}
		if me.Code == bridge.CodeBadUserInput && strings.HasSuffix(me.Field, "to") {
			a.fail(w, r, &apiError{Code: bridge.CodeBadUserInput})
			return
		}
		a.showPerson(w, r, form.To, &form, status)
		return
	}
	http.Redirect(w, r, "/introductions", http.StatusSeeOther)
}

// answerIntroduction is the inbox's accept and decline (the last part of the path), each with an
// optional note to the secretariat; then 303 back to /introductions.
func (a *App) answerIntroduction(w http.ResponseWriter, r *http.Request) {
	if !a.signInFirst(w, r) {
		return
	}
	if err := parseForm(w, r); err != nil {
		a.fail(w, r, err)
		return
	}
	vars := map[string]any{"id": chi.URLParam(r, "id"), "note": optional(strings.TrimSpace(r.PostForm.Get("note")))}
	var err error
	if strings.HasSuffix(r.URL.Path, "/decline") {
		_, err = a.run(r.Context(), "DeclineIntroduction", vars)
	} else {
		_, err = a.run(r.Context(), "AcceptIntroduction", vars)
	}
	a.inboxResult(w, r, err, "/introductions")
}

// inboxResult answers a form of /introductions after its mutation: 303 to done, or the API's
// refusal explained on /introductions in the visitor's words (anything else: the error page).
func (a *App) inboxResult(w http.ResponseWriter, r *http.Request, err error, done string) {
	var me *apiError
	switch {
	case err == nil:
		http.Redirect(w, r, done, http.StatusSeeOther)
	case !errors.As(err, &me):
		a.fail(w, r, err)
	default:
		key, status := formErrorKey(me.Code)
		a.showIntroductions(w, r, localizerFrom(r.Context()).T(key), status)
	}
}

// introductionItem is one introduction of the visitor's page.
type introductionItem struct {
	ID, Status, Theme, Message, Created, Expires, IntroducedOn string
	Counterpart                                                map[string]any
	WantedCountry                                              string
	Mine                                                       bool // the visitor asked for it
	Withdrawable                                               bool // the visitor's own request, still open
	Contact                                                    bool // both accepted: contact details
	AskFollowUp                                                bool // introduced: how did it go? (not answered yet)
	FollowUp                                                   string
}

// followUpOutcomes are the one-click answers to "how did it go?", in the order shown.
var followUpOutcomes = []string{"USEFUL", "MET", "NOT_USEFUL", "NO_CONTACT"}

// answerFollowUp is the one click on /introductions that says how an introduction went.
func (a *App) answerFollowUp(w http.ResponseWriter, r *http.Request) {
	if !a.signInFirst(w, r) {
		return
	}
	if err := parseForm(w, r); err != nil || !slices.Contains(followUpOutcomes, r.PostForm.Get("outcome")) {
		a.fail(w, r, &apiError{Code: bridge.CodeBadUserInput})
		return
	}
	_, err := a.run(r.Context(), "AnswerFollowUp", map[string]any{"id": chi.URLParam(r, "id"), "outcome": r.PostForm.Get("outcome")})
	a.inboxResult(w, r, err, "/introductions?done=followup")
}

// followUpPage is where a follow-up e-mail's links lead (/introductions/{id}/followup?outcome=X):
// the answer the link chose, sent with one button, or another one. The link itself changes
// nothing: mail scanners and link previews open links before people do, and a GET that answered
// would answer for them. An introduction already answered, or not the visitor's, says so.
func (a *App) followUpPage(w http.ResponseWriter, r *http.Request) {
	if !a.signInFirst(w, r) {
		return
	}
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "IntroductionToFollowUp", map[string]any{"id": chi.URLParam(r, "id"), "lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	n := object(data, "introduction")
	if n == nil || n["mySide"] == nil {
		a.fail(w, r, errNotFound)
		return
	}
	it := introductionItem{ID: fmt.Sprint(n["id"]), Status: fmt.Sprint(n["status"]), Counterpart: object(n, "counterpart"),
		IntroducedOn: day(n["introducedOn"])}
	if t := object(n, "theme"); t != nil {
		it.Theme = fmt.Sprint(t["label"])
	}
	it.FollowUp, _ = n["myFollowUp"].(string)
	it.AskFollowUp = it.Status == "INTRODUCED" && it.FollowUp == ""
	chosen := r.URL.Query().Get("outcome")
	if !slices.Contains(followUpOutcomes, chosen) {
		chosen = ""
	}
	others := slices.DeleteFunc(slices.Clone(followUpOutcomes), func(o string) bool { return o == chosen })
	d := map[string]any{"Item": it, "Chosen": chosen, "Others": others}
	if a.cfg.CSRFToken != nil {
		d["CSRF"], d["CSRFField"] = a.cfg.CSRFToken(r.Context()), a.cfg.CSRFField
	}
	a.render(w, r, http.StatusOK, "introductions-followup", "introductions", l.T("introductions.followup.question"), d)
}

// introductions is the visitor's inbox (asked to accept or decline) and the status of their own
// requests and introductions.
func (a *App) introductions(w http.ResponseWriter, r *http.Request) {
	if !a.signInFirst(w, r) {
		return
	}
	a.showIntroductions(w, r, "", http.StatusOK)
}

func (a *App) showIntroductions(w http.ResponseWriter, r *http.Request, problem string, status int) {
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "Introductions", map[string]any{"lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var inbox, others []introductionItem
	for _, e := range list(object(data, "introductions"), "edges") {
		n := object(e, "node")
		it := introductionItem{ID: fmt.Sprint(n["id"]), Status: fmt.Sprint(n["status"]), Counterpart: object(n, "counterpart"),
			Mine: n["mySide"] == "REQUESTER", Created: day(n["createdAt"]), Expires: day(n["expiresAt"]), IntroducedOn: day(n["introducedOn"])}
		if t := object(n, "theme"); t != nil {
			it.Theme = fmt.Sprint(t["label"])
		}
		if c := object(n, "wantedCountry"); c != nil {
			it.WantedCountry = l.Country(fmt.Sprint(c["code"]))
		}
		if m, ok := n["message"].(string); ok {
			it.Message = m
		}
		it.Contact = it.Status == "INTRODUCED" || it.Status == "COMPLETED"
		it.Withdrawable = it.Mine && bridge.IntroductionStatus(it.Status).Open()
		it.FollowUp, _ = n["myFollowUp"].(string)
		it.AskFollowUp = it.Status == "INTRODUCED" && it.FollowUp == ""
		if it.Status == "PROPOSED" && n["myResponse"] == "PENDING" {
			inbox = append(inbox, it)
		} else {
			others = append(others, it)
		}
	}
	d := map[string]any{"Inbox": inbox, "Others": others, "Problem": problem}
	if r.Method == http.MethodGet && r.URL.Query().Get("done") == "withdrawn" {
		d["Done"] = l.T("introductions.withdraw.done")
	}
	if r.Method == http.MethodGet && r.URL.Query().Get("done") == "followup" {
		d["Done"] = l.T("introductions.followup.done")
	}
	d["FollowUpOutcomes"] = followUpOutcomes
	if a.cfg.CSRFToken != nil {
		d["CSRF"], d["CSRFField"] = a.cfg.CSRFToken(r.Context()), a.cfg.CSRFField
	}
	a.render(w, r, status, "introductions", "introductions", l.T("introductions.title"), d)
}

// day is the date part of an API DateTime or Date ("" for null).
func day(v any) string {
	s, ok := v.(string)
	if !ok || len(s) < 10 {
		return ""
	}
	return s[:10]
}

// withdrawIntroductionPage asks the visitor to confirm that they withdraw their own open request,
// with an optional note to the secretariat: the confirmation is a page of its own (a link from
// /introductions), so it works without script. Someone else's introduction, or one that is no
// longer open, has nothing to withdraw here.
func (a *App) withdrawIntroductionPage(w http.ResponseWriter, r *http.Request) {
	if !a.signInFirst(w, r) {
		return
	}
	a.showWithdraw(w, r, "", http.StatusOK)
}

func (a *App) showWithdraw(w http.ResponseWriter, r *http.Request, problem string, status int) {
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "IntroductionToWithdraw", map[string]any{"id": chi.URLParam(r, "id"), "lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	n := object(data, "introduction")
	if n == nil || n["mySide"] != "REQUESTER" || !bridge.IntroductionStatus(fmt.Sprint(n["status"])).Open() {
		a.fail(w, r, errNotFound)
		return
	}
	it := introductionItem{ID: fmt.Sprint(n["id"]), Status: fmt.Sprint(n["status"]), Counterpart: object(n, "counterpart"),
		Mine: true, Withdrawable: true, Created: day(n["createdAt"])}
	if t := object(n, "theme"); t != nil {
		it.Theme = fmt.Sprint(t["label"])
	}
	if c := object(n, "wantedCountry"); c != nil {
		it.WantedCountry = l.Country(fmt.Sprint(c["code"]))
	}
	if m, ok := n["message"].(string); ok {
		it.Message = m
	}
	d := map[string]any{"Item": it, "Problem": problem}
	if a.cfg.CSRFToken != nil {
		d["CSRF"], d["CSRFField"] = a.cfg.CSRFToken(r.Context()), a.cfg.CSRFField
	}
	a.render(w, r, status, "introductions-withdraw", "introductions", l.T("introductions.withdraw.title"), d)
}

// withdrawIntroduction is the confirmation's form: withdrawIntroduction with the optional note,
// then 303 to /introductions; an error is explained on the confirmation page (or, when the
// request is no longer open, on /introductions, which shows where it stands).
func (a *App) withdrawIntroduction(w http.ResponseWriter, r *http.Request) {
	if !a.signInFirst(w, r) {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		a.fail(w, r, &apiError{Code: bridge.CodeBadUserInput})
		return
	}
	l := localizerFrom(r.Context())
	note := strings.TrimSpace(r.PostForm.Get("note"))
	if len([]rune(note)) > maxMessage {
		a.showWithdraw(w, r, l.T("introductions.error.toolong", maxMessage), http.StatusUnprocessableEntity)
		return
	}
	_, err := a.run(r.Context(), "WithdrawIntroduction", map[string]any{"id": chi.URLParam(r, "id"), "note": optional(note)})
	if err != nil {
		var me *apiError
		if !errors.As(err, &me) {
			a.fail(w, r, err)
			return
		}
		key, status := formErrorKey(me.Code)
		if me.Code == bridge.CodeBadUserInput {
			a.showWithdraw(w, r, l.T(key), status)
			return
		}
		a.showIntroductions(w, r, l.T(key), status)
		return
	}
	http.Redirect(w, r, "/introductions?done=withdrawn", http.StatusSeeOther)
}
