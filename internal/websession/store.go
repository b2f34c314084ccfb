package websession

import (
	"context"
	"sync"
	"time"

	"github.com/nordic-integration/bridge/internal/auth"
)

// Session is a signed-in browser, kept on the server; the cookie carries only its random id.
type Session struct {
	// Identity is who signed in: (issuer, subject) as the account's key, the role from the
	// configured claim (auth.RoleMap, as for bearer tokens), e-mail and name for display.
	Identity auth.Identity
	// CSRFToken is the synchronizer token every unsafe request of this session must carry.
	CSRFToken string
	// Expires is the absolute end of the session (SessionTTL after sign-in); IdleExpires moves
	// forward while the browser is in use (IdleTimeout after the last request).
	Expires     time.Time
	IdleExpires time.Time
}

// alive reports whether the session may still be used at now.
func (s Session) alive(now time.Time) bool {
	return now.Before(s.Expires) && now.Before(s.IdleExpires)
}

// Pending is a sign-in under way: what /signin generated and /auth/callback checks, bound to the
// browser by the pre-session cookie. It is used once (TakePending).
type Pending struct {
	State    string
	Nonce    string
	Verifier string // the PKCE code verifier; never leaves the server except to the token endpoint
	Return   string // the local path to go to after sign-in
	Expires  time.Time
}

// Store keeps sessions and pending sign-ins on the server. Keys are the SHA-256 of the ids the
// cookies carry (hex), so that what the store holds cannot be replayed as a cookie.
//
// MemoryStore is the implementation for one instance (and the unit tests). Several instances
// behind a load balancer need a shared implementation (the callback may reach another instance
// than /signin, and a session must be visible to all of them), where TakePending is atomic (get
// and delete in one step) so that a state is used once: neo4jstore.WebSessions, which `bridge
// serve` uses.
type Store interface {
	PutSession(ctx context.Context, key string, s Session) error
	// Session returns the session under key; false when there is none or it is no longer alive.
	Session(ctx context.Context, key string) (Session, bool, error)
	// TouchSession moves the idle deadline of the session under key (no-op when it is gone).
	TouchSession(ctx context.Context, key string, idleExpires time.Time) error
	DeleteSession(ctx context.Context, key string) error
	PutPending(ctx context.Context, key string, p Pending) error
	// TakePending returns the pending sign-in under key and removes it, atomically: a second
	// call with the same key finds nothing. Expired ones are not returned.
	TakePending(ctx context.Context, key string) (Pending, bool, error)
}

// MemoryStore is a Store in the process's memory, bounded in size: expired sessions and pending
// sign-ins are dropped when met and swept once a minute; when a map is full, the entry closest to
// its end is dropped to make room (for sessions: the one idle the longest, so a flood of new
// sign-ins ends the most idle sessions first; pending sign-ins expire within minutes anyway).
type MemoryStore struct {
	now        func() time.Time
	maxSession int
	maxPending int

	mu        sync.Mutex
	sessions  map[string]Session
	pending   map[string]Pending
	lastSweep time.Time
}

// NewMemoryStore returns a store of at most maxSessions sessions and maxPending pending
// sign-ins (at least 1 each). now is the clock (nil: time.Now).
func NewMemoryStore(maxSessions, maxPending int, now func() time.Time) *MemoryStore {
	if now == nil {
		now = time.Now
	}
	return &MemoryStore{now: now, maxSession: max(maxSessions, 1), maxPending: max(maxPending, 1),
		sessions: map[string]Session{}, pending: map[string]Pending{}}
}

// sweepEvery is how often a write drops every expired entry.
const sweepEvery = time.Minute

// sweep drops what has expired, at most once a minute unless forced. Called with mu held.
func (m *MemoryStore) sweep(now time.Time, force bool) {
	if !force && now.Sub(m.lastSweep) < sweepEvery {
		return
	}
	m.lastSweep = now
	for k, s := range m.sessions {
		if !s.alive(now) {
			delete(m.sessions, k)
		}
	}
	for k, p := range m.pending {
		if !now.Before(p.Expires) {
			delete(m.pending, k)
		}
	}
}

func (m *MemoryStore) PutSession(_ context.Context, key string, s Session) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.sweep(now, false)
	if _, ok := m.sessions[key]; !ok && len(m.sessions) >= m.maxSession {
		m.sweep(now, true)
		if len(m.sessions) >= m.maxSession {
			var oldest string
			var at time.Time
			for k, s := range m.sessions {
				end := s.IdleExpires
				if s.Expires.Before(end) {
					end = s.Expires
				}
				if oldest == "" || end.Before(at) {
					oldest, at = k, end
				}
			}
			delete(m.sessions, oldest)
		}
	}
	m.sessions[key] = s
	return nil
}

func (m *MemoryStore) Session(_ context.Context, key string) (Session, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sessions[key]
	if !ok {
		return Session{}, false, nil
	}
	if !s.alive(m.now()) {
		delete(m.sessions, key)
		return Session{}, false, nil
	}
	return s, true, nil
}

func (m *MemoryStore) TouchSession(_ context.Context, key string, idleExpires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s, ok := m.sessions[key]; ok && idleExpires.After(s.IdleExpires) {
		s.IdleExpires = idleExpires
		m.sessions[key] = s
	}
	return nil
}

func (m *MemoryStore) DeleteSession(_ context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sessions, key)
	return nil
}

func (m *MemoryStore) PutPending(_ context.Context, key string, p Pending) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.sweep(now, false)
	if _, ok := m.pending[key]; !ok && len(m.pending) >= m.maxPending {
		m.sweep(now, true)
		if len(m.pending) >= m.maxPending {
			var oldest string
			var at time.Time
			for k, p := range m.pending {
				if oldest == "" || p.Expires.Before(at) {
					oldest, at = k, p.Expires
				}
			}
			delete(m.pending, oldest)
		}
	}
	m.pending[key] = p
	return nil
}

func (m *MemoryStore) TakePending(_ context.Context, key string) (Pending, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.pending[key]
	if !ok {
		return Pending{}, false, nil
	}
	delete(m.pending, key)
	if !m.now().Before(p.Expires) {
		return Pending{}, false, nil
	}
	return p, true, nil
}

// Len returns the number of sessions and pending sign-ins held (expired ones not yet swept
// included); for tests and metrics.
func (m *MemoryStore) Len() (sessions, pending int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sessions), len(m.pending)
}
