package bridge

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestConsentPurposeAndSourceValid(t *testing.T) {
	for _, p := range ConsentPurposes() {
		if !p.Valid() {
			t.Errorf("%s is not valid", p)
		}
	}
	if len(ConsentPurposes()) != 3 {
		t.Errorf("ConsentPurposes = %v, want three", ConsentPurposes())
	}
	for _, p := range []ConsentPurpose{"", "suggest", "MARKETING", "SHARE CONTACT"} {
		if p.Valid() {
			t.Errorf("purpose %q is valid", p)
		}
	}
	for _, s := range []ConsentSource{ConsentSourceSelf, ConsentSourceSecretariat, ConsentSourceAcceptance, ConsentSourceDemo} {
		if !s.Valid() {
			t.Errorf("source %s is not valid", s)
		}
	}
	for _, s := range []ConsentSource{"", "self", "IMPORT"} {
		if s.Valid() {
			t.Errorf("source %q is valid", s)
		}
	}
}

func TestConsentActive(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		c    Consent
		want bool
	}{
		{"no expiry", Consent{GivenAt: now.Add(-time.Hour)}, true},
		{"expires later", Consent{ExpiresAt: now.Add(time.Second)}, true},
		{"expires now", Consent{ExpiresAt: now}, false},
		{"expired", Consent{ExpiresAt: now.Add(-time.Second)}, false},
		{"withdrawn", Consent{WithdrawnAt: now.Add(-time.Minute)}, false},
		{"withdrawn before expiry", Consent{ExpiresAt: now.Add(time.Hour), WithdrawnAt: now.Add(-time.Minute)}, false},
	}
	for _, tt := range tests {
		if got := tt.c.Active(now); got != tt.want {
			t.Errorf("%s: Active = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestConsentInputValidate(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	ok := ConsentInput{Purpose: ConsentIntroduce, PolicyVersion: CurrentPolicyVersion}
	tests := []struct {
		name  string
		edit  func(*ConsentInput)
		field string // "" means valid
	}{
		{"valid without expiry", func(*ConsentInput) {}, ""},
		{"valid with expiry", func(in *ConsentInput) { in.ExpiresAt = now.Add(24 * time.Hour) }, ""},
		{"unknown purpose", func(in *ConsentInput) { in.Purpose = "ADS" }, "input.purpose"},
		{"no purpose", func(in *ConsentInput) { in.Purpose = "" }, "input.purpose"},
		{"no policy version", func(in *ConsentInput) { in.PolicyVersion = "" }, "input.policyVersion"},
		{"blank policy version", func(in *ConsentInput) { in.PolicyVersion = "   " }, "input.policyVersion"},
		{"padded policy version", func(in *ConsentInput) { in.PolicyVersion = " 2026-11" }, "input.policyVersion"},
		{"long policy version", func(in *ConsentInput) { in.PolicyVersion = strings.Repeat("v", 33) }, "input.policyVersion"},
		{"32 characters", func(in *ConsentInput) { in.PolicyVersion = strings.Repeat("å", 32) }, ""},
		{"control character", func(in *ConsentInput) { in.PolicyVersion = "2026\n11" }, "input.policyVersion"},
		{"expiry now", func(in *ConsentInput) { in.ExpiresAt = now }, "input.expiresAt"},
		{"expiry past", func(in *ConsentInput) { in.ExpiresAt = now.Add(-time.Hour) }, "input.expiresAt"},
		{"expiry at the sentinel", func(in *ConsentInput) { in.ExpiresAt = ConsentNoExpiryBefore }, "input.expiresAt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := ok
			tt.edit(&in)
			err := in.Validate(now, "input")
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != CodeBadUserInput || strings.Join(e.Field, ".") != tt.field {
				t.Fatalf("Validate = %v, want BAD_USER_INPUT at %s", err, tt.field)
			}
		})
	}
	if err := ok.Validate(now); err != nil {
		t.Fatalf("Validate without prefix = %v", err)
	}
	if err := (ConsentInput{Purpose: "X", PolicyVersion: "v"}).Validate(now); err == nil || strings.Join(err.(*Error).Field, ".") != "purpose" {
		t.Fatalf("Validate without prefix names %v, want purpose", err)
	}
}
