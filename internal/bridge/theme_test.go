package bridge

import (
	"reflect"
	"testing"
)

// TestThemeAncestorsReachTwoLevelsOnce: a theme counts for itself and the themes up to two
// levels broader, through every broader link, each once (a diamond gives its top once), and no
// further.
func TestThemeAncestorsReachTwoLevelsOnce(t *testing.T) {
	vocabulary := diamondVocabulary()
	want := map[string][]string{
		"top":   {"top"},
		"left":  {"left", "top"},
		"right": {"right", "top"},
		"other": {"other"},
		"leaf":  {"leaf", "left", "right", "other", "top"},
		"deep":  {"deep", "leaf", "left", "right", "other"}, // top is three levels up
	}
	if got := ThemeAncestors(vocabulary); !reflect.DeepEqual(got, want) {
		t.Errorf("ThemeAncestors:\n got %v\nwant %v", got, want)
	}
}

// TestThemesWithinReachTwoLevelsDown: a filter on a theme brings it and the themes up to two
// levels narrower, each once and sorted; an id the vocabulary does not hold brings nothing.
func TestThemesWithinReachTwoLevelsDown(t *testing.T) {
	vocabulary := diamondVocabulary()
	for _, c := range []struct {
		ids, want []string
	}{
		{[]string{"top"}, []string{"leaf", "left", "right", "top"}}, // deep is three levels down
		{[]string{"left"}, []string{"deep", "leaf", "left"}},
		{[]string{"other", "deep"}, []string{"deep", "leaf", "other"}},
		{[]string{"unknown"}, []string{}},
	} {
		if got := ThemesWithin(vocabulary, c.ids); !reflect.DeepEqual(got, c.want) {
			t.Errorf("ThemesWithin(%v) = %v, want %v", c.ids, got, c.want)
		}
	}
}

// diamondVocabulary is a small hierarchy: leaf is under left, right (both under top) and other;
// deep is under leaf, three levels below top.
func diamondVocabulary() []Theme {
	return []Theme{
		{ID: "top"},
		{ID: "left", Broader: []string{"top"}},
		{ID: "right", Broader: []string{"top"}},
		{ID: "other"},
		{ID: "leaf", Broader: []string{"left", "right", "other"}},
		{ID: "deep", Broader: []string{"leaf"}},
	}
}
