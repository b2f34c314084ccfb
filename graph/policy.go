package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// signedIn is every role of a signed-in user.
var signedInRoles = []bridge.Role{bridge.RoleMember, bridge.RoleSecretariat, bridge.RoleAdmin}

// secretariatRoles are the roles that act for the secretariat.
var secretariatRoles = []bridge.Role{bridge.RoleSecretariat, bridge.RoleAdmin}

// MutationPolicy says, for every mutation, which roles may call it. A mutation without an entry
// cannot be called by anyone (fail closed), and a test walks the schema so that a new mutation
// without a policy fails CI. Object-level rules (whose profile) are the services' own.
func MutationPolicy() map[string][]bridge.Role {
	return map[string][]bridge.Role{
		"createMyProfile":    signedInRoles,
		"updateMyProfile":    signedInRoles,
		"setMyThemes":        signedInRoles,
		"setMyVisibility":    signedInRoles,
		"setMyAffiliations":  signedInRoles,
		"updatePerson":       secretariatRoles,
		"createPerson":       secretariatRoles,
		"mergePeople":        secretariatRoles,
		"addGroupMember":     secretariatRoles,
		"removeGroupMember":  secretariatRoles,
		"createOrganisation": secretariatRoles,
		"updateOrganisation": secretariatRoles,
		"mergeOrganisations": secretariatRoles,
		"saveTheme":          secretariatRoles,
		"saveExpertGroup":    secretariatRoles,
		"saveEvent":          secretariatRoles,
		"savePractice":       secretariatRoles,

		"requestIntroduction":       signedInRoles,
		"triageIntroduction":        secretariatRoles,
		"proposeIntroduction":       secretariatRoles,
		"acceptIntroduction":        signedInRoles,
		"declineIntroduction":       signedInRoles,
		"withdrawIntroduction":      signedInRoles,
		"recordIntroductionOutcome": secretariatRoles,
		"recordIntroductionAnswer":  secretariatRoles,
		"recordAttendance":          secretariatRoles,
		"answerFollowUp":            signedInRoles,
		"markMyAttendance":          signedInRoles,
		"sendEventSuggestions":      secretariatRoles,
		"addIntroductionNote":       secretariatRoles,
		"takeIntroduction":          secretariatRoles,
		"releaseIntroduction":       secretariatRoles,

		"giveConsent":      signedInRoles,
		"withdrawConsent":  signedInRoles,
		"pauseMyProfile":   signedInRoles,
		"resumeMyProfile":  signedInRoles,
		"exportMyData":     signedInRoles,
		"eraseMyProfile":   signedInRoles,
		"exportPersonData": secretariatRoles,
		"erasePerson":      secretariatRoles,

		"recordRightsRequest": secretariatRoles,
		"extendRightsRequest": secretariatRoles,
		"closeRightsRequest":  secretariatRoles,

		"applyImport": secretariatRoles,
	}
}

// adminRoles may read the audit log.
var adminRoles = []bridge.Role{bridge.RoleAdmin}

// QueryPolicy says which roles may call the queries that are restricted as a whole (registers
// and logs, not people: those apply visibility per viewer). Queries not listed are open; a test
// fails when a query returning rights requests or audit events has no entry. The services check
// the role again.
func QueryPolicy() map[string][]bridge.Role {
	return map[string][]bridge.Role{
		"rightsRequests":         secretariatRoles,
		"candidates":             secretariatRoles,
		"rightsRequest":          secretariatRoles,
		"auditEvents":            adminRoles,
		"introductionStatistics": secretariatRoles,
		"networkCoverage":        secretariatRoles,
		"networkGaps":            secretariatRoles,
		"networkBridges":         secretariatRoles,
		"networkTrends":          secretariatRoles,
		"networkHidden":          secretariatRoles,
		"checkImport":            secretariatRoles,
	}
}

// authorize says whether role may call the mutation: nil, UNAUTHENTICATED (anonymous, and
// signing in could help) or FORBIDDEN.
func authorize(policy map[string][]bridge.Role, mutation string, role bridge.Role) error {
	allowed, ok := policy[mutation]
	switch {
	case ok && slices.Contains(allowed, role):
		return nil
	case role == bridge.RoleAnonymous && ok:
		return bridge.Errorf(bridge.CodeUnauthenticated, "sign in to do this")
	default:
		return bridge.Errorf(bridge.CodeForbidden, "you may not do this")
	}
}

