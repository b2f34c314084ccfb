package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/fx"
	"github.com/nordic-integration/bridge/internal/testneo4j"
	"github.com/nordic-integration/bridge/seed/demo"
)

// The load tool (issue 16): a realistic mix of the API's reads and writes as the signed-in roles,
// sent by vegeta (open loop: a fixed rate, whatever the answers) to the real handler in process
// over a real Neo4j, bounded in count and time, on the loopback only. Sign-in is not part of the
// mix: the principals are injected as in every API test (withTestPrincipal), so the figures are
// the API's and the database's, not the OIDC provider's. The short runs below are tests that CI
// runs (they assert outcomes: codes, counts, recovery; never timings); the long runs are the
// `make load` targets (load_long_test.go, build tag load) whose figures go to docs/operations.md.

// loadStep is one kind of request of the mix.
type loadStep struct {
	name   string
	weight int
	// body returns the request's body and principal for the i-th request of this kind.
	body func(i int) (string, bridge.Principal)
}

// loadMix is the mix over n demo people of gen: searches, a page of people, a person, peers,
// organisations, warm paths, and writes (a member sets their themes, a member asks for an
// introduction).
func loadMix(gen *demo.Generator, n int) []loadStep {
	people := make([]bridge.Person, 0, min(n, 2000))
	for from := 0; from < min(n, 2000); from += 500 {
		people = append(people, gen.People(from, min(from+500, n, 2000))...)
	}
	words := []string{"integration", "språk", "arbetsmarknaden", "koordinator", "kotoutuminen", "Malmö", "Bergen", "Tampere",
		"family", "housing", "rådgiver", "asylum", "education", "health", "Reykjavík"}
	// person i of the mix: spread over the people, the same for the same i (the targeter is called
	// from vegeta's workers at once, so nothing here may share state).
	person := func(i int) bridge.Person { return people[(i*7919+(i/7)*104729)%len(people)] }
	as := func(p bridge.Person) bridge.Principal {
		return bridge.Principal{Role: bridge.RoleMember, PersonID: p.ID}
	}
	q := func(query string, vars map[string]any) string {
		b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
		return string(b)
	}
	sel := `id name title country { code } themes { mode theme { label(lang: "sv") } }`
	return []loadStep{
		{"search", 30, func(i int) (string, bridge.Principal) {
			return q(`query($t: String!) { people(first: 20, filter: {text: $t}) { edges { node { `+sel+` } } } }`,
				map[string]any{"t": words[i%len(words)]}), as(person(i))
		}},
		{"people page", 10, func(i int) (string, bridge.Principal) {
			return q(`{ people(first: 20) { totalCount edges { node { `+sel+` } } } }`, nil), as(person(i))
		}},
		{"person", 20, func(i int) (string, bridge.Principal) {
			return q(`query($id: ID!) { person(id: $id) { `+sel+` affiliations { organisation { name } } municipality { name } } }`,
				map[string]any{"id": bridge.GlobalID("Person", person(i+1).ID)}), as(person(i))
		}},
		{"peers", 15, func(i int) (string, bridge.Principal) {
			return q(`{ peers(first: 10) { score introductionPossible person { id name } } }`, nil), as(person(i))
		}},
		{"organisations", 10, func(i int) (string, bridge.Principal) {
			return q(`{ organisations(first: 20) { edges { node { name staff(first: 5) { totalCount edges { node { name } } } } } } }`, nil),
				as(person(i))
		}},
		{"paths", 5, func(i int) (string, bridge.Principal) {
			from, to := person(i), person(i+3)
			return q(`query($f: ID!, $t: ID!) { introductionPaths(from: $f, to: $t) { length } }`,
				map[string]any{"f": bridge.GlobalID("Person", from.ID), "t": bridge.GlobalID("Person", to.ID)}), as(from)
		}},
		{"set my themes", 5, func(i int) (string, bridge.Principal) {
			p := person(i)
			var themes []map[string]any
			for _, l := range p.Themes {
				themes = append(themes, map[string]any{"theme": bridge.GlobalID("Theme", l.ThemeID), "mode": string(l.Mode)})
			}
			return q(`mutation($t: [MyThemeInput!]!) { setMyThemes(themes: $t) { id } }`, map[string]any{"t": themes}), as(p)
		}},
		{"request an introduction", 5, func(i int) (string, bridge.Principal) {
			from, to := person(i), person(i+5)
			theme := "family-reunification"
			if len(to.Themes) > 0 {
				theme = to.Themes[0].ThemeID
			}
			return q(`mutation($in: RequestIntroductionInput!) { requestIntroduction(input: $in) { id status } }`,
				map[string]any{"in": map[string]any{"to": bridge.GlobalID("Person", to.ID), "theme": bridge.GlobalID("Theme", theme),
					"message": "We work on the same thing; could we talk?", "clientRequestId": "load-" + strconv.Itoa(i) + "-" + from.ID[:8]}}), as(from)
		}},
	}
}

