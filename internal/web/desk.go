package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The secretariat's desk (issue 14, brokering): /desk is the queue of introductions with filters
// (status with counts, theme, country, how long it has waited, outcome, who handles it) as a GET form, newest
// first and paged; /desk/introductions/{id} is one introduction with both parties, their answers
// and notes, the history in words, and the actions its status allows: propose a request to the
// person named or to a candidate (the requester's peers on the theme, in the country asked for,
// with the reasons and whether an introduction is possible now), record an answer a party gave
// outside Bridge, close it, record the outcome, take it (or release it, or take it over from a
// colleague), add an internal note only the secretariat reads; the parties' answers to the
// follow-up e-mail are shown with their outcome. Every action posts to
// /desk/introductions/{id}/{action} (with the CSRF token the sign-in middleware checks); those
// that cannot be undone (answer, close, outcome) first show a confirmation page that posts the
// same values again with confirmed=1. Errors are shown next to their fields (the API's
// extensions.field). The desk is for the secretariat only: a signed-out visitor is sent to the
// sign-in, a member gets "not found", as the API's policy would refuse them anyway.
//
// Who handles a request: "I'll handle it" takes it (takeIntroduction), "Release" leaves it to
// nobody; the queue filters by it (mine, nobody's, colleagues'). Internal notes are added and read
// on the introduction's page; what each party said in the follow-up shows on their card.

// deskStatuses are the statuses of the queue's filter, in workflow order.
var deskStatuses = bridge.StoredStatuses

// deskOutcomes are the outcomes the secretariat records.
var deskOutcomes = []string{"MET", "USEFUL", "NOT_USEFUL", "NO_CONTACT"}

// deskChannels are the ways a party may have answered outside Bridge.
var deskChannels = []string{"PHONE", "EMAIL", "IN_PERSON", "OTHER"}

// maxWaited bounds the "waited more than N days" filter (ten years).
const maxWaited = 3650

// deskOnly lets the secretariat through: a signed-out visitor is sent to the sign-in (GET) or
// refused; anyone else signed in finds nothing here.
func (a *App) deskOnly(w http.ResponseWriter, r *http.Request) bool {
	if !a.signInFirst(w, r) {
		return false
	}
	if !bridge.PrincipalFrom(r.Context()).IsSecretariat() {
		a.fail(w, r, errNotFound)
		return false
	}
	return true
}

// deskRow is one introduction of the queue.
type deskRow struct {
	ID, Status, Theme, Country, Age, Outcome, Handler string
	Mine                                              bool
	People                                            []string
}

// deskHandled are the values of the queue's "who handles it" filter.
var deskHandled = []string{"ME", "NOBODY", "OTHERS"}

