package ike

import (
	"bytes"
	"net/netip"
	"testing"
	"time"
)

var clientAddr = netip.MustParseAddrPort("192.0.2.2:500")

// handshake runs IKE_SA_INIT and IKE_AUTH and returns the IKE_AUTH response.
func handshake(t *testing.T, e *testEnv, props string, group uint16) (*initiator, []Payload) {
	t.Helper()
	i := newInitiator(t, e.sender(clientAddr), props, group)
	if n := i.doInit(); n != 0 {
		t.Fatalf("IKE_SA_INIT failed with %v", n)
	}
	resp := i.exchange(IKEAuth, i.authPayloads(true))
	if err := i.verifyAuth(resp); err != nil {
		t.Fatal(err)
	}
	return i, resp
}

func TestHandshakeSuites(t *testing.T) {
	cases := []struct {
		ike   string
		group uint16
	}{
		{"aes128-sha256-x25519", GroupCurve25519},
		{"aes256-sha384-modp2048", GroupMODP2048},
		{"aes128gcm16-prfsha256-ecp256", GroupECP256},
		{"aes256gcm16-prfsha512-ecp384", GroupECP384},
		{"aes256-sha512-x25519", GroupCurve25519},
	}
	for _, c := range cases {
		t.Run(c.ike, func(t *testing.T) {
			e := newTestEnv(Options{}, gatewayPeer(c.ike))
			i, resp := handshake(t, e, c.ike, c.group)
			checkAuthResponse(t, e, i, resp)
		})
	}
}

func checkAuthResponse(t *testing.T, e *testEnv, i *initiator, resp []Payload) {
	t.Helper()
	cp, ok := find[*CP](resp)
	if !ok || cp.CfgType != CfgReply {
		t.Fatalf("no CFG_REPLY in %s", describe(resp))
	}
	var got []string
	for _, a := range cp.Attrs {
		switch a.Type {
		case AttrIP4Address:
			got = append(got, addrFrom(a.Value).String())
		case AttrIP6Address:
			if len(a.Value) != 17 || a.Value[16] != 64 {
				t.Errorf("IPv6 attribute %x, want address and prefix 64", a.Value)
			}
			got = append(got, addrFrom(a.Value[:16]).String())
		case 3:
			got = append(got, "dns "+addrFrom(a.Value).String())
		}
	}
	if want := "[10.3.0.1 fec3::1 dns 10.1.0.20]"; sprint(got) != want {
		t.Errorf("CFG_REPLY %v, want %v", got, want)
	}
	var tsi, tsr *TS
	for _, p := range resp {
		if ts, ok := p.(*TS); ok && ts.Responder {
			tsr = ts
		} else if ok {
			tsi = ts
		}
	}
	if tsi == nil || tsr == nil {
		t.Fatalf("no TS in %s", describe(resp))
	}
	if s := tsText(tsi.Selectors); s != "10.3.0.1/32 fec3::1/128" {
		t.Errorf("TSi %s", s)
	}
	if s := tsText(tsr.Selectors); s != "10.1.0.0/16 fec1::/64" {
		t.Errorf("TSr %s", s)
	}
	sap, _ := find[*SA](resp)
	if sap == nil || len(sap.Proposals) != 1 || len(sap.Proposals[0].SPI) != 4 {
		t.Fatalf("bad child SA payload in %s", describe(resp))
	}
	if len(e.dp.installed) != 1 {
		t.Fatalf("%d CHILD_SAs installed", len(e.dp.installed))
	}
	c := e.dp.installed[0]
	esp, err := suiteOf(sap.Proposals[0])
	if err != nil {
		t.Fatal(err)
	}
	// The initiator derives KEYMAT on its own; both sides must agree.
	k := deriveChild(i.st, i.keys.d, esp, nil, i.ni, i.nr)
	if !bytes.Equal(c.EncrIn, k.ei) || !bytes.Equal(c.EncrOut, k.er) ||
		!bytes.Equal(c.IntegIn, k.ai) || !bytes.Equal(c.IntegOut, k.ar) {
		t.Error("CHILD_SA keys differ between initiator and responder")
	}
	if c.SPIOut != i.espSPI || c.SPIIn != bytesToU32(sap.Proposals[0].SPI) {
		t.Errorf("SPIs in %08x out %08x, initiator's %08x", c.SPIIn, c.SPIOut, i.espSPI)
	}
	infos := e.srv.SAs()
	if len(infos) != 1 || infos[0].RemoteID.String() != "carol@example.org" ||
		sprint(infos[0].RemoteVIPs) != "[10.3.0.1 fec3::1]" {
		t.Errorf("SAs() = %+v", infos)
	}
}

