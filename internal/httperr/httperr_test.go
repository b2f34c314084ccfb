package httperr

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestWrite(t *testing.T) {
	for _, tc := range []struct {
		name, code, msg, id, want string
	}{
		{"without request id", "UNAUTHENTICATED", "invalid or expired token", "",
			`{"errors":[{"message":"invalid or expired token","extensions":{"code":"UNAUTHENTICATED"}}]}`},
		{"with request id", "RATE_LIMITED", `wait "a" <moment>`, "r-1",
			`{"errors":[{"message":"wait \"a\" \u003cmoment\u003e","extensions":{"code":"RATE_LIMITED","requestId":"r-1"}}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			rec.Header().Set("Retry-After", "5")
			Write(rec, http.StatusTooManyRequests, tc.code, tc.msg, tc.id)
			if rec.Code != http.StatusTooManyRequests || rec.Body.String() != tc.want {
				t.Fatalf("got %d %s", rec.Code, rec.Body)
			}
			h := rec.Header()
			if h.Get("Content-Type") != "application/json" || h.Get("Cache-Control") != "no-store" || h.Get("Retry-After") != "5" {
				t.Fatalf("headers %v", h)
			}
		})
	}
}
