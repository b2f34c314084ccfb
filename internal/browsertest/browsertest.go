// Package browsertest drives a real headless Chromium (Debian's chromium package, which
// `make test` installs when it is missing) from Go tests through chromedp: one browser per test,
// independent users in it (each a browser context of its own: cookies, storage), and helpers for
// the journeys of the web app: navigate, fill a field by its label, press keys (keyboard-only
// journeys), download what a key press starts, read text, take a full-page screenshot into
// .local/screenshots/<test>/<name>-<lang>.png, and scan the page with axe-core (axe.go), which
// fails the test on any serious or critical violation.
//
// Every step has a deadline (StepTimeout) so that a page that never comes fails the test instead
// of hanging it; nothing waits for a fixed time.
package browsertest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// DefaultChromium is where Debian's chromium package puts the browser; BRIDGE_CHROMIUM
// overrides it.
const DefaultChromium = "/usr/bin/chromium"

// StepTimeout bounds each step (a navigation with its redirects, a key press, a scan).
const StepTimeout = 30 * time.Second

// Keys for Press.
const (
	Tab       = kb.Tab
	Enter     = kb.Enter
	Escape    = kb.Escape
	ArrowDown = kb.ArrowDown
	ArrowUp   = kb.ArrowUp
)

// Browser is a headless Chromium for one test.
type Browser struct {
	t   testing.TB
	ctx context.Context // the browser's root context (first tab)
}

// Start starts headless Chromium; it stops when the test ends. The test fails when the browser
// is missing (run `make test`, which installs it) or does not start.
func Start(t testing.TB) *Browser {
	t.Helper()
	path := os.Getenv("BRIDGE_CHROMIUM")
	if path == "" {
		path = DefaultChromium
	}
	if _, err := exec.LookPath(path); err != nil {
		t.Fatalf("Chromium not found at %s (make test installs Debian's chromium; or set BRIDGE_CHROMIUM): %v", path, err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // CI runs as root, where Chromium's sandbox cannot start
		chromedp.DisableGPU,
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("lang", "en-GB"),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser; it must not have a deadline (that would stop the browser).
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &Browser{t: t, ctx: ctx}
}

// Page is one user's tab.
type Page struct {
	t    testing.TB
	ctx  context.Context
	lang string
}

// NewUser opens a tab in a new browser context: a user with cookies and storage of their own, so
// that two users of one test never share a session. lang is the language the browser asks for
// (Accept-Language, e.g. "sv" or "fi"); it also names the screenshots.
func (b *Browser) NewUser(lang string) *Page {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	// The first run creates the tab, which lives as long as the context of that run: no deadline.
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("browser: open a tab: %v", err)
	}
	p := &Page{t: b.t, ctx: ctx, lang: lang}
	p.do("set the language", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{})
		if err != nil {
			return err
		}
		_, err = cdp.Call(ctx, t, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
			Headers: network.Headers{"Accept-Language": lang}})
		return err
	}))
	return p
}

// Cookies are the cookies the browser holds for the page's address, HttpOnly ones included
// (what a script cannot read, the browser still shows its tests).
func (p *Page) Cookies() []*network.Cookie {
	p.t.Helper()
	var out []*network.Cookie
	p.do("read the cookies", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		res, err := cdp.Call(ctx, t, network.GetCookies, network.GetCookiesParams{})
		out = res.Cookies
		return err
	}))
	return out
}

// Lang is the page's language.
func (p *Page) Lang() string { return p.lang }

// do runs steps with the step deadline, failing the test with what on error.
func (p *Page) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, StepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.t.Fatalf("browser: %s: %v", what, err)
	}
}

// Run runs one chromedp action on the page with the step deadline and returns its value.
func Run[T any](p *Page, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, StepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		p.t.Fatalf("browser: %s: %v", what, err)
	}
	return v
}

// Navigate opens url and waits until the page (after any redirects) has loaded; it returns the
// final response's HTTP status.
func (p *Page) Navigate(url string) int {
	p.t.Helper()
	resp := p.waitNavigation("navigate", chromedp.Navigate(url))
	return int(resp.Status)
}

// waitNavigation runs steps that start a navigation and waits until the new page has loaded.
func (p *Page) waitNavigation(what string, steps ...chromedp.Action[chromedp.Void]) *network.Response {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, StepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, steps...)
	if err != nil {
		p.t.Fatalf("browser: %s: %v", what, err)
	}
	if resp == nil {
		p.t.Fatalf("browser: %s: no page loaded", what)
	}
	return resp
}

// Location is the page's current URL.
func (p *Page) Location() string {
	p.t.Helper()
	return Run(p, "location", chromedp.Location())
}

// Title is the page's title.
func (p *Page) Title() string {
	p.t.Helper()
	return Run(p, "title", chromedp.Title())
}

// Text is the visible text of the first element that matches the CSS selector ("body" for the
// whole page), waiting until there is one.
func (p *Page) Text(css string) string {
	p.t.Helper()
	return Run(p, "text of "+css, chromedp.Text(chromedp.CSS(css)))
}

// Eval evaluates a JavaScript expression in the page and returns its JSON value as T.
func Eval[T any](p *Page, expr string) T {
	p.t.Helper()
	return Run(p, "evaluate", chromedp.Evaluate[T](expr))
}

