package neo4jstore

import (
	"strings"
	"testing"
)

// TestEventSuggestionsSpellTheSharedThemesRule: the member's read spells sharedThemesT out (so
// that the predicate test can read it); it must be the same rule that the send and the sender's
// re-check use, or an e-mail would promise what the page does not show.
func TestEventSuggestionsSpellTheSharedThemesRule(t *testing.T) {
	if !strings.Contains(qEventSuggestions, sharedThemes("me", "o")) {
		t.Fatalf("qEventSuggestions does not contain sharedThemes(me, o):\n%s\nwant:\n%s", qEventSuggestions, sharedThemes("me", "o"))
	}
	for name, q := range map[string]string{"qSendEventSuggestions": qSendEventSuggestions, "qClaimDueNotifications": qClaimDueNotifications} {
		if !strings.Contains(q, suggestable("o")) || !strings.Contains(q, "size("+sharedThemes(map[bool]string{true: "v", false: "r"}[name == "qSendEventSuggestions"], "o")+") > 0") {
			t.Errorf("%s does not apply suggestable(o) and the shared themes rule", name)
		}
	}
}
