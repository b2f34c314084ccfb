package bridge

import (
	"net/mail"
	"strconv"
	"strings"
)

// ProfileInput holds the fields a person may edit on their own profile: nothing else. There is
// no role, no confirmation flag, no demo flag and no visibility here (visibility has its own
// mutation), so a client cannot set them by adding fields (mass assignment).
type ProfileInput struct {
	GivenName               string
	FamilyName              string
	Title                   string
	Bio                     string
	Phone                   string
	Languages               []string
	CountryCode             string
	MunicipalityID          string
	OpenToIntroductions     bool
	IntroductionsPerQuarter int
}

// Limits of profile fields, the same for the API and imports.
const (
	maxNameLength  = 100
	maxTitleLength = 200
	maxBioLength   = 2000
	maxLanguages   = 10
)

// MaxIntroductionsPerQuarter bounds how many introductions a quarter a person may offer to take
// (0: not now).
const MaxIntroductionsPerQuarter = 20

// Clean checks the input and returns it in the form to store (text.go: names and title on one
// line, the bio on several, all NFC and trimmed; the phone number's shape), or the first problem
// with its field path under prefix.
func (in ProfileInput) Clean(prefix ...string) (ProfileInput, error) {
	path := func(f string) []string { return sub(prefix, f) }
	var err error
	if in.GivenName, err = CleanLine(path("givenName"), in.GivenName, true, maxNameLength); err != nil {
		return ProfileInput{}, err
	}
	if in.FamilyName, err = CleanLine(path("familyName"), in.FamilyName, true, maxNameLength); err != nil {
		return ProfileInput{}, err
	}
	if in.Title, err = CleanLine(path("title"), in.Title, false, maxTitleLength); err != nil {
		return ProfileInput{}, err
	}
	if in.Bio, err = CleanText(path("bio"), in.Bio, false, maxBioLength); err != nil {
		return ProfileInput{}, err
	}
	if in.Phone, err = CleanPhone(path("phone"), in.Phone); err != nil {
		return ProfileInput{}, err
	}
	if err := ValidateCountryCode(path("country"), in.CountryCode); err != nil {
		return ProfileInput{}, err
	}
	if len(in.Languages) > maxLanguages {
		return ProfileInput{}, InvalidInput(path("languages"), "at most %d languages", maxLanguages)
	}
	for i, l := range in.Languages {
		if len(l) != 2 || strings.ToLower(l) != l {
			return ProfileInput{}, InvalidInput(append(path("languages"), strconv.Itoa(i)), "a language is a two-letter ISO 639-1 code such as sv")
		}
	}
	if in.IntroductionsPerQuarter < 0 || in.IntroductionsPerQuarter > MaxIntroductionsPerQuarter {
		return ProfileInput{}, InvalidInput(path("introductionsPerQuarter"), "between 0 and %d", MaxIntroductionsPerQuarter)
	}
	return in, nil
}

// Validate reports the first problem Clean finds. Whatever is stored is the output of Clean.
func (in ProfileInput) Validate(prefix ...string) error {
	_, err := in.Clean(prefix...)
	return err
}

// ValidateEmail checks the shape of an e-mail address.
func ValidateEmail(path []string, email string) error {
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
		return InvalidInput(path, "not a valid e-mail address")
	}
	return nil
}

// Account is a sign-in: the identity provider's issuer and subject, tied to one person.
type Account struct {
	Issuer        string
	Subject       string
	Email         string
	EmailVerified bool
}

// AuditEntry is one append-only audit event: who (role and person id, never a name), what,
// on whose data, when the store writes it, and the request id. It holds no personal data.
type AuditEntry struct {
	Action    AuditAction // e.g. UPDATE_PERSON, ADD_GROUP_MEMBER (auditactions.go)
	ActorRole Role
	ActorID   string // the actor's person id, empty when they have no profile
	TargetID  string // whose data
	RequestID string
	// Detail qualifies the action with ids or field names only (a consent purpose, the fields
	// changed, counts), never personal data or free text.
	Detail string
}

// ProfilePatch changes some fields of a profile (updateMyProfile, updatePerson): a nil field
// stays as it is; an empty Title, Bio, Phone or MunicipalityID clears it. A new country without
// a municipality clears the municipality, which must lie in the country.
type ProfilePatch struct {
	GivenName               *string
	FamilyName              *string
	Title                   *string
	Bio                     *string
	Phone                   *string
	Languages               *[]string
	CountryCode             *string
	MunicipalityID          *string
	OpenToIntroductions     *bool
	IntroductionsPerQuarter *int
}

// Apply returns the whole profile input of p with the patch's fields changed, to validate and
// store as one (the store checks that the profile is still at the version the client loaded).
func (c ProfilePatch) Apply(p Person) ProfileInput {
	in := ProfileInput{GivenName: p.GivenName, FamilyName: p.FamilyName, Title: p.Title, Bio: p.Bio, Phone: p.Phone,
		Languages: p.Languages, CountryCode: p.CountryCode, MunicipalityID: p.MunicipalityID,
		OpenToIntroductions: p.OpenToIntroductions, IntroductionsPerQuarter: p.IntroductionsPerQuarter}
	set := func(to *string, from *string) {
		if from != nil {
			*to = *from
		}
	}
	set(&in.GivenName, c.GivenName)
	set(&in.FamilyName, c.FamilyName)
	set(&in.Title, c.Title)
	set(&in.Bio, c.Bio)
	set(&in.Phone, c.Phone)
	if c.Languages != nil {
		in.Languages = *c.Languages
	}
	if c.CountryCode != nil && *c.CountryCode != in.CountryCode {
		in.CountryCode, in.MunicipalityID = *c.CountryCode, ""
	}
	set(&in.MunicipalityID, c.MunicipalityID)
	if c.OpenToIntroductions != nil {
		in.OpenToIntroductions = *c.OpenToIntroductions
	}
	if c.IntroductionsPerQuarter != nil {
		in.IntroductionsPerQuarter = *c.IntroductionsPerQuarter
	}
	return in
}
