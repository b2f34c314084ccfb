// Package httperr writes the one JSON error answer of Bridge's HTTP layer: the shape of a GraphQL
// error response, so that clients handle a refused token, a rate limit, a deadline, a panic or a
// malformed request like any other error:
//
//	{"errors":[{"message":"…","extensions":{"code":"…","requestId":"…"}}]}
//
// with Content-Type application/json and Cache-Control no-store (an error about credentials or
// load must not be cached on the way). Every layer that answers before or around gqlgen
// (internal/httpserver, graph's body guard, internal/auth) writes through Write. It imports only
// the standard library, so any package may use it.
package httperr

import (
	"encoding/json"
	"net/http"
)

type body struct {
	Errors []item `json:"errors"`
}

type item struct {
	Message    string     `json:"message"`
	Extensions extensions `json:"extensions"`
}

type extensions struct {
	Code      string `json:"code"`
	RequestID string `json:"requestId,omitempty"`
}

// Write answers status with one error of the given code and message; requestID (omitted when
// empty) lets support find the log line. Headers the caller set before (Retry-After,
// WWW-Authenticate, Allow) go out with it.
func Write(w http.ResponseWriter, status int, code, message, requestID string) {
	b, err := json.Marshal(body{Errors: []item{{Message: message, Extensions: extensions{Code: code, RequestID: requestID}}}})
	if err != nil { // cannot happen: strings only
		b = []byte(`{"errors":[{"message":"internal error","extensions":{"code":"INTERNAL"}}]}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