// loadReport is what a run measured.
type loadReport struct {
	Requests   int
	Rate       float64 // requests per second sent
	Throughput float64 // successful answers per second
	P50, P95   time.Duration
	P99, Max   time.Duration
	Codes      map[string]int // by answer: OK, a GraphQL error code, HTTP <status>, or transport
	RSSMiB     float64
	Goroutines int
	// Results are the answers in the order they arrived: when each request was sent, and its code.
	Results []loadResult
}

type loadResult struct {
	At         time.Time
	Code, Step string
}

// failures are the answers that are errors of the service (not of the request): anything but OK
// and the domain's answers to what the mix asked (NOT_POSSIBLE, CONFLICT, NOT_FOUND for an
// introduction to someone the requester may not see), and those the caller allows (e.g.
// RATE_LIMITED when over the limit, UNAVAILABLE with the database away).
func (r loadReport) failures(allowed ...string) map[string]int {
	ok := map[string]bool{"OK": true, "NOT_POSSIBLE": true, "CONFLICT": true, "NOT_FOUND": true}
	for _, a := range allowed {
		ok[a] = true
	}
	out := map[string]int{}
	for c, n := range r.Codes {
		if !ok[c] {
			out[c] = n
		}
	}
	return out
}

// byStep counts the answers with the given codes per kind of request.
func (r loadReport) byStep(codes map[string]int) map[string]int {
	out := map[string]int{}
	for _, x := range r.Results {
		if _, ok := codes[x.Code]; ok {
			out[x.Step+" "+x.Code]++
		}
	}
	return out
}

func (r loadReport) String() string {
	codes := make([]string, 0, len(r.Codes))
	for c, n := range r.Codes {
		codes = append(codes, fmt.Sprintf("%s %d", c, n))
	}
	sort.Strings(codes)
	return fmt.Sprintf("%d requests at %.0f/s: %.1f answers/s, p50 %s p95 %s p99 %s max %s; %s; RSS %.0f MiB, %d goroutines",
		r.Requests, r.Rate, r.Throughput, r.P50.Round(time.Millisecond), r.P95.Round(time.Millisecond), r.P99.Round(time.Millisecond),
		r.Max.Round(time.Millisecond), strings.Join(codes, ", "), r.RSSMiB, r.Goroutines)
}

// runLoad sends the mix at rate for d to the API (vegeta, open loop) and classifies every answer.
// Every request of a run gets a number of its own, so that its body differs (e.g. the
// clientRequestId of an introduction request). who, when set, sends everything as that principal.
func runLoad(t testing.TB, a *api, mix []loadStep, rate int, d time.Duration, who *bridge.Principal) loadReport {
	t.Helper()
	var weights []int
	for k, s := range mix {
		for range s.weight {
			weights = append(weights, k)
		}
	}
	var seq atomic.Int64
	url := a.srv.URL + "/graphql"
	targeter := func(tgt *vegeta.Target) error {
		i := int(seq.Add(1))
		body, p := mix[weights[i%len(weights)]].body(i)
		if who != nil {
			p = *who
		}
		tgt.Method, tgt.URL, tgt.Body = http.MethodPost, url, []byte(body)
		tgt.Header = http.Header{"Content-Type": {"application/json"}}
		if p.Role != bridge.RoleAnonymous {
			tgt.Header.Set(testPrincipalHeader, string(p.Role)+"|"+p.PersonID)
		}
		return nil
	}
	attacker := vegeta.NewAttacker(vegeta.Timeout(30*time.Second), vegeta.MaxBody(1<<20), vegeta.KeepAlive(true))
	var m vegeta.Metrics
	rep := loadReport{Codes: map[string]int{}}
	for res := range attacker.Attack(targeter, vegeta.Rate{Freq: rate, Per: time.Second}, d, "load") {
		m.Add(res)
		code := answerCode(res)
		rep.Codes[code]++
		// vegeta numbers the hits in the order it asks the targeter for them.
		step := mix[weights[int(res.Seq+1)%len(weights)]].name
		rep.Results = append(rep.Results, loadResult{At: res.Timestamp, Code: code, Step: step})
	}
	m.Close()
	rep.Requests, rep.Rate, rep.Throughput = int(m.Requests), m.Rate, m.Throughput
	rep.P50, rep.P95, rep.P99, rep.Max = m.Latencies.P50, m.Latencies.P95, m.Latencies.P99, m.Latencies.Max
	rep.RSSMiB, rep.Goroutines = rssMiB(), apiGoroutines()
	sort.Slice(rep.Results, func(i, j int) bool { return rep.Results[i].At.Before(rep.Results[j].At) })
	return rep
}

