package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/nordic-integration/bridge/graph/model"
	"github.com/nordic-integration/bridge/graph/relay"
	"github.com/nordic-integration/bridge/internal/bridge"
)

// Helpers of the people resolvers: argument decoding and connection building, kept out of the
// generated resolver file.

// decodeIDs decodes a list of global ids of one type into keys.
func decodeIDs(path []string, ids []string, wantType string) ([]string, error) {
	out := make([]string, 0, len(ids))
	for i, id := range ids {
		key, err := decodeID(append(append([]string{}, path...), fmt.Sprint(i)), id, wantType)
		if err != nil {
			return nil, err
		}
		out = append(out, key)
	}
	return out, nil
}

func validateCountries(path []string, codes []string) error {
	for i, c := range codes {
		if err := bridge.ValidateCountryCode(append(append([]string{}, path...), fmt.Sprint(i)), c); err != nil {
			return err
		}
	}
	return nil
}

func validateLangs(path []string, langs []string) error {
	for i, l := range langs {
		if err := validateLang(l); err != nil {
			return bridge.InvalidInput(append(append([]string{}, path...), fmt.Sprint(i)), "a language is a two-letter ISO 639-1 code such as sv")
		}
	}
	return nil
}

// peopleFilter turns the GraphQL filter into the domain's, validating every field.
func peopleFilter(in *model.PeopleFilter) (bridge.PeopleFilter, error) {
	var f bridge.PeopleFilter
	if in == nil {
		return f, nil
	}
	var err error
	f.Text, f.Countries, f.Languages, f.OrganisationKinds = optional(in.Text), in.Countries, in.Languages, in.OrganisationKinds
	if len(f.Text) > 200 {
		return f, bridge.InvalidInput([]string{"filter", "text"}, "at most 200 characters")
	}
	if err = validateCountries([]string{"filter", "countries"}, f.Countries); err != nil {
		return f, err
	}
	if err = validateLangs([]string{"filter", "languages"}, f.Languages); err != nil {
		return f, err
	}
	if f.ThemeIDs, err = decodeIDs([]string{"filter", "themes"}, in.Themes, typeTheme); err != nil {
		return f, err
	}
	if f.GroupIDs, err = decodeIDs([]string{"filter", "expertGroups"}, in.ExpertGroups, typeExpertGroup); err != nil {
		return f, err
	}
	if f.RegionIDs, err = decodeIDs([]string{"filter", "regions"}, in.Regions, typeRegion); err != nil {
		return f, err
	}
	if f.MunicipalityIDs, err = decodeIDs([]string{"filter", "municipalities"}, in.Municipalities, typeMunicipality); err != nil {
		return f, err
	}
	f.SizeClasses, f.OpenToIntroductions = in.SizeClasses, in.OpenToIntroductions
	if in.ThemeMode != nil {
		f.ThemeMode = *in.ThemeMode
	}
	return f, nil
}

// peerFilter turns the GraphQL peer filter into the domain's.
func peerFilter(in *model.PeerFilter) (bridge.PeerFilter, error) {
	var f bridge.PeerFilter
	if in == nil {
		return f, nil
	}
	var err error
	f.Countries, f.Languages, f.OrganisationKinds = in.Countries, in.Languages, in.OrganisationKinds
	f.ExcludeOwnCountry = in.ExcludeMyCountry != nil && *in.ExcludeMyCountry
	if err = validateCountries([]string{"filter", "countries"}, f.Countries); err != nil {
		return f, err
	}
	if err = validateLangs([]string{"filter", "languages"}, f.Languages); err != nil {
		return f, err
	}
	f.ThemeIDs, err = decodeIDs([]string{"filter", "themes"}, in.Themes, typeTheme)
	return f, err
}

// personConnection builds a connection from a page of people and primes the loaders for what
// the next level will ask for.
func personConnection(l *loaders, res bridge.PeopleResult, after *string) *model.PersonConnection {
	return personConnectionFrom(l, res, after, -1)
}

