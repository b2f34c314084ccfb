// Package programme is the secretariat's management of the programme: the theme vocabulary,
// expert groups and networks with their members, events and knowledge items (practices). Every
// edit is validated (bridge's Clean methods, text.go) and audited in the store's transaction;
// every method refuses anyone but the secretariat (the policy table does too). It owns the Store
// interface it needs; package neo4jstore satisfies it.
package programme

import (
	"context"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// Store is what the management of the programme needs of the store.
type Store interface {
	// SaveProgrammeItem creates or updates by key a bridge.Theme, ExpertGroup, Event or Practice.
	SaveProgrammeItem(ctx context.Context, item any, audit bridge.AuditEntry) error
	AddGroupMember(ctx context.Context, groupID, personID string, role bridge.MemberRole, since string, audit bridge.AuditEntry) error
	RemoveGroupMember(ctx context.Context, groupID, personID string, audit bridge.AuditEntry) error
}

// Service is the secretariat's management of the programme.
type Service struct {
	Store Store
	// Now is the clock for the dates given (a membership cannot start in the future); nil:
	// time.Now.
	Now func() time.Time
	// ThemesChanged, when set, is called after a theme is saved: the vocabulary held in memory
	// (internal/refdata) is read again.
	ThemesChanged func()
}

func (s Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// SaveTheme creates or updates a theme of the vocabulary and returns it as stored.
func (s Service) SaveTheme(ctx context.Context, a bridge.Actor, t bridge.Theme) (bridge.Theme, error) {
	saved, err := save(ctx, s.Store, a, bridge.AuditSaveTheme, t, bridge.Theme.Clean)
	if err == nil && s.ThemesChanged != nil {
		s.ThemesChanged()
	}
	return saved, err
}

// SaveExpertGroup creates or updates an expert group or network and returns it as stored.
func (s Service) SaveExpertGroup(ctx context.Context, a bridge.Actor, g bridge.ExpertGroup) (bridge.ExpertGroup, error) {
	return save(ctx, s.Store, a, bridge.AuditSaveExpertGroup, g, bridge.ExpertGroup.Clean)
}

// SaveEvent creates or updates an event and returns it as stored.
func (s Service) SaveEvent(ctx context.Context, a bridge.Actor, e bridge.Event) (bridge.Event, error) {
	return save(ctx, s.Store, a, bridge.AuditSaveEvent, e, bridge.Event.Clean)
}

// SavePractice creates or updates a knowledge item and returns it as stored.
func (s Service) SavePractice(ctx context.Context, a bridge.Actor, p bridge.Practice) (bridge.Practice, error) {
	return save(ctx, s.Store, a, bridge.AuditSavePractice, p, bridge.Practice.Clean)
}

// save is the one path of the four: who may, clean, store.
func save[T any](ctx context.Context, store Store, a bridge.Actor, action bridge.AuditAction, item T, clean func(T, ...string) (T, error)) (T, error) {
	var zero T
	entry, err := a.SecretariatAudit(action)
	if err != nil {
		return zero, err
	}
	if item, err = clean(item, "input"); err != nil {
		return zero, err
	}
	if err := store.SaveProgrammeItem(ctx, item, entry); err != nil {
		return zero, err
	}
	return item, nil
}

// AddGroupMember adds a person to an expert group with a role, from since (a date, not in the
// future; empty: unknown).
func (s Service) AddGroupMember(ctx context.Context, viewer bridge.Actor, groupID, personID string, role bridge.MemberRole, since string) error {
	a, err := viewer.SecretariatAudit(bridge.AuditAddGroupMember)
	if err != nil {
		return err
	}
	switch role {
	case bridge.GroupRoleChair, bridge.GroupRoleMember, bridge.GroupRoleSecretary, bridge.GroupRoleObserver:
	default:
		return bridge.InvalidInput([]string{"role"}, "role is CHAIR, MEMBER, SECRETARY or OBSERVER")
	}
	if err := bridge.ValidatePeriod(nil, since, "", s.now()); err != nil {
		return err
	}
	return s.Store.AddGroupMember(ctx, groupID, personID, role, since, a)
}

// RemoveGroupMember removes a person's membership of an expert group.
func (s Service) RemoveGroupMember(ctx context.Context, viewer bridge.Actor, groupID, personID string) error {
	a, err := viewer.SecretariatAudit(bridge.AuditRemoveMember)
	if err != nil {
		return err
	}
	return s.Store.RemoveGroupMember(ctx, groupID, personID, a)
}
