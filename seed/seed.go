// Package seed holds Bridge's reference data (copied from the shared Nordic data set so that the
// project builds and runs on its own) and turns it into domain values for `bridge seed`. It writes
// nothing itself: the store does, so that seeding goes through the same code as everything else.
package seed

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/nordic-integration/bridge/internal/bridge"
)

//go:embed countries.csv
var countriesCSV []byte

// Countries returns the five Nordic countries and three autonomous territories, validated.
func Countries() ([]bridge.Country, error) {
	return parseCountries(countriesCSV)
}

func parseCountries(data []byte) ([]bridge.Country, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = 5
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("countries.csv: header: %w", err)
	}
	want := []string{"code", "name", "local_names", "kind", "parent"}
	if strings.Join(header, ",") != strings.Join(want, ",") {
		return nil, fmt.Errorf("countries.csv: header is %v, want %v", header, want)
	}
	var out []bridge.Country
	seen := map[string]bool{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("countries.csv: %w", err)
		}
		line, _ := r.FieldPos(0)
		c := bridge.Country{Code: rec[0], Name: rec[1], Kind: bridge.CountryKind(rec[3]), ParentCode: rec[4]}
		if rec[2] != "" {
			c.LocalNames = strings.Split(rec[2], "|")
		}
		if err := c.Validate(); err != nil {
			return nil, fmt.Errorf("countries.csv line %d: %w", line, err)
		}
		if seen[c.Code] {
			return nil, fmt.Errorf("countries.csv line %d: duplicate code %s", line, c.Code)
		}
		seen[c.Code] = true
		out = append(out, c)
	}
	for _, c := range out {
		if c.ParentCode != "" && !seen[c.ParentCode] {
			return nil, fmt.Errorf("countries.csv: %s has unknown parent %s", c.Code, c.ParentCode)
		}
	}
	return out, nil
}
