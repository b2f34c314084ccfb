package bridge

import (
	"context"
	"slices"
)

// Languages of the theme vocabulary. Required labels are in every theme; fo and kl where known.
var (
	RequiredLabelLanguages = []string{"en", "sv", "nb", "da", "fi", "is"}
	OptionalLabelLanguages = []string{"fo", "kl"}
)

// Theme is a concept of the multilingual controlled vocabulary, so that a Swedish and a Finnish
// practitioner who use different words meet on the same theme. ID is a stable slug
// ("labour-market-establishment"). Broader lists the IDs of more general themes; a theme without
// one is a top theme. Specific themes weigh more than broad ones in matching.
type Theme struct {
	ID           string
	Labels       map[string]string // language code → label
	Descriptions map[string]string // language code → one sentence; at least "en"
	Broader      []string
	// CrossWalks names the concepts of the EU and national vocabularies (integration_themes_reference.json)
	// that this theme corresponds to, as "<vocabulary key>:<item>".
	CrossWalks []string
	// Aliases are the other words practitioners search the theme by, in any language: common
	// words, acronyms and names of programmes (SFI, NAV, TE-palvelut, kotoutumiskoulutus). Search
	// finds the theme by them (seed/reference/theme_aliases.csv); they are not labels and the API
	// does not show them.
	Aliases []string
}

// ThemeMode says how a person relates to a theme.
type ThemeMode string

// Offers: has experience to share; seeks: wants to learn; both.
const (
	ModeOffers ThemeMode = "OFFERS"
	ModeSeeks  ThemeMode = "SEEKS"
	ModeBoth   ThemeMode = "BOTH"
)

// Valid reports whether m is a known mode.
func (m ThemeMode) Valid() bool { return m == ModeOffers || m == ModeSeeks || m == ModeBoth }

// ThemeService reads the theme vocabulary.
type ThemeService interface {
	// Themes returns every theme with its labels, descriptions and broader links, ordered by id.
	// The vocabulary is small (tens of themes), so callers may read it whole.
	Themes(ctx context.Context) ([]Theme, error)
}

// ValidateLangCode checks that lang looks like a two-letter ISO 639-1 code (any language: a
// label in a language the vocabulary lacks falls back to English).
func ValidateLangCode(lang string) error {
	if len(lang) != 2 || lang[0] < 'a' || lang[0] > 'z' || lang[1] < 'a' || lang[1] > 'z' {
		return InvalidInput([]string{"lang"}, "a language is a two-letter ISO 639-1 code such as sv")
	}
	return nil
}

// LabelIn is Label for the API's Theme.label(lang): the language checked first. A method without
// a context, so that gqlgen resolves it in line rather than in a goroutine per theme.
func (t *Theme) LabelIn(lang string) (string, error) {
	if err := ValidateLangCode(lang); err != nil {
		return "", err
	}
	return t.Label(lang), nil
}

// DescriptionIn is the theme's description in lang, falling back to English (the API's
// Theme.description(lang)).
func (t *Theme) DescriptionIn(lang string) (*string, error) {
	if err := ValidateLangCode(lang); err != nil {
		return nil, err
	}
	if d := t.Descriptions[lang]; d != "" {
		return &d, nil
	}
	if d := t.Descriptions["en"]; d != "" {
		return &d, nil
	}
	return nil, nil
}

// Label returns the theme's label in lang, falling back to English, so that a theme always has
// a name to show.
func (t Theme) Label(lang string) string {
	if l := t.Labels[lang]; l != "" {
		return l
	}
	return t.Labels["en"]
}

// ThemeFilterDepth is how many levels of narrower themes a theme brings in a filter or a facet (the
// store's BROADER*0..2): a person on "work-placements" counts for "labour-market-establishment".
const ThemeFilterDepth = 2

// ThemeAncestors maps the id of each theme of the vocabulary to its own id and those of the
// themes up to ThemeFilterDepth levels broader, each once: the themes whose facet a person on it
// counts for. It is computed from the vocabulary in memory, so that the store need not walk the
// hierarchy once per person (issue 15).
func ThemeAncestors(themes []Theme) map[string][]string {
	broader := make(map[string][]string, len(themes))
	for _, t := range themes {
		broader[t.ID] = t.Broader
	}
	out := make(map[string][]string, len(themes))
	for _, t := range themes {
		seen := map[string]bool{t.ID: true}
		ups, level := []string{t.ID}, []string{t.ID}
		for depth := 0; depth < ThemeFilterDepth; depth++ {
			var next []string
			for _, id := range level {
				for _, b := range broader[id] {
					if !seen[b] {
						seen[b] = true
						ups = append(ups, b)
					}
					next = append(next, b)
				}
			}
			level = next
		}
		out[t.ID] = ups
	}
	return out
}

// ThemesWithin is the ids of the themes of the vocabulary that a filter on ids brings in: each of
// ids and the themes up to ThemeFilterDepth levels narrower (those whose ThemeAncestors hold one
// of ids), sorted. An id the vocabulary does not hold brings nothing. The store matches a
// person's themes against this list instead of walking the hierarchy from each person (issue 15).
func ThemesWithin(vocabulary []Theme, ids []string) []string {
	chosen := make(map[string]bool, len(ids))
	for _, id := range ids {
		chosen[id] = true
	}
	out := []string{}
	for id, ups := range ThemeAncestors(vocabulary) {
		for _, up := range ups {
			if chosen[up] {
				out = append(out, id)
				break
			}
		}
	}
	slices.Sort(out)
	return out
}
