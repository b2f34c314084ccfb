// Package privacy carries out a person's privacy rights: consent, restriction (pause), export
// and erasure, on their own profile or, for the secretariat, on a person's request. It owns the
// Store interface it needs; package neo4jstore satisfies it.
package privacy

import (
	"context"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Store keeps consent and carries out a person's privacy rights (package neo4jstore). Each method runs in one
// transaction and answers NOT_FOUND when the person does not exist. The actor/audit entry says
// who acts (role, person id, request id); the service sets its Action, TargetID (the person) and
// Detail itself, so a caller cannot mislabel the event. Who may call what (the person themself,
// the secretariat) is decided by the caller, not here.
type Store interface {
	// GiveConsent records consent for in.Purpose: any active record of that purpose is withdrawn,
	// a new record is created and the person's current state for the purpose is set. The input
	// is validated (BAD_USER_INPUT), the source must be valid. Audited as GIVE_CONSENT.
	GiveConsent(ctx context.Context, personID string, in bridge.ConsentInput, source bridge.ConsentSource, actor bridge.AuditEntry) (bridge.Consent, error)
	// WithdrawConsent withdraws the active consent for the purpose, with effect at once. Calling it
	// again changes nothing. Audited as WITHDRAW_CONSENT when something was withdrawn.
	WithdrawConsent(ctx context.Context, personID string, purpose bridge.ConsentPurpose, actor bridge.AuditEntry) error
	// Consents returns every consent record of the person, newest first.
	Consents(ctx context.Context, personID string) ([]bridge.Consent, error)
	// SetPaused restricts (paused) or resumes the processing of the person's profile. Audited as
	// PAUSE_PROFILE or RESUME_PROFILE when the state changes; the rights answer is recorded in
	// the register only when the state changes.
	SetPaused(ctx context.Context, personID string, paused bool, actor bridge.AuditEntry, answer bridge.RightsAnswer) error
	// ExportPersonData appends an EXPORT audit event, records the rights answer (see
	// bridge.RightsAnswer) and returns everything held about the person as a JSON-ready document (see
	// ExportFormat), in one transaction.
	ExportPersonData(ctx context.Context, personID string, audit bridge.AuditEntry, answer bridge.RightsAnswer) (map[string]any, error)
	// ErasePerson records the rights answer, deletes the person and everything that identifies
	// them, anonymises the introductions they were party to and their rights requests, and
	// appends an ERASE audit event, in one transaction.
	ErasePerson(ctx context.Context, personID string, audit bridge.AuditEntry, answer bridge.RightsAnswer) (bridge.ErasureResult, error)
	// ConsentsOf returns the consent records of each of the people, keyed by id.
	ConsentsOf(ctx context.Context, ids []string) (map[string][]bridge.Consent, error)
}

// Service carries out a person's privacy rights: consent, restriction, export and erasure. A
// person acts on their own profile; the secretariat exports and erases on a person's request.
// Every call is audited by the store in the transaction that does it (the store sets the action, target and detail).
type Service struct {
	Store Store
	Now   func() time.Time
}

func ownProfile(v bridge.Actor) error {
	if v.PersonID == "" {
		return bridge.Errorf(bridge.CodeNotFound, "you have no profile")
	}
	return nil
}

// GiveConsent records the viewer's consent and returns their consent records.
func (p Service) GiveConsent(ctx context.Context, v bridge.Actor, in bridge.ConsentInput) ([]bridge.Consent, error) {
	if err := ownProfile(v); err != nil {
		return nil, err
	}
	if err := in.ValidateNew(p.Now(), "input"); err != nil {
		return nil, err
	}
	if _, err := p.Store.GiveConsent(ctx, v.PersonID, in, bridge.ConsentSourceSelf, v.Entry()); err != nil {
		return nil, err
	}
	return p.Store.Consents(ctx, v.PersonID)
}

// WithdrawConsent withdraws the viewer's consent for a purpose, with effect at once.
func (p Service) WithdrawConsent(ctx context.Context, v bridge.Actor, purpose bridge.ConsentPurpose) ([]bridge.Consent, error) {
	if err := ownProfile(v); err != nil {
		return nil, err
	}
	if !purpose.Valid() {
		return nil, bridge.InvalidInput([]string{"purpose"}, "not a known purpose")
	}
	if err := p.Store.WithdrawConsent(ctx, v.PersonID, purpose, v.Entry()); err != nil {
		return nil, err
	}
	return p.Store.Consents(ctx, v.PersonID)
}

// ConsentsOf returns the consent records the viewer may see: their own, or anyone's for the
// secretariat.
func (p Service) ConsentsOf(ctx context.Context, v bridge.Actor, ids []string) (map[string][]bridge.Consent, error) {
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
func (p Service) SetPaused(ctx context.Context, v bridge.Actor, paused bool) error {
	if err := ownProfile(v); err != nil {
		return err
	}
	var answer bridge.RightsAnswer
	if paused {
		answer = bridge.RightsAnswer{Kind: bridge.RightsRestriction, SelfService: true}
	}
	return p.Store.SetPaused(ctx, v.PersonID, paused, v.Entry(), answer)
}

// Export returns everything held about the viewer (personID "") or, for the secretariat, about
// a person. The viewer's own export is recorded in the register as an access request received
// and fulfilled at once; the secretariat's closes the recorded request rightsRequestID (if
// given) as fulfilled.
func (p Service) Export(ctx context.Context, v bridge.Actor, personID, rightsRequestID string) (map[string]any, error) {
	target, answer, err := subject(v, personID, rightsRequestID, bridge.RightsAccess)
	if err != nil {
		return nil, err
	}
	return p.Store.ExportPersonData(ctx, target, v.Entry(), answer)
}

// Erase erases the viewer's profile (personID "") or, for the secretariat, a person's; the
// register is written as for Export.
func (p Service) Erase(ctx context.Context, v bridge.Actor, personID, rightsRequestID string) (bridge.ErasureResult, error) {
	target, answer, err := subject(v, personID, rightsRequestID, bridge.RightsErasure)
	if err != nil {
		return bridge.ErasureResult{}, err
	}
	return p.Store.ErasePerson(ctx, target, v.Entry(), answer)
}

// subject is whose data an act of kind is on, and what the register records: the viewer's own
// (personID ""), a self-service request; or, for the secretariat, the person's, closing the
// recorded request rightsRequestID when there is one.
func subject(v bridge.Actor, personID, rightsRequestID string, kind bridge.RightsKind) (string, bridge.RightsAnswer, error) {
	if personID == "" {
		return v.PersonID, bridge.RightsAnswer{Kind: kind, SelfService: true}, ownProfile(v)
	}
	if !v.IsSecretariat() {
		return "", bridge.RightsAnswer{}, bridge.Errorf(bridge.CodeForbidden, "you may not do this")
	}
	return personID, bridge.RightsAnswer{Kind: kind, RequestID: rightsRequestID}, nil
}
