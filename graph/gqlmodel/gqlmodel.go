// Package gqlmodel holds the hand-written Go types that gqlgen binds GraphQL types to where a
// generated model would lack what a field resolver needs (such as the filter behind a result,
// so that facets are computed only when asked for).
package gqlmodel

import (
	"github.com/nordic-integration/bridge/graph/model"
	"github.com/nordic-integration/bridge/internal/bridge"
)

// PeopleSearchResult is one page of a people search; Filter is kept for the facets field.
type PeopleSearchResult struct {
	TotalCount int
	// TotalCountIsExact is false when more people match (a text search counts up to
	// bridge.CountCap).
	TotalCountIsExact bool
	Edges             []model.PersonEdge
	PageInfo          *model.PageInfo
	Filter            bridge.PeopleFilter
}

// PersonTheme is one theme of a person with the theme itself, looked up in the request's theme
// vocabulary by the Person.themes resolver (one call per person), so that PersonTheme.theme is a
// plain field: gqlgen runs every resolver field of every list element in a goroutine of its own,
// and the 3-level read (organisations → staff → themes) spent most of Bridge's own time there.
type PersonTheme struct {
	Theme *bridge.Theme
	Mode  bridge.ThemeMode
}
