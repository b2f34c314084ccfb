package app

import (
	"context"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/csvio"
	"github.com/nordic-integration/bridge/internal/imports"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
)

// importStore adapts the store's import (the one `bridge import` writes with) to imports.Store.
type importStore struct{ store *neo4jstore.Store }

var _ imports.Store = importStore{}

func (s importStore) ImportReference(ctx context.Context) (csvio.Reference, error) {
	ref, err := s.store.ImportReference(ctx)
	return csvio.Reference{Countries: ref.Countries, Municipalities: ref.Municipalities, ThemeIDs: ref.ThemeIDs,
		Themes: ref.Themes, Organisations: ref.Organisations}, err
}

func (s importStore) ImportPeople(ctx context.Context, people []bridge.Person, merge func(bridge.Person, *bridge.Person), audit bridge.AuditEntry) (imports.Result, error) {
	res, err := s.store.ImportPeople(ctx, people, neo4jstore.ImportOptions[bridge.Person]{Merge: merge, Audit: &audit})
	return importResult(res), err
}

func (s importStore) ImportOrganisations(ctx context.Context, orgs []bridge.Organisation, merge func(bridge.Organisation, *bridge.Organisation), audit bridge.AuditEntry) (imports.Result, error) {
	res, err := s.store.ImportOrganisations(ctx, orgs, neo4jstore.ImportOptions[bridge.Organisation]{Merge: merge, Audit: &audit})
	return importResult(res), err
}

func importResult(r neo4jstore.ImportResult) imports.Result {
	return imports.Result{Created: r.Created, Updated: r.Updated, Unchanged: r.Unchanged, Skipped: len(r.Skipped)}
}
