package neo4jstore

import (
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// Typed access to map-shaped record values: a wrong type is an error, never a panic.

func str(m map[string]any, key string, errs []error) (string, []error) {
	v, ok := m[key].(string)
	if !ok {
		return "", append(errs, fmt.Errorf("%s: want string, got %T", key, m[key]))
	}
	return v, errs
}

func optStr(m map[string]any, key string, errs []error) (string, []error) {
	if m[key] == nil {
		return "", errs
	}
	return str(m, key, errs)
}

func strList(m map[string]any, key string, errs []error) ([]string, []error) {
	if m[key] == nil {
		return nil, errs
	}
	raw, ok := m[key].([]any)
	if !ok {
		return nil, append(errs, fmt.Errorf("%s: want list, got %T", key, m[key]))
	}
	out := make([]string, 0, len(raw))
	for _, x := range raw {
		s, ok := x.(string)
		if !ok {
			return nil, append(errs, fmt.Errorf("%s: want list of strings, got element %T", key, x))
		}
		out = append(out, s)
	}
	return out, errs
}

// readPage reads the one row {total, items} of a page query that asked for first+1 items: the
// extra item only says that there is a next page.
func readPage[T any](recs []*neo4j.Record, first int, from func(map[string]any) (T, error)) ([]T, int, bool, error) {
	if len(recs) == 0 {
		return nil, 0, false, nil
	}
	row := recs[0].AsMap()
	total, _ := row["total"].(int64)
	rows, _ := row["items"].([]any)
	var items []T
	for k, x := range rows {
		if k == first {
			return items, int(total), true, nil
		}
		m, _ := x.(map[string]any)
		item, err := from(m)
		if err != nil {
			return nil, 0, false, err
		}
		items = append(items, item)
	}
	return items, int(total), false, nil
}
