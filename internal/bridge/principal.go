package bridge

import "context"

// Role is what a signed-in (or anonymous) viewer may do. Roles come from the identity provider's
// claims (a later issue); any valid sign-in is a member.
type Role string

// The roles, from least to most privileged.
const (
	RoleAnonymous   Role = "ANONYMOUS"
	RoleMember      Role = "MEMBER"
	RoleSecretariat Role = "SECRETARIAT"
	RoleAdmin       Role = "ADMIN"
)

// RoleCLI is the actor role of the audit events the command-line export writes (no principal).
const RoleCLI Role = "CLI"

// Principal is who is asking. PersonID is the viewer's own profile, empty when they have none
// (anonymous, or signed in without a profile yet).
type Principal struct {
	Role     Role
	PersonID string
	// Account is the verified sign-in (issuer, subject, e-mail); nil when anonymous.
	Account *Account
}

// Anonymous is the principal of a request without a valid sign-in.
var Anonymous = Principal{Role: RoleAnonymous}

// Actor is who acts in a request: the principal, and the id of the request for the audit events
// the act writes. The sign-in middleware builds it once per request and puts it in the context;
// the services take it instead of a principal and a request id.
type Actor struct {
	Principal
	RequestID string
}

// Entry is the audit entry of who acts (role, person id, request id), for a store that sets the
// action, target and detail itself.
func (a Actor) Entry() AuditEntry {
	return AuditEntry{ActorRole: a.Role, ActorID: a.PersonID, RequestID: a.RequestID}
}

// Audit is the audit entry of action by the actor; the store fills in the target and the time.
func (a Actor) Audit(action AuditAction) AuditEntry {
	e := a.Entry()
	e.Action = action
	return e
}

// SecretariatAudit is the audit entry of a secretariat edit by the actor; anyone else is refused
// as the policy table refuses them (UNAUTHENTICATED when anonymous, FORBIDDEN otherwise).
func (a Actor) SecretariatAudit(action AuditAction) (AuditEntry, error) {
	if !a.IsSecretariat() {
		if !a.SignedIn() {
			return AuditEntry{}, Errorf(CodeUnauthenticated, "sign in to do this")
		}
		return AuditEntry{}, Errorf(CodeForbidden, "only the secretariat may do this")
	}
	return a.Audit(action), nil
}

// Require is the answer to a principal who may do something only when allowed: nil when allowed,
// UNAUTHENTICATED when anonymous (signing in could help), FORBIDDEN otherwise.
func (p Principal) Require(allowed bool) error {
	switch {
	case allowed:
		return nil
	case !p.SignedIn():
		return Errorf(CodeUnauthenticated, "sign in to do this")
	}
	return Errorf(CodeForbidden, "you may not do this")
}

type actorKey struct{}

// WithActor returns ctx carrying a; the sign-in middleware calls it once per request.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of the request, anonymous when there is none: forgetting to
// authenticate can only ever show less.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok && a.Role != "" {
		return a
	}
	a, _ := ctx.Value(actorKey{}).(Actor)
	return Actor{Principal: Anonymous, RequestID: a.RequestID}
}

// PrincipalFrom returns the principal of the request's actor, Anonymous when there is none.
func PrincipalFrom(ctx context.Context) Principal { return ActorFrom(ctx).Principal }

// IsSecretariat reports whether the principal acts for the secretariat (admins do too).
func (p Principal) IsSecretariat() bool { return p.Role == RoleSecretariat || p.Role == RoleAdmin }

// SignedIn reports whether the principal is any signed-in user.
func (p Principal) SignedIn() bool { return p.Role != RoleAnonymous && p.Role != "" }

// VisibleLevels are the visibility levels of other people's profiles that p may see. A person
// always sees their own profile whatever its level (see Viewer in the store).
func (p Principal) VisibleLevels() []Visibility {
	switch {
	case p.IsSecretariat():
		return []Visibility{VisibilityPublic, VisibilityMembers, VisibilitySecretariat}
	case p.SignedIn():
		return []Visibility{VisibilityPublic, VisibilityMembers}
	default:
		return []Visibility{VisibilityPublic}
	}
}
