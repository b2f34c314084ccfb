package neo4jstore

import (
	"errors"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// readPage reads the one row {total, items} of a page query that asked for first+1 items: the
// extra item only says that there is a next page.
func readPage[T any](recs []*neo4j.Record, first int, from func(*row) (T, error)) ([]T, int, bool, error) {
	if len(recs) == 0 {
		return nil, 0, false, nil
	}
	rec := recordRow(recs[0])
	total := rec.Int("total")
	rows := rec.Rows("items")
	if err := rec.Err("page"); err != nil {
		return nil, 0, false, err
	}
	var items []T
	for k, x := range rows {
		if k == first {
			return items, total, true, nil
		}
		item, err := from(x)
		if err != nil {
			return nil, 0, false, err
		}
		items = append(items, item)
	}
	return items, total, false, nil
}

// row reads the columns of one record, or the keys of one map value, with their types. A column
// that is absent, or holds a value of another type, is an error, never a silent zero: a mistyped
// consent column read as false would answer NOT_POSSIBLE for the wrong reason. Errors collect
// while a row is read, so reading stays one line per column; Err reports them all at the end.
// A null is the zero value only through the Opt methods; the others report it.
type row struct {
	m    map[string]any
	errs *[]error // shared by the nested rows of one read
}

// recordRow reads a record.
func recordRow(r *neo4j.Record) *row { return &row{m: r.AsMap(), errs: new([]error)} }

func (r *row) fail(format string, args ...any) {
	*r.errs = append(*r.errs, fmt.Errorf(format, args...))
}

// Err returns what went wrong reading the row and its nested rows, naming what was read.
func (r *row) Err(what string) error {
	if len(*r.errs) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %w", what, errors.Join(*r.errs...))
}

// value returns the column, reporting an absent one (and a null one unless nullable). A row
// that is no map (m nil) was reported where it was read; its columns add nothing to that.
func (r *row) value(key string, nullable bool) (any, bool) {
	v, ok := r.m[key]
	switch {
	case r.m == nil:
		return nil, false
	case !ok:
		r.fail("%s: missing column", key)
		return nil, false
	case v == nil && !nullable:
		r.fail("%s: null", key)
		return nil, false
	}
	return v, v != nil
}

func rowTyped[T any](r *row, key string, nullable bool) T {
	var zero T
	v, ok := r.value(key, nullable)
	if !ok {
		return zero
	}
	t, ok := v.(T)
	if !ok {
		r.fail("%s: want %T, got %T", key, zero, v)
	}
	return t
}

func (r *row) Str(key string) string    { return rowTyped[string](r, key, false) }
func (r *row) OptStr(key string) string { return rowTyped[string](r, key, true) }
func (r *row) Bool(key string) bool     { return rowTyped[bool](r, key, false) }
func (r *row) OptBool(key string) bool  { return rowTyped[bool](r, key, true) }
func (r *row) Int(key string) int       { return int(rowTyped[int64](r, key, false)) }
func (r *row) OptInt(key string) int    { return int(rowTyped[int64](r, key, true)) }
func (r *row) Float(key string) float64 { return rowTyped[float64](r, key, false) }

// OptTime reads a datetime in UTC; null is the zero time.
func (r *row) OptTime(key string) time.Time {
	t := rowTyped[time.Time](r, key, true)
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// Strs reads a list of strings; null is an empty list.
func (r *row) Strs(key string) []string {
	raw := rowTyped[[]any](r, key, true)
	if raw == nil {
		return nil
	}
	out := make([]string, 0, len(raw))
	for _, x := range raw {
		s, ok := x.(string)
		if !ok {
			r.fail("%s: want list of strings, got element %T", key, x)
			return nil
		}
		out = append(out, s)
	}
	return out
}

// Rows reads a list of maps; null is an empty list.
func (r *row) Rows(key string) []*row {
	raw := rowTyped[[]any](r, key, true)
	out := make([]*row, 0, len(raw))
	for _, x := range raw {
		m, ok := x.(map[string]any)
		if !ok {
			r.fail("%s: want list of maps, got element %T", key, x)
			return nil
		}
		out = append(out, &row{m: m, errs: r.errs})
	}
	return out
}

// Row reads a map; null is an error (the row returned then reads as empty, without more errors).
func (r *row) Row(key string) *row {
	return &row{m: rowTyped[map[string]any](r, key, false), errs: r.errs}
}

// Value reads a column of any type, null included, for values passed on as they are (the
// export): only an absent column is an error.
func (r *row) Value(key string) any {
	v, _ := r.value(key, true)
	return v
}

// OptRow reads a map; null is nil.
func (r *row) OptRow(key string) *row {
	m := rowTyped[map[string]any](r, key, true)
	if m == nil {
		return nil
	}
	return &row{m: m, errs: r.errs}
}

// column reads one column of a record with read, e.g. column(rec, "n", (*row).Int).
func column[T any](rec *neo4j.Record, key string, read func(*row, string) T) (T, error) {
	r := recordRow(rec)
	v := read(r, key)
	return v, r.Err("record")
}
