package seed

import (
	"reflect"
	"testing"
)

// TestReferenceDataPassesTheInputRules: the secretariat edits seeded organisations, themes,
// groups, events and knowledge items through the API, which applies bridge's Clean methods
// (text.go); the seeded values must pass them unchanged (already NFC and trimmed, no control or
// direction-override characters, dates from 1900 to 2100).
func TestReferenceDataPassesTheInputRules(t *testing.T) {
	ref, err := ReferenceData()
	if err != nil {
		t.Fatal(err)
	}
	check := func(kind, id string, got, want any, err error) {
		t.Helper()
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("%s %s: %v (cleaned %+v)", kind, id, err, got)
		}
	}
	for _, o := range ref.Organisations {
		c, err := o.Clean()
		check("organisation", o.ID, c, o, err)
	}
	for _, th := range ref.Themes {
		c, err := th.Clean()
		check("theme", th.ID, c, th, err)
	}
	for _, g := range ref.Groups {
		c, err := g.Clean()
		check("group", g.ID, c, g, err)
	}
	for _, e := range ref.Events {
		c, err := e.Clean()
		check("event", e.ID, c, e, err)
	}
	for _, p := range ref.Practices {
		c, err := p.Clean()
		check("practice", p.ID, c, p, err)
	}
}
