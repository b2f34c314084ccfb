package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// maxJWKSBytes bounds the provider's key set document; real ones are a few kilobytes.
const maxJWKSBytes = 1 << 20

// Errors of the key set. go-oidc formats them into its own error text with %v, which is how
// reasonOf recognises them; they quote nothing from the token.
var (
	errUnknownKey   = errors.New("auth: no signing key with the token's key id")
	errBadSignature = errors.New("auth: signature does not verify")
	errMalformedJWS = errors.New("auth: malformed signed token")
	errRateLimited  = errors.New("auth: signing keys were fetched too recently to fetch again")
)

// keySet is the oidc.KeySet behind the verifier: the provider's public keys, fetched from its
// jwks_uri and cached by key id.
//
// It replaces go-oidc's RemoteKeySet for two reasons (security.md §1.5). RemoteKeySet refetches
// the key set on every token whose kid it does not know, without any rate limit (go-oidc PR #482
// was closed unmerged), so anyone can make the API fetch from the provider once per request by
// sending made-up kids. And it never refetches on its own (go-oidc #332), so a key the provider
// removed (rotated out, or withdrawn after a compromise) keeps verifying until some unknown kid
// happens to force a fetch. keySet fetches at most once per KeyRefreshMinInterval, whatever the
// tokens say, and fetches again once its keys are older than KeyRefreshInterval, so a removed
// key stops verifying within that interval. That periodic fetch happens on demand: the first
// verification after the keys expire waits for it, so no timer goroutine has to be stopped and
// tests drive it with their clock. When a fetch fails the cached keys stay in use: a provider
// outage must not log everyone out.
type keySet struct {
	url         string
	client      *http.Client
	algs        []jose.SignatureAlgorithm
	now         func() time.Time
	minInterval time.Duration // least time between two fetches
	maxAge      time.Duration // greatest age of the cached keys
	logger      *slog.Logger

	mu          sync.Mutex
	keys        []jose.JSONWebKey // public signature keys only
	fetchedAt   time.Time         // when the cached keys were fetched (the start of that fetch)
	lastAttempt time.Time         // when the last fetch started, successful or not
	inflight    *keyFetch         // the fetch under way, which concurrent callers share
}

// keyFetch is one fetch of the key set that several callers may wait for. err is written before
// done is closed and read only after.
type keyFetch struct {
	done chan struct{}
	err  error
}

func newKeySet(url string, cfg Config, logger *slog.Logger) *keySet {
	algs := make([]jose.SignatureAlgorithm, 0, len(cfg.SigningAlgs))
	for _, a := range cfg.SigningAlgs {
		algs = append(algs, jose.SignatureAlgorithm(a))
	}
	return &keySet{
		url:         url,
		client:      cfg.HTTPClient,
		algs:        algs,
		now:         cfg.Now,
		minInterval: cfg.KeyRefreshMinInterval,
		maxAge:      cfg.KeyRefreshInterval,
		logger:      logger,
	}
}

// load fetches the keys for the first time; the Authenticator is not ready before it succeeds.
func (ks *keySet) load(ctx context.Context) error {
	start := ks.now()
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	keys, err := ks.fetch(ctx)
	if err != nil {
		return err
	}
	ks.mu.Lock()
	defer ks.mu.Unlock()
	ks.keys, ks.fetchedAt, ks.lastAttempt = keys, start, start
	return nil
}

// VerifySignature implements oidc.KeySet: it returns the payload of jwt if a key of the
// provider with the token's kid and algorithm verifies its signature. go-oidc has already
// checked the algorithm against SigningAlgs; the parse below checks it again because the
// context value through which go-oidc would pass its parsed token is private to it.
func (ks *keySet) VerifySignature(ctx context.Context, jwt string) ([]byte, error) {
	jws, err := jose.ParseSignedCompact(jwt, ks.algs)
	if err != nil || len(jws.Signatures) != 1 {
		return nil, errMalformedJWS
	}
	hdr := jws.Signatures[0].Header
	keys, fresh := ks.candidates(hdr.KeyID, hdr.Algorithm)
	if !fresh || len(keys) == 0 {
		// A failed or refused refresh leaves the cached keys in use; an unknown kid is then
		// rejected below without further ado.
		err := ks.refresh(ctx)
		switch {
		case err == nil:
			keys, _ = ks.candidates(hdr.KeyID, hdr.Algorithm)
		case ctx.Err() != nil:
			// The caller gave up while waiting; do not fall back to keys that may be stale.
			return nil, ctx.Err()
		case !errors.Is(err, errRateLimited):
			ks.logger.DebugContext(ctx, "verifying with cached signing keys", slog.String("error", err.Error()))
		}
	}
	if len(keys) == 0 {
		return nil, errUnknownKey
	}
	for _, k := range keys {
		if payload, err := jws.Verify(&k); err == nil {
			return payload, nil
		}
	}
	// A known kid whose key does not verify is a forged or damaged token; fetching again
	// would not help, so it does not count as an unknown key.
	return nil, errBadSignature
}

