package daemon

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/charond/charond/identity"
	"github.com/charond/charond/ike"
	"github.com/charond/charond/vici"
)

func host(s string) ike.Selector {
	a := netip.MustParseAddr(s)
	return ike.Selector{Start: a, End: a, EndPort: 65535}
}

func testSA() ike.SAInfo {
	net := host("10.1.0.0")
	net.End = netip.MustParseAddr("10.1.255.255")
	return ike.SAInfo{Name: "rw", Unique: 3, SPIi: 0x1122334455667788, SPIr: 0xa,
		Local:     netip.MustParseAddrPort("192.0.2.1:4500"),
		Remote:    netip.MustParseAddrPort("192.0.2.2:4500"),
		LocalID:   identity.Parse("moon.example.org"),
		RemoteID:  identity.Parse("carol@example.org"),
		NATRemote: true, RemoteVIPs: []netip.Addr{netip.MustParseAddr("10.3.0.1")},
		Established: time.Now().Add(-5 * time.Second),
		Algs: ike.Algorithms{Encr: ike.EncrAESCBC, EncrBits: 128, Integ: ike.IntegSHA256128,
			PRF: ike.PRFHMACSHA256, DH: ike.GroupCurve25519},
		Children: []ike.ChildSA{{Name: "net", Unique: 4, Encap: true, SPIIn: 0xc1, SPIOut: 0xc2,
			Encr: ike.EncrAESCBC, EncrBits: 128, Integ: ike.IntegSHA256128,
			LocalTS: []ike.Selector{net}, RemoteTS: []ike.Selector{host("10.3.0.1")}}},
	}
}

// The keys and their order are those of vici-protocol.md §6.
func TestListSAKeys(t *testing.T) {
	m := ikeSectionChild(testSA(), "ESTABLISHED", "INSTALLED")
	got := strings.Join(m.Keys(), " ")
	want := "uniqueid version state local-host local-port local-id remote-host remote-port " +
		"remote-id initiator-spi responder-spi nat-remote nat-any encr-alg encr-keysize " +
		"integ-alg prf-alg dh-group established remote-vips child-sas"
	if got != want {
		t.Errorf("keys\n got %s\nwant %s", got, want)
	}
	c := m.Section("child-sas").Section("net-4")
	if c == nil {
		t.Fatal("no child net-4")
	}
	got = strings.Join(c.Keys(), " ")
	want = "name uniqueid reqid state mode protocol encap spi-in spi-out encr-alg encr-keysize " +
		"integ-alg bytes-in packets-in bytes-out packets-out local-ts remote-ts"
	if got != want {
		t.Errorf("child keys\n got %s\nwant %s", got, want)
	}
	for k, v := range map[string]string{"initiator-spi": "1122334455667788",
		"responder-spi": "000000000000000a", "dh-group": "CURVE_25519", "established": "5"} {
		if g, _ := m.Get(k); g != v {
			t.Errorf("%s = %q, want %q", k, g, v)
		}
	}
	if v, _ := c.List("local-ts"); len(v) != 1 || v[0] != "10.1.0.0/16" {
		t.Errorf("local-ts %v", v)
	}
}

func TestUpDownEvents(t *testing.T) {
	var names []string
	var msgs []*vici.Message
	d := New(Options{})
	e := &ikeEvents{counters: d.counters, emit: func(n string, m *vici.Message) {
		names, msgs = append(names, n), append(msgs, m)
	}}
	sa := testSA()
	e.IKEUpDown(sa, true)
	e.ChildUpDown(sa, sa.Children[0], false)
	e.Count("rw", "ike-auth-in-req")
	e.Count("", "no-such-counter")
	if strings.Join(names, " ") != "ike-updown child-updown" {
		t.Fatalf("events %v", names)
	}
	rw := msgs[0].Section("rw")
	if v, _ := msgs[0].Get("up"); v != "yes" || rw.Section("child-sas") != nil {
		t.Errorf("ike-updown: up=%q, keys %v", v, rw.Keys())
	}
	kids := msgs[1].Section("rw").Section("child-sas")
	if _, up := msgs[1].Get("up"); up || kids.Section("net-4") == nil {
		t.Errorf("child-updown down: %v", msgs[1].Keys())
	}
	set := d.counters.conns["rw"]
	i := counterIndex["ike-auth-in-req"]
	if set[i] != 1 || d.counters.global[i] != 1 {
		t.Errorf("counter not counted: %v", set)
	}
}
