package bridge

import (
	"context"
	"time"
)

// GroupKind distinguishes formal expert groups from looser networks.
type GroupKind string

// The kinds of group.
const (
	GroupExpert    GroupKind = "EXPERT_GROUP"
	GroupNetwork   GroupKind = "NETWORK"
	GroupReference GroupKind = "REFERENCE_GROUP"
)

// ExpertGroup is an expert group or network of the programme, with the themes it focuses on.
type ExpertGroup struct {
	ID          string
	Name        string
	Kind        GroupKind
	Description string
	ThemeIDs    []string
}

// MemberRole is a person's role in an expert group.
type MemberRole string

// The roles in a group.
const (
	GroupRoleChair     MemberRole = "CHAIR"
	GroupRoleMember    MemberRole = "MEMBER"
	GroupRoleSecretary MemberRole = "SECRETARY"
	GroupRoleObserver  MemberRole = "OBSERVER"
)

// Event is a seminar or conference; attending the same event is a "met at" link.
type Event struct {
	ID          string
	Name        string
	Description string
	StartDate   string // ISO date
	EndDate     string // ISO date, equal to StartDate for one-day events
	City        string
	CountryCode string
	ThemeIDs    []string
	// SuggestionsSentAt is when the secretariat last sent the attendees their suggestions (zero:
	// never).
	SuggestionsSentAt time.Time
}

// PracticeKind says what a knowledge item is.
type PracticeKind string

// The kinds of knowledge item.
const (
	PracticePublication PracticeKind = "PUBLICATION"
	PracticeProject     PracticeKind = "PROJECT"
	PracticeGood        PracticeKind = "GOOD_PRACTICE"
)

// Practice is a knowledge item: a good-practice example, a project or a publication, linked to
// themes and places, and to the organisations, municipalities and people behind it.
type Practice struct {
	ID              string
	Title           string
	Kind            PracticeKind
	Summary         string
	Year            int
	URL             string
	ThemeIDs        []string
	CountryCodes    []string
	OrganisationIDs []string
	MunicipalityIDs []string
	// PersonIDs is written by the secretariat's save only and never read back with the practice:
	// the people behind a practice are read per viewer (PeopleService.Related with
	// RelationPracticePeople), so that nobody learns of a person they may not see.
	PersonIDs []string
}

// MaxPracticeLinks is how many organisations, municipalities or people one practice may name
// (each).
const MaxPracticeLinks = 50

// PracticeLink says that a person, organisation or municipality is behind a practice (the demo
// data's links; the secretariat's go through the practice's save).
type PracticeLink struct {
	PracticeID     string
	PersonID       string
	OrganisationID string
	MunicipalityID string
}

// Programme is the programme's expert groups, events and knowledge items.
type Programme struct {
	Groups    []ExpertGroup
	Events    []Event
	Practices []Practice
}

// ProgrammeService reads the programme: small sets, read whole in one round trip.
type ProgrammeService interface {
	Programme(ctx context.Context) (Programme, error)
	// PracticeIDs returns the ids of the practices matching the free text (titles and summaries,
	// forgiving of letters) and about any of the themes or their narrower themes; empty filters
	// do not filter.
	PracticeIDs(ctx context.Context, text string, themeIDs []string) ([]string, error)
}

// EventSuggestion is another attendee of an event who works on the viewer's themes: PersonID,
// and ThemeIDs, the viewer's themes they share (the same theme, or a broader or narrower one).
type EventSuggestion struct {
	PersonID string
	ThemeIDs []string
}

// EventSuggestionsSent is what sending an event's suggestions did: how many attendees were
// written to by this call (none when everyone had been already).
type EventSuggestionsSent struct {
	EventID string
	Written int
}
