package web

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestLanguageNegotiation(t *testing.T) {
	a := &App{}
	for accept, want := range map[string]string{
		"":                        "en",
		"sv-SE,sv;q=0.9":          "sv",
		"sv-FI":                   "sv",
		"fi-FI,en;q=0.5":          "fi",
		"no":                      "nb",
		"nn-NO":                   "nb",
		"nb":                      "nb",
		"da-DK":                   "da",
		"is":                      "is",
		"de-DE,fr;q=0.8":          "en",
		"de-DE,da;q=0.5,en;q=0.4": "da",
	} {
		var got string
		h := a.language(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { got = localizerFrom(r.Context()).Lang }))
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("Accept-Language", accept)
		h.ServeHTTP(httptest.NewRecorder(), req)
		if got != want {
			t.Errorf("Accept-Language %q: %s, want %s", accept, got, want)
		}
	}
}

func TestLocalizedNamesAndDates(t *testing.T) {
	for _, tc := range []struct{ lang, country, language, date string }{
		{"en", "Finland", "Swedish", "20 November 2018"},
		{"sv", "Finland", "svenska", "20 november 2018"},
		{"fi", "Suomi", "ruotsi", "20. marraskuuta 2018"},
		{"da", "Finland", "svensk", "20. november 2018"},
		{"is", "Finnland", "sænska", "20. nóvember 2018"},
	} {
		l := newLocalizer(tc.lang)
		if got := l.Country("FI"); got != tc.country {
			t.Errorf("%s: Country(FI) = %q, want %q", tc.lang, got, tc.country)
		}
		if got := l.Language("sv"); got != tc.language {
			t.Errorf("%s: Language(sv) = %q, want %q", tc.lang, got, tc.language)
		}
		if got := l.Date("2018-11-20"); got != tc.date {
			t.Errorf("%s: Date = %q, want %q", tc.lang, got, tc.date)
		}
	}
}
