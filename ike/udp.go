package ike

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"sync"
)

// NATTPort is the UDP port of NAT traversal, where IKE messages carry a
// four-byte zero non-ESP marker.
const NATTPort = 4500

// Serve answers IKE on the given UDP addresses (typically ip:500 and
// ip:4500; those on Options.NATTPort carry the non-ESP marker) until ctx
// ends. Each address must be a concrete IP: the local
// address takes part in NAT detection.
//
// TODO: wildcard listeners (learning the local address per packet with
// IP_PKTINFO) are not implemented.
func (s *Server) Serve(ctx context.Context, addrs ...netip.AddrPort) error {
	socks, err := Bind(addrs...)
	if err != nil {
		return err
	}
	return s.ServeSockets(ctx, socks)
}

// Sockets are bound UDP sockets for ServeSockets.
type Sockets struct {
	conns []*net.UDPConn
	addrs []netip.AddrPort
}

// Bind opens the UDP sockets of Serve, so that a caller learns of an
// address in use before serving.
func Bind(addrs ...netip.AddrPort) (*Sockets, error) {
	socks := &Sockets{addrs: addrs}
	for _, a := range addrs {
		c, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(a))
		if err != nil {
			socks.close()
			return nil, fmt.Errorf("ike: listen: %w", err)
		}
		socks.conns = append(socks.conns, c)
	}
	return socks, nil
}

func (k *Sockets) close() {
	for _, c := range k.conns {
		c.Close()
	}
}

// ServeSockets is Serve on sockets from Bind; it closes them when ctx ends.
func (s *Server) ServeSockets(ctx context.Context, socks *Sockets) error {
	conns, addrs, closeAll := socks.conns, socks.addrs, socks.close
	ut := &udpTransport{conns: map[netip.AddrPort]*net.UDPConn{}, natt: s.opt.NATTPort}
	for i, c := range conns {
		ut.conns[boundAddr(c, addrs[i])] = c
	}
	s.mu.Lock()
	s.udp = ut
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.udp = nil
		s.mu.Unlock()
	}()
	var wg sync.WaitGroup
	errs := make(chan error, len(conns))
	for i, c := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- s.serveConn(c, addrs[i])
		}()
	}
	<-ctx.Done()
	closeAll()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil && !errors.Is(err, net.ErrClosed) {
			return err
		}
	}
	return nil
}

func (s *Server) serveConn(c *net.UDPConn, local netip.AddrPort) error {
	buf := make([]byte, MaxMessage)
	natt := local.Port() == s.opt.NATTPort
	local = boundAddr(c, local)
	for {
		n, from, err := c.ReadFromUDPAddrPort(buf)
		if err != nil {
			return fmt.Errorf("ike: read: %w", err)
		}
		from = netip.AddrPortFrom(from.Addr().Unmap(), from.Port())
		msg := buf[:n]
		if natt {
			if n == 1 && msg[0] == 0xff {
				continue // NAT keepalive
			}
			if n < 4 || msg[0]|msg[1]|msg[2]|msg[3] != 0 {
				// ESP in UDP: the dataplane's business, not ours.
				s.log.Debug("dropping ESP in UDP packet", "from", from)
				continue
			}
			msg = msg[4:]
		}
		reply := s.Handle(append([]byte(nil), msg...), local, from)
		if reply == nil {
			continue
		}
		if natt {
			reply = append([]byte{0, 0, 0, 0}, reply...)
		}
		if _, err := c.WriteToUDPAddrPort(reply, from); err != nil {
			s.log.Info("sending response failed", "to", from, "err", err)
		}
	}
}

// boundAddr is the address c listens on: asked, with the port the system
// chose when asked for port 0.
func boundAddr(c *net.UDPConn, asked netip.AddrPort) netip.AddrPort {
	if a, ok := c.LocalAddr().(*net.UDPAddr); ok && asked.Port() == 0 {
		return netip.AddrPortFrom(asked.Addr(), uint16(a.Port))
	}
	return asked
}

// udpTransport sends our requests from Serve's sockets.
type udpTransport struct {
	conns map[netip.AddrPort]*net.UDPConn // read-only after Serve set it up
	natt  uint16                          // our NAT-T port
}

func (u *udpTransport) Local(remote netip.AddrPort) (netip.AddrPort, bool) {
	natt := remote.Port() == NATTPort
	// The source the kernel's routing picks; connecting a UDP socket
	// sends nothing.
	if c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(remote)); err == nil {
		src := c.LocalAddr().(*net.UDPAddr).AddrPort()
		c.Close()
		for a := range u.conns {
			if a.Addr() == src.Addr().Unmap() && (a.Port() == u.natt) == natt {
				return a, true
			}
		}
	}
	var best netip.AddrPort
	for a := range u.conns {
		if a.Addr().Unmap().Is4() != remote.Addr().Unmap().Is4() ||
			(a.Port() == u.natt) != (remote.Port() == NATTPort) {
			continue
		}
		if !best.IsValid() || a.String() < best.String() { // deterministic choice
			best = a
		}
	}
	return best, best.IsValid()
}

func (u *udpTransport) Send(msg []byte, local, remote netip.AddrPort) error {
	c := u.conns[local]
	if c == nil {
		return fmt.Errorf("ike: no socket on %s", local)
	}
	if local.Port() == u.natt {
		msg = append([]byte{0, 0, 0, 0}, msg...)
	}
	_, err := c.WriteToUDPAddrPort(msg, remote)
	return err
}
