package graph

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// The read audit (security.md row 73): what one request disclosed of other people beyond what
// every signed-in member may see is written as audit events before the response leaves; if they
// cannot be written, the response is withheld (fail closed).
//
// What counts as non-public, and why:
//   - READ_CONTACT: someone else's e-mail or phone (the secretariat, or the other side of an
//     INTRODUCED introduction), recorded by the resolvers when they disclose a value;
//   - READ_PRIVACY: someone else's consent records or pause state (the secretariat only);
//   - READ_PROFILE: any field of a profile that only the secretariat may see (visibility
//     SECRETARIAT, or paused), read by anyone but the person.
//
// Fields of PUBLIC and MEMBERS profiles are not audited: the person chose to show them to every
// member, and an audit row per search hit would turn the audit log into a record of what each
// member searched for (minimisation, art. 5(1)(c)). The actions are bridge.AuditRead*.

// readAudit collects one event per (person, action) with the fields read, in first-read order.
type readAudit struct {
	mu     sync.Mutex
	index  map[[2]string]int
	fields [][]string
	events []bridge.AuditEntry
}

type readAuditKey struct{}

// recordRead notes that field of person was disclosed to the viewer of ctx (not for their own).
func recordRead(ctx context.Context, r *Resolver, personID string, action bridge.AuditAction, field string) {
	a, ok := ctx.Value(readAuditKey{}).(*readAudit)
	v := bridge.PrincipalFrom(ctx)
	// A member without a profile sees no hidden profile and nobody's contact details except the
	// profile they create in this very request (createMyProfile returns it): their own.
	if !ok || personID == "" || personID == v.PersonID || (v.Role == bridge.RoleMember && v.PersonID == "") {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	k := [2]string{personID, string(action)}
	i, seen := a.index[k]
	if !seen {
		i = len(a.events)
		a.index[k] = i
		a.events = append(a.events, bridge.AuditEntry{Action: action, ActorRole: v.Role, ActorID: v.PersonID,
			TargetID: personID, RequestID: bridge.ActorFrom(ctx).RequestID})
		a.fields = append(a.fields, nil)
	}
	if !slices.Contains(a.fields[i], field) {
		a.fields[i] = append(a.fields[i], field)
	}
}

// take returns the collected events (Detail: the fields read, sorted) and empties the collector.
func (a *readAudit) take() []bridge.AuditEntry {
	a.mu.Lock()
	defer a.mu.Unlock()
	events := a.events
	for i := range events {
		slices.Sort(a.fields[i])
		events[i].Detail = strings.Join(a.fields[i], ",")
	}
	a.events, a.fields, a.index = nil, nil, map[[2]string]int{}
	return events
}

// privacyFields are the Person fields that show someone's privacy choices (READ_PRIVACY).
var privacyFields = map[string]bool{"consents": true, "paused": true}

// auditPersonFields is the field middleware that records READ_PRIVACY and READ_PROFILE for the
// Person fields a request resolves. Contact fields are recorded by their resolvers instead, and
// only when a value is disclosed.
func auditPersonFields(r *Resolver) graphql.FieldMiddleware {
	return func(ctx context.Context, next graphql.Resolver) (any, error) {
		fc := graphql.GetFieldContext(ctx)
		if fc == nil || fc.Object != "Person" || fc.Parent == nil {
			return next(ctx)
		}
		p := personOf(fc.Parent.Result)
		name := fc.Field.Name
		if p == nil || name == "id" || name == "__typename" || name == "email" || name == "phone" {
			return next(ctx)
		}
		v := bridge.PrincipalFrom(ctx)
		switch {
		case privacyFields[name]:
			if v.IsSecretariat() { // others get null
				recordRead(ctx, r, p.ID, bridge.AuditReadPrivacy, name)
			}
		case p.Visibility == bridge.VisibilitySecretariat || p.Paused:
			recordRead(ctx, r, p.ID, bridge.AuditReadProfile, name)
		}
		return next(ctx)
	}
}

// personOf is the Person a field of it is resolved on: gqlgen keeps the parent's value as the
// parent field's Result (a pointer for list elements, either form for single objects).
func personOf(v any) *bridge.Person {
	switch p := v.(type) {
	case *bridge.Person:
		return p
	case **bridge.Person:
		if p != nil {
			return *p
		}
	case bridge.Person:
		return &p
	}
	return nil
}

// auditReads is the operation middleware that collects and writes the read audit.
func auditReads(r *Resolver) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		a := &readAudit{index: map[[2]string]int{}}
		h := next(context.WithValue(ctx, readAuditKey{}, a))
		return func(ctx context.Context) *graphql.Response {
			resp := h(ctx)
			events := a.take()
			if len(events) == 0 || r.Audit == nil {
				return resp
			}
			if err := r.Audit.AppendAudit(ctx, events); err != nil {
				return &graphql.Response{Errors: gqlerror.List{{Message: "the service is temporarily unavailable; try again shortly",
					Extensions: map[string]any{"code": string(bridge.CodeUnavailable), "requestId": bridge.ActorFrom(ctx).RequestID}}}}
			}
			return resp
		}
	}
}
