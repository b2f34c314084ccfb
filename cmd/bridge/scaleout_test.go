package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/causal"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/journal"
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// TestThreeInstancesBehindAProxy runs the built binary three times, as three operating-system
// processes (nothing shared but Neo4j, the provider, the SMTP server and the erasure journal's
// folder, as three machines would share them), behind a round-robin reverse proxy (the load
// balancer's role), with the secretariat signed in through the real provider:
//
//   - requests through the proxy reach every instance and are all answered;
//   - 30 notifications, due before the instances start, are claimed by three senders polling
//     every 50 ms at once, and each is sent exactly once (one e-mail per Message-ID);
//   - an introduction past its expiry is expired by exactly one instance (the introduction
//     worker's lease), and the retention job runs on at most one (its lease is held for its
//     interval, an hour);
//   - each instance erases one person, and the journal's folder lists all three erasures;
//   - each process stops cleanly on SIGTERM.
func TestThreeInstancesBehindAProxy(t *testing.T) {
	issuer, tokenURL := os.Getenv("OIDC_ISSUER"), os.Getenv("OIDC_TOKEN_URL")
	if issuer == "" || tokenURL == "" {
		t.Fatal("OIDC_ISSUER and OIDC_TOKEN_URL are not set: this test needs the local provider that `make test` starts")
	}
	testneo4j.Prepared(t, nil)
	scope := fx.NewScope(t, "scaleout")
	smtpServer := startRecordingSMTP(t)
	var notifications []string
	for i := range 30 {
		person := fx.Person(t, fx.PersonSpec{ID: scope.ID(fmt.Sprintf("person-%d", i)), Name: "Scale Out", GivenName: "Scale",
			Email: fmt.Sprintf("scale-%d@scaleout-test.example.org", i)})
		intro := fx.Introduction(t, fx.IntroductionSpec{ID: scope.ID(fmt.Sprintf("intro-%d", i)), Status: "PROPOSED",
			ThemeID: "housing-and-segregation", Recipients: []string{person}, Response: "PENDING"})
		notifications = append(notifications, fx.Notification(t, fx.NotificationSpec{ID: scope.ID(fmt.Sprintf("notification-%d", i)),
			Kind: bridge.NotificationIntroductionAsked, RecipientID: person, IntroductionID: intro}))
	}
	expiring := scope.ID("intro-0")
	fx.SetIntroductionExpiry(t, expiring, "-PT1S")
	var toErase []string
	for i := range 3 {
		toErase = append(toErase, fx.Person(t, fx.PersonSpec{ID: scope.ID(fmt.Sprintf("erased-%d", i)), Name: "Erase Me", GivenName: "Erase"}))
	}

	bin := buildBridge(t)
	db := testneo4j.Config(t)
	journalDir := t.TempDir() + "/"
	var instances []*bridgeProcess
	for range 3 {
		instances = append(instances, startBridge(t, bin, map[string]string{
			"NEO4J_URI": db.URI, "NEO4J_USER": db.User, "NEO4J_PASSWORD": db.Password,
			"OIDC_ISSUER": issuer, "OIDC_AUDIENCE": "bridge-api", "OIDC_ROLE_CLAIM": "groups",
			"NOTIFY_INTERVAL": "50ms", "SMTP_URL": "smtp://" + smtpServer.addr + "?starttls=off",
			"SECRETARIAT_EMAIL": "secretariat@scaleout-test.example.org", "BRIDGE_ERASURE_JOURNAL": journalDir}))
	}

	// The load balancer: round robin over the three.
	var next atomic.Int64
	served := make([]atomic.Int64, 3)
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		i := int(next.Add(1)) % 3
		served[i].Add(1)
		u, _ := url.Parse(instances[i].url)
		r.SetURL(u)
	}})
	defer proxy.Close()
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range 30 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(proxy.URL+"/graphql", "application/json", strings.NewReader(`{"query":"{ themes { id } }"}`))
			if err != nil {
				failed.Add(1)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				failed.Add(1)
			}
		}()
	}
	wg.Wait()
	if failed.Load() > 0 {
		t.Errorf("%d of 30 requests through the proxy failed", failed.Load())
	}
	for i := range served {
		if served[i].Load() == 0 {
			t.Errorf("instance %d was sent no request", i)
		}
	}

	// Each instance erases one person (sent to it directly, so that all three journal).
	token := providerToken(t, tokenURL, "secretariat")
	for i, id := range toErase {
		body, _ := json.Marshal(map[string]any{"query": `mutation($id: ID!) { erasePerson(id: $id) { consentsDeleted } }`,
			"variables": map[string]any{"id": gid("Person", id)}})
		api := &signInAPI{url: instances[i].url}
		if status, _, raw := api.doWith(t, token, string(body), nil); status != http.StatusOK || strings.Contains(raw, `"errors"`) {
			t.Fatalf("instance %d erasing %s: %d %s", i, id, status, raw)
		}
	}

	waitFor(t, "every notification sent", func() bool {
		for _, id := range notifications {
			if fx.NotificationStatus(t, id) != bridge.NotificationSent {
				return false
			}
		}
		return true
	})
	waitFor(t, "the overdue introduction expired", func() bool { return fx.IntroductionStatus(t, expiring) == "EXPIRED" })
	for i, p := range instances {
		if err := p.stop(); err != nil {
			t.Errorf("instance %d did not stop cleanly on SIGTERM: %v\n%s", i, err, p.log.String())
		}
	}

	for _, id := range notifications {
		if n := len(smtpServer.withMessageID(t, id)); n != 1 {
			t.Errorf("notification %s: %d e-mails, want exactly 1", id, n)
		}
	}
	contents, err := journal.ReadFile(journalDir)
	if err != nil {
		t.Fatal(err)
	}
	journaled := map[string]bool{}
	for _, e := range contents.Entries {
		journaled[e.PersonID] = true
	}
	for i, id := range toErase {
		if !journaled[id] {
			t.Errorf("the erasure by instance %d (%s) is not in the journal's folder: %+v", i, id, contents)
		}
	}
	senders, expired, retention := 0, 0, 0
	for _, p := range instances {
		s := p.log.String()
		if strings.Contains(s, `"outcome":"sent"`) {
			senders++
		}
		if strings.Contains(s, "introductions expired") {
			expired++
		}
		if strings.Contains(s, "retention run") {
			retention++
		}
	}
	t.Logf("requests per instance: %d %d %d; instances that sent e-mails: %d; that expired introductions: %d; that ran retention: %d",
		served[0].Load(), served[1].Load(), served[2].Load(), senders, expired, retention)
	if expired != 1 {
		t.Errorf("%d instances expired introductions, want exactly 1 (the lease)", expired)
	}
	if retention > 1 {
		t.Errorf("%d instances ran the retention job, want at most 1 (the lease)", retention)
	}
}

