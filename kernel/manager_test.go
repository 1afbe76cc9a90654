package kernel

import (
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var (
	gwAddr   = netip.MustParseAddr("198.51.100.1")
	carolSet = Setup{Name: "carol[1]", Remote: netip.MustParseAddr("203.0.113.9"),
		VIPs: []netip.Addr{netip.MustParseAddr("10.3.0.1"), netip.MustParseAddr("fec3::1")},
		RemoteTS: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16"),
			netip.MustParsePrefix("fec1::/64"), netip.MustParsePrefix("10.9.0.0/16")},
		DNS: []netip.Addr{netip.MustParseAddr("10.1.0.20"), netip.MustParseAddr("fec1::20")}}
)

func newFakeManager(t *testing.T, iface string) (*Fake, *Manager, string) {
	t.Helper()
	f := NewFake()
	f.AddPath(netip.MustParsePrefix("0.0.0.0/0"), "eth0", gwAddr)
	f.AddLink("lo")
	resolv := filepath.Join(t.TempDir(), "resolv.conf")
	if err := os.WriteFile(resolv, []byte("nameserver 192.0.2.53\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m := NewManager(Options{Kernel: f, Table: 220, Prio: 220, Interface: iface,
		DNS: NewDNS("charond-no-such-resolvconf", resolv, nil)})
	return f, m, resolv
}

func TestManagerInstallRemove(t *testing.T) {
	f, m, resolv := newFakeManager(t, "")
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	if err := m.Install(carolSet); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"addr eth0 10.3.0.1/32", "addr eth0 fec3::1/128",
		"route 220 10.1.0.0/16 src 10.3.0.1 via 198.51.100.1 dev eth0",
		"route 220 10.9.0.0/16 src 10.3.0.1 via 198.51.100.1 dev eth0",
		// the IPv4 next hop is not used for IPv6
		"route 220 fec1::/64 src fec3::1 dev eth0",
		"rule 220 table 220",
	}
	if got := f.State(); !reflect.DeepEqual(got, want) {
		t.Errorf("state\n%q\nwant\n%q", got, want)
	}
	b, _ := os.ReadFile(resolv)
	wantDNS := "nameserver 10.1.0.20   # by charond\nnameserver fec1::20   # by charond\n" +
		"nameserver 192.0.2.53\n"
	if string(b) != wantDNS {
		t.Errorf("resolv.conf\n%s\nwant\n%s", b, wantDNS)
	}
	if err := m.Remove("carol[1]"); err != nil {
		t.Fatal(err)
	}
	if got := f.State(); !reflect.DeepEqual(got, []string{"rule 220 table 220"}) {
		t.Errorf("after Remove: %q", got)
	}
	if b, _ := os.ReadFile(resolv); string(b) != "nameserver 192.0.2.53\n" {
		t.Errorf("resolv.conf after Remove: %q", b)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if got := f.State(); len(got) != 0 {
		t.Errorf("after Close: %q", got)
	}
}

func TestManagerInterfaceAndNoRoutes(t *testing.T) {
	f, _, _ := newFakeManager(t, "")
	m := NewManager(Options{Kernel: f, Interface: "lo"}) // Table 0: no routes
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	if err := m.Install(carolSet); err != nil {
		t.Fatal(err)
	}
	want := []string{"addr lo 10.3.0.1/32", "addr lo fec3::1/128"}
	if got := f.State(); !reflect.DeepEqual(got, want) {
		t.Errorf("state %q, want %q", got, want)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if got := f.State(); len(got) != 0 {
		t.Errorf("after Close: %q", got)
	}
}

func TestManagerFlushesLeftovers(t *testing.T) {
	f, m, resolv := newFakeManager(t, "")
	// what a crashed run left
	if err := f.AddVirtualIP("eth0", netip.MustParsePrefix("10.3.0.7/32")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(resolv, []byte("nameserver 10.1.0.20   # by charond\nsearch example.org\n"), 0o644)
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	if got := f.State(); !reflect.DeepEqual(got, []string{"rule 220 table 220"}) {
		t.Errorf("after Start: %q", got)
	}
	if b, _ := os.ReadFile(resolv); string(b) != "search example.org\n" {
		t.Errorf("resolv.conf after Start: %q", b)
	}
}

func TestManagerErrors(t *testing.T) {
	f, m, _ := newFakeManager(t, "")
	unreachable := carolSet
	f2 := NewFake()
	m2 := NewManager(Options{Kernel: f2, Table: 220})
	if err := m2.Install(unreachable); err == nil || !strings.Contains(err.Error(), "no route") {
		t.Errorf("Install without a path = %v, want no route", err)
	}
	m3 := NewManager(Options{Kernel: f, Interface: "wg7"})
	if err := m3.Install(carolSet); err == nil {
		t.Error("Install on a missing interface succeeded")
	}
	if err := m.Remove("nobody[9]"); err != nil {
		t.Errorf("Remove of an unknown name: %v", err)
	}
}