// desk is the queue.
func (a *App) desk(w http.ResponseWriter, r *http.Request) {
	if !a.deskOnly(w, r) {
		return
	}
	ctx := r.Context()
	l := localizerFrom(ctx)
	setup, err := a.run(ctx, "DeskSetup", map[string]any{"lang": l.Lang})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	statuses, theme, country, outcome, waited := params(r, "status"), param(r, "theme"), param(r, "country"), param(r, "outcome"), param(r, "waited")
	handled := param(r, "handled")
	errs := map[string]string{}
	filter := map[string]any{}
	var chosen []string
	for _, s := range statuses {
		if slices.Contains(deskStatuses, bridge.IntroductionStatus(s)) && !slices.Contains(chosen, s) {
			chosen = append(chosen, s)
		}
	}
	if len(chosen) > 0 {
		filter["status"] = chosen
	}
	if theme != "" {
		filter["themes"] = []string{theme}
	}
	if country != "" {
		filter["countries"] = []string{country}
	}
	if slices.Contains(deskOutcomes, outcome) {
		filter["outcomes"] = []string{outcome}
	} else {
		outcome = ""
	}
	if slices.Contains(deskHandled, handled) {
		filter["handledBy"] = handled
	} else {
		handled = ""
	}
	if waited != "" {
		n, err := strconv.Atoi(waited)
		if err != nil || n < 0 || n > maxWaited {
			errs["waited"] = l.T("desk.error.waited", maxWaited)
		} else if n > 0 {
			filter["createdBefore"] = time.Now().UTC().Add(-time.Duration(n) * 24 * time.Hour).Format(time.RFC3339)
		}
	}
	vars := map[string]any{"filter": filter, "lang": l.Lang, "after": optional(param(r, "after"))}
	data, err := a.run(ctx, "DeskQueue", vars)
	if err != nil {
		var ae *apiError
		if errors.As(err, &ae) && ae.Code == bridge.CodeBadUserInput {
			// An edited address (an unknown theme or country, a stale cursor): the page says
			// which filter, the queue shows without the filters.
			switch {
			case strings.Contains(ae.Field, "themes"):
				errs["theme"] = l.T("desk.error.filter")
			case strings.Contains(ae.Field, "countries"):
				errs["country"] = l.T("desk.error.filter")
			}
			data, err = a.run(ctx, "DeskQueue", map[string]any{"filter": map[string]any{}, "lang": l.Lang})
		}
		if err != nil {
			a.fail(w, r, err)
			return
		}
	}
	conn := object(data, "introductions")
	counts := map[string]any{}
	for _, c := range list(conn, "counts") {
		counts[fmt.Sprint(c["status"])] = c["count"]
	}
	var statusOpts []facetOption
	for _, s := range deskStatuses {
		n := counts[string(s)]
		if n == nil {
			n = 0
		}
		statusOpts = append(statusOpts, facetOption{Value: string(s), Label: l.Enum("desk.status", s), Count: n,
			Checked: slices.Contains(chosen, string(s))})
	}
	var themeOpts, countryOpts, outcomeOpts, handledOpts []facetOption
	for _, h := range deskHandled {
		handledOpts = append(handledOpts, facetOption{Value: h, Label: l.Enum("desk.handled", h), Checked: h == handled})
	}
	for _, t := range list(setup, "themes") {
		id := fmt.Sprint(t["id"])
		themeOpts = append(themeOpts, facetOption{Value: id, Label: fmt.Sprint(t["label"]), Checked: id == theme})
	}
	for _, c := range list(setup, "countries") {
		code := fmt.Sprint(c["code"])
		countryOpts = append(countryOpts, facetOption{Value: code, Label: l.Country(code), Checked: code == country})
	}
	for _, o := range deskOutcomes {
		outcomeOpts = append(outcomeOpts, facetOption{Value: o, Label: l.Enum("desk.outcome", o), Checked: o == outcome})
	}
	now := time.Now().UTC()
	var rows []deskRow
	for _, e := range list(conn, "edges") {
		n := object(e, "node")
		row := deskRow{ID: fmt.Sprint(n["id"]), Status: fmt.Sprint(n["status"]), Age: age(l, n["createdAt"], now)}
		if t := object(n, "theme"); t != nil {
			row.Theme = fmt.Sprint(t["label"])
		}
		if c := object(n, "wantedCountry"); c != nil {
			row.Country = l.Country(fmt.Sprint(c["code"]))
		}
		if o, ok := n["outcome"].(string); ok {
			row.Outcome = l.Enum("desk.outcome", o)
		}
		row.Handler, _ = n["handler"].(string)
		row.Mine = n["handledByMe"] == true
		for _, p := range list(n, "parties") {
			if person := object(p, "person"); person != nil {
				row.People = append(row.People, fmt.Sprint(person["name"]))
			} else {
				row.People = append(row.People, l.T("desk.erased"))
			}
		}
		if len(row.People) == 0 { // nobody left to name: the link still needs words
			row.People = []string{l.T("desk.intro.title")}
		}
		rows = append(rows, row)
	}
	d := map[string]any{"Rows": rows, "Total": conn["totalCount"], "Statuses": statusOpts, "Themes": themeOpts,
		"Countries": countryOpts, "Outcomes": outcomeOpts, "Handled": handledOpts, "Waited": waited, "Errors": errs,
		"Filtered": len(chosen) > 0 || theme != "" || country != "" || outcome != "" || waited != "" || handled != "", "Pager": cursorPager(r, conn)}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	a.render(w, r, status, "desk", "desk", l.T("desk.title"), d)
}

