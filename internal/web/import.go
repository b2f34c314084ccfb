package web

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/csvio"
)

// The secretariat's import in the browser (issue 14): /desk/import takes a CSV file of people or
// organisations (multipart upload), keeps it as a pending import, and /desk/import/{id} shows
// what the API's checkImport says of it: the column mapping (a select per column, sent again
// to change it), every bad row with its line, column, reason and suggestions ("use" rewrites the
// cell), a form to correct any bad cell, and Apply, which runs applyImport (one transaction) and
// shows the counts. Everything goes through the API; the page only holds the file.
//
// The pending file is kept in this process's memory, keyed by a random id and bound to the
// secretariat member who uploaded it, for pendingTTL: it holds personal data that nobody has
// decided to import yet, so it is never written to the database (nor to its backups, which
// erasure could not reach). The price: behind several instances without sticky sessions, a
// request that reaches another instance finds no pending file and asks for the upload again.

// maxUpload bounds an uploaded file: about 20,000 rows of people. Larger lists go through
// `bridge import`, which takes csvio.MaxFileBytes.
const maxUpload = 4 << 20

// pendingTTL is how long an uploaded file waits for apply; maxPending bounds how many files the
// process holds at once (the oldest is dropped first).
const (
	pendingTTL = time.Hour
	maxPending = 50
)

// pendingImport is an uploaded file and its mapping.
type pendingImport struct {
	owner   string // who uploaded it: the signed-in account (issuer and subject)
	kind    string
	csv     string
	mapping []string // nil: automatic
	expires time.Time
	result  map[string]any
}

// pendingImports is the process's pending files.
type pendingImports struct {
	mu    sync.Mutex
	items map[string]*pendingImport
}

var pending = &pendingImports{items: map[string]*pendingImport{}}

func (p *pendingImports) put(pi *pendingImport) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	id := hex.EncodeToString(b)
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	for k, v := range p.items {
		if now.After(v.expires) {
			delete(p.items, k)
		}
	}
	for len(p.items) >= maxPending {
		oldest := ""
		for k, v := range p.items {
			if oldest == "" || v.expires.Before(p.items[oldest].expires) {
				oldest = k
			}
		}
		delete(p.items, oldest)
	}
	pi.expires = now.Add(pendingTTL)
	p.items[id] = pi
	return id
}

// get returns a copy of the pending file id of owner; change, when not nil, updates it.
func (p *pendingImports) get(id, owner string, change func(*pendingImport)) (pendingImport, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pi, ok := p.items[id]
	if !ok || pi.owner != owner || time.Now().After(pi.expires) {
		return pendingImport{}, false
	}
	if change != nil {
		change(pi)
	}
	return *pi, true
}

func importOwner(r *http.Request) string {
	p := bridge.PrincipalFrom(r.Context())
	if p.Account != nil {
		return p.Account.Issuer + " " + p.Account.Subject
	}
	return p.PersonID
}

// importKinds are the kinds of the upload form.
var importKinds = []string{"PEOPLE", "ORGANISATIONS"}

// importUpload is the upload form (GET) and takes the file (POST).
func (a *App) importUpload(w http.ResponseWriter, r *http.Request) {
	if !a.deskOnly(w, r) {
		return
	}
	l := localizerFrom(r.Context())
	d := map[string]any{"Kinds": importKinds, "Errors": map[string]string{}}
	if a.cfg.CSRFToken != nil {
		d["CSRF"], d["CSRFField"] = a.cfg.CSRFToken(r.Context()), a.cfg.CSRFField
	}
	if r.Method == http.MethodPost {
		kind := r.FormValue("kind")
		f, h, err := r.FormFile("file")
		switch {
		case !slices.Contains(importKinds, kind):
			d["Errors"].(map[string]string)["kind"] = l.T("import.error.kind")
		case err != nil:
			d["Errors"].(map[string]string)["file"] = l.T("import.error.file")
		case h.Size > maxUpload:
			d["Errors"].(map[string]string)["file"] = l.T("import.error.size", maxUpload>>20)
		default:
			defer f.Close()
			b, err := io.ReadAll(io.LimitReader(f, maxUpload+1))
			if err != nil || len(b) > maxUpload {
				d["Errors"].(map[string]string)["file"] = l.T("import.error.size", maxUpload>>20)
				break
			}
			id := pending.put(&pendingImport{owner: importOwner(r), kind: kind, csv: string(b)})
			http.Redirect(w, r, "/desk/import/"+id, http.StatusSeeOther)
			return
		}
		a.render(w, r, http.StatusBadRequest, "import", "desk", l.T("import.title"), d)
		return
	}
	a.render(w, r, http.StatusOK, "import", "desk", l.T("import.title"), d)
}

