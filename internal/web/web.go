// Package web is Bridge's web app: server-rendered HTML pages (html/template, with templates,
// operations, messages and assets embedded in the binary; no Node build step) for the people
// Bridge is for, in English, Swedish, Norwegian bokmål, Danish, Finnish and Icelandic. It is an adapter beside graph: every read goes through
// the GraphQL schema in-process (an Executor, graph.NewExecutor in production), so the policy,
// the read audit, the cost limits and the error codes are those of any API client.
//
// The viewer is the bridge.Principal in the request's context, as on /graphql: a sign-in
// middleware in front of this handler puts it there; without one every page is read anonymously.
//
// A page is found by its name: themes.go (handler), templates/themes.html, operations/themes.graphql
// and the message keys themes.* in messages/*.json. The handler is safe for concurrent use.
package web

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Executor runs one GraphQL operation in-process as the principal in ctx (graph.Executor).
type Executor interface {
	Execute(ctx context.Context, query, operationName string, variables map[string]any) *graphql.Response
}

// Config is what the web app needs.
type Config struct {
	Executor Executor
	Logger   *slog.Logger
	// RequestTimeout bounds the GraphQL reads of one page (BRIDGE_REQUEST_TIMEOUT).
	RequestTimeout time.Duration
	// SecureCookies marks the language cookie Secure (everywhere but development over plain http).
	SecureCookies bool
	// SignInPath, when set, is linked from the header for signed-out visitors (the sign-in flow
	// is its own package, internal/websession), with the current page as the place to return to;
	// empty: no link.
	SignInPath string
	// SignOutPath, when set, is where the header's sign-out form posts for signed-in visitors,
	// with the CSRF token of CSRFToken in the form field CSRFField.
	SignOutPath string
	CSRFToken   func(context.Context) string
	CSRFField   string
	// FormTargets are origins besides the app's own that a form may lead to (CSP form-action):
	// the sign-in provider's, whose end-session page sign-out redirects to.
	FormTargets []string
}

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed assets
var assetFiles embed.FS

// App is the web app's handler.
type App struct {
	cfg    Config
	pages  map[string]*template.Template
	router chi.Router
}

// New builds the web app. It fails when a template or the message catalogs do not parse.
func New(cfg Config) (*App, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = 10 * time.Second
	}
	a := &App{cfg: cfg, pages: map[string]*template.Template{}}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, file := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(file, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New(name).Funcs(templateFuncs).ParseFS(templateFiles, "templates/layout.html", file)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		a.pages[name] = t
	}
	a.router = a.routes()
	return a, nil
}

// ServeHTTP serves the pages and the assets.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.router.ServeHTTP(w, r) }

