package graph

import (
	"context"
	"time"

	"github.com/nordic-integration/bridge/graph/model"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/introductions"
)

// theme returns a theme of the request's vocabulary by key (nil when unknown or empty).
func (l *loaders) theme(ctx context.Context, id string) (*bridge.Theme, error) {
	if id == "" {
		return nil, nil
	}
	idx, err := l.themeVocabulary(ctx)
	if err != nil {
		return nil, err
	}
	return idx.byID[id], nil
}

// introductionMessage is the requester's message for those who may read it: the requester, the
// secretariat, and the person asked once the introduction is proposed.
func introductionMessage(v bridge.Principal, i *bridge.Introduction) string {
	if v.IsSecretariat() {
		return i.Message
	}
	p, ok := i.Party(v.PersonID)
	switch {
	case !ok:
		return ""
	case p.Side == bridge.SideRequester:
		return i.Message
	case i.Status == bridge.StatusRequested:
		return ""
	}
	return i.Message
}

// counterpartID is the other party for a party who may know them: the requester knows whom they
// named; the person asked learns who asks once it is proposed.
func counterpartID(v bridge.Principal, i *bridge.Introduction) string {
	me, ok := i.Party(v.PersonID)
	if !ok {
		return ""
	}
	for _, p := range i.Parties {
		if p.PersonID == me.PersonID {
			continue
		}
		if i.Status == bridge.StatusRequested && me.Side != bridge.SideRequester {
			return ""
		}
		return p.PersonID
	}
	return ""
}

func introductionResult(i bridge.Introduction, err error) (*bridge.Introduction, error) {
	if err != nil {
		return nil, err
	}
	return &i, nil
}

func introductionRequest(in model.RequestIntroductionInput) (bridge.IntroductionRequest, error) {
	r := bridge.IntroductionRequest{Country: optional(in.Country), Message: in.Message, ClientRequestID: in.ClientRequestID}
	var err error
	if in.To != nil {
		if r.ToPersonID, err = decodeID([]string{"input", "to"}, *in.To, typePerson); err != nil {
			return r, err
		}
	}
	if r.ThemeID, err = decodeID([]string{"input", "theme"}, in.Theme, typeTheme); err != nil {
		return r, err
	}
	return r, nil
}

func proposeInput(in model.ProposeIntroductionInput) (introductions.ProposeInput, error) {
	out := introductions.ProposeInput{Message: in.Message, ClientRequestID: in.ClientRequestID}
	return out, decodeIDArgs(
		idArg{[]string{"input", "requester"}, in.Requester, typePerson, &out.RequesterID},
		idArg{[]string{"input", "recipient"}, in.Recipient, typePerson, &out.RecipientID},
		idArg{[]string{"input", "theme"}, in.Theme, typeTheme, &out.ThemeID})
}

// triageInput decodes the secretariat's answer to a member's request.
func triageInput(in model.TriageIntroductionInput) (introductions.ProposeInput, error) {
	var out introductions.ProposeInput
	args := []idArg{{[]string{"input", "introduction"}, in.Introduction, typeIntroduction, &out.IntroductionID}}
	if in.Recipient != nil {
		args = append(args, idArg{[]string{"input", "recipient"}, *in.Recipient, typePerson, &out.RecipientID})
	}
	return out, decodeIDArgs(args...)
}

// idArg is a global id argument of a given type and where its key goes.
type idArg struct {
	path []string
	id   string
	typ  string
	key  *string
}

// decodeIDArgs decodes the id arguments in order; the first bad one is the error.
func decodeIDArgs(args ...idArg) error {
	for _, a := range args {
		key, err := decodeID(a.path, a.id, a.typ)
		if err != nil {
			return err
		}
		*a.key = key
	}
	return nil
}

func introductionConnection(ctx context.Context, r *Resolver, page bridge.IntroductionPage, after *string) *model.IntroductionConnection {
	out := &model.IntroductionConnection{TotalCount: page.Total, PageInfo: pageInfo(page.HasNext, after)}
	l := loadersFrom(ctx, r)
	v := bridge.PrincipalFrom(ctx)
	for k := range page.Items {
		i := &page.Items[k]
		cursor := bridge.IntroductionCursor(*i)
		out.Edges = append(out.Edges, model.IntroductionEdge{Cursor: cursor, Node: i})
		addCursor(out.PageInfo, cursor)
		if id := counterpartID(v, i); id != "" {
			l.people.prime(id)
		}
	}
	statuses := bridge.StoredStatuses
	if !v.IsSecretariat() {
		statuses = []bridge.IntroductionStatus{bridge.StatusRequested, bridge.StatusProposed, bridge.StatusIntroduced,
			bridge.StatusCompleted, bridge.StatusDeclined, bridge.StatusWithdrawn, bridge.StatusNotPossible}
	}
	for _, s := range statuses {
		out.Counts = append(out.Counts, model.IntroductionStatusCount{Status: s, Count: page.Counts[s]})
	}
	return out
}

