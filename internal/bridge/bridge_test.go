package bridge

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestErrorCode(t *testing.T) {
	cause := errors.New("dial tcp: connection refused")
	tests := []struct {
		name string
		err  error
		want Code
	}{
		{"nil", nil, ""},
		{"plain error is internal", errors.New("boom"), CodeInternal},
		{"coded", Errorf(CodeNotFound, "no such thing"), CodeNotFound},
		{"wrapped coded", fmt.Errorf("load: %w", Unavailable(cause)), CodeUnavailable},
		{"input", InvalidInput([]string{"code"}, "bad"), CodeBadUserInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorCode(tt.err); got != tt.want {
				t.Fatalf("ErrorCode = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUnavailableKeepsCauseButNotInMessage(t *testing.T) {
	cause := errors.New("dial tcp 127.0.0.1:7687: connection refused")
	err := Unavailable(cause)
	if !errors.Is(err, cause) {
		t.Fatal("cause is not reachable with errors.Is")
	}
	if strings.Contains(err.Message, "7687") {
		t.Fatalf("user message leaks the cause: %q", err.Message)
	}
}

func TestCountryValidate(t *testing.T) {
	tests := []struct {
		name    string
		c       Country
		wantErr string // substring of the field path; "" means valid
	}{
		{"country", Country{Code: "SE", Name: "Sweden", Kind: CountryKindCountry}, ""},
		{"territory", Country{Code: "AX", Name: "Åland", Kind: CountryKindTerritory, ParentCode: "FI"}, ""},
		{"lower-case code", Country{Code: "se", Name: "Sweden", Kind: CountryKindCountry}, "code"},
		{"three letters", Country{Code: "SWE", Name: "Sweden", Kind: CountryKindCountry}, "code"},
		{"no name", Country{Code: "SE", Kind: CountryKindCountry}, "name"},
		{"unknown kind", Country{Code: "SE", Name: "Sweden", Kind: "STATE"}, "kind"},
		{"territory without parent", Country{Code: "AX", Name: "Åland", Kind: CountryKindTerritory}, "parent"},
		{"country with parent", Country{Code: "SE", Name: "Sweden", Kind: CountryKindCountry, ParentCode: "DK"}, "parent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeBadUserInput {
				t.Fatalf("Validate() = %v, want BAD_USER_INPUT", err)
			}
			if !strings.Contains(strings.Join(e.Field, "."), tt.wantErr) {
				t.Fatalf("field path %v does not name %q", e.Field, tt.wantErr)
			}
		})
	}
}

func TestGlobalIDRoundTrip(t *testing.T) {
	for _, tc := range []struct{ typ, key string }{{"Country", "SE"}, {"Person", "0b8e1c1e-5d7c-4a55-9d3f-2f6f1f0a9a11"}, {"Theme", "a:b"}} {
		id := GlobalID(tc.typ, tc.key)
		typ, key, err := ParseGlobalID([]string{"id"}, id)
		if err != nil || typ != tc.typ || key != tc.key {
			t.Fatalf("ParseGlobalID(%q) = %q, %q, %v; want %q, %q", id, typ, key, err, tc.typ, tc.key)
		}
	}
}

func TestParseGlobalIDRejects(t *testing.T) {
	for _, id := range []string{"", "!!!", GlobalID("", "x"), "Q291bnRyeQ" /* "Country" without key */} {
		_, _, err := ParseGlobalID([]string{"id"}, id)
		if ErrorCode(err) != CodeBadUserInput {
			t.Errorf("ParseGlobalID(%q) error = %v, want BAD_USER_INPUT", id, err)
		}
	}
}

func TestSizeClassBounds(t *testing.T) {
	for pop, want := range map[int]SizeClass{0: SizeUnknown, -1: SizeUnknown, 1: SizeVerySmall, 4_999: SizeVerySmall,
		5_000: SizeSmall, 19_999: SizeSmall, 20_000: SizeMedium, 49_999: SizeMedium, 50_000: SizeLarge,
		199_999: SizeLarge, 200_000: SizeCity, 1_000_000: SizeCity} {
		if got := SizeClassOf(pop); got != want {
			t.Errorf("SizeClassOf(%d) = %s, want %s", pop, got, want)
		}
	}
}
