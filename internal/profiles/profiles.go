// Package profiles is self-service on one's own profile and the secretariat's management of
// people and organisations: the rules that sit between the API and the store (who may act, what
// is valid), so that resolvers stay thin and the store stays free of policy. It owns the Store
// interfaces it needs; package neo4jstore satisfies them. The services hold no state and are safe
// for concurrent use.
package profiles

import (
	"context"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// MaxThemes bounds the themes of one profile: enough to describe a practice, few enough for
// matching to mean something.
const MaxThemes = 20

// Store is what changes to profiles need of the store (package neo4jstore). Every method acts for the signed-in account
// only; the version is the profile's current version, and an update against an older one is a
// CONFLICT (two tabs do not silently overwrite each other).
type Store interface {
	// CreateProfile creates the profile of the viewer's account (viewer.Account), or claims the
	// unconfirmed imported profile with the account's verified e-mail (which confirms it), and
	// returns it as its person sees it. CONFLICT if the account has one.
	CreateProfile(ctx context.Context, viewer bridge.Principal, in bridge.ProfileInput, newID string) (bridge.Person, error)
	// UpdateProfile changes the editable fields of the profile of reader.PersonID if its version
	// is expectedVersion, and returns it as reader sees it (the new version included). change
	// gives the new fields from the profile as reader sees it, read in the same transaction; its
	// error ends the edit with nothing written. A non-nil audit entry is written in the same
	// transaction.
	UpdateProfile(ctx context.Context, reader bridge.Principal, change func(current bridge.Person) (bridge.ProfileInput, error),
		expectedVersion int, audit *bridge.AuditEntry) (bridge.Person, error)
	// SetThemes replaces the themes of reader.PersonID; SetAffiliations their places of work;
	// SetVisibility who may see them. Each returns the profile as reader then sees it, read in
	// the write's transaction.
	SetThemes(ctx context.Context, reader bridge.Principal, themes []bridge.ThemeLink) (bridge.Person, error)
	SetAffiliations(ctx context.Context, reader bridge.Principal, affs []bridge.Affiliation) (bridge.Person, error)
	SetVisibility(ctx context.Context, reader bridge.Principal, v bridge.Visibility) (bridge.Person, error)
	// ProfileVersion returns the current version of the person's profile.
	ProfileVersion(ctx context.Context, personID string) (int, error)
}

// Service changes the signed-in person's own profile.
type Service struct {
	Store Store
	// Now is the clock for the dates given (an affiliation cannot start in the future); nil:
	// time.Now.
	Now func() time.Time
}

// clock returns now, or time.Now when none is injected.
func clock(now func() time.Time) time.Time {
	if now == nil {
		return time.Now()
	}
	return now()
}

// Create creates (or claims) the profile of the signed-in account and returns it as its person
// sees it.
func (s Service) Create(ctx context.Context, viewer bridge.Actor, in bridge.ProfileInput) (bridge.Person, error) {
	if viewer.Account == nil || !viewer.SignedIn() {
		return bridge.Person{}, bridge.Errorf(bridge.CodeUnauthenticated, "sign in first")
	}
	if viewer.PersonID != "" {
		return bridge.Person{}, bridge.Errorf(bridge.CodeConflict, "you already have a profile")
	}
	in, err := in.Clean("input")
	if err != nil {
		return bridge.Person{}, err
	}
	return s.Store.CreateProfile(ctx, viewer.Principal, in, uuid.NewString())
}

// own returns the viewer's person id, or the error for a viewer without a profile.
func own(viewer bridge.Actor) (string, error) {
	if !viewer.SignedIn() {
		return "", bridge.Errorf(bridge.CodeUnauthenticated, "sign in first")
	}
	if viewer.PersonID == "" {
		return "", bridge.Errorf(bridge.CodeNotFound, "you have no profile yet; create it first")
	}
	return viewer.PersonID, nil
}

// Update applies the patch to the viewer's own profile if it is still at expectedVersion and
// returns it; an audit event records the fields that changed, and the people they were
// introduced to hear of changed contact details (in the store's transaction).
func (s Service) Update(ctx context.Context, viewer bridge.Actor, patch bridge.ProfilePatch, expectedVersion int) (bridge.Person, error) {
	id, err := own(viewer)
	if err != nil {
		return bridge.Person{}, err
	}
	return s.Store.UpdateProfile(ctx, viewer.Principal, cleanPatched(patch), expectedVersion, audit(viewer.Audit(bridge.AuditUpdateOwnProfile), id))
}

// cleanPatched is an edit's change: the patch on the current profile, cleaned and validated as
// a whole (errors name input.<field>).
func cleanPatched(patch bridge.ProfilePatch) func(bridge.Person) (bridge.ProfileInput, error) {
	return func(current bridge.Person) (bridge.ProfileInput, error) {
		return patch.Apply(current).Clean("input")
	}
}

// UpdateFor is the secretariat's delegated edit of someone's profile: the same rules as the
// person's own edit, and an audit event in the same transaction. It returns the profile as the
// secretariat sees it.
func (s Service) UpdateFor(ctx context.Context, viewer bridge.Actor, personID string, patch bridge.ProfilePatch, expectedVersion int) (bridge.Person, error) {
	entry, err := viewer.SecretariatAudit(bridge.AuditUpdatePerson)
	if err != nil {
		return bridge.Person{}, err
	}
	return s.Store.UpdateProfile(ctx, readerOf(viewer, personID), cleanPatched(patch), expectedVersion, audit(entry, personID))
}

// SetThemes replaces the viewer's themes.
func (s Service) SetThemes(ctx context.Context, viewer bridge.Actor, themes []bridge.ThemeLink) (bridge.Person, error) {
	if _, err := own(viewer); err != nil {
		return bridge.Person{}, err
	}
	if len(themes) > MaxThemes {
		return bridge.Person{}, bridge.InvalidInput([]string{"themes"}, "at most %d themes", MaxThemes)
	}
	seen := map[string]bool{}
	for i, t := range themes {
		path := []string{"themes", strconv.Itoa(i)}
		if !t.Mode.Valid() {
			return bridge.Person{}, bridge.InvalidInput(append(path, "mode"), "mode is OFFERS, SEEKS or BOTH")
		}
		if seen[t.ThemeID] {
			return bridge.Person{}, bridge.InvalidInput(append(path, "theme"), "the theme is listed twice")
		}
		seen[t.ThemeID] = true
	}
	return s.Store.SetThemes(ctx, viewer.Principal, themes)
}

// SetVisibility chooses who may see the viewer's profile.
func (s Service) SetVisibility(ctx context.Context, viewer bridge.Actor, v bridge.Visibility) (bridge.Person, error) {
	if _, err := own(viewer); err != nil {
		return bridge.Person{}, err
	}
	if !v.Valid() {
		return bridge.Person{}, bridge.InvalidInput([]string{"visibility"}, "unknown visibility")
	}
	return s.Store.SetVisibility(ctx, viewer.Principal, v)
}

// MaxAffiliations bounds a person's places of work.
const MaxAffiliations = 10

// SetAffiliations replaces the viewer's places of work (organisation, role, since): each role on
// one line, each since a real date that is not in the future (bridge.Affiliation.Clean).
func (s Service) SetAffiliations(ctx context.Context, viewer bridge.Actor, affs []bridge.Affiliation) (bridge.Person, error) {
	if _, err := own(viewer); err != nil {
		return bridge.Person{}, err
	}
	if len(affs) > MaxAffiliations {
		return bridge.Person{}, bridge.InvalidInput([]string{"affiliations"}, "at most %d affiliations", MaxAffiliations)
	}
	seen := map[string]bool{}
	now := clock(s.Now)
	cleaned := make([]bridge.Affiliation, len(affs))
	for i, a := range affs {
		path := []string{"affiliations", strconv.Itoa(i)}
		if seen[a.OrganisationID] {
			return bridge.Person{}, bridge.InvalidInput(append(path, "organisation"), "the organisation is listed twice")
		}
		seen[a.OrganisationID] = true
		var err error
		if cleaned[i], err = a.Clean(path, now); err != nil {
			return bridge.Person{}, err
		}
	}
	return s.Store.SetAffiliations(ctx, viewer.Principal, cleaned)
}

// audit is the audit entry e about the person targetID.
func audit(e bridge.AuditEntry, targetID string) *bridge.AuditEntry {
	e.TargetID = targetID
	return &e
}
