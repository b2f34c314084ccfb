package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/cases"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// maxAttendeeLines bounds an uploaded attendee list: each line is one people search.
const maxAttendeeLines = 200

// deskEvents lists the programme's events for the secretariat, each with its attendance page.
func (a *App) deskEvents(w http.ResponseWriter, r *http.Request) {
	if !a.deskOnly(w, r) {
		return
	}
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "DeskEvents", nil)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "desk-events", "desk", l.T("deskevents.title"), map[string]any{"Events": list(data, "events")})
}

// attendeeChoice is a person offered as an attendee, ticked when Checked.
type attendeeChoice struct {
	ID, Name, Email, Title string
	Checked                bool
}

// attendeeLine is one line of an uploaded list and what it matched: one person (Matched), none
// (unmatched) or several (Candidates, none ticked: the secretariat chooses).
type attendeeLine struct {
	Line       string
	Matched    *attendeeChoice
	Candidates []attendeeChoice
}

// deskAttendance is an event's attendance page: the attendees recorded, a name search whose
// results are checkboxes, and the upload of a list (GET; ?q= searches).
func (a *App) deskAttendance(w http.ResponseWriter, r *http.Request) {
	if !a.deskOnly(w, r) {
		return
	}
	var found []attendeeChoice
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q != "" {
		var err error
		if found, err = a.searchAttendees(r, q); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	a.showAttendance(w, r, http.StatusOK, map[string]any{"Q": q, "Found": found, "Done": doneCount(r)})
}

// showAttendance renders the attendance page with page's own parts (search results, an upload's
// report).
func (a *App) showAttendance(w http.ResponseWriter, r *http.Request, status int, page map[string]any) {
	l := localizerFrom(r.Context())
	data, err := a.run(r.Context(), "DeskEventAttendance", map[string]any{"id": idParam(r)})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	e := object(data, "node")
	if e == nil || e["name"] == nil {
		a.fail(w, r, errNotFound)
		return
	}
	page["Event"] = e
	if _, ok := page["Done"]; !ok {
		page["Done"] = -1
	}
	// Suggestions to the attendees: once the event has ended, and once.
	end, _ := e["endDate"].(string)
	page["Ended"] = end < today()
	if at, _ := e["suggestionsSentAt"].(string); len(at) >= len(time.DateOnly) {
		page["SentOn"] = at[:len(time.DateOnly)] // an RFC 3339 time in UTC: its date
	}
	page["Sent"] = -1
	if n, err := strconv.Atoi(r.URL.Query().Get("sent")); err == nil && n >= 0 {
		page["Sent"] = n
	}
	a.render(w, r, status, "desk-attendance", "desk", l.T("deskevents.attendance.title", e["name"]), page)
}

// searchAttendees answers the people the text finds (the API's search, as the secretariat sees).
func (a *App) searchAttendees(r *http.Request, text string) ([]attendeeChoice, error) {
	data, err := a.run(r.Context(), "DeskAttendeeSearch", map[string]any{"text": text})
	if err != nil {
		return nil, err
	}
	var out []attendeeChoice
	for _, edge := range list(object(data, "people"), "edges") {
		n := object(edge, "node")
		c := attendeeChoice{}
		c.ID, _ = n["id"].(string)
		c.Name, _ = n["name"].(string)
		c.Email, _ = n["email"].(string)
		c.Title, _ = n["title"].(string)
		out = append(out, c)
	}
	return out, nil
}

// fold is the form lines and names are compared in: case-folded, spaces collapsed.
func fold(s string) string { return cases.Fold().String(strings.Join(strings.Fields(s), " ")) }

// attendeeLines reads an uploaded list: one e-mail address or name per line; a CSV line counts by
// its first field; blank lines, repeats and a header line ("email", "name") are dropped.
func attendeeLines(text string) []string {
	var out []string
	seen := map[string]bool{}
	for raw := range strings.Lines(text) {
		line, _, _ := strings.Cut(raw, ",")
		line = strings.Trim(strings.TrimSpace(line), `"`)
		f := fold(line)
		if f == "" || f == "email" || f == "e-mail" || f == "name" || seen[f] {
			continue
		}
		seen[f] = true
		out = append(out, line)
	}
	return out
}

// matchLine keeps of the people a line's search found those whose e-mail (for a line with @) or
// whole name is the line.
func matchLine(line string, found []attendeeChoice) []attendeeChoice {
	want := fold(line)
	var out []attendeeChoice
	for _, c := range found {
		if strings.Contains(line, "@") && fold(c.Email) == want || fold(c.Name) == want {
			out = append(out, c)
		}
	}
	return out
}

// searchText is what a line is searched by: an e-mail address by its local part's words.
func searchText(line string) string {
	local, _, isEmail := strings.Cut(line, "@")
	if !isEmail {
		return line
	}
	return strings.NewReplacer(".", " ", "_", " ", "-", " ").Replace(local)
}

// deskAttendancePost answers the attendance page's two forms. action=record records the ticked
// people (pick, or the confirmed matches of an upload) and answers 303. action=upload matches the
// list's lines: when every line matched exactly one person they are recorded at once; otherwise
// nothing is recorded and the page shows the unmatched and ambiguous lines, with the matched
// people ticked, for the secretariat to confirm (or to tick the right one of several).
func (a *App) deskAttendancePost(w http.ResponseWriter, r *http.Request) {
	if !a.deskOnly(w, r) {
		return
	}
	if err := parseForm(w, r); err != nil {
		a.fail(w, r, err)
		return
	}
	switch r.PostForm.Get("action") {
	case "record":
		a.recordAttendance(w, r, r.PostForm["person"])
	case "upload":
		lines := attendeeLines(r.PostForm.Get("list"))
		if len(lines) == 0 || len(lines) > maxAttendeeLines {
			l := localizerFrom(r.Context())
			a.showAttendance(w, r, http.StatusUnprocessableEntity, map[string]any{"UploadError": l.T("deskevents.upload.size", maxAttendeeLines)})
			return
		}
		report, ids, complete := []attendeeLine{}, []string{}, true
		for _, line := range lines {
			found, err := a.searchAttendees(r, searchText(line))
			if err != nil {
				a.fail(w, r, err)
				return
			}
			m := matchLine(line, found)
			al := attendeeLine{Line: line}
			switch len(m) {
			case 1:
				m[0].Checked = true
				al.Matched = &m[0]
				ids = append(ids, m[0].ID)
			case 0:
				complete = false
			default:
				al.Candidates, complete = m, false
			}
			report = append(report, al)
		}
		if complete {
			a.recordAttendance(w, r, ids)
			return
		}
		a.showAttendance(w, r, http.StatusUnprocessableEntity, map[string]any{"Report": report, "List": r.PostForm.Get("list")})
	default:
		a.fail(w, r, &apiError{Code: bridge.CodeBadUserInput, Message: "action"})
	}
}

// recordAttendance records people as attendees (all or none, audited by the API) and answers 303
// back to the page with how many.
func (a *App) recordAttendance(w http.ResponseWriter, r *http.Request, people []string) {
	if len(people) > 0 {
		if _, err := a.run(r.Context(), "DeskRecordAttendance", map[string]any{"event": idParam(r), "people": people}); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	http.Redirect(w, r, "/desk/events/"+url.PathEscape(idParam(r))+"/attendance?done="+strconv.Itoa(len(people))+"#attendees", http.StatusSeeOther)
}

// doneCount is the ?done= count of people just recorded, -1 when absent or not a number.
func doneCount(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("done"))
	if err != nil || n < 0 {
		return -1
	}
	return n
}

// deskSendSuggestions answers the attendance page's "Send suggestions to attendees": the API
// writes to each attendee who has someone to meet (once the event has ended, each attendee once),
// then 303 back to the page with how many were written to.
func (a *App) deskSendSuggestions(w http.ResponseWriter, r *http.Request) {
	if !a.deskOnly(w, r) {
		return
	}
	if err := parseForm(w, r); err != nil {
		a.fail(w, r, err)
		return
	}
	data, err := a.run(r.Context(), "DeskSendSuggestions", map[string]any{"event": idParam(r)})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	written, _ := object(data, "sendEventSuggestions")["written"].(json.Number) // numbers come as json.Number (run)
	http.Redirect(w, r, "/desk/events/"+url.PathEscape(idParam(r))+"/attendance?sent="+url.QueryEscape(written.String())+"#suggestions", http.StatusSeeOther)
}
