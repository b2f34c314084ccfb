package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/csvio"
	"github.com/nordic-integration/bridge/internal/neo4jstore"
)

// importHelp and exportHelp are the descriptions `bridge import -h` and `bridge export -h` print.
var importHelp = fmt.Sprintf(`Checks every row of FILE.csv first (each problem is printed as FILE:LINE: column COLUMN: reason);
a file with any problem writes nothing. A valid file (at most %d rows) is written in one
transaction. The columns are described in docs/import.md.
`, csvio.MaxRows)

const exportHelp = `Writes the import columns (docs/import.md), CSV to standard output by default, so that importing
the export into an empty database gives the same people and organisations.
`

// exportPageSize is the number of rows per export round trip.
const exportPageSize = 1000

// maxSkippedShown bounds the lines of "skipped" rows printed after an import; the count is
// always complete.
const maxSkippedShown = 50

// importCmd runs `bridge import people|organisations FILE`: read and validate the whole file
// against the reference data in the graph, report every problem, and write a valid file in one
// transaction. Messages name lines and columns, never the people in them.
func importFlags(fs *flag.FlagSet, _ *config) action {
	dryRun := fs.Bool("dry-run", false, "check the file and report, but write nothing")
	return func(ctx context.Context, cfg *config, pos []string, stdout, stderr io.Writer) error {
		return importCmd(ctx, cfg, *dryRun, pos, stdout, stderr)
	}
}

func importCmd(ctx context.Context, cfg *config, dryRun bool, pos []string, stdout, stderr io.Writer) error {
	if len(pos) != 2 || (pos[0] != "people" && pos[0] != "organisations") {
		return usageErrorf("import: want people or organisations and one file (bridge import -h)")
	}
	kind, name := pos[0], pos[1]
	start := time.Now()
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	progress := csvio.NewProgress(stderr, csvio.IsTerminal(stderr), time.Now)

	return withStore(cfg, func(store *neo4jstore.Store) error {
		ref, err := store.ImportReference(ctx)
		if err != nil {
			return fmt.Errorf("import: load reference data: %w", err)
		}
		cref := csvio.Reference{Countries: ref.Countries, Municipalities: ref.Municipalities,
			ThemeIDs: ref.ThemeIDs, Themes: ref.Themes, Organisations: ref.Organisations}
		started := false
		checking := func(done, total int) {
			if !started {
				progress.Start("checking "+filepath.Base(name), total)
				started = true
			}
			progress.Set(done)
		}
		imp := importer{name: name, people: kind == "people", start: start, dryRun: dryRun, progress: progress, stdout: stdout, stderr: stderr}
		if kind == "people" {
			file, errs, err := csvio.ParsePeople(f, cref, checking)
			progress.Finish()
			if err != nil {
				return fmt.Errorf("import: read %s: %w", name, err)
			}
			if err := imp.invalid(errs); err != nil {
				return err
			}
			return imp.run(ctx, len(file.Rows), func(rows int) (neo4jstore.ImportResult, error) {
				return store.ImportPeople(ctx, file.People(), neo4jstore.ImportOptions[bridge.Person]{
					Merge: file.Merge, Progress: imp.writing(rows)})
			}, func(i int) int { return file.Rows[i].Line })
		}
		file, errs, err := csvio.ParseOrganisations(f, cref, checking)
		progress.Finish()
		if err != nil {
			return fmt.Errorf("import: read %s: %w", name, err)
		}
		if err := imp.invalid(errs); err != nil {
			return err
		}
		return imp.run(ctx, len(file.Rows), func(rows int) (neo4jstore.ImportResult, error) {
			return store.ImportOrganisations(ctx, file.Organisations(), neo4jstore.ImportOptions[bridge.Organisation]{
				Merge: file.Merge, Progress: imp.writing(rows)})
		}, func(i int) int { return file.Rows[i].Line })
	})
}

// importer holds what the reporting steps of one import share.
type importer struct {
	name           string
	people         bool // people rows (which may be skipped), not organisations
	start          time.Time
	dryRun         bool
	progress       *csvio.Progress
	stdout, stderr io.Writer
}

