package demo_test

import (
	"reflect"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/seed"
	"github.com/nordic-integration/bridge/seed/demo"
)

// TestPlantedPairsShouldFindEachOther: with the real reference, every planted pair is in two
// countries, in municipalities of the same size class within a factor 1.5 where the first one's
// population is known, shares two themes the other way round and English, and both are open,
// visible to members and consent to be suggested; the people outside the pairs are unchanged.
func TestPlantedPairsShouldFindEachOther(t *testing.T) {
	ref, err := seed.ReferenceData()
	if err != nil {
		t.Fatal(err)
	}
	r := demo.Reference{Municipalities: ref.Municipalities, Themes: ref.Themes, Groups: ref.Groups, Events: ref.Events}
	plain, err := demo.New(r, 1000, 7)
	if err != nil {
		t.Fatal(err)
	}
	gen, err := demo.New(r, 1000, 7)
	if err != nil {
		t.Fatal(err)
	}
	if err := gen.Plant(50); err != nil {
		t.Fatal(err)
	}
	if err := gen.Plant(501); err == nil {
		t.Error("501 pairs of 1,000 people were accepted")
	}
	pop := map[string]int{}
	for _, m := range ref.Municipalities {
		pop[m.ID] = m.Population
	}
	planted := map[int]bool{}
	pairs := gen.PlantedPairs()
	if len(pairs) != 50 {
		t.Fatalf("%d pairs, want 50", len(pairs))
	}
	comparable := 0
	for _, pair := range pairs {
		planted[pair[0]], planted[pair[1]] = true, true
		a, b := gen.People(pair[0], pair[0]+1)[0], gen.People(pair[1], pair[1]+1)[0]
		if was := plain.People(pair[0], pair[0]+1)[0]; a.MunicipalityID != was.MunicipalityID || !reflect.DeepEqual(a.Themes, was.Themes) {
			t.Errorf("the first of pair %v moved or changed themes", pair)
		}
		if a.CountryCode == b.CountryCode {
			t.Errorf("pair %v both in %s", pair, a.CountryCode)
		}
		pa, pb := pop[a.MunicipalityID], pop[b.MunicipalityID]
		if pa > 0 {
			if bridge.SizeClassOf(pa) != bridge.SizeClassOf(pb) || 2*max(pa, pb) > 3*min(pa, pb) {
				t.Errorf("pair %v: populations %d and %d are not comparable", pair, pa, pb)
			}
			comparable++
		}
		for k := range 2 {
			ta, tb := a.Themes[k], b.Themes[k]
			want := map[bridge.ThemeMode]bridge.ThemeMode{bridge.ModeOffers: bridge.ModeSeeks, bridge.ModeSeeks: bridge.ModeOffers, bridge.ModeBoth: bridge.ModeBoth}[ta.Mode]
			if ta.ThemeID != tb.ThemeID || tb.Mode != want {
				t.Errorf("pair %v theme %d: %v and %v, want the same theme the other way round", pair, k, ta, tb)
			}
		}
		for _, p := range []bridge.Person{a, b} {
			if !p.OpenToIntroductions || p.Visibility == bridge.VisibilitySecretariat || !contains(p.Languages, "en") ||
				!reflect.DeepEqual(p.Consents, []bridge.ConsentPurpose{bridge.ConsentSuggest, bridge.ConsentIntroduce, bridge.ConsentShareContact}) {
				t.Errorf("planted %s is not findable: open %v, visibility %s, languages %v, consents %v",
					p.ID, p.OpenToIntroductions, p.Visibility, p.Languages, p.Consents)
			}
		}
	}
	if comparable < 30 {
		t.Errorf("only %d of 50 pairs in comparable municipalities", comparable)
	}
	for i := range 1000 {
		if !planted[i] && !reflect.DeepEqual(gen.People(i, i+1), plain.People(i, i+1)) {
			t.Fatalf("person %d, outside the pairs, changed", i)
		}
	}
	if !reflect.DeepEqual(gen.People(0, 1000), gen.People(0, 1000)) {
		t.Error("planting is not deterministic")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
