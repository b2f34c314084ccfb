// Command vulndb turns the OSV files of the golang.org/x/vulndb module (data/osv/*.json) into the
// file layout govulncheck reads with -db file://DIR (index/db.json, index/modules.json,
// index/vulns.json, ID/<id>.json), so that `make test` scans for known vulnerabilities on a
// machine that reaches the Go module proxy but not vuln.go.dev.
//
// Written here, not taken from x/vulndb's own cmd/gendb, for two reasons: gendb reads the
// modification dates from a git clone of the vulndb repository (the module zip is not one), and
// it pulls in Google Cloud and OpenTelemetry clients that take minutes to fetch and build on a
// fresh CI machine. This is the same conversion (internal/database.New in x/vulndb: one index
// entry per affected module with the latest fix, as osvutils.LatestFixed computes it), with the
// entries' publication dates for their modification dates.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"golang.org/x/mod/semver"
)

type entry struct {
	ID        string    `json:"id"`
	Modified  time.Time `json:"modified"`
	Published time.Time `json:"published"`
	Aliases   []string  `json:"aliases"`
	Affected  []struct {
		Package struct {
			Name string `json:"name"`
		} `json:"package"`
		Ranges []osvRange `json:"ranges"`
	} `json:"affected"`
}

type osvRange struct {
	Type   string `json:"type"`
	Events []struct {
		Introduced string `json:"introduced"`
		Fixed      string `json:"fixed"`
	} `json:"events"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Fixed    string    `json:"fixed,omitempty"`
}

type module struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

type vuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
}

func main() {
	src := flag.String("src", "", "the data/osv folder of the golang.org/x/vulndb module")
	out := flag.String("out", "", "the folder to write the database to")
	asOf := flag.String("as-of", "", "the date of the vulndb module version (RFC 3339), for entries with no date of their own")
	flag.Parse()
	fallback, err := time.Parse(time.RFC3339, *asOf)
	if err != nil {
		fmt.Fprintln(os.Stderr, "vulndb: -as-of:", err)
		os.Exit(2)
	}
	if err := run(*src, *out, fallback); err != nil {
		fmt.Fprintln(os.Stderr, "vulndb:", err)
		os.Exit(1)
	}
}

func run(src, out string, fallback time.Time) error {
	files, err := filepath.Glob(filepath.Join(src, "*.json"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no OSV files in %q", src)
	}
	sort.Strings(files)
	modules := map[string]*module{}
	var vulns []vuln
	var newest time.Time
	if err := os.MkdirAll(filepath.Join(out, "ID"), 0o755); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(out, "index"), 0o755); err != nil {
		return err
	}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var e entry
		if err := json.Unmarshal(raw, &e); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		if e.ID == "" {
			return fmt.Errorf("%s: no id", f)
		}
		// The files carry no modification date (gendb takes it from git): the publication date
		// stands in, or for the newest entries, which have neither, the module version's date.
		if e.Published.IsZero() {
			e.Published = fallback
		}
		if e.Modified.Before(e.Published) {
			e.Modified = e.Published
			var doc map[string]any
			if err := json.Unmarshal(raw, &doc); err != nil {
				return fmt.Errorf("%s: %w", f, err)
			}
			doc["modified"], doc["published"] = e.Modified, e.Published
			if raw, err = json.Marshal(doc); err != nil {
				return err
			}
		}
		if err := os.WriteFile(filepath.Join(out, "ID", e.ID+".json"), raw, 0o644); err != nil {
			return err
		}
		vulns = append(vulns, vuln{ID: e.ID, Modified: e.Modified, Aliases: e.Aliases})
		if e.Modified.After(newest) {
			newest = e.Modified
		}
		for _, a := range e.Affected {
			m := modules[a.Package.Name]
			if m == nil {
				m = &module{Path: a.Package.Name}
				modules[a.Package.Name] = m
			}
			m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: e.Modified, Fixed: latestFixed(a.Ranges)})
		}
	}
	paths := make([]string, 0, len(modules))
	for p := range modules {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	index := make([]*module, 0, len(paths))
	for _, p := range paths {
		index = append(index, modules[p])
	}
	for name, v := range map[string]any{"db.json": map[string]time.Time{"modified": newest}, "modules.json": index, "vulns.json": vulns} {
		raw, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "index", name), raw, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("vulndb: %d entries, %d modules, newest %s\n", len(vulns), len(index), newest.Format(time.DateOnly))
	return nil
}

// latestFixed is the latest fixed version of the semver ranges, or "" when the vulnerability was
// introduced again after it (x/vulndb's osvutils.LatestFixed).
func latestFixed(ranges []osvRange) string {
	latest := ""
	for _, r := range ranges {
		if r.Type != "SEMVER" {
			continue
		}
		for _, e := range r.Events {
			if e.Fixed != "" && before(latest, e.Fixed) {
				latest = e.Fixed
			}
		}
		for _, e := range r.Events {
			if e.Introduced != "" && e.Introduced != "0" && before(latest, e.Introduced) {
				latest = ""
				break
			}
		}
	}
	return latest
}

// before reports whether version a sorts before b (OSV versions carry no "v"; "" is before all).
func before(a, b string) bool {
	if a == "" {
		return b != ""
	}
	return semver.Compare("v"+a, "v"+b) < 0
}
