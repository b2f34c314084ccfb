package main

import (
	"log/slog"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
)

// The garbage collector's settings for `bridge serve` when the environment leaves them unset.
//
// Bridge's live heap is small (about 20 MiB at 100,000 people, docs/operations.md) while a read
// allocates in proportion to what it returns (a 3-level read of 20 organisations, their staff and
// themes allocates about 10 MB in gqlgen's field sets and contexts). With Go's default GOGC=100
// the collector then runs every few requests and took about a third of the CPU of such reads
// (BenchmarkOwnWorkW1Nested: 19 ms at GOGC=100, 12 ms at GOGC=400; issue 15). GOGC=400 trades
// memory for CPU: the heap may grow to five times the live heap before a collection, and
// GOMEMLIMIT bounds that trade, making the collector work harder as the heap nears the limit.
// Both are the runtime's own knobs (https://go.dev/doc/gc-guide), read here only to keep an
// operator's setting: set GOGC or GOMEMLIMIT and Bridge leaves that one alone (GOGC=100 restores
// Go's default; in a container set GOMEMLIMIT to about 90 % of its memory).
const (
	defaultGCPercent   = 400
	defaultMemoryLimit = 512 << 20 // bytes
)

// gcSettings are the settings serve applies: a negative value leaves the runtime's as it is.
type gcSettings struct {
	Percent     int
	MemoryLimit int64
}

// gcDefaults returns Bridge's defaults for the settings lookup (os.LookupEnv) does not set.
func gcDefaults(lookup func(string) (string, bool)) gcSettings {
	s := gcSettings{Percent: -1, MemoryLimit: -1}
	if v, ok := lookup("GOGC"); !ok || v == "" {
		s.Percent = defaultGCPercent
	}
	if v, ok := lookup("GOMEMLIMIT"); !ok || v == "" {
		s.MemoryLimit = defaultMemoryLimit
	}
	return s
}

// applyGC applies s and returns the settings in force, for the start-up log.
func applyGC(s gcSettings) []slog.Attr {
	if s.Percent >= 0 {
		debug.SetGCPercent(s.Percent)
	}
	if s.MemoryLimit >= 0 {
		debug.SetMemoryLimit(s.MemoryLimit)
	}
	// Read back from runtime/metrics, which reads without setting anything (SetGCPercent would
	// turn the collector off for a moment to read it).
	m := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(m)
	return []slog.Attr{slog.String("gogc", strconv.FormatUint(m[0].Value.Uint64(), 10)),
		slog.Int64("gomemlimit_bytes", int64(m[1].Value.Uint64()))}
}
