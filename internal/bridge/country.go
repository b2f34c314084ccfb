package bridge

import (
	"context"
	"regexp"
)

// CountryKind says whether a country is sovereign or an autonomous territory of another.
type CountryKind string

// The kinds of the eight Nordic countries and territories.
const (
	CountryKindCountry   CountryKind = "COUNTRY"
	CountryKindTerritory CountryKind = "AUTONOMOUS_TERRITORY"
)

// Valid reports whether k is one of the known kinds.
func (k CountryKind) Valid() bool {
	return k == CountryKindCountry || k == CountryKindTerritory
}

// Country is one of the five Nordic countries or the three autonomous territories (the Faroe
// Islands and Greenland under Denmark, Åland under Finland). Code is the ISO 3166-1 alpha-2 code
// and the natural key. Parent is set for territories, loaded together with the country so that
// reading it costs no further round trip.
type Country struct {
	Code       string
	Name       string // English name
	LocalNames []string
	Kind       CountryKind
	ParentCode string
	Parent     *Country
}

var countryCodePattern = regexp.MustCompile(`^[A-Z]{2}$`)

// ValidateCountryCode checks the shape of a country code given by a client; the path names the
// argument in the error.
func ValidateCountryCode(path []string, code string) error {
	if !countryCodePattern.MatchString(code) {
		return InvalidInput(path, "a country code is two capital letters (ISO 3166-1 alpha-2), such as SE")
	}
	return nil
}

// Validate checks a country before it is written: reference data is checked like user input.
func (c Country) Validate() error {
	if err := ValidateCountryCode([]string{"code"}, c.Code); err != nil {
		return err
	}
	if c.Name == "" {
		return InvalidInput([]string{c.Code, "name"}, "a country needs a name")
	}
	if !c.Kind.Valid() {
		return InvalidInput([]string{c.Code, "kind"}, "unknown country kind %q", c.Kind)
	}
	if c.Kind == CountryKindTerritory {
		if err := ValidateCountryCode([]string{c.Code, "parent"}, c.ParentCode); err != nil {
			return err
		}
	} else if c.ParentCode != "" {
		return InvalidInput([]string{c.Code, "parent"}, "only an autonomous territory has a parent")
	}
	return nil
}

// CountryService reads countries.
type CountryService interface {
	// Countries returns all countries and territories ordered by code, each with its parent.
	Countries(ctx context.Context) ([]Country, error)
	// CountryByCode returns the country with the code and its parent, or nil and no error when
	// there is none. Errors are UNAVAILABLE when the database cannot be reached.
	CountryByCode(ctx context.Context, code string) (*Country, error)
}

// NordicCountries are the codes of the five countries and three autonomous territories Bridge
// covers, in the order lists show them (the countries, then the territories).
var NordicCountries = []string{"DK", "FI", "IS", "NO", "SE", "FO", "GL", "AX"}
