// Package imports is the secretariat's import of people and organisations through the API (the
// browser's /desk/import): check a CSV file with a column mapping, and apply it in one
// transaction. The file's rules are package csvio's, the same as `bridge import`'s. It owns the
// Store interface it needs; internal/app adapts package neo4jstore to it.
package imports

import (
	"context"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/csvio"
)

// Kind is what a file holds.
type Kind string

const (
	People        Kind = "PEOPLE"
	Organisations Kind = "ORGANISATIONS"
)

// Result says what an apply did.
type Result struct {
	Created, Updated, Unchanged, Skipped int
}

// Store is what the service needs of the database: the reference data rows point to, and the
// one-transaction writes of `bridge import`, with the audit entry written in the same
// transaction.
type Store interface {
	ImportReference(ctx context.Context) (csvio.Reference, error)
	ImportPeople(ctx context.Context, people []bridge.Person, merge func(bridge.Person, *bridge.Person), audit bridge.AuditEntry) (Result, error)
	ImportOrganisations(ctx context.Context, orgs []bridge.Organisation, merge func(bridge.Organisation, *bridge.Organisation), audit bridge.AuditEntry) (Result, error)
}

// Check is a file as checked: its layout (header, mapping used, rows), the columns of its kind
// and every problem with its line, column and suggestions.
type Check struct {
	csvio.Layout
	Known    []string
	Problems []csvio.RowError
}

// Service checks and applies imports for the secretariat only.
type Service struct {
	Store Store
}

// parsed is a file after parsing: the check and, without problems, the write.
type parsed struct {
	check Check
	write func(ctx context.Context, audit bridge.AuditEntry) (Result, error)
}

func (s Service) parse(ctx context.Context, kind Kind, text string, mapping []string) (parsed, error) {
	if len(text) > csvio.MaxFileBytes {
		return parsed{}, bridge.InvalidInput([]string{"csv"}, "the file is larger than %d MiB", csvio.MaxFileBytes>>20)
	}
	ref, err := s.Store.ImportReference(ctx)
	if err != nil {
		return parsed{}, err
	}
	opts := csvio.Options{Mapping: mapping}
	var p parsed
	switch kind {
	case People:
		f, layout, errs, err := csvio.ParsePeopleWith(strings.NewReader(text), ref, opts)
		if err != nil {
			return parsed{}, err
		}
		p.check = Check{Layout: layout, Known: csvio.PeopleColumns(), Problems: errs}
		if f != nil {
			p.write = func(ctx context.Context, a bridge.AuditEntry) (Result, error) {
				return s.Store.ImportPeople(ctx, f.People(), f.Merge, a)
			}
		}
	case Organisations:
		f, layout, errs, err := csvio.ParseOrganisationsWith(strings.NewReader(text), ref, opts)
		if err != nil {
			return parsed{}, err
		}
		p.check = Check{Layout: layout, Known: csvio.OrganisationColumns(), Problems: errs}
		if f != nil {
			p.write = func(ctx context.Context, a bridge.AuditEntry) (Result, error) {
				return s.Store.ImportOrganisations(ctx, f.Organisations(), f.Merge, a)
			}
		}
	default:
		return parsed{}, bridge.InvalidInput([]string{"kind"}, "unknown kind")
	}
	return p, nil
}

// Check checks a file without writing anything.
func (s Service) Check(ctx context.Context, v bridge.Actor, kind Kind, text string, mapping []string) (Check, error) {
	if err := v.Require(v.IsSecretariat()); err != nil {
		return Check{}, err
	}
	p, err := s.parse(ctx, kind, text, mapping)
	return p.check, err
}

// Apply checks a file as Check does and writes a file without problems in one transaction,
// audited in it; a file with any problem writes nothing (BAD_USER_INPUT on csv).
func (s Service) Apply(ctx context.Context, v bridge.Actor, kind Kind, text string, mapping []string) (Result, error) {
	a, err := v.SecretariatAudit(bridge.AuditImport)
	if err != nil {
		return Result{}, err
	}
	p, err := s.parse(ctx, kind, text, mapping)
	if err != nil {
		return Result{}, err
	}
	if p.write == nil {
		return Result{}, bridge.InvalidInput([]string{"csv"}, "the file has %d problems; nothing was imported (checkImport lists them)", len(p.check.Problems))
	}
	return p.write(ctx, a)
}
