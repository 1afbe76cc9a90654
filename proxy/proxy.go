package proxy

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/charond/charond/vici"
)

// maxFrame lets the proxy pass frames larger than VICI's usual limit, so
// that it never changes what either side sees.
const maxFrame = 64 << 20

// Proxy forwards the connections accepted on one listener to an upstream
// VICI socket and records their packets.
type Proxy struct {
	l        net.Listener
	upstream string // network address of the daemon
	network  string

	mu     sync.Mutex // guards out, nextID and conns
	out    io.Writer
	nextID int
	conns  map[net.Conn]bool
	wg     sync.WaitGroup
}

// Start listens on listenURI and forwards to upstreamURI (both unix:// or
// tcp://), writing one line per packet to out.
func Start(listenURI, upstreamURI string, out io.Writer) (*Proxy, error) {
	network, addr, err := vici.ParseURI(upstreamURI)
	if err != nil {
		return nil, err
	}
	l, err := vici.Listen(listenURI, vici.ListenOptions{UID: -1, GID: -1})
	if err != nil {
		return nil, err
	}
	p := &Proxy{l: l, upstream: addr, network: network, out: out, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Close stops the proxy and closes every connection it forwards.
func (p *Proxy) Close() error {
	err := p.l.Close()
	p.mu.Lock()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.nextID++
		id := p.nextID
		p.conns[c] = true
		p.mu.Unlock()
		p.wg.Add(1)
		go p.forward(id, c)
	}
}

// dial connects upstream, retrying refusals: charon listens with a backlog
// of 3 and refuses bursts.
func (p *Proxy) dial() (net.Conn, error) {
	var err error
	for range 50 {
		var c net.Conn
		if c, err = net.Dial(p.network, p.upstream); err == nil {
			return c, nil
		}
		if !errors.Is(err, syscall.ECONNREFUSED) && !errors.Is(err, syscall.EAGAIN) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil, err
}

func (p *Proxy) forward(id int, client net.Conn) {
	defer p.wg.Done()
	defer p.drop(client)
	daemon, err := p.dial()
	if err != nil {
		p.record(fmt.Sprintf("#%d ! connecting upstream failed: %v", id, err))
		return
	}
	p.mu.Lock()
	p.conns[daemon] = true
	p.mu.Unlock()
	defer p.drop(daemon)
	done := make(chan struct{}, 2)
	go func() { p.pipe(id, ">", client, daemon); done <- struct{}{} }()
	go func() { p.pipe(id, "<", daemon, client); done <- struct{}{} }()
	<-done // either side closing ends both
}

func (p *Proxy) drop(c net.Conn) {
	c.Close()
	p.mu.Lock()
	delete(p.conns, c)
	p.mu.Unlock()
}

// pipe copies frames from src to dst, recording each.
func (p *Proxy) pipe(id int, dir string, src, dst net.Conn) {
	defer dst.Close()
	defer src.Close()
	for {
		payload, err := vici.ReadFrame(src, maxFrame)
		if err != nil {
			if !errors.Is(err, io.EOF) && !errors.Is(err, net.ErrClosed) {
				p.record(fmt.Sprintf("#%d %s ! %v", id, dir, err))
			}
			return
		}
		p.record(fmt.Sprintf("#%d %s %s", id, dir, Describe(payload)))
		frame := make([]byte, 4, 4+len(payload))
		frame[0], frame[1] = byte(len(payload)>>24), byte(len(payload)>>16)
		frame[2], frame[3] = byte(len(payload)>>8), byte(len(payload))
		if _, err := dst.Write(append(frame, payload...)); err != nil {
			return
		}
	}
}

func (p *Proxy) record(line string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintln(p.out, line)
}

// Describe renders a frame payload as one line: the packet type, its name
// if it has one, and its message in swanctl's raw form.
func Describe(payload []byte) string {
	pkt, err := vici.ParsePacket(payload, vici.DecodeLimits{})
	if err != nil {
		return fmt.Sprintf("undecodable %x (%v)", payload, err)
	}
	var b strings.Builder
	b.WriteString(pkt.Type.String())
	if pkt.Type.Named() {
		b.WriteByte(' ')
		b.WriteString(vici.TextValue(pkt.Name))
	}
	if pkt.Message != nil {
		b.WriteByte(' ')
		b.WriteString(pkt.Message.String())
	}
	return b.String()
}