// routes are the web app's pages; each handler lives in the file named after its page.
func (a *App) routes() chi.Router {
	r := chi.NewRouter()
	r.Use(a.securityHeaders, a.language)
	assets, err := fs.Sub(assetFiles, "assets")
	if err != nil {
		panic(err) // the embedded folder is part of the binary
	}
	r.Handle("/assets/*", http.StripPrefix("/assets/", cacheAssets(http.FileServerFS(assets))))
	r.Group(func(r chi.Router) {
		r.Use(a.deadline)
		r.Get("/", a.home)
		r.Get("/themes", a.themes)
		r.Get("/themes/{id}", a.theme)
		r.Get("/groups", a.groups)
		r.Get("/groups/{id}", a.group)
		r.Get("/events", a.events)
		r.Get("/events/{id}", a.event)
		r.Post("/events/{id}/attendance", a.signedInForm(a.markAttendance))
		r.Get("/events/{id}/suggestions", a.eventSuggestions)
		r.Get("/practices", a.practices)
		r.Get("/practices/{id}", a.practice)
		r.Get("/countries", a.countries)
		r.Get("/municipalities", a.municipalities)
		r.Get("/municipalities/{id}", a.municipality)
		r.Get("/organisations", a.organisations)
		r.Get("/organisations/{id}", a.organisation)
		r.Get("/people/{id}", a.person)
		r.Get("/search", a.search)
		r.Get("/peers", a.peers)
		r.Get("/introductions", a.introductions)
		r.Post("/introductions", a.requestIntroduction)
		r.Post("/introductions/{id}/accept", a.answerIntroduction)
		r.Post("/introductions/{id}/decline", a.answerIntroduction)
		r.Get("/introductions/{id}/followup", a.followUpPage)
		r.Post("/introductions/{id}/followup", a.answerFollowUp)
		r.Get("/introductions/{id}/withdraw", a.withdrawIntroductionPage)
		r.Post("/introductions/{id}/withdraw", a.withdrawIntroduction)
		r.Get("/desk", a.desk)
		r.Get("/desk/statistics", a.deskStatistics)
		r.Get("/desk/network", a.network)
		r.Get("/desk/network/coverage.csv", a.networkCSV)
		r.Get("/desk/events", a.deskEvents)
		r.Get("/desk/events/{id}/attendance", a.deskAttendance)
		r.Post("/desk/events/{id}/attendance", a.deskAttendancePost)
		r.Post("/desk/events/{id}/suggestions", a.deskSendSuggestions)
		r.Get("/desk/introductions/{id}", a.deskIntroduction)
		r.Post("/desk/introductions/{id}/{action}", a.deskAction)
		r.Get("/desk/import", a.importUpload)
		r.Post("/desk/import", a.importUpload)
		r.Get("/desk/import/{id}", a.importCheck)
		r.Post("/desk/import/{id}/{action}", a.importAction)
		r.Get("/me", a.me)
		r.Post("/me/create", a.signedInForm(a.meCreate))
		r.Post("/me/profile", a.signedInForm(a.meUpdate))
		r.Post("/me/themes", a.signedInForm(a.meThemes))
		r.Post("/me/affiliations", a.signedInForm(a.meAffiliations))
		r.Post("/me/visibility", a.signedInForm(a.meVisibility))
		r.Post("/me/consent", a.signedInForm(a.meConsent))
		r.Post("/me/pause", a.signedInForm(a.mePause))
		r.Post("/me/resume", a.signedInForm(a.meResume))
		r.Post("/me/export", a.signedInForm(a.meExport))
		r.Get("/me/erase", a.meErase)
		r.Post("/me/erase", a.signedInForm(a.meEraseConfirm))
		r.Get("/me/erased", a.meErased)
		r.Get("/me/municipalities", a.meMunicipalities)
		r.Get("/me/organisations", a.meOrganisations)
		r.Get("/me/{form}", a.meBack)
	})
	r.NotFound(func(w http.ResponseWriter, r *http.Request) { a.fail(w, r, errNotFound) })
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) { a.fail(w, r, errMethod) })
	return r
}

// contentSecurityPolicy allows only the app's own scripts, styles, images and fonts: no inline
// script or style, no framing, forms only to this site.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'%s; frame-ancestors 'none'"

// csp is the Content-Security-Policy with the extra form targets: the sign-out form posts to the
// app, which redirects to the provider's end-session page, and browsers apply form-action to
// that redirect too.
func csp(formTargets []string) string {
	extra := ""
	for _, t := range formTargets {
		extra += " " + t
	}
	return fmt.Sprintf(contentSecurityPolicy, extra)
}

// securityHeaders are set on every page and asset of the web app.
func (a *App) securityHeaders(next http.Handler) http.Handler {
	policy := csp(a.cfg.FormTargets)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", policy)
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		next.ServeHTTP(w, r)
	})
}

func cacheAssets(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// deadline bounds the reads of one page; the executor resolves nothing after it (graph/deadline.go)
// and the page becomes the "try again" page.
func (a *App) deadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), a.cfg.RequestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// page is what every template gets: the layout's needs and the page's own Data.
type page struct {
	L         *Localizer
	Title     string // the page's title, translated
	Nav       string // the navigation item of this page
	Langs     []langLink
	Principal bridge.Principal
	SignIn    string
	// SignOut is the sign-out form's action, CSRF and CSRFField its token and field name.
	SignOut, CSRF, CSRFField string
	Data                     any
}

