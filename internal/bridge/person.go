package bridge

import (
	"strings"
	"time"
)

// Visibility says who may see a person.
type Visibility string

// The visibility levels; the default is the most restrictive (GDPR art. 25(2)).
const (
	VisibilityPublic      Visibility = "PUBLIC"      // anyone, signed in or not
	VisibilityMembers     Visibility = "MEMBERS"     // signed-in users
	VisibilitySecretariat Visibility = "SECRETARIAT" // the secretariat and the person only
)

// Valid reports whether v is a known level.
func (v Visibility) Valid() bool {
	return v == VisibilityPublic || v == VisibilityMembers || v == VisibilitySecretariat
}

// PersonSource says where a profile came from.
type PersonSource string

// The sources of a profile.
const (
	SourceSelf   PersonSource = "SELF"   // created by the person
	SourceImport PersonSource = "IMPORT" // imported by the secretariat; unconfirmed until claimed
	SourceDemo   PersonSource = "DEMO"   // generated demo data
)

// Person is a practitioner, researcher or official. ID is a UUID. Email and Phone are contact
// details: never public. EmailKey is the lower-cased e-mail, unique, used to match imports and
// sign-ins. Confirmed is false for imported profiles until the person confirms them.
type Person struct {
	ID                      string
	GivenName               string
	FamilyName              string
	Title                   string
	Bio                     string
	Email                   string
	Phone                   string
	Languages               []string // ISO 639-1 codes, e.g. sv, en
	CountryCode             string
	MunicipalityID          string
	Visibility              Visibility
	OpenToIntroductions     bool
	IntroductionsPerQuarter int
	Confirmed               bool
	Source                  PersonSource
	Demo                    bool
	// Language is the language Bridge writes to the person in (MessageLanguages), empty when not
	// chosen. Only the person and the secretariat see it (set when SettingsVisible).
	Language string
	Paused   bool // restriction (GDPR art. 18): hidden from all but the person and the secretariat
	Version  int  // the profile's version, for conflict detection of edits
	// ContactVisible says whether the viewer the person was read for may see the contact details
	// (and version): set by the store, which decides it in the query for that viewer.
	ContactVisible bool
	// SettingsVisible says whether that viewer is the person or the secretariat, who alone see
	// the person's settings (Language); set by the store as ContactVisible is. Someone the person
	// was introduced to may see the contact details but not the settings.
	SettingsVisible bool
	Themes          []ThemeLink
	Affiliations    []Affiliation
	Memberships     []Membership
	EventIDs        []string
	// PracticeIDs are the knowledge items the person is named behind (read only: the secretariat
	// links people to a practice through the practice, Practice.PersonIDs).
	PracticeIDs []string
	// Consents are the purposes the person consents to, for the bulk writer of demo data and
	// test fixtures (UpsertPeople), which records them as DEMO consent records without expiry.
	// Reads of people leave it empty.
	Consents []ConsentPurpose
}

// ThemeLink is a person's link to a theme.
type ThemeLink struct {
	ThemeID string
	Mode    ThemeMode
}

// Affiliation is a person's place of work.
type Affiliation struct {
	OrganisationID string
	Role           string
	Since          string // ISO date, may be empty
}

// MaxAffiliationRole bounds the role at an organisation, in characters.
const MaxAffiliationRole = 200

// Clean checks an affiliation given at path at time now and returns it in the form to store: the
// role on one line (text.go), since a real date that is not in the future (ValidateSince).
func (a Affiliation) Clean(path []string, now time.Time) (Affiliation, error) {
	var err error
	if a.Role, err = CleanLine(sub(path, "role"), a.Role, false, MaxAffiliationRole); err != nil {
		return Affiliation{}, err
	}
	if err := ValidateSince(sub(path, "since"), a.Since, now); err != nil {
		return Affiliation{}, err
	}
	return a, nil
}

// Membership is a person's membership of an expert group.
type Membership struct {
	GroupID string
	Role    MemberRole
	Since   string // ISO date
	Until   string // ISO date, empty while current
}

// PastIntroduction is an introduction that already happened (demo history).
type PastIntroduction struct {
	ID      string
	FromID  string
	ToID    string
	ThemeID string
	Date    string // ISO date
	Outcome string // MET, USEFUL, NOT_USEFUL, NO_CONTACT
	Demo    bool
}

// EmailKey is the form of an e-mail address used to match people: trimmed and lower-cased, so
// that Anna.Berg@Example.org and anna.berg@example.org are the same person.
func EmailKey(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}

// DisplayName is the person's name as shown: given and family name, or the one there is.
func (p *Person) DisplayName() string {
	switch {
	case p.GivenName == "":
		return p.FamilyName
	case p.FamilyName == "":
		return p.GivenName
	}
	return p.GivenName + " " + p.FamilyName
}

// TitleOrNull is the title, nil when there is none (the API's Person.title).
func (p *Person) TitleOrNull() *string { return orNull(p.Title) }

// BioOrNull is the bio, nil when there is none (the API's Person.bio).
func (p *Person) BioOrNull() *string { return orNull(p.Bio) }

func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
