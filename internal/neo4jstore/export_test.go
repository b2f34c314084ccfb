package neo4jstore

import (
	"context"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// CreateMigrationRecordForTest creates a Migration node with CREATE (not MERGE), to provoke a
// uniqueness violation in tests.
func (s *Store) CreateMigrationRecordForTest(ctx context.Context, id string) error {
	_, err := s.write(ctx, "test_create_migration", statement{query: `CREATE (:Migration {id: $id})`, params: map[string]any{"id": id}})
	return err
}

// ReadForTest runs a read query as the store's reads run (its timeout, error translation).
func (s *Store) ReadForTest(ctx context.Context, query string) error {
	_, err := s.read(ctx, "test_read", query, nil)
	return err
}

// BookmarksForTest is how many bookmarks the store's manager holds.
func (s *Store) BookmarksForTest(ctx context.Context) int {
	b, _ := s.bookmarks.GetBookmarks(ctx)
	return len(b)
}

// FillWorksOnKeysForTest runs the data step of migration 0015 (the theme and person ids of every
// WORKS_ON relationship that lacks them).
func (s *Store) FillWorksOnKeysForTest(ctx context.Context) error {
	return dataSteps["0015_works_on_keys"](ctx, s)
}

// FillLinkNamesForTest runs the data step of migration 0017 (the person's name and id on every
// WORKS_ON and LOCATED_IN, the municipality's id on LOCATED_IN).
func (s *Store) FillLinkNamesForTest(ctx context.Context) error {
	return s.inBatches(ctx, "person_name_on_links", qLinkNames)
}

// SearchPeopleEveryMatchForTest is SearchPeople with a text search's first page read from every
// match (peopleByText), as before textFirstPageRows: the reference its pages must equal.
func (s *Store) SearchPeopleEveryMatchForTest(ctx context.Context, v bridge.Principal, f bridge.PeopleFilter, p bridge.PeoplePage) (bridge.PeopleResult, error) {
	return s.searchPeople(ctx, v, f, p, true)
}
