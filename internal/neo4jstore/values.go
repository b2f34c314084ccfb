package neo4jstore

import "fmt"

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
