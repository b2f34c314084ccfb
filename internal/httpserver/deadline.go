package httpserver

import (
	"bytes"
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/httperr"
)

// deadline gives each request a context that ends after d and answers the client by then, whatever
// the handler is doing: the handler runs in its own goroutine and writes into a buffer; if it is
// done in time, the buffer is sent; once the deadline has passed, the client gets one UNAVAILABLE
// error (503) and whatever the handler writes later is discarded. The handler's work itself stops
// on the context: the store's queries are cancelled and the GraphQL handler resolves no field
// after it (graph/deadline.go), so the goroutine ends soon after.
//
// chi's middleware.Timeout only sets the context: a handler that ignores it runs, and writes, to
// the end (issue 10: 160 s and a partial body past a 10 s deadline). This is net/http's
// TimeoutHandler with the API's error shape and a JSON content type.
func deadline(d time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), d)
			defer cancel()
			r = r.WithContext(ctx)
			tw := &bufferedWriter{header: http.Header{}}
			done := make(chan struct{})
			panicked := make(chan any, 1)
			go func() {
				defer func() {
					if p := recover(); p != nil {
						panicked <- handlerPanic{value: p, site: bridge.PanicSite()}
					}
				}()
				next.ServeHTTP(tw, r)
				close(done)
			}()
			select {
			case p := <-panicked:
				panic(p) // to the recoverer, in the request's goroutine
			case <-done:
				if ctx.Err() == nil {
					tw.mu.Lock()
					defer tw.mu.Unlock()
					dst := w.Header()
					for k, v := range tw.header {
						dst[k] = v
					}
					if tw.status == 0 {
						tw.status = http.StatusOK
					}
					w.WriteHeader(tw.status)
					_, _ = w.Write(tw.body.Bytes())
					return
				}
			case <-ctx.Done():
			}
			// The deadline passed (or the client went away): nothing of the handler's goes out.
			tw.mu.Lock()
			defer tw.mu.Unlock()
			tw.closed = true
			httperr.Write(w, http.StatusServiceUnavailable, string(bridge.CodeUnavailable),
				"the request took too long; ask for less, or try again shortly", middleware.GetReqID(ctx))
		})
	}
}

// bufferedWriter holds a handler's response until deadline decides whether it goes out; once
// closed, writes fail with http.ErrHandlerTimeout.
type bufferedWriter struct {
	mu     sync.Mutex
	header http.Header
	body   bytes.Buffer
	status int
	closed bool
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(status int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.status == 0 && !b.closed {
		b.status = status
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return 0, http.ErrHandlerTimeout
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
