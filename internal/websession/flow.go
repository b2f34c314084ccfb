package websession

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"unicode"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// signIn starts the authorization code flow: a pending sign-in with a fresh state, nonce and
// PKCE verifier is stored under a new pre-session id (cookie), and the browser goes to the
// provider with the state, the nonce and the S256 challenge of the verifier.
func (m *Manager) signIn(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	noStore(w)
	prov, err := m.provider(ctx)
	if err != nil {
		m.logger.WarnContext(ctx, "web sign-in: identity provider unavailable", slog.String("error", err.Error()))
		m.cfg.ErrorPage(w, r, http.StatusServiceUnavailable)
		return
	}
	p := Pending{State: newID(), Nonce: newID(), Verifier: oauth2.GenerateVerifier(),
		Return: SafeReturn(r.URL.Query().Get("return")), Expires: m.cfg.Now().Add(m.cfg.PendingTTL)}
	preID := newID()
	if err := m.store.PutPending(ctx, storeKey(preID), p); err != nil {
		m.logger.WarnContext(ctx, "web sign-in: the session store failed", slog.String("error", err.Error()))
		m.cfg.ErrorPage(w, r, http.StatusServiceUnavailable)
		return
	}
	http.SetCookie(w, m.cookie(m.names.pending, preID, int(m.cfg.PendingTTL.Seconds())))
	http.Redirect(w, r, prov.oauth.AuthCodeURL(p.State, oidc.Nonce(p.Nonce), oauth2.S256ChallengeOption(p.Verifier)), http.StatusSeeOther)
}

// callback finishes the flow: the pending sign-in of the pre-session cookie is taken (once),
// the state must match, the code is exchanged with the PKCE verifier, the ID token is verified
// (signature, issuer, audience = the client id, expiry; then nonce, subject and iat here), and a
// new session replaces any the browser had (a new id: no session fixation).
func (m *Manager) callback(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	noStore(w)
	refuse := func(status int, reason string) {
		m.logger.InfoContext(ctx, "web sign-in refused", slog.String("reason", reason))
		m.cfg.ErrorPage(w, r, status)
	}
	preID := cookieValue(r, m.names.pending)
	if preID == "" {
		refuse(http.StatusBadRequest, "no sign-in under way in this browser")
		return
	}
	http.SetCookie(w, m.cookie(m.names.pending, "", -1))
	p, ok, err := m.store.TakePending(ctx, storeKey(preID))
	switch {
	case err != nil:
		m.logger.WarnContext(ctx, "web sign-in: the session store failed", slog.String("error", err.Error()))
		m.cfg.ErrorPage(w, r, http.StatusServiceUnavailable)
		return
	case !ok:
		refuse(http.StatusBadRequest, "sign-in expired or already used")
		return
	}
	q := r.URL.Query()
	if !equal(p.State, q.Get("state")) {
		refuse(http.StatusBadRequest, "state mismatch")
		return
	}
	if q.Get("error") != "" {
		// The provider's error code is one of a fixed list (RFC 6749 §4.1.2.1); its description
		// is free text and not logged.
		refuse(http.StatusBadRequest, "the provider answered "+errorCode(q.Get("error")))
		return
	}
	code := q.Get("code")
	if code == "" {
		refuse(http.StatusBadRequest, "no code")
		return
	}
	prov, err := m.provider(ctx)
	if err != nil {
		m.logger.WarnContext(ctx, "web sign-in: identity provider unavailable", slog.String("error", err.Error()))
		m.cfg.ErrorPage(w, r, http.StatusServiceUnavailable)
		return
	}
	tok, err := prov.oauth.Exchange(m.clientContext(ctx), code, oauth2.VerifierOption(p.Verifier))
	if err != nil {
		reason := "code exchange failed"
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			reason += ": " + errorCode(re.ErrorCode)
		}
		refuse(http.StatusBadRequest, reason)
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		refuse(http.StatusBadRequest, "no ID token")
		return
	}
	idt, err := prov.verifier.Verify(m.clientContext(ctx), raw)
	if err != nil {
		refuse(http.StatusBadRequest, "ID token not valid: "+tokenReason(err))
		return
	}
	switch {
	case !equal(p.Nonce, idt.Nonce):
		refuse(http.StatusBadRequest, "nonce mismatch")
		return
	case idt.Subject == "":
		refuse(http.StatusBadRequest, "ID token without subject")
		return
	case idt.IssuedAt.After(m.cfg.Now().Add(maxIssuedAtSkew)):
		refuse(http.StatusBadRequest, "ID token issued in the future")
		return
	}
	if idt.AccessTokenHash != "" && idt.VerifyAccessToken(tok.AccessToken) != nil {
		refuse(http.StatusBadRequest, "access token does not match at_hash")
		return
	}
	var claims map[string]json.RawMessage
	if err := idt.Claims(&claims); err != nil {
		refuse(http.StatusBadRequest, "malformed claims")
		return
	}

	// Rotate: whatever session the browser had (someone else's sign-in, or an id an attacker
	// planted) ends, and the new one gets an id nobody has seen.
	if old := cookieValue(r, m.names.session); old != "" {
		if err := m.store.DeleteSession(ctx, storeKey(old)); err != nil {
			m.logger.WarnContext(ctx, "web sign-in: the session store failed", slog.String("error", err.Error()))
			m.cfg.ErrorPage(w, r, http.StatusServiceUnavailable)
			return
		}
	}
	now := m.cfg.Now()
	sess := Session{Identity: m.roles.Identity(idt.Issuer, idt.Subject, claims), CSRFToken: newID(),
		Expires: now.Add(m.cfg.SessionTTL), IdleExpires: now.Add(m.cfg.IdleTimeout)}
	id := newID()
	if err := m.store.PutSession(ctx, storeKey(id), sess); err != nil {
		m.logger.WarnContext(ctx, "web sign-in: the session store failed", slog.String("error", err.Error()))
		m.cfg.ErrorPage(w, r, http.StatusServiceUnavailable)
		return
	}
	http.SetCookie(w, m.cookie(m.names.session, id, 0))
	m.logger.InfoContext(ctx, "web sign-in", slog.String("role", string(sess.Identity.Role)))
	http.Redirect(w, r, p.Return, http.StatusSeeOther)
}