// enforcePolicy is the root-field middleware that applies MutationPolicy to every mutation and
// QueryPolicy to the queries it lists, before any resolver runs.
func enforcePolicy(mutations, queries map[string][]bridge.Role) graphql.RootFieldMiddleware {
	return func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		oc := graphql.GetOperationContext(ctx)
		if oc == nil || oc.Operation == nil {
			return next(ctx)
		}
		name := graphql.GetRootFieldContext(ctx).Field.Name
		policy := mutations
		if oc.Operation.Operation != "mutation" {
			if _, restricted := queries[name]; !restricted {
				return next(ctx)
			}
			policy = queries
		}
		if err := authorize(policy, name, bridge.PrincipalFrom(ctx).Role); err != nil {
			graphql.AddError(ctx, err)
			return graphql.Null
		}
		return next(ctx)
	}
}

// FieldPolicy names every protected field and who may read it. The rules are enforced where the
// data is read (the store's queries take the viewer; resolvers check again); this table makes
// them reviewable in one place, and the schema test fails when a field that looks like contact
// data or a people list appears without an entry.
func FieldPolicy() map[string]string {
	return map[string]string{
		"Person.email":                      "the person and the secretariat",
		"Person.phone":                      "the person and the secretariat",
		"Person.version":                    "the person and the secretariat",
		"Person.introductionsPerQuarter":    "the person and the secretariat",
		"Person.source":                     "the person and the secretariat",
		"Organisation.staff":                "the people the viewer may see",
		"ExpertGroup.members":               "the people the viewer may see; members of the group see all its members",
		"Event.attendees":                   "the people the viewer may see",
		"Event.suggestionsForMe":            "the attendees the viewer may see and suggest (suggestable), and only to an attendee",
		"Event.suggestionsSentAt":           "the secretariat",
		"Practice.people":                   "the people the viewer may see (listed, as every list of people)",
		"Theme.people":                      "the people the viewer may see",
		"Municipality.people":               "the people the viewer may see",
		"Query.people":                      "the people the viewer may see (also in counts and facets)",
		"Query.peers":                       "the people the viewer may see who are open to introductions",
		"Query.candidates":                  "the secretariat (QueryPolicy); the people suggestable as peers (consenting, open, not paused)",
		"Query.introductionPaths":           "only through people the viewer may list (visible, not paused, consenting)",
		"Person.consents":                   "the person and the secretariat",
		"Person.paused":                     "the person and the secretariat",
		"Query.introductions":               "the secretariat: all; a member: the introductions they are party to",
		"Introduction.counterpart":          "a party: the other party once asked (profile even if not visible otherwise; contact details only when INTRODUCED)",
		"Introduction.parties":              "the secretariat",
		"Introduction.history":              "the secretariat",
		"Introduction.message":              "the requester, the secretariat, and the person asked once proposed",
		"IntroductionParty.person":          "the secretariat",
		"IntroductionTransition.actor":      "the secretariat",
		"IntroductionTransition.onBehalfOf": "the secretariat",
		"Introduction.notes":                "the secretariat",
		"Introduction.handler":              "the secretariat (an account's address, not a person of the network)",
		"IntroductionNote.author":           "the secretariat",
		"Query.introductionStatistics":      "the secretariat (QueryPolicy): counts only, no person",
		"Query.rightsRequests":              "the secretariat (QueryPolicy)",
		"Query.networkCoverage":             "the secretariat (QueryPolicy): counts only, no person",
		"Query.networkGaps":                 "the secretariat (QueryPolicy): places, organisations, themes and groups, no person",
		"Query.networkBridges":              "the secretariat (QueryPolicy): names of people it may list; hidden ones audited as READ_PROFILE",
		"Query.networkTrends":               "the secretariat (QueryPolicy): counts only, no person",
		"Query.networkHidden":               "the secretariat (QueryPolicy): counts only, no person",
		"RightsRequest.person":              "the secretariat, as the register's reader; null once the person was erased",
		"Query.auditEvents":                 "administrators only (QueryPolicy); every read is audited as AUDIT_READ",
	}
}