// answerCode is the outcome of one answer: OK, the first GraphQL error's code, HTTP <status>
// when the status says more, or transport when nothing came back.
func answerCode(res *vegeta.Result) string {
	if res.Code == 0 {
		return "transport"
	}
	var out struct {
		Errors []struct {
			Extensions map[string]any `json:"extensions"`
		} `json:"errors"`
	}
	_ = json.Unmarshal(res.Body, &out)
	if len(out.Errors) > 0 {
		if c, ok := out.Errors[0].Extensions["code"].(string); ok {
			return c
		}
		return "no code"
	}
	if res.Code != http.StatusOK {
		return "HTTP " + strconv.Itoa(int(res.Code))
	}
	return "OK"
}

// rssMiB is the resident memory of this process (the API and the load generator together).
func rssMiB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}

// settledGoroutines closes the connections the load left open (keep-alive), waits (a bounded
// number of times) for the goroutines of finished requests to end, and returns how many there
// are. The test proxy's own goroutines (two per connection the driver opens through it, more
// after a cut as the pool reconnects) are not the API's and are not counted.
func settledGoroutines(a *api, limit int) int {
	a.srv.CloseClientConnections()
	n := apiGoroutines()
	for range 50 {
		if n <= limit {
			return n
		}
		time.Sleep(100 * time.Millisecond)
		n = apiGoroutines()
	}
	return n
}

// apiGoroutines counts the goroutines of this process but the test proxy's.
func apiGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.TrimSpace(g) != "" && !strings.Contains(g, "testneo4j.(*Proxy)") {
			count++
		}
	}
	return count
}

// loadConfig is the test configuration the load runs use: no weekly limit on introduction
// requests to speak of (the mix asks often), the rate limit as given, load shedding as serve's.
func loadConfig(ratePerMinute int) *config {
	cfg := testConfig(envProduction)
	cfg.RequestTimeout = 5 * time.Second // a request under load that waits longer than this fails it
	cfg.IntroductionWeeklyLimit = 1_000_000
	cfg.RateLimit = ratePerMinute
	cfg.ReferenceTTL = 30 * time.Second
	cfg.MaxInFlight, cfg.QueueWait = 8*runtime.GOMAXPROCS(0), time.Second // as `bridge serve` has them
	return cfg
}

// loadN demo people (seed 42) are those TestNestedReadsCostOneRoundTripPerLevel loads: the same
// people, so that the short load runs leave no more people behind for the packages tested after
// this one on the same Neo4j; the introductions the runs ask for are removed after each test.
const loadN = 400

func loadPeople(t *testing.T) *demo.Generator {
	gen := seedDemoPeople(t, loadN, 42)
	t.Cleanup(func() { fx.RemoveIntroductionsRequestedAs(t, "load-") })
	return gen
}

