package demo

import (
	"slices"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// practicePeople is about how many demo people are behind each practice, whatever the size of
// the demo (fewer when fewer could be).
const practicePeople = 8

// practicePeoplePerMille is the chance, per thousand, that a person who could be behind the
// practice (in one of its countries, on one of its themes) is: practicePeople over the expected
// number of such people, from the countries' shares of the people and about a third of them on
// one of its themes. It depends on the reference and N only, never on who was generated.
func (g *Generator) practicePeoplePerMille(pr bridge.Practice) int {
	if g.people == 0 || len(g.countryCum) == 0 {
		return 0
	}
	total, share := g.countryCum[len(g.countryCum)-1], uint64(0)
	for ci := range g.countries {
		if slices.Contains(pr.CountryCodes, g.countries[ci].spec.code) {
			share += g.countries[ci].spec.population
		}
	}
	expected := float64(g.people) * float64(share) / float64(total) / 3
	if expected <= 0 {
		return 0
	}
	return min(1000, max(1, int(1000*practicePeople/expected)))
}

// PracticePeople links the people of a batch to the reference practices they are behind: person
// from+k of people (as People(from, …) returned them) is behind a practice when they are in one
// of its countries, work on one of its themes and their own draw says so. The draw comes from a
// stream of its own, keyed by the person's index, so a link depends only on (seed, N, i).
func (g *Generator) PracticePeople(from int, people []bridge.Person) []bridge.PracticeLink {
	perMille := make([]int, len(g.ref.Practices))
	for k, pr := range g.ref.Practices {
		perMille[k] = g.practicePeoplePerMille(pr)
	}
	var out []bridge.PracticeLink
	for k := range people {
		p := &people[k]
		var r rng
		r.reset(g.streams[streamPractice], from+k)
		for j, pr := range g.ref.Practices {
			draw := r.permille(perMille[j]) // drawn for every practice, so that each draw keeps its place
			if draw && slices.Contains(pr.CountryCodes, p.CountryCode) && sharesTheme(p, pr.ThemeIDs) {
				out = append(out, bridge.PracticeLink{PracticeID: pr.ID, PersonID: p.ID})
			}
		}
	}
	return out
}

// sharesTheme reports whether the person works on one of the themes.
func sharesTheme(p *bridge.Person, themeIDs []string) bool {
	for _, t := range p.Themes {
		if slices.Contains(themeIDs, t.ThemeID) {
			return true
		}
	}
	return false
}

// PracticeOrganisations links each reference practice to two demo organisations in its countries
// and to their municipalities (none when the demo has no organisation there).
func (g *Generator) PracticeOrganisations() []bridge.PracticeLink {
	var out []bridge.PracticeLink
	l := &g.orgs
	for k, pr := range g.ref.Practices {
		var eligible []int
		for j := 0; j < l.n; j++ {
			if slices.Contains(pr.CountryCodes, g.ref.Municipalities[l.muni[j]].CountryCode) {
				eligible = append(eligible, j)
			}
		}
		var r rng
		r.reset(g.streams[streamPractice], -1-k) // people use the indexes from 0
		for n := 0; n < 2 && len(eligible) > 0; n++ {
			x := r.intn(len(eligible))
			j := eligible[x]
			eligible = slices.Delete(eligible, x, x+1)
			out = append(out, bridge.PracticeLink{PracticeID: pr.ID, OrganisationID: g.orgID(j)},
				bridge.PracticeLink{PracticeID: pr.ID, MunicipalityID: g.ref.Municipalities[l.muni[j]].ID})
		}
	}
	return out
}
