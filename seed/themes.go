package seed

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The theme vocabulary, the programme's groups, events and knowledge items, and the reference
// vocabularies the themes cross-walk to. They are embedded so that the binary seeds a fresh
// database without the shared data set next to it.
var (
	//go:embed themes.json
	themesFile []byte
	//go:embed programme.json
	programmeFile []byte
	//go:embed integration_themes_reference.json
	vocabulariesFile []byte
)

// File names as they appear in error messages, so that an error points at the file to fix.
const (
	themesFileName       = "themes.json"
	programmeFileName    = "programme.json"
	vocabulariesFileName = "integration_themes_reference.json"
)

// nordicCountryCodes are the codes a seeded event or knowledge item may name: the five countries
// and the three autonomous territories of countries.csv.
var nordicCountryCodes = bridge.NordicCountries

// Themes returns the multilingual theme vocabulary in file order, validated like user input:
// a theme that is missing a label, points at an unknown broader theme or cross-walks to a concept
// the reference vocabularies do not have would make matching across languages silently wrong.
func Themes() ([]bridge.Theme, error) {
	ref, err := parseVocabularies(vocabulariesFile)
	if err != nil {
		return nil, err
	}
	return parseThemes(themesFile, ref)
}

// Programme is the seeded part of the co-operation programme: its expert groups and networks,
// its conferences and its publications. It is one value because all three are checked against
// the same theme vocabulary and are written together by `bridge seed`.
type Programme struct {
	Groups    []bridge.ExpertGroup
	Events    []bridge.Event
	Practices []bridge.Practice
}

// LoadProgramme returns the programme's groups, events and knowledge items in file order,
// validated against themes (normally the result of Themes), so that nothing is seeded that links
// to a theme the vocabulary does not have.
func LoadProgramme(themes []bridge.Theme) (Programme, error) {
	return parseProgramme(programmeFile, themes)
}

// vocabularies holds what the reference vocabularies offer to cross-walk to, and the addresses they
// were compiled from.
type vocabularies struct {
	terms   map[string]map[string]bool // vocabulary key → item → true
	sources map[string]bool
}

// crossWalkVocabulary is one entry of integration_themes_reference.json. Items is a list of
// strings, or (ewsi_key_themes_legacy) an object whose keys are the themes.
type crossWalkVocabulary struct {
	Items        json.RawMessage `json:"items"`
	CrossCutting []string        `json:"cross_cutting"`
	Sources      []string        `json:"sources"`
}

func parseVocabularies(data []byte) (vocabularies, error) {
	var raw map[string]crossWalkVocabulary
	if err := json.Unmarshal(data, &raw); err != nil {
		return vocabularies{}, fmt.Errorf("%s: %w", vocabulariesFileName, err)
	}
	if len(raw) == 0 {
		return vocabularies{}, fmt.Errorf("%s: no vocabularies", vocabulariesFileName)
	}
	ref := vocabularies{terms: map[string]map[string]bool{}, sources: map[string]bool{}}
	for key, v := range raw {
		terms := map[string]bool{}
		var list []string
		var object map[string][]string
		switch {
		case len(v.Items) == 0:
			return vocabularies{}, fmt.Errorf("%s: %s: items is missing", vocabulariesFileName, key)
		case json.Unmarshal(v.Items, &list) == nil && list != nil:
			for _, item := range list {
				terms[item] = true
			}
		case json.Unmarshal(v.Items, &object) == nil && object != nil:
			for item := range object {
				terms[item] = true
			}
		default:
			return vocabularies{}, fmt.Errorf("%s: %s: items is neither a list of strings nor an object of lists", vocabulariesFileName, key)
		}
		for _, item := range v.CrossCutting {
			terms[item] = true
		}
		for _, s := range v.Sources {
			ref.sources[s] = true
		}
		ref.terms[key] = terms
	}
	return ref, nil
}

// themeRecord is a theme as written in themes.json.
type themeRecord struct {
	ID           string            `json:"id"`
	Labels       map[string]string `json:"labels"`
	Descriptions map[string]string `json:"descriptions"`
	Broader      []string          `json:"broader"`
	CrossWalks   []string          `json:"crossWalks"`
}

