//go:build drill

package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// TestBackupDrill is the backup and restore drill of the README's "Restoring a backup", timed
// (`make backup-drill` at 100,000 demo people; `make test` runs it at a few hundred). It runs on
// the throwaway Neo4j that neo4j.sh starts for it (BRIDGE_NEO4J_HOME), which it stops and
// starts, so it never runs on the shared test server:
//
//  1. BRIDGE_BENCH_PEOPLE demo people are loaded;
//  2. the server is stopped, its database dumped (the backup) and the server started again;
//  3. people are erased after the backup, through the API as the secretariat, each one
//     appended to the erasure journal;
//  4. the live database's people and organisations are exported (`bridge export`, JSON);
//  5. the backup is loaded into a fresh home, started, `bridge migrate` and `bridge
//     reapply-erasures` run on it, as the README says;
//  6. the restored database's exports are the live one's, byte for byte (count and SHA-256).
func TestBackupDrill(t *testing.T) {
	gen, n := benchData(t)
	home, uri, password := os.Getenv("BRIDGE_NEO4J_HOME"), os.Getenv("NEO4J_URI"), os.Getenv("NEO4J_PASSWORD")
	if home == "" {
		t.Fatal("BRIDGE_NEO4J_HOME is not set: the drill stops its server, so it runs on a throwaway one (make backup-drill)")
	}
	port := uri[strings.LastIndex(uri, ":")+1:]
	neo4jsh := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("../../neo4j/neo4j.sh", args...).CombinedOutput(); err != nil {
			t.Fatalf("neo4j.sh %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	step := func(name string, f func()) {
		t.Helper()
		start := time.Now()
		f()
		fmt.Printf("drill %s: %s\n", name, time.Since(start).Round(10*time.Millisecond))
	}
	fmt.Printf("drill at %d demo people\n", n)

	backup := t.TempDir()
	step("stop, dump, start (the backup)", func() {
		neo4jsh("stop", home)
		neo4jsh("dump", home, backup)
		neo4jsh("start", home, port, password)
	})
	if fi, err := os.Stat(filepath.Join(backup, "neo4j.dump")); err == nil {
		fmt.Printf("drill backup: %.1f MiB\n", float64(fi.Size())/(1<<20))
	} else {
		t.Fatalf("no dump: %v", err)
	}

	// Erasures after the backup: the API journals each one, as `bridge serve` does.
	jpath := filepath.Join(t.TempDir(), "erasures.jsonl")
	jcfg := testConfig(envProduction)
	jcfg.ErasureJournal = jpath
	j, err := openJournal(jcfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	sc := testneo4j.Config(t)
	sc.ErasureJournal = j
	// The first erasure runs on the Neo4j just started again (the drill failed at ba96af5 at
	// times on the 5 s deadline). The drill checks what a restore brings back, not latency.
	a := newPatientAPI(t, sc)
	const erased = 5
	step(fmt.Sprintf("erase %d people after the backup", erased), func() {
		for i := range erased {
			id := gen.PersonID((i*7919 + 1) % n)
			status, resp, raw := a.postAs(secretariat, mustJSON(map[string]any{
				"query":     `mutation($id: ID!) { erasePerson(id: $id) { consentsDeleted } }`,
				"variables": map[string]any{"id": gid("Person", id)}}))
			if status != 200 || len(resp.Errors) > 0 {
				t.Fatalf("erase %s: %d %s", id, status, raw)
			}
		}
	})

	env := func(uri, password string) func(string) string {
		return func(k string) string {
			switch k {
			case "NEO4J_URI":
				return uri
			case "NEO4J_USER":
				return "neo4j"
			case "NEO4J_PASSWORD":
				return password
			case "BRIDGE_ENV":
				return envProduction
			case "BRIDGE_ERASURE_JOURNAL":
				return jpath
			}
			return ""
		}
	}
	bridgeCmd := func(getenv func(string) string, args ...string) string {
		t.Helper()
		var out, errs bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
		defer cancel()
		if err := run(ctx, args, getenv, &out, &errs); err != nil {
			t.Fatalf("bridge %s: %v\n%s", strings.Join(args, " "), err, errs.String())
		}
		return out.String()
	}
	type snapshot struct {
		people, organisations int
		sum                   string
	}
	exports := func(getenv func(string) string) snapshot {
		t.Helper()
		var s snapshot
		h := sha256.New()
		for _, kind := range []string{"people", "organisations"} {
			out := bridgeCmd(getenv, "export", "--format", "json", "--include-demo", kind)
			var rows []json.RawMessage
			if err := json.Unmarshal([]byte(out), &rows); err != nil {
				t.Fatalf("export %s: not a JSON array: %v", kind, err)
			}
			if kind == "people" {
				s.people = len(rows)
			} else {
				s.organisations = len(rows)
			}
			h.Write([]byte(out))
		}
		s.sum = hex.EncodeToString(h.Sum(nil))
		return s
	}
	var live snapshot
	step("export the live database", func() { live = exports(env(uri, password)) })

	fresh := filepath.Join(filepath.Dir(home), "drill-"+filepath.Base(home))
	t.Cleanup(func() {
		_ = exec.Command("../../neo4j/neo4j.sh", "stop", fresh).Run()
		_ = os.RemoveAll(fresh)
	})
	freshPort := strings.TrimSpace(func() string {
		out, err := exec.Command("../../neo4j/neo4j.sh", "freeport").Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}())
	freshPassword := "drill-" + password
	freshEnv := env("bolt://127.0.0.1:"+freshPort, freshPassword)
	step("load the backup into a fresh home and start it", func() {
		neo4jsh("load", fresh, backup)
		neo4jsh("start", fresh, freshPort, freshPassword)
	})
	step("bridge migrate", func() { bridgeCmd(freshEnv, "migrate") })
	step("bridge reapply-erasures", func() { fmt.Print("drill: ", bridgeCmd(freshEnv, "reapply-erasures")) })
	var restored snapshot
	step("export the restored database", func() { restored = exports(freshEnv) })

	fmt.Printf("drill live: %d people, %d organisations, sha256 %s\n", live.people, live.organisations, live.sum)
	fmt.Printf("drill restored: %d people, %d organisations, sha256 %s\n", restored.people, restored.organisations, restored.sum)
	if restored != live {
		t.Errorf("the restored database differs from the live one: %+v, live %+v", restored, live)
	}
	if live.people != n-erased {
		t.Errorf("the live export has %d people, want the %d loaded less the %d erased", live.people, n, erased)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