// age is how long ago an API DateTime was, in days, in the visitor's language.
func age(l *Localizer, v any, now time.Time) string {
	s, _ := v.(string)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return ""
	}
	switch days := int(now.Sub(t).Hours() / 24); days {
	case 0:
		return l.T("desk.age.today")
	case 1:
		return l.T("desk.age.day")
	default:
		return l.T("desk.age.days", days)
	}
}

// deskForm is an action's form as posted, with the errors to show next to its fields.
type deskForm struct {
	Action  string
	Values  map[string]string
	Errors  map[string]string
	Problem string
}

// V is a posted value.
func (f *deskForm) V(name string) string {
	if f == nil {
		return ""
	}
	return f.Values[name]
}

// E is the error of a field of the action's form, "" when the form is another action's.
func (f *deskForm) E(action, name string) string {
	if f == nil || f.Action != action {
		return ""
	}
	return f.Errors[name]
}

// deskParty is one side of an introduction.
type deskParty struct {
	Side, Response, RespondedAt, Note, FollowUp string
	Person                                      map[string]any
}

// deskNote is one of the secretariat's internal notes.
type deskNote struct {
	At, Author, Text string
}

// deskEvent is one line of an introduction's history.
type deskEvent struct {
	At, Text string
}

// deskCandidate is a person the request could be proposed to.
type deskCandidate struct {
	Person           map[string]any
	Reasons, Missing []string
	Possible         bool
	Named            bool // the person the member named
}

// deskIntro is one introduction on the desk.
type deskIntro struct {
	ID, Status, Theme, ThemeID, WantedCountry, WantedCode, Message, Created, Expires, IntroducedOn, Outcome string
	Handler                                                                                                 string
	Mine                                                                                                    bool // the viewer handles it
	Parties                                                                                                 []deskParty
	Pending                                                                                                 []deskParty // asked, not answered
	History                                                                                                 []deskEvent
	Notes                                                                                                   []deskNote
	Requester, Named                                                                                        map[string]any
	Candidates                                                                                              []deskCandidate
	CanPropose, CanAnswer, CanClose, CanOutcome                                                             bool
}

// loadDeskIntro reads introduction id with everything the desk shows of it; errNotFound when
// there is none.
func (a *App) loadDeskIntro(r *http.Request, id string) (*deskIntro, error) {
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "DeskIntroduction", map[string]any{"id": id, "lang": l.Lang})
	if err != nil {
		return nil, err
	}
	n := object(data, "introduction")
	if n == nil {
		return nil, errNotFound
	}
	it := &deskIntro{ID: fmt.Sprint(n["id"]), Status: fmt.Sprint(n["status"]), Created: day(n["createdAt"]),
		Expires: day(n["expiresAt"]), IntroducedOn: day(n["introducedOn"])}
	if t := object(n, "theme"); t != nil {
		it.Theme, it.ThemeID = fmt.Sprint(t["label"]), fmt.Sprint(t["id"])
	}
	if c := object(n, "wantedCountry"); c != nil {
		it.WantedCode = fmt.Sprint(c["code"])
		it.WantedCountry = l.Country(it.WantedCode)
	}
	if m, ok := n["message"].(string); ok {
		it.Message = m
	}
	if o, ok := n["outcome"].(string); ok {
		it.Outcome = l.Enum("desk.outcome", o)
	}
	for _, p := range list(n, "parties") {
		dp := deskParty{Side: fmt.Sprint(p["side"]), Response: fmt.Sprint(p["response"]), RespondedAt: day(p["respondedAt"]),
			Person: object(p, "person")}
		if note, ok := p["note"].(string); ok {
			dp.Note = note
		}
		if fu, ok := p["followUp"].(string); ok {
			dp.FollowUp = l.Enum("introductions.followup", fu)
		}
		it.Parties = append(it.Parties, dp)
		switch dp.Side {
		case "REQUESTER":
			it.Requester = dp.Person
		case "RECIPIENT":
			it.Named = dp.Person
		}
		if dp.Response == "PENDING" && dp.Person != nil {
			it.Pending = append(it.Pending, dp)
		}
	}
	it.Handler, _ = n["handler"].(string)
	it.Mine = n["handledByMe"] == true
	for _, note := range list(n, "notes") {
		dn := deskNote{At: when(l, note["at"]), Text: fmt.Sprint(note["text"]), Author: l.T("desk.actor.secretariat")}
		if au := object(note, "author"); au != nil {
			dn.Author = fmt.Sprint(au["name"])
		}
		it.Notes = append(it.Notes, dn)
	}
	for _, h := range list(n, "history") {
		it.History = append(it.History, deskEvent{At: when(l, h["at"]), Text: historyText(l, h)})
	}
	status := bridge.IntroductionStatus(it.Status)
	it.CanPropose = status == bridge.StatusRequested
	it.CanAnswer = status == bridge.StatusProposed && len(it.Pending) > 0
	it.CanClose = status.Open()
	it.CanOutcome = status == bridge.StatusIntroduced
	if !it.CanAnswer {
		it.Pending = nil
	}
	return it, nil
}

