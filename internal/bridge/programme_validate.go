package bridge

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidateKey checks one of our slug keys (labour-market, oslo-2017-…).
func ValidateKey(path []string, key string) error {
	if len(key) > 80 || !slugPattern.MatchString(key) {
		return InvalidInput(path, "a key is lower-case letters, digits and single hyphens, at most 80 characters")
	}
	return nil
}

func checkText(path []string, v string, required bool, max int) error {
	v = strings.TrimSpace(v)
	switch {
	case required && v == "":
		return InvalidInput(path, "required")
	case len([]rune(v)) > max:
		return InvalidInput(path, "at most %d characters", max)
	}
	return nil
}

func sub(prefix []string, f ...string) []string { return append(append([]string{}, prefix...), f...) }

// Validate checks a theme written by the secretariat: key, a label in every required language,
// an English description; the broader themes' existence is the store's to check.
func (t Theme) Validate(prefix ...string) error {
	if err := ValidateKey(sub(prefix, "key"), t.ID); err != nil {
		return err
	}
	for _, lang := range RequiredLabelLanguages {
		if err := checkText(sub(prefix, "labels", lang), t.Labels[lang], true, 200); err != nil {
			return err
		}
	}
	for lang, l := range t.Labels {
		known := false
		for _, x := range append(append([]string{}, RequiredLabelLanguages...), OptionalLabelLanguages...) {
			known = known || x == lang
		}
		if !known {
			return InvalidInput(sub(prefix, "labels", lang), "labels are in en, sv, nb, da, fi, is, fo or kl")
		}
		if err := checkText(sub(prefix, "labels", lang), l, false, 200); err != nil {
			return err
		}
	}
	if err := checkText(sub(prefix, "description"), t.Descriptions["en"], true, 1000); err != nil {
		return err
	}
	for i, b := range t.Broader {
		if b == t.ID {
			return InvalidInput(sub(prefix, "broader", strconv.Itoa(i)), "a theme cannot be broader than itself")
		}
	}
	return nil
}

// Validate checks an expert group written by the secretariat.
func (g ExpertGroup) Validate(prefix ...string) error {
	if err := ValidateKey(sub(prefix, "key"), g.ID); err != nil {
		return err
	}
	if err := checkText(sub(prefix, "name"), g.Name, true, 200); err != nil {
		return err
	}
	if g.Kind != GroupExpert && g.Kind != GroupNetwork && g.Kind != GroupReference {
		return InvalidInput(sub(prefix, "kind"), "EXPERT_GROUP, NETWORK or REFERENCE_GROUP")
	}
	return checkText(sub(prefix, "description"), g.Description, false, 2000)
}

// Validate checks an event written by the secretariat.
func (e Event) Validate(prefix ...string) error {
	if err := ValidateKey(sub(prefix, "key"), e.ID); err != nil {
		return err
	}
	if err := checkText(sub(prefix, "name"), e.Name, true, 200); err != nil {
		return err
	}
	start, err := time.Parse(time.DateOnly, e.StartDate)
	if err != nil {
		return InvalidInput(sub(prefix, "startDate"), "a date such as 2018-11-20")
	}
	end, err := time.Parse(time.DateOnly, e.EndDate)
	if err != nil || end.Before(start) {
		return InvalidInput(sub(prefix, "endDate"), "a date such as 2018-11-20, not before the start")
	}
	if e.CountryCode != "" {
		if err := ValidateCountryCode(sub(prefix, "country"), e.CountryCode); err != nil {
			return err
		}
	}
	return checkText(sub(prefix, "description"), e.Description, false, 2000)
}

// Validate checks a knowledge item written by the secretariat.
func (p Practice) Validate(prefix ...string) error {
	if err := ValidateKey(sub(prefix, "key"), p.ID); err != nil {
		return err
	}
	if err := checkText(sub(prefix, "title"), p.Title, true, 300); err != nil {
		return err
	}
	if p.Kind != PracticePublication && p.Kind != PracticeProject && p.Kind != PracticeGood {
		return InvalidInput(sub(prefix, "kind"), "PUBLICATION, PROJECT or GOOD_PRACTICE")
	}
	if p.URL != "" {
		if u, err := url.Parse(p.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return InvalidInput(sub(prefix, "url"), "a web address")
		}
	}
	if p.Year != 0 && (p.Year < 1950 || p.Year > 2100) {
		return InvalidInput(sub(prefix, "year"), "a year between 1950 and 2100")
	}
	for i, c := range p.CountryCodes {
		if err := ValidateCountryCode(sub(prefix, "countries", strconv.Itoa(i)), c); err != nil {
			return err
		}
	}
	return checkText(sub(prefix, "summary"), p.Summary, false, 2000)
}
