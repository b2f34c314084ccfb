package web

import (
	"slices"
	"testing"
)

func TestSplitEvents(t *testing.T) {
	ev := func(start, end string) map[string]any { return map[string]any{"startDate": start, "endDate": end} }
	// Newest first, as the API orders them.
	events := []map[string]any{ev("2026-12-10", "2026-12-11"), ev("2026-12-04", "2026-12-05"), ev("2026-12-01", "2026-12-04"), ev("2026-11-01", "2026-11-01")}
	upcoming, past := splitEvents(events, "2026-12-05")
	if !slices.EqualFunc(upcoming, []map[string]any{events[1], events[0]}, func(a, b map[string]any) bool { return a["startDate"] == b["startDate"] }) {
		t.Fatalf("upcoming (an event ending today is still upcoming; soonest first): %v", upcoming)
	}
	if len(past) != 2 || past[0]["startDate"] != "2026-12-01" || past[1]["startDate"] != "2026-11-01" {
		t.Fatalf("past (newest first): %v", past)
	}
}
