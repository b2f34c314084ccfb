package testneo4j

import (
	"net"
	"net/url"
	"sync"
	"testing"
	"time"
)

// Proxy forwards TCP connections to a target. SetDown(true) cuts every open connection and
// refuses new ones (accepts and closes at once), which to the driver looks like a stopped server;
// SetDown(false) lets connections through again.
type Proxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	down  bool
	delay time.Duration
	held  int       // answers of the server being delayed now
	last  time.Time // when the last bytes went through, either way
	conns map[net.Conn]struct{}
}

// SetDelay makes every answer of the server arrive d later: a slow database.
func (p *Proxy) SetDelay(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.delay = d
}

// Holding is the number of answers of the server that the delay holds back now: more than zero
// means a query is at the database and its client waits (a request in flight).
func (p *Proxy) Holding() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held
}

// Idle is how long no bytes have gone through the proxy, either way (since it started, if none).
func (p *Proxy) Idle() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return time.Since(p.last)
}

func (p *Proxy) active() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = time.Now()
}

func (p *Proxy) hold(delta int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.held += delta
}

func (p *Proxy) currentDelay() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.delay
}

// NewProxy starts a proxy on a free loopback port in front of the Bolt address of uri; it is
// closed when the test ends.
func NewProxy(t testing.TB, uri string) *Proxy {
	t.Helper()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatalf("proxy: parse %q: %v", uri, err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy: listen: %v", err)
	}
	p := &Proxy{ln: ln, target: u.Host, conns: map[net.Conn]struct{}{}, last: time.Now()}
	go p.accept()
	t.Cleanup(func() {
		_ = ln.Close()
		p.SetDown(true)
	})
	return p
}

// URI is the bolt:// address of the proxy.
func (p *Proxy) URI() string { return "bolt://" + p.ln.Addr().String() }

// SetDown cuts (true) or restores (false) the path to the server.
func (p *Proxy) SetDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
	if down {
		for c := range p.conns {
			_ = c.Close()
		}
		p.conns = map[net.Conn]struct{}{}
	}
}

func (p *Proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.forward(c)
	}
}

func (p *Proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		return false
	}
	p.conns[c] = struct{}{}
	return true
}

func (p *Proxy) forward(client net.Conn) {
	if !p.track(client) {
		_ = client.Close()
		return
	}
	server, err := net.Dial("tcp", p.target)
	if err != nil || !p.track(server) {
		_ = client.Close()
		if server != nil {
			_ = server.Close()
		}
		return
	}
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn, delayed bool) {
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 {
				p.active()
				if d := p.currentDelay(); delayed && d > 0 {
					p.hold(1)
					time.Sleep(d)
					p.hold(-1)
				}
				if _, werr := dst.Write(buf[:n]); werr != nil {
					break
				}
			}
			if err != nil {
				break
			}
		}
		_ = dst.Close()
		_ = src.Close()
		done <- struct{}{}
	}
	go pipe(server, client, false)
	go pipe(client, server, true)
	<-done
	<-done
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, server)
	p.mu.Unlock()
}
