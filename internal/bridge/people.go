package bridge

import (
	"context"
	"encoding/base64"
	"strconv"
	"strings"
)

// PeopleFilter narrows a people search. Empty fields do not filter. Every filter applies only to
// people the viewer may see: what a viewer may not see, they cannot filter, sort or count.
type PeopleFilter struct {
	Text              string // names, titles, bios, organisation, municipality and theme names, any Nordic language
	Countries         []string
	ThemeIDs          []string // a broad theme also matches its narrower themes
	OrganisationKinds []OrganisationKind
	Languages         []string
	GroupIDs          []string
	RegionIDs         []string    // people based in a municipality of these regions
	MunicipalityIDs   []string    // people based in these municipalities
	SizeClasses       []SizeClass // people based in a municipality of these size classes
	// ThemeMode narrows ThemeIDs to people who offer (OFFERS) or seek (SEEKS) them; BOTH counts
	// as either. Empty: any.
	ThemeMode ThemeMode
	// OpenToIntroductions: only people who are (true) or are not (false) open; nil: all.
	OpenToIntroductions *bool
}

// PeopleOrder is the order of a people search.
type PeopleOrder string

// The orders of a people search.
const (
	// OrderRelevance ranks people by what the text matched on their own record (MatchRank), then
	// by name and id. Without text it is name order.
	OrderRelevance PeopleOrder = "RELEVANCE"
	// OrderName is by name, then id.
	OrderName PeopleOrder = "NAME"
)

// MatchRank is how well a text query matched one person: the tier of the best thing it matched,
// lower is better. The tier depends only on the query and on the person's own record and what
// it links to (organisation, municipality, themes), never on other people: ranks from the
// engine's scores (BM25) would count people the viewer may not see, and adding a hidden person
// would reorder what the viewer sees.
type MatchRank int

// The tiers of MatchRank, best first.
const (
	RankExactName     MatchRank = iota // every word of the query is a word of the name, and the name has no others
	RankNameWords                      // every word of the query is a word of the name
	RankNamePrefix                     // every word of the query begins a word of the name
	RankTitlePlace                     // the title, the organisation or the municipality
	RankTheme                          // a theme the person works on
	RankNarrowerTheme                  // a theme narrower than one the text matched
	RankOther                          // the bio, or words spread over several fields
	RankSpelling                       // only with a word of five letters or more spelt one letter off
)

// PeoplePage asks for at most First people after the cursor After (empty: from the start).
// People are ordered by name, then id; by relevance (Order) they are ordered by MatchRank first.
type PeoplePage struct {
	First     int
	Order     PeopleOrder // OrderRelevance applies only with text
	AfterRank MatchRank   // with OrderRelevance: the rank of the cursor
	AfterName string
	AfterID   string
	// AfterPosition is, with OrderRelevance and text, the cursor's position in the whole list
	// (1: the first person; 0: not known): the store then reads the page from each matched
	// thing's first people by name, as the first page is read, where it would read every match.
	AfterPosition int
	// SkipCount leaves TotalCount at -1 instead of counting every match, so that reading a page
	// costs in proportion to the page; set when the client did not ask for totalCount.
	SkipCount bool
	// Parts are the linked parts of each person to read (zero: all of them); a part not read is
	// empty (no themes, no municipality, contact and settings not visible).
	Parts PersonParts
}

// PersonParts says which linked parts of a person a read projects besides the person's own
// properties, so that a list whose query asks for names reads no themes, places or contacts.
type PersonParts uint16

// The parts of a person a read may leave out.
const (
	PartMunicipality PersonParts = 1 << iota
	PartThemes
	PartAffiliations
	PartMemberships
	PartEvents
	PartContact  // e-mail, phone and whether the viewer may see them (and the version)
	PartSettings // the language Bridge writes to the person in
	PartPractices
	// PartsNone asks for none of the parts (the zero value means all of them).
	PartsNone
	// AllPersonParts is every part (what the zero value means too).
	AllPersonParts = PartMunicipality | PartThemes | PartAffiliations | PartMemberships | PartEvents | PartContact | PartSettings |
		PartPractices
)

