// Package auditlog reads the audit log for administrators; every read is itself audited. It owns
// the Store interface it needs; package neo4jstore satisfies it.
package auditlog

import (
	"context"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Service reads the audit log: administrators only. The secretariat sees the events about one
// person in that person's export (exportPersonData), which is itself audited; reading the whole
// log across people is an administrator's task (art. 5(2), 30), and every read is audited.
type Service struct {
	Store Store
}

// Read returns a page of the log, newest first, and appends the reader's AUDIT_READ event.
func (s Service) Read(ctx context.Context, v bridge.Actor, f bridge.AuditFilter, first int, after string) (bridge.AuditPage, error) {
	if err := v.Require(v.Role == bridge.RoleAdmin); err != nil {
		return bridge.AuditPage{}, err
	}
	if err := bridge.ValidateFirst(first); err != nil {
		return bridge.AuditPage{}, err
	}
	if err := f.Validate(); err != nil {
		return bridge.AuditPage{}, err
	}
	return s.Store.ReadAuditLog(ctx, f, first, after, v.Entry())
}

// Store reads the audit log (package neo4jstore).
type Store interface {
	// ReadAuditLog reads one page of the events matching f, newest first, with the number
	// matching, and then appends the reader's AUDIT_READ event, in one transaction: a read that
	// cannot be audited returns nothing. The page does not contain its own AUDIT_READ event; the
	// next read does.
	ReadAuditLog(ctx context.Context, f bridge.AuditFilter, first int, after string, reader bridge.AuditEntry) (bridge.AuditPage, error)
}
