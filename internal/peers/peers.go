// Package peers answers "who else works on this, in a place like mine, in another Nordic
// country?": it asks the store for the candidates the viewer may see and ranks them with
// package matching. It holds no state; a Finder is safe for concurrent use.
package peers

import (
	"context"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/matching"
)

// CandidateLimit bounds how many candidates the store pre-ranks (shared and complementary
// themes, another country) for scoring: twice the largest page, while each candidate's profile
// costs the query more than scoring it (make bench: 500 candidates took 350 ms at 10,000
// people, 150 took 230 ms).
const CandidateLimit = 200

// Finder ranks peers.
type Finder struct {
	People bridge.PeopleService
}

// Peers returns the best `first` peers of the person, best first, ties broken by id. The person
// must be visible to the viewer: otherwise NOT_FOUND, exactly as for a person who does not exist.
func (f Finder) Peers(ctx context.Context, viewer bridge.Principal, personID string, filter bridge.PeerFilter, first int) ([]bridge.PeerMatch, error) {
	if err := bridge.ValidateFirst(first); err != nil {
		return nil, err
	}
	me, candidates, themes, err := f.People.PeerCandidates(ctx, viewer, personID, filter, CandidateLimit)
	if err != nil {
		return nil, err
	}
	persp := bridge.SecondPerson
	if viewer.PersonID != personID {
		persp = bridge.ThirdPerson // the secretariat looking at someone else's peers
	}
	return matching.RankAs(persp, me, candidates, themes, filter, first), nil
}

// Candidates answers the secretariat's request "someone on this theme in this country": the
// people who could be suggested, ranked as peers of someone who seeks the theme (those who offer
// it first, then a narrower theme), with the reasons in words for a request. Only the
// secretariat may ask.
func (f Finder) Candidates(ctx context.Context, viewer bridge.Principal, themeID, country string, first int) ([]bridge.PeerMatch, error) {
	if !viewer.IsSecretariat() {
		return nil, bridge.Errorf(bridge.CodeForbidden, "only the secretariat may ask for candidates")
	}
	if err := bridge.ValidateFirst(first); err != nil {
		return nil, err
	}
	candidates, themes, err := f.People.ThemeCandidates(ctx, viewer, themeID, country, CandidateLimit)
	if err != nil {
		return nil, err
	}
	request := bridge.MatchProfile{Themes: []bridge.ThemeLink{{ThemeID: themeID, Mode: bridge.ModeSeeks}}}
	return matching.RankAs(bridge.Request, request, candidates, themes, bridge.PeerFilter{Countries: []string{country}}, first), nil
}
