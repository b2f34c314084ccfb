// Package demo generates plausible, deterministic demo data for development and benchmarks:
// practitioners, researchers and officials, the organisations they work at, and a history of
// past introductions between them, placed in the real Nordic municipalities, themes, expert
// groups and events. Every value is marked as demo and no real person is ever produced: names are
// random combinations of common names and contact details are fake (example.org, +00).
//
// The package produces domain values only; the store writes them. Person i depends only on the
// seed, i and the reference data, so a loader can generate any index range as a batch, in any
// order or in parallel, and a million people never need to be in memory at once.
package demo

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Reference is the real data the demo data is placed in.
type Reference struct {
	Municipalities []bridge.Municipality // all 1,149; CountryCode is one of DK FI IS NO SE FO GL AX; Population is 0 where unknown (Denmark)
	Themes         []bridge.Theme        // Broader empty = top theme
	Groups         []bridge.ExpertGroup
	Events         []bridge.Event
	Practices      []bridge.Practice // the knowledge items demo people and organisations are linked to
}

// Generator generates demo data for one reference, number of people and seed. Its tables are
// built once by New and only read afterwards, so one Generator may serve several goroutines
// generating different batches.
type Generator struct {
	ref     Reference
	people  int
	streams [numStreams]uint64

	countries     []country // the countries that have municipalities in ref, in countrySpecs order
	countryCum    []uint64  // cumulative population of countries
	countryOfMuni []int     // municipality index → index into countries

	themeCum     [][]uint64 // per role: cumulative theme popularity
	themeRank    []int      // theme indexes, most popular first
	themeBroader []int      // theme index → index of its first known broader theme, or -1
	themeIndex   map[string]int

	orgs orgLayout

	planted int // pairs of people who should find each other (Plant); 0: none
}

// country is a country of the reference with its municipalities and their weights.
type country struct {
	spec  *countrySpec
	munis []int    // municipality indexes
	cum   []uint64 // cumulative weight of munis: population where known, else uniform
	univ  []int    // municipality indexes of its university cities found in ref
	// withOrg holds, per kind of organisation, the municipalities that have one, weighted like
	// munis: people who work at one are placed there, so that a small demo, whose
	// organisations cover few municipalities, does not have a coordinator of one municipality
	// working for another.
	withOrg [numKinds]weightedMunis
}

// weightedMunis are municipality indexes with their cumulative weights.
type weightedMunis struct {
	munis []int
	cum   []uint64
}

// New validates the reference and builds the generator's tables. people is the number of demo
// people (0 is allowed: the organisations are still made); seed selects one of many equally
// plausible data sets.
func New(ref Reference, people int, seed uint64) (*Generator, error) {
	if people < 0 {
		return nil, fmt.Errorf("demo: people is %d, want 0 or more", people)
	}
	if len(ref.Municipalities) == 0 {
		return nil, errors.New("demo: the reference has no municipalities")
	}
	if len(ref.Themes) == 0 {
		return nil, errors.New("demo: the reference has no themes")
	}
	g := &Generator{ref: ref, people: people}
	for s := range g.streams {
		g.streams[s] = mix64(seed ^ mix64(uint64(s)))
	}
	if err := g.buildCountries(); err != nil {
		return nil, err
	}
	if err := g.buildThemes(); err != nil {
		return nil, err
	}
	for i, grp := range ref.Groups {
		if grp.ID == "" {
			return nil, fmt.Errorf("demo: group %d has no ID", i)
		}
	}
	for i, ev := range ref.Events {
		if ev.ID == "" {
			return nil, fmt.Errorf("demo: event %d has no ID", i)
		}
	}
	g.layOutOrgs()
	g.indexOrgMunis()
	return g, nil
}

