package profiles

import (
	"context"

	"github.com/google/uuid"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// SecretariatStore is what the secretariat's edits need of the store.
type SecretariatStore interface {
	// CreatePerson and MergePeople return the person (the one created, the one kept) as reader
	// reads it, from their write's transaction.
	CreatePerson(ctx context.Context, reader bridge.Principal, email string, in bridge.ProfileInput, audit bridge.AuditEntry) (bridge.Person, error)
	MergePeople(ctx context.Context, reader bridge.Principal, remove string, audit bridge.AuditEntry) (bridge.Person, error)
}

// Secretariat is the secretariat's management of people. Every edit is
// audited; every method refuses anyone but the secretariat (the policy table does too).
type Secretariat struct {
	Store SecretariatStore
}

// CreatePerson creates an unconfirmed profile for someone (who claims it at first sign-in) and
// returns it as the secretariat sees it.
func (s Secretariat) CreatePerson(ctx context.Context, viewer bridge.Actor, email string, in bridge.ProfileInput) (bridge.Person, error) {
	a, err := viewer.SecretariatAudit(bridge.AuditCreatePerson)
	if err != nil {
		return bridge.Person{}, err
	}
	if err := bridge.ValidateEmail([]string{"input", "email"}, email); err != nil {
		return bridge.Person{}, err
	}
	if in, err = in.Clean("input"); err != nil {
		return bridge.Person{}, err
	}
	return s.Store.CreatePerson(ctx, readerOf(viewer, uuid.NewString()), email, in, a)
}

// Merge folds a duplicate person into the one kept and returns the kept one as the secretariat
// sees it.
func (s Secretariat) Merge(ctx context.Context, viewer bridge.Actor, keep, remove string) (bridge.Person, error) {
	a, err := viewer.SecretariatAudit(bridge.AuditMergePeople)
	if err != nil {
		return bridge.Person{}, err
	}
	return s.Store.MergePeople(ctx, readerOf(viewer, keep), remove, a)
}

// readerOf is the viewer reading the person with the id: whom a write about that person answers.
func readerOf(viewer bridge.Actor, personID string) bridge.Principal {
	reader := viewer.Principal
	reader.PersonID = personID
	return reader
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
func (s Organisations) Create(ctx context.Context, viewer bridge.Actor, o bridge.Organisation) (string, error) {
	o, a, err := s.prepare(viewer, o, bridge.AuditCreateOrganisation)
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
func (s Organisations) Update(ctx context.Context, viewer bridge.Actor, o bridge.Organisation, expectedVersion int) error {
	o, a, err := s.prepare(viewer, o, bridge.AuditUpdateOrganisation)
	if err != nil {
		return err
	}
	return s.Store.UpdateOrganisation(ctx, o, expectedVersion, a)
}

// prepare checks the editor and cleans the organisation.
func (s Organisations) prepare(viewer bridge.Actor, o bridge.Organisation, action bridge.AuditAction) (bridge.Organisation, bridge.AuditEntry, error) {
	a, err := viewer.SecretariatAudit(action)
	if err != nil {
		return o, a, err
	}
	o, err = o.Clean("input")
	return o, a, err
}

// Merge folds a duplicate organisation into the kept one.
func (s Organisations) Merge(ctx context.Context, viewer bridge.Actor, keep, remove string) error {
	a, err := viewer.SecretariatAudit(bridge.AuditMergeOrganisations)
	if err != nil {
		return err
	}
	return s.Store.MergeOrganisations(ctx, keep, remove, a)
}
