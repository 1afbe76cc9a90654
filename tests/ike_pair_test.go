package tests

import (
	"regexp"
	"strings"
	"testing"
)

// rawValue is the first value of key in a --list-sas --raw output after
// the text after (a section name, or "" for the start).
func rawValue(raw, after, key string) string {
	i := strings.Index(raw, after)
	if i < 0 {
		return ""
	}
	re := regexp.MustCompile(`[ {]` + regexp.QuoteMeta(key) + `=(\[[^\]]*\]|[^ }]*)`)
	if m := re.FindStringSubmatch(raw[i:]); m != nil {
		return m[1]
	}
	return ""
}

// charond on both sides (dataplane none): the client gets its VIPs on
// vcli and source routes in table 220, both sides list the same SA, the
// gateway's leases are online; after terminate all of it is gone.
func TestIKECharondPair(t *testing.T) {
	lab := newIKELab(t)
	gw := lab.startCharondNS(t, lab.Srv, "gw")
	cli := lab.startCharondNS(t, lab.Cli, "cli")
	mustOK(t, "gateway --load-all",
		ourSwanctl(t, gw, "--load-all", "--file", lab.swanctlConf(t, "gateway.conf")))
	mustOK(t, "client --load-all",
		ourSwanctl(t, cli, "--load-all", "--file", lab.swanctlConf(t, "roadwarrior.conf")))
	mustOK(t, "client --initiate",
		ourSwanctl(t, cli, "--initiate", "--ike", "carol", "--child", "home"))

	addrs := lab.ip(t, lab.Cli, "addr", "show", "dev", "vcli")
	for _, a := range []string{"inet 10.3.0.1/32", "inet6 fec3::1/128"} {
		if !strings.Contains(addrs, a) {
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
	leases := mustOK(t, "gateway leases", ourSwanctl(t, gw, "--list-pools", "--leases"))
	for _, a := range []string{"10.3.0.1", "fec3::1"} {
		if s := leaseState(leases, a); s != "online" {
			t.Errorf("gateway lease %s is %q, want online:\n%s", a, s, leases)
		}
	}

	c := mustOK(t, "client --list-sas", ourSwanctl(t, cli, "--list-sas", "--raw"))
	g := mustOK(t, "gateway --list-sas", ourSwanctl(t, gw, "--list-sas", "--raw"))
	if strings.Count(c, "{uniqueid=") != 1 || strings.Count(g, "{uniqueid=") != 1 {
		t.Fatalf("want one SA on each side:\nclient:\n%s\ngateway:\n%s", c, g)
	}
	// Pairs of (client key, gateway key) that must hold the same value.
	same := [][2]string{
		{"state", "state"}, {"initiator-spi", "initiator-spi"},
		{"responder-spi", "responder-spi"}, {"local-id", "remote-id"},
		{"remote-id", "local-id"}, {"local-vips", "remote-vips"},
		{"encr-alg", "encr-alg"}, {"encr-keysize", "encr-keysize"},
		{"integ-alg", "integ-alg"}, {"prf-alg", "prf-alg"}, {"dh-group", "dh-group"},
		{"local-host", "remote-host"}, {"remote-host", "local-host"},
	}
	childSame := [][2]string{
		{"spi-in", "spi-out"}, {"spi-out", "spi-in"}, {"protocol", "protocol"},
		{"mode", "mode"}, {"encr-alg", "encr-alg"}, {"integ-alg", "integ-alg"},
		{"local-ts", "remote-ts"}, {"remote-ts", "local-ts"}, {"state", "state"},
	}
	check := func(pairs [][2]string, ca, ga string) {
		for _, p := range pairs {
			cv, gv := rawValue(c, ca, p[0]), rawValue(g, ga, p[1])
			if cv == "" || cv != gv {
				t.Errorf("client %s=%q, gateway %s=%q", p[0], cv, p[1], gv)
			}
		}
	}
	check(same, "", "")
	check(childSame, "child-sas {", "child-sas {")
	for _, want := range []string{"local-vips=[10.3.0.1 fec3::1]", "initiator=yes",
		"local-ts=[10.3.0.1/32 fec3::1/128]", "remote-ts=[10.1.0.0/16 fec1::/64]"} {
		if !strings.Contains(c, want) {
			t.Errorf("client --list-sas --raw lacks %q:\n%s", want, c)
		}
	}
	if t.Failed() {
		t.Logf("client:\n%s\ngateway:\n%s", c, g)
	}

	mustOK(t, "client --terminate", ourSwanctl(t, cli, "--terminate", "--ike", "carol"))
	addrs = lab.ip(t, lab.Cli, "addr", "show", "dev", "vcli")
	if strings.Contains(addrs, "10.3.0.1") || strings.Contains(addrs, "fec3::1") {
		t.Errorf("VIPs left on vcli after terminate:\n%s", addrs)
	}
	routes = lab.ip(t, lab.Cli, "route", "show", "table", "220") +
		lab.ip(t, lab.Cli, "-6", "route", "show", "table", "220")
	if strings.TrimSpace(routes) != "" {
		t.Errorf("routes left in table 220 after terminate:\n%s", routes)
	}
	for name, p := range map[string]*nsProc{"client": cli, "gateway": gw} {
		s := mustOK(t, name+" --list-sas", ourSwanctl(t, p, "--list-sas"))
		if strings.TrimSpace(s) != "" {
			t.Errorf("%s still lists SAs after terminate:\n%s", name, s)
		}
	}
	leases = mustOK(t, "gateway leases", ourSwanctl(t, gw, "--list-pools", "--leases"))
	for _, a := range []string{"10.3.0.1", "fec3::1"} {
		if s := leaseState(leases, a); s != "offline" {
			t.Errorf("gateway lease %s is %q after terminate, want offline:\n%s", a, s, leases)
		}
	}
}