// when is an API DateTime as a date and a time (UTC) in the visitor's language.
func when(l *Localizer, v any) string {
	s, _ := v.(string)
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	t = t.UTC()
	return l.T("desk.when", l.Date(t.Format(time.DateOnly)), t.Format("15:04"))
}

// historyText is one change of an introduction in words: who did what, and for an answer the
// secretariat recorded, for whom and how it was given.
func historyText(l *Localizer, h map[string]any) string {
	action := fmt.Sprint(h["action"])
	if action == "EXPIRE" {
		return l.T("desk.history.EXPIRE")
	}
	if behalf := object(h, "onBehalfOf"); behalf != nil || h["channel"] != nil {
		who := l.T("desk.someone")
		if behalf != nil {
			who = fmt.Sprint(behalf["name"])
		}
		channel := l.Enum("desk.channel.how", h["channel"])
		if h["channel"] == nil {
			channel = ""
		}
		key := "desk.history.behalf." + action
		if _, ok := catalogs["en"][key]; ok {
			return strings.TrimSpace(l.T(key, who, channel))
		}
	}
	actor := l.T("desk.someone")
	switch a := object(h, "actor"); {
	case a != nil:
		actor = fmt.Sprint(a["name"])
	case h["actorRole"] == "SECRETARIAT" || h["actorRole"] == "ADMIN":
		actor = l.T("desk.actor.secretariat")
	case h["actorRole"] == "SYSTEM" || h["actorRole"] == "CLI":
		actor = l.T("desk.actor.system")
	}
	key := "desk.history." + action
	if _, ok := catalogs["en"][key]; !ok {
		return actor + ": " + action
	}
	return l.T(key, actor)
}

// candidates are the requester's peers on the introduction's theme (in the country asked for),
// with the person the member named first.
func (a *App) candidates(r *http.Request, it *deskIntro) ([]deskCandidate, error) {
	l := localizerFrom(r.Context())
	var out []deskCandidate
	if it.Named != nil {
		out = append(out, deskCandidate{Person: it.Named, Named: true, Possible: true})
	}
	if it.Requester == nil {
		return out, nil
	}
	filter := map[string]any{}
	if it.ThemeID != "" {
		filter["themes"] = []string{it.ThemeID}
	}
	if it.WantedCode != "" {
		filter["countries"] = []string{it.WantedCode}
	}
	data, err := a.run(r.Context(), "DeskCandidates", map[string]any{"person": it.Requester["id"], "filter": filter, "lang": l.Lang})
	if err != nil {
		return nil, err
	}
	for _, m := range list(data, "peers") {
		p := object(m, "person")
		if p == nil || (it.Named != nil && p["id"] == it.Named["id"]) {
			continue
		}
		c := deskCandidate{Person: p, Possible: m["introductionPossible"] == true}
		for _, reason := range list(m, "reasons") {
			c.Reasons = append(c.Reasons, reasonWords(l, "desk.reason", reason))
		}
		for _, gap := range list(m, "missing") {
			kind := fmt.Sprint(gap["kind"])
			c.Missing = append(c.Missing, translated(l, "desk.missing."+kind,
				translated(l, "peers.missing."+kind, fmt.Sprint(gap["text"]))))
		}
		out = append(out, c)
	}
	return out, nil
}

