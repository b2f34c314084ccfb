package bridge

// MatchProfile is what matching knows of one person: enough to say what two people share, and
// nothing that the viewer could not see.
type MatchProfile struct {
	PersonID               string
	Name                   string // for reasons in the third person (someone else's peers)
	CountryCode            string
	MunicipalityID         string
	RegionID               string
	MunicipalityPopulation int // 0 when unknown
	Themes                 []ThemeLink
	Languages              []string
	GroupIDs               []string
	EventIDs               []string
	OrganisationKinds      []OrganisationKind
	// PastIntroductionWith lists the people this person was already introduced to.
	PastIntroductionWith []string
}

// ThemeInfo is what matching needs of a theme: how specific it is (0 for a top theme, 1 for a
// narrower one, …), how many people work on it (rarer is more telling), its English label for
// the reasons' words, and its broader themes (ids), from which matching tells a broader, narrower
// or sibling theme.
type ThemeInfo struct {
	Depth   int
	People  int
	LabelEn string
	Broader []string
}

// ThemeRelation says how a peer's theme relates to a theme of the person the peers are for.
type ThemeRelation string

// The relations between two different themes that earn partial credit.
const (
	RelationBroader  ThemeRelation = "BROADER"  // the peer's theme is broader than mine
	RelationNarrower ThemeRelation = "NARROWER" // the peer's theme is narrower than mine
	RelationSibling  ThemeRelation = "SIBLING"  // both themes are narrower themes of one theme
)

// ReasonKind names what two people share.
type ReasonKind string

// The kinds of reason, from the strongest signal to the weakest.
const (
	ReasonComplementaryTheme     ReasonKind = "COMPLEMENTARY_THEME"     // my seek is your offer, or the other way
	ReasonSharedTheme            ReasonKind = "SHARED_THEME"            // both work on it
	ReasonRelatedTheme           ReasonKind = "RELATED_THEME"           // one's theme is broader than the other's
	ReasonComparableMunicipality ReasonKind = "COMPARABLE_MUNICIPALITY" // similar size in another country
	ReasonOtherCountry           ReasonKind = "OTHER_COUNTRY"           // works in another Nordic country
	ReasonSharedLanguage         ReasonKind = "SHARED_LANGUAGE"
	ReasonSharedGroup            ReasonKind = "SHARED_GROUP"
	ReasonSharedEvent            ReasonKind = "SHARED_EVENT"
)

// Reason is one thing two people share, in data (which theme, group, event or language) and in
// words, with the weight it added to the score.
type Reason struct {
	Kind    ReasonKind
	Weight  float64
	ThemeID string // for theme reasons: the theme of the person the peers are for
	// RelatedThemeID is the peer's theme of a RELATED_THEME reason, Relation how it relates to
	// ThemeID.
	RelatedThemeID string
	Relation       ThemeRelation
	// PersonMode and PeerMode say how the person the peers are for and the peer work on their
	// themes (theme reasons only), so that a reason can say "you both seek".
	PersonMode ThemeMode
	PeerMode   ThemeMode

	GroupID  string
	EventID  string
	Language string
	Text     string
}

// Perspective is whose eyes a match's words are written for.
type Perspective int

// The perspectives of reasons' words.
const (
	// SecondPerson: the viewer's own peers ("you both seek X", "they offer Y").
	SecondPerson Perspective = iota
	// ThirdPerson: someone else's peers, as the secretariat sees them ("Anna and Ola both seek
	// X"), with the names in MatchProfile.Name.
	ThirdPerson
	// Request: candidates for a request ("someone on theme X"), not for a person ("offers X").
	Request
)

// GapKind names something a match lacks, so that a user can judge it.
type GapKind string

// The gaps a match can have.
const (
	GapNoSharedLanguage  GapKind = "NO_SHARED_LANGUAGE"
	GapSameCountry       GapKind = "SAME_COUNTRY"
	GapNoComplementary   GapKind = "NO_COMPLEMENTARY_THEME"
	GapAlreadyIntroduced GapKind = "ALREADY_INTRODUCED"
	// GapSizeUnknown: in another country, but a municipality's population is not known (or one
	// side has no municipality), so sizes could not be compared.
	GapSizeUnknown GapKind = "SIZE_UNKNOWN"
)

// Gap is something a match lacks, in data and words.
type Gap struct {
	Kind GapKind
	Text string
}

// PeerMatch is one suggested peer with the score and the reasons behind it.
type PeerMatch struct {
	PersonID string // whether the viewer may ask for an introduction is a field of its own (graph)
	Score    float64
	Reasons  []Reason
	Missing  []Gap
}

// PeerFilter narrows the suggested peers. Empty fields do not filter.
type PeerFilter struct {
	Countries         []string
	ExcludeOwnCountry bool
	ThemeIDs          []string
	OrganisationKinds []OrganisationKind
	Languages         []string
}
