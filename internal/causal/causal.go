// Package causal lets a client read its own writes whichever instance serves it (issue 16).
//
// Neo4j gives every committed transaction a bookmark; a transaction begun with bookmarks waits
// until the server it runs on has applied them. Each instance already chains its own
// transactions (neo4jstore's bookmark manager). Across instances behind a load balancer, on a
// cluster where reads go to secondaries, the client carries them: after a request that wrote,
// the response holds the bookmarks of its writes as one sealed token, in the Bridge-Bookmark
// header (API clients send it back in the same header) and in a cookie (browsers send it back
// by themselves; it lasts a minute, long enough for any secondary to catch up). The next
// request's transactions begin with them. On a single server, as in `make run`, it changes
// nothing.
//
// The token is the bookmarks sealed with AES-GCM under a key all instances share (KeyFrom), so
// that a client learns nothing from it: a bookmark names a transaction, and the distance between
// two of one's own would count everyone else's writes in between. A header that does not open
// is refused (400, BAD_USER_INPUT); a cookie that does not open is dropped (e.g. sealed under a
// key since changed). A token the database does not accept (one from another database, e.g.
// after a restore) fails the request with BAD_USER_INPUT when it came in the header; from the
// cookie, the request goes on without it and the cookie is cleared (Rejected).
package causal

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/httperr"
)

const (
	// Header carries the token both ways.
	Header = "Bridge-Bookmark"
	// cookieName is the browser's copy; with Secure cookies it takes the __Host- prefix.
	cookieName = "bridge_bookmark"
	// cookieMaxAge is how long a browser keeps the token, in seconds: replicas apply a write
	// within moments, after which the token makes no read wait.
	cookieMaxAge = 60
	// maxToken bounds what is opened; maxBookmarks and maxBookmark bound what reaches Neo4j (a
	// bookmark is about 40 characters; a request that wrote to one database holds one).
	maxToken     = 2048
	maxBookmarks = 4
	maxBookmark  = 512
)

type state struct {
	fromHeader bool // in came from the header (else from the cookie)

	mu       sync.Mutex
	in       []string
	out      []string
	rejected bool
}

type ctxKey struct{}

func from(ctx context.Context) *state {
	s, _ := ctx.Value(ctxKey{}).(*state)
	return s
}

// Bookmarks are the bookmarks the request carried (nil: none, or no Middleware).
func Bookmarks(ctx context.Context) []string {
	if s := from(ctx); s != nil {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.in
	}
	return nil
}

// Wrote records the bookmarks the session holds after a write transaction committed; the
// response carries the last ones recorded.
func Wrote(ctx context.Context, bookmarks []string) {
	s := from(ctx)
	if s == nil || len(bookmarks) == 0 {
		return
	}
	s.mu.Lock()
	s.out = append([]string(nil), bookmarks...)
	s.mu.Unlock()
}

// Rejected handles a request whose bookmarks the database refused (a token from another
// database, e.g. from before a restore). The request's later transactions go without them and
// the cookie is cleared. Bookmarks from the header are the client's input: Rejected returns
// BAD_USER_INPUT for them. Bookmarks from the cookie are the browser's copy of what Bridge gave
// out: Rejected returns nil, and the caller runs the transaction again without them, so that a
// person in the browser sees no error.
func Rejected(ctx context.Context, cause error) error {
	s := from(ctx)
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.in, s.rejected = nil, true
	if !s.fromHeader {
		return nil
	}
	return &bridge.Error{Code: bridge.CodeBadUserInput, Field: []string{Header},
		Message: "the bookmark is not one this database issued; send the request without it", Err: cause}
}

// KeyFrom derives the sealing key from a secret every instance has (HKDF-SHA256).
func KeyFrom(secret string) []byte {
	key, err := hkdf.Key(sha256.New, []byte(secret), nil, "bridge bookmark token v1", 32)
	if err != nil { // cannot happen: 32 bytes of SHA-256 output are within HKDF's bounds
		panic(err)
	}
	return key
}

// Sealer seals bookmarks into tokens and opens them.
type Sealer struct{ aead cipher.AEAD }

// NewSealer makes a Sealer with a 32-byte key (KeyFrom).
func NewSealer(key []byte) (*Sealer, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Sealer{aead: aead}, nil
}

var additional = []byte(Header)

// Seal returns the token of bookmarks.
func (s *Sealer) Seal(bookmarks []string) string {
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(strings.Join(bookmarks, "\n")), additional))
}

// Open returns the bookmarks of a token, or ok false when it is not one Seal made under this key
// within the bounds.
func (s *Sealer) Open(token string) (bookmarks []string, ok bool) {
	if token == "" || len(token) > maxToken {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return nil, false
	}
	plain, err := s.aead.Open(nil, raw[:s.aead.NonceSize()], raw[s.aead.NonceSize():], additional)
	if err != nil {
		return nil, false
	}
	bookmarks = strings.Split(string(plain), "\n")
	if len(bookmarks) > maxBookmarks {
		return nil, false
	}
	for _, b := range bookmarks {
		if b == "" || len(b) > maxBookmark {
			return nil, false
		}
	}
	return bookmarks, true
}

// Middleware reads the token from the header, else the cookie, and writes the token of the
// request's writes into the response (header and cookie) before its status goes out.
// secureCookies marks the cookie Secure with the __Host- prefix, as the web session's cookies.
func Middleware(sealer *Sealer, secureCookies bool) func(http.Handler) http.Handler {
	name := cookieName
	if secureCookies {
		name = "__Host-" + cookieName
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s := &state{}
			if h := r.Header.Get(Header); h != "" {
				in, ok := sealer.Open(h)
				if !ok {
					// The request id is on the response already (httpserver's middleware before this one).
					httperr.Write(w, http.StatusBadRequest, string(bridge.CodeBadUserInput),
						"the "+Header+" header is not a token Bridge gave out", w.Header().Get("X-Request-Id"))
					return
				}
				s.in, s.fromHeader = in, true
			} else if c, err := r.Cookie(name); err == nil {
				s.in, _ = sealer.Open(c.Value) // one that does not open is dropped
			}
			ww := &writer{ResponseWriter: w, s: s, sealer: sealer, cookie: name, secure: secureCookies}
			next.ServeHTTP(ww, r.WithContext(context.WithValue(r.Context(), ctxKey{}, s)))
			ww.flushHeaders() // a handler that wrote nothing
		})
	}
}

// writer adds the token to the response headers just before they go out.
type writer struct {
	http.ResponseWriter
	s           *state
	sealer      *Sealer
	cookie      string
	secure      bool
	wroteHeader bool
}

func (w *writer) flushHeaders() {
	if w.wroteHeader {
		return
	}
	w.wroteHeader = true
	w.s.mu.Lock()
	out, rejected := w.s.out, w.s.rejected
	w.s.mu.Unlock()
	c := &http.Cookie{Name: w.cookie, Path: "/", HttpOnly: true, Secure: w.secure, SameSite: http.SameSiteLaxMode}
	switch {
	case len(out) > 0:
		token := w.sealer.Seal(out)
		w.Header().Set(Header, token)
		c.Value, c.MaxAge = token, cookieMaxAge
	case rejected:
		c.MaxAge = -1
	default:
		return
	}
	http.SetCookie(w.ResponseWriter, c)
}

func (w *writer) WriteHeader(status int) {
	w.flushHeaders()
	w.ResponseWriter.WriteHeader(status)
}

func (w *writer) Write(b []byte) (int, error) {
	w.flushHeaders()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer (flushes, deadlines).
func (w *writer) Unwrap() http.ResponseWriter { return w.ResponseWriter }
