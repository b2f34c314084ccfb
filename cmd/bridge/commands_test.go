package main

import (
	"bytes"
	"errors"
	"flag"
	"strings"
	"testing"
)

// TestEachCommandListsOnlyItsFlags: `bridge CMD -h` lists the shared settings CMD reads and its
// own flags, none of another command's, and exits 0.
func TestEachCommandListsOnlyItsFlags(t *testing.T) {
	cases := []struct {
		cmd       string
		want, not []string
	}{
		{"serve", []string{"-addr", "-neo4j-uri", "-oidc-issuer", "-retention-grace", "-erasure-journal"},
			[]string{"-demo-people", "-seed ", "-batch", "-journal ", "-timeout", "-dry-run", "-format"}},
		{"seed", []string{"-demo-people", "-seed", "-demo-reset", "-batch", "-neo4j-uri"},
			[]string{"-addr", "-oidc-issuer", "-erasure-journal", "-retention-grace", "-timeout"}},
		{"migrate", []string{"-neo4j-uri", "-query-timeout"}, []string{"-addr", "-demo-people", "-erasure-journal"}},
		{"waitdb", []string{"-timeout", "-neo4j-uri"}, []string{"-addr", "-demo-people"}},
		{"import", []string{"-dry-run", "-neo4j-uri", "FILE.csv"}, []string{"-format", "-addr", "-demo-people"}},
		{"export", []string{"-format", "-out", "-include-demo"}, []string{"-dry-run", "-addr"}},
		{"retention", []string{"-retention-grace", "-erasure-journal"}, []string{"-addr", "-journal ", "-demo-people"}},
		{"reapply-erasures", []string{"-journal", "-erasure-journal"}, []string{"-addr", "-retention-grace", "-demo-people"}},
	}
	for _, tc := range cases {
		var stdout, stderr bytes.Buffer
		err := run(t.Context(), []string{tc.cmd, "-h"}, func(string) string { return "" }, &stdout, &stderr)
		if !errors.Is(err, flag.ErrHelp) || exitCode(err, &stderr) != 0 {
			t.Errorf("%s -h: %v", tc.cmd, err)
		}
		help := stderr.String()
		if !strings.HasPrefix(help, "usage: bridge "+tc.cmd) {
			t.Errorf("%s -h starts %q", tc.cmd, help[:min(len(help), 40)])
		}
		for _, f := range tc.want {
			if !strings.Contains(help, f) {
				t.Errorf("%s -h does not list %s", tc.cmd, f)
			}
		}
		for _, f := range tc.not {
			if strings.Contains(help, "  "+f) {
				t.Errorf("%s -h lists %s, a flag of another command", tc.cmd, f)
			}
		}
	}
}

// TestCommandsRejectOtherCommandsFlags: a flag of another command is refused in one line that
// names the flag and where it belongs, with exit code 2, before anything is opened.
func TestCommandsRejectOtherCommandsFlags(t *testing.T) {
	cases := []struct {
		args        []string
		flag, owner string
	}{
		{[]string{"serve", "-demo-people", "5"}, "-demo-people", "bridge seed"},
		{[]string{"serve", "-journal", "x.jsonl"}, "-journal", "bridge reapply-erasures"},
		{[]string{"migrate", "-addr", "127.0.0.1:1"}, "-addr", "bridge serve"},
		{[]string{"seed", "-erasure-journal", "x.jsonl"}, "-erasure-journal", "bridge serve, bridge retention, bridge reapply-erasures"},
		{[]string{"waitdb", "-dry-run"}, "-dry-run", "bridge import"},
		{[]string{"import", "people", "-format", "json", "f.csv"}, "-format", "bridge export"},
		{[]string{"export", "people", "--dry-run"}, "-dry-run", "bridge import"},
		{[]string{"retention", "-timeout", "1s"}, "-timeout", "bridge waitdb"},
		{[]string{"reapply-erasures", "-seed", "2"}, "-seed", "bridge seed"},
	}
	for _, tc := range cases {
		var stdout, stderr bytes.Buffer
		err := run(t.Context(), tc.args, func(k string) string { return map[string]string{"NEO4J_PASSWORD": "x"}[k] }, &stdout, &stderr)
		if err == nil {
			t.Errorf("bridge %s succeeded", strings.Join(tc.args, " "))
			continue
		}
		want := tc.args[0] + ": flag provided but not defined: " + tc.flag + " (a flag of " + tc.owner + ")"
		if !strings.Contains(err.Error(), want) {
			t.Errorf("bridge %s: %q, want %q", strings.Join(tc.args, " "), err, want)
		}
		if stdout.Len() > 0 || stderr.Len() > 0 {
			t.Errorf("bridge %s printed more than the error: %q %q", strings.Join(tc.args, " "), stdout.String(), stderr.String())
		}
		var printed bytes.Buffer
		if code := exitCode(err, &printed); code != 2 || !strings.HasPrefix(printed.String(), "bridge: "+want) {
			t.Errorf("bridge %s: exit code %d, printed %q", strings.Join(tc.args, " "), code, printed.String())
		}
	}
}

// TestUsageErrorsExitTwo: no command, an unknown one and unexpected arguments are usage errors
// (exit 2), a configuration that does not validate is not (exit 1).
func TestUsageErrorsExitTwo(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{nil, 2}, {[]string{"frobnicate"}, 2}, {[]string{"migrate", "extra"}, 2}, {[]string{"import", "people"}, 2},
		{[]string{"export", "persons"}, 2}, {[]string{"migrate"}, 1},
	} {
		var out bytes.Buffer
		err := run(t.Context(), tc.args, func(string) string { return "" }, &out, &out)
		if code := exitCode(err, &out); code != tc.code {
			t.Errorf("bridge %s: exit code %d (%v), want %d", strings.Join(tc.args, " "), code, err, tc.code)
		}
	}
}
