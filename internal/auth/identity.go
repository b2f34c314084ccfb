package auth

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// RoleMap maps the values of one configured claim to a role, the same way for bearer tokens
// (Verify) and for the ID tokens of the web sign-in (internal/websession), so that a person has
// the same role whichever way they come in.
type RoleMap struct {
	claim       string
	secretariat map[string]bool
	admin       map[string]bool
}

// NewRoleMap checks and builds the mapping of Config's RoleClaim, SecretariatValues and
// AdminValues (see there).
func NewRoleMap(claim string, secretariatValues, adminValues []string) (RoleMap, error) {
	if claim == "" && (len(secretariatValues) > 0 || len(adminValues) > 0) {
		return RoleMap{}, errors.New("auth: SecretariatValues or AdminValues are set but RoleClaim is empty")
	}
	for _, v := range slices.Concat(secretariatValues, adminValues) {
		if v == "" {
			return RoleMap{}, errors.New("auth: an empty role claim value would match nothing useful; remove it")
		}
	}
	return RoleMap{claim: claim, secretariat: setOf(secretariatValues), admin: setOf(adminValues)}, nil
}

// Role maps the values of the claim to a role: ADMIN wins over SECRETARIAT, and anyone else
// signed in is a MEMBER. Nothing else in the token (scopes, other claims, a claim the user can
// edit at the provider) can raise it.
func (m RoleMap) Role(claims map[string]json.RawMessage) bridge.Role {
	role := bridge.RoleMember
	if m.claim == "" {
		return role
	}
	for _, v := range stringsClaim(lookupClaim(claims, m.claim)) {
		if m.admin[v] {
			return bridge.RoleAdmin
		}
		if m.secretariat[v] {
			role = bridge.RoleSecretariat
		}
	}
	return role
}

// Identity is the identity the verified claims of a token describe: (issuer, subject) as the
// key, e-mail (verified only when the claim says so), name and the role.
func (m RoleMap) Identity(issuer, subject string, claims map[string]json.RawMessage) Identity {
	id := Identity{
		Issuer:  issuer,
		Subject: subject,
		Email:   stringClaim(claims, "email"),
		Name:    stringClaim(claims, "name"),
		Role:    m.Role(claims),
	}
	id.EmailVerified = id.Email != "" && boolClaim(claims, "email_verified")
	return id
}

// PrincipalFor resolves a verified identity to the principal of a request: its role and the
// person its account signs in as (PersonFinder). The API's SignIn and the web session build the
// principal through this one function.
func PrincipalFor(ctx context.Context, people PersonFinder, id Identity) (bridge.Principal, error) {
	personID, err := people.PersonForAccount(ctx, id.Issuer, id.Subject)
	if err != nil {
		return bridge.Principal{}, err
	}
	return bridge.Principal{Role: id.Role, PersonID: personID,
		Account: &bridge.Account{Issuer: id.Issuer, Subject: id.Subject, Email: id.Email, EmailVerified: id.EmailVerified}}, nil
}
