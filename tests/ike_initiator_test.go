package tests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// charond as road-warrior client (dataplane none) against Debian's
// strongSwan 5.9.8 as gateway: VIPs on the client's interface, source
// routes in table 220, DNS servers in its resolv file, leases online on
// the gateway; all gone after terminate.
func TestIKEInitiatorAgainstStrongSwanGateway(t *testing.T) {
	lab := newIKELab(t)
	gw := lab.startStrongSwanNS(t, lab.Srv, "gw", "vsrv")
	cli := lab.startCharondNS(t, lab.Cli, "cli")
	mustOK(t, "Debian's swanctl --load-all",
		lab.refSwanctl(t, gw, "--load-all", "--file", lab.swanctlConf(t, "gateway.conf")))
	mustOK(t, "our swanctl --load-all",
		ourSwanctl(t, cli, "--load-all", "--file", lab.swanctlConf(t, "roadwarrior.conf")))

	r := mustOK(t, "our swanctl --initiate",
		ourSwanctl(t, cli, "--initiate", "--ike", "carol", "--child", "home"))
	if !strings.Contains(r, "CHILD_SA home{") || !strings.Contains(r, "established") {
		t.Errorf("--initiate did not stream the log of the exchange:\n%s", r)
	}
	addrs := lab.ip(t, lab.Cli, "addr", "show", "dev", "vcli")
	for _, a := range []string{"10.3.0.1/32", "fec3::1/128"} {
		if !strings.Contains(addrs, "inet6 "+a) && !strings.Contains(addrs, "inet "+a) {
			t.Errorf("VIP %s not on vcli:\n%s", a, addrs)
		}
	}
	routes := lab.ip(t, lab.Cli, "route", "show", "table", "220") +
		lab.ip(t, lab.Cli, "-6", "route", "show", "table", "220")
	for _, want := range []string{"10.1.0.0/16", "src 10.3.0.1", "fec1::/64", "src fec3::1"} {
		if !strings.Contains(routes, want) {
			t.Errorf("table 220 lacks %q:\n%s", want, routes)
		}
	}
	rules := lab.ip(t, lab.Cli, "rule", "show")
	if !strings.Contains(rules, "220:") || !strings.Contains(rules, "lookup 220") {
		t.Errorf("no rule for table 220:\n%s", rules)
	}
	resolv := filepath.Join(lab.dir, "cli", "resolv.conf")
	if b, _ := os.ReadFile(resolv); !strings.Contains(string(b), "nameserver 10.1.0.20") {
		t.Errorf("DNS servers not written to %s:\n%s", resolv, b)
	}
	leases := mustOK(t, "gateway leases", lab.refSwanctl(t, gw, "--list-pools", "--leases"))
	for _, a := range []string{"10.3.0.1", "fec3::1"} {
		if s := leaseState(leases, a); s != "online" {
			t.Errorf("gateway lease %s is %q, want online:\n%s", a, s, leases)
		}
	}
	sas := mustOK(t, "our --list-sas", ourSwanctl(t, cli, "--list-sas", "--raw"))
	for _, want := range []string{"initiator=yes", "local-vips=[10.3.0.1 fec3::1]",
		"remote-id=moon.example.org"} {
		if !strings.Contains(sas, want) {
			t.Errorf("our --list-sas --raw lacks %q:\n%s", want, sas)
		}
	}

	mustOK(t, "our swanctl --terminate", ourSwanctl(t, cli, "--terminate", "--ike", "carol"))
	addrs = lab.ip(t, lab.Cli, "addr", "show", "dev", "vcli")
	if strings.Contains(addrs, "10.3.0.1") || strings.Contains(addrs, "fec3::1") {
		t.Errorf("VIPs left on vcli after terminate:\n%s", addrs)
	}
	routes = lab.ip(t, lab.Cli, "route", "show", "table", "220") +
		lab.ip(t, lab.Cli, "-6", "route", "show", "table", "220")
	if strings.TrimSpace(routes) != "" {
		t.Errorf("routes left in table 220 after terminate:\n%s", routes)
	}
	if b, _ := os.ReadFile(resolv); strings.Contains(string(b), "nameserver") {
		t.Errorf("DNS servers left in %s:\n%s", resolv, b)
	}
	leases = mustOK(t, "gateway leases", lab.refSwanctl(t, gw, "--list-pools", "--leases"))
	for _, a := range []string{"10.3.0.1", "fec3::1"} {
		if s := leaseState(leases, a); s != "offline" {
			t.Errorf("gateway lease %s is %q after terminate, want offline:\n%s", a, s, leases)
		}
	}
	if s := mustOK(t, "list-sas", ourSwanctl(t, cli, "--list-sas")); strings.TrimSpace(s) != "" {
		t.Errorf("SAs left after terminate:\n%s", s)
	}
}
