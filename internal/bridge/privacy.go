package bridge

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The privacy rights of a person (GDPR): consent per purpose (art. 6(1)(a), 7), restriction of
// processing (art. 18, "pause"), access and portability (art. 15, 20, "export") and erasure
// (art. 17). The graph model is docs/introductions.md ("Consent", "Restriction", "Erasure").

// ConsentPurpose is what a person agrees to. Each purpose is given and withdrawn on its own.
type ConsentPurpose string

// The purposes of consent.
const (
	// ConsentSuggest: the person may be suggested to others as a peer.
	ConsentSuggest ConsentPurpose = "SUGGEST"
	// ConsentIntroduce: the person may be asked to accept introductions.
	ConsentIntroduce ConsentPurpose = "INTRODUCE"
	// ConsentShareContact: the person's contact details may be released to the other side of an
	// introduction both accepted.
	ConsentShareContact ConsentPurpose = "SHARE_CONTACT"
)

// ConsentPurposes lists every purpose, in a fixed order.
func ConsentPurposes() []ConsentPurpose {
	return []ConsentPurpose{ConsentSuggest, ConsentIntroduce, ConsentShareContact}
}

// Valid reports whether p is a known purpose.
func (p ConsentPurpose) Valid() bool {
	return p == ConsentSuggest || p == ConsentIntroduce || p == ConsentShareContact
}

// ConsentSource says how a consent record came about.
type ConsentSource string

// The sources of consent.
const (
	ConsentSourceSelf        ConsentSource = "SELF"        // the person gave it in the app
	ConsentSourceSecretariat ConsentSource = "SECRETARIAT" // the secretariat recorded it (e.g. on paper)
	ConsentSourceAcceptance  ConsentSource = "ACCEPTANCE"  // given by accepting an introduction
	ConsentSourceDemo        ConsentSource = "DEMO"        // generated demo data and test fixtures
)

// Valid reports whether s is a known source.
func (s ConsentSource) Valid() bool {
	switch s {
	case ConsentSourceSelf, ConsentSourceSecretariat, ConsentSourceAcceptance, ConsentSourceDemo:
		return true
	}
	return false
}

// CurrentPolicyVersion is the version of the privacy notice people consent to now. Demo data
// records it; a client shows the notice of this version and sends it back in ConsentInput.
const CurrentPolicyVersion = "2026-11"

// Limits of consent input.
const (
	maxPolicyVersionLength = 32
)

// ConsentNoExpiryBefore is the first instant that counts as "too far in the future" for an
// expiry: the store writes 9999-12-31T00:00:00Z on the person for consent without an expiry, so an
// explicit expiry must come before it.
var ConsentNoExpiryBefore = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// Consent is one consent record. A record is never edited except to set WithdrawnAt; giving
// consent again creates a new record, so the records of a person are the full history.
type Consent struct {
	ID            string
	Purpose       ConsentPurpose
	GivenAt       time.Time
	Source        ConsentSource
	PolicyVersion string
	ExpiresAt     time.Time // zero: does not expire
	WithdrawnAt   time.Time // zero: not withdrawn
	ActorRole     Role      // who recorded it (the person is MEMBER); empty for demo records
}

// Active reports whether the record gives consent at now: not withdrawn and not expired.
func (c Consent) Active(now time.Time) bool {
	if !c.WithdrawnAt.IsZero() {
		return false
	}
	return c.ExpiresAt.IsZero() || c.ExpiresAt.After(now)
}

// ConsentInput is what a client sends to give consent.
type ConsentInput struct {
	Purpose       ConsentPurpose
	PolicyVersion string    // the version of the privacy notice the person was shown
	ExpiresAt     time.Time // zero: until withdrawn
}

// Validate checks the input at time now and returns the first problem as BAD_USER_INPUT with its
// field path under prefix (e.g. "input"): a known purpose, a non-empty short policy version
// without control characters, and an expiry (if any) after now.
func (in ConsentInput) Validate(now time.Time, prefix ...string) error {
	path := func(f string) []string { return append(append([]string{}, prefix...), f) }
	if !in.Purpose.Valid() {
		return InvalidInput(path("purpose"), "purpose is one of SUGGEST, INTRODUCE, SHARE_CONTACT")
	}
	v := strings.TrimSpace(in.PolicyVersion)
	switch {
	case v == "":
		return InvalidInput(path("policyVersion"), "policyVersion is required")
	case v != in.PolicyVersion:
		return InvalidInput(path("policyVersion"), "policyVersion has leading or trailing spaces")
	case utf8.RuneCountInString(v) > maxPolicyVersionLength:
		return InvalidInput(path("policyVersion"), "policyVersion is at most %d characters", maxPolicyVersionLength)
	case strings.IndexFunc(v, func(r rune) bool { return unicode.IsControl(r) || r == utf8.RuneError }) >= 0:
		return InvalidInput(path("policyVersion"), "policyVersion has characters that are not allowed")
	}
	if !in.ExpiresAt.IsZero() {
		switch {
		case !in.ExpiresAt.After(now):
			return InvalidInput(path("expiresAt"), "expiresAt must be in the future")
		case !in.ExpiresAt.Before(ConsentNoExpiryBefore):
			return InvalidInput(path("expiresAt"), "expiresAt is too far in the future; leave it out for consent until withdrawn")
		}
	}
	return nil
}

// ValidateNew checks consent a person gives now (through the API): Validate, and the policy
// version must be CurrentPolicyVersion, the notice a client shows now (Query.privacyPolicyVersion).
// Consent to an older or unknown notice is not informed consent to the processing described now
// (art. 7(1): the controller must be able to show what was consented to), so it is refused rather
// than recorded as active. Stored records keep whatever version they were given under.
func (in ConsentInput) ValidateNew(now time.Time, prefix ...string) error {
	if err := in.Validate(now, prefix...); err != nil {
		return err
	}
	if in.PolicyVersion != CurrentPolicyVersion {
		return InvalidInput(sub(prefix, "policyVersion"),
			"policyVersion is not the current privacy notice (%s); show the current notice and ask again", CurrentPolicyVersion)
	}
	return nil
}

// ExportFormat is the version of the document ExportPersonData returns, in its "format" field.
// Change it when the shape changes.
const ExportFormat = "bridge-person-export/2"

// ErasureResult counts what ErasePerson removed or anonymised.
type ErasureResult struct {
	IntroductionsAnonymised int // introductions the person was party to: kept, without them
	TransitionsCleared      int // introduction transitions that lost the person's actorId
	ConsentsDeleted         int
	AccountsDeleted         int // sign-ins, (:Account)-[:SIGNS_IN_AS]->(person)
	NotificationsDeleted    int // outbox entries addressed to the person, whatever their status
	RightsRequestsKept      int // rights requests about the person, kept anonymously (without notes)
}