func bytesToU32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func TestInvalidKEPayload(t *testing.T) {
	e := newTestEnv(Options{}, gatewayPeer("aes128-sha256-modp2048-ecp256"))
	i := newInitiator(t, e.sender(clientAddr), "aes128-sha256-x25519-ecp256", GroupCurve25519)
	if n := i.doInit(); n != NInvalidKEPayload {
		t.Fatalf("got %v, want INVALID_KE_PAYLOAD", n)
	}
	if i.group != GroupECP256 {
		t.Fatalf("responder asked for group %d", i.group)
	}
	if n := i.doInit(); n != 0 {
		t.Fatalf("retry with the requested group failed: %v", n)
	}
}

func TestNoProposalChosen(t *testing.T) {
	e := newTestEnv(Options{}, gatewayPeer("aes256-sha512-ecp384"))
	i := newInitiator(t, e.sender(clientAddr), "aes128-sha256-x25519", GroupCurve25519)
	if n := i.doInit(); n != NNoProposalChosen {
		t.Fatalf("got %v, want NO_PROPOSAL_CHOSEN", n)
	}
}

func TestCookies(t *testing.T) {
	e := newTestEnv(Options{CookieThreshold: 1}, gatewayPeer())
	first := newInitiator(t, e.sender(clientAddr), "aes128-sha256-x25519", GroupCurve25519)
	if n := first.doInit(); n != 0 {
		t.Fatalf("first IKE_SA_INIT: %v", n)
	}
	second := newInitiator(t, e.sender(clientAddr), "aes128-sha256-x25519", GroupCurve25519)
	if n := second.doInit(); n != NCookie {
		t.Fatalf("with one half-open SA: %v, want COOKIE", n)
	}
	if n := second.doInit(); n != 0 {
		t.Fatalf("retry with cookie: %v", n)
	}
	third := newInitiator(t, e.sender(clientAddr), "aes128-sha256-x25519", GroupCurve25519)
	third.cookie = bytes.Repeat([]byte{1}, 33)
	if n := third.doInit(); n != NCookie {
		t.Fatalf("forged cookie: %v, want COOKIE", n)
	}
}

func TestRetransmits(t *testing.T) {
	e := newTestEnv(Options{}, gatewayPeer())
	i := newInitiator(t, e.sender(clientAddr), "aes128-sha256-x25519", GroupCurve25519)
	i.doInit()
	if again := e.srv.Handle(i.initReq, e.local, clientAddr); !bytes.Equal(again, i.initResp) {
		t.Fatal("IKE_SA_INIT retransmit not answered with the cached response")
	}
	req := i.request(IKEAuth, i.authPayloads(true))
	r1 := e.srv.Handle(req, e.local, clientAddr)
	r2 := e.srv.Handle(req, e.local, clientAddr)
	if r1 == nil || !bytes.Equal(r1, r2) {
		t.Fatal("IKE_AUTH retransmit not answered with the cached response")
	}
	if len(e.dp.installed) != 1 {
		t.Fatalf("retransmit installed %d CHILD_SAs", len(e.dp.installed))
	}
	i.open(r1)
	// A message ID from the future is dropped.
	i.msgID = 5
	if r := e.srv.Handle(i.request(Informational, nil), e.local, clientAddr); r != nil {
		t.Fatal("request with a future message ID answered")
	}
}

func TestWrongPSK(t *testing.T) {
	e := newTestEnv(Options{}, gatewayPeer())
	i := newInitiator(t, e.sender(clientAddr), "aes128-sha256-x25519", GroupCurve25519)
	i.psk = []byte("wrong")
	i.doInit()
	resp := i.exchange(IKEAuth, i.authPayloads(true))
	if n, ok := find[*Notify](resp); !ok || n.NType != NAuthenticationFailed || len(resp) != 1 {
		t.Fatalf("got %s, want N(AUTHENTICATION_FAILED)", describe(resp))
	}
	if len(e.srv.SAs()) != 0 || len(e.pool.online) != 0 {
		t.Fatal("failed IKE_SA kept or leased an address")
	}
	if r := e.srv.Handle(i.request(Informational, nil), e.local, clientAddr); r != nil {
		t.Fatal("deleted IKE_SA still answers")
	}
}

