// Package matching scores and ranks peer suggestions for "Find peers, explained": given what
// matching may know of a person and of the candidates the store fetched for them (already
// restricted to people the viewer may see, who are open to introductions), it says how well
// each candidate fits, why, in data and in words, and what the match lacks.
//
// It is pure and deterministic (no I/O, no clock, no randomness, no state between calls), so
// that the same graph always gives the same suggestions in the same order, and so that the
// rules can be tested without a database.
package matching

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The weights of the reasons. They are additive: a match's score is the sum of its reasons'
// weights minus its penalties. The values are chosen so that the orderings the product promises
// hold for every input, not only on average; the comments say which ordering each one secures.
const (
	// weightBroadTheme is the base weight of a shared top theme (depth 0): working on
	// "health" together says little, since many people do.
	weightBroadTheme = 2.0
	// weightSpecificTheme is the base weight of a shared narrower theme (depth ≥ 1). It is at
	// least the largest broad weight (weightBroadTheme × the largest rarity factor, 3), so a
	// specific theme always outweighs a broad one, however rare the broad one is.
	weightSpecificTheme = 4.0
	// rarityBonus bounds the rarity factor 1 + rarityBonus/log2(2 + people/rarityScale) to the
	// range (1, 1.5]: a theme few people work on is a bit more telling, but rarity only
	// refines the order that specificity sets and never overturns it.
	rarityBonus = 0.5
	// rarityScale is the number of people at which the rarity factor has fallen to about 1.32;
	// at 1,000 people it is about 1.14.
	rarityScale = 100.0

	// bonusMySeek is added to a theme's weight when I seek what they offer. Complementarity is
	// the strongest signal of the product, so even a broad complementary theme (≥ 8) outweighs
	// the most specific and rarest shared one (≤ 6).
	bonusMySeek = 6.0
	// bonusTheirSeek is added when they seek what I offer: a bit less than bonusMySeek, since
	// the searcher's own need comes first, but still more than any shared theme (≥ 6.5 > 6).
	bonusTheirSeek = 4.5

	// weightOtherCountry rewards a peer in another Nordic country, which is the point of the
	// programme: it is about one shared broad theme, enough to lift a cross-border peer above
	// an otherwise equal compatriot but not above a better thematic match.
	weightOtherCountry = 3.0
	// weightComparableMunicipality rewards a municipality of similar size in another country,
	// where practice most readily transfers; a bit less than the other country itself. It is
	// the weight of a population within comparablePopulationRatio and the same size class.
	weightComparableMunicipality = 2.5
	// comparablePopulationRatio is how many times larger one municipality may be than the other
	// and still count as comparable.
	comparablePopulationRatio = 2

	// weightNordicLanguage is a shared Nordic language (Swedish, Norwegian, Danish, Icelandic,
	// Faroese, Finnish, Greenlandic): the easiest conversation for Nordic practitioners.
	weightNordicLanguage = 2.0
	// weightScandinavianLanguage is a pair of different but mutually intelligible Scandinavian
	// languages (Swedish, Norwegian Bokmål and Nynorsk, Danish): slightly less than the
	// identical language, since it takes some effort on both sides.
	weightScandinavianLanguage = 1.5
	// weightOtherLanguage is a shared English, or another shared language: it makes contact
	// possible, but almost every Nordic practitioner has English, so it tells little.
	weightOtherLanguage = 1.0
	// maxLanguageReasons bounds the language reasons, so that polyglots do not outrank peers
	// who share more of the work.
	maxLanguageReasons = 2

	// weightSharedGroup rewards a shared expert group or network: the two already work
	// together, and one can introduce the other warmly.
	weightSharedGroup = 3.0
	// weightSharedEvent rewards a shared event: the two may have met, a weaker link than a group.
	weightSharedEvent = 1.5

	// relatedAdjacentFactor is the partial credit of a broader or narrower theme: about a third
	// of what the same theme would earn (complementarity included), so that an exact
	// complementary theme (≥ 8) always outweighs a related one (≤ 4.2).
	relatedAdjacentFactor = 0.35
	// relatedSiblingFactor is the partial credit of a sibling theme (both narrower themes of one
	// theme): less than a broader or narrower one, since siblings can be far apart.
	relatedSiblingFactor = 0.2
	// maxRelatedReasons bounds the related-theme reasons to the best one, so that someone with
	// many themes near mine does not outrank someone who works on mine.
	maxRelatedReasons = 1

	// weightSameSizeClass is what a comparable municipality adds when both are also in the same
	// size class (bridge.SizeClass); across a class boundary the population ratio alone earns
	// weightComparableMunicipality − weightSameSizeClass.
	weightSameSizeClass = 1.0

	// penaltyNoSharedLanguage ranks down a match with no shared working language (both list
	// languages and none is shared): a conversation needs one. It is more than a shared broad
	// theme earns (≤ 3), so that such a peer falls below an otherwise equal one with a shared
	// language by more than that language's own weight.
	penaltyNoSharedLanguage = 4.0

	// penaltyAlreadyIntroduced pushes people I was already introduced to down the list, as they
	// are no news, without hiding them (a user may want to find them again). A weak match that
	// was already introduced can thus score below zero.
	penaltyAlreadyIntroduced = 5.0
)

