package bridge

import (
	"reflect"
	"testing"
)

// TestThemeAncestorsReachTwoLevelsOnce: a theme counts for itself and the themes up to two
// levels broader, through every broader link, each once (a diamond gives its top once), and no
// further.
func TestThemeAncestorsReachTwoLevelsOnce(t *testing.T) {
	vocabulary := []Theme{
		{ID: "top"},
		{ID: "left", Broader: []string{"top"}},
		{ID: "right", Broader: []string{"top"}},
		{ID: "other"},
		{ID: "leaf", Broader: []string{"left", "right", "other"}},
		{ID: "deep", Broader: []string{"leaf"}},
	}
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
