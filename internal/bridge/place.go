package bridge

import (
	"context"
	"math"
	"net/url"
)

// Region is a first-level area inside a country: a Swedish län, a Finnish maakunta, a Norwegian
// fylke, a Danish region, an Icelandic landshluti or a Faroese statistical region. ID is our key,
// "<country>-<official code>" (e.g. "SE-01", "IS-IS-1").
type Region struct {
	ID           string
	OfficialCode string
	Name         string
	Level        string // län, maakunta, fylke, region, landshluti, øki
	CountryCode  string
}

// Municipality is one of the 1,149 Nordic municipalities. ID is our stable key:
// "<country>-<official code>" (e.g. "SE-1280" for Malmö), or "<country>-x-<slug of the name>" for
// the Icelandic municipalities whose code no source gives; their OfficialCode is empty, never
// guessed. Names holds every official name (Finnish and Swedish where both exist, Norwegian
// parallel Sámi and Kven names), Name the first of them.
type Municipality struct {
	ID             string
	OfficialCode   string
	Name           string
	Names          []string
	RegionID       string // empty for Greenland, which has no regions
	CountryCode    string
	Population     int    // 0 when unknown
	PopulationDate string // ISO date of the population figure, empty when unknown
	// PopulationSource cites who counted the population and when (seed.PopulationSources).
	PopulationSource string
	// Aliases are other names people search it by: exonyms (Copenhagen, Köpenhamn), older
	// spellings, and for Greenland and the Faroes the towns the municipality is known by (Nuuk).
	// Search finds them; they are not official names.
	Aliases []string
	Region  *Region // loaded together with the municipality by reads; nil for Greenland
}

// SizeClass groups municipalities by population, so that a coordinator can compare like with
// like across countries whose reference dates differ by a few years (the bounds are wide enough
// for that). The classes follow the usual Nordic breakdown of municipal statistics (Kolada, KS,
// Kuntaliitto use similar steps).
type SizeClass string

// The size classes, from the smallest.
const (
	SizeUnknown   SizeClass = "UNKNOWN"    // no population figure (all of Denmark today)
	SizeVerySmall SizeClass = "VERY_SMALL" // under 5,000
	SizeSmall     SizeClass = "SMALL"      // 5,000–19,999
	SizeMedium    SizeClass = "MEDIUM"     // 20,000–49,999
	SizeLarge     SizeClass = "LARGE"      // 50,000–199,999
	SizeCity      SizeClass = "CITY"       // 200,000 and more
)

// SizeClassOf is the size class of a population (0: unknown).
func SizeClassOf(population int) SizeClass {
	switch {
	case population <= 0:
		return SizeUnknown
	case population < 5_000:
		return SizeVerySmall
	case population < 20_000:
		return SizeSmall
	case population < 50_000:
		return SizeMedium
	case population < 200_000:
		return SizeLarge
	}
	return SizeCity
}

// Bounds are the populations of the class: lo <= population < hi; UNKNOWN is [0, 1), the
// population of a municipality without a figure counting as 0.
func (c SizeClass) Bounds() (lo, hi int) {
	switch c {
	case SizeVerySmall:
		return 1, 5_000
	case SizeSmall:
		return 5_000, 20_000
	case SizeMedium:
		return 20_000, 50_000
	case SizeLarge:
		return 50_000, 200_000
	case SizeCity:
		return 200_000, math.MaxInt32
	}
	return 0, 1
}

// SizeClass is the municipality's size class.
func (m Municipality) SizeClass() SizeClass { return SizeClassOf(m.Population) }

// OrganisationKind says what an organisation is; it is a facet of search and a filter of peers.
type OrganisationKind string

// The kinds of organisation.
const (
	OrgMinistry          OrganisationKind = "MINISTRY"
	OrgNationalAgency    OrganisationKind = "NATIONAL_AGENCY"
	OrgRegionalAuthority OrganisationKind = "REGIONAL_AUTHORITY"
	OrgMunicipality      OrganisationKind = "MUNICIPAL_ADMINISTRATION"
	OrgCivilSociety      OrganisationKind = "CIVIL_SOCIETY"
	OrgMigrantLed        OrganisationKind = "MIGRANT_LED"
	OrgResearch          OrganisationKind = "RESEARCH"
	OrgBusiness          OrganisationKind = "BUSINESS"
	OrgNordic            OrganisationKind = "NORDIC_INSTITUTION"
)

// OrganisationKinds lists every kind, in the order the API shows them.
var OrganisationKinds = []OrganisationKind{OrgMinistry, OrgNationalAgency, OrgRegionalAuthority, OrgMunicipality,
	OrgCivilSociety, OrgMigrantLed, OrgResearch, OrgBusiness, OrgNordic}

