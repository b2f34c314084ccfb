package browsertest

import (
	"archive/tar"
	"compress/gzip"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// axe-core, the accessibility engine, is fetched from npm at test-setup time (not vendored): one
// pinned version whose tarball must match the registry's published integrity (sha512), unpacked
// into a cache under the home directory. So the repository carries no 550 KB minified file
// whose diff nobody can review, and a tampered or different tarball fails the tests instead of
// scanning with something else. axe-core is MPL-2.0; it is only run in the test browser, never
// shipped in the binary.
const (
	AxeVersion = "4.14.1"
	// axeIntegrity is `npm view axe-core@4.14.1 dist.integrity`.
	axeIntegrity = "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)

var (
	axeOnce   sync.Once
	axeSource string
	axeErr    error
)

// axeScript returns axe.min.js: from the cache (os.UserCacheDir()/bridge/axe-core-VERSION, i.e.
// ~/.cache/bridge/… by default), else `npm pack axe-core@VERSION`, checked against axeIntegrity
// and unpacked there.
func axeScript(t testing.TB) string {
	t.Helper()
	axeOnce.Do(func() { axeSource, axeErr = loadAxe() })
	if axeErr != nil {
		t.Fatalf("axe-core %s: %v", AxeVersion, axeErr)
	}
	return axeSource
}

func loadAxe() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cache, "bridge", "axe-core-"+AxeVersion)
	file := filepath.Join(dir, "axe.min.js")
	if b, err := os.ReadFile(file); err == nil {
		return string(b), nil
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return "", fmt.Errorf("npm is needed once to fetch axe-core into %s: %w", dir, err)
	}
	tmp, err := os.MkdirTemp("", "axe-core-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("npm", "pack", "axe-core@"+AxeVersion, "--pack-destination", tmp, "--silent")
	cmd.Dir = tmp
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm pack axe-core@%s: %v\n%s", AxeVersion, err, out)
	}
	tgz := filepath.Join(tmp, "axe-core-"+AxeVersion+".tgz")
	raw, err := os.ReadFile(tgz)
	if err != nil {
		return "", err
	}
	sum := sha512.Sum512(raw)
	if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != axeIntegrity {
		return "", fmt.Errorf("the tarball npm gave has integrity %s, want %s", got, axeIntegrity)
	}
	files, err := untar(raw, "package/axe.min.js", "package/LICENSE")
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for name, body := range files {
		dst := filepath.Join(dir, filepath.Base(name))
		if err := os.WriteFile(dst+".tmp", body, 0o644); err != nil {
			return "", err
		}
		if err := os.Rename(dst+".tmp", dst); err != nil {
			return "", err
		}
	}
	return string(files["package/axe.min.js"]), nil
}

// untar returns the named files of a .tgz.
func untar(tgz []byte, names ...string) (map[string][]byte, error) {
	zr, err := gzip.NewReader(strings.NewReader(string(tgz)))
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	out := map[string][]byte{}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if want[h.Name] {
			if out[h.Name], err = io.ReadAll(io.LimitReader(tr, 16<<20)); err != nil {
				return nil, err
			}
		}
	}
	for _, n := range names {
		if out[n] == nil {
			return nil, fmt.Errorf("%s is not in the axe-core tarball", n)
		}
	}
	return out, nil
}

// Violation is one axe rule the page breaks, with the elements that break it.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"` // minor, moderate, serious or critical
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target         []any  `json:"target"`
		HTML           string `json:"html"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

// Serious reports whether the violation fails a scan: serious or critical impact.
func (v Violation) Serious() bool { return v.Impact == "serious" || v.Impact == "critical" }

// Accessibility injects axe-core into the page and returns every violation of the WCAG 2.0, 2.1
// and 2.2 A and AA rules and axe's best practices.
func (p *Page) Accessibility() []Violation {
	p.t.Helper()
	src := axeScript(p.t)
	// Injected through the DevTools protocol, which a Content-Security-Policy without inline
	// scripts does not block; the page itself is not changed.
	if !Run(p, "inject axe-core", chromedp.Evaluate[bool](src+";typeof axe === 'object'")) {
		p.t.Fatal("axe-core did not load in the page")
	}
	raw := Run(p, "run axe-core", chromedp.Evaluate[string](`axe.run(document, {
  runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']},
  resultTypes: ['violations']
}).then((r) => JSON.stringify(r.violations))`, chromedp.EvalAwaitPromise))
	var vs []Violation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		p.t.Fatalf("axe-core results: %v", err)
	}
	return vs
}

// Reporter is what ReportSerious needs of a test (testing.TB has it).
type Reporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// ReportSerious fails r with a readable list of the serious and critical violations, if any;
// minor and moderate ones are not failures. It returns how many it reported.
func ReportSerious(r Reporter, where string, vs []Violation) int {
	r.Helper()
	var b strings.Builder
	n := 0
	for _, v := range vs {
		if !v.Serious() {
			continue
		}
		n++
		fmt.Fprintf(&b, "\n  [%s] %s: %s\n      %s", v.Impact, v.ID, v.Help, v.HelpURL)
		for _, node := range v.Nodes {
			summary := strings.ReplaceAll(strings.TrimSpace(node.FailureSummary), "\n", "\n          ")
			fmt.Fprintf(&b, "\n    - %v %s\n          %s", node.Target, node.HTML, summary)
		}
	}
	if n > 0 {
		r.Errorf("accessibility (axe-core %s) on %s: %d serious or critical violation(s):%s", AxeVersion, where, n, b.String())
	}
	return n
}

// CheckAccessibility scans the page with axe-core and fails the test on any serious or critical
// violation, listing them.
func (p *Page) CheckAccessibility() {
	p.t.Helper()
	ReportSerious(p.t, p.Location(), p.Accessibility())
}