// TestLoadMixAnswersWithoutErrors: the mix at a steady rate for a few seconds answers every
// request with data or a domain answer, and leaves no goroutines behind.
func TestLoadMixAnswersWithoutErrors(t *testing.T) {
	gen := loadPeople(t)
	a := newTestAPIWith(t, loadConfig(0), nil)
	mix := loadMix(gen, loadN)
	warmUp(a, mix)
	runLoad(t, a, mix, 10, time.Second, nil) // the pools fill; what is left after this is the baseline
	before := settledGoroutines(a, 0)
	rep := runLoad(t, a, mix, 25, 3*time.Second, nil)
	t.Logf("mix: %s", rep)
	if rep.Requests < 70 {
		t.Fatalf("only %d requests were sent", rep.Requests)
	}
	if f := rep.failures(); len(f) > 0 {
		t.Errorf("failures under a steady load: %v", f)
	}
	if rep.Codes["OK"] < rep.Requests/2 {
		t.Errorf("only %d of %d answers had data: %v", rep.Codes["OK"], rep.Requests, rep.Codes)
	}
	if n := settledGoroutines(a, before+10); n > before+10 {
		t.Errorf("%d goroutines after the run, %d before: some requests left theirs behind", n, before)
	}
}

// TestOverloadIsRefusedNotFailed: one caller far over their rate limit is answered 429
// RATE_LIMITED for the excess, at once, and nothing fails.
func TestOverloadIsRefusedNotFailed(t *testing.T) {
	gen := loadPeople(t)
	a := newTestAPIWith(t, loadConfig(60), nil)
	who := bridge.Principal{Role: bridge.RoleMember, PersonID: gen.PersonID(3)}
	rep := runLoad(t, a, loadMix(gen, loadN), 60, 2*time.Second, &who)
	t.Logf("overload: %s", rep)
	if rep.Codes["RATE_LIMITED"] == 0 {
		t.Fatalf("120 requests in 2 s with a limit of 60 a minute: none refused: %v", rep.Codes)
	}
	if f := rep.failures("RATE_LIMITED"); len(f) > 0 {
		t.Errorf("failures under overload: %v", f)
	}
}

// warmUp sends each request of the mix a few times, one at a time, so that Neo4j has planned
// every query before the rate starts: on a fresh server a peers query takes about 0.7 s to
// plan, and the first requests of a short run at 25/s would otherwise all plan at once and miss
// their deadline (what is measured is the load, not a cold start).
func warmUp(a *api, mix []loadStep) {
	for _, st := range mix {
		for i := range 3 {
			body, who := st.body(i)
			_, _, _, _ = a.send(who, body)
		}
	}
}

// apiBehindProxy is the API whose store reaches Neo4j through a proxy that a test can cut, with
// the store's round trips bounded to 2 s.
func apiBehindProxy(t *testing.T) (*api, *testneo4j.Proxy) {
	t.Helper()
	base := testneo4j.Config(t)
	proxy := testneo4j.NewProxy(t, base.URI)
	sc := base
	sc.URI, sc.QueryTimeout = proxy.URI(), 2*time.Second
	return newTestAPIWith(t, loadConfig(0), &sc), proxy
}

// TestDatabaseCutDuringLoadRecovers: with the path to Neo4j cut during a run, the requests that
// need it answer UNAVAILABLE (never INTERNAL, never a transport error), and once it is back the
// API answers without errors again, without a restart; no goroutines are left behind.
func TestDatabaseCutDuringLoadRecovers(t *testing.T) {
	gen := loadPeople(t)
	a, proxy := apiBehindProxy(t)
	mix := loadMix(gen, loadN)
	warmUp(a, mix)
	runLoad(t, a, mix, 10, time.Second, nil)
	before := settledGoroutines(a, 0)
	start := time.Now()
	restored := start.Add(3 * time.Second)
	go func() {
		time.Sleep(time.Second)
		proxy.SetDown(true)
		time.Sleep(time.Until(restored))
		proxy.SetDown(false)
	}()
	rep := runLoad(t, a, mix, 20, 8*time.Second, nil)
	t.Logf("cut from 1 s to 3 s: %s", rep)
	if f := rep.failures("UNAVAILABLE"); len(f) > 0 {
		t.Errorf("answers other than data, domain answers and UNAVAILABLE: %v (by request: %v); the causes in the API's log:\n%s",
			f, rep.byStep(f), strings.Join(internalCauses(a, 5), "\n"))
	}
	if rep.Codes["UNAVAILABLE"] == 0 {
		t.Errorf("no request noticed the cut: %v", rep.Codes)
	}
	late := 0
	for _, r := range rep.Results {
		if r.At.After(restored.Add(3*time.Second)) && r.Code == "UNAVAILABLE" {
			late++
		}
	}
	if late > 0 {
		t.Errorf("%d requests sent 3 s after the database came back still answered UNAVAILABLE", late)
	}
	if n := settledGoroutines(a, before+10); n > before+10 {
		t.Errorf("%d goroutines after the run, %d before", n, before)
	}
}

