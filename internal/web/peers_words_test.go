package web

import "testing"

// TestThemeReasonsReadRight: a theme reason is worded from its data in the visitor's language:
// both seek, who seeks what the other offers, and a related theme with its relation.
func TestThemeReasonsReadRight(t *testing.T) {
	theme := func(label string) map[string]any { return map[string]any{"label": label} }
	tests := []struct {
		lang   string
		reason map[string]any
		want   string
	}{
		{"en", map[string]any{"kind": "SHARED_THEME", "theme": theme("Health"), "personMode": "SEEKS", "peerMode": "SEEKS"}, "You both seek Health"},
		{"en", map[string]any{"kind": "SHARED_THEME", "theme": theme("Health"), "personMode": "OFFERS", "peerMode": "BOTH"}, "You both work on Health"},
		{"en", map[string]any{"kind": "COMPLEMENTARY_THEME", "theme": theme("Health"), "personMode": "OFFERS", "peerMode": "SEEKS"}, "They seek Health; you offer it"},
		{"en", map[string]any{"kind": "RELATED_THEME", "theme": theme("Adult language training"), "relatedTheme": theme("Language learning"),
			"relation": "BROADER", "personMode": "SEEKS", "peerMode": "OFFERS"},
			"They offer Language learning, the broader theme of what you seek (Adult language training)"},
		{"sv", map[string]any{"kind": "RELATED_THEME", "theme": theme("Vuxnas språkundervisning"), "relatedTheme": theme("Språkinlärning"),
			"relation": "BROADER", "personMode": "SEEKS", "peerMode": "OFFERS"},
			"De erbjuder Språkinlärning, det bredare temat för det du söker (Vuxnas språkundervisning)"},
		{"fi", map[string]any{"kind": "SHARED_THEME", "theme": theme("Terveys"), "personMode": "OFFERS", "peerMode": "OFFERS"}, "Tarjoatte molemmat osaamista teemasta: Terveys"},
		{"is", map[string]any{"kind": "RELATED_THEME", "theme": theme("A"), "relatedTheme": theme("B"), "relation": "SIBLING",
			"personMode": "OFFERS", "peerMode": "SEEKS"}, "Leitar að skyldu þema: B (það sem þú býður: A)"},
	}
	for _, tt := range tests {
		if got := reasonText(newLocalizer(tt.lang), tt.reason); got != tt.want {
			t.Errorf("%s %v:\n got %q\nwant %q", tt.lang, tt.reason, got, tt.want)
		}
	}
}
