package web

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
)

// Languages are the web app's languages, in the order of the chooser: English, Swedish, Norwegian
// bokmål, Danish, Finnish, Icelandic. Their codes are also the `lang` of theme labels in the API.
var Languages = []string{"en", "sv", "nb", "da", "fi", "is"}

// langTags are Languages as tags, for the matcher (index i is Languages[i]).
var langTags = func() []language.Tag {
	tags := make([]language.Tag, len(Languages))
	for i, l := range Languages {
		tags[i] = language.MustParse(l)
	}
	return tags
}()

// matcher negotiates Accept-Language: "no" and "nn" get bokmål, "fo" Danish, anything else
// without a match English (the first).
var matcher = language.NewMatcher(langTags)

// langCookie remembers the visitor's choice from the chooser for a year.
const langCookie = "bridge_lang"

//go:embed messages/*.json
var messageFiles embed.FS

// catalogs are the UI texts, one flat JSON object (key → text) per language; a test fails when a
// key is missing or empty in any of them.
var catalogs = func() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, l := range Languages {
		raw, err := messageFiles.ReadFile("messages/" + l + ".json")
		if err != nil {
			panic(err) // the catalogs are part of the binary; the tests read them all
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			panic(fmt.Sprintf("messages/%s.json: %v", l, err))
		}
		out[l] = m
	}
	return out
}()

// Localizer is the language of one request: its messages and the names of countries, languages
// and dates in that language. Templates call it as {{.L.T "themes.title"}}.
type Localizer struct {
	Lang string
	tag  language.Tag
	msgs map[string]string
}

func newLocalizer(lang string) *Localizer {
	if _, ok := catalogs[lang]; !ok {
		lang = "en"
	}
	return &Localizer{Lang: lang, tag: language.MustParse(lang), msgs: catalogs[lang]}
}

// T returns the message key in the request's language, formatted with args (fmt verbs) when given.
// A missing key shows as the key itself (the completeness test keeps that from shipping).
func (l *Localizer) T(key string, args ...any) string {
	s, ok := l.msgs[key]
	if !ok {
		if s, ok = catalogs["en"][key]; !ok {
			return key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Country is the name of a Nordic country or territory (ISO code) in the request's language,
// from CLDR.
func (l *Localizer) Country(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := display.Regions(l.tag).Name(r); name != "" {
		return name
	}
	return code
}

// Language is the name of a language (ISO 639-1 code) in the request's language, from CLDR.
func (l *Localizer) Language(code string) string {
	t, err := language.Parse(code)
	if err != nil {
		return code
	}
	if name := display.Languages(l.tag).Name(t); name != "" {
		return name
	}
	return code
}

// Date writes an ISO date (2018-11-20) as the request's language writes dates.
func (l *Localizer) Date(iso any) string {
	s := fmt.Sprint(iso)
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return fmt.Sprintf(l.T("date.format"), d.Day(), l.T(fmt.Sprintf("month.%d", int(d.Month()))), d.Year())
}

// Number writes a whole number (a population) with the request's language's digit grouping:
// 674,500 in English, 674 500 in Swedish and Finnish, 674.500 in Danish and Icelandic. Anything
// that is not a whole number is written as it is.
func (l *Localizer) Number(n any) string {
	i, err := strconv.ParseInt(fmt.Sprint(n), 10, 64)
	if err != nil {
		return fmt.Sprint(n)
	}
	return message.NewPrinter(l.tag).Sprintf("%d", i)
}

// Enum is the translation of an API enum value (kind, role, mode): the key prefix.VALUE.
func (l *Localizer) Enum(prefix string, value any) string {
	return l.T(prefix + "." + fmt.Sprint(value))
}

type localizerKey struct{}

func localizerFrom(ctx context.Context) *Localizer {
	if l, ok := ctx.Value(localizerKey{}).(*Localizer); ok {
		return l
	}
	return newLocalizer("en")
}

// language picks the request's language: ?lang= from the chooser (remembered in a cookie, then
// a redirect to the same address without it), else the cookie, else Accept-Language.
func (a *App) language(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if choice := r.URL.Query().Get("lang"); choice != "" && r.Method == http.MethodGet {
			if _, ok := catalogs[choice]; ok {
				http.SetCookie(w, &http.Cookie{Name: langCookie, Value: choice, Path: "/", MaxAge: 365 * 24 * 3600,
					HttpOnly: true, Secure: a.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
			}
			q := r.URL.Query()
			q.Del("lang")
			target := r.URL.Path
			if enc := q.Encode(); enc != "" {
				target += "?" + enc
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		lang := ""
		if c, err := r.Cookie(langCookie); err == nil {
			if _, ok := catalogs[c.Value]; ok {
				lang = c.Value
			}
		}
		if lang == "" {
			tags, _, _ := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
			_, i, _ := matcher.Match(tags...)
			lang = Languages[i]
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), localizerKey{}, newLocalizer(lang))))
	})
}

// langLink is one entry of the language chooser.
type langLink struct {
	Code    string // en, sv …
	Name    string // the language's own name: svenska, suomi …
	Href    string // this page with ?lang=
	Current bool
}

func languageLinks(r *http.Request, current string) []langLink {
	out := make([]langLink, len(Languages))
	for i, l := range Languages {
		q := r.URL.Query()
		q.Set("lang", l)
		out[i] = langLink{Code: l, Name: selfName(l), Href: r.URL.Path + "?" + q.Encode(), Current: l == current}
	}
	return out
}

// selfName is a language's name in itself, capitalised as a chooser shows it (Svenska, Suomi).
func selfName(code string) string {
	name := display.Self.Name(language.MustParse(code))
	if name == "" {
		return code
	}
	r := []rune(name)
	return strings.ToUpper(string(r[:1])) + string(r[1:])
}

// templateFuncs are the helpers of every template.
var templateFuncs = template.FuncMap{
	// dict passes several values to a shared template: dict "L" .L "People" .edges.
	"dict": func(pairs ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(pairs); i += 2 {
			m[fmt.Sprint(pairs[i])] = pairs[i+1]
		}
		return m
	},
	// link builds a URL of path with the query parameters given as pairs, skipping empty values.
	"link": func(path string, pairs ...any) string {
		q := url.Values{}
		for i := 0; i+1 < len(pairs); i += 2 {
			if v := fmt.Sprint(pairs[i+1]); v != "" && v != "<nil>" {
				q.Set(fmt.Sprint(pairs[i]), v)
			}
		}
		if len(q) == 0 {
			return path
		}
		return path + "?" + q.Encode()
	},
}