// TestOverloadIsShed: with more requests at once than the API serves (BRIDGE_MAX_IN_FLIGHT 2,
// a short wait for a slot), the excess is answered 503 UNAVAILABLE with Retry-After instead of
// queueing until every request misses its deadline; nothing fails.
func TestOverloadIsShed(t *testing.T) {
	gen := loadPeople(t)
	cfg := loadConfig(0)
	cfg.MaxInFlight, cfg.QueueWait = 2, 20*time.Millisecond
	a := newTestAPIWith(t, cfg, nil)
	rep := runLoad(t, a, loadMix(gen, loadN), 80, 2*time.Second, nil)
	t.Logf("shed: %s", rep)
	if rep.Codes["UNAVAILABLE"] == 0 || rep.Codes["OK"] == 0 {
		t.Fatalf("160 requests, 2 served at once: want some served and some shed: %v", rep.Codes)
	}
	if f := rep.failures("UNAVAILABLE"); len(f) > 0 {
		t.Errorf("failures under overload: %v", f)
	}
	status, resp, raw := shedProbe(t, a, cfg.MaxInFlight)
	if status != http.StatusServiceUnavailable || len(resp.Errors) == 0 || resp.Errors[0].Extensions["code"] != "UNAVAILABLE" {
		t.Errorf("a request with every slot taken: HTTP %d %s", status, raw)
	}
}

// shedProbe takes every slot with requests whose body has not arrived yet (the handler holds its
// slot while it reads the body) and sends one more: its answer is what a caller gets when the API
// is full.
func shedProbe(t *testing.T, a *api, slots int) (int, gqlResponse, string) {
	t.Helper()
	held := make(chan struct{})
	defer close(held)
	for range slots {
		pr, pw := io.Pipe()
		go func() {
			<-held
			pw.Close()
		}()
		req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/graphql", pr)
		req.Header.Set("Content-Type", "application/json")
		go func() {
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}()
	}
	time.Sleep(300 * time.Millisecond) // the slow requests reach the handler
	status, resp, raw, err := a.send(bridge.Anonymous, `{"query":"{ countries { code } }"}`)
	if err != nil {
		t.Fatal(err)
	}
	return status, resp, raw
}

// TestWritesAcrossCutsAreNeitherLostNorDuplicated: requests for introductions, each sent again
// with its own clientRequestId until it is answered, while the path to Neo4j is cut twice (a
// restart as the API sees it: connections reset, a transaction in flight lost, or committed
// without its answer arriving). `make load` does the same across a real restart of Neo4j.
func TestWritesAcrossCutsAreNeitherLostNorDuplicated(t *testing.T) {
	gen := loadPeople(t)
	a, proxy := apiBehindProxy(t)
	res := writesAcross(t, a, gen.People(0, loadN), "cut-", 30*time.Second, func(start time.Time) {
		for _, at := range []time.Duration{250 * time.Millisecond, 1500 * time.Millisecond} {
			time.Sleep(time.Until(start.Add(at)))
			proxy.SetDown(true)
			time.Sleep(700 * time.Millisecond)
			proxy.SetDown(false)
		}
	})
	t.Logf("writes across two cuts: %s", res)
}

// writesResult is what writesAcross saw.
type writesResult struct {
	Codes         map[string]int // the final answer of each write
	Retried       int64          // answers of UNAVAILABLE (or transport, 5xx) that were sent again
	Made, Notices int            // introductions stored as answered, and their notifications
	Took          time.Duration
}

func (r writesResult) String() string {
	return fmt.Sprintf("%v in %s; %d sent again after UNAVAILABLE; %d introductions and %d notifications, each once",
		r.Codes, r.Took.Round(100*time.Millisecond), r.Retried, r.Made, r.Notices)
}

