package kernel

import (
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/vishvananda/netlink"
	"github.com/vishvananda/netns"
)

// testNS creates a network namespace with a veth link "dum0" holding
// 192.0.2.2/24 and 2001:db8:ffff::2/64, and removes it when the test ends.
func testNS(t *testing.T) (string, *Netlink) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("this test needs root: it creates a network namespace")
	}
	name := fmt.Sprintf("ini-knl-%d", os.Getpid())
	ipCmd(t, "netns", "add", name)
	t.Cleanup(func() { exec.Command("ip", "netns", "del", name).Run() })
	for _, args := range [][]string{
		{"link", "add", "dum0", "type", "veth", "peer", "name", "dum1"},
		{"link", "set", "dum1", "up"},
		{"addr", "add", "192.0.2.2/24", "dev", "dum0"},
		{"addr", "add", "2001:db8:ffff::2/64", "dev", "dum0", "nodad"},
		{"link", "set", "dum0", "up"},
		{"link", "set", "lo", "up"},
	} {
		ipCmd(t, append([]string{"-n", name}, args...)...)
	}
	h, err := netns.GetFromName(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	n, err := NewNetlinkAt(h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Close)
	return name, n
}

func ipCmd(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("ip", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestNetlinkInstallAndFlush(t *testing.T) {
	ns, n := testNS(t)
	link, gw, err := n.Outbound(netip.MustParseAddr("192.0.2.1"))
	if err != nil || link != "dum0" || gw.IsValid() {
		t.Fatalf("Outbound = %q %v %v, want dum0 on-link", link, gw, err)
	}
	if _, _, err := n.Outbound(netip.MustParseAddr("198.51.100.1")); err == nil {
		t.Error("Outbound found a route where the namespace has none")
	}
	m := NewManager(Options{Kernel: n, Table: DefaultTable, Prio: DefaultPrio})
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	s := Setup{Name: "carol[1]", Remote: netip.MustParseAddr("192.0.2.1"),
		VIPs: []netip.Addr{netip.MustParseAddr("10.3.0.1"), netip.MustParseAddr("fec3::1")},
		RemoteTS: []netip.Prefix{netip.MustParsePrefix("10.1.0.0/16"),
			netip.MustParsePrefix("fec1::/64")}}
	if err := m.Install(s); err != nil {
		t.Fatal(err)
	}
	addrs := ipCmd(t, "-n", ns, "addr", "show", "dev", "dum0")
	for _, want := range []string{"10.3.0.1/32", "fec3::1/128"} {
		if !strings.Contains(addrs, want) {
			t.Errorf("address %s missing:\n%s", want, addrs)
		}
	}
	routes := ipCmd(t, "-n", ns, "route", "show", "table", "220") +
		ipCmd(t, "-n", ns, "-6", "route", "show", "table", "220")
	for _, want := range []string{"10.1.0.0/16 dev dum0 proto 196 scope link src 10.3.0.1",
		"fec1::/64 dev dum0 proto 196 src fec3::1"} {
		if !strings.Contains(routes, want) {
			t.Errorf("route %q missing:\n%s", want, routes)
		}
	}
	if r := ipCmd(t, "-n", ns, "rule"); !strings.Contains(r, "220:\tfrom all lookup 220 proto 196") {
		t.Errorf("rule missing:\n%s", r)
	}
	// The kernel itself picks the VIP as source towards the remote network.
	if got := ipCmd(t, "-n", ns, "route", "get", "10.1.2.3"); !strings.Contains(got, "src 10.3.0.1") {
		t.Errorf("route get 10.1.2.3 = %s, want src 10.3.0.1", got)
	}

	// A crash leaves everything behind; a fresh Netlink finds it all.
	count, err := n.Flush()
	if err != nil {
		t.Fatal(err)
	}
	if count != 6 { // 2 addresses, 2 routes, 2 rules
		t.Errorf("Flush removed %d entries, want 6", count)
	}
	checkClean(t, ns, n)
	// Addresses charond did not add stay.
	if a := ipCmd(t, "-n", ns, "addr", "show", "dev", "dum0"); !strings.Contains(a, "192.0.2.2/24") {
		t.Errorf("Flush removed a foreign address:\n%s", a)
	}
}

func TestNetlinkRemoveAndClose(t *testing.T) {
	ns, n := testNS(t)
	m := NewManager(Options{Kernel: n, Table: 230, Prio: 230, Interface: "lo"})
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	s := Setup{Name: "a[1]", Remote: netip.MustParseAddr("2001:db8:ffff::1"),
		VIPs:     []netip.Addr{netip.MustParseAddr("fec3::5")},
		RemoteTS: []netip.Prefix{netip.MustParsePrefix("fec1::/64")}}
	if err := m.Install(s); err != nil {
		t.Fatal(err)
	}
	if a := ipCmd(t, "-n", ns, "addr", "show", "dev", "lo"); !strings.Contains(a, "fec3::5/128") {
		t.Errorf("VIP not on lo (install_virtual_ip_on):\n%s", a)
	}
	if err := m.Install(s); err != nil {
		t.Fatalf("installing the same setup again: %v", err)
	}
	if err := m.Remove("a[1]"); err != nil {
		t.Fatal(err)
	}
	if a := ipCmd(t, "-n", ns, "addr", "show", "dev", "lo"); strings.Contains(a, "fec3::5") {
		t.Errorf("VIP still there after Remove:\n%s", a)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	checkClean(t, ns, n)
	if err := n.DelVirtualIP("lo", netip.MustParsePrefix("fec3::5/128")); err == nil {
		t.Error("deleting a missing address did not fail")
	}
}

func checkClean(t *testing.T, ns string, n *Netlink) {
	t.Helper()
	left, err := n.markedAddrs()
	if err != nil || len(left) != 0 {
		t.Errorf("marked addresses left: %v %v", left, err)
	}
	rs, err := n.h.RouteListFiltered(netlink.FAMILY_ALL,
		&netlink.Route{Protocol: Protocol}, netlink.RT_FILTER_TABLE|netlink.RT_FILTER_PROTOCOL)
	if err != nil || len(rs) != 0 {
		t.Errorf("marked routes left: %v %v", rs, err)
	}
	if r := ipCmd(t, "-n", ns, "rule") + ipCmd(t, "-n", ns, "-6", "rule"); slices.Contains(
		strings.Fields(r), "196") {
		t.Errorf("marked rules left:\n%s", r)
	}
}
