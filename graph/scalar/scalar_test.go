package scalar

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
)

func written(t *testing.T, f func(context.Context, *bytes.Buffer) error) string {
	t.Helper()
	var b bytes.Buffer
	if err := f(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestScalarsWriteZeroAsNull(t *testing.T) {
	at := time.Date(2026, 3, 31, 11, 0, 0, 500, time.FixedZone("CEST", 2*3600))
	for _, c := range []struct {
		got  func(context.Context, *bytes.Buffer) error
		want string
	}{
		{func(ctx context.Context, b *bytes.Buffer) error { return MarshalDateTime(at).MarshalGQLContext(ctx, b) }, `"2026-03-31T09:00:00Z"`},
		{func(ctx context.Context, b *bytes.Buffer) error {
			return MarshalDateTime(time.Time{}).MarshalGQLContext(ctx, b)
		}, `null`},
		{func(ctx context.Context, b *bytes.Buffer) error {
			return MarshalDate("2024-01-31").MarshalGQLContext(ctx, b)
		}, `"2024-01-31"`},
		{func(ctx context.Context, b *bytes.Buffer) error { return MarshalDate("").MarshalGQLContext(ctx, b) }, `null`},
		{func(ctx context.Context, b *bytes.Buffer) error {
			return MarshalURL("https://a.example/ö\"").MarshalGQLContext(ctx, b)
		}, `"https://a.example/ö\""`},
		{func(ctx context.Context, b *bytes.Buffer) error { return MarshalURL("").MarshalGQLContext(ctx, b) }, `null`},
	} {
		if got := written(t, c.got); got != c.want {
			t.Errorf("got %s, want %s", got, c.want)
		}
	}
}

func TestScalarsReadStrictly(t *testing.T) {
	ctx := context.Background()
	if got, err := UnmarshalDateTime(ctx, "2026-03-31T11:00:00+02:00"); err != nil || !got.Equal(time.Date(2026, 3, 31, 9, 0, 0, 0, time.UTC)) || got.Location() != time.UTC {
		t.Errorf("DateTime: %v %v", got, err)
	}
	for _, bad := range []any{"2026-03-31", "2026-03-31T11:00:00", "yesterday", 1743411600, nil} {
		if _, err := UnmarshalDateTime(ctx, bad); bridge.ErrorCode(err) != bridge.CodeBadUserInput {
			t.Errorf("DateTime %v: %v", bad, err)
		}
	}
	if got, err := UnmarshalDate(ctx, "2024-02-29"); err != nil || got != "2024-02-29" {
		t.Errorf("Date: %q %v", got, err)
	}
	for _, bad := range []any{"2023-02-29", "1899-12-31", "9999-12-31", "31.01.2024", "last year", 2024} {
		if _, err := UnmarshalDate(ctx, bad); bridge.ErrorCode(err) != bridge.CodeBadUserInput {
			t.Errorf("Date %v: %v", bad, err)
		}
	}
	if got, err := UnmarshalURL(ctx, "https://nordregio.org/x?y=1"); err != nil || got != "https://nordregio.org/x?y=1" {
		t.Errorf("URL: %q %v", got, err)
	}
	for _, bad := range []any{"nordregio.org", "ftp://x.example", "https://", "javascript:alert(1)", 3} {
		if _, err := UnmarshalURL(ctx, bad); bridge.ErrorCode(err) != bridge.CodeBadUserInput {
			t.Errorf("URL %v: %v", bad, err)
		}
	}
}