// writesAcross sends 48 requests for introductions from 8 workers, each sent again with its own
// clientRequestId (the idempotency key the API has) after UNAVAILABLE until it is answered or
// patience runs out, while disrupt (started with the run) does what it does to the database.
// Then it counts what was stored: every request answered with an introduction has exactly that
// one (not lost, not duplicated), a request refused by the domain has none, and no notification
// was written twice. The requests' introductions are removed when the test ends.
func writesAcross(t *testing.T, a *api, people []bridge.Person, prefix string, patience time.Duration, disrupt func(start time.Time)) writesResult {
	t.Helper()
	t.Cleanup(func() { fx.RemoveIntroductionsRequestedAs(t, prefix) })
	const writes, workers = 48, 8
	type outcome struct {
		key, id, code string
		tries         int
	}
	results := make([]outcome, writes)
	var retried atomic.Int64
	start := time.Now()
	disrupted := make(chan struct{})
	go func() {
		defer close(disrupted)
		disrupt(start)
	}()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < writes; i += workers {
				from, to := people[(i*37)%len(people)], people[(i*37+11)%len(people)]
				theme := "family-reunification"
				if len(to.Themes) > 0 {
					theme = to.Themes[0].ThemeID
				}
				cid := prefix + strconv.Itoa(i) + "-" + from.ID[:8]
				body, _ := json.Marshal(map[string]any{
					"query": `mutation($in: RequestIntroductionInput!) { requestIntroduction(input: $in) { id } }`,
					"variables": map[string]any{"in": map[string]any{"to": gid("Person", to.ID), "theme": gid("Theme", theme),
						"message": "Could we talk?", "clientRequestId": cid}}})
				who := bridge.Principal{Role: bridge.RoleMember, PersonID: from.ID}
				results[i].key = from.ID + "/" + cid
				for deadline := time.Now().Add(patience); ; {
					results[i].tries++
					status, resp, _, err := a.send(who, string(body))
					code := "OK"
					switch {
					case err != nil:
						code = "transport"
					case len(resp.Errors) > 0:
						code, _ = resp.Errors[0].Extensions["code"].(string)
					case status != http.StatusOK:
						code = "HTTP " + strconv.Itoa(status)
					}
					if code == "UNAVAILABLE" || code == "transport" || strings.HasPrefix(code, "HTTP 5") {
						retried.Add(1)
						if time.Now().After(deadline) {
							results[i].code = "gave up after " + code
							break
						}
						time.Sleep(150 * time.Millisecond)
						continue
					}
					results[i].code = code
					if code == "OK" {
						var got struct{ ID string }
						_ = json.Unmarshal(resp.Data["requestIntroduction"], &got)
						results[i].id = got.ID
					}
					break
				}
				time.Sleep(100 * time.Millisecond)
			}
		}()
	}
	wg.Wait()
	<-disrupted
	res := writesResult{Codes: map[string]int{}, Retried: retried.Load(), Took: time.Since(start)}
	if res.Retried == 0 {
		t.Fatal("no write met the disruption: the test proves nothing")
	}
	for _, r := range results {
		res.Codes[r.code]++
		ids := fx.IntroductionIDsWithRequestKey(t, r.key)
		switch r.code {
		case "OK":
			if len(ids) != 1 || gid("Introduction", ids[0]) != r.id {
				t.Errorf("%s was answered with %s after %d tries; stored: %v", r.key, r.id, r.tries, ids)
				continue
			}
			res.Made++
			seen := map[string]bool{}
			for _, n := range fx.Notifications(t, fx.NotificationFilter{IntroductionID: ids[0]}) {
				if k := n.Kind + " to " + n.RecipientID; seen[k] {
					t.Errorf("introduction of %s: notification %s written twice", r.key, k)
				} else {
					seen[k] = true
					res.Notices++
				}
			}
		case "NOT_POSSIBLE", "CONFLICT", "NOT_FOUND":
			if len(ids) != 0 {
				t.Errorf("%s was refused (%s) but %d introductions were stored", r.key, r.code, len(ids))
			}
		default:
			t.Errorf("%s: %s after %d tries", r.key, r.code, r.tries)
		}
	}
	if res.Made == 0 || res.Notices == 0 {
		t.Errorf("no introduction or notification was made (%v): nothing was checked", res.Codes)
	}
	return res
}

// internalCauses are up to n lines of the API's log of requests answered INTERNAL: the causes a
// load test's failure needs, which the answers never carry.
func internalCauses(a *api, n int) []string {
	var out []string
	for _, line := range strings.Split(a.logs.String(), "\n") {
		if strings.Contains(line, `"code":"INTERNAL"`) && len(out) < n {
			out = append(out, line)
		}
	}
	return out
}