// render executes the page's template into a buffer first, so that a template error becomes the
// error page rather than half a page.
func (a *App) render(w http.ResponseWriter, r *http.Request, status int, name, nav, title string, data any) {
	t, ok := a.pages[name]
	if !ok {
		a.fail(w, r, fmt.Errorf("no template %q", name))
		return
	}
	l := localizerFrom(r.Context())
	p := page{L: l, Title: title, Nav: nav, Langs: languageLinks(r, l.Lang), Principal: bridge.PrincipalFrom(r.Context()),
		Data: data}
	if a.cfg.SignInPath != "" {
		p.SignIn = a.cfg.SignInPath + "?" + url.Values{"return": {r.URL.RequestURI()}}.Encode()
	}
	if a.cfg.SignOutPath != "" && a.cfg.CSRFToken != nil {
		p.SignOut, p.CSRF, p.CSRFField = a.cfg.SignOutPath, a.cfg.CSRFToken(r.Context()), a.cfg.CSRFField
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		if name == "error" {
			http.Error(w, "error", http.StatusInternalServerError)
			return
		}
		a.fail(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", l.Lang)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "Accept-Language, Cookie")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// Errors of the web layer itself.
var (
	errNotFound = &apiError{Code: bridge.CodeNotFound}
	errMethod   = &apiError{Code: "METHOD_NOT_ALLOWED"}
)

// apiError is an error answer of the GraphQL API (its extensions.code) or of the web layer.
type apiError struct {
	Code    bridge.Code
	Message string
	// Field is the input path of a BAD_USER_INPUT error (extensions.field joined with dots), for
	// a form to mark the control it is about.
	Field string
}

func (e *apiError) Error() string { return string(e.Code) + ": " + e.Message }

// fail renders the friendly error page for err: never its text, only what the visitor can do,
// and the request id to quote to support. Internal errors are logged with that id.
func (a *App) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, kind := http.StatusInternalServerError, "internal"
	var apiErr *apiError
	switch {
	case errors.As(err, &apiErr) && apiErr.Code == bridge.CodeNotFound:
		status, kind = http.StatusNotFound, "notfound"
	case errors.As(err, &apiErr) && apiErr.Code == bridge.CodeBadUserInput:
		status, kind = http.StatusBadRequest, "badrequest"
	case errors.As(err, &apiErr) && apiErr.Code == "METHOD_NOT_ALLOWED":
		status, kind = http.StatusMethodNotAllowed, "notfound"
	case errors.As(err, &apiErr) && (apiErr.Code == bridge.CodeUnavailable || apiErr.Code == "COMPLEXITY_LIMIT_EXCEEDED"),
		errors.Is(err, context.DeadlineExceeded):
		status, kind = http.StatusServiceUnavailable, "unavailable"
	case errors.As(err, &apiErr) && (apiErr.Code == bridge.CodeForbidden || apiErr.Code == bridge.CodeUnauthenticated):
		status, kind = http.StatusForbidden, "forbidden"
	}
	id := middleware.GetReqID(r.Context())
	if status >= 500 {
		a.cfg.Logger.LogAttrs(r.Context(), slog.LevelError, "web page failed", slog.String("request_id", id),
			slog.Int("status", status), slog.String("cause", err.Error()))
	}
	l := localizerFrom(r.Context())
	a.render(w, r, status, "error", "", l.T("error."+kind+".title"), map[string]any{"Kind": kind, "RequestID": id})
}

// run executes the named operation of the page's .graphql file (operations.go) and decodes its
// data into a generic tree for the template (numbers as json.Number). Any GraphQL error fails the
// page with the error's code; a page whose main object is null answers NOT_FOUND itself.
func (a *App) run(ctx context.Context, op string, vars map[string]any) (map[string]any, error) {
	doc, ok := operationDocs[op]
	if !ok {
		return nil, fmt.Errorf("no operation %q", op)
	}
	resp := a.cfg.Executor.Execute(ctx, doc, op, vars)
	if len(resp.Errors) > 0 {
		e := resp.Errors[0]
		code, _ := e.Extensions["code"].(string)
		if code == "" {
			code = string(bridge.CodeInternal)
		}
		return nil, &apiError{Code: bridge.Code(code), Message: op + ": " + e.Message, Field: errorField(e.Extensions["field"])}
	}
	var data map[string]any
	dec := json.NewDecoder(bytes.NewReader(resp.Data))
	dec.UseNumber()
	if err := dec.Decode(&data); err != nil {
		return nil, fmt.Errorf("%s: decode: %w", op, err)
	}
	return data, nil
}

// errorField is an error's extensions.field (a list of path parts) joined with dots.
func errorField(v any) string {
	switch f := v.(type) {
	case []string:
		return strings.Join(f, ".")
	case []any:
		parts := make([]string, 0, len(f))
		for _, p := range f {
			parts = append(parts, fmt.Sprint(p))
		}
		return strings.Join(parts, ".")
	case string:
		return f
	}
	return ""
}