// Has says whether the parts include q (the zero value includes everything).
func (p PersonParts) Has(q PersonParts) bool { return p == 0 || p&q != 0 }

// PeopleResult is one page of people and the number that match on all pages.
type PeopleResult struct {
	People     []Person
	Ranks      []MatchRank // with OrderRelevance and text: the rank of each of People
	TotalCount int
	// TotalCountCapped says that more than TotalCount people match: a text search, and the
	// people of a theme or a place, count up to CountCap.
	TotalCountCapped bool
	HasNextPage      bool
}

// CountCap is how far the counts of the large lists of people go: a text search (a broad word,
// a theme's name, finds tens of thousands of people) and the people of a theme or a municipality
// (a broad theme holds half of everyone). Counting them all cost what reading them all costs
// (issue 15). Past it the count says "more than CountCap".
const CountCap = 1000

// PathHubCap is the most people an organisation, an expert group or an event may have (those the
// viewer may list) and still link two people in a warm path (IntroductionPaths): sharing an
// event of thousands is no introduction. It is CountCap: a hub whose list says "more than
// CountCap" links nobody.
const PathHubCap = CountCap

// FacetCount is how many of the matching people have a value.
type FacetCount struct {
	Value string
	Label string // display name where there is one (theme label in English, group name)
	Count int
}

// PeopleFacets are the counts per value for the current filter, over visible people only.
type PeopleFacets struct {
	Countries         []FacetCount
	Themes            []FacetCount
	OrganisationKinds []FacetCount
	Languages         []FacetCount
	Groups            []FacetCount
	// Sampled says that more than FacetSample people match: the counts are then of the first
	// FacetSample people found (in no order a client can rely on), each at most the true count,
	// and a value that none of them has is missing.
	Sampled bool
}

// FacetSample is how many of the matching people the facets count. Counting a facet costs what
// reading each matching person's countries, languages, themes, organisations and groups costs:
// a second or more for a broad word or for everyone at 100,000 people (issue 15). Beyond it the
// facets are a sample (PeopleFacets.Sampled), which a client shows without counts.
const FacetSample = 1000

// PersonCursor encodes the sort key of a person (name, id) as an opaque cursor; it stays valid
// when people are added.
func PersonCursor(name, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("p:" + name + "\x00" + id))
}

// ParsePersonCursor decodes a cursor of PersonCursor; path names the argument in errors.
func ParsePersonCursor(path []string, cursor string) (name, id string, err error) {
	raw, decErr := base64.RawURLEncoding.DecodeString(cursor)
	rest, ok := strings.CutPrefix(string(raw), "p:")
	if decErr == nil && ok {
		if name, id, ok = strings.Cut(rest, "\x00"); ok && id != "" {
			return name, id, nil
		}
	}
	return "", "", InvalidInput(path, "not a valid cursor")
}

// RankedPersonCursor encodes the sort key of a person in relevance order (rank, name, id) and,
// when it is known (above 0), the person's position in the whole list (1: the first person), so
// that the page after it can be read from the first people of each thing the text matched
// (PeoplePage.AfterPosition) instead of from every match.
func RankedPersonCursor(rank MatchRank, name, id string, position int) string {
	key := "r:" + strconv.Itoa(int(rank)) + "\x00" + name + "\x00" + id
	if position > 0 {
		key += "\x00" + strconv.Itoa(position)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(key))
}

// ParseRankedPersonCursor decodes a cursor of RankedPersonCursor (position 0: not known); path
// names the argument in errors. A name-order cursor is not one: a client that changes the order
// starts again.
func ParseRankedPersonCursor(path []string, cursor string) (rank MatchRank, name, id string, position int, err error) {
	raw, decErr := base64.RawURLEncoding.DecodeString(cursor)
	rest, ok := strings.CutPrefix(string(raw), "r:")
	if decErr == nil && ok {
		parts := strings.SplitN(rest, "\x00", 4)
		if len(parts) == 4 {
			if position, err = strconv.Atoi(parts[3]); err != nil || position < 1 {
				return 0, "", "", 0, InvalidInput(path, "not a valid cursor for this order")
			}
		}
		if len(parts) >= 3 && parts[2] != "" {
			if r, convErr := strconv.Atoi(parts[0]); convErr == nil && r >= int(RankExactName) && r <= int(RankSpelling) {
				return MatchRank(r), parts[1], parts[2], position, nil
			}
		}
	}
	return 0, "", "", 0, InvalidInput(path, "not a valid cursor for this order")
}