// buildCountries groups the municipalities by country and weighs them: by population where it
// is known, and uniformly where it is not. A municipality of unknown population in a country
// where others are known counts as an average one.
func (g *Generator) buildCountries() error {
	specIndex := map[string]int{}
	for i, s := range countrySpecs {
		specIndex[s.code] = i
	}
	byCountry := make([][]int, len(countrySpecs))
	seen := make(map[string]bool, len(g.ref.Municipalities))
	for i, m := range g.ref.Municipalities {
		if m.ID == "" {
			return fmt.Errorf("demo: municipality %d has no ID", i)
		}
		if seen[m.ID] {
			return fmt.Errorf("demo: municipality %s appears twice", m.ID)
		}
		seen[m.ID] = true
		si, ok := specIndex[m.CountryCode]
		if !ok {
			return fmt.Errorf("demo: municipality %s has country %q, want one of DK FI IS NO SE FO GL AX", m.ID, m.CountryCode)
		}
		if m.Population < 0 {
			return fmt.Errorf("demo: municipality %s has population %d", m.ID, m.Population)
		}
		byCountry[si] = append(byCountry[si], i)
	}
	g.countryOfMuni = make([]int, len(g.ref.Municipalities))
	var total uint64
	for si, munis := range byCountry {
		if len(munis) == 0 {
			continue
		}
		c := country{spec: &countrySpecs[si], munis: munis, cum: make([]uint64, len(munis))}
		var known, knownSum uint64
		for _, m := range munis {
			if p := g.ref.Municipalities[m].Population; p > 0 {
				known++
				knownSum += uint64(p)
			}
		}
		unknownWeight := uint64(1)
		if known > 0 {
			unknownWeight = max(1, knownSum/known)
		}
		var sum uint64
		for k, m := range munis {
			w := unknownWeight
			if p := g.ref.Municipalities[m].Population; p > 0 {
				w = uint64(p)
			}
			sum += w
			c.cum[k] = sum
			g.countryOfMuni[m] = len(g.countries)
			if isUniversityCity(&g.ref.Municipalities[m], c.spec.universityCities) {
				c.univ = append(c.univ, m)
			}
		}
		total += c.spec.population
		g.countries = append(g.countries, c)
		g.countryCum = append(g.countryCum, total)
	}
	return nil
}

// indexOrgMunis fills each country's withOrg from the organisation layout.
func (g *Generator) indexOrgMunis() {
	for ci := range g.countries {
		c := &g.countries[ci]
		prev := uint64(0)
		for k, m := range c.munis {
			w := c.cum[k] - prev
			prev = c.cum[k]
			for kind := range numKinds {
				if len(g.orgs.byMuniKind[m*numKinds+kind]) == 0 {
					continue
				}
				wm := &c.withOrg[kind]
				var sum uint64
				if len(wm.cum) > 0 {
					sum = wm.cum[len(wm.cum)-1]
				}
				wm.munis = append(wm.munis, m)
				wm.cum = append(wm.cum, sum+w)
			}
		}
	}
}

// isUniversityCity reports whether any name of m is one of cities.
func isUniversityCity(m *bridge.Municipality, cities []string) bool {
	names := append([]string{placeName(m)}, m.Names...)
	for _, n := range names {
		for _, c := range cities {
			if n == c {
				return true
			}
		}
	}
	return false
}

// Theme popularity: a Zipf-like law over a seed-chosen ranking of the themes (weight ∝ (rank+2)^-1.5),
// damped for top themes because practitioners name specific themes more often than broad ones,
// and boosted for themes that fit a person's role.
const (
	zipfScale      = 1 << 20
	topThemeDamp   = 3 // top themes weigh a third of a specific theme of the same rank
	roleThemeBoost = 4 // themes matching a role's keywords weigh four times as much for it
	// broaderPerMille is the chance that a specific theme brings its broader theme along.
	broaderPerMille = 200
)

// buildThemes ranks the themes and builds each role's popularity table.
func (g *Generator) buildThemes() error {
	themes := g.ref.Themes
	g.themeIndex = make(map[string]int, len(themes))
	for i, t := range themes {
		if t.ID == "" {
			return fmt.Errorf("demo: theme %d has no ID", i)
		}
		if _, dup := g.themeIndex[t.ID]; dup {
			return fmt.Errorf("demo: theme %s appears twice", t.ID)
		}
		g.themeIndex[t.ID] = i
	}
	g.themeBroader = make([]int, len(themes))
	for i, t := range themes {
		g.themeBroader[i] = -1
		for _, b := range t.Broader {
			if k, ok := g.themeIndex[b]; ok && k != i {
				g.themeBroader[i] = k
				break
			}
		}
	}
	// A seed-chosen ranking (Fisher–Yates on the setup stream), so that no theme is popular
	// merely because it comes first in the vocabulary file.
	g.themeRank = make([]int, len(themes))
	for i := range g.themeRank {
		g.themeRank[i] = i
	}
	var r rng
	r.reset(g.streams[streamSetup], 0)
	for i := len(g.themeRank) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		g.themeRank[i], g.themeRank[j] = g.themeRank[j], g.themeRank[i]
	}
	base := make([]uint64, len(themes))
	for rank, t := range g.themeRank {
		// Zipf–Mandelbrot 1/(r+2)^1.5 for ranks r = 1, 2, …, in integers: m·√m = m·isqrt(m·2²⁰)/2¹⁰.
		// The offset flattens the head, so that the commonest theme is named by about half the
		// people in a vocabulary of fifty, not by all of them.
		r := uint64(rank + 3)
		w := (zipfScale << 10) / (r * isqrt(r<<20))
		if len(themes[t].Broader) == 0 {
			w /= topThemeDamp
		}
		base[t] = max(1, w)
	}
	haystack := make([]string, len(themes))
	for i, t := range themes {
		haystack[i] = strings.ToLower(t.ID + " " + t.Labels["en"])
	}
	g.themeCum = make([][]uint64, len(roles))
	for ri, ro := range roles {
		cum := make([]uint64, len(themes))
		var sum uint64
		for t := range themes {
			w := base[t]
			for _, kw := range ro.keywords {
				if strings.Contains(haystack[t], kw) {
					w *= roleThemeBoost
					break
				}
			}
			sum += w
			cum[t] = sum
		}
		g.themeCum[ri] = cum
	}
	return nil
}

