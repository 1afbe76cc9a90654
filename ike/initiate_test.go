package ike

import (
	"context"
	"encoding/binary"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charond/charond/conn"
	"github.com/charond/charond/identity"
	"github.com/charond/charond/kernel"
)

// pipe joins two Servers: what one sends, the other handles, and the reply
// goes back. seenAs rewrites the sender's address as the receiver sees it
// (a NAT); drop loses every message.
type pipe struct {
	self, peer *Server
	localAddr  netip.Addr
	seenAs     netip.Addr
	drop       bool
	mu         sync.Mutex
	sent       []netip.AddrPort // destinations, in order
}

func (p *pipe) Local(remote netip.AddrPort) (netip.AddrPort, bool) {
	return netip.AddrPortFrom(p.localAddr, remote.Port()), true
}

func (p *pipe) Send(msg []byte, local, remote netip.AddrPort) error {
	p.mu.Lock()
	p.sent = append(p.sent, remote)
	p.mu.Unlock()
	if p.drop {
		return nil
	}
	from := local
	if p.seenAs.IsValid() {
		from = netip.AddrPortFrom(p.seenAs, local.Port()+1000)
	}
	msg = append([]byte(nil), msg...)
	go func() {
		if reply := p.peer.Handle(msg, remote, from); reply != nil {
			p.self.Handle(reply, local, remote)
		}
	}()
	return nil
}

type peerTable map[string]*Peer

func (t peerTable) Peer(name string) (*Peer, bool) { p, ok := t[name]; return p, ok }

type logRecorder struct {
	mu   sync.Mutex
	msgs []string
}

func (l *logRecorder) log(c ControlLog) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.msgs = append(l.msgs, c.Group+" "+c.IKEName+": "+c.Msg)
}

func (l *logRecorder) has(t *testing.T, want string) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range l.msgs {
		if strings.HasSuffix(m, want) {
			return
		}
	}
	t.Errorf("no log record %q in\n%s", want, strings.Join(l.msgs, "\n"))
}

type clientEnv struct {
	srv    *Server
	gw     *testEnv
	dp     *recordingDataplane
	kern   *kernel.Fake
	vips   *kernel.Manager
	resolv string
	toGW   *pipe
	toCli  *pipe
}

func carolPeer(ike string) *Peer {
	ps, _ := ParseProposals(ProtoIKE, []string{ike})
	esp, _ := ParseProposals(ProtoESP, []string{"aes128-sha256"})
	return &Peer{Name: "carol", Proposals: ps, LocalID: identity.Parse("carol@example.org"),
		RemoteID: identity.Parse("moon.example.org"),
		Remote:   netip.MustParseAddrPort("192.0.2.1:500"),
		VIPs:     []netip.Addr{netip.IPv4Unspecified(), netip.IPv6Unspecified()},
		Children: []Child{{Name: "home", Proposals: esp,
			RemoteTS: []conn.TS{mustTS("10.1.0.0/16"), mustTS("fec1::/64")}}}}
}

