//go:build load

package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// The long load runs (issue 16), `make load`: on a fresh Neo4j with BRIDGE_BENCH_PEOPLE demo
// people (default 100,000 there), the mix of load_test.go
//
//   - baseline: BRIDGE_LOAD_RATE requests/s (default 20) for BRIDGE_LOAD_SECONDS (default 60);
//   - overload: 5× that rate for the same time, with the per-caller rate limit at its default;
//   - cut: the baseline with the path to Neo4j cut for 10 s in the middle;
//   - restart: Neo4j stopped and started while introductions are requested, each sent again
//     with its idempotency key until answered; the writes are counted after (writesAcross);
//   - soak: BRIDGE_LOAD_SOAK (e.g. 30m) at half the baseline rate, heap and goroutines sampled
//     every minute (not run when unset).
//
// Each prints its report; the figures go to docs/operations.md. They measure, they do not
// judge: only failures of the service (INTERNAL, transport errors, 5xx) fail a run.
func TestLoadLong(t *testing.T) {
	gen, n := benchData(t)
	rate := envInt("BRIDGE_LOAD_RATE", 20)
	d := time.Duration(envInt("BRIDGE_LOAD_SECONDS", 60)) * time.Second
	mix := loadMix(gen, n)
	var a *api
	report := func(name string, rep loadReport, allowed ...string) {
		t.Helper()
		fmt.Printf("load %s at %d people: %s\n", name, n, rep)
		if f := rep.failures(allowed...); len(f) > 0 {
			t.Errorf("%s: failures %v (by request: %v)", name, f, rep.byStep(f))
			// The causes are in the API's log (never in the answers).
			for _, line := range internalCauses(a, 5) {
				fmt.Printf("load %s: %s\n", name, line)
			}
		}
	}
	t.Run("baseline", func(t *testing.T) {
		a = newTestAPIWith(t, loadConfig(0), nil)
		runLoad(t, a, mix, rate, 5*time.Second, nil) // warm-up: pools, caches, plans
		report("baseline", runLoad(t, a, mix, rate, d, nil))
	})
	t.Run("overload", func(t *testing.T) {
		a = newTestAPIWith(t, loadConfig(300), nil)
		runLoad(t, a, mix, rate, 5*time.Second, nil)
		report("overload 5x", runLoad(t, a, mix, 5*rate, d, nil), "RATE_LIMITED", "UNAVAILABLE")
	})
	t.Run("cut", func(t *testing.T) {
		base := testneo4j.Config(t)
		proxy := testneo4j.NewProxy(t, base.URI)
		sc := base
		sc.URI = proxy.URI()
		a = newTestAPIWith(t, loadConfig(0), &sc)
		runLoad(t, a, mix, rate, 5*time.Second, nil)
		before := settledGoroutines(a, 0)
		restored := time.Now().Add(d/2 + 10*time.Second)
		go func() {
			time.Sleep(d / 2)
			proxy.SetDown(true)
			time.Sleep(time.Until(restored))
			proxy.SetDown(false)
		}()
		rep := runLoad(t, a, mix, rate, d+15*time.Second, nil)
		report("cut 10 s", rep, "UNAVAILABLE")
		var lastError time.Time
		for _, r := range rep.Results {
			if r.Code == "UNAVAILABLE" {
				lastError = r.At
			}
		}
		fmt.Printf("load cut: the last UNAVAILABLE was sent %s after the database came back; goroutines %d before, %d after\n",
			lastError.Sub(restored).Round(100*time.Millisecond), before, settledGoroutines(a, before+10))
	})
	t.Run("restart", func(t *testing.T) {
		// Neo4j itself stopped and started again (the throwaway server of `make load`) while
		// introductions are requested; the writes are counted after.
		home, uri := os.Getenv("BRIDGE_NEO4J_HOME"), os.Getenv("NEO4J_URI")
		if home == "" {
			t.Fatal("BRIDGE_NEO4J_HOME is not set: run it through `make load`")
		}
		port := uri[strings.LastIndex(uri, ":")+1:]
		a = newTestAPIWith(t, loadConfig(0), nil)
		people := gen.People(0, min(n, 2000))
		res := writesAcross(t, a, people, "restart-", 3*time.Minute, func(time.Time) {
			time.Sleep(500 * time.Millisecond)
			took := time.Now()
			for _, args := range [][]string{{"stop", home}, {"start", home, port, os.Getenv("NEO4J_PASSWORD")}} {
				if out, err := exec.Command("../../neo4j/neo4j.sh", args...).CombinedOutput(); err != nil {
					t.Errorf("neo4j.sh %s: %v\n%s", args[0], err, out)
				}
			}
			fmt.Printf("load restart: Neo4j stopped and ready again in %s\n", time.Since(took).Round(100*time.Millisecond))
		})
		fmt.Printf("load restart: %s\n", res)
	})
	if soak := os.Getenv("BRIDGE_LOAD_SOAK"); soak != "" {
		t.Run("soak", func(t *testing.T) {
			total, err := time.ParseDuration(soak)
			if err != nil {
				t.Fatal(err)
			}
			a = newTestAPIWith(t, loadConfig(0), nil)
			warmUp(a, mix)
			runLoad(t, a, mix, max(rate/2, 1), 5*time.Second, nil)
			// Goroutines are counted once the minute's connections are closed: each minute's
			// attacker leaves its keep-alive connections open (three goroutines each, client and
			// server), which would read as a leak of the API's.
			before := settledGoroutines(a, 0)
			fmt.Printf("load soak: %d goroutines before, with the connections closed\n", before)
			for elapsed := time.Duration(0); elapsed < total; elapsed += time.Minute {
				rep := runLoad(t, a, mix, max(rate/2, 1), time.Minute, nil)
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				heap, goroutines := float64(ms.HeapAlloc)/(1<<20), runtime.NumGoroutine()
				settled := settledGoroutines(a, before)
				// The live heap: after a collection, with the connections closed. It holds the API's
				// log captured by the test (a.logs, every request's line), which grows by design;
				// what the API itself holds is the rest.
				runtime.GC()
				runtime.ReadMemStats(&ms)
				logMiB := float64(a.logs.Len()) / (1 << 20)
				fmt.Printf("load soak %s: heap %.0f MiB, live heap %.1f MiB after GC (%.1f MiB of it the captured API log), goroutines %d (%d with the connections closed), %s\n",
					elapsed+time.Minute, heap, float64(ms.HeapAlloc)/(1<<20), logMiB, goroutines, settled, rep)
				if f := rep.failures(); len(f) > 0 {
					t.Errorf("soak minute %s: failures %v", elapsed+time.Minute, f)
				}
			}
		})
	}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