// isqrt is the integer square root (floor), exact on every machine.
func isqrt(x uint64) uint64 {
	var r uint64
	for bit := uint64(1) << 62; bit != 0; bit >>= 2 {
		if x >= r+bit {
			x -= r + bit
			r = r>>1 + bit
		} else {
			r >>= 1
		}
	}
	return r
}

// PersonID returns the UUID of person i. It comes from a stream of its own, so that
// introductions can name a person without generating them; it is defined for any i, also
// outside [0, people).
func (g *Generator) PersonID(i int) string {
	var r rng
	r.reset(g.streams[streamPersonID], i)
	return r.uuid()
}

// clamp limits [from, to) to the generator's people, so that a loader's last batch may overrun.
func (g *Generator) clamp(from, to int) (int, int) {
	from = max(from, 0)
	to = min(to, g.people)
	return from, max(from, to)
}

// People returns the persons with index in [from, to), clamped to [0, people). Person i is the
// same whichever batch it is generated in.
func (g *Generator) People(from, to int) []bridge.Person {
	from, to = g.clamp(from, to)
	if from == to {
		return nil
	}
	out := make([]bridge.Person, to-from)
	for i := range out {
		out[i] = g.person(from + i)
	}
	return out
}

// core is the part of a person that introductions need about others: where they are, what they
// do and their themes. It is drawn first from the person's stream.
type core struct {
	country int
	muni    int
	role    int
	themes  []int
	modes   []bridge.ThemeMode
}

// themeModeWeights share out OFFERS, SEEKS and BOTH.
var (
	themeModes       = []bridge.ThemeMode{bridge.ModeOffers, bridge.ModeSeeks, bridge.ModeBoth}
	themeModeWeights = []int{45, 35, 20}
	themeCountWeight = []int{0, 0, 25, 30, 22, 13, 10} // index = number of themes, 2 to 6
)

// core draws the country, municipality, role and themes of a person from r, which is positioned
// at the start of the person's stream.
func (g *Generator) core(r *rng) core {
	var c core
	c.country = r.cumulative(g.countryCum)
	ct := &g.countries[c.country]
	c.role = r.weighted(roleWeights)
	c.muni = -1
	if kind := roles[c.role].kind; kind != kindNone {
		// Municipal staff live where their administration is; most others near their work.
		if wm := &ct.withOrg[kind]; len(wm.munis) > 0 && (kind == kindMunicipal || r.permille(sameMuniPerMille)) {
			c.muni = wm.munis[r.cumulative(wm.cum)]
		}
	}
	if c.muni < 0 {
		c.muni = ct.munis[r.cumulative(ct.cum)]
	}

	k := min(r.weighted(themeCountWeight), len(g.ref.Themes))
	c.themes = make([]int, 0, k)
	cum := g.themeCum[c.role]
	for try := 0; len(c.themes) < k && try < 16*k; try++ {
		t := r.cumulative(cum)
		if c.hasTheme(t) {
			continue
		}
		c.themes = append(c.themes, t)
		if b := g.themeBroader[t]; b >= 0 && len(c.themes) < k && r.permille(broaderPerMille) && !c.hasTheme(b) {
			c.themes = append(c.themes, b)
		}
	}
	// Popularity so skewed that rejection keeps failing: fill up with the most popular themes.
	for _, t := range g.themeRank {
		if len(c.themes) >= k {
			break
		}
		if !c.hasTheme(t) {
			c.themes = append(c.themes, t)
		}
	}
	c.modes = make([]bridge.ThemeMode, len(c.themes))
	for i := range c.modes {
		c.modes[i] = themeModes[r.weighted(themeModeWeights)]
	}
	return c
}

