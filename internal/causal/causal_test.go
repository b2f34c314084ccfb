package causal

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

func sealer(t *testing.T, secret string) *Sealer {
	t.Helper()
	s, err := NewSealer(KeyFrom(secret))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTokensOpenOnlyUnderTheirKeyAndWithinBounds(t *testing.T) {
	a, b := sealer(t, "one"), sealer(t, "two")
	marks := []string{"FB:kcwQabc", "FB:kcwQdef"}
	tok := a.Seal(marks)
	if got, ok := a.Open(tok); !ok || !slices.Equal(got, marks) {
		t.Fatalf("Open(Seal) = %v, %v", got, ok)
	}
	if strings.Contains(tok, "kcwQ") {
		t.Fatalf("the token shows the bookmark: %s", tok)
	}
	if tok == a.Seal(marks) {
		t.Fatal("two seals of the same bookmarks are equal: the nonce is not fresh")
	}
	flipped := []byte(tok)
	flipped[len(flipped)/2] ^= 1
	for name, bad := range map[string]string{
		"another key":   b.Seal(marks),
		"tampered":      string(flipped),
		"not base64url": "%%%",
		"empty":         "",
		"too short":     "AAAA",
		"too long":      strings.Repeat("A", maxToken+1),
		"too many":      a.Seal([]string{"a", "b", "c", "d", "e"}),
		"an empty one":  a.Seal([]string{"a", ""}),
		"one too long":  a.Seal([]string{strings.Repeat("x", maxBookmark+1)}),
	} {
		if got, ok := a.Open(bad); ok {
			t.Errorf("%s: Open accepted it: %v", name, got)
		}
	}
}

// serve runs one request through Middleware with handler h and returns the response.
func serve(t *testing.T, s *Sealer, secure bool, req *http.Request, h func(w http.ResponseWriter, r *http.Request)) *http.Response {
	t.Helper()
	rec := httptest.NewRecorder()
	Middleware(s, secure)(http.HandlerFunc(h)).ServeHTTP(rec, req)
	return rec.Result()
}

func TestAWriteGivesTheTokenInTheHeaderAndACookie(t *testing.T) {
	s := sealer(t, "k")
	for _, secure := range []bool{false, true} {
		res := serve(t, s, secure, httptest.NewRequest(http.MethodPost, "/graphql", nil), func(w http.ResponseWriter, r *http.Request) {
			Wrote(r.Context(), []string{"FB:first"})
			Wrote(r.Context(), []string{"FB:last"})
			_, _ = w.Write([]byte("{}"))
		})
		got, ok := s.Open(res.Header.Get(Header))
		if !ok || !slices.Equal(got, []string{"FB:last"}) {
			t.Fatalf("secure=%v: header %q opens to %v, %v; want the last write's bookmark", secure, res.Header.Get(Header), got, ok)
		}
		cookies := res.Cookies()
		if len(cookies) != 1 {
			t.Fatalf("secure=%v: cookies %v", secure, cookies)
		}
		c := cookies[0]
		wantName := cookieName
		if secure {
			wantName = "__Host-" + cookieName
		}
		if c.Name != wantName || c.Value != res.Header.Get(Header) || c.MaxAge != cookieMaxAge || !c.HttpOnly ||
			c.Secure != secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
			t.Fatalf("secure=%v: cookie %+v", secure, c)
		}
	}
}

func TestARequestWithoutWritesGivesNoToken(t *testing.T) {
	res := serve(t, sealer(t, "k"), false, httptest.NewRequest(http.MethodPost, "/graphql", nil), func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	if res.Header.Get(Header) != "" || len(res.Cookies()) != 0 {
		t.Fatalf("header %q, cookies %v", res.Header.Get(Header), res.Cookies())
	}
}

// carrying returns two requests with tok: one in the header (an API client), one in the cookie
// (a browser).
func carrying(tok string) (fromHeader, fromCookie *http.Request) {
	fromHeader = httptest.NewRequest(http.MethodPost, "/graphql", nil)
	fromHeader.Header.Set(Header, tok)
	fromCookie = httptest.NewRequest(http.MethodGet, "/me", nil)
	fromCookie.AddCookie(&http.Cookie{Name: cookieName, Value: tok})
	return fromHeader, fromCookie
}

func TestTheTokenComesBackInTheHeaderOrTheCookie(t *testing.T) {
	s := sealer(t, "k")
	withHeader, withCookie := carrying(s.Seal([]string{"FB:mine"}))
	badCookie := httptest.NewRequest(http.MethodGet, "/me", nil)
	badCookie.AddCookie(&http.Cookie{Name: cookieName, Value: sealer(t, "old key").Seal([]string{"FB:x"})})
	for name, tc := range map[string]struct {
		req  *http.Request
		want []string
	}{
		"header": {withHeader, []string{"FB:mine"}}, "cookie": {withCookie, []string{"FB:mine"}},
		"a cookie that does not open is dropped": {badCookie, nil},
		"none":                                   {httptest.NewRequest(http.MethodGet, "/", nil), nil},
	} {
		var got []string
		called := false
		serve(t, s, false, tc.req, func(w http.ResponseWriter, r *http.Request) { got, called = Bookmarks(r.Context()), true })
		if !called || !slices.Equal(got, tc.want) {
			t.Errorf("%s: handler called %v with bookmarks %v, want %v", name, called, got, tc.want)
		}
	}
}

func TestAHeaderThatDoesNotOpenIsRefused(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
	req.Header.Set(Header, "made-up")
	called := false
	rec := httptest.NewRecorder()
	rec.Header().Set("X-Request-Id", "req-1") // as httpserver's middleware sets it before this one
	Middleware(sealer(t, "k"), false)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true })).ServeHTTP(rec, req)
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	if called || res.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"code":"BAD_USER_INPUT"`) ||
		!strings.Contains(string(body), `"requestId":"req-1"`) {
		t.Fatalf("called %v, status %d, body %s", called, res.StatusCode, body)
	}
}

func TestARejectedTokenIsABadInputFromTheHeaderAndDroppedFromTheCookie(t *testing.T) {
	s := sealer(t, "k")
	fromHeader, fromCookie := carrying(s.Seal([]string{"FB:old"}))
	for name, tc := range map[string]struct {
		req      *http.Request
		wantCode bridge.Code
	}{"header": {fromHeader, bridge.CodeBadUserInput}, "cookie": {fromCookie, ""}} {
		var err error
		var after []string
		res := serve(t, s, false, tc.req, func(w http.ResponseWriter, r *http.Request) {
			err = Rejected(r.Context(), context.Canceled)
			after = Bookmarks(r.Context())
			w.WriteHeader(http.StatusOK)
		})
		if bridge.ErrorCode(err) != tc.wantCode || after != nil {
			t.Errorf("%s: Rejected gave %v (code %q), then bookmarks %v; want code %q and none", name, err, bridge.ErrorCode(err), after, tc.wantCode)
		}
		cookies := res.Cookies()
		if len(cookies) != 1 || cookies[0].Name != cookieName || cookies[0].MaxAge >= 0 {
			t.Errorf("%s: cookies %+v, want one that clears %s", name, cookies, cookieName)
		}
	}
}

func TestWithoutTheMiddlewareNothingHappens(t *testing.T) {
	ctx := context.Background()
	Wrote(ctx, []string{"FB:x"})
	if Bookmarks(ctx) != nil {
		t.Fatal("bookmarks without the middleware")
	}
}
