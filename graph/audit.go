package graph

import (
	"context"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// readAudit collects the non-public fields of other people that one request disclosed (contact
// details), so that they are written as audit events before the response leaves: if the audit
// cannot be written, the response is withheld (fail closed).
type readAudit struct {
	mu     sync.Mutex
	seen   map[[2]string]bool
	events []bridge.AuditEntry
}

type readAuditKey struct{}

// AuditReadContact is the audit action of disclosing someone's contact details.
const AuditReadContact = "READ_CONTACT"

// recordRead notes that field of person was disclosed to the viewer of ctx (not for their own).
func recordRead(ctx context.Context, r *Resolver, personID, field string) {
	a, ok := ctx.Value(readAuditKey{}).(*readAudit)
	v := bridge.PrincipalFrom(ctx)
	if !ok || personID == "" || personID == v.PersonID {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	k := [2]string{personID, field}
	if a.seen[k] {
		return
	}
	a.seen[k] = true
	a.events = append(a.events, bridge.AuditEntry{Action: AuditReadContact, ActorRole: v.Role, ActorID: v.PersonID,
		TargetID: personID, RequestID: r.requestID(ctx), Detail: field})
}

// auditReads is the operation middleware that collects and writes the read audit.
func auditReads(r *Resolver) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		a := &readAudit{seen: map[[2]string]bool{}}
		h := next(context.WithValue(ctx, readAuditKey{}, a))
		return func(ctx context.Context) *graphql.Response {
			resp := h(ctx)
			a.mu.Lock()
			events := a.events
			a.events = nil
			a.mu.Unlock()
			if len(events) == 0 || r.Audit == nil {
				return resp
			}
			if err := r.Audit.AppendAudit(ctx, events); err != nil {
				return &graphql.Response{Errors: gqlerror.List{{Message: "the service is temporarily unavailable; try again shortly",
					Extensions: map[string]any{"code": string(bridge.CodeUnavailable), "requestId": r.requestID(ctx)}}}}
			}
			return resp
		}
	}
}