// hasTheme reports whether the person has theme t.
func (c *core) hasTheme(t int) bool {
	for _, x := range c.themes {
		if x == t {
			return true
		}
	}
	return false
}

// Shares of people's settings, per mille unless said otherwise.
var (
	visibilities      = []bridge.Visibility{bridge.VisibilityPublic, bridge.VisibilityMembers, bridge.VisibilitySecretariat}
	visibilityWeights = []int{30, 50, 20}
	perQuarterWeights = []int{30, 30, 20, 10, 10} // 1 to 5 introductions a quarter
	memberRoles       = []bridge.MemberRole{bridge.GroupRoleMember, bridge.GroupRoleChair, bridge.GroupRoleSecretary, bridge.GroupRoleObserver}
	memberRoleWeights = []int{88, 2, 3, 7}
)

const (
	openPerMille          = 800
	phonePerMille         = 350
	femalePerMille        = 600 // the integration field employs more women than men
	finlandSwedePerMille  = 120
	localTitlePerMille    = 500
	heritagePerMille      = 400 // of teachers with a migrant background: mother-tongue teachers
	localBioPerMille      = 700 // of those with a local title
	secondAffPerMille     = 60
	sameMuniPerMille      = 750
	memberPerMille        = 20
	eventPerMille         = 50
	groupByThemePerMille  = 750
	membershipEndPerMille = 300
)

// person generates person i.
func (g *Generator) person(i int) bridge.Person {
	var r rng
	r.reset(g.streams[streamPerson], i)
	c := g.drawCore(&r, i)
	ct := &g.countries[c.country]
	spec := ct.spec
	m := &g.ref.Municipalities[c.muni]
	ro := &roles[c.role]

	// Name and languages.
	names, group, finlandSwede := spec.names, -1, false
	if r.permille(spec.migrantPerMille) {
		group = r.weighted(spec.groups)
		names = &migrantGroups[group].names
	} else if spec.code == "FI" && r.permille(finlandSwedePerMille) {
		finlandSwede, names = true, &finlandSwedishNames
	}
	female := r.permille(femalePerMille)
	given, family := personName(&r, names, female)
	langs := languages(&r, spec.code, finlandSwede, group)

	// Title and bio.
	lang := spec.lang
	if finlandSwede {
		lang = "sv"
	}
	title, local := pick(&r, ro.en), false
	if titles := ro.local[lang]; len(titles) > 0 && r.permille(localTitlePerMille) {
		title, local = pick(&r, titles), true
	}
	if ro.heritage != nil && group >= 0 && r.permille(heritagePerMille) {
		if t := ro.heritage[lang]; t != "" && local {
			title = t
		} else {
			title = ro.heritage["en"]
		}
	}
	bioLang := "en"
	if _, ok := localBios[lang]; ok && local && r.permille(localBioPerMille) {
		bioLang = lang
	}
	bio := g.bio(&r, &c, ro, bioLang, title, placeName(m), spec.name)

	p := bridge.Person{
		ID:             g.PersonID(i),
		GivenName:      given,
		FamilyName:     family,
		Title:          title,
		Bio:            bio,
		Email:          email(given, family, i),
		Languages:      langs,
		CountryCode:    m.CountryCode,
		MunicipalityID: m.ID,
		Visibility:     visibilities[r.weighted(visibilityWeights)],
		Confirmed:      true,
		Source:         bridge.SourceDemo,
		Demo:           true,
	}
	if r.permille(openPerMille) {
		p.OpenToIntroductions = true
		p.IntroductionsPerQuarter = 1 + r.weighted(perQuarterWeights)
	}
	p.Consents = demoConsents(p.OpenToIntroductions)
	if r.permille(phonePerMille) {
		p.Phone = fakePhone(&r)
	}
	p.Themes = make([]bridge.ThemeLink, len(c.themes))
	for k, t := range c.themes {
		p.Themes[k] = bridge.ThemeLink{ThemeID: g.ref.Themes[t].ID, Mode: c.modes[k]}
	}
	if _, _, ok := g.plantedPair(i); ok {
		g.plantedPerson(&p)
	}
	p.Affiliations = g.affiliations(&r, &c, title)
	if len(g.ref.Groups) > 0 && r.permille(memberPerMille) {
		p.Memberships = []bridge.Membership{g.membership(&r, &c)}
	}
	if n := len(g.ref.Events); n > 0 && r.permille(eventPerMille) {
		first := r.intn(n)
		p.EventIDs = []string{g.ref.Events[first].ID}
		if n > 1 && r.permille(300) {
			second := (first + 1 + r.intn(n-1)) % n
			p.EventIDs = append(p.EventIDs, g.ref.Events[second].ID)
		}
	}
	return p
}