// personConnectionFrom is personConnection whose ranked cursors also hold each person's position
// in the whole list, base being the position of the person before the page (0 on the first
// page; -1: not known, and the cursors hold none).
func personConnectionFrom(l *loaders, res bridge.PeopleResult, after *string, base int) *model.PersonConnection {
	l.primePeopleLinks(res.People)
	conn := &model.PersonConnection{TotalCount: res.TotalCount, TotalCountIsExact: !res.TotalCountCapped, PageInfo: pageInfo(res.HasNextPage, after),
		Edges: make([]model.PersonEdge, 0, len(res.People))}
	for i := range res.People {
		p := &res.People[i]
		cursor := bridge.PersonCursor(personName(p), p.ID)
		if res.Ranks != nil {
			position := 0
			if base >= 0 {
				position = base + i + 1
			}
			cursor = bridge.RankedPersonCursor(res.Ranks[i], personName(p), p.ID, position)
		}
		conn.Edges = append(conn.Edges, model.PersonEdge{Cursor: cursor, Node: p})
		addCursor(conn.PageInfo, cursor)
	}
	return conn
}

// skipsCount says that the connection field of ctx asks for neither its count nor whether the
// count is exact, so that the page may be read without counting (PeoplePage.SkipCount).
func skipsCount(ctx context.Context) bool {
	fields := graphql.CollectAllFields(ctx)
	return !slices.Contains(fields, "totalCount") && !slices.Contains(fields, "totalCountIsExact")
}

// personName is the name people are sorted by (as stored: given name, space, family name).
func personName(p *bridge.Person) string { return p.DisplayName() }

// person returns the visible person with the id, or nil.
func (l *loaders) person(ctx context.Context, id string) (*bridge.Person, error) {
	if id == "" {
		return nil, nil
	}
	p, ok, err := l.people.load(ctx, id)
	if err != nil || !ok {
		return nil, err
	}
	return &p, nil
}

func (l *loaders) organisation(ctx context.Context, id string) (*bridge.Organisation, error) {
	if id == "" {
		return nil, nil
	}
	o, ok, err := l.organisations.load(ctx, id)
	if err != nil || !ok {
		return nil, err
	}
	return &o, nil
}

func (l *loaders) municipality(ctx context.Context, id string) (*bridge.Municipality, error) {
	if id == "" {
		return nil, nil
	}
	m, ok, err := l.municipalities.load(ctx, id)
	if err != nil || !ok {
		return nil, err
	}
	return &m, nil
}

// themesByID returns the themes with the ids, in the order given, skipping unknown ones.
func (l *loaders) themesByID(ctx context.Context, ids []string) ([]bridge.Theme, error) {
	idx, err := l.themeVocabulary(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]bridge.Theme, 0, len(ids))
	for _, id := range ids {
		if t := idx.byID[id]; t != nil {
			out = append(out, *t)
		}
	}
	return out, nil
}

// stepText says in words what links two people of a path.
func stepText(s *bridge.PathStep) string {
	switch s.ViaKind {
	case bridge.ViaOrganisation:
		return "both work at " + s.ViaName
	case bridge.ViaGroup:
		return "both are members of " + s.ViaName
	case bridge.ViaEvent:
		return "both attended " + s.ViaName
	default:
		return "were introduced earlier"
	}
}

// facets converts the facet counts; theme and group values become global ids, which is what
// the filter takes back. Labels come with the counts, so facets cost one round trip.
func facets(f bridge.PeopleFacets) *model.PeopleFacets {
	conv := func(counts []bridge.FacetCount, idType string) []model.FacetCount {
		out := make([]model.FacetCount, 0, len(counts))
		for _, c := range counts {
			fc := model.FacetCount{Value: c.Value, Count: c.Count, Label: nonEmpty(c.Label)}
			if idType != "" {
				fc.Value = bridge.GlobalID(idType, c.Value)
			}
			out = append(out, fc)
		}
		return out
	}
	return &model.PeopleFacets{
		Countries:         conv(f.Countries, ""),
		Themes:            conv(f.Themes, typeTheme),
		OrganisationKinds: conv(f.OrganisationKinds, ""),
		Languages:         conv(f.Languages, ""),
		ExpertGroups:      conv(f.Groups, typeExpertGroup),
		CountsAreExact:    !f.Sampled,
	}
}

// programmeNode finds a group, event or practice by key for node(id:); nil when there is none.
func programmeNode(ctx context.Context, l *loaders, typeName, key string) (relay.Node, error) {
	idx, err := l.programmeSets(ctx)
	if err != nil {
		return nil, err
	}
	switch typeName {
	case typeExpertGroup:
		if g := idx.groupByID[key]; g != nil {
			return g, nil
		}
	case typeEvent:
		if e := idx.eventByID[key]; e != nil {
			return e, nil
		}
	case typePractice:
		for i := range idx.practices {
			if idx.practices[i].ID == key {
				return &idx.practices[i], nil
			}
		}
	}
	return nil, nil
}

