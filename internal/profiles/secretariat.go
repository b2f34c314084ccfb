package profiles

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// SecretariatStore is what the secretariat's edits need of the store.
type SecretariatStore interface {
	CreatePerson(ctx context.Context, id, email string, in bridge.ProfileInput, audit bridge.AuditEntry) error
	AddGroupMember(ctx context.Context, groupID, personID string, role bridge.MemberRole, since string, audit bridge.AuditEntry) error
	RemoveGroupMember(ctx context.Context, groupID, personID string, audit bridge.AuditEntry) error
	MergePeople(ctx context.Context, keep, remove string, audit bridge.AuditEntry) error
}

// Secretariat is the secretariat's management of people and expert groups. Every edit is
// audited; every method refuses anyone but the secretariat (the policy table does too).
type Secretariat struct {
	Store SecretariatStore
	// Now is the clock for the dates given (a membership cannot start in the future); nil:
	// time.Now.
	Now func() time.Time
}

func audit(viewer bridge.Principal, action bridge.AuditAction, requestID string) (bridge.AuditEntry, error) {
	if !viewer.IsSecretariat() {
		return bridge.AuditEntry{}, bridge.Errorf(bridge.CodeForbidden, "only the secretariat may do this")
	}
	return bridge.AuditEntry{Action: action, ActorRole: viewer.Role, ActorID: viewer.PersonID, RequestID: requestID}, nil
}

// CreatePerson creates an unconfirmed profile for someone (who claims it at first sign-in).
func (s Secretariat) CreatePerson(ctx context.Context, viewer bridge.Principal, email string, in bridge.ProfileInput, requestID string) (string, error) {
	a, err := audit(viewer, bridge.AuditCreatePerson, requestID)
	if err != nil {
		return "", err
	}
	if err := bridge.ValidateEmail([]string{"input", "email"}, email); err != nil {
		return "", err
	}
	if in, err = in.Clean("input"); err != nil {
		return "", err
	}
	id := uuid.NewString()
	return id, s.Store.CreatePerson(ctx, id, email, in, a)
}

// AddGroupMember adds a person to an expert group with a role, from since (a date, not in the
// future; empty: unknown).
func (s Secretariat) AddGroupMember(ctx context.Context, viewer bridge.Principal, groupID, personID string, role bridge.MemberRole, since string, requestID string) error {
	a, err := audit(viewer, bridge.AuditAddGroupMember, requestID)
	if err != nil {
		return err
	}
	switch role {
	case bridge.GroupRoleChair, bridge.GroupRoleMember, bridge.GroupRoleSecretary, bridge.GroupRoleObserver:
	default:
		return bridge.InvalidInput([]string{"role"}, "role is CHAIR, MEMBER, SECRETARY or OBSERVER")
	}
	if err := bridge.ValidatePeriod(nil, since, "", clock(s.Now)); err != nil {
		return err
	}
	return s.Store.AddGroupMember(ctx, groupID, personID, role, since, a)
}

// RemoveGroupMember removes a person's membership of an expert group.
func (s Secretariat) RemoveGroupMember(ctx context.Context, viewer bridge.Principal, groupID, personID string, requestID string) error {
	a, err := audit(viewer, bridge.AuditRemoveMember, requestID)
	if err != nil {
		return err
	}
	return s.Store.RemoveGroupMember(ctx, groupID, personID, a)
}

// Merge folds a duplicate person into the one kept.
func (s Secretariat) Merge(ctx context.Context, viewer bridge.Principal, keep, remove, requestID string) error {
	a, err := audit(viewer, bridge.AuditMergePeople, requestID)
	if err != nil {
		return err
	}
	return s.Store.MergePeople(ctx, keep, remove, a)
}

// OrganisationStore is what the secretariat's organisation edits need of the store.
type OrganisationStore interface {
	CreateOrganisation(ctx context.Context, o bridge.Organisation, audit bridge.AuditEntry) error
	UpdateOrganisation(ctx context.Context, o bridge.Organisation, expectedVersion int, audit bridge.AuditEntry) error
	MergeOrganisations(ctx context.Context, keep, remove string, audit bridge.AuditEntry) error
}

// Organisations is the secretariat's management of organisations.
type Organisations struct {
	Store OrganisationStore
}

