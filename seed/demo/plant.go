package demo

import (
	"fmt"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Planted pairs are the ground truth of the match-quality benchmark (make match-quality): two
// people who should find each other among their suggested peers, because they are what the
// product promises to find. The second person of a pair works in another country than the first,
// in a municipality of comparable size (the same size class and at most plantRatio times larger
// or smaller, where the first one's population is known), and works on the first one's first
// plantShared themes the other way round (offers what the first seeks, seeks what the first
// offers); both share English, are open to introductions and are visible to members. Everything
// else about them (names, roles, their other themes, organisations) is drawn as for anyone, so
// the partner has to be found among plausible competitors.
const (
	plantShared = 2
	plantRatio  = 1.5
)

// Plant makes the generator plant pairs of people who should find each other: pair j is the
// people with indexes PlantedPairs()[j]. It must be called before generating; the people outside
// the pairs are the same as without planting. It fails when the pairs do not fit the people.
func (g *Generator) Plant(pairs int) error {
	if pairs < 0 || 2*pairs > g.people {
		return fmt.Errorf("demo: %d planted pairs do not fit %d people", pairs, g.people)
	}
	g.planted = pairs
	return nil
}

// PlantedPairs returns the indexes of the planted pairs, spread evenly over the people.
func (g *Generator) PlantedPairs() [][2]int {
	out := make([][2]int, g.planted)
	for j := range out {
		a := j * g.plantStride()
		out[j] = [2]int{a, a + 1}
	}
	return out
}

func (g *Generator) plantStride() int {
	if g.planted == 0 {
		return 0
	}
	return g.people / g.planted
}

// plantedPair reports whether person i belongs to a planted pair, which pair, and whether i is
// its second person (the one planted to fit the first).
func (g *Generator) plantedPair(i int) (pair int, second bool, ok bool) {
	stride := g.plantStride()
	if stride == 0 || i < 0 {
		return 0, false, false
	}
	pair, off := i/stride, i%stride
	if pair >= g.planted || off > 1 {
		return 0, false, false
	}
	return pair, off == 1, true
}

// drawCore draws person i's core from r (positioned at the start of the person's stream) and,
// for the second person of a planted pair, replaces place and themes with the planted ones. r
// advances exactly as without planting, so that the rest of the person is drawn as usual.
func (g *Generator) drawCore(r *rng, i int) core {
	c := g.core(r)
	pair, second, ok := g.plantedPair(i)
	if !ok || !second {
		return c
	}
	var ar rng
	ar.reset(g.streams[streamPerson], i-1)
	first := g.core(&ar)
	var pr rng
	pr.reset(g.streams[streamPlant], pair)
	g.plantPlace(&pr, &first, &c)
	g.plantThemes(&first, &c)
	return c
}

// plantPlace puts c in another country than first, in a municipality comparable to first's
// (any municipality of another country when first's population is not known).
func (g *Generator) plantPlace(r *rng, first, c *core) {
	munis := g.ref.Municipalities
	pop := munis[first.muni].Population
	class := bridge.SizeClassOf(pop)
	var fitting []int
	for m := range munis {
		if g.countryOfMuni[m] == first.country {
			continue
		}
		p := munis[m].Population
		if pop > 0 && (p <= 0 || bridge.SizeClassOf(p) != class ||
			float64(max(p, pop)) > plantRatio*float64(min(p, pop))) {
			continue
		}
		fitting = append(fitting, m)
	}
	if len(fitting) == 0 {
		return // no comparable municipality abroad: keep the drawn place
	}
	c.muni = fitting[r.intn(len(fitting))]
	c.country = g.countryOfMuni[c.muni]
}

// plantThemes gives c first's first plantShared themes with the modes turned round, then its
// own themes up to the number it drew.
func (g *Generator) plantThemes(first, c *core) {
	n := max(len(c.themes), plantShared)
	themes := make([]int, 0, n)
	modes := make([]bridge.ThemeMode, 0, n)
	for k := range min(plantShared, len(first.themes)) {
		themes = append(themes, first.themes[k])
		modes = append(modes, opposite(first.modes[k]))
	}
	for k, t := range c.themes {
		if len(themes) >= n {
			break
		}
		if !contains(themes, t) {
			themes = append(themes, t)
			modes = append(modes, c.modes[k])
		}
	}
	c.themes, c.modes = themes, modes
}

// opposite is the mode that complements m: an offer meets a seek.
func opposite(m bridge.ThemeMode) bridge.ThemeMode {
	switch m {
	case bridge.ModeOffers:
		return bridge.ModeSeeks
	case bridge.ModeSeeks:
		return bridge.ModeOffers
	}
	return m
}

func contains(list []int, x int) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

// plantedPerson makes a planted person findable by the other: open to introductions, visible
// to members, consenting to be suggested and introduced, and working in English too.
func (g *Generator) plantedPerson(p *bridge.Person) {
	if !p.OpenToIntroductions {
		p.OpenToIntroductions, p.IntroductionsPerQuarter = true, 2
	}
	p.Consents = demoConsents(true)
	if p.Visibility == bridge.VisibilitySecretariat {
		p.Visibility = bridge.VisibilityMembers
	}
	if !containsString(p.Languages, "en") {
		p.Languages = append(p.Languages, "en")
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
