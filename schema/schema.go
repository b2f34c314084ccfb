// Package schema holds Bridge's two schemas as data: the GraphQL SDL (graphql/*.graphqls, read by
// gqlgen at generation time) and the Neo4j migrations (neo4j/*.cypher), embedded here so that the
// bridge binary can apply them without the source tree.
package schema

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed neo4j/*.cypher
var neo4jFiles embed.FS

// Migration is one file of schema statements. Statements are applied in order, each in its own
// transaction (Neo4j does not mix schema and data changes in one transaction); every statement
// must be idempotent (IF NOT EXISTS), so a migration interrupted half-way can simply run again.
type Migration struct {
	ID         string // the file name without extension, e.g. "0001_constraints"
	Statements []string
	Source     string // the file's text, for the checksum
}

// Migrations returns the embedded Neo4j migrations in the order they must be applied.
func Migrations() ([]Migration, error) {
	return parseMigrations(neo4jFiles, "neo4j")
}

func parseMigrations(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".cypher") {
			continue
		}
		raw, err := fs.ReadFile(fsys, dir+"/"+name)
		if err != nil {
			return nil, fmt.Errorf("read migration %s: %w", name, err)
		}
		m := Migration{ID: strings.TrimSuffix(name, ".cypher"), Source: string(raw)}
		m.Statements = SplitStatements(string(raw))
		if len(m.Statements) == 0 {
			return nil, fmt.Errorf("migration %s has no statements", name)
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// SplitStatements splits a migration file into statements at semicolons that end a line, and drops
// comment lines (starting with //). Migration files hold schema statements only, which never
// contain a line-ending semicolon inside a string.
func SplitStatements(src string) []string {
	var stmts []string
	var cur strings.Builder
	for _, line := range strings.Split(src, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "//") {
			continue
		}
		if cur.Len() > 0 {
			cur.WriteByte(' ')
		}
		cur.WriteString(trimmed)
		if strings.HasSuffix(trimmed, ";") {
			stmts = append(stmts, strings.TrimSuffix(cur.String(), ";"))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		stmts = append(stmts, s)
	}
	return stmts
}
