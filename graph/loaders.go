package graph

import (
	"context"
	"sync"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// loaders holds what one request has already read, so that a field asked for on every element of
// a list costs one round trip per nesting level, not one per element. It lives in the request's
// context (see NewHandler) and dies with it: nothing is cached across requests.
type loaders struct {
	countrySvc bridge.CountryService
	themeSvc   bridge.ThemeService

	people         *batchLoader[string, bridge.Person]
	organisations  *batchLoader[string, bridge.Organisation]
	municipalities *batchLoader[string, bridge.Municipality]
	introducible   *batchLoader[string, bool]
	consents       *batchLoader[string, []bridge.Consent]
	relatedMu      sync.Mutex
	related        map[relatedKey]*batchLoader[string, bridge.PeopleResult]
	relatedPending map[bridge.Relation][]string
	relatedFetch   func(ctx context.Context, rel bridge.Relation, parents []string, p bridge.PeoplePage) (map[string]bridge.PeopleResult, error)

	programmeOnce sync.Once
	programme     *programmeIndex
	programmeErr  error
	programmeSvc  bridge.ProgrammeService

	themesOnce sync.Once
	themes     *themeIndex
	themesErr  error

	countriesOnce sync.Once
	countries     map[string]*bridge.Country
	countriesErr  error
}

type loadersKey struct{}

func withLoaders(ctx context.Context, r *Resolver) context.Context {
	return context.WithValue(ctx, loadersKey{}, newLoaders(r))
}

func loadersFrom(ctx context.Context, r *Resolver) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return newLoaders(r) // outside a request (tests): no sharing
}

// newLoaders builds the loaders of one request. The viewer is read from the context at fetch
// time, so a loader never serves one viewer's people to another.
func newLoaders(r *Resolver) *loaders {
	l := &loaders{countrySvc: r.CountryService, themeSvc: r.ThemeService, programmeSvc: r.ProgrammeService,
		related: map[relatedKey]*batchLoader[string, bridge.PeopleResult]{}, relatedPending: map[bridge.Relation][]string{}}
	// Each fetch primes what the next level will ask for, so that level too is one round trip.
	l.people = newBatchLoader(func(ctx context.Context, ids []string) (map[string]bridge.Person, error) {
		got, err := r.PeopleService.PeopleByIDs(ctx, bridge.PrincipalFrom(ctx), ids)
		for _, p := range got {
			l.primePeopleLinks([]bridge.Person{p})
		}
		return got, err
	})
	l.organisations = newBatchLoader(func(ctx context.Context, ids []string) (map[string]bridge.Organisation, error) {
		got, err := r.OrganisationService.OrganisationsByIDs(ctx, ids)
		for _, o := range got {
			l.primeOrganisationLinks(o)
		}
		return got, err
	})
	l.municipalities = newBatchLoader(func(ctx context.Context, ids []string) (map[string]bridge.Municipality, error) {
		return r.PlaceService.MunicipalitiesByIDs(ctx, ids)
	})
	l.introducible = newBatchLoader(func(ctx context.Context, ids []string) (map[string]bool, error) {
		return r.Introductions.Introducible(ctx, bridge.ActorFrom(ctx), ids)
	})
	l.consents = newBatchLoader(func(ctx context.Context, ids []string) (map[string][]bridge.Consent, error) {
		return r.Privacy.ConsentsOf(ctx, bridge.ActorFrom(ctx), ids)
	})
	l.relatedFetch = func(ctx context.Context, rel bridge.Relation, parents []string, p bridge.PeoplePage) (map[string]bridge.PeopleResult, error) {
		got, err := r.PeopleService.Related(ctx, bridge.PrincipalFrom(ctx), rel, parents, p)
		for _, res := range got {
			l.primePeopleLinks(res.People)
		}
		return got, err
	}
	return l
}

type relatedKey struct {
	rel  bridge.Relation
	page bridge.PeoplePage
}

// primeRelated registers parents whose related people (staff, members, attendees) may be asked
// for, so that one round trip serves the whole list.
func (l *loaders) primeRelated(rel bridge.Relation, parents ...string) {
	l.relatedMu.Lock()
	defer l.relatedMu.Unlock()
	l.relatedPending[rel] = append(l.relatedPending[rel], parents...)
}

// relatedPeople returns one page of the people related to parent, batched with every primed
// parent of the same relation and page arguments.
func (l *loaders) relatedPeople(ctx context.Context, rel bridge.Relation, parent string, page bridge.PeoplePage) (bridge.PeopleResult, error) {
	page.Parts = selectedPersonParts(ctx) // ctx is the connection field's: what its people are asked for
	page.SkipCount = skipsCount(ctx)
	l.relatedMu.Lock()
	key := relatedKey{rel, page}
	b, ok := l.related[key]
	if !ok {
		b = newBatchLoader(func(ctx context.Context, parents []string) (map[string]bridge.PeopleResult, error) {
			return l.relatedFetch(ctx, rel, parents, page)
		})
		l.related[key] = b
	}
	b.prime(l.relatedPending[rel]...)
	l.relatedMu.Unlock()
	res, _, err := b.load(ctx, parent)
	return res, err
}

