package graph

import (
	"strconv"

	"github.com/nordic-integration/bridge/graph/model"
	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/imports"
)

// maxImportProblems is how many problems checkImport returns (problemCount counts them all), and
// maxImportColumns how many columns a mapping may name: the bounds in listBounds.
const (
	maxImportProblems = 200
	maxImportColumns  = 100
)

// importMapping turns the API's mapping into csvio's: the Bridge column by the file's column
// index ("" leaves it out); nil when none is given (automatic).
func importMapping(in []model.ColumnMapping) ([]string, error) {
	if in == nil {
		return nil, nil
	}
	if len(in) > maxImportColumns {
		return nil, bridge.InvalidInput([]string{"mapping"}, "at most %d columns", maxImportColumns)
	}
	size := 0
	for _, c := range in {
		size = max(size, c.Index+1)
	}
	out := make([]string, size)
	seen := map[int]bool{}
	for i, c := range in {
		if c.Index < 0 || seen[c.Index] {
			return nil, bridge.InvalidInput([]string{"mapping", strconv.Itoa(i), "index"}, "a column index from 0, each once")
		}
		seen[c.Index] = true
		out[c.Index] = optional(c.Column)
	}
	return out, nil
}

// importCheck is the API's form of a check.
func importCheck(c imports.Check) *model.ImportCheck {
	out := &model.ImportCheck{KnownColumns: c.Known, RowCount: c.Rows, ProblemCount: len(c.Problems),
		Columns: make([]model.ImportColumn, len(c.Header)), Problems: []model.ImportProblem{}}
	for i, h := range c.Header {
		out.Columns[i] = model.ImportColumn{Index: i, Header: h, Column: nonEmpty(c.Mapping[i])}
	}
	for _, p := range c.Problems[:min(len(c.Problems), maxImportProblems)] {
		mp := model.ImportProblem{Line: p.Line, Column: nonEmpty(p.Column), Reason: p.Reason, Suggestions: []model.ImportSuggestion{}}
		for _, s := range p.Suggestions {
			mp.Suggestions = append(mp.Suggestions, model.ImportSuggestion{Value: s.Value, Label: s.Label})
		}
		out.Problems = append(out.Problems, mp)
	}
	return out
}