// peoplePage validates first (1–100) and decodes the after cursor of a list of people.
func peoplePage(first int, after *string) (bridge.PeoplePage, error) {
	if err := bridge.ValidateFirst(first); err != nil {
		return bridge.PeoplePage{}, err
	}
	page := bridge.PeoplePage{First: first}
	if a := optional(after); a != "" {
		var err error
		if page.AfterName, page.AfterID, err = bridge.ParsePersonCursor([]string{"after"}, a); err != nil {
			return bridge.PeoplePage{}, err
		}
	}
	return page, nil
}

// searchPage is the page of a people search: the order (orderBy, else relevance when there is
// text and name order otherwise) and its cursor, which must be one of that order.
func searchPage(f bridge.PeopleFilter, orderBy *bridge.PeopleOrder, first int, after *string) (bridge.PeoplePage, error) {
	order := bridge.OrderName
	if strings.TrimSpace(f.Text) != "" {
		order = bridge.OrderRelevance
	}
	if orderBy != nil {
		order = *orderBy
	}
	if order != bridge.OrderRelevance || strings.TrimSpace(f.Text) == "" {
		// Relevance without text is name order, with name cursors.
		page, err := peoplePage(first, after)
		page.Order = bridge.OrderName
		return page, err
	}
	if err := bridge.ValidateFirst(first); err != nil {
		return bridge.PeoplePage{}, err
	}
	page := bridge.PeoplePage{First: first, Order: bridge.OrderRelevance}
	if a := optional(after); a != "" {
		var err error
		if page.AfterRank, page.AfterName, page.AfterID, page.AfterPosition, err = bridge.ParseRankedPersonCursor([]string{"after"}, a); err != nil {
			return bridge.PeoplePage{}, err
		}
	}
	return page, nil
}

// profileInput turns the GraphQL input into the domain's; validation is the domain's.
func profileInput(in model.MyProfileInput) (bridge.ProfileInput, error) {
	out := bridge.ProfileInput{GivenName: in.GivenName, FamilyName: in.FamilyName, Title: optional(in.Title),
		Bio: optional(in.Bio), Phone: optional(in.Phone), Languages: in.Languages, CountryCode: in.Country,
		OpenToIntroductions: in.OpenToIntroductions, IntroductionsPerQuarter: in.IntroductionsPerQuarter}
	if in.Language != nil {
		if err := bridge.ValidateLanguage([]string{"input", "language"}, *in.Language); err != nil {
			return out, err
		}
		out.Language = *in.Language
	}
	if in.Municipality != nil {
		key, err := decodeID([]string{"input", "municipality"}, *in.Municipality, typeMunicipality)
		if err != nil {
			return out, err
		}
		out.MunicipalityID = key
	}
	return out, nil
}

// profilePatch is the change in input (an update changes only the fields given). The store
// applies it to the profile as it reads it in the edit's transaction, whose version check makes
// the read and the write one step: if the profile changed since the client loaded
// expectedVersion, CONFLICT.
func profilePatch(input model.ProfileChangesInput) (bridge.ProfilePatch, error) {
	patch := bridge.ProfilePatch{GivenName: input.GivenName, FamilyName: input.FamilyName, CountryCode: input.Country,
		OpenToIntroductions: input.OpenToIntroductions, IntroductionsPerQuarter: input.IntroductionsPerQuarter,
		Title: clearable(input.Title), Bio: clearable(input.Bio), Phone: clearable(input.Phone)}
	if input.Languages != nil {
		patch.Languages = &input.Languages
	}
	if input.Language != nil {
		if err := bridge.ValidateLanguage([]string{"input", "language"}, *input.Language); err != nil {
			return bridge.ProfilePatch{}, err
		}
		patch.Language = input.Language
	}
	if m := clearable(input.Municipality); m != nil && *m != "" {
		key, err := decodeID([]string{"input", "municipality"}, *m, typeMunicipality)
		if err != nil {
			return bridge.ProfilePatch{}, err
		}
		patch.MunicipalityID = &key
	} else {
		patch.MunicipalityID = m
	}
	return patch, nil
}

// clearable is a field of a change that null clears: nil when left out, "" for null.
func clearable(v graphql.Omittable[*string]) *string {
	s, given := v.ValueOK()
	switch {
	case !given:
		return nil
	case s == nil:
		return new(string)
	}
	return s
}

// ownOrSecretariat tells whether the viewer is the person or the secretariat: who may read the
// fields of a profile that are about managing it (FieldPolicy).
func ownOrSecretariat(ctx context.Context, p *bridge.Person) bool {
	v := bridge.PrincipalFrom(ctx)
	return v.IsSecretariat() || (v.PersonID != "" && p.ID == v.PersonID)
}