func TestCPRequired(t *testing.T) {
	e := newTestEnv(Options{}, gatewayPeer())
	i := newInitiator(t, e.sender(clientAddr), "aes128-sha256-x25519", GroupCurve25519)
	i.doInit()
	resp := i.exchange(IKEAuth, i.authPayloads(false))
	if err := i.verifyAuth(resp); err != nil {
		t.Fatal(err)
	}
	if _, ok := findNotify(resp, NFailedCPRequired); !ok {
		t.Fatalf("got %s, want N(FAILED_CP_REQUIRED)", describe(resp))
	}
	if len(e.dp.installed) != 0 {
		t.Fatal("CHILD_SA installed without virtual IP")
	}
}

func TestInformational(t *testing.T) {
	e := newTestEnv(Options{}, gatewayPeer())
	i, _ := handshake(t, e, "aes128gcm16-prfsha256-x25519", GroupCurve25519)
	if resp := i.exchange(Informational, nil); len(resp) != 0 {
		t.Fatalf("liveness check answered with %s", describe(resp))
	}
	spi := e.dp.installed[0].SPIOut
	resp := i.exchange(Informational, []Payload{&Delete{Protocol: ProtoESP, SPISize: 4,
		SPIs: [][]byte{u32bytes(spi)}}})
	d, ok := find[*Delete](resp)
	if !ok || len(d.SPIs) != 1 || bytesToU32(d.SPIs[0]) != e.dp.installed[0].SPIIn {
		t.Fatalf("CHILD_SA delete answered with %s", describe(resp))
	}
	if len(e.dp.removed) != 1 {
		t.Fatal("CHILD_SA not removed from the dataplane")
	}
	if resp := i.exchange(Informational, []Payload{&Delete{Protocol: ProtoIKE}}); len(resp) != 0 {
		t.Fatalf("IKE_SA delete answered with %s", describe(resp))
	}
	if len(e.srv.SAs()) != 0 || sprint(e.pool.released) != "[10.3.0.1 fec3::1]" {
		t.Fatalf("after delete: SAs %v, released %v", e.srv.SAs(), e.pool.released)
	}
}

func u32bytes(v uint32) []byte {
	return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}

func TestInitialContact(t *testing.T) {
	e := newTestEnv(Options{}, gatewayPeer())
	first, _ := handshake(t, e, "aes128-sha256-x25519", GroupCurve25519)
	second, _ := handshake(t, e, "aes128-sha256-x25519", GroupCurve25519)
	infos := e.srv.SAs()
	if len(infos) != 1 || infos[0].SPIi != second.spii {
		t.Fatalf("SAs() = %+v, want only the second IKE_SA", infos)
	}
	if len(e.dp.removed) != 1 || sprint(e.pool.released) != "[10.3.0.1 fec3::1]" {
		t.Fatalf("old IKE_SA left children %d, released %v", len(e.dp.removed),
			e.pool.released)
	}
	// The same identity gets its addresses back on the new SA.
	if sprint(infos[0].RemoteVIPs) != "[10.3.0.1 fec3::1]" {
		t.Errorf("new SA has %v", infos[0].RemoteVIPs)
	}
	if r := e.srv.Handle(first.request(Informational, nil), e.local, clientAddr); r != nil {
		t.Error("replaced IKE_SA still answers")
	}
}

func TestHalfOpenTimeout(t *testing.T) {
	now := time.Unix(1000, 0)
	e := newTestEnv(Options{Now: func() time.Time { return now }}, gatewayPeer())
	i := newInitiator(t, e.sender(clientAddr), "aes128-sha256-x25519", GroupCurve25519)
	i.doInit()
	if n := e.srv.countHalfOpen(); n != 1 {
		t.Fatalf("%d half-open SAs, want 1", n)
	}
	now = now.Add(31 * time.Second)
	if n := e.srv.countHalfOpen(); n != 0 {
		t.Fatalf("%d half-open SAs after the timeout", n)
	}
	if r := e.srv.Handle(i.request(IKEAuth, i.authPayloads(true)), e.local, clientAddr); r != nil {
		t.Fatal("expired half-open SA answered IKE_AUTH")
	}
}