// signOut ends the session (Middleware has checked the CSRF token) and sends the browser to the
// provider's end_session_endpoint when discovery advertises one (RP-initiated logout, with the
// client id and the base URL to come back to, never the ID token in a URL), else to /.
func (m *Manager) signOut(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	noStore(w)
	if id := cookieValue(r, m.names.session); id != "" {
		if err := m.store.DeleteSession(ctx, storeKey(id)); err != nil {
			m.logger.WarnContext(ctx, "web sign-out: the session store failed", slog.String("error", err.Error()))
			m.cfg.ErrorPage(w, r, http.StatusServiceUnavailable)
			return
		}
	}
	http.SetCookie(w, m.cookie(m.names.session, "", -1))
	target := "/"
	if prov, err := m.provider(ctx); err == nil && prov.endSession != "" {
		u, _ := url.Parse(prov.endSession) // checked at discovery
		q := u.Query()
		q.Set("client_id", m.cfg.ClientID)
		q.Set("post_logout_redirect_uri", m.base.String()+"/")
		u.RawQuery = q.Encode()
		target = u.String()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func noStore(w http.ResponseWriter) { w.Header().Set("Cache-Control", "no-store") }

// SafeReturn returns raw when it is a local path to come back to after sign-in ("/people?x=1"),
// else "/": never another host ("//evil", "/\evil", "https://…"), no control characters, no
// fragment-only or relative paths.
func SafeReturn(raw string) string {
	if raw == "" || len(raw) > 2048 || raw[0] != '/' || strings.HasPrefix(raw, "//") || strings.HasPrefix(raw, "/\\") {
		return "/"
	}
	for _, c := range raw {
		if unicode.IsControl(c) || c == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return "/"
	}
	return raw
}

// errorCode keeps an OAuth error code for the log only when it has the syntax of one
// (RFC 6749: %x20-21 / %x23-5B / %x5D-7E; here letters and _ only, which the registered codes
// use), so that nothing a client sent is logged.
func errorCode(s string) string {
	if s == "" || len(s) > 64 {
		return "(unknown)"
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && c != '_' {
			return "(unknown)"
		}
	}
	return s
}

// tokenReason is a short fixed reason for a go-oidc verification error (whose text may quote
// claims).
func tokenReason(err error) string {
	var expired *oidc.TokenExpiredError
	if errors.As(err, &expired) {
		return "expired"
	}
	msg := err.Error()
	for _, r := range []struct{ contains, reason string }{
		{"failed to verify signature", "bad signature"},
		{"expected audience", "wrong audience"},
		{"different provider", "wrong issuer"},
		{"malformed", "malformed"},
	} {
		if strings.Contains(msg, r.contains) {
			return r.reason
		}
	}
	return "invalid"
}
