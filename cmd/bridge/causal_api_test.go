package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/causal"
)

// TestAClientsLastWriteTravelsToAnotherInstance: two instances (each its own driver and bookmark
// manager) on one Neo4j. A write on the first answers with a sealed token of its bookmark; the
// second accepts the token and answers; a token of a bookmark the database never issued, sealed
// under the right key, is refused by Neo4j and answered BAD_USER_INPUT at the header, which shows
// that the second instance begins its transactions with the client's bookmarks; in the cookie,
// the same token is dropped (the read answers, the cookie is cleared). (On one server
// no read waits; routing to a lagging secondary needs a cluster, which this machine has not.)
func TestAClientsLastWriteTravelsToAnotherInstance(t *testing.T) {
	first, second := newTestAPI(t, envProduction, nil), newTestAPI(t, envProduction, nil)
	who := newAccount()
	mutation, _ := json.Marshal(map[string]string{"query": `mutation { createMyProfile(input: ` + profileInput + `) { id } }`})
	status, header, resp, raw, err := first.exchange(who, string(mutation), nil)
	if err != nil || status != http.StatusOK || len(resp.Errors) > 0 {
		t.Fatalf("createMyProfile: %d %s %v", status, raw, err)
	}
	token := header.Get(causal.Header)
	if token == "" || !strings.Contains(strings.Join(header.Values("Set-Cookie"), "\n"), "__Host-bridge_bookmark="+token) {
		t.Fatalf("a write gave header %q and cookies %q", token, header.Values("Set-Cookie"))
	}
	var created struct{ ID string }
	_ = json.Unmarshal(resp.Data["createMyProfile"], &created)
	_, key, _ := bridge.ParseGlobalID(nil, created.ID)
	who.PersonID = key

	me, _ := json.Marshal(map[string]string{"query": `{ me { name } }`})
	status, header, resp, raw, err = second.exchange(who, string(me), http.Header{causal.Header: {token}})
	if err != nil || status != http.StatusOK || len(resp.Errors) > 0 || !strings.Contains(raw, "Test Profilsson") {
		t.Fatalf("the other instance with the token: %d %s %v", status, raw, err)
	}
	if header.Get(causal.Header) != "" || len(header.Values("Set-Cookie")) != 0 {
		t.Fatalf("a read gave a token: %q %q", header.Get(causal.Header), header.Values("Set-Cookie"))
	}

	never := neverIssuedToken(t, testConfig(envProduction))
	status, _, resp, raw, err = second.exchange(who, string(me), http.Header{causal.Header: {never}})
	if err != nil || len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "BAD_USER_INPUT" ||
		!strings.Contains(resp.Errors[0].Message, "bookmark") || strings.Contains(raw, "Neo.") || strings.Contains(raw, "never-issued") {
		t.Fatalf("a bookmark the database never issued: %d %s %v", status, raw, err)
	}

	// The same refused bookmark as the browser's cookie: the read goes on without it, and the
	// answer clears the cookie.
	status, header, resp, raw, err = second.exchange(who, string(me), http.Header{"Cookie": {"__Host-bridge_bookmark=" + never}})
	if err != nil || status != http.StatusOK || len(resp.Errors) > 0 || !strings.Contains(raw, "Test Profilsson") ||
		!strings.Contains(strings.Join(header.Values("Set-Cookie"), "\n"), "__Host-bridge_bookmark=; Path=/; Max-Age=0") {
		t.Fatalf("a refused bookmark in the cookie: %d %s %q %v", status, raw, header.Values("Set-Cookie"), err)
	}

	status, _, _, raw, err = second.exchange(who, string(me), http.Header{causal.Header: {"made-up"}})
	if err != nil || status != http.StatusBadRequest || !strings.Contains(raw, `"code":"BAD_USER_INPUT"`) {
		t.Fatalf("a token Bridge did not give out: %d %s %v", status, raw, err)
	}
}

// neverIssuedToken is a token sealed under the key an instance with cfg's Neo4j credentials
// derives, of a bookmark the database never issued: it opens, and Neo4j refuses it.
func neverIssuedToken(t *testing.T, cfg *config) string {
	t.Helper()
	sealer, err := causal.NewSealer(causal.KeyFrom(cfg.bookmarkSecret()))
	if err != nil {
		t.Fatal(err)
	}
	return sealer.Seal([]string{"FB:never-issued"})
}
