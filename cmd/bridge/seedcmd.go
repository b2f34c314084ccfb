package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
	"github.com/nordic-integration/bridge/seed"
	"github.com/nordic-integration/bridge/seed/demo"
)

// demoOptions are the flags of `bridge seed` that concern generated demo data.
type demoOptions struct {
	People int
	Seed   uint64
	Reset  bool
	Batch  int
}

// seedCmd writes the reference data (one transaction) and, when asked, N demo people in batches.
// Both are idempotent: the same data and seed give the same graph however often it runs.
func seedCmd(ctx context.Context, cfg *config, opts demoOptions, stdout io.Writer) error {
	if opts.People < 0 || opts.Batch < 1 || opts.Batch > 20000 {
		return errors.New("seed: --demo-people must be ≥ 0 and --batch between 1 and 20,000")
	}
	ref, err := seed.ReferenceData()
	if err != nil {
		return err
	}
	return withStore(cfg, func(store *neo4jstore.Store) error {
		start := time.Now()
		if err := store.UpsertReference(ctx, ref); err != nil {
			return fmt.Errorf("seed reference data: %w", err)
		}
		fmt.Fprintf(stdout, "seed: reference data (%d countries, %d regions, %d municipalities, %d organisations, %d themes, %d groups, %d events, %d practices) in %s\n",
			len(ref.Countries), len(ref.Regions), len(ref.Municipalities), len(ref.Organisations), len(ref.Themes),
			len(ref.Groups), len(ref.Events), len(ref.Practices), time.Since(start).Round(time.Millisecond))
		if opts.Reset {
			n, err := store.DeleteDemoData(ctx)
			if err != nil {
				return fmt.Errorf("seed: delete demo data: %w", err)
			}
			fmt.Fprintf(stdout, "seed: deleted %d demo nodes\n", n)
		}
		if opts.People > 0 {
			if err := seedDemo(ctx, store, ref, opts, stdout); err != nil {
				return err
			}
		}
		counts, err := store.Counts(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "seed: graph now has %d nodes and %d relationships\n", counts.Nodes, counts.Relationships)
		return nil
	})
}

// seedDemo loads the generated organisations, people and past introductions in batches through
// the store's UNWIND writes, and reports the load rate.
func seedDemo(ctx context.Context, store *neo4jstore.Store, ref bridge.ReferenceData, opts demoOptions, stdout io.Writer) error {
	gen, err := demo.New(demo.Reference{Municipalities: ref.Municipalities, Themes: ref.Themes, Groups: ref.Groups,
		Events: ref.Events, Practices: ref.Practices}, opts.People, opts.Seed)
	if err != nil {
		return fmt.Errorf("seed: demo data: %w", err)
	}
	start := time.Now()
	var total neo4jstore.WriteCounts
	orgs := gen.Organisations()
	for from := 0; from < len(orgs); from += opts.Batch {
		c, err := store.UpsertOrganisations(ctx, orgs[from:min(from+opts.Batch, len(orgs))])
		if err != nil {
			return fmt.Errorf("seed: demo organisations: %w", err)
		}
		total = total.Add(c)
	}
	links := gen.PracticeOrganisations()
	for from := 0; from < opts.People; from += opts.Batch {
		people := gen.People(from, min(from+opts.Batch, opts.People))
		c, err := store.UpsertPeople(ctx, people)
		if err != nil {
			return fmt.Errorf("seed: demo people %d–%d: %w", from, from+opts.Batch, err)
		}
		total = total.Add(c)
		links = append(links, gen.PracticePeople(from, people)...)
	}
	// The practices' links are written after everyone they name (a few per practice).
	c, err := store.UpsertPracticeLinks(ctx, links)
	if err != nil {
		return fmt.Errorf("seed: demo practice links: %w", err)
	}
	total = total.Add(c)
	intros := 0
	for from := 0; from < opts.People; from += opts.Batch {
		batch := gen.Introductions(from, min(from+opts.Batch, opts.People))
		intros += len(batch)
		c, err := store.UpsertPastIntroductions(ctx, batch)
		if err != nil {
			return fmt.Errorf("seed: demo introductions: %w", err)
		}
		total = total.Add(c)
	}
	if err := store.RefreshStatistics(ctx); err != nil {
		return fmt.Errorf("seed: refresh the planner's statistics: %w", err)
	}
	d := time.Since(start)
	rate := float64(total.Elements()) / d.Seconds()
	fmt.Fprintf(stdout, "seed: demo data (seed %d): %d people, %d organisations, %d introductions; created %d nodes and %d relationships in %s (%.0f elements/s)\n",
		opts.Seed, opts.People, len(orgs), intros, total.NodesCreated, total.RelationshipsCreated, d.Round(time.Millisecond), rate)
	return nil
}
