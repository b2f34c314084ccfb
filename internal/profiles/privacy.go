package profiles

import (
	"context"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// PrivacyStore is what the privacy rights need from storage (package neo4jstore).
type PrivacyStore interface {
	bridge.PrivacyService
	ConsentsOf(ctx context.Context, ids []string) (map[string][]bridge.Consent, error)
}

// Privacy carries out a person's privacy rights: consent, restriction, export and erasure. A
// person acts on their own profile; the secretariat exports and erases on a person's request.
// Every call is audited by the store in the transaction that does it.
type Privacy struct {
	Store PrivacyStore
	Now   func() time.Time
}

func actor(v bridge.Principal, requestID string) bridge.AuditEntry {
	return bridge.AuditEntry{ActorRole: v.Role, ActorID: v.PersonID, RequestID: requestID}
}

func ownProfile(v bridge.Principal) error {
	if v.PersonID == "" {
		return bridge.Errorf(bridge.CodeNotFound, "you have no profile")
	}
	return nil
}

// GiveConsent records the viewer's consent and returns their consent records.
func (p Privacy) GiveConsent(ctx context.Context, v bridge.Principal, in bridge.ConsentInput, requestID string) ([]bridge.Consent, error) {
	if err := ownProfile(v); err != nil {
		return nil, err
	}
	if err := in.Validate(p.Now(), "input"); err != nil {
		return nil, err
	}
	if _, err := p.Store.GiveConsent(ctx, v.PersonID, in, bridge.ConsentSourceSelf, actor(v, requestID)); err != nil {
		return nil, err
	}
	return p.Store.Consents(ctx, v.PersonID)
}

// WithdrawConsent withdraws the viewer's consent for a purpose, with effect at once.
func (p Privacy) WithdrawConsent(ctx context.Context, v bridge.Principal, purpose bridge.ConsentPurpose, requestID string) ([]bridge.Consent, error) {
	if err := ownProfile(v); err != nil {
		return nil, err
	}
	if !purpose.Valid() {
		return nil, bridge.InvalidInput([]string{"purpose"}, "not a known purpose")
	}
	if err := p.Store.WithdrawConsent(ctx, v.PersonID, purpose, actor(v, requestID)); err != nil {
		return nil, err
	}
	return p.Store.Consents(ctx, v.PersonID)
}

// ConsentsOf returns the consent records the viewer may see: their own, or anyone's for the
// secretariat.
func (p Privacy) ConsentsOf(ctx context.Context, v bridge.Principal, ids []string) (map[string][]bridge.Consent, error) {
	allowed := ids[:0:0]
	for _, id := range ids {
		if v.IsSecretariat() || (id != "" && id == v.PersonID) {
			allowed = append(allowed, id)
		}
	}
	got, err := p.Store.ConsentsOf(ctx, allowed)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, ok := got[id]; !ok {
			got[id] = nil // not visible, or no such person: no records to show
		}
	}
	return got, nil
}

// SetPaused pauses or resumes the viewer's profile.
func (p Privacy) SetPaused(ctx context.Context, v bridge.Principal, paused bool, requestID string) error {
	if err := ownProfile(v); err != nil {
		return err
	}
	return p.Store.SetPaused(ctx, v.PersonID, paused, actor(v, requestID))
}

// Export returns everything held about the viewer (personID "") or, for the secretariat, about
// a person.
func (p Privacy) Export(ctx context.Context, v bridge.Principal, personID, requestID string) (map[string]any, error) {
	target, err := subject(v, personID)
	if err != nil {
		return nil, err
	}
	return p.Store.ExportPersonData(ctx, target, actor(v, requestID))
}

// Erase erases the viewer's profile (personID "") or, for the secretariat, a person's.
func (p Privacy) Erase(ctx context.Context, v bridge.Principal, personID, requestID string) (bridge.ErasureResult, error) {
	target, err := subject(v, personID)
	if err != nil {
		return bridge.ErasureResult{}, err
	}
	return p.Store.ErasePerson(ctx, target, actor(v, requestID))
}

func subject(v bridge.Principal, personID string) (string, error) {
	if personID == "" {
		return v.PersonID, ownProfile(v)
	}
	if !v.IsSecretariat() {
		return "", bridge.Errorf(bridge.CodeForbidden, "you may not do this")
	}
	return personID, nil
}