// Rank scores every candidate against me and returns the best first matches, highest score
// first, ties broken by PersonID ascending, so that the same input always gives the same list.
//
// Candidates who share no theme with me, nor a broader, narrower or sibling one, are not
// suggested at all: the product matches on work, and a shared language or country alone is no
// reason to meet. The store has already applied
// the filters; Rank applies ExcludeOwnCountry and Countries again as defence in depth, since
// suggesting someone the viewer excluded would be a visible error. Rank never returns me, and
// a person listed twice counts once (the better-scoring profile wins). Candidates without a
// PersonID are skipped, since they could not be shown or introduced.
func Rank(me bridge.MatchProfile, candidates []bridge.MatchProfile, themes map[string]bridge.ThemeInfo, filter bridge.PeerFilter, first int) []bridge.PeerMatch {
	return RankAs(bridge.SecondPerson, me, candidates, themes, filter, first)
}

// RankAs is Rank with the reasons' words written from a perspective: the viewer's own peers
// (SecondPerson), someone else's (ThirdPerson, with the names of the profiles), or the
// candidates for a request, where me is the request (Request). The scores are the same.
func RankAs(persp bridge.Perspective, me bridge.MatchProfile, candidates []bridge.MatchProfile, themes map[string]bridge.ThemeInfo, filter bridge.PeerFilter, first int) []bridge.PeerMatch {
	if first <= 0 || len(candidates) == 0 {
		return []bridge.PeerMatch{}
	}
	v := newViewer(&me)
	v.persp = persp

	// First pass: score everyone cheaply, without words, remembering only what ordering needs.
	type ranked struct {
		id    string
		score float64
		index int
	}
	list := make([]ranked, 0, len(candidates))
	seen := make(map[string]int, len(candidates)) // person id → position in list
	var e evaluation
	for i := range candidates {
		c := &candidates[i]
		if c.PersonID == "" || c.PersonID == me.PersonID || !admits(&filter, me.CountryCode, c) {
			continue
		}
		v.evaluate(c, themes, &e)
		if !e.hasTheme {
			continue
		}
		r := ranked{id: c.PersonID, score: e.score, index: i}
		if j, dup := seen[c.PersonID]; dup {
			if v.better(candidates, themes, r.index, list[j].index) {
				list[j] = r
			}
			continue
		}
		seen[c.PersonID] = len(list)
		list = append(list, r)
	}
	slices.SortFunc(list, func(a, b ranked) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})

	// Second pass: explain only the matches that are returned.
	n := min(first, len(list))
	matches := make([]bridge.PeerMatch, 0, n)
	for _, r := range list[:n] {
		c := &candidates[r.index]
		v.evaluate(c, themes, &e)
		matches = append(matches, v.render(c, themes, &e))
	}
	return matches
}

// Score scores one candidate against me and explains the score, whether or not Rank would
// suggest the candidate; it serves tests and explaining a single pair.
func Score(me, other bridge.MatchProfile, themes map[string]bridge.ThemeInfo) bridge.PeerMatch {
	return ScoreAs(bridge.SecondPerson, me, other, themes)
}

// ScoreAs is Score with the words written from a perspective (see RankAs).
func ScoreAs(persp bridge.Perspective, me, other bridge.MatchProfile, themes map[string]bridge.ThemeInfo) bridge.PeerMatch {
	v := newViewer(&me)
	v.persp = persp
	var e evaluation
	v.evaluate(&other, themes, &e)
	return v.render(&other, themes, &e)
}