// respond is acceptIntroduction and declineIntroduction: the party's answer, with a note to the
// secretariat.
func (r *mutationResolver) respond(ctx context.Context, id string, accept bool, note *string) (*bridge.Introduction, error) {
	key, err := decodeID([]string{"id"}, id, typeIntroduction)
	if err != nil {
		return nil, err
	}
	respond := r.Introductions.Decline
	if accept {
		respond = r.Introductions.Accept
	}
	i, err := respond(ctx, bridge.ActorFrom(ctx), key, optional(note))
	return introductionResult(i, err)
}

func (r *mutationResolver) setPaused(ctx context.Context, paused bool) (*bridge.Person, error) {
	v := bridge.ActorFrom(ctx)
	if err := r.Privacy.SetPaused(ctx, v, paused); err != nil {
		return nil, err
	}
	return loadersFrom(ctx, r.Resolver).person(ctx, v.PersonID)
}

func (r *mutationResolver) export(ctx context.Context, personID, rightsRequestID string) (*model.DataExport, error) {
	doc, err := r.Privacy.Export(ctx, bridge.ActorFrom(ctx), personID, rightsRequestID)
	if err != nil {
		return nil, err
	}
	s, _ := doc["exportedAt"].(string)
	at, _ := time.Parse(time.RFC3339Nano, s)
	return &model.DataExport{ExportedAt: at, Document: doc}, nil
}

func (r *mutationResolver) erase(ctx context.Context, personID, rightsRequestID string) (*bridge.ErasureResult, error) {
	res, err := r.Privacy.Erase(ctx, bridge.ActorFrom(ctx), personID, rightsRequestID)
	if err != nil {
		return nil, err
	}
	return &res, nil
}

// introductionFilter turns the GraphQL filter into the domain's, checking ids, codes and the time
// range with the field path.
func introductionFilter(in *model.IntroductionFilter) (bridge.IntroductionFilter, error) {
	var f bridge.IntroductionFilter
	if in == nil {
		return f, nil
	}
	var err error
	f.Statuses, f.Countries, f.Outcomes = in.Status, in.Countries, in.Outcomes
	if err = validateCountries([]string{"filter", "countries"}, f.Countries); err != nil {
		return f, err
	}
	if f.ThemeIDs, err = decodeIDs([]string{"filter", "themes"}, in.Themes, typeTheme); err != nil {
		return f, err
	}
	if in.CreatedAfter != nil {
		f.CreatedAfter = *in.CreatedAfter
	}
	if in.CreatedBefore != nil {
		f.CreatedBefore = *in.CreatedBefore
	}
	if in.HandledBy != nil {
		f.HandledBy = *in.HandledBy
	}
	if !f.CreatedAfter.IsZero() && !f.CreatedBefore.IsZero() && !f.CreatedAfter.Before(f.CreatedBefore) {
		return f, bridge.InvalidInput([]string{"filter", "createdBefore"}, "must be after createdAfter")
	}
	return f, nil
}

// introductionStatistics is the domain's statistics as the schema has them (themes by global id).
func introductionStatistics(st bridge.IntroductionStatistics) *model.IntroductionStatistics {
	tally := func(t bridge.IntroductionTally) *model.IntroductionTally {
		return &model.IntroductionTally{Made: t.Made, Introduced: t.Introduced, Met: t.Met, Useful: t.Useful}
	}
	out := &model.IntroductionStatistics{From: st.From.Format(time.DateOnly), To: st.To.Format(time.DateOnly), Total: tally(st.Total),
		Months: []model.IntroductionMonthTally{}, Countries: []model.IntroductionCountryTally{}, Themes: []model.IntroductionThemeTally{}}
	for _, m := range st.Months {
		out.Months = append(out.Months, model.IntroductionMonthTally{Month: m.Key, Tally: tally(m)})
	}
	for _, c := range st.Countries {
		out.Countries = append(out.Countries, model.IntroductionCountryTally{Country: c.Key, Tally: tally(c)})
	}
	for _, t := range st.Themes {
		out.Themes = append(out.Themes, model.IntroductionThemeTally{Theme: bridge.GlobalID(typeTheme, t.Key), Tally: tally(t)})
	}
	return out
}
