package main

import (
	"strconv"
	"testing"
)

func TestGCDefaultsKeepWhatTheEnvironmentSets(t *testing.T) {
	env := func(kv map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := kv[k]; return v, ok }
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want gcSettings
	}{
		{"neither set: Bridge's defaults", nil, gcSettings{Percent: defaultGCPercent, MemoryLimit: defaultMemoryLimit}},
		{"empty counts as unset", map[string]string{"GOGC": "", "GOMEMLIMIT": ""}, gcSettings{Percent: defaultGCPercent, MemoryLimit: defaultMemoryLimit}},
		{"GOGC set: left to the runtime", map[string]string{"GOGC": "100"}, gcSettings{Percent: -1, MemoryLimit: defaultMemoryLimit}},
		{"GOMEMLIMIT set: left to the runtime", map[string]string{"GOMEMLIMIT": "2GiB"}, gcSettings{Percent: defaultGCPercent, MemoryLimit: -1}},
		{"both set", map[string]string{"GOGC": "off", "GOMEMLIMIT": "1GiB"}, gcSettings{Percent: -1, MemoryLimit: -1}},
	} {
		if got := gcDefaults(env(tc.env)); got != tc.want {
			t.Errorf("%s: gcDefaults = %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestApplyGCSetsAndReportsTheSettings(t *testing.T) {
	before := applyGC(gcSettings{Percent: -1, MemoryLimit: -1})
	t.Cleanup(func() {
		applyGC(gcSettings{Percent: atoi(t, before[0].Value.String()), MemoryLimit: before[1].Value.Int64()})
	})
	got := applyGC(gcSettings{Percent: 250, MemoryLimit: 300 << 20})
	if got[0].Value.String() != "250" || got[1].Value.Int64() != 300<<20 {
		t.Fatalf("applyGC reported %v, want gogc 250 and gomemlimit_bytes %d", got, 300<<20)
	}
	if again := applyGC(gcSettings{Percent: -1, MemoryLimit: -1}); again[0].Value.String() != "250" || again[1].Value.Int64() != 300<<20 {
		t.Fatalf("negative settings changed the collector: %v", again)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
