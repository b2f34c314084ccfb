package web

import (
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
)

// Helpers shared by the page handlers.

// maxParam bounds what a page takes from the address: ids, cursors and search text are short.
const maxParam = 200

// param is a query parameter, trimmed and bounded.
func param(r *http.Request, name string) string {
	v := strings.TrimSpace(r.URL.Query().Get(name))
	if len(v) > maxParam {
		v = v[:maxParam]
	}
	return v
}

// params is a repeated query parameter (facets), bounded in count and length.
func params(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		if v = strings.TrimSpace(v); v != "" && len(v) <= maxParam && len(out) < 20 {
			out = append(out, v)
		}
	}
	return out
}

// idParam is the global id in the page's path ({id}).
func idParam(r *http.Request) string { return chi.URLParam(r, "id") }

// optional is nil for an empty string, so that the API sees an absent argument.
func optional(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// object is m[key] as an object, nil when it is null or missing.
func object(m map[string]any, key string) map[string]any {
	o, _ := m[key].(map[string]any)
	return o
}

// list is m[key] as a list of objects.
func list(m map[string]any, key string) []map[string]any {
	raw, _ := m[key].([]any)
	out := make([]map[string]any, 0, len(raw))
	for _, v := range raw {
		if o, ok := v.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}
