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
	if err := in.ValidateNew(p.Now(), "input"); err != nil {
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

// SetPaused pauses or resumes the viewer's profile. A pause is a restriction request (art. 18)
// made and fulfilled in the app: the register records it.
func (p Privacy) SetPaused(ctx context.Context, v bridge.Principal, paused bool, requestID string) error {
	if err := ownProfile(v); err != nil {
		return err
	}
	var answer bridge.RightsAnswer
	if paused {
		answer = bridge.RightsAnswer{Kind: bridge.RightsRestriction, SelfService: true}
	}
	return p.Store.SetPaused(ctx, v.PersonID, paused, actor(v, requestID), answer)
}

// Export returns everything held about the viewer (personID "") or, for the secretariat, about
// a person. The viewer's own export is recorded in the register as an access request received
// and fulfilled at once; the secretariat's closes the recorded request rightsRequestID (if
// given) as fulfilled.
func (p Privacy) Export(ctx context.Context, v bridge.Principal, personID, rightsRequestID, requestID string) (map[string]any, error) {
	target, answer, err := subject(v, personID, rightsRequestID, bridge.RightsAccess)
	if err != nil {
		return nil, err
	}
	return p.Store.ExportPersonData(ctx, target, actor(v, requestID), answer)
}

// Erase erases the viewer's profile (personID "") or, for the secretariat, a person's; the
// register is written as for Export.
func (p Privacy) Erase(ctx context.Context, v bridge.Principal, personID, rightsRequestID, requestID string) (bridge.ErasureResult, error) {
	target, answer, err := subject(v, personID, rightsRequestID, bridge.RightsErasure)
	if err != nil {
		return bridge.ErasureResult{}, err
	}
	return p.Store.ErasePerson(ctx, target, actor(v, requestID), answer)
}

// subject is whose data an act of kind is on, and what the register records: the viewer's own
// (personID ""), a self-service request; or, for the secretariat, the person's, closing the
// recorded request rightsRequestID when there is one.
func subject(v bridge.Principal, personID, rightsRequestID string, kind bridge.RightsKind) (string, bridge.RightsAnswer, error) {
	if personID == "" {
		return v.PersonID, bridge.RightsAnswer{Kind: kind, SelfService: true}, ownProfile(v)
	}
	if !v.IsSecretariat() {
		return "", bridge.RightsAnswer{}, bridge.Errorf(bridge.CodeForbidden, "you may not do this")
	}
	return personID, bridge.RightsAnswer{Kind: kind, RequestID: rightsRequestID}, nil
}