// newClientEnv connects a charond client with carol's connection to a
// charond gateway with lab/gateway's rw connection.
func newClientEnv(t *testing.T, carol, gw *Peer) *clientEnv {
	t.Helper()
	e := &clientEnv{gw: newTestEnv(Options{RetransmitTimeout: 50 * time.Millisecond}, gw),
		dp: &recordingDataplane{}, kern: kernel.NewFake()}
	e.kern.AddPath(netip.MustParsePrefix("192.0.2.0/24"), "vcli", netip.Addr{})
	e.resolv = filepath.Join(t.TempDir(), "resolv.conf")
	e.vips = kernel.NewManager(kernel.Options{Kernel: e.kern, Table: 220, Prio: 220,
		DNS: &kernel.ResolvFile{Path: e.resolv}})
	if err := e.vips.Start(); err != nil {
		t.Fatal(err)
	}
	e.toGW = &pipe{peer: e.gw.srv, localAddr: clientAddr.Addr()}
	e.toCli = &pipe{self: e.gw.srv, localAddr: e.gw.local.Addr()}
	e.srv = NewServer(Options{Configs: staticConfigs(nil),
		Secrets:   pskTable{"carol@example.org|moon.example.org": []byte("secret-psk")},
		Allocator: newMemPool(nil), Dataplane: e.dp, Initiators: peerTable{"carol": carol},
		VirtualIPs: e.vips, Transport: e.toGW,
		RetransmitTimeout: 50 * time.Millisecond, RetransmitTries: 3})
	e.toGW.self, e.toCli.peer = e.srv, e.srv
	e.gw.srv.opt.Transport = e.toCli
	return e
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestInitiateTerminate(t *testing.T) {
	e := newClientEnv(t, carolPeer("aes128-sha256-x25519"), gatewayPeer("aes128-sha256-x25519"))
	logs := &logRecorder{}
	if err := e.srv.Initiate(ctx(t), "carol", "home", logs.log); err != nil {
		t.Fatal(err)
	}
	logs.has(t, "IKE carol: IKE_SA carol[1] established between "+
		"192.0.2.2[carol@example.org]...192.0.2.1[moon.example.org]")
	logs.has(t, "installing new virtual IP 10.3.0.1")
	logs.has(t, "installing new virtual IP fec3::1")
	logs.has(t, "CFG carol: installing DNS server 10.1.0.20")
	logs.has(t, "selected proposal: IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/CURVE_25519")
	cli, gw := e.srv.SAs(), e.gw.srv.SAs()
	if len(cli) != 1 || len(gw) != 1 {
		t.Fatalf("%d client and %d gateway IKE_SAs, want 1 each", len(cli), len(gw))
	}
	if !cli[0].Initiator || gw[0].Initiator || cli[0].SPIi != gw[0].SPIi ||
		cli[0].SPIr != gw[0].SPIr {
		t.Errorf("SAs disagree: client %+v gateway %+v", cli[0], gw[0])
	}
	a, b := sprint(cli[0].LocalVIPs), sprint(gw[0].RemoteVIPs)
	if a != "[10.3.0.1 fec3::1]" || a != b {
		t.Errorf("client VIPs %s, gateway's view %s", a, b)
	}
	checkChildPair(t, e, 0)
	want := []string{"addr vcli 10.3.0.1/32", "addr vcli fec3::1/128",
		"route 220 10.1.0.0/16 src 10.3.0.1 dev vcli", "route 220 fec1::/64 src fec3::1 dev vcli",
		"rule 220 table 220"}
	if got := e.kern.State(); !reflect.DeepEqual(got, want) {
		t.Errorf("kernel state\n%q\nwant\n%q", got, want)
	}
	if b, _ := os.ReadFile(e.resolv); !strings.Contains(string(b), "nameserver 10.1.0.20") {
		t.Errorf("resolv.conf: %q", b)
	}

	logs = &logRecorder{}
	m, n, err := e.srv.Terminate(ctx(t), "carol", 0, logs.log)
	if m != 1 || n != 1 || err != nil {
		t.Fatalf("Terminate = %d, %d, %v", m, n, err)
	}
	logs.has(t, "sending DELETE for IKE_SA carol[1]")
	logs.has(t, "IKE_SA deleted")
	if len(e.srv.SAs())+len(e.gw.srv.SAs()) != 0 {
		t.Error("IKE_SAs left after Terminate")
	}
	if got := e.kern.State(); !reflect.DeepEqual(got, []string{"rule 220 table 220"}) {
		t.Errorf("kernel state after Terminate: %q", got)
	}
	if b, _ := os.ReadFile(e.resolv); len(b) != 0 {
		t.Errorf("resolv.conf after Terminate: %q", b)
	}
	if got := sprint(e.gw.pool.released); got != "[10.3.0.1 fec3::1]" {
		t.Errorf("gateway released %s", got)
	}
	if len(e.dp.removed) != 1 || len(e.gw.dp.removed) != 1 {
		t.Errorf("CHILD_SAs removed: client %d, gateway %d", len(e.dp.removed),
			len(e.gw.dp.removed))
	}
}

// checkChildPair compares the i-th CHILD_SA installed on each side.
func checkChildPair(t *testing.T, e *clientEnv, i int) {
	t.Helper()
	e.dp.mu.Lock()
	e.gw.dp.mu.Lock()
	defer e.dp.mu.Unlock()
	defer e.gw.dp.mu.Unlock()
	if len(e.dp.installed) <= i || len(e.gw.dp.installed) <= i {
		t.Fatalf("CHILD_SA %d not installed on both sides", i)
	}
	c, g := e.dp.installed[i], e.gw.dp.installed[i]
	if c.SPIIn != g.SPIOut || c.SPIOut != g.SPIIn || !reflect.DeepEqual(c.EncrOut, g.EncrIn) ||
		!reflect.DeepEqual(c.IntegIn, g.IntegOut) || len(c.EncrIn) != 16 {
		t.Errorf("CHILD_SAs do not pair up:\nclient %+v\ngateway %+v", c, g)
	}
	if tsText(c.LocalTS) != "10.3.0.1/32 fec3::1/128" ||
		tsText(c.RemoteTS) != "10.1.0.0/16 fec1::/64" ||
		tsText(g.RemoteTS) != tsText(c.LocalTS) {
		t.Errorf("selectors: client %s === %s, gateway %s === %s", tsText(c.LocalTS),
			tsText(c.RemoteTS), tsText(g.LocalTS), tsText(g.RemoteTS))
	}
}

func TestRekeyChild(t *testing.T) {
	e := newClientEnv(t, carolPeer("aes256-sha384-ecp256"), gatewayPeer("aes256-sha384-ecp256"))
	if err := e.srv.Initiate(ctx(t), "carol", "", nil); err != nil {
		t.Fatal(err)
	}
	old := e.srv.SAs()[0].Children[0]
	logs := &logRecorder{}
	if err := e.srv.RekeyChild(ctx(t), old.Unique, logs.log); err != nil {
		t.Fatal(err)
	}
	logs.has(t, "closing CHILD_SA home{1} with SPIs "+spiText(old.SPIIn)+"_i "+
		spiText(old.SPIOut)+"_o")
	checkChildPair(t, e, 1)
	cli, gw := e.srv.SAs()[0].Children, e.gw.srv.SAs()[0].Children
	if len(cli) != 1 || len(gw) != 1 || cli[0].SPIIn == old.SPIIn || cli[0].Unique == old.Unique {
		t.Errorf("after rekeying: client %+v, gateway %+v", cli, gw)
	}
	if err := e.srv.RekeyChild(ctx(t), old.Unique, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("rekeying the deleted CHILD_SA: %v", err)
	}
}

func TestGatewayDeletes(t *testing.T) {
	e := newClientEnv(t, carolPeer("aes128gcm16-prfsha256-x25519"),
		gatewayPeer("aes128gcm16-prfsha256-x25519"))
	if err := e.srv.Initiate(ctx(t), "carol", "home", nil); err != nil {
		t.Fatal(err)
	}
	if m, n, err := e.gw.srv.Terminate(ctx(t), "rw", 0, nil); m != 1 || n != 1 || err != nil {
		t.Fatalf("gateway Terminate = %d, %d, %v", m, n, err)
	}
	if len(e.srv.SAs()) != 0 {
		t.Error("client kept the IKE_SA the gateway deleted")
	}
	if got := e.kern.State(); !reflect.DeepEqual(got, []string{"rule 220 table 220"}) {
		t.Errorf("kernel state after the gateway's delete: %q", got)
	}
	if err := e.vips.Close(); err != nil || len(e.kern.State()) != 0 {
		t.Errorf("Close: %v, left %q", err, e.kern.State())
	}
}

func TestInitiateFailures(t *testing.T) {
	t.Run("wrong psk", func(t *testing.T) {
		e := newClientEnv(t, carolPeer("aes128-sha256-x25519"), gatewayPeer("aes128-sha256-x25519"))
		e.srv.opt.Secrets = pskTable{"carol@example.org|moon.example.org": []byte("wrong")}
		err := e.srv.Initiate(ctx(t), "carol", "home", nil)
		if !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), "AUTHENTICATION_FAILED") {
			t.Errorf("Initiate = %v, want AUTHENTICATION_FAILED", err)
		}
		if len(e.srv.SAs())+len(e.gw.srv.SAs()) != 0 || len(e.kern.State()) != 1 {
			t.Errorf("left behind: %v %v %q", e.srv.SAs(), e.gw.srv.SAs(), e.kern.State())
		}
	})
	t.Run("no lease", func(t *testing.T) {
		gw := gatewayPeer("aes128-sha256-x25519")
		gw.Pools = []string{"missing"}
		e := newClientEnv(t, carolPeer("aes128-sha256-x25519"), gw)
		err := e.srv.Initiate(ctx(t), "carol", "home", nil)
		if !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), "no virtual IP") {
			t.Errorf("Initiate = %v, want no virtual IP", err)
		}
		if len(e.srv.SAs())+len(e.gw.srv.SAs()) != 0 {
			t.Error("IKE_SA kept without a virtual IP")
		}
	})
	t.Run("narrowed away", func(t *testing.T) {
		carol := carolPeer("aes128-sha256-x25519")
		carol.Children[0].RemoteTS = []conn.TS{mustTS("10.9.0.0/16")}
		e := newClientEnv(t, carol, gatewayPeer("aes128-sha256-x25519"))
		err := e.srv.Initiate(ctx(t), "carol", "home", nil)
		if !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), "TS_UNACCEPTABLE") {
			t.Errorf("Initiate = %v, want TS_UNACCEPTABLE", err)
		}
		if len(e.srv.SAs()) != 1 || len(e.srv.SAs()[0].Children) != 0 {
			t.Error("the IKE_SA should stay without CHILD_SA, as in strongSwan")
		}
	})
	t.Run("unknown", func(t *testing.T) {
		e := newClientEnv(t, carolPeer("aes128-sha256-x25519"), gatewayPeer("aes128-sha256-x25519"))
		if err := e.srv.Initiate(ctx(t), "dave", "", nil); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown connection: %v", err)
		}
		if err := e.srv.Initiate(ctx(t), "carol", "office", nil); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown child: %v", err)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		e := newClientEnv(t, carolPeer("aes128-sha256-x25519"), gatewayPeer("aes128-sha256-x25519"))
		e.toGW.drop = true
		start := time.Now()
		if err := e.srv.Initiate(ctx(t), "carol", "", nil); !errors.Is(err, ErrTimeout) {
			t.Errorf("Initiate = %v, want ErrTimeout", err)
		}
		if len(e.toGW.sent) != 4 || time.Since(start) > 2*time.Second {
			t.Errorf("%d sends in %v, want 4 (1 + 3 retransmits)", len(e.toGW.sent),
				time.Since(start))
		}
		if len(e.srv.SAs()) != 0 || len(e.srv.sas) != 0 {
			t.Error("half-open IKE_SA kept after timeout")
		}
	})
}