func parseThemes(data []byte, ref vocabularies) ([]bridge.Theme, error) {
	var records []themeRecord
	if err := decodeStrict(data, &records); err != nil {
		return nil, fmt.Errorf("%s: %w", themesFileName, err)
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: no themes", themesFileName)
	}
	known := map[string]bool{}
	for _, l := range bridge.RequiredLabelLanguages {
		known[l] = true
	}
	for _, l := range bridge.OptionalLabelLanguages {
		known[l] = true
	}

	var out []bridge.Theme
	index := map[string]int{}
	labelOwner := map[string]string{} // language + "\x00" + folded label → theme id
	for i, r := range records {
		name := itemName("theme", i, r.ID)
		fail := func(format string, args ...any) error {
			return fmt.Errorf("%s: %s: %s", themesFileName, name, fmt.Sprintf(format, args...))
		}
		if err := checkSlug(r.ID); err != nil {
			return nil, fail("id: %v", err)
		}
		if j, dup := index[r.ID]; dup {
			return nil, fail("id: duplicate of theme #%d", j+1)
		}
		index[r.ID] = i

		for _, lang := range bridge.RequiredLabelLanguages {
			if _, ok := r.Labels[lang]; !ok {
				return nil, fail("labels.%s is missing: every theme needs a label in %s", lang, strings.Join(bridge.RequiredLabelLanguages, ", "))
			}
		}
		for _, lang := range sortedKeys(r.Labels) {
			if !known[lang] {
				return nil, fail("labels.%s: unknown language (want one of %s)", lang, strings.Join(slices.Concat(bridge.RequiredLabelLanguages, bridge.OptionalLabelLanguages), ", "))
			}
			if err := checkText(r.Labels[lang]); err != nil {
				return nil, fail("labels.%s: %v", lang, err)
			}
			key := lang + "\x00" + strings.ToLower(r.Labels[lang])
			if other, taken := labelOwner[key]; taken {
				return nil, fail("labels.%s: %q is already the label of theme %q", lang, r.Labels[lang], other)
			}
			labelOwner[key] = r.ID
		}

		if _, ok := r.Descriptions["en"]; !ok {
			return nil, fail("descriptions.en is missing")
		}
		for _, lang := range sortedKeys(r.Descriptions) {
			if !known[lang] {
				return nil, fail("descriptions.%s: unknown language", lang)
			}
			if err := checkText(r.Descriptions[lang]); err != nil {
				return nil, fail("descriptions.%s: %v", lang, err)
			}
		}

		seen := map[string]bool{}
		for _, cw := range r.CrossWalks {
			key, item, ok := strings.Cut(cw, ":")
			if !ok || key == "" || item == "" {
				return nil, fail("crossWalks: %q is not \"<vocabulary key>:<item>\"", cw)
			}
			terms, ok := ref.terms[key]
			if !ok {
				return nil, fail("crossWalks: %q names unknown vocabulary %q of %s", cw, key, vocabulariesFileName)
			}
			if !terms[item] {
				return nil, fail("crossWalks: %q: vocabulary %q has no item %q", cw, key, item)
			}
			if seen[cw] {
				return nil, fail("crossWalks: %q is listed twice", cw)
			}
			seen[cw] = true
		}

		out = append(out, bridge.Theme{
			ID:           r.ID,
			Labels:       r.Labels,
			Descriptions: r.Descriptions,
			Broader:      nonNil(r.Broader),
			CrossWalks:   nonNil(r.CrossWalks),
		})
	}

	// Broader links are checked once every id is known, so that a theme may point at one that
	// comes later in the file.
	for i, t := range out {
		seen := map[string]bool{}
		for _, b := range t.Broader {
			switch _, ok := index[b]; {
			case b == t.ID:
				return nil, fmt.Errorf("%s: %s: broader: a theme cannot be broader than itself", themesFileName, itemName("theme", i, t.ID))
			case !ok:
				return nil, fmt.Errorf("%s: %s: broader: unknown theme %q", themesFileName, itemName("theme", i, t.ID), b)
			case seen[b]:
				return nil, fmt.Errorf("%s: %s: broader: %q is listed twice", themesFileName, itemName("theme", i, t.ID), b)
			}
			seen[b] = true
		}
	}
	if cycle := findCycle(out, index); cycle != nil {
		return nil, fmt.Errorf("%s: theme %q: broader forms a cycle: %s", themesFileName, cycle[0], strings.Join(cycle, " → "))
	}
	return out, nil
}

// findCycle returns the ids along a cycle of broader links (the first id repeated at the end),
// or nil when the hierarchy has none. It walks in file order, so the answer is stable.
func findCycle(themes []bridge.Theme, index map[string]int) []string {
	const (
		unvisited = iota
		onPath
		done
	)
	state := make([]int, len(themes))
	var path []string
	var visit func(i int) []string
	visit = func(i int) []string {
		state[i] = onPath
		path = append(path, themes[i].ID)
		for _, b := range themes[i].Broader {
			j := index[b]
			switch state[j] {
			case onPath:
				start := slices.Index(path, b)
				return append(slices.Clone(path[start:]), b)
			case unvisited:
				if c := visit(j); c != nil {
					return c
				}
			}
		}
		path = path[:len(path)-1]
		state[i] = done
		return nil
	}
	for i := range themes {
		if state[i] == unvisited {
			if c := visit(i); c != nil {
				return c
			}
		}
	}
	return nil
}

