package httpserver

import (
	"embed"
	"io/fs"
	"net/http"
)

// graphiqlFiles are GraphiQL and React, pinned and served by the binary (graphiql/README.md has
// the versions): the page works offline and loads nothing from a CDN.
//
//go:embed graphiql
var graphiqlFiles embed.FS

// graphiqlCSP is the policy of the development-only GraphiQL page: its own scripts only; React
// sets style attributes, so styles may be inline there (never on the web app's pages).
const graphiqlCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
	"font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// graphiqlHandler serves the page at /graphiql and its assets under /graphiql/assets/.
func graphiqlHandler() http.Handler {
	sub, err := fs.Sub(graphiqlFiles, "graphiql")
	if err != nil {
		panic(err) // the embedded folder is part of the binary
	}
	assets := http.StripPrefix("/graphiql/assets/", http.FileServerFS(sub))
	page, err := fs.ReadFile(sub, "index.html")
	if err != nil {
		panic(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", graphiqlCSP)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		if r.URL.Path == "/graphiql" || r.URL.Path == "/graphiql/" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("Cache-Control", "no-store")
			_, _ = w.Write(page)
			return
		}
		assets.ServeHTTP(w, r)
	})
}
