package bridge

import (
	"net/url"
	"regexp"
	"strconv"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidateKey checks one of our slug keys (labour-market, oslo-2017-…).
func ValidateKey(path []string, key string) error {
	if len(key) > 80 || !slugPattern.MatchString(key) {
		return InvalidInput(path, "a key is lower-case letters, digits and single hyphens, at most 80 characters")
	}
	return nil
}

func sub(prefix []string, f ...string) []string { return append(append([]string{}, prefix...), f...) }

// knownLabelLanguage reports whether lang is a language of theme labels and descriptions.
func knownLabelLanguage(lang string) bool {
	for _, x := range append(append([]string{}, RequiredLabelLanguages...), OptionalLabelLanguages...) {
		if x == lang {
			return true
		}
	}
	return false
}

// Clean checks a theme written by the secretariat and returns it in the form to store (new maps:
// the caller's stay as they were): key, a one-line label in every required language, an English
// description; the broader themes' existence is the store's to check.
func (t Theme) Clean(prefix ...string) (Theme, error) {
	if err := ValidateKey(sub(prefix, "key"), t.ID); err != nil {
		return Theme{}, err
	}
	for _, lang := range RequiredLabelLanguages {
		if _, err := CleanLine(sub(prefix, "labels", lang), t.Labels[lang], true, 200); err != nil {
			return Theme{}, err
		}
	}
	labels := make(map[string]string, len(t.Labels))
	for lang, l := range t.Labels {
		if !knownLabelLanguage(lang) {
			return Theme{}, InvalidInput(sub(prefix, "labels", lang), "labels are in en, sv, nb, da, fi, is, fo or kl")
		}
		var err error
		if labels[lang], err = CleanLine(sub(prefix, "labels", lang), l, false, 200); err != nil {
			return Theme{}, err
		}
	}
	if _, err := CleanText(sub(prefix, "description"), t.Descriptions["en"], true, 1000); err != nil {
		return Theme{}, err
	}
	descriptions := make(map[string]string, len(t.Descriptions))
	for lang, d := range t.Descriptions {
		if !knownLabelLanguage(lang) {
			return Theme{}, InvalidInput(sub(prefix, "descriptions", lang), "descriptions are in en, sv, nb, da, fi, is, fo or kl")
		}
		var err error
		if descriptions[lang], err = CleanText(sub(prefix, "descriptions", lang), d, false, 1000); err != nil {
			return Theme{}, err
		}
	}
	for i, b := range t.Broader {
		if b == t.ID {
			return Theme{}, InvalidInput(sub(prefix, "broader", strconv.Itoa(i)), "a theme cannot be broader than itself")
		}
	}
	crossWalks := make([]string, len(t.CrossWalks))
	for i, c := range t.CrossWalks {
		var err error
		if crossWalks[i], err = CleanLine(sub(prefix, "crossWalks", strconv.Itoa(i)), c, true, 200); err != nil {
			return Theme{}, err
		}
	}
	if t.CrossWalks == nil {
		crossWalks = nil
	}
	t.Labels, t.Descriptions, t.CrossWalks = labels, descriptions, crossWalks
	return t, nil
}

// Validate reports the first problem Clean finds.
func (t Theme) Validate(prefix ...string) error {
	_, err := t.Clean(prefix...)
	return err
}

// Clean checks an expert group written by the secretariat and returns it in the form to store.
func (g ExpertGroup) Clean(prefix ...string) (ExpertGroup, error) {
	if err := ValidateKey(sub(prefix, "key"), g.ID); err != nil {
		return ExpertGroup{}, err
	}
	var err error
	if g.Name, err = CleanLine(sub(prefix, "name"), g.Name, true, 200); err != nil {
		return ExpertGroup{}, err
	}
	if g.Kind != GroupExpert && g.Kind != GroupNetwork && g.Kind != GroupReference {
		return ExpertGroup{}, InvalidInput(sub(prefix, "kind"), "EXPERT_GROUP, NETWORK or REFERENCE_GROUP")
	}
	if g.Description, err = CleanText(sub(prefix, "description"), g.Description, false, 2000); err != nil {
		return ExpertGroup{}, err
	}
	return g, nil
}

// Validate reports the first problem Clean finds.
func (g ExpertGroup) Validate(prefix ...string) error {
	_, err := g.Clean(prefix...)
	return err
}

// Clean checks an event written by the secretariat and returns it in the form to store: dates
// between 1900 and 2100 (ParseDate; an event may lie ahead), the end not before the start.
func (e Event) Clean(prefix ...string) (Event, error) {
	if err := ValidateKey(sub(prefix, "key"), e.ID); err != nil {
		return Event{}, err
	}
	var err error
	if e.Name, err = CleanLine(sub(prefix, "name"), e.Name, true, 200); err != nil {
		return Event{}, err
	}
	start, err := ParseDate(sub(prefix, "startDate"), e.StartDate)
	if err != nil {
		return Event{}, err
	}
	end, err := ParseDate(sub(prefix, "endDate"), e.EndDate)
	if err != nil {
		return Event{}, err
	}
	if end.Before(start) {
		return Event{}, InvalidInput(sub(prefix, "endDate"), "the end cannot be before the start")
	}
	if e.City, err = CleanLine(sub(prefix, "city"), e.City, false, 100); err != nil {
		return Event{}, err
	}
	if e.CountryCode != "" {
		if err := ValidateCountryCode(sub(prefix, "country"), e.CountryCode); err != nil {
			return Event{}, err
		}
	}
	if e.Description, err = CleanText(sub(prefix, "description"), e.Description, false, 2000); err != nil {
		return Event{}, err
	}
	return e, nil
}

// Validate reports the first problem Clean finds.
func (e Event) Validate(prefix ...string) error {
	_, err := e.Clean(prefix...)
	return err
}

// Clean checks a knowledge item written by the secretariat and returns it in the form to store.
func (p Practice) Clean(prefix ...string) (Practice, error) {
	if err := ValidateKey(sub(prefix, "key"), p.ID); err != nil {
		return Practice{}, err
	}
	var err error
	if p.Title, err = CleanLine(sub(prefix, "title"), p.Title, true, 300); err != nil {
		return Practice{}, err
	}
	if p.Kind != PracticePublication && p.Kind != PracticeProject && p.Kind != PracticeGood {
		return Practice{}, InvalidInput(sub(prefix, "kind"), "PUBLICATION, PROJECT or GOOD_PRACTICE")
	}
	if p.URL != "" {
		if u, err := url.Parse(p.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return Practice{}, InvalidInput(sub(prefix, "url"), "a web address")
		}
	}
	if p.Year != 0 && (p.Year < 1950 || p.Year > 2100) {
		return Practice{}, InvalidInput(sub(prefix, "year"), "a year between 1950 and 2100")
	}
	for i, c := range p.CountryCodes {
		if err := ValidateCountryCode(sub(prefix, "countries", strconv.Itoa(i)), c); err != nil {
			return Practice{}, err
		}
	}
	if p.Summary, err = CleanText(sub(prefix, "summary"), p.Summary, false, 2000); err != nil {
		return Practice{}, err
	}
	for _, l := range []struct {
		field string
		ids   []string
	}{{"organisations", p.OrganisationIDs}, {"municipalities", p.MunicipalityIDs}, {"people", p.PersonIDs}} {
		if len(l.ids) > MaxPracticeLinks {
			return Practice{}, InvalidInput(sub(prefix, l.field), "at most %d", MaxPracticeLinks)
		}
	}
	return p, nil
}

// Validate reports the first problem Clean finds.
func (p Practice) Validate(prefix ...string) error {
	_, err := p.Clean(prefix...)
	return err
}