// demoConsents are the purposes a demo person consents to: everyone may be suggested as a peer;
// people open to introductions may also be asked and have their contact details shared. They use
// no random numbers, so adding them changed no other value.
func demoConsents(open bool) []bridge.ConsentPurpose {
	if open {
		return []bridge.ConsentPurpose{bridge.ConsentSuggest, bridge.ConsentIntroduce, bridge.ConsentShareContact}
	}
	return []bridge.ConsentPurpose{bridge.ConsentSuggest}
}

// personName draws a given and a family name from a pool; Icelandic family names are
// patronymics and Polish ones take the feminine form for women.
func personName(r *rng, names *nameSet, female bool) (given, family string) {
	if female {
		given = pick(r, names.female)
	} else {
		given = pick(r, names.male)
	}
	family = pick(r, names.family)
	switch {
	case names.patronymic && female:
		family += "dóttir"
	case names.patronymic:
		family += "son"
	case female && names.feminine != nil:
		family = names.feminine(family)
	}
	return given, family
}

// fakePhone returns a number that can never be dialled: the country code +00 does not exist.
func fakePhone(r *rng) string {
	var b [15]byte
	copy(b[:], "+00 ")
	pos := 4
	for k := range 8 {
		if k > 0 && k%2 == 0 {
			b[pos] = ' '
			pos++
		}
		b[pos] = byte('0' + r.intn(10))
		pos++
	}
	return string(b[:pos])
}

// bio writes one or two sentences: what the person offers, in their place, and what they seek.
func (g *Generator) bio(r *rng, c *core, ro *role, lang, title, city, countryName string) string {
	offer, seek := -1, -1
	for k, t := range c.themes {
		if offer < 0 && c.modes[k] != bridge.ModeSeeks {
			offer = t
		} else if seek < 0 && c.modes[k] != bridge.ModeOffers && t != offer {
			seek = t
		}
	}
	if offer < 0 {
		offer = c.themes[0]
		if seek == offer {
			seek = -1
		}
	}
	vals := bioValues{title: title, city: city, country: countryName, offer: lowerFirst(g.label(offer, lang))}
	if seek >= 0 {
		vals.seek = lowerFirst(g.label(seek, lang))
	}
	var first, second string
	if lang == "en" {
		first = pick(r, ro.bios)
		if seek >= 0 {
			second = pick(r, seekSentences)
		}
	} else {
		tpl := localBios[lang]
		first = tpl[0]
		if seek >= 0 {
			second = tpl[1]
		}
	}
	if second == "" {
		return expand(first, &vals)
	}
	return expand(first, &vals) + " " + expand(second, &vals)
}

// label is a theme's label in lang, else in English, else its ID.
func (g *Generator) label(t int, lang string) string {
	th := &g.ref.Themes[t]
	if l := th.Labels[lang]; l != "" {
		return l
	}
	if l := th.Labels["en"]; l != "" {
		return l
	}
	return th.ID
}

// affiliations places the person at a demo organisation that fits the role, in their own
// municipality where there is one, else in their country. Ministry and agency staff get none:
// the demo data makes no ministries or agencies (the real ones are seeded elsewhere).
func (g *Generator) affiliations(r *rng, c *core, title string) []bridge.Affiliation {
	ro := &roles[c.role]
	if ro.kind == kindNone {
		return nil
	}
	first := g.chooseOrg(r, c, ro.kind, ro.unit)
	if first < 0 {
		return nil
	}
	affs := []bridge.Affiliation{{OrganisationID: g.orgID(first), Role: title, Since: r.date(2010, 2025)}}
	if r.permille(secondAffPerMille) {
		kind := []int{kindNGO, kindMigrant, kindResearch}[r.intn(3)]
		if second := g.chooseOrg(r, c, kind, 0); second >= 0 && second != first {
			affs = append(affs, bridge.Affiliation{
				OrganisationID: g.orgID(second),
				Role:           pick(r, secondRoles[kind]),
				Since:          r.date(2010, 2025),
			})
		}
	}
	return affs
}