func TestInitiateInvalidKEAndNAT(t *testing.T) {
	e := newClientEnv(t, carolPeer("aes128-sha256-x25519-ecp384"),
		gatewayPeer("aes128-sha256-ecp384"))
	e.toGW.seenAs = netip.MustParseAddr("203.0.113.7") // the client is behind a NAT
	// ECP-384 under the race detector can outlast 50ms: no retransmits here.
	e.srv.opt.RetransmitTimeout = 5 * time.Second
	logs := &logRecorder{}
	if err := e.srv.Initiate(ctx(t), "carol", "home", logs.log); err != nil {
		t.Fatal(err)
	}
	logs.has(t, "peer didn't accept DH group 31, it requested 20")
	logs.has(t, "local host is behind NAT, sending keep alives")
	sent := sprint(e.toGW.sent)
	if sent != "[192.0.2.1:500 192.0.2.1:500 192.0.2.1:4500]" {
		t.Errorf("sent to %s, want two IKE_SA_INITs on 500 and IKE_AUTH on 4500", sent)
	}
	if c := e.dp.installed[0]; !c.Encap || c.Remote.Port() != 4500 {
		t.Errorf("CHILD_SA not UDP-encapsulated: %+v", c)
	}
}

func TestCPRequestAndESN(t *testing.T) {
	cp := cpRequest([]netip.Addr{netip.IPv4Unspecified(), netip.MustParseAddr("fec3::9")})
	if got := describe([]Payload{cp}); got != "CPRQ(ADDR ADDR6 DNS DNS6)" {
		t.Errorf("CFG_REQUEST described as %s", got)
	}
	if v := cp.Attrs[1].Value; len(v) != 17 || addrFrom(v[:16]).String() != "fec3::9" {
		t.Errorf("specific IPv6 request %x", v)
	}
	vips, dns := cpReply([]Payload{&CP{CfgType: CfgReply, Attrs: []CPAttr{
		{Type: AttrIP4Address, Value: []byte{10, 3, 0, 5}},
		{Type: AttrIP6Address, Value: append(netip.MustParseAddr("fec3::5").AsSlice(), 64)},
		{Type: AttrIP6DNS, Value: netip.MustParseAddr("fec1::20").AsSlice()},
		{Type: AttrIP4DNS, Value: []byte{1, 2}}, // malformed: ignored
	}}})
	if sprint(vips) != "[10.3.0.5 fec3::5]" || sprint(dns) != "[fec1::20]" {
		t.Errorf("CFG_REPLY read as %v %v", vips, dns)
	}
	e := newClientEnv(t, carolPeer("aes128-sha256-x25519"), gatewayPeer("aes128-sha256-x25519"))
	sa := &ikeSA{srv: e.srv}
	ps, spi := sa.childRequest(&carolPeer("aes128-sha256-x25519").Children[0], nil, nil)
	p := ps[0].(*SA).Proposals[0]
	if binary.BigEndian.Uint32(p.SPI) != spi || spi < 0xc0000000 {
		t.Errorf("SPI %x in proposal, %x returned", p.SPI, spi)
	}
	if got := proposalText(p); got != "ESP:AES_CBC_128/HMAC_SHA2_256_128/NO_EXT_SEQ" {
		t.Errorf("ESP proposal offered: %s", got)
	}
}