// The records of programme.json.
type (
	programmeRecord struct {
		Groups    []groupRecord    `json:"groups"`
		Events    []eventRecord    `json:"events"`
		Practices []practiceRecord `json:"practices"`
	}
	groupRecord struct {
		ID          string   `json:"id"`
		Name        string   `json:"name"`
		Kind        string   `json:"kind"`
		Description string   `json:"description"`
		ThemeIDs    []string `json:"themeIds"`
	}
	eventRecord struct {
		ID          string   `json:"id"`
		Name        string   `json:"name"`
		Description string   `json:"description"`
		StartDate   string   `json:"startDate"`
		EndDate     string   `json:"endDate"`
		City        string   `json:"city"`
		CountryCode string   `json:"countryCode"`
		ThemeIDs    []string `json:"themeIds"`
	}
	practiceRecord struct {
		ID           string   `json:"id"`
		Title        string   `json:"title"`
		Kind         string   `json:"kind"`
		Summary      string   `json:"summary"`
		Year         int      `json:"year"`
		URL          string   `json:"url"`
		ThemeIDs     []string `json:"themeIds"`
		CountryCodes []string `json:"countryCodes"`
	}
)

func parseProgramme(data []byte, themes []bridge.Theme) (Programme, error) {
	var rec programmeRecord
	if err := decodeStrict(data, &rec); err != nil {
		return Programme{}, fmt.Errorf("%s: %w", programmeFileName, err)
	}
	themeIDs := map[string]bool{}
	for _, t := range themes {
		themeIDs[t.ID] = true
	}
	var p Programme

	ids := map[string]bool{}
	for i, r := range rec.Groups {
		fail := failer("group", i, r.ID)
		if err := checkID(r.ID, ids); err != nil {
			return Programme{}, fail("id: %v", err)
		}
		if err := checkText(r.Name); err != nil {
			return Programme{}, fail("name: %v", err)
		}
		kind := bridge.GroupKind(r.Kind)
		if !slices.Contains([]bridge.GroupKind{bridge.GroupExpert, bridge.GroupNetwork, bridge.GroupReference}, kind) {
			return Programme{}, fail("kind: unknown group kind %q (want %s, %s or %s)", r.Kind, bridge.GroupExpert, bridge.GroupNetwork, bridge.GroupReference)
		}
		if err := checkText(r.Description); err != nil {
			return Programme{}, fail("description: %v", err)
		}
		if err := checkThemeIDs(r.ThemeIDs, themeIDs); err != nil {
			return Programme{}, fail("themeIds: %v", err)
		}
		p.Groups = append(p.Groups, bridge.ExpertGroup{
			ID: r.ID, Name: r.Name, Kind: kind, Description: r.Description, ThemeIDs: r.ThemeIDs,
		})
	}

	ids = map[string]bool{}
	for i, r := range rec.Events {
		fail := failer("event", i, r.ID)
		if err := checkID(r.ID, ids); err != nil {
			return Programme{}, fail("id: %v", err)
		}
		if err := checkText(r.Name); err != nil {
			return Programme{}, fail("name: %v", err)
		}
		if err := checkText(r.Description); err != nil {
			return Programme{}, fail("description: %v", err)
		}
		start, err := parseDate(r.StartDate)
		if err != nil {
			return Programme{}, fail("startDate: %v", err)
		}
		end, err := parseDate(r.EndDate)
		if err != nil {
			return Programme{}, fail("endDate: %v", err)
		}
		if end.Before(start) {
			return Programme{}, fail("endDate: %s is before startDate %s", r.EndDate, r.StartDate)
		}
		if err := checkText(r.City); err != nil {
			return Programme{}, fail("city: %v", err)
		}
		if err := checkCountryCode(r.CountryCode); err != nil {
			return Programme{}, fail("countryCode: %v", err)
		}
		if err := checkThemeIDs(r.ThemeIDs, themeIDs); err != nil {
			return Programme{}, fail("themeIds: %v", err)
		}
		p.Events = append(p.Events, bridge.Event{
			ID: r.ID, Name: r.Name, Description: r.Description, StartDate: r.StartDate, EndDate: r.EndDate,
			City: r.City, CountryCode: r.CountryCode, ThemeIDs: r.ThemeIDs,
		})
	}

	ids = map[string]bool{}
	for i, r := range rec.Practices {
		fail := failer("practice", i, r.ID)
		if err := checkID(r.ID, ids); err != nil {
			return Programme{}, fail("id: %v", err)
		}
		if err := checkText(r.Title); err != nil {
			return Programme{}, fail("title: %v", err)
		}
		kind := bridge.PracticeKind(r.Kind)
		if !slices.Contains([]bridge.PracticeKind{bridge.PracticePublication, bridge.PracticeProject, bridge.PracticeGood}, kind) {
			return Programme{}, fail("kind: unknown practice kind %q (want %s, %s or %s)", r.Kind, bridge.PracticePublication, bridge.PracticeProject, bridge.PracticeGood)
		}
		if err := checkText(r.Summary); err != nil {
			return Programme{}, fail("summary: %v", err)
		}
		if r.Year != 0 && (r.Year < 1900 || r.Year > 2100) {
			return Programme{}, fail("year: %d is not a plausible year (use 0 when it is not known)", r.Year)
		}
		if r.URL != "" {
			if err := checkURL(r.URL); err != nil {
				return Programme{}, fail("url: %v", err)
			}
		}
		if err := checkThemeIDs(r.ThemeIDs, themeIDs); err != nil {
			return Programme{}, fail("themeIds: %v", err)
		}
		seen := map[string]bool{}
		for _, c := range r.CountryCodes {
			if err := checkCountryCode(c); err != nil {
				return Programme{}, fail("countryCodes: %v", err)
			}
			if seen[c] {
				return Programme{}, fail("countryCodes: %s is listed twice", c)
			}
			seen[c] = true
		}
		p.Practices = append(p.Practices, bridge.Practice{
			ID: r.ID, Title: r.Title, Kind: kind, Summary: r.Summary, Year: r.Year, URL: r.URL,
			ThemeIDs: r.ThemeIDs, CountryCodes: nonNil(r.CountryCodes),
		})
	}
	return p, nil
}

