package main

import (
	"bytes"
	"flag"
	"log/slog"
	"strings"
	"testing"
)

func parseConfig(t *testing.T, env map[string]string, args ...string) (*config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(&bytes.Buffer{})
	cfg, errs := bindConfig(fs, func(k string) string { return env[k] }, settingsAll)
	journalFlag(fs, cfg)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if len(*errs) > 0 {
		return cfg, (*errs)[0]
	}
	return cfg, cfg.validate(true)
}

func TestConfigDefaultsAndFlagsOverEnv(t *testing.T) {
	cfg, err := parseConfig(t, map[string]string{"NEO4J_PASSWORD": "secret-pw", "BRIDGE_ADDR": "127.0.0.1:9000",
		"SMTP_URL": "smtp://127.0.0.1:2525", "SECRETARIAT_EMAIL": "secretariat@bridge.example.org"},
		"-addr", "127.0.0.1:9100")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9100" || cfg.Env != envProduction || cfg.Neo4jURI != "bolt://127.0.0.1:7687" || cfg.MaxBodyBytes != 1<<20 ||
		cfg.MetricsAddr != "" || cfg.ComplexityLimit != 50_000 || cfg.DepthLimit != 10 || cfg.SelectionLimit != 200 {
		t.Fatalf("config = %+v", cfg)
	}
}

func TestConfigValidationNamesTheVariable(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "NEO4J_PASSWORD"},
		{map[string]string{"NEO4J_PASSWORD": "x", "BRIDGE_ENV": "staging"}, "BRIDGE_ENV"},
		{map[string]string{"NEO4J_PASSWORD": "x", "NEO4J_URI": "http://db:7474"}, "NEO4J_URI"},
		{map[string]string{"NEO4J_PASSWORD": "x", "NEO4J_URI": "bolt://neo4j:pw@db:7687"}, "NEO4J_URI"},
		{map[string]string{"NEO4J_PASSWORD": "x", "NEO4J_QUERY_TIMEOUT": "soon"}, "NEO4J_QUERY_TIMEOUT"},
		{map[string]string{"NEO4J_PASSWORD": "x", "BRIDGE_REQUEST_TIMEOUT": "1s"}, "BRIDGE_REQUEST_TIMEOUT"},
		{map[string]string{"NEO4J_PASSWORD": "x", "BRIDGE_MAX_BODY_BYTES": "lots"}, "BRIDGE_MAX_BODY_BYTES"},
		{map[string]string{"NEO4J_PASSWORD": "x", "BRIDGE_LOG_LEVEL": "loud"}, "BRIDGE_LOG_LEVEL"},
		{map[string]string{"NEO4J_PASSWORD": "x", "BRIDGE_ADDR": "8080"}, "BRIDGE_ADDR"},
		{map[string]string{"NEO4J_PASSWORD": "x", "BRIDGE_METRICS_ADDR": "9464"}, "BRIDGE_METRICS_ADDR"},
		{map[string]string{"NEO4J_PASSWORD": "x", "BRIDGE_METRICS_ADDR": "127.0.0.1:8080"}, "BRIDGE_METRICS_ADDR"},
		{map[string]string{"NEO4J_PASSWORD": "x", "BRIDGE_DEPTH_LIMIT": "2"}, "BRIDGE_DEPTH_LIMIT"},
		{map[string]string{"NEO4J_PASSWORD": "x", "BRIDGE_SELECTION_LIMIT": "10"}, "BRIDGE_SELECTION_LIMIT"},
	}
	for _, tt := range tests {
		_, err := parseConfig(t, tt.env)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("env %v: error %v, want one naming %s", tt.env, err, tt.want)
		}
	}
}

func TestConfigIsLoggedWithoutSecrets(t *testing.T) {
	cfg, err := parseConfig(t, map[string]string{"NEO4J_PASSWORD": "very-secret-pw", "SMTP_URL": "smtp://mailer:smtp-secret@127.0.0.1:2525",
		"SECRETARIAT_EMAIL": "secretariat@bridge.example.org"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).LogAttrs(t.Context(), slog.LevelInfo, "configuration", cfg.attrs()...)
	if strings.Contains(buf.String(), "very-secret-pw") || !strings.Contains(buf.String(), `"neo4j_password":"(set)"`) ||
		strings.Contains(buf.String(), "smtp-secret") {
		t.Fatalf("logged configuration: %s", buf.String())
	}
}

func TestRunRejectsUnknownCommandsAndArguments(t *testing.T) {
	var out bytes.Buffer
	for _, args := range [][]string{{}, {"frobnicate"}, {"migrate", "extra"}} {
		if err := run(t.Context(), args, func(string) string { return "" }, &out, &out); err == nil {
			t.Errorf("run(%v) succeeded", args)
		}
	}
}
