package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestWebSignInConfig: the web sign-in's variables reach websession.Config (roles from the same
// OIDC_* settings as the API), with development defaults; production needs https and Secure
// cookies; the client secret is never logged.
func TestWebSignInConfig(t *testing.T) {
	dev := map[string]string{"NEO4J_PASSWORD": "x", "BRIDGE_ENV": "development", "OIDC_ISSUER": "http://127.0.0.1:5556/dex",
		"OIDC_WEB_CLIENT_ID": "bridge-web", "OIDC_WEB_CLIENT_SECRET": "web-secret-value", "BRIDGE_ADDR": "0.0.0.0:8080"}
	cfg, err := parseConfig(t, dev)
	if err != nil {
		t.Fatal(err)
	}
	w := cfg.app().WebSignIn
	if w.ClientID != "bridge-web" || w.ClientSecret != "web-secret-value" || w.BaseURL != "http://127.0.0.1:8080" || w.SecureCookies ||
		strings.Join(w.Scopes, " ") != "openid email profile groups" || w.RoleClaim != "groups" ||
		strings.Join(w.AdminValues, ",") != "bridge-admin" || w.Issuer != dev["OIDC_ISSUER"] || w.IdleTimeout.Hours() != 1 {
		t.Fatalf("development web sign-in: %+v", w)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).LogAttrs(t.Context(), slog.LevelInfo, "configuration", cfg.attrs()...)
	if strings.Contains(buf.String(), "web-secret-value") || !strings.Contains(buf.String(), `"oidc_web_client_secret_set":true`) {
		t.Fatalf("logged: %s", buf.String())
	}
	if cfg, err := parseConfig(t, map[string]string{"NEO4J_PASSWORD": "x"}); err == nil && cfg.app().WebSignIn.ClientID != "" {
		t.Fatal("web sign-in on without OIDC_WEB_CLIENT_ID")
	}

	prod := map[string]string{"NEO4J_PASSWORD": "x", "SMTP_URL": "smtp://127.0.0.1:2525", "SECRETARIAT_EMAIL": "s@example.org",
		"OIDC_ISSUER": "https://id.example.org", "OIDC_WEB_CLIENT_ID": "bridge-web", "BRIDGE_PUBLIC_URL": "https://bridge.example.org/"}
	cfg, err = parseConfig(t, prod)
	if err != nil {
		t.Fatal(err)
	}
	if w := cfg.app().WebSignIn; !w.SecureCookies || w.BaseURL != "https://bridge.example.org" {
		t.Fatalf("production web sign-in: %+v", w)
	}
	for change, want := range map[[2]string]string{
		{"BRIDGE_PUBLIC_URL", ""}:                          "BRIDGE_PUBLIC_URL: required",
		{"BRIDGE_PUBLIC_URL", "http://bridge.example.org"}: "BRIDGE_PUBLIC_URL: must be https",
		{"BRIDGE_PUBLIC_URL", "https://x.example/app"}:     "BRIDGE_PUBLIC_URL",
		{"BRIDGE_COOKIE_SECURE", "false"}:                  "BRIDGE_COOKIE_SECURE",
		{"BRIDGE_COOKIE_SECURE", "maybe"}:                  "BRIDGE_COOKIE_SECURE",
		{"OIDC_ISSUER", ""}:                                "OIDC_WEB_CLIENT_ID: needs OIDC_ISSUER",
		{"BRIDGE_SESSION_IDLE_TIMEOUT", "24h"}:             "BRIDGE_SESSION_IDLE_TIMEOUT",
	} {
		env := map[string]string{}
		for k, v := range prod {
			env[k] = v
		}
		env[change[0]] = change[1]
		if _, err := parseConfig(t, env); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s=%q: %v, want an error naming %s", change[0], change[1], err, want)
		}
	}
}