// candidates returns the cached keys that may have signed a token with this kid and algorithm
// (every key when the token names no kid), and whether the cache is younger than maxAge.
func (ks *keySet) candidates(kid, alg string) ([]jose.JSONWebKey, bool) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	var out []jose.JSONWebKey
	for _, k := range ks.keys {
		if (kid == "" || k.KeyID == kid) && (k.Algorithm == "" || k.Algorithm == alg) {
			out = append(out, k)
		}
	}
	return out, ks.now().Sub(ks.fetchedAt) < ks.maxAge
}

// refresh fetches the key set again unless a fetch started less than minInterval ago
// (errRateLimited). A caller that finds a fetch under way waits for it rather than starting
// another. The fetch runs in a goroutine of its own with its own deadline, so a caller that gives
// up (its request was cancelled) does not cancel it for the others waiting.
func (ks *keySet) refresh(ctx context.Context) error {
	ks.mu.Lock()
	f := ks.inflight
	if f == nil {
		start := ks.now()
		if start.Sub(ks.lastAttempt) < ks.minInterval {
			ks.mu.Unlock()
			return errRateLimited
		}
		ks.lastAttempt = start
		f = &keyFetch{done: make(chan struct{})}
		ks.inflight = f
		go ks.run(context.WithoutCancel(ctx), f, start)
	}
	ks.mu.Unlock()

	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-f.done:
		return f.err
	}
}

// run performs the fetch f and publishes its result.
func (ks *keySet) run(ctx context.Context, f *keyFetch, start time.Time) {
	ctx, cancel := context.WithTimeout(ctx, requestTimeout)
	defer cancel()
	keys, err := ks.fetch(ctx)
	if err != nil {
		ks.logger.WarnContext(ctx, "fetching the identity provider's signing keys failed; keeping the cached ones",
			slog.String("error", err.Error()))
	} else {
		ks.logger.DebugContext(ctx, "signing keys refreshed", slog.Int("keys", len(keys)))
	}

	ks.mu.Lock()
	if err == nil {
		ks.keys, ks.fetchedAt = keys, start
	}
	ks.inflight = nil
	ks.mu.Unlock()

	f.err = err
	close(f.done)
}

// fetch GETs the key set and returns its usable keys. An empty result is an error: replacing the
// cache with nothing would log everyone out because of one bad answer.
func (ks *keySet) fetch(ctx context.Context) ([]jose.JSONWebKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ks.url, nil)
	if err != nil {
		return nil, fmt.Errorf("auth: signing keys request: %w", err)
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	req.Header.Set("Cache-Control", "no-cache")
	resp, err := ks.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("auth: fetching signing keys: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("auth: fetching signing keys: %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxJWKSBytes+1))
	if err != nil {
		return nil, fmt.Errorf("auth: reading signing keys: %w", err)
	}
	if len(body) > maxJWKSBytes {
		return nil, fmt.Errorf("auth: signing keys document exceeds %d bytes", maxJWKSBytes)
	}
	keys, err := parseJWKS(body)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, errors.New("auth: the provider's key set has no usable signing keys")
	}
	return keys, nil
}

// parseJWKS decodes a JWK set and keeps the public signature keys. Keys of a type go-jose does
// not know are skipped, as RFC 7517 §5 asks, rather than failing the whole set; symmetric and
// private keys are skipped too, since a provider never signs tokens for us with either.
func parseJWKS(body []byte) ([]jose.JSONWebKey, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, fmt.Errorf("auth: decoding signing keys: %w", err)
	}
	keys := make([]jose.JSONWebKey, 0, len(set.Keys))
	for _, raw := range set.Keys {
		var k jose.JSONWebKey
		if json.Unmarshal(raw, &k) != nil {
			continue
		}
		if (k.Use != "" && k.Use != "sig") || !k.IsPublic() || !k.Valid() {
			continue
		}
		keys = append(keys, k)
	}
	return keys, nil
}