// invalid prints every problem as FILE:LINE: column COLUMN: reason, then a summary, and returns
// the error that makes the command exit non-zero; it returns nil for a valid file.
func (im importer) invalid(errs []csvio.RowError) error {
	if len(errs) == 0 {
		return nil
	}
	lines := map[int]bool{}
	for _, e := range errs {
		fmt.Fprintln(im.stderr, e.Format(im.name))
		if e.Line > 1 {
			lines[e.Line] = true
		}
	}
	summary := fmt.Sprintf("%s: %s", im.name, plural(len(errs), "error"))
	if len(lines) > 0 {
		summary += fmt.Sprintf(" in %s", plural(len(lines), "row"))
	}
	fmt.Fprintln(im.stderr, summary)
	return errors.New("import: the file has errors; nothing was imported")
}

// run writes a valid file (unless --dry-run) and reports what happened.
func (im importer) run(ctx context.Context, rows int, write func(rows int) (neo4jstore.ImportResult, error), line func(i int) int) error {
	if im.dryRun {
		fmt.Fprintf(im.stdout, "%s: %s checked, no errors; nothing written (--dry-run)\n", im.name, plural(rows, "row"))
		return nil
	}
	res, err := write(rows)
	im.progress.Finish()
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("import: interrupted; nothing was imported: %w", err)
		}
		return fmt.Errorf("import: nothing was imported: %w", err)
	}
	elapsed := time.Since(im.start) // reading, checking and writing
	for n, i := range res.Skipped {
		if n == maxSkippedShown {
			fmt.Fprintf(im.stdout, "%s: ... and %d more rows skipped\n", im.name, len(res.Skipped)-n)
			break
		}
		fmt.Fprintf(im.stdout, "%s:%d: skipped: maintained by the person (the profile is confirmed)\n", im.name, line(i))
	}
	rate := ""
	if s := elapsed.Seconds(); s > 0 && rows > 0 {
		if r := float64(rows) / s; r < 10 {
			rate = fmt.Sprintf(", %.1f rows/s", r)
		} else {
			rate = fmt.Sprintf(", %s rows/s", csvio.Thousands(int(r)))
		}
	}
	n := csvio.Thousands
	skipped := ""
	if im.people {
		skipped = fmt.Sprintf(", %s skipped: maintained by the person", n(len(res.Skipped)))
	}
	fmt.Fprintf(im.stdout, "%s: %s imported in one transaction: %s created, %s updated, %s unchanged%s (%s%s)\n",
		im.name, plural(rows, "row"), n(res.Created), n(res.Updated), n(res.Unchanged), skipped,
		elapsed.Round(time.Millisecond), rate)
	return nil
}

// writing starts the write phase of the progress display and returns the store's callback.
func (im importer) writing(rows int) func(done, total int) {
	im.progress.Start("writing "+filepath.Base(im.name), rows)
	return func(done, total int) {
		im.progress.Set(done)
		if done == total {
			im.progress.Note("committing the transaction")
		}
	}
}

// exportCmd runs `bridge export people|organisations`: read in keyset pages and stream the rows,
// so that memory holds one page whatever the size of the network. A file given with --out is
// written under a temporary name, readable by its owner only, and renamed when complete.
func exportFlags(fs *flag.FlagSet, _ *config) action {
	var opts exportOptions
	fs.StringVar(&opts.format, "format", "csv", "csv or json")
	fs.StringVar(&opts.out, "out", "", "write to this file instead of standard output")
	fs.BoolVar(&opts.includeDemo, "include-demo", false, "include demo people and organisations")
	return func(ctx context.Context, cfg *config, pos []string, stdout, stderr io.Writer) error {
		return exportCmd(ctx, cfg, opts, pos, stdout, stderr)
	}
}

// exportOptions are the flags of `bridge export`.
type exportOptions struct {
	format      string
	out         string
	includeDemo bool
}