// findByLabel marks the form control whose label is the given text and returns a selector for
// it: a <label> (its control: for= or nested), else aria-label, else aria-labelledby, else the
// placeholder. Whitespace and case are ignored.
const findByLabel = `((want) => {
  const norm = (s) => (s || '').replace(/\s+/g, ' ').trim().toLowerCase();
  want = norm(want);
  const mark = (el) => {
    const id = 'bt-' + Math.random().toString(36).slice(2);
    el.setAttribute('data-browsertest', id);
    return '[data-browsertest="' + id + '"]';
  };
  for (const l of document.querySelectorAll('label')) {
    if (norm(l.textContent) === want && l.control) return mark(l.control);
  }
  const controls = document.querySelectorAll('input, textarea, select, [contenteditable], [role=textbox], [role=combobox]');
  for (const el of controls) {
    if (norm(el.getAttribute('aria-label')) === want) return mark(el);
    const ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    if (ids.length && norm(ids.map((id) => (document.getElementById(id) || {}).textContent).join(' ')) === want) return mark(el);
  }
  for (const el of controls) {
    if (norm(el.getAttribute('placeholder')) === want) return mark(el);
  }
  return '';
})`

// FillByLabel types value into the form control labelled label (see findByLabel), replacing what
// it held; the test fails when there is no such control.
func (p *Page) FillByLabel(label, value string) {
	p.t.Helper()
	sel := Eval[string](p, findByLabel+"("+jsString(label)+")")
	if sel == "" {
		p.t.Fatalf("browser: no form field labelled %q on %s", label, p.Location())
	}
	p.do("fill "+label, chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), value))
}

// Type types text into the element that has the focus, as a keyboard would.
func (p *Page) Type(text string) {
	p.t.Helper()
	p.do("type", chromedp.KeyEvent(text))
}

// Press presses keys (Tab, Enter, …) on the focused element without expecting a new page.
func (p *Page) Press(keys string) {
	p.t.Helper()
	p.do("press keys", chromedp.KeyEvent(keys))
}

// PressAndWait presses keys that lead to a new page (Enter in a form, on a link) and waits
// until it has loaded; it returns its HTTP status.
func (p *Page) PressAndWait(keys string) int {
	p.t.Helper()
	return int(p.waitNavigation("press keys", chromedp.KeyEvent(keys)).Status)
}

// PressAndDownload presses keys that start a download (Enter on a form's button answered with an
// attachment) and returns the downloaded file's suggested name and content once it is complete.
// The file goes to a folder of the test's own; the test fails when no download completes within
// StepTimeout.
func (p *Page) PressAndDownload(keys string) (name string, content []byte) {
	p.t.Helper()
	dir := p.t.TempDir()
	type download struct{ guid, name string }
	began := make(chan download, 4)
	ended := make(chan *browser.EventDownloadProgress, 4)
	ctx, cancel := context.WithTimeout(p.ctx, StepTimeout)
	defer cancel()
	// The download events arrive on the browser's session, which set the behaviour; fn only
	// hands them over (it runs in the loop that reads the browser's messages).
	if err := chromedp.ListenBrowser(ctx, func(ev any) {
		switch e := ev.(type) {
		case *browser.EventDownloadWillBegin:
			select {
			case began <- download{e.GUID, e.SuggestedFilename}:
			default:
			}
		case *browser.EventDownloadProgress:
			if e.State == browser.DownloadProgressStateCompleted || e.State == browser.DownloadProgressStateCanceled {
				select {
				case ended <- e:
				default:
				}
			}
		}
	}); err != nil {
		p.t.Fatalf("browser: listen for downloads: %v", err)
	}
	events := true
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &events,
		BrowserContextID: chromedp.FromContext(p.ctx).BrowserContextID}); err != nil {
		p.t.Fatalf("browser: allow downloads: %v", err)
	}
	p.do("press keys", chromedp.KeyEvent(keys))
	var d download
	select {
	case d = <-began:
	case <-ctx.Done():
		p.t.Fatalf("browser: pressing %q started no download", keys)
	}
	for {
		select {
		case e := <-ended:
			if e.GUID != d.guid {
				continue
			}
			if e.State != browser.DownloadProgressStateCompleted {
				p.t.Fatalf("browser: the download of %s was %s", d.name, e.State)
			}
			content, err := os.ReadFile(filepath.Join(dir, d.guid))
			if err != nil {
				p.t.Fatalf("browser: read the download: %v", err)
			}
			return d.name, content
		case <-ctx.Done():
			p.t.Fatalf("browser: the download of %s did not complete", d.name)
		}
	}
}

// ClickAndWait clicks the first element that matches the CSS selector and waits for the page it
// leads to; it returns its HTTP status.
func (p *Page) ClickAndWait(css string) int {
	p.t.Helper()
	return int(p.waitNavigation("click "+css, chromedp.Click(chromedp.CSS(css))).Status)
}

// Focused describes the element that has the focus: its tag, then its accessible label as far as
// the page says it (label, aria-label, text), e.g. "input Password" or "button Log in"; for
// asserting the focus order of keyboard journeys.
func (p *Page) Focused() string {
	p.t.Helper()
	return Eval[string](p, `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'body';
  const name = (el.labels && el.labels[0] && el.labels[0].textContent) || el.getAttribute('aria-label') ||
    el.textContent || el.getAttribute('placeholder') || el.getAttribute('name') || '';
  return el.tagName.toLowerCase() + ' ' + name.replace(/\s+/g, ' ').trim();
})()`)
}

// Screenshot writes a full-page PNG of the page to
// <repository>/.local/screenshots/<test name>/<name>-<lang>.png and returns its path.
func (p *Page) Screenshot(name string) string {
	p.t.Helper()
	png := Run(p, "screenshot", chromedp.FullScreenshot(100))
	dir := filepath.Join(repoRoot(p.t), ".local", "screenshots", safeName(p.t.Name()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join(dir, safeName(name)+"-"+safeName(p.lang)+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	return path
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func safeName(s string) string { return strings.Trim(unsafeChars.ReplaceAllString(s, "_"), "_") }

// repoRoot is the folder of go.mod above the working folder (go test runs in the package's).
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal(errors.New("browsertest: no go.mod above the working folder"))
		}
		dir = parent
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
