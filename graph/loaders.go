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

	themesOnce sync.Once
	themes     *themeIndex
	themesErr  error

	countriesOnce sync.Once
	countries     map[string]*bridge.Country
	countriesErr  error
}

type loadersKey struct{}

func withLoaders(ctx context.Context, r *Resolver) context.Context {
	return context.WithValue(ctx, loadersKey{}, &loaders{countrySvc: r.CountryService, themeSvc: r.ThemeService})
}

func loadersFrom(ctx context.Context, r *Resolver) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return &loaders{countrySvc: r.CountryService, themeSvc: r.ThemeService} // outside a request (tests): no sharing
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