// admits reports whether a candidate passes the country filters. My own country can only be
// excluded when it is known.
func admits(f *bridge.PeerFilter, myCountry string, c *bridge.MatchProfile) bool {
	if f.ExcludeOwnCountry && strings.TrimSpace(myCountry) != "" && sameCode(myCountry, c.CountryCode) {
		return false
	}
	if len(f.Countries) == 0 {
		return true
	}
	for _, code := range f.Countries {
		if strings.TrimSpace(code) != "" && sameCode(code, c.CountryCode) {
			return true
		}
	}
	return false
}

// sameCode compares two codes (country or language) the way users would: ignoring case and
// surrounding blanks.
func sameCode(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// modes is how a person relates to a theme, as bits, so that a theme listed twice (once
// offered, once sought) merges into both.
type modes uint8

const (
	offers modes = 1 << iota
	seeks
)

func modesOf(m bridge.ThemeMode) modes {
	switch m {
	case bridge.ModeOffers:
		return offers
	case bridge.ModeSeeks:
		return seeks
	case bridge.ModeBoth:
		return offers | seeks
	}
	return 0 // unknown mode: the person works on the theme, but neither offers nor seeks it
}

// viewer is me, prepared once per call so that each candidate costs only look-ups.
type viewer struct {
	persp      bridge.Perspective
	name       string
	id         string
	country    string
	population int
	themes     map[string]modes
	themeOrder []string // the ids of themes, sorted, for a deterministic order of related reasons
	languages  []string // normalised, without duplicates, sorted
	groups     map[string]struct{}
	events     map[string]struct{}
	introduced map[string]struct{}
}

func newViewer(me *bridge.MatchProfile) *viewer {
	v := &viewer{
		name:       me.Name,
		id:         me.PersonID,
		country:    strings.TrimSpace(me.CountryCode),
		population: me.MunicipalityPopulation,
		themes:     make(map[string]modes, len(me.Themes)),
		groups:     set(me.GroupIDs),
		events:     set(me.EventIDs),
		introduced: set(me.PastIntroductionWith),
	}
	for _, t := range me.Themes {
		if t.ThemeID != "" {
			if _, seen := v.themes[t.ThemeID]; !seen {
				v.themeOrder = append(v.themeOrder, t.ThemeID)
			}
			v.themes[t.ThemeID] |= modesOf(t.Mode)
		}
	}
	slices.Sort(v.themeOrder)
	for _, l := range me.Languages {
		if c := normLanguage(l); c != "" && !slices.Contains(v.languages, c) {
			v.languages = append(v.languages, c)
		}
	}
	slices.Sort(v.languages)
	return v
}

func set(ids []string) map[string]struct{} {
	s := make(map[string]struct{}, len(ids))
	for _, id := range ids {
		if id != "" {
			s[id] = struct{}{}
		}
	}
	return s
}

// direction says which way a complementary theme goes.
type direction uint8

const (
	iSeek direction = iota + 1
	theySeek
	bothWays
)

// reason is a reason before it is put into words: what Rank needs to score and order, plus
// what the words need.
type reason struct {
	kind   bridge.ReasonKind
	weight float64
	id     string    // theme (mine), group, event or language (theirs, for a Scandinavian pair)
	mine   string    // my language, for a Scandinavian pair
	dir    direction // for a complementary theme, or a related one that complements
	// For theme reasons: how I and they work on it; for a related theme, their theme and how it
	// relates to mine.
	myModes, theirModes modes
	related             string
	relation            bridge.ThemeRelation
}

type themeModes struct {
	id    string
	modes modes
}

// evaluation is the result of scoring one candidate, with scratch space that is reused from
// one candidate to the next so that ranking thousands of them allocates little.
type evaluation struct {
	reasons   []reason
	gaps      []bridge.GapKind
	score     float64
	hasTheme  bool
	themes    []themeModes
	related   []reason
	languages []string
	langs     []reason
}

// evaluate scores other against v into e.
func (v *viewer) evaluate(other *bridge.MatchProfile, themes map[string]bridge.ThemeInfo, e *evaluation) {
	e.reasons, e.gaps, e.score, e.hasTheme = e.reasons[:0], e.gaps[:0], 0, false

	penalty := 0.0
	if v.wasIntroduced(other) {
		e.gaps = append(e.gaps, bridge.GapAlreadyIntroduced)
		penalty = penaltyAlreadyIntroduced
	}
	v.themeReasons(other, themes, e)
	v.languageReasons(other, e)
	if slices.Contains(e.gaps, bridge.GapNoSharedLanguage) {
		penalty += penaltyNoSharedLanguage
	}
	v.placeReasons(other, e)
	v.groupAndEventReasons(other, e)

	sum := 0.0
	for _, r := range e.reasons {
		sum += r.weight
	}
	e.score = round2(sum - penalty)
}

func (v *viewer) wasIntroduced(other *bridge.MatchProfile) bool {
	if _, ok := v.introduced[other.PersonID]; ok && other.PersonID != "" {
		return true
	}
	return v.id != "" && slices.Contains(other.PastIntroductionWith, v.id)
}

// themeReasons adds one reason per theme both work on: the complementary one where one seeks
// what the other offers, else the shared one; then partial credit for up to maxRelatedReasons of
// their themes that are broader, narrower or siblings of a theme of mine that they do not share.
func (v *viewer) themeReasons(other *bridge.MatchProfile, themes map[string]bridge.ThemeInfo, e *evaluation) {
	e.themes = e.themes[:0]
	for _, t := range other.Themes {
		if t.ThemeID == "" {
			continue
		}
		i := slices.IndexFunc(e.themes, func(x themeModes) bool { return x.id == t.ThemeID })
		if i < 0 {
			e.themes = append(e.themes, themeModes{id: t.ThemeID, modes: modesOf(t.Mode)})
		} else {
			e.themes[i].modes |= modesOf(t.Mode)
		}
	}
	slices.SortFunc(e.themes, func(a, b themeModes) int { return strings.Compare(a.id, b.id) })
	complementary := false
	exact := 0
	for _, t := range e.themes {
		mine, ok := v.themes[t.id]
		if !ok {
			continue
		}
		exact++
		e.hasTheme = true
		r := themeReason(mine, t.modes, themeWeight(themes[t.id]), 1)
		r.id = t.id
		complementary = complementary || r.dir != 0
		e.reasons = append(e.reasons, r)
	}
	// Related themes: for each of their themes I do not have, the best of my themes they do not
	// have that it is broader, narrower or a sibling of. Partial credit stands in for the full
	// credit a match lacks: it counts only when no theme of mine is complemented outright, so
	// that it finds peers where no one complements my own themes without lifting, above them,
	// those who also work near mine (make match-quality: stacking it cost the planted partners
	// recall@10 0.84 → 0.80 at 1,000 people).
	e.related = e.related[:0]
	if exact < len(v.themes) && !complementary {
		for _, t := range e.themes {
			if _, ok := v.themes[t.id]; ok {
				continue
			}
			best := reason{}
			for _, id := range v.themeOrder {
				if slices.ContainsFunc(e.themes, func(x themeModes) bool { return x.id == id }) {
					continue
				}
				rel, ok := relation(themes, id, t.id)
				if !ok {
					continue
				}
				factor := relatedAdjacentFactor
				if rel == bridge.RelationSibling {
					factor = relatedSiblingFactor
				}
				r := themeReason(v.themes[id], t.modes, themeWeight(themes[id]), factor)
				r.kind, r.id, r.related, r.relation = bridge.ReasonRelatedTheme, id, t.id, rel
				if r.weight > best.weight {
					best = r
				}
			}
			if best.kind != "" {
				e.related = append(e.related, best)
			}
		}
		slices.SortStableFunc(e.related, func(a, b reason) int { return cmp.Compare(b.weight, a.weight) })
		for _, r := range e.related[:min(len(e.related), maxRelatedReasons)] {
			e.hasTheme = true
			complementary = complementary || r.dir != 0
			e.reasons = append(e.reasons, r)
		}
	}
	if !complementary {
		e.gaps = append(e.gaps, bridge.GapNoComplementary)
	}
}

// themeReason scores a theme I work on (mine) against how they work on it or on a related one
// (theirs): the theme's weight w plus the complementarity bonus, times factor (1 for the same
// theme, less for a related one).
func themeReason(mine, theirs modes, w, factor float64) reason {
	iNeed := mine&seeks != 0 && theirs&offers != 0
	theyNeed := theirs&seeks != 0 && mine&offers != 0
	r := reason{kind: bridge.ReasonComplementaryTheme, myModes: mine, theirModes: theirs}
	switch {
	case iNeed && theyNeed:
		r.weight, r.dir = w+bonusMySeek, bothWays
	case iNeed:
		r.weight, r.dir = w+bonusMySeek, iSeek
	case theyNeed:
		r.weight, r.dir = w+bonusTheirSeek, theySeek
	default:
		r.kind, r.weight = bridge.ReasonSharedTheme, w
	}
	r.weight = round2(r.weight * factor)
	return r
}

// relation says how their theme relates to mine: broader (mine lists it as broader), narrower
// (it lists mine), or a sibling (both list one broader theme). A theme missing from the map is
// related to nothing.
func relation(themes map[string]bridge.ThemeInfo, mine, theirs string) (bridge.ThemeRelation, bool) {
	m, t := themes[mine], themes[theirs]
	switch {
	case slices.Contains(m.Broader, theirs):
		return bridge.RelationBroader, true
	case slices.Contains(t.Broader, mine):
		return bridge.RelationNarrower, true
	}
	for _, b := range m.Broader {
		if slices.Contains(t.Broader, b) {
			return bridge.RelationSibling, true
		}
	}
	return "", false
}

// themeWeight is the weight of a shared theme: its specificity times its rarity. A theme
// missing from the map weighs as a broad theme of unknown popularity.
func themeWeight(t bridge.ThemeInfo) float64 {
	base := weightBroadTheme
	if t.Depth >= 1 {
		base = weightSpecificTheme
	}
	return base * rarity(t.People)
}

// rarity is the factor in (1, 1.5] by which a theme few people work on weighs more. A count of
// zero or less cannot be right for a theme two people share, so it is taken as unknown and
// earns no bonus.
func rarity(people int) float64 {
	if people <= 0 {
		return 1
	}
	return 1 + rarityBonus/math.Log2(2+float64(people)/rarityScale)
}

// languageReasons adds up to maxLanguageReasons reasons for shared working languages, and the
// gap when both list languages and share none. A gap is never claimed when a side lists no
// languages, since then nothing is known.
func (v *viewer) languageReasons(other *bridge.MatchProfile, e *evaluation) {
	e.languages = e.languages[:0]
	for _, l := range other.Languages {
		if c := normLanguage(l); c != "" && !slices.Contains(e.languages, c) {
			e.languages = append(e.languages, c)
		}
	}
	e.langs = e.langs[:0]
	sameScandinavian := false
	for _, c := range e.languages {
		if !slices.Contains(v.languages, c) {
			continue
		}
		w := weightOtherLanguage
		if isNordic(c) {
			w = weightNordicLanguage
		}
		sameScandinavian = sameScandinavian || isScandinavian(c)
		e.langs = append(e.langs, reason{kind: bridge.ReasonSharedLanguage, weight: w, id: c})
	}
	// A pair of different Scandinavian languages only adds something when no Scandinavian
	// language is shared outright; one such pair is enough, the first in code order.
	if !sameScandinavian {
		var pair reason
		for _, theirs := range e.languages {
			if !isScandinavian(theirs) {
				continue
			}
			for _, mine := range v.languages {
				if !isScandinavian(mine) {
					continue
				}
				if pair.id == "" || theirs < pair.id || theirs == pair.id && mine < pair.mine {
					pair = reason{kind: bridge.ReasonSharedLanguage, weight: weightScandinavianLanguage, id: theirs, mine: mine}
				}
			}
		}
		if pair.id != "" {
			e.langs = append(e.langs, pair)
		}
	}
	if len(e.langs) == 0 {
		if len(v.languages) > 0 && len(e.languages) > 0 {
			e.gaps = append(e.gaps, bridge.GapNoSharedLanguage)
		}
		return
	}
	slices.SortFunc(e.langs, func(a, b reason) int {
		if c := cmp.Compare(b.weight, a.weight); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	e.reasons = append(e.reasons, e.langs[:min(len(e.langs), maxLanguageReasons)]...)
}

// normLanguage reduces a language tag to its lower-case primary code ("sv-FI" → "sv"), so that
// "EN", "en" and "en-GB" count as one language.
func normLanguage(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}

// isNordic reports whether a language is one of the Nordic languages. "no" is the generic
// code for Norwegian, which some sources give instead of nb or nn.
func isNordic(code string) bool {
	switch code {
	case "sv", "nb", "nn", "no", "da", "is", "fo", "fi", "kl":
		return true
	}
	return false
}

// isScandinavian reports whether a language is one of the mutually intelligible Scandinavian
// languages.
func isScandinavian(code string) bool {
	switch code {
	case "sv", "nb", "nn", "no", "da":
		return true
	}
	return false
}

// placeReasons adds the reasons and gap about countries and municipalities. Nothing is claimed
// about a country or population that is unknown.
func (v *viewer) placeReasons(other *bridge.MatchProfile, e *evaluation) {
	theirs := strings.TrimSpace(other.CountryCode)
	if v.country == "" || theirs == "" {
		return
	}
	if sameCode(v.country, theirs) {
		e.gaps = append(e.gaps, bridge.GapSameCountry)
		return
	}
	e.reasons = append(e.reasons, reason{kind: bridge.ReasonOtherCountry, weight: weightOtherCountry})
	switch {
	case v.population <= 0 || other.MunicipalityPopulation <= 0:
		e.gaps = append(e.gaps, bridge.GapSizeUnknown)
	case comparable(v.population, other.MunicipalityPopulation):
		w := weightComparableMunicipality
		if bridge.SizeClassOf(v.population) != bridge.SizeClassOf(other.MunicipalityPopulation) {
			w -= weightSameSizeClass
		}
		e.reasons = append(e.reasons, reason{kind: bridge.ReasonComparableMunicipality, weight: w})
	}
}

// comparable reports whether two municipality populations are both known and the larger is at
// most comparablePopulationRatio times the smaller.
func comparable(a, b int) bool {
	if a <= 0 || b <= 0 {
		return false
	}
	lo, hi := min(a, b), max(a, b)
	return int64(hi) <= comparablePopulationRatio*int64(lo)
}

// groupAndEventReasons adds one reason per shared expert group and per shared event.
func (v *viewer) groupAndEventReasons(other *bridge.MatchProfile, e *evaluation) {
	start := len(e.reasons)
	for _, id := range other.GroupIDs {
		if _, ok := v.groups[id]; ok && id != "" && !has(e.reasons[start:], bridge.ReasonSharedGroup, id) {
			e.reasons = append(e.reasons, reason{kind: bridge.ReasonSharedGroup, weight: weightSharedGroup, id: id})
		}
	}
	for _, id := range other.EventIDs {
		if _, ok := v.events[id]; ok && id != "" && !has(e.reasons[start:], bridge.ReasonSharedEvent, id) {
			e.reasons = append(e.reasons, reason{kind: bridge.ReasonSharedEvent, weight: weightSharedEvent, id: id})
		}
	}
}

func has(rs []reason, kind bridge.ReasonKind, id string) bool {
	for _, r := range rs {
		if r.kind == kind && r.id == id {
			return true
		}
	}
	return false
}

// round2 rounds to two decimals, so that scores and their order are the same on every platform
// and the shown weights add up to the shown score.
func round2(x float64) float64 {
	return math.Round(x*100) / 100
}

// better reports whether the candidate at index a should replace the one at index b, two
// profiles of the same person: the higher score wins, and at an equal score the one whose
// explanation comes first, so that the choice does not depend on the order of candidates.
func (v *viewer) better(candidates []bridge.MatchProfile, themes map[string]bridge.ThemeInfo, a, b int) bool {
	var ea, eb evaluation
	v.evaluate(&candidates[a], themes, &ea)
	v.evaluate(&candidates[b], themes, &eb)
	if ea.score != eb.score {
		return ea.score > eb.score
	}
	return compareMatches(v.render(&candidates[a], themes, &ea), v.render(&candidates[b], themes, &eb)) < 0
}

// compareMatches orders two explanations of the same person field by field.
func compareMatches(a, b bridge.PeerMatch) int {
	if c := cmp.Compare(len(a.Reasons), len(b.Reasons)); c != 0 {
		return c
	}
	for i := range a.Reasons {
		if c := compareReasons(a.Reasons[i], b.Reasons[i]); c != 0 {
			return c
		}
		if c := strings.Compare(a.Reasons[i].Text, b.Reasons[i].Text); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(len(a.Missing), len(b.Missing)); c != 0 {
		return c
	}
	for i := range a.Missing {
		if c := strings.Compare(string(a.Missing[i].Kind), string(b.Missing[i].Kind)); c != 0 {
			return c
		}
	}
	return 0
}
