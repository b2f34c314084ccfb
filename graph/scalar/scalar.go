// Package scalar holds the API's custom scalars, bound to Go types in gqlgen.yml: DateTime
// (time.Time), Date (an ISO calendar date as a string, the form the domain keeps) and URL (a
// string). Each reads input strictly and answers BAD_USER_INPUT naming the argument, as the
// domain's validation does; each writes the zero value as null, so a nullable field binds to the
// domain's field directly (no resolver).
package scalar

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/nordic-integration/bridge/internal/bridge"
)

// MarshalDateTime writes an instant as RFC 3339 in UTC, to the second; the zero time is null.
func MarshalDateTime(t time.Time) graphql.ContextMarshaler {
	if t.IsZero() {
		return null
	}
	return str(t.UTC().Format(time.RFC3339))
}

// UnmarshalDateTime reads an RFC 3339 date and time with an offset (2026-03-31T09:00:00Z) and
// returns it in UTC.
func UnmarshalDateTime(ctx context.Context, v any) (time.Time, error) {
	s, ok := v.(string)
	if ok {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, bridge.InvalidInput(argPath(ctx), "an ISO 8601 date and time such as 2026-03-31T09:00:00Z")
}

// MarshalDate writes an ISO calendar date as kept by the domain; the empty string is null.
func MarshalDate(d string) graphql.ContextMarshaler {
	if d == "" {
		return null
	}
	return str(d)
}

// UnmarshalDate reads an ISO calendar date that exists, within bridge.EarliestDate and
// bridge.LatestDate (bridge.ParseDate).
func UnmarshalDate(ctx context.Context, v any) (string, error) {
	s, _ := v.(string)
	if _, err := bridge.ParseDate(argPath(ctx), s); err != nil {
		return "", err
	}
	return s, nil
}

// MarshalURL writes an address; the empty string is null.
func MarshalURL(u string) graphql.ContextMarshaler {
	if u == "" {
		return null
	}
	return str(u)
}

// The marshalers take a context because the unmarshalers do (gqlgen binds the pair as one kind).
var null = graphql.ContextWriterFunc(func(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, "null")
	return err
})

func str(s string) graphql.ContextMarshaler {
	return graphql.ContextWriterFunc(func(_ context.Context, w io.Writer) error {
		graphql.MarshalString(s).MarshalGQL(w)
		return nil
	})
}

// UnmarshalURL reads an absolute http or https address. The domain checks its own rules on top
// (a website must be https).
func UnmarshalURL(ctx context.Context, v any) (string, error) {
	s, _ := v.(string)
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", bridge.InvalidInput(argPath(ctx), "an absolute address such as https://example.org")
	}
	return s, nil
}

// argPath is where the value sits in the arguments of the field being resolved, e.g.
// [input endDate] or [affiliations 0 since]: the form of the domain's error paths.
func argPath(ctx context.Context) []string {
	path := graphql.GetPath(ctx)
	if fc := graphql.GetFieldContext(ctx); fc != nil {
		if n := len(fc.Path()); n <= len(path) {
			path = path[n:]
		}
	}
	out := make([]string, 0, len(path))
	for _, p := range path {
		out = append(out, fmt.Sprint(p))
	}
	return out
}
