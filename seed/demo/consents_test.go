package demo

import (
	"slices"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// TestDemoConsents: every demo person may be suggested; exactly those open to introductions may
// also be asked and have their contact details shared.
func TestDemoConsents(t *testing.T) {
	g := newGenerator(t, 2000, 11)
	open := 0
	for i, p := range g.People(0, 2000) {
		want := []bridge.ConsentPurpose{bridge.ConsentSuggest}
		if p.OpenToIntroductions {
			open++
			want = append(want, bridge.ConsentIntroduce, bridge.ConsentShareContact)
		}
		if !slices.Equal(p.Consents, want) {
			t.Fatalf("person %d (open %v) consents to %v, want %v", i, p.OpenToIntroductions, p.Consents, want)
		}
	}
	if open == 0 || open == 2000 {
		t.Fatalf("%d of 2000 people are open to introductions: the test sees only one case", open)
	}
}
