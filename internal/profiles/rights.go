package profiles

import (
	"context"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Rights is the secretariat's register of data-subject rights requests (GDPR art. 12(3)):
// requests received by e-mail, letter, phone or in person are recorded, extended once and
// closed here; the ones a person makes in the app are recorded by Privacy. Every change is
// audited by the store in its transaction; every method refuses anyone but the secretariat (the
// policy table does too).
type Rights struct {
	Store bridge.RightsStore
	Now   func() time.Time
}

// Record records a request received at in.ReceivedAt; it is due one month later.
func (s Rights) Record(ctx context.Context, v bridge.Principal, in bridge.RightsRequestInput, requestID string) (bridge.RightsRequest, error) {
	a, err := audit(v, bridge.AuditRecordRights, requestID)
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
func (s Rights) Extend(ctx context.Context, v bridge.Principal, id, reason, requestID string) (bridge.RightsRequest, error) {
	a, err := audit(v, bridge.AuditExtendRights, requestID)
	if err != nil {
		return bridge.RightsRequest{}, err
	}
	if reason, err = bridge.CleanExtension(reason, "reason"); err != nil {
		return bridge.RightsRequest{}, err
	}
	return s.Store.ExtendRightsRequest(ctx, id, reason, s.Now(), a)
}

// Close closes an open request as FULFILLED or REJECTED (a rejection with its reason in note).
func (s Rights) Close(ctx context.Context, v bridge.Principal, id string, outcome bridge.RightsStatus, note, requestID string) (bridge.RightsRequest, error) {
	a, err := audit(v, bridge.AuditCloseRights, requestID)
	if err != nil {
		return bridge.RightsRequest{}, err
	}
	if note, err = bridge.CleanClosing(outcome, note); err != nil {
		return bridge.RightsRequest{}, err
	}
	return s.Store.CloseRightsRequest(ctx, id, outcome, note, s.Now(), a)
}

// Get returns one request of the register.
func (s Rights) Get(ctx context.Context, v bridge.Principal, id string) (bridge.RightsRequest, error) {
	if err := mayRead(v, v.IsSecretariat()); err != nil {
		return bridge.RightsRequest{}, err
	}
	return s.Store.RightsRequest(ctx, id)
}

// List is the SLA report: a page of the register ordered by due date.
func (s Rights) List(ctx context.Context, v bridge.Principal, f bridge.RightsFilter, first int, after string) (bridge.RightsPage, error) {
	if err := mayRead(v, v.IsSecretariat()); err != nil {
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

// AuditLog reads the audit log: administrators only. The secretariat sees the events about one
// person in that person's export (exportPersonData), which is itself audited; reading the whole
// log across people is an administrator's task (art. 5(2), 30), and every read is audited.
type AuditLog struct {
	Store bridge.AuditLogStore
}

// Read returns a page of the log, newest first, and appends the reader's AUDIT_READ event.
func (s AuditLog) Read(ctx context.Context, v bridge.Principal, f bridge.AuditFilter, first int, after, requestID string) (bridge.AuditPage, error) {
	if err := mayRead(v, v.Role == bridge.RoleAdmin); err != nil {
		return bridge.AuditPage{}, err
	}
	if err := bridge.ValidateFirst(first); err != nil {
		return bridge.AuditPage{}, err
	}
	if err := f.Validate(); err != nil {
		return bridge.AuditPage{}, err
	}
	return s.Store.ReadAuditLog(ctx, f, first, after, bridge.AuditEntry{ActorRole: v.Role, ActorID: v.PersonID, RequestID: requestID})
}

// mayRead is the answer to a viewer who may not read a restricted list: UNAUTHENTICATED when
// anonymous (signing in could help), FORBIDDEN otherwise.
func mayRead(v bridge.Principal, allowed bool) error {
	switch {
	case allowed:
		return nil
	case !v.SignedIn():
		return bridge.Errorf(bridge.CodeUnauthenticated, "sign in to do this")
	}
	return bridge.Errorf(bridge.CodeForbidden, "you may not do this")
}
