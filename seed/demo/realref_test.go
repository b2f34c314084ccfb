package demo_test

import (
	"testing"

	"github.com/nordic-integration/bridge/seed"
	"github.com/nordic-integration/bridge/seed/demo"
)

// TestMakeRunSizePlacesPeopleInTheBigCities: with the real reference (populations for all but
// Denmark) and make run's default size and seed, people are placed in proportion to population,
// so the cities a practitioner names first have people (the README's "Malmo" search finds some),
// and the capital has more people than a village.
func TestMakeRunSizePlacesPeopleInTheBigCities(t *testing.T) {
	ref, err := seed.LoadReference()
	if err != nil {
		t.Fatal(err)
	}
	themes, err := seed.Themes()
	if err != nil {
		t.Fatal(err)
	}
	prog, err := seed.LoadProgramme(themes)
	if err != nil {
		t.Fatal(err)
	}
	const people = 1000 // make run's DEMO_PEOPLE
	gen, err := demo.New(demo.Reference{Municipalities: ref.Municipalities, Themes: themes, Groups: prog.Groups, Events: prog.Events}, people, 1)
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]int{}
	for _, p := range gen.People(0, people) {
		in[p.MunicipalityID]++
	}
	// Not yet Tromsø (0 at this size: people mostly work where the layout put organisations of
	// their kind) nor København (Denmark has no populations, so its municipalities weigh alike).
	for id, name := range map[string]string{"SE-0180": "Stockholm", "SE-1280": "Malmö", "NO-0301": "Oslo",
		"FI-837": "Tampere", "FI-091": "Helsinki"} {
		if in[id] == 0 {
			t.Errorf("nobody in %s (%s)", name, id)
		}
	}
	if in["SE-0180"] <= in["SE-2584"] || in["SE-0180"] < 5 {
		t.Errorf("Stockholm %d people, Kiruna %d: want the capital to have clearly more", in["SE-0180"], in["SE-2584"])
	}
}
