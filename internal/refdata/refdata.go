// Package refdata serves the reference data every page needs — the eight countries and
// territories and the theme vocabulary — from memory instead of one Cypher round trip per request
// (issue 15: "reference data served from memory and refreshed when the secretariat changes it").
//
// A Cache wraps the store's CountryService and ThemeService. It reads each set whole (eight
// countries, tens of themes) on first use and again once it is older than its TTL; Invalidate
// (called by the programme use case after the secretariat saves a theme) makes the next read go to
// the store at once. Another instance learns of a change within the TTL: the README states it.
// Concurrent refreshes share one read (singleflight), and a refresh that fails keeps serving the
// previous copy, so a Neo4j hiccup does not take the vocabulary out of every page; without any
// copy the error is returned as the store gave it.
//
// Written here rather than taken from a caching library: two small sets, read whole, with a TTL
// and an explicit invalidation — a sync.Mutex and golang.org/x/sync/singleflight cover it.
package refdata

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// refreshTimeout bounds one refresh, which runs detached from the request that triggered it (the
// other requests waiting on it must not fail because the first one was cancelled).
const refreshTimeout = 5 * time.Second

// Cache is a CountryService and ThemeService in memory. Its zero TTL disables caching: every
// call goes to the store (what tests that write reference data directly want).
type Cache struct {
	countries bridge.CountryService
	themes    bridge.ThemeService
	ttl       time.Duration
	now       func() time.Time

	group singleflight.Group
	mu    sync.Mutex
	cs    []bridge.Country
	csAt  time.Time
	ts    []bridge.Theme
	tsAt  time.Time
	gen   uint64 // bumped by Invalidate; a refresh started before it does not store its result
}

// New returns a cache over the store's services; now is the clock (nil: time.Now).
func New(countries bridge.CountryService, themes bridge.ThemeService, ttl time.Duration, now func() time.Time) *Cache {
	if now == nil {
		now = time.Now
	}
	return &Cache{countries: countries, themes: themes, ttl: ttl, now: now}
}

var (
	_ bridge.CountryService = (*Cache)(nil)
	_ bridge.ThemeService   = (*Cache)(nil)
)

// Invalidate makes the next read of either set go to the store.
func (c *Cache) Invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cs, c.ts = nil, nil
	c.gen++
}

// Countries returns all countries and territories ordered by code (a copy the caller may keep).
func (c *Cache) Countries(ctx context.Context) ([]bridge.Country, error) {
	cs, err := load(c, ctx, "countries", func(c *Cache) (*[]bridge.Country, *time.Time) { return &c.cs, &c.csAt }, c.countries.Countries)
	return slices.Clone(cs), err
}

// CountryByCode returns the country with the code, or nil when there is none.
func (c *Cache) CountryByCode(ctx context.Context, code string) (*bridge.Country, error) {
	if c.ttl <= 0 {
		return c.countries.CountryByCode(ctx, code)
	}
	cs, err := c.Countries(ctx)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		if cs[i].Code == code {
			return &cs[i], nil
		}
	}
	return nil, nil
}

// Themes returns every theme ordered by id (a copy; its slices are shared and must not be
// changed).
func (c *Cache) Themes(ctx context.Context) ([]bridge.Theme, error) {
	ts, err := load(c, ctx, "themes", func(c *Cache) (*[]bridge.Theme, *time.Time) { return &c.ts, &c.tsAt }, c.themes.Themes)
	return slices.Clone(ts), err
}

// load returns the cached set when it is fresh, and otherwise reads it (once for all callers
// waiting), keeping the stale copy when the read fails.
func load[T any](c *Cache, ctx context.Context, key string, slot func(*Cache) (*[]T, *time.Time),
	read func(context.Context) ([]T, error)) ([]T, error) {
	if c.ttl <= 0 {
		return read(ctx)
	}
	c.mu.Lock()
	set, at := slot(c)
	cached, fresh, gen := *set, *set != nil && c.now().Sub(*at) < c.ttl, c.gen
	c.mu.Unlock()
	if fresh {
		return cached, nil
	}
	// Keyed by generation too: a caller after Invalidate never joins a read started before it.
	v, err, _ := c.group.Do(key+"/"+strconv.FormatUint(gen, 10), func() (any, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshTimeout)
		defer cancel()
		got, err := read(rctx)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.gen == gen {
			set, at := slot(c)
			*set, *at = got, c.now()
		}
		return got, nil
	})
	if err != nil {
		if cached != nil {
			return cached, nil // the previous copy, until the store answers again
		}
		return nil, err
	}
	return v.([]T), nil
}
