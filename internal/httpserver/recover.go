package httpserver

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/go-chi/chi/v5/middleware"

	"github.com/nordic-integration/bridge/internal/bridge"
	"github.com/nordic-integration/bridge/internal/httperr"
)

// recoverer turns a panic outside gqlgen (which has its own) into a 500 in the API's error shape,
// with the request id so that support can find the log line. It is ours rather than chi's
// middleware.Recoverer because that one answers 500 without a body or code and prints the panic
// value and the whole stack to stderr: the value can quote personal data, and logs carry no
// internals. We log where it happened (the first frame of our code) and the value's type only.
func recoverer(logger *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				p := recover()
				if p == nil {
					return
				}
				if p == http.ErrAbortHandler { // the server's own way to abort a response
					panic(p)
				}
				site := bridge.PanicSite()
				if hp, ok := p.(handlerPanic); ok { // re-raised by deadline from the handler's goroutine
					p, site = hp.value, hp.site
				}
				id := middleware.GetReqID(r.Context())
				logger.LogAttrs(r.Context(), slog.LevelError, "panic in handler", slog.String("request_id", id),
					slog.String("code", string(bridge.CodeInternal)), slog.String("panic_type", fmt.Sprintf("%T", p)),
					slog.String("at", site))
				httperr.Write(w, http.StatusInternalServerError, string(bridge.CodeInternal), "internal error", id)
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// handlerPanic carries a panic from the goroutine deadline runs the handler in to the request's
// goroutine, with where it happened (a re-raised panic would point at deadline).
type handlerPanic struct {
	value any
	site  string
}
