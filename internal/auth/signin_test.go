package auth

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/nordic-integration/bridge/internal/bridge"
)

type fakePeople struct {
	person string
	err    error
}

func (p fakePeople) PersonForAccount(_ context.Context, issuer, subject string) (string, error) {
	return p.person, p.err
}

func signIn(a *Authenticator, people PersonFinder, req *http.Request) (*httptest.ResponseRecorder, *bridge.Principal) {
	var got *bridge.Principal
	h := SignIn(a, people, slog.New(slog.DiscardHandler))(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := bridge.PrincipalFrom(r.Context())
		got = &p
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec, got
}

// TestSignInResolvesThePerson: a valid token becomes the principal of the person its account
// signs in as; a lookup that fails is 503 UNAVAILABLE (retry), never an anonymous request.
func TestSignInResolvesThePerson(t *testing.T) {
	f := newFixture(t, nil)
	token := f.rsa.sign(t, f.claims())
	rec, got := signIn(f.auth, fakePeople{person: "p-1"}, bearerRequest(token))
	if rec.Code != http.StatusOK || got == nil || got.PersonID != "p-1" || got.Role != bridge.RoleMember ||
		got.Account == nil || got.Account.Subject != testSubject {
		t.Fatalf("signed in: %d %+v", rec.Code, got)
	}
	rec, got = signIn(f.auth, fakePeople{err: bridge.Unavailable(errors.New("down"))}, bearerRequest(token))
	want := `{"errors":[{"message":"the service is temporarily unavailable; try again shortly","extensions":{"code":"UNAVAILABLE"}}]}`
	if rec.Code != http.StatusServiceUnavailable || got != nil || rec.Body.String() != want || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("lookup failed: %d %s %+v", rec.Code, rec.Body, got)
	}
	// A lookup refused for the request's own input (a bookmark the database did not issue) is
	// the client's to fix: 400 BAD_USER_INPUT with its message, not UNAVAILABLE.
	refused := &bridge.Error{Code: bridge.CodeBadUserInput, Message: "the bookmark is not one this database issued", Err: errors.New("neo4j")}
	rec, got = signIn(f.auth, fakePeople{err: refused}, bearerRequest(token))
	want = `{"errors":[{"message":"the bookmark is not one this database issued","extensions":{"code":"BAD_USER_INPUT"}}]}`
	if rec.Code != http.StatusBadRequest || got != nil || rec.Body.String() != want {
		t.Fatalf("lookup refused the input: %d %s %+v", rec.Code, rec.Body, got)
	}
}

// TestSignInOffRefusesTokens: without an authenticator a token cannot be checked, so a request
// carrying one is refused (401) instead of silently served as anonymous.
func TestSignInOffRefusesTokens(t *testing.T) {
	rec, got := signIn(nil, fakePeople{person: "p-1"}, bearerRequest("abc"))
	if rec.Code != http.StatusUnauthorized || got != nil || rec.Header().Get("WWW-Authenticate") == "" {
		t.Fatalf("token without sign-in: %d %+v", rec.Code, got)
	}
	rec, got = signIn(nil, fakePeople{}, httptest.NewRequest(http.MethodPost, "/graphql", nil))
	if rec.Code != http.StatusOK || got == nil || got.Role != bridge.RoleAnonymous {
		t.Fatalf("anonymous without sign-in: %d %+v", rec.Code, got)
	}
}