// deskIntroduction is one introduction on the desk.
func (a *App) deskIntroduction(w http.ResponseWriter, r *http.Request) {
	if !a.deskOnly(w, r) {
		return
	}
	a.showDeskIntro(w, r, http.StatusOK, nil)
}

// showDeskIntro renders the introduction with form as posted (nil: as loaded).
func (a *App) showDeskIntro(w http.ResponseWriter, r *http.Request, status int, form *deskForm) {
	l := localizerFrom(r.Context())
	it, err := a.loadDeskIntro(r, chi.URLParam(r, "id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if it.CanPropose {
		if it.Candidates, err = a.candidates(r, it); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	d := map[string]any{"I": it, "Form": form, "Channels": deskChannels, "Outcomes": deskOutcomes}
	if form == nil {
		d["Form"] = &deskForm{}
	}
	recipient := form.V("recipient")
	if recipient == "" && it.Named != nil {
		recipient = fmt.Sprint(it.Named["id"])
	}
	d["Recipient"] = recipient
	person := form.V("person")
	if person == "" && len(it.Pending) == 1 {
		person = fmt.Sprint(it.Pending[0].Person["id"])
	}
	d["Person"] = person
	if r.Method == http.MethodGet {
		if done := r.URL.Query().Get("done"); slices.Contains([]string{"propose", "answer", "close", "outcome", "note", "take", "release"}, done) {
			d["Done"] = l.T("desk.done." + done)
		}
	}
	if a.cfg.CSRFToken != nil {
		d["CSRF"], d["CSRFField"] = a.cfg.CSRFToken(r.Context()), a.cfg.CSRFField
	}
	a.render(w, r, status, "desk-introduction", "desk", l.T("desk.intro.title"), d)
}

// deskAction is the POST of an action's form: propose, answer, close or outcome. Answer, close
// and outcome cannot be undone: without confirmed=1 the confirmation page is shown instead.
func (a *App) deskAction(w http.ResponseWriter, r *http.Request) {
	if !a.deskOnly(w, r) {
		return
	}
	if err := parseForm(w, r); err != nil {
		a.fail(w, r, err)
		return
	}
	l := localizerFrom(r.Context())
	id, action := chi.URLParam(r, "id"), chi.URLParam(r, "action")
	form := &deskForm{Action: action, Values: map[string]string{}, Errors: map[string]string{}}
	for _, k := range []string{"recipient", "person", "accept", "channel", "note", "outcome", "text"} {
		form.Values[k] = strings.TrimSpace(r.PostForm.Get(k))
	}
	ctx := r.Context()
	var do func() error // the action's mutation
	mutate := func(data map[string]any, err error) error { return err }
	switch action {
	case "propose":
		if form.V("recipient") == "" {
			form.Errors["recipient"] = l.T("desk.error.recipient")
		}
		input := map[string]any{"introduction": id}
		if form.V("recipient") != "" {
			input["recipient"] = form.V("recipient")
		}
		do = func() error { return mutate(a.run(ctx, "DeskTriage", map[string]any{"input": input})) }
	case "answer":
		if form.V("person") == "" {
			form.Errors["person"] = l.T("desk.error.person")
		}
		if form.V("accept") != "yes" && form.V("accept") != "no" {
			form.Errors["accept"] = l.T("desk.error.accept")
		}
		if !slices.Contains(deskChannels, form.V("channel")) {
			form.Errors["channel"] = l.T("desk.error.channel")
		}
		if len([]rune(form.V("note"))) > maxMessage {
			form.Errors["note"] = l.T("introductions.error.toolong", maxMessage)
		}
		input := map[string]any{"introduction": id, "person": form.V("person"), "accept": form.V("accept") == "yes",
			"channel": form.V("channel"), "note": optional(form.V("note"))}
		do = func() error { return mutate(a.run(ctx, "DeskRecordAnswer", map[string]any{"input": input})) }
	case "close":
		if len([]rune(form.V("note"))) > maxMessage {
			form.Errors["note"] = l.T("introductions.error.toolong", maxMessage)
		}
		do = func() error {
			return mutate(a.run(ctx, "DeskWithdraw", map[string]any{"id": id, "note": optional(form.V("note"))}))
		}
	case "outcome":
		if !slices.Contains(deskOutcomes, form.V("outcome")) {
			form.Errors["outcome"] = l.T("desk.error.outcome")
		}
		do = func() error {
			return mutate(a.run(ctx, "DeskOutcome", map[string]any{"id": id, "outcome": form.V("outcome")}))
		}
	case "note":
		switch n := len([]rune(form.V("text"))); {
		case n == 0:
			form.Errors["text"] = l.T("desk.error.notetext")
		case n > bridge.MaxNoteLength:
			form.Errors["text"] = l.T("introductions.error.toolong", bridge.MaxNoteLength)
		}
		do = func() error { return mutate(a.run(ctx, "DeskNote", map[string]any{"id": id, "text": form.V("text")})) }
	case "take":
		do = func() error { return mutate(a.run(ctx, "DeskTake", map[string]any{"id": id})) }
	case "release":
		do = func() error { return mutate(a.run(ctx, "DeskRelease", map[string]any{"id": id})) }
	default:
		a.fail(w, r, errNotFound)
		return
	}
	if len(form.Errors) > 0 {
		form.Problem = l.T("introductions.error.input")
		a.showDeskIntro(w, r, http.StatusUnprocessableEntity, form)
		return
	}
	if slices.Contains([]string{"answer", "close", "outcome"}, action) && r.PostForm.Get("confirmed") != "1" {
		a.showDeskConfirm(w, r, form)
		return
	}
	if err := do(); err != nil {
		var ae *apiError
		if !errors.As(err, &ae) {
			a.fail(w, r, err)
			return
		}
		key, status := formErrorKey(ae.Code)
		form.Problem = l.T(key)
		if ae.Code == bridge.CodeNotPossible {
			form.Problem = l.T("desk.error.notpossible")
		}
		if ae.Field != "" {
			parts := strings.Split(ae.Field, ".")
			field := parts[len(parts)-1]
			if field == "id" || field == "introduction" {
				a.fail(w, r, errNotFound)
				return
			}
			form.Errors[field] = l.T(key)
		}
		a.showDeskIntro(w, r, status, form)
		return
	}
	http.Redirect(w, r, "/desk/introductions/"+url.PathEscape(id)+"?done="+action, http.StatusSeeOther)
}

// showDeskConfirm asks the secretariat to confirm an action that cannot be undone, saying what it
// does; its form posts the same values again with confirmed=1.
func (a *App) showDeskConfirm(w http.ResponseWriter, r *http.Request, form *deskForm) {
	l := localizerFrom(r.Context())
	it, err := a.loadDeskIntro(r, chi.URLParam(r, "id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var summary []string
	switch form.Action {
	case "answer":
		who := ""
		for _, p := range it.Pending {
			if fmt.Sprint(p.Person["id"]) == form.V("person") {
				who = fmt.Sprint(p.Person["name"])
			}
		}
		if who == "" { // not a party waiting for an answer: the API explains
			who = l.T("desk.someone")
		}
		key := "desk.confirm.answer.decline"
		if form.V("accept") == "yes" {
			key = "desk.confirm.answer.accept"
		}
		summary = append(summary, l.T(key, who, l.Enum("desk.channel.how", form.V("channel"))))
	case "close":
		summary = append(summary, l.T("desk.confirm.close.text"))
	case "outcome":
		summary = append(summary, l.T("desk.confirm.outcome.text", l.Enum("desk.outcome", form.V("outcome"))))
	}
	var hidden [][2]string
	for _, k := range []string{"person", "accept", "channel", "note", "outcome"} {
		if v := form.V(k); v != "" {
			hidden = append(hidden, [2]string{k, v})
		}
	}
	d := map[string]any{"I": it, "Action": form.Action, "Summary": summary, "Note": form.V("note"), "Hidden": hidden}
	if a.cfg.CSRFToken != nil {
		d["CSRF"], d["CSRFField"] = a.cfg.CSRFToken(r.Context()), a.cfg.CSRFField
	}
	a.render(w, r, http.StatusOK, "desk-confirm", "desk", l.T("desk.confirm."+form.Action+".title"), d)
}