// buildBridge builds the command into a temporary folder and returns the binary's path.
func buildBridge(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bridge")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// bridgeProcess is `bridge serve` running as an operating-system process.
type bridgeProcess struct {
	url     string
	log     *lockedWriter
	cmd     *exec.Cmd
	stopped bool
}

// startBridge runs `bin serve` with only PATH, HOME, BRIDGE_ADDR (a free port) and env in its
// environment, waits until it is ready and stops it at the end of the test.
func startBridge(t *testing.T, bin string, env map[string]string) *bridgeProcess {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "BRIDGE_ADDR=" + addr}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &bridgeProcess{url: "http://" + addr, log: &lockedWriter{w: &bytes.Buffer{}}, cmd: cmd}
	cmd.Stdout, cmd.Stderr = p.log, p.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.stop() })
	if !waitReady(p.url) {
		t.Fatalf("bridge serve on %s not ready:\n%s", addr, p.log.String())
	}
	return p
}

// stop sends SIGTERM and waits for the process: nil when it exited with status 0.
func (p *bridgeProcess) stop() error {
	if p.stopped {
		return nil
	}
	p.stopped = true
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		_ = p.cmd.Process.Kill()
		return fmt.Errorf("still running 30 s after SIGTERM")
	}
}

// TestTwoBridgeProcessesCarryAUsersLastWrite runs the built binary twice, as two operating-system
// processes (nothing shared but Neo4j and the provider), with the settings each machine would
// have, and a member signed in through the real provider:
//
//   - each process starts with the garbage collector's defaults (GOGC=400, a 512 MiB limit);
//   - a profile created through the first answers with a bookmark token, and the second accepts
//     that token and reads the profile;
//   - a token sealed under the key both derive from their shared Neo4j credentials, for a
//     bookmark the database never issued, is refused by the second with BAD_USER_INPUT: the
//     processes derive one key, and the second begins its transactions with the client's
//     bookmarks.
func TestTwoBridgeProcessesCarryAUsersLastWrite(t *testing.T) {
	issuer, tokenURL := os.Getenv("OIDC_ISSUER"), os.Getenv("OIDC_TOKEN_URL")
	if issuer == "" || tokenURL == "" {
		t.Fatal("OIDC_ISSUER and OIDC_TOKEN_URL are not set: this test needs the local provider that `make test` starts")
	}
	testneo4j.Prepared(t, nil)
	member := demoUsers["member"][0]
	fx.RemovePeopleWithEmails(t, member) // a profile of a provider from an earlier run
	t.Cleanup(func() { fx.RemovePeopleWithEmails(t, member) })
	bin := buildBridge(t)
	db := testneo4j.Config(t)
	var apis []*signInAPI
	var logs []*lockedWriter
	for range 2 {
		p := startBridge(t, bin, map[string]string{"BRIDGE_ENV": "development",
			"NEO4J_URI": db.URI, "NEO4J_USER": db.User, "NEO4J_PASSWORD": db.Password,
			"OIDC_ISSUER": issuer, "OIDC_AUDIENCE": "bridge-api", "OIDC_ROLE_CLAIM": "groups",
			"BRIDGE_ERASURE_JOURNAL": filepath.Join(t.TempDir(), "erasures.jsonl")}) // not the development default in the package folder
		apis, logs = append(apis, &signInAPI{url: p.url}), append(logs, p.log)
	}
	for i, out := range logs {
		if !strings.Contains(out.String(), `"msg":"garbage collector","gogc":"400","gomemlimit_bytes":536870912`) {
			t.Errorf("process %d did not start with the collector's defaults:\n%s", i, out.String())
		}
	}

	token := providerToken(t, tokenURL, "member")
	create, _ := json.Marshal(map[string]string{"query": `mutation { createMyProfile(input: ` + profileInput + `) { id } }`})
	status, header, raw := apis[0].doWith(t, token, string(create), nil)
	bookmark := header.Get(causal.Header)
	if status != http.StatusOK || strings.Contains(raw, `"errors"`) || bookmark == "" {
		t.Fatalf("createMyProfile on the first process: %d, token %q, %s", status, bookmark, raw)
	}
	me, _ := json.Marshal(map[string]string{"query": `{ me { name } }`})
	if status, _, raw := apis[1].doWith(t, token, string(me), http.Header{causal.Header: {bookmark}}); status != http.StatusOK ||
		!strings.Contains(raw, "Test Profilsson") {
		t.Fatalf("the second process with the first's token: %d %s", status, raw)
	}
	never := neverIssuedToken(t, &config{Neo4jUser: db.User, Neo4jPassword: db.Password})
	if _, _, raw := apis[1].doWith(t, token, string(me), http.Header{causal.Header: {never}}); !strings.Contains(raw, `"code":"BAD_USER_INPUT"`) {
		t.Fatalf("the second process with a bookmark the database never issued: %s", raw)
	}
}