// failer returns a function that builds an error naming programme.json, the item and the field.
func failer(kind string, i int, id string) func(format string, args ...any) error {
	name := itemName(kind, i, id)
	return func(format string, args ...any) error {
		return fmt.Errorf("%s: %s: %s", programmeFileName, name, fmt.Sprintf(format, args...))
	}
}

// itemName names an item by its id, or by its position when the id is missing.
func itemName(kind string, i int, id string) string {
	if id == "" {
		return fmt.Sprintf("%s #%d", kind, i+1)
	}
	return fmt.Sprintf("%s %q", kind, id)
}

// decodeStrict decodes one JSON value and rejects unknown fields and trailing data, so that a
// misspelt field ("broder") is an error rather than a silently empty value.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the top-level value")
	}
	return nil
}

// checkSlug accepts stable ids such as "labour-market-establishment": lowercase ASCII letters and
// digits in words joined by single hyphens.
func checkSlug(id string) error {
	if id == "" {
		return errors.New("is missing")
	}
	if len(id) > 80 {
		return fmt.Errorf("%q is longer than 80 characters", id)
	}
	prevHyphen := true // no leading hyphen
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			prevHyphen = false
		case r == '-' && !prevHyphen:
			prevHyphen = true
		default:
			return fmt.Errorf("%q is not a slug (lowercase letters and digits joined by single hyphens)", id)
		}
	}
	if prevHyphen {
		return fmt.Errorf("%q is not a slug (lowercase letters and digits joined by single hyphens)", id)
	}
	return nil
}

// checkID checks a slug and that it is not yet in seen, then records it.
func checkID(id string, seen map[string]bool) error {
	if err := checkSlug(id); err != nil {
		return err
	}
	if seen[id] {
		return fmt.Errorf("%q is used twice", id)
	}
	seen[id] = true
	return nil
}

// checkText rejects empty text and text with surrounding white space.
func checkText(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("is empty")
	}
	if strings.TrimSpace(s) != s {
		return fmt.Errorf("%q has leading or trailing white space", s)
	}
	return nil
}

// checkThemeIDs requires at least one theme, each known and listed once.
func checkThemeIDs(ids []string, known map[string]bool) error {
	if len(ids) == 0 {
		return errors.New("is empty: link at least one theme")
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if !known[id] {
			return fmt.Errorf("unknown theme %q", id)
		}
		if seen[id] {
			return fmt.Errorf("%q is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// checkCountryCode accepts the Nordic countries and autonomous territories only.
func checkCountryCode(code string) error {
	if !slices.Contains(nordicCountryCodes, code) {
		return fmt.Errorf("%q is not a Nordic country or territory (want one of %s)", code, strings.Join(nordicCountryCodes, " "))
	}
	return nil
}

// parseDate accepts an ISO calendar date (YYYY-MM-DD) that exists.
func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, errors.New("is missing")
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil || d.Format(time.DateOnly) != s {
		return time.Time{}, fmt.Errorf("%q is not an ISO date (YYYY-MM-DD)", s)
	}
	return d, nil
}

// checkURL accepts an absolute http or https address.
func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) address", s)
	}
	return nil
}

// sortedKeys returns the keys of m in order, so that errors name the same field on every run.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// nonNil turns a missing list into an empty one, so that the store writes [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
