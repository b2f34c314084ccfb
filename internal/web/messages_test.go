package web

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every message exists, non-empty, in all six languages, with the same format verbs; no catalog
// has a key the others lack.
func TestMessagesAreCompleteInEveryLanguage(t *testing.T) {
	if len(catalogs) != len(Languages) {
		t.Fatalf("%d catalogs for %d languages", len(catalogs), len(Languages))
	}
	verbs := regexp.MustCompile(`%[vdsq]`)
	en := catalogs["en"]
	if len(en) < 100 {
		t.Fatalf("the English catalog has %d messages; it did not load", len(en))
	}
	for _, lang := range Languages {
		cat := catalogs[lang]
		for key, text := range en {
			got, ok := cat[key]
			switch {
			case !ok:
				t.Errorf("%s: message %q is missing", lang, key)
			case strings.TrimSpace(got) == "":
				t.Errorf("%s: message %q is empty", lang, key)
			case strings.Join(verbs.FindAllString(got, -1), " ") != strings.Join(verbs.FindAllString(text, -1), " "):
				t.Errorf("%s: message %q has verbs %v, English %v", lang, key, verbs.FindAllString(got, -1), verbs.FindAllString(text, -1))
			}
		}
		for key := range cat {
			if _, ok := en[key]; !ok {
				t.Errorf("%s: message %q is not in the English catalog", lang, key)
			}
		}
	}
}

// The catalogs are translations, not copies: most messages differ from English in each language.
func TestMessagesAreTranslated(t *testing.T) {
	en := catalogs["en"]
	for _, lang := range Languages[1:] {
		same := 0
		for key, text := range catalogs[lang] {
			if text == en[key] {
				same++
			}
		}
		if same*5 > len(en) {
			t.Errorf("%s: %d of %d messages are the English text", lang, same, len(en))
		}
	}
}

// Every key the templates and handlers name exists (in English, and so, by the test above, in all).
func TestEveryMessageKeyUsedExists(t *testing.T) {
	use := regexp.MustCompile(`\bT "([a-z][a-zA-Z0-9_.]*)"[ }]|\.T\("([a-z][a-zA-Z0-9_.]*)"[,)]`)
	enums := regexp.MustCompile(`Enum "([a-z]+)"`)
	found := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") ||
			!(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".html")) {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range use.FindAllStringSubmatch(string(src), -1) {
			key := m[1] + m[2]
			found++
			if _, ok := catalogs["en"][key]; !ok {
				t.Errorf("%s uses message %q, which is not in the catalog", path, key)
			}
		}
		for _, m := range enums.FindAllStringSubmatch(string(src), -1) {
			if !hasPrefix(catalogs["en"], m[1]+".") {
				t.Errorf("%s translates enum values with prefix %q, which has no messages", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 50 {
		t.Fatalf("found %d message uses; the pattern no longer matches the templates", found)
	}
	// Keys built at run time.
	for _, key := range []string{"error.notfound.title", "error.notfound.text", "error.badrequest.title", "error.badrequest.text",
		"error.unavailable.title", "error.unavailable.text", "error.forbidden.title", "error.forbidden.text",
		"error.internal.title", "error.internal.text", "search.facet.country", "search.facet.theme", "search.facet.kind",
		"search.facet.language", "search.facet.group", "date.format", "search.facet.mode", "search.facet.mode.hint",
		"search.facet.open", "search.facet.size", "search.mode.any", "search.mode.OFFERS", "search.mode.SEEKS", "search.open.any",
		"search.open.yes", "search.open.no"} {
		if _, ok := catalogs["en"][key]; !ok {
			t.Errorf("message %q is missing", key)
		}
	}
	for m := 1; m <= 12; m++ {
		if _, ok := catalogs["en"][fmt.Sprintf("month.%d", m)]; !ok {
			t.Errorf("month %d has no message", m)
		}
	}
	for _, kind := range organisationKinds {
		if _, ok := catalogs["en"]["orgkind."+kind]; !ok {
			t.Errorf("organisation kind %s has no message", kind)
		}
	}
}

func hasPrefix(m map[string]string, prefix string) bool {
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}