func exportCmd(ctx context.Context, cfg *config, opts exportOptions, pos []string, stdout, stderr io.Writer) error {
	if len(pos) != 1 || (pos[0] != "people" && pos[0] != "organisations") {
		return usageErrorf("export: want people or organisations (bridge export -h)")
	}
	kind := pos[0]
	format, err := csvio.ParseFormat(opts.format)
	if err != nil {
		return usageErrorf("export: %w", err)
	}
	filter := neo4jstore.ExportFilter{IncludeDemo: opts.includeDemo}
	progress := csvio.NewProgress(stderr, csvio.IsTerminal(stderr), time.Now)

	return withStore(cfg, func(store *neo4jstore.Store) (err error) {
		var total int
		if kind == "people" {
			total, err = store.CountExportPeople(ctx, filter)
		} else {
			total, err = store.CountExportOrganisations(ctx, filter)
		}
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		dest, commit, abort, err := exportDestination(opts.out, stdout)
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		defer func() {
			if err != nil {
				abort()
			}
		}()
		if kind == "people" {
			// Personal data leaves the system: record that (what, how many, how), before it does.
			if _, err := store.AuditExport(ctx, bridge.AuditExportPeople, "cli", total); err != nil {
				return fmt.Errorf("export: record the audit event: %w", err)
			}
		}
		progress.Start("exporting "+kind, total)
		var written, truncated int
		if kind == "people" {
			written, truncated, err = exportPeople(ctx, store, filter, format, dest, progress)
		} else {
			written, err = exportOrganisations(ctx, store, filter, format, dest, progress)
		}
		progress.Finish()
		if err != nil {
			return fmt.Errorf("export: %w", err)
		}
		if err := commit(); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		where := "standard output"
		if opts.out != "" && opts.out != "-" {
			where = opts.out
		}
		fmt.Fprintf(stderr, "export %s: %s written to %s (%s)\n", kind, plural(written, "row"), where, format)
		if truncated > 0 {
			fmt.Fprintf(stderr, "export %s: %s have more than one affiliation; the file holds the first (by organisation id) of each\n",
				kind, plural(truncated, "person"))
		}
		return nil
	})
}

func exportPeople(ctx context.Context, store *neo4jstore.Store, f neo4jstore.ExportFilter, format csvio.Format,
	dest io.Writer, progress *csvio.Progress) (written, truncated int, err error) {
	w, err := csvio.NewWriter(dest, format, csvio.PeopleColumns())
	if err != nil {
		return 0, 0, err
	}
	after := ""
	for {
		page, err := store.ExportPeople(ctx, f, after, exportPageSize)
		if err != nil {
			return w.Count(), truncated, err
		}
		for _, p := range page {
			rec, cut := csvio.PersonRecord(p)
			if cut {
				truncated++
			}
			if err := w.Write(rec); err != nil {
				return w.Count(), truncated, err
			}
		}
		progress.Set(w.Count())
		if len(page) < exportPageSize {
			return w.Count(), truncated, w.Close()
		}
		after = page[len(page)-1].ID
	}
}

func exportOrganisations(ctx context.Context, store *neo4jstore.Store, f neo4jstore.ExportFilter, format csvio.Format,
	dest io.Writer, progress *csvio.Progress) (int, error) {
	w, err := csvio.NewWriter(dest, format, csvio.OrganisationColumns())
	if err != nil {
		return 0, err
	}
	after := ""
	for {
		page, err := store.ExportOrganisations(ctx, f, after, exportPageSize)
		if err != nil {
			return w.Count(), err
		}
		for _, o := range page {
			if err := w.Write(csvio.OrganisationRecord(o)); err != nil {
				return w.Count(), err
			}
		}
		progress.Set(w.Count())
		if len(page) < exportPageSize {
			return w.Count(), w.Close()
		}
		after = page[len(page)-1].ID
	}
}

// exportDestination opens where an export goes. For a file, it writes a temporary file in the same
// folder with mode 0600 (the export holds personal data) that commit renames into place and abort
// removes, so that a failed export never leaves a partial file under the requested name.
func exportDestination(out string, stdout io.Writer) (w io.Writer, commit func() error, abort func(), err error) {
	if out == "" || out == "-" {
		return stdout, func() error { return nil }, func() {}, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*.tmp")
	if err != nil {
		return nil, nil, nil, err
	}
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return nil, nil, nil, err
	}
	commit = func() error {
		if err := tmp.Sync(); err != nil {
			return err
		}
		if err := tmp.Close(); err != nil {
			return err
		}
		return os.Rename(tmp.Name(), out)
	}
	abort = func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}
	return tmp, commit, abort, nil
}

// parseInterleaved parses flags that may come before, between or after the positional arguments
// (`import people --dry-run file.csv` and `import people file.csv --dry-run` both work), which the
// flag package alone does not allow. It returns the positional arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// plural writes "1 row", "2 rows", "1,000 rows".
func plural(n int, noun string) string {
	s := csvio.Thousands(n) + " " + noun
	if n != 1 {
		if noun == "person" {
			return csvio.Thousands(n) + " people"
		}
		s += "s"
	}
	return s
}