// chooseOrg picks an organisation of a kind for a person: a municipal unit of their own
// municipality (the preferred unit, else any) or an organisation of the kind there, falling
// back to one of the kind in their country, to any in their country, and only then abroad.
func (g *Generator) chooseOrg(r *rng, c *core, kind, unit int) int {
	l := &g.orgs
	if kind == kindMunicipal {
		units := l.muniUnits[c.muni]
		if units[unit] >= 0 {
			return int(units[unit])
		}
		for _, j := range units {
			if j >= 0 {
				return int(j)
			}
		}
	} else if local := l.byMuniKind[c.muni*numKinds+kind]; len(local) > 0 {
		return int(pick(r, local))
	}
	if list := l.byCountryKind[c.country*numKinds+kind]; len(list) > 0 {
		return int(pick(r, list))
	}
	for k := range numKinds {
		if list := l.byCountryKind[c.country*numKinds+k]; len(list) > 0 {
			return int(pick(r, list))
		}
	}
	if list := l.byKind[kind]; len(list) > 0 {
		return int(pick(r, list))
	}
	if l.n == 0 {
		return -1
	}
	return r.intn(l.n)
}

// membership makes the person a member of an expert group, preferably one that shares a theme.
func (g *Generator) membership(r *rng, c *core) bridge.Membership {
	groups := g.ref.Groups
	var fitting []int
	for gi, grp := range groups {
		for _, id := range grp.ThemeIDs {
			if t, ok := g.themeIndex[id]; ok && c.hasTheme(t) {
				fitting = append(fitting, gi)
				break
			}
		}
	}
	gi := r.intn(len(groups))
	if len(fitting) > 0 && r.permille(groupByThemePerMille) {
		gi = pick(r, fitting)
	}
	ms := bridge.Membership{
		GroupID: groups[gi].ID,
		Role:    memberRoles[r.weighted(memberRoleWeights)],
		Since:   r.date(2016, 2024),
	}
	if r.permille(membershipEndPerMille) {
		ms.Until = r.dateAfter(ms.Since, 180, 2025)
	}
	return ms
}

// Past introductions: about one per twenty people.
const (
	oneIntroPerMille = 40
	twoIntroPerMille = 5
	introCandidates  = 8
)

var (
	introOutcomes       = []string{"MET", "USEFUL", "NOT_USEFUL", "NO_CONTACT"}
	introOutcomeWeights = []int{35, 35, 10, 20}
)

// Introductions returns the past introductions made from the persons with index in [from, to),
// clamped to [0, people). The other side is another person, preferably in another country and
// working on the introduction's theme, as brokered introductions mostly are.
func (g *Generator) Introductions(from, to int) []bridge.PastIntroduction {
	from, to = g.clamp(from, to)
	if g.people < 2 {
		return nil
	}
	var out []bridge.PastIntroduction
	var r, pr rng
	for i := from; i < to; i++ {
		r.reset(g.streams[streamIntro], i)
		n := 0
		switch x := r.intn(1000); {
		case x < twoIntroPerMille:
			n = 2
		case x < twoIntroPerMille+oneIntroPerMille:
			n = 1
		}
		if n == 0 {
			continue
		}
		pr.reset(g.streams[streamPerson], i)
		me := g.drawCore(&pr, i)
		fromID := g.PersonID(i)
		for range n {
			theme := pick(&r, me.themes)
			target := g.introTarget(&r, i, &me, theme)
			out = append(out, bridge.PastIntroduction{
				ID:      r.uuid(),
				FromID:  fromID,
				ToID:    g.PersonID(target),
				ThemeID: g.ref.Themes[theme].ID,
				Date:    r.date(2018, 2025),
				Outcome: introOutcomes[r.weighted(introOutcomeWeights)],
				Demo:    true,
			})
		}
	}
	return out
}

// introTarget picks the other side of an introduction from person i: among a few random
// people, the first in another country who has the theme, else the first in another country,
// else the first. It never returns i.
func (g *Generator) introTarget(r *rng, i int, me *core, theme int) int {
	anyone, abroad := -1, -1
	var cr rng
	for range introCandidates {
		j := r.intn(g.people - 1)
		if j >= i {
			j++
		}
		if anyone < 0 {
			anyone = j
		}
		cr.reset(g.streams[streamPerson], j)
		other := g.drawCore(&cr, j)
		if other.country == me.country {
			continue
		}
		if other.hasTheme(theme) {
			return j
		}
		if abroad < 0 {
			abroad = j
		}
	}
	if abroad >= 0 {
		return abroad
	}
	return anyone
}