// PathStep is one link of a warm introduction path: from one person to the next through
// something they share. Paths pass only through people the viewer may list: a hidden person is
// not even "someone at <organisation>", since the hubs on either side would name them.
type PathStep struct {
	FromID  string // empty when hidden
	ToID    string // empty when hidden
	ViaKind PathVia
	ViaID   string // the organisation, group or event id; empty for an introduction
	ViaName string
}

// PathVia is what links two consecutive people of a warm path.
type PathVia string

// The links of a warm path.
const (
	ViaOrganisation PathVia = "ORGANISATION" // both work there
	ViaGroup        PathVia = "GROUP"        // both belong to the expert group
	ViaEvent        PathVia = "EVENT"        // both attended
	ViaIntroduction PathVia = "INTRODUCTION" // they were introduced
)

// IntroductionPath is a chain of people from one person to another, shortest first.
type IntroductionPath struct {
	PersonIDs []string // the people on the path
	Steps     []PathStep
}

// PeopleService reads people for a viewer. Every method returns only people the viewer may see
// (and their own profile); contact details only where the viewer may read them.
type PeopleService interface {
	// PeopleByIDs returns the visible people among ids, keyed by id.
	PeopleByIDs(ctx context.Context, viewer Principal, ids []string) (map[string]Person, error)
	// SearchPeople returns one page of matching people. vocabulary is the theme vocabulary (the
	// reference data in memory): a theme filter brings the themes up to ThemeFilterDepth levels
	// narrower (ThemesWithin). It may be nil when f has no theme.
	SearchPeople(ctx context.Context, viewer Principal, f PeopleFilter, p PeoplePage, vocabulary []Theme) (PeopleResult, error)
	// PeopleFacets counts the matching people per country, theme, organisation kind, language and
	// group. vocabulary is the theme vocabulary (the reference data in memory): a theme counts
	// the people on it and on the themes up to ThemeFilterDepth levels narrower (ThemeAncestors).
	PeopleFacets(ctx context.Context, viewer Principal, f PeopleFilter, vocabulary []Theme) (PeopleFacets, error)
	// PeerCandidates returns the profile of the person and of the people who could be suggested
	// to them (visible, open to introductions, sharing a theme), with the themes' information.
	PeerCandidates(ctx context.Context, viewer Principal, personID string, f PeerFilter, limit int) (MatchProfile, []MatchProfile, map[string]ThemeInfo, error)
	// ThemeCandidates returns the people who could be suggested for a request "someone on this
	// theme in this country": suggestable exactly as peer candidates (visible to the viewer, open
	// to introductions, consenting, not paused), working on the theme or a narrower one in the
	// country, at most limit, those who offer it first; and what matching needs of the themes.
	ThemeCandidates(ctx context.Context, viewer Principal, themeID, country string, limit int) ([]MatchProfile, map[string]ThemeInfo, error)
	// IntroductionPaths returns the shortest warm paths between two people, shortest first.
	IntroductionPaths(ctx context.Context, viewer Principal, fromID, toID string, maxHops, limit int) ([]IntroductionPath, error)
	// Related returns, for each parent id, one page of the visible people linked to it by rel
	// (STAFF of an organisation, MEMBERS of a group, ATTENDEES of an event, the people behind a
	// PRACTICE …) and their number.
	Related(ctx context.Context, viewer Principal, rel Relation, parentIDs []string, p PeoplePage) (map[string]PeopleResult, error)
}

// Relation is a way from a thing to people.
type Relation string

// The relations from things to people.
const (
	RelationStaff       Relation = "STAFF"
	RelationMembers     Relation = "MEMBERS"
	RelationAttendees   Relation = "ATTENDEES"
	RelationThemePeople Relation = "THEME_PEOPLE" // people who work on a theme (or a narrower one)
	RelationResidents   Relation = "RESIDENTS"    // people based in a municipality
	RelationPractice    Relation = "PRACTICE"     // the people behind a practice
)
