package main

import (
	"bytes"
	"context"
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
	"github.com/nordic-integration/bridge/internal/testneo4j"
)

// TestThreeInstancesBehindAProxy runs three `bridge serve` (the real command, in process) on one
// Neo4j and one SMTP server, behind a round-robin reverse proxy (the load balancer's role):
//
//   - requests through the proxy reach every instance and are all answered;
//   - 30 notifications, due before the instances start, are claimed by three senders polling
//     every 50 ms at once, and each is sent exactly once (one e-mail per Message-ID);
//   - an introduction past its expiry is expired by exactly one instance (the introduction
//     worker's lease), and the retention job runs on at most one (its lease is held for its
//     interval, an hour).
func TestThreeInstancesBehindAProxy(t *testing.T) {
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

	cfg := testneo4j.Config(t)
	journalDir := t.TempDir() + "/"
	ctx, cancel := context.WithCancel(context.Background())
	var backends []*url.URL
	var logs []*lockedWriter
	done := make(chan error, 3)
	for range 3 {
		env := map[string]string{"NEO4J_URI": cfg.URI, "NEO4J_USER": cfg.User, "NEO4J_PASSWORD": cfg.Password,
			"BRIDGE_ADDR": freeAddr(t), "NOTIFY_INTERVAL": "50ms",
			"SMTP_URL": "smtp://" + smtpServer.addr + "?starttls=off", "SECRETARIAT_EMAIL": "secretariat@scaleout-test.example.org",
			"BRIDGE_ERASURE_JOURNAL": journalDir}
		out := &lockedWriter{w: &bytes.Buffer{}}
		logs = append(logs, out)
		go func() { done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, out, out) }()
		u, _ := url.Parse("http://" + env["BRIDGE_ADDR"])
		backends = append(backends, u)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		for range 3 {
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("serve returned %v", err)
				}
			case <-time.After(30 * time.Second):
				t.Error("serve did not stop")
			}
		}
	}
	t.Cleanup(stop)
	for i, b := range backends {
		if !waitReady(b.String()) {
			t.Fatalf("instance %d did not become ready: %s", i, logs[i].String())
		}
	}

	// The load balancer: round robin over the three.
	var next atomic.Int64
	served := make([]atomic.Int64, 3)
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		i := int(next.Add(1)) % 3
		served[i].Add(1)
		r.SetURL(backends[i])
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

	waitFor(t, "every notification sent", func() bool {
		for _, id := range notifications {
			if fx.NotificationStatus(t, id) != bridge.NotificationSent {
				return false
			}
		}
		return true
	})
	waitFor(t, "the overdue introduction expired", func() bool { return fx.IntroductionStatus(t, expiring) == "EXPIRED" })
	stop()

	for _, id := range notifications {
		if n := len(smtpServer.withMessageID(t, id)); n != 1 {
			t.Errorf("notification %s: %d e-mails, want exactly 1", id, n)
		}
	}
	senders, expired, retention := 0, 0, 0
	for _, l := range logs {
		s := l.String()
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
	bin := filepath.Join(t.TempDir(), "bridge")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db := testneo4j.Config(t)
	var apis []*signInAPI
	var logs []*lockedWriter
	for range 2 {
		addr := freeAddr(t)
		cmd := exec.Command(bin, "serve")
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "BRIDGE_ENV=development",
			"BRIDGE_ADDR=" + addr, "NEO4J_URI=" + db.URI, "NEO4J_USER=" + db.User, "NEO4J_PASSWORD=" + db.Password,
			"OIDC_ISSUER=" + issuer, "OIDC_AUDIENCE=bridge-api", "OIDC_ROLE_CLAIM=groups",
			"BRIDGE_ERASURE_JOURNAL=" + filepath.Join(t.TempDir(), "erasures.jsonl")} // not the development default in the package folder
		out := &lockedWriter{w: &bytes.Buffer{}}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			_ = cmd.Wait()
		})
		api := &signInAPI{url: "http://" + addr}
		if !waitReady(api.url) {
			t.Fatalf("bridge serve on %s not ready:\n%s", addr, out.String())
		}
		apis, logs = append(apis, api), append(logs, out)
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