// importVars are the API's variables for a pending file.
func importVars(pi pendingImport) map[string]any {
	vars := map[string]any{"kind": pi.kind, "csv": pi.csv}
	if pi.mapping != nil {
		m := make([]map[string]any, len(pi.mapping))
		for i, c := range pi.mapping {
			m[i] = map[string]any{"index": i, "column": nil}
			if c != "" {
				m[i]["column"] = c
			}
		}
		vars["mapping"] = m
	}
	return vars
}

// importCheckView is the API's checkImport as the page shows it; Index is the file's column of
// a problem's cell (-1 when the problem is not one cell's).
type importCheckView struct {
	Columns []struct {
		Index          int
		Header, Column string
	}
	KnownColumns           []string
	RowCount, ProblemCount int
	Problems               []struct {
		Line           int
		Column, Reason string
		Suggestions    []struct{ Value, Label string }
		Index          int
	}
}

// importCheck shows the pending file as the API checks it.
func (a *App) importCheck(w http.ResponseWriter, r *http.Request) {
	if !a.deskOnly(w, r) {
		return
	}
	id := chi.URLParam(r, "id")
	pi, ok := pending.get(id, importOwner(r), nil)
	if !ok {
		a.fail(w, r, errNotFound)
		return
	}
	l := localizerFrom(r.Context())
	if pi.result != nil {
		a.render(w, r, http.StatusOK, "import-done", "desk", l.T("import.done.title"), map[string]any{"Result": pi.result})
		return
	}
	data, err := a.run(r.Context(), "ImportCheck", importVars(pi))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var c importCheckView
	raw, err := json.Marshal(data["checkImport"])
	if err == nil {
		err = json.Unmarshal(raw, &c)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for i := range c.Problems {
		p := &c.Problems[i]
		p.Index = -1
		for _, col := range c.Columns {
			if p.Column != "" && col.Column == p.Column && p.Line > 1 {
				p.Index = col.Index
			}
		}
	}
	d := map[string]any{"ID": id, "Check": c, "Kind": pi.kind}
	if a.cfg.CSRFToken != nil {
		d["CSRF"], d["CSRFField"] = a.cfg.CSRFToken(r.Context()), a.cfg.CSRFField
	}
	a.render(w, r, http.StatusOK, "import-check", "desk", l.T("import.check.title"), d)
}

// importAction changes the pending file (mapping, fix) or applies it, and answers 303.
func (a *App) importAction(w http.ResponseWriter, r *http.Request) {
	if !a.deskOnly(w, r) {
		return
	}
	if err := parseForm(w, r); err != nil {
		a.fail(w, r, err)
		return
	}
	id, owner := chi.URLParam(r, "id"), importOwner(r)
	pi, ok := pending.get(id, owner, nil)
	if !ok {
		a.fail(w, r, errNotFound)
		return
	}
	badInput := &apiError{Code: bridge.CodeBadUserInput, Message: "import form"}
	switch chi.URLParam(r, "action") {
	case "mapping":
		n, _ := strconv.Atoi(r.PostForm.Get("columns"))
		if n < 1 || n > 100 {
			a.fail(w, r, badInput)
			return
		}
		m := make([]string, n)
		for i := range m {
			m[i] = r.PostForm.Get("column-" + strconv.Itoa(i))
		}
		pending.get(id, owner, func(p *pendingImport) { p.mapping = m })
	case "fix":
		line, err1 := strconv.Atoi(r.PostForm.Get("line"))
		index, err2 := strconv.Atoi(r.PostForm.Get("index"))
		if err1 != nil || err2 != nil {
			a.fail(w, r, badInput)
			return
		}
		text, err := csvio.SetCell(pi.csv, line, index, r.PostForm.Get("value"))
		if err != nil {
			a.fail(w, r, badInput)
			return
		}
		pending.get(id, owner, func(p *pendingImport) { p.csv = text })
	case "apply":
		data, err := a.run(r.Context(), "ImportApply", importVars(pi))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		res, _ := data["applyImport"].(map[string]any)
		pending.get(id, owner, func(p *pendingImport) { p.result, p.csv = res, "" })
	default:
		a.fail(w, r, errNotFound)
		return
	}
	http.Redirect(w, r, "/desk/import/"+id, http.StatusSeeOther)
}
