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

type principalKey struct{}

// WithPrincipal returns ctx carrying p; the authentication middleware calls it once per request.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal of the request, Anonymous when there is none: forgetting to
// authenticate can only ever show less.
func PrincipalFrom(ctx context.Context) Principal {
	if p, ok := ctx.Value(principalKey{}).(Principal); ok && p.Role != "" {
		return p
	}
	return Anonymous
}

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