// Create creates an organisation; a new one without a key gets a UUID (CONFLICT if the key is
// taken). It returns the key.
func (s Organisations) Create(ctx context.Context, viewer bridge.Principal, o bridge.Organisation, requestID string) (string, error) {
	o, a, err := s.prepare(viewer, o, bridge.AuditCreateOrganisation, requestID)
	if err != nil {
		return "", err
	}
	if o.ID == "" {
		o.ID = uuid.NewString()
	}
	return o.ID, s.Store.CreateOrganisation(ctx, o, a)
}

// Update changes an organisation, only at the version the editor loaded (CONFLICT otherwise;
// NOT_FOUND when there is none).
func (s Organisations) Update(ctx context.Context, viewer bridge.Principal, o bridge.Organisation, expectedVersion int, requestID string) error {
	o, a, err := s.prepare(viewer, o, bridge.AuditUpdateOrganisation, requestID)
	if err != nil {
		return err
	}
	return s.Store.UpdateOrganisation(ctx, o, expectedVersion, a)
}

// prepare checks the editor and cleans the organisation.
func (s Organisations) prepare(viewer bridge.Principal, o bridge.Organisation, action bridge.AuditAction, requestID string) (bridge.Organisation, bridge.AuditEntry, error) {
	a, err := audit(viewer, action, requestID)
	if err != nil {
		return o, a, err
	}
	o, err = o.Clean("input")
	return o, a, err
}

// Merge folds a duplicate organisation into the kept one.
func (s Organisations) Merge(ctx context.Context, viewer bridge.Principal, keep, remove, requestID string) error {
	a, err := audit(viewer, bridge.AuditMergeOrganisations, requestID)
	if err != nil {
		return err
	}
	return s.Store.MergeOrganisations(ctx, keep, remove, a)
}

// ProgrammeStore is what the secretariat's management of themes, groups, events and practices
// needs of the store.
type ProgrammeStore interface {
	SaveProgrammeItem(ctx context.Context, item any, audit bridge.AuditEntry) error
}

// Programme is the secretariat's management of the theme vocabulary, expert groups and
// networks, events and knowledge items: create or update by key, validated and audited.
type Programme struct {
	Store ProgrammeStore
}

// Save cleans (bridge's Clean methods: text.go) and saves a bridge.Theme, ExpertGroup, Event or
// Practice. Given a pointer to one, it leaves the cleaned item there, so that the caller answers
// with what was stored.
func (s Programme) Save(ctx context.Context, viewer bridge.Principal, item interface{ Validate(...string) error }, requestID string) error {
	action := map[string]bridge.AuditAction{"bridge.Theme": bridge.AuditSaveTheme, "bridge.ExpertGroup": bridge.AuditSaveExpertGroup,
		"bridge.Event": bridge.AuditSaveEvent, "bridge.Practice": bridge.AuditSavePractice}[typeName(item)]
	if action == "" {
		return bridge.Errorf(bridge.CodeInternal, "unsupported item")
	}
	a, err := audit(viewer, action, requestID)
	if err != nil {
		return err
	}
	cleaned, err := cleanItem(item)
	if err != nil {
		return err
	}
	return s.Store.SaveProgrammeItem(ctx, cleaned, a)
}

// cleanItem returns the cleaned value of a programme item (or of the item a pointer points to,
// which it replaces with the cleaned one).
func cleanItem(item any) (any, error) {
	switch v := item.(type) {
	case bridge.Theme:
		return v.Clean("input")
	case *bridge.Theme:
		return cleanInPlace(v, bridge.Theme.Clean)
	case bridge.ExpertGroup:
		return v.Clean("input")
	case *bridge.ExpertGroup:
		return cleanInPlace(v, bridge.ExpertGroup.Clean)
	case bridge.Event:
		return v.Clean("input")
	case *bridge.Event:
		return cleanInPlace(v, bridge.Event.Clean)
	case bridge.Practice:
		return v.Clean("input")
	case *bridge.Practice:
		return cleanInPlace(v, bridge.Practice.Clean)
	}
	return nil, bridge.Errorf(bridge.CodeInternal, "unsupported item")
}

func cleanInPlace[T any](p *T, clean func(T, ...string) (T, error)) (any, error) {
	c, err := clean(*p, "input")
	if err != nil {
		return nil, err
	}
	*p = c
	return c, nil
}

func typeName(v any) string {
	switch v.(type) {
	case bridge.Theme, *bridge.Theme:
		return "bridge.Theme"
	case bridge.ExpertGroup, *bridge.ExpertGroup:
		return "bridge.ExpertGroup"
	case bridge.Event, *bridge.Event:
		return "bridge.Event"
	case bridge.Practice, *bridge.Practice:
		return "bridge.Practice"
	}
	return ""
}
