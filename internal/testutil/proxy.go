package testutil

import (
	"net"
	"sync"
	"testing"
)

// Proxy is a TCP relay to a real server that a test can cut, blackhole and
// restore, to see how Chorus behaves when its database goes away and comes
// back.
type Proxy struct {
	t      testing.TB
	target string
	ln     net.Listener

	mu    sync.Mutex
	moved *sync.Cond // signalled when down or hole changes
	down  bool
	hole  bool
	conns map[net.Conn]struct{}
}

// NewProxy relays connections on a loopback port to target.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{t: t, target: target, ln: ln, conns: map[net.Conn]struct{}{}}
	p.moved = sync.NewCond(&p.mu)
	go p.accept()
	t.Cleanup(func() {
		_ = ln.Close()
		p.Cut()
	})
	return p
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Cut closes every relayed connection and refuses new ones until Restore,
// as a stopped server or a refused connection looks to its clients.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down, p.hole = true, false
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
	p.moved.Broadcast()
}

// Blackhole keeps every connection open but carries nothing either way
// until Restore (or Cut), as a network that silently drops packets does:
// new connections are accepted and then hang.
func (p *Proxy) Blackhole() {
	p.mu.Lock()
	p.hole = true
	p.mu.Unlock()
}

// Restore lets connections through again; what a blackhole held back is
// delivered, as TCP would once the network heals.
func (p *Proxy) Restore() {
	p.mu.Lock()
	p.down, p.hole = false, false
	p.moved.Broadcast()
	p.mu.Unlock()
}

// pass waits while the proxy is a blackhole and reports whether traffic
// may go on (false once cut).
func (p *Proxy) pass() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.hole && !p.down {
		p.moved.Wait()
	}
	return !p.down
}

func (p *Proxy) accept() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.relay(client)
	}
}

func (p *Proxy) relay(client net.Conn) {
	p.mu.Lock()
	p.conns[client] = struct{}{}
	p.mu.Unlock()
	server, err := net.Dial("tcp", p.target)
	if !p.pass() || err != nil {
		p.mu.Lock()
		delete(p.conns, client)
		p.mu.Unlock()
		_ = client.Close()
		if server != nil {
			_ = server.Close()
		}
		return
	}
	if !p.track(client, server) {
		return
	}
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		buf := make([]byte, 32<<10)
		for {
			n, err := src.Read(buf)
			if n > 0 && (!p.pass() || writeAll(dst, buf[:n]) != nil) {
				break
			}
			if err != nil {
				break
			}
		}
		_ = dst.Close()
		_ = src.Close()
		done <- struct{}{}
	}
	go pipe(server, client)
	go pipe(client, server)
	<-done
	<-done
	p.mu.Lock()
	delete(p.conns, client)
	delete(p.conns, server)
	p.mu.Unlock()
}

func writeAll(w net.Conn, b []byte) error {
	_, err := w.Write(b)
	return err
}

// track registers both ends unless the proxy was cut meanwhile.
func (p *Proxy) track(client, server net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.down {
		_ = client.Close()
		_ = server.Close()
		return false
	}
	p.conns[client] = struct{}{}
	p.conns[server] = struct{}{}
	return true
}
