// Package rights is the secretariat's register of data-subject rights requests (GDPR art. 12(3)):
// record, extend, close, and the SLA report. It owns the Store interface it needs; package
// neo4jstore satisfies it.
package rights

import (
	"context"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Service is the secretariat's register of data-subject rights requests (GDPR art. 12(3)):
// requests received by e-mail, letter, phone or in person are recorded, extended once and
// closed here; the ones a person makes in the app are recorded by package privacy. Every change is
// audited by the store in its transaction; every method refuses anyone but the secretariat (the
// policy table does too).
type Service struct {
	Store Store
	Now   func() time.Time
}

// Record records a request received at in.ReceivedAt; it is due one month later.
func (s Service) Record(ctx context.Context, v bridge.Actor, in bridge.RightsRequestInput) (bridge.RightsRequest, error) {
	a, err := v.SecretariatAudit(bridge.AuditRecordRights)
	if err != nil {
		return bridge.RightsRequest{}, err
	}
	in, err = in.Clean(s.Now(), "input")
	if err != nil {
		return bridge.RightsRequest{}, err
	}
	return s.Store.RecordRightsRequest(ctx, in, a)
}

// Extend extends an open request once by two months, for the reason given.
func (s Service) Extend(ctx context.Context, v bridge.Actor, id, reason string) (bridge.RightsRequest, error) {
	a, err := v.SecretariatAudit(bridge.AuditExtendRights)
	if err != nil {
		return bridge.RightsRequest{}, err
	}
	if reason, err = bridge.CleanExtension(reason, "reason"); err != nil {
		return bridge.RightsRequest{}, err
	}
	return s.Store.ExtendRightsRequest(ctx, id, reason, s.Now(), a)
}

// Close closes an open request as FULFILLED or REJECTED (a rejection with its reason in note).
func (s Service) Close(ctx context.Context, v bridge.Actor, id string, outcome bridge.RightsStatus, note string) (bridge.RightsRequest, error) {
	a, err := v.SecretariatAudit(bridge.AuditCloseRights)
	if err != nil {
		return bridge.RightsRequest{}, err
	}
	if note, err = bridge.CleanClosing(outcome, note); err != nil {
		return bridge.RightsRequest{}, err
	}
	return s.Store.CloseRightsRequest(ctx, id, outcome, note, s.Now(), a)
}

// Get returns one request of the register.
func (s Service) Get(ctx context.Context, v bridge.Actor, id string) (bridge.RightsRequest, error) {
	if err := v.Require(v.IsSecretariat()); err != nil {
		return bridge.RightsRequest{}, err
	}
	return s.Store.RightsRequest(ctx, id)
}

// List is the SLA report: a page of the register ordered by due date.
func (s Service) List(ctx context.Context, v bridge.Actor, f bridge.RightsFilter, first int, after string) (bridge.RightsPage, error) {
	if err := v.Require(v.IsSecretariat()); err != nil {
		return bridge.RightsPage{}, err
	}
	if err := bridge.ValidateFirst(first); err != nil {
		return bridge.RightsPage{}, err
	}
	if err := f.Validate(); err != nil {
		return bridge.RightsPage{}, err
	}
	return s.Store.RightsRequests(ctx, f, s.Now(), first, after)
}

// Store keeps the register (package neo4jstore). Each method is one transaction; a change
// takes a lock on the request, lets the bridge.Decide* rules decide, and writes its audit event
// (the actor's entry completed with action, target and detail by the store).
type Store interface {
	// RecordRightsRequest creates an OPEN request received at in.ReceivedAt and due one month
	// later. The person must exist (BAD_USER_INPUT at input.personId otherwise).
	RecordRightsRequest(ctx context.Context, in bridge.RightsRequestInput, actor bridge.AuditEntry) (bridge.RightsRequest, error)
	// ExtendRightsRequest extends an open request once by two months (DecideExtend).
	ExtendRightsRequest(ctx context.Context, id, reason string, now time.Time, actor bridge.AuditEntry) (bridge.RightsRequest, error)
	// CloseRightsRequest closes an open request as FULFILLED or REJECTED (DecideClose).
	CloseRightsRequest(ctx context.Context, id string, outcome bridge.RightsStatus, note string, now time.Time, actor bridge.AuditEntry) (bridge.RightsRequest, error)
	// RightsRequest reads one request (NOT_FOUND when there is none).
	RightsRequest(ctx context.Context, id string) (bridge.RightsRequest, error)
	// RightsRequests reads one page of the register and the number matching, in one round trip.
	RightsRequests(ctx context.Context, f bridge.RightsFilter, now time.Time, first int, after string) (bridge.RightsPage, error)
}
