package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestLatestFixed(t *testing.T) {
	r := func(events ...[2]string) []osvRange {
		out := osvRange{Type: "SEMVER"}
		for _, e := range events {
			out.Events = append(out.Events, struct {
				Introduced string `json:"introduced"`
				Fixed      string `json:"fixed"`
			}{e[0], e[1]})
		}
		return []osvRange{out}
	}
	cases := []struct {
		name   string
		ranges []osvRange
		want   string
	}{
		{"one fix", r([2]string{"0", ""}, [2]string{"", "1.6.0"}), "1.6.0"},
		{"the latest of two", r([2]string{"0", ""}, [2]string{"", "1.2.3"}, [2]string{"1.3.0", ""}, [2]string{"", "1.3.4"}), "1.3.4"},
		{"numeric, not text, order", r([2]string{"0", ""}, [2]string{"", "1.9.0"}, [2]string{"1.10.0", ""}, [2]string{"", "1.10.2"}), "1.10.2"},
		{"introduced again after the fix", r([2]string{"0", ""}, [2]string{"", "1.2.0"}, [2]string{"1.5.0", ""}), ""},
		{"never fixed", r([2]string{"0", ""}), ""},
	}
	for _, c := range cases {
		if got := latestFixed(c.ranges); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestRunWritesTheLayoutGovulncheckReads: the indexes list each affected module with the entry's
// id and latest fix, and an entry without dates gets the module version's date.
func TestRunWritesTheLayoutGovulncheckReads(t *testing.T) {
	src, out := t.TempDir(), t.TempDir()
	osv := `{"id":"GO-2026-0001","modified":"0001-01-01T00:00:00Z","aliases":["CVE-1"],
	"affected":[{"package":{"name":"stdlib"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.26.9"}]}]}]}`
	if err := os.WriteFile(filepath.Join(src, "GO-2026-0001.json"), []byte(osv), 0o644); err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2026, 11, 5, 23, 49, 57, 0, time.UTC)
	if err := run(src, out, asOf); err != nil {
		t.Fatal(err)
	}
	var mods []module
	read(t, filepath.Join(out, "index", "modules.json"), &mods)
	if len(mods) != 1 || mods[0].Path != "stdlib" || len(mods[0].Vulns) != 1 || mods[0].Vulns[0].Fixed != "1.26.9" ||
		!mods[0].Vulns[0].Modified.Equal(asOf) {
		t.Fatalf("modules.json: %+v", mods)
	}
	var db map[string]time.Time
	read(t, filepath.Join(out, "index", "db.json"), &db)
	var e entry
	read(t, filepath.Join(out, "ID", "GO-2026-0001.json"), &e)
	if !db["modified"].Equal(asOf) || !e.Modified.Equal(asOf) || e.Aliases[0] != "CVE-1" {
		t.Fatalf("db.json %v, entry %+v", db, e)
	}
}

func read(t *testing.T, path string, v any) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatal(err)
	}
}