// Valid reports whether k is a known kind.
func (k OrganisationKind) Valid() bool {
	for _, x := range OrganisationKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Organisation is a ministry, agency, authority, NGO, research group, business or Nordic
// institution. It sits in a municipality or, for national bodies, only in a country (CountryCode
// is empty for Nordic institutions). ParentConfirmed says whether a source confirmed the link to
// the parent. Active is false for abolished bodies, which are kept only for history.
type Organisation struct {
	ID              string
	Name            string
	NameEn          string
	Kind            OrganisationKind
	Description     string
	CountryCode     string
	MunicipalityID  string
	ParentID        string
	ParentConfirmed bool
	Website         string
	EmailDomain     string
	Source          string
	Active          bool
	Demo            bool
	Version         int // for conflict detection of the secretariat's edits
}

// ReferenceData is everything `bridge seed` writes before any person: places, public
// organisations, the theme vocabulary and the programme's groups, events and knowledge items.
type ReferenceData struct {
	Countries      []Country
	Regions        []Region
	Municipalities []Municipality
	Organisations  []Organisation
	Themes         []Theme
	Groups         []ExpertGroup
	Events         []Event
	Practices      []Practice
}

// MunicipalityFilter narrows a list of municipalities. Empty fields do not filter.
type MunicipalityFilter struct {
	CountryCode string
	RegionID    string
	Text        string // free text over all names, forgiving of letters (Malmo finds Malmö)
}

// Page asks for at most First items after the cursor After (empty: from the start).
type Page struct {
	First int
	After string
	// SkipCount leaves the total at -1 instead of counting every match, so that reading a page
	// costs in proportion to the page; set when the client did not ask for totalCount.
	SkipCount bool
}

// MaxPageSize bounds every page (GitHub's limit): a client cannot ask for the whole graph at once.
const MaxPageSize = 100

// ValidateFirst checks the size of a page or list a client asks for (1 to MaxPageSize).
func ValidateFirst(first int) error {
	if first < 1 || first > MaxPageSize {
		return InvalidInput([]string{"first"}, "first must be between 1 and %d", MaxPageSize)
	}
	return nil
}

// ValidatePage checks a page request and decodes its cursor (empty: from the start).
func ValidatePage(first int, after string) (Page, error) {
	if err := ValidateFirst(first); err != nil {
		return Page{}, err
	}
	if after == "" {
		return Page{First: first}, nil
	}
	key, err := ParseCursor([]string{"after"}, after)
	if err != nil {
		return Page{}, err
	}
	return Page{First: first, After: key}, nil
}

// MunicipalityPage is one page of municipalities with the total number that match the filter.
type MunicipalityPage struct {
	Items       []Municipality
	TotalCount  int
	HasNextPage bool
}

// PlaceService reads regions and municipalities.
type PlaceService interface {
	// Municipalities returns a page of municipalities ordered by key, each with its region.
	// Cursors are municipality keys, so they stay valid when data is added.
	Municipalities(ctx context.Context, f MunicipalityFilter, p Page) (MunicipalityPage, error)
	// MunicipalityByID returns the municipality with the key, or nil.
	MunicipalityByID(ctx context.Context, id string) (*Municipality, error)
	// MunicipalitiesByIDs returns the municipalities with the keys, keyed by key.
	MunicipalitiesByIDs(ctx context.Context, ids []string) (map[string]Municipality, error)
	// Regions returns the regions of a country (all when countryCode is empty), ordered by key.
	Regions(ctx context.Context, countryCode string) ([]Region, error)
	// RegionByID returns the region with the key, or nil.
	RegionByID(ctx context.Context, id string) (*Region, error)
}

// OrganisationFilter narrows a list of organisations.
type OrganisationFilter struct {
	Text            string
	CountryCode     string
	Kinds           []OrganisationKind
	IncludeInactive bool
}

// OrganisationPage is one page of organisations ordered by key.
type OrganisationPage struct {
	Items       []Organisation
	TotalCount  int
	HasNextPage bool
}

// OrganisationService reads organisations; organisations are public.
type OrganisationService interface {
	OrganisationsByIDs(ctx context.Context, ids []string) (map[string]Organisation, error)
	Organisations(ctx context.Context, f OrganisationFilter, p Page) (OrganisationPage, error)
}

// Clean checks an organisation written by the secretariat and returns it in the form to store
// (names on one line, the description on several: text.go); path prefixes the field names.
func (o Organisation) Clean(prefix ...string) (Organisation, error) {
	path := func(f string) []string { return sub(prefix, f) }
	var err error
	if o.Name, err = CleanLine(path("name"), o.Name, true, 200); err != nil {
		return Organisation{}, err
	}
	if o.NameEn, err = CleanLine(path("nameEn"), o.NameEn, false, 200); err != nil {
		return Organisation{}, err
	}
	if o.Description, err = CleanText(path("description"), o.Description, false, 2000); err != nil {
		return Organisation{}, err
	}
	switch {
	case !o.Kind.Valid():
		return Organisation{}, InvalidInput(path("kind"), "unknown organisation kind")
	case o.CountryCode == "" && o.Kind != OrgNordic:
		return Organisation{}, InvalidInput(path("country"), "only a Nordic institution has no country")
	}
	if o.CountryCode != "" {
		if err := ValidateCountryCode(path("country"), o.CountryCode); err != nil {
			return Organisation{}, err
		}
	}
	if o.Website != "" {
		u, err := url.Parse(o.Website)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return Organisation{}, InvalidInput(path("website"), "the website is an https:// address")
		}
	}
	return o, nil
}

// Validate reports the first problem Clean finds.
func (o Organisation) Validate(prefix ...string) error {
	_, err := o.Clean(prefix...)
	return err
}
