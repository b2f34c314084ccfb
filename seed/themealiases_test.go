package seed

import (
	"slices"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// TestThemeAliases: the seeded themes carry the words practitioners use for them, and a row
// about a theme or language that does not exist, or with an empty alias, is refused.
func TestThemeAliases(t *testing.T) {
	ref, err := ReferenceData()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"adult-language-training": "SFI", "labour-market-establishment": "NAV",
		"introduction-programmes": "kotoutumisen", "reception-and-settlement": "flóttafólk"}
	for _, th := range ref.Themes {
		if w, ok := want[th.ID]; ok {
			if !slices.Contains(th.Aliases, w) {
				t.Errorf("%s: aliases %v lack %q", th.ID, th.Aliases, w)
			}
			delete(want, th.ID)
		}
	}
	if len(want) > 0 {
		t.Errorf("themes not found: %v", want)
	}
	themes := []bridge.Theme{{ID: "health"}}
	for _, row := range []map[string]string{
		{"theme": "nope", "lang": "sv", "aliases": "x", "#line": "2"},
		{"theme": "health", "lang": "xx", "aliases": "x", "#line": "2"},
		{"theme": "health", "lang": "sv", "aliases": "vård||x", "#line": "2"},
	} {
		if err := addThemeAliases(themes, []map[string]string{row}); err == nil {
			t.Errorf("%v: accepted", row)
		}
	}
}