// primePeopleLinks registers what the next level of a list of people will ask for.
func (l *loaders) primePeopleLinks(people []bridge.Person) {
	for _, p := range people {
		if p.MunicipalityID != "" {
			l.municipalities.prime(p.MunicipalityID)
		}
		for _, a := range p.Affiliations {
			l.organisations.prime(a.OrganisationID)
		}
	}
}

// primeOrganisationLinks registers what the next level of an organisation will ask for.
func (l *loaders) primeOrganisationLinks(o bridge.Organisation) {
	l.primeRelated(bridge.RelationStaff, o.ID)
	if o.MunicipalityID != "" {
		l.municipalities.prime(o.MunicipalityID)
	}
	if o.ParentID != "" {
		l.organisations.prime(o.ParentID)
	}
}

// primePractices registers what the next level of a list of practices will ask for: their
// organisations, municipalities and the people behind them, each one round trip for the list.
func primePractices(l *loaders, practices []bridge.Practice) {
	for _, p := range practices {
		l.organisations.prime(p.OrganisationIDs...)
		l.municipalities.prime(p.MunicipalityIDs...)
		l.primeRelated(bridge.RelationPractice, p.ID)
	}
}

// programmeIndex is the programme's groups, events and practices of one request.
type programmeIndex struct {
	groups       []bridge.ExpertGroup
	events       []bridge.Event
	practices    []bridge.Practice
	groupByID    map[string]*bridge.ExpertGroup
	eventByID    map[string]*bridge.Event
	practiceByID map[string]*bridge.Practice
}

// programmeSets reads the groups, events and practices once per request (small sets, one round
// trip).
func (l *loaders) programmeSets(ctx context.Context) (*programmeIndex, error) {
	l.programmeOnce.Do(func() {
		idx := &programmeIndex{groupByID: map[string]*bridge.ExpertGroup{}, eventByID: map[string]*bridge.Event{},
			practiceByID: map[string]*bridge.Practice{}}
		prog, err := l.programmeSvc.Programme(ctx)
		if err != nil {
			l.programmeErr = err
			return
		}
		idx.groups, idx.events, idx.practices = prog.Groups, prog.Events, prog.Practices
		for i := range idx.groups {
			idx.groupByID[idx.groups[i].ID] = &idx.groups[i]
		}
		for i := range idx.events {
			idx.eventByID[idx.events[i].ID] = &idx.events[i]
		}
		for i := range idx.practices {
			idx.practiceByID[idx.practices[i].ID] = &idx.practices[i]
		}
		l.programme = idx
	})
	return l.programme, l.programmeErr
}

// country returns the country with the code. The eight countries are one small fixed set, so the
// first call reads all of them in one round trip and every later call in the request, from any
// goroutine, is answered from that read: no timer, no per-element query.
func (l *loaders) country(ctx context.Context, code string) (*bridge.Country, error) {
	l.countriesOnce.Do(func() {
		cs, err := l.countrySvc.Countries(ctx)
		if err != nil {
			l.countriesErr = err
			return
		}
		l.countries = make(map[string]*bridge.Country, len(cs))
		for i := range cs {
			l.countries[cs[i].Code] = &cs[i]
		}
	})
	if l.countriesErr != nil {
		return nil, l.countriesErr
	}
	return l.countries[code], nil
}

// themeIndex is the theme vocabulary of one request, with the narrower links derived from the
// broader ones.
type themeIndex struct {
	list     []bridge.Theme
	byID     map[string]*bridge.Theme
	narrower map[string][]*bridge.Theme
}

// themeVocabulary reads the whole vocabulary once per request (tens of themes, one round trip),
// so that broader and narrower at any depth cost nothing more.
func (l *loaders) themeVocabulary(ctx context.Context) (*themeIndex, error) {
	l.themesOnce.Do(func() {
		ts, err := l.themeSvc.Themes(ctx)
		if err != nil {
			l.themesErr = err
			return
		}
		idx := &themeIndex{list: ts, byID: make(map[string]*bridge.Theme, len(ts)), narrower: map[string][]*bridge.Theme{}}
		for i := range idx.list {
			idx.byID[idx.list[i].ID] = &idx.list[i]
		}
		for i := range idx.list {
			for _, b := range idx.list[i].Broader {
				idx.narrower[b] = append(idx.narrower[b], &idx.list[i])
			}
		}
		l.themes = idx
	})
	return l.themes, l.themesErr
}
