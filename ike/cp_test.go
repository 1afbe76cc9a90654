package ike

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/charond/charond/pool"
)

// The CFG_REPLY on the wire carries the DNS servers of the pools that
// handed out the client's addresses, and none of a pool that did not.
func TestCFGReplyCarriesPoolDNS(t *testing.T) {
	pm := pool.NewManager()
	for _, p := range []struct{ name, addrs, dns string }{
		{"rw_pool_v4", "10.3.0.0/28", "10.1.0.20, 10.1.0.21"},
		{"rw_pool_v6", "fec3::/120", "fec1::20"},
		{"unused", "10.9.0.0/28", "10.9.9.9"},
	} {
		r, _, err := pool.ParseAddrs(p.addrs)
		if err != nil {
			t.Fatal(err)
		}
		var attrs []pool.Attribute
		for _, v := range strings.Split(p.dns, ",") {
			a, err := pool.ParseAttribute("dns", strings.TrimSpace(v))
			if err != nil {
				t.Fatal(err)
			}
			attrs = append(attrs, a)
		}
		if _, err := pm.Load(p.name, r, attrs); err != nil {
			t.Fatal(err)
		}
	}
	gw := gatewayPeer("aes128-sha256-x25519")
	gw.Pools = append(gw.Pools, "unused")
	srv := NewServer(Options{Configs: staticConfigs{gw},
		Secrets:   pskTable{"moon.example.org|carol@example.org": []byte("secret-psk")},
		Allocator: PoolAllocator{Pools: pm}})
	send := func(b []byte) []byte {
		return srv.Handle(b, netip.MustParseAddrPort("192.0.2.1:500"), clientAddr)
	}
	i := newInitiator(t, send, "aes128-sha256-x25519", GroupCurve25519)
	if n := i.doInit(); n != 0 {
		t.Fatal(n)
	}
	resp := i.exchange(IKEAuth, i.authPayloads(true))
	if err := i.verifyAuth(resp); err != nil {
		t.Fatal(err)
	}
	cp, ok := find[*CP](resp)
	if !ok || cp.CfgType != CfgReply {
		t.Fatalf("no CFG_REPLY in %s", describe(resp))
	}
	var got []string
	for _, a := range cp.Attrs {
		s := attrName(a.Type) + " "
		switch {
		case a.Type == AttrIP6Address && len(a.Value) == 17:
			s += addrFrom(a.Value[:16]).String()
		case len(a.Value) == 4 || len(a.Value) == 16:
			s += addrFrom(a.Value).String()
		default:
			s += "malformed"
		}
		got = append(got, s)
	}
	want := []string{"ADDR 10.3.0.1", "ADDR6 fec3::1",
		"DNS 10.1.0.20", "DNS 10.1.0.21", "DNS6 fec1::20"}
	if !slices.Equal(got, want) {
		t.Errorf("CFG_REPLY attributes %q, want %q", got, want)
	}
}

func attrName(t uint16) string {
	switch t {
	case AttrIP4Address:
		return "ADDR"
	case AttrIP6Address:
		return "ADDR6"
	case AttrIP4DNS:
		return "DNS"
	case AttrIP6DNS:
		return "DNS6"
	}
	return "other"
}
