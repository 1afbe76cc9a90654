package ike

import (
	"context"
	"net"
	"net/netip"
	"testing"
	"time"
)

// TestServeUDP runs IKE_SA_INIT and IKE_AUTH over a loopback UDP socket.
func TestServeUDP(t *testing.T) {
	e := newTestEnv(Options{}, gatewayPeer())
	// Reserve a free port, then let Serve bind it.
	probe, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	addr := probe.LocalAddr().(*net.UDPAddr).AddrPort()
	probe.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.srv.Serve(ctx, addr) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()
	c, err := net.DialUDP("udp", nil, net.UDPAddrFromAddrPort(addr))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	send := func(b []byte) []byte {
		buf := make([]byte, MaxMessage)
		for try := 0; try < 20; try++ { // the server may still be binding
			c.Write(b)
			c.SetReadDeadline(time.Now().Add(100 * time.Millisecond))
			n, err := c.Read(buf)
			if err == nil {
				return buf[:n]
			}
			time.Sleep(20 * time.Millisecond) // refused: not bound yet

		}
		return nil
	}
	i := newInitiator(t, send, "aes128gcm16-prfsha256-x25519", GroupCurve25519)
	i.local = c.LocalAddr().(*net.UDPAddr).AddrPort()
	i.remote = netip.AddrPortFrom(addr.Addr(), addr.Port())
	if n := i.doInit(); n != 0 {
		t.Fatal(n)
	}
	resp := i.exchange(IKEAuth, i.authPayloads(true))
	if err := i.verifyAuth(resp); err != nil {
		t.Fatal(err)
	}
	infos := e.srv.SAs()
	if len(infos) != 1 || infos[0].NATRemote {
		t.Fatalf("SAs() = %+v, want one without NAT", infos)
	}
}