// groupMember decodes the ids of a membership change, lets change do it and returns the group.
func groupMember(ctx context.Context, r *Resolver, group, person string, change func(groupKey, personKey string) error) (*bridge.ExpertGroup, error) {
	groupKey, err := decodeID([]string{"group"}, group, typeExpertGroup)
	if err != nil {
		return nil, err
	}
	personKey, err := decodeID([]string{"person"}, person, typePerson)
	if err != nil {
		return nil, err
	}
	if err := change(groupKey, personKey); err != nil {
		return nil, err
	}
	idx, err := loadersFrom(ctx, r).programmeSets(ctx)
	if err != nil {
		return nil, err
	}
	return idx.groupByID[groupKey], nil
}

// attendance decodes the event's id, runs the change and returns the event as it now is.
func attendance(ctx context.Context, r *Resolver, event string, change func(eventKey string) error) (*bridge.Event, error) {
	eventKey, err := decodeID([]string{"event"}, event, typeEvent)
	if err != nil {
		return nil, err
	}
	if err := change(eventKey); err != nil {
		return nil, err
	}
	idx, err := loadersFrom(ctx, r).programmeSets(ctx)
	if err != nil {
		return nil, err
	}
	return idx.eventByID[eventKey], nil
}

// organisationInput turns the GraphQL input into a domain organisation (without its key).
func organisationInput(in model.OrganisationInput) (bridge.Organisation, error) {
	o := bridge.Organisation{Name: in.Name, NameEn: optional(in.NameEn), Kind: in.Kind, Description: optional(in.Description),
		CountryCode: optional(in.Country), Website: optional(in.Website), Active: in.Active == nil || *in.Active,
		ParentConfirmed: in.ParentConfirmed != nil && *in.ParentConfirmed, Source: "secretariat"}
	var err error
	if in.Municipality != nil {
		if o.MunicipalityID, err = decodeID([]string{"input", "municipality"}, *in.Municipality, typeMunicipality); err != nil {
			return o, err
		}
	}
	if in.Parent != nil {
		if o.ParentID, err = decodeID([]string{"input", "parent"}, *in.Parent, typeOrganisation); err != nil {
			return o, err
		}
	}
	return o, nil
}

// freshOrganisation reads an organisation after a change (not from the request's loaders).
func freshOrganisation(ctx context.Context, r *Resolver, id string) (*bridge.Organisation, error) {
	got, err := r.OrganisationService.OrganisationsByIDs(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	o, ok := got[id]
	if !ok {
		return nil, bridge.Errorf(bridge.CodeNotFound, "no such organisation")
	}
	return &o, nil
}

// optionalMode is a theme mode, or null when it is not known.
func optionalMode(m bridge.ThemeMode) *bridge.ThemeMode {
	if m == "" {
		return nil
	}
	return &m
}

// personPartsField maps the Person fields whose values come from a linked part of the store's
// projection to that part. A new Person field that reads one of these parts of its *bridge.Person
// (rather than through a loader by id) must be added here, or lists that do not ask for the
// part would show it empty; TestRelationsProjectWhatIsAsked compares every such field through a
// relation and directly.
var personPartsField = map[string]bridge.PersonParts{
	"municipality": bridge.PartMunicipality, "themes": bridge.PartThemes, "affiliations": bridge.PartAffiliations,
	"memberships": bridge.PartMemberships, "events": bridge.PartEvents,
	"email": bridge.PartContact, "phone": bridge.PartContact, "version": bridge.PartContact,
	"language": bridge.PartSettings, "practices": bridge.PartPractices,
}

// selectedPersonParts is what the connection field being resolved asks of its people
// (edges.node, fragments included): the store then projects those parts only.
func selectedPersonParts(ctx context.Context) bridge.PersonParts {
	fc, oc := graphql.GetFieldContext(ctx), graphql.GetOperationContext(ctx)
	if fc == nil || oc == nil {
		return 0
	}
	parts := bridge.PartsNone
	for _, f := range graphql.CollectFields(oc, fc.Field.Selections, nil) {
		if f.Name != "edges" {
			continue
		}
		for _, e := range graphql.CollectFields(oc, f.Selections, nil) {
			if e.Name != "node" {
				continue
			}
			for _, n := range graphql.CollectFields(oc, e.Selections, []string{"Person", "Node"}) {
				parts |= personPartsField[n.Name]
			}
		}
	}
	return parts
}
