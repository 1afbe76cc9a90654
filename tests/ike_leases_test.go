package tests

import (
	"regexp"
	"strings"
	"testing"
)

// leaseOwner is the identity holding addr in swanctl --list-pools --leases.
func leaseOwner(list, addr string) string {
	re := regexp.MustCompile(`(?m)^\s+` + regexp.QuoteMeta(addr) + `\s+\w+\s+'([^']*)'`)
	if m := re.FindStringSubmatch(list); m != nil {
		return m[1]
	}
	return ""
}

// The lease cases of observed-5.9.8.md ("Leases") with Debian's strongSwan
// clients against charond as gateway: never-used addresses go to new
// identities before offline leases of others; a pool with none left
// hands a newcomer the offline lease of the oldest identity; a connection
// naming a pool that is not loaded gets only the other family.
func TestIKEGatewayLeaseCases(t *testing.T) {
	lab := newIKELab(t)
	gw := lab.startCharondNS(t, lab.Srv, "gw")
	cli := lab.startStrongSwanNS(t, lab.Cli, "cli", "vcli")
	mustOK(t, "our swanctl --load-all",
		ourSwanctl(t, gw, "--load-all", "--file", lab.swanctlConf(t, "leases-gw.conf")))
	mustOK(t, "Debian's swanctl --load-all",
		lab.refSwanctl(t, cli, "--load-all", "--file", lab.swanctlConf(t, "leases-rw.conf")))
	up := func(n string) {
		t.Helper()
		mustOK(t, "initiate probe"+n, lab.refSwanctl(t, cli, "--initiate", "--ike",
			"probe"+n, "--child", "c"+n))
	}
	down := func(n string) {
		t.Helper()
		mustOK(t, "terminate probe"+n,
			lab.refSwanctl(t, cli, "--terminate", "--ike", "probe"+n))
	}
	// want checks the owner and state of each address of the pool.
	want := func(step string, owners ...string) {
		t.Helper()
		leases := mustOK(t, "leases", ourSwanctl(t, gw, "--list-pools", "--leases"))
		for k, o := range owners {
			addr := "10.60.0." + string(rune('1'+k))
			id, state, _ := strings.Cut(o, " ")
			if id != "" {
				id += "@example.org"
			}
			if got := leaseOwner(leases, addr); got != id {
				t.Errorf("%s: %s is held by %q, want %q:\n%s", step, addr, got, id, leases)
			}
			if got := leaseState(leases, addr); got != state {
				t.Errorf("%s: %s is %q, want %q:\n%s", step, addr, got, state, leases)
			}
		}
	}

	up("1")
	down("1")
	up("2")
	down("2")
	up("3")
	want("probe3 while probe1 and probe2 are offline",
		"probe1 offline", "probe2 offline", "probe3 online")
	up("1")
	want("probe1 back", "probe1 online", "probe2 offline", "probe3 online")
	down("1")
	down("3")

	// The pool has no never-used address left: probe4 takes the lease of
	// the oldest identity with one offline (probe1), which is dropped.
	up("4")
	want("probe4 in a pool of offline leases",
		"probe4 online", "probe2 offline", "probe3 offline")
	// probe1 comes back as a new identity and takes probe2's lease.
	up("1")
	want("probe1 after losing its lease", "probe4 online", "probe1 online", "probe3 offline")
	down("1")
	// probe3's entry is older than probe1's new one: probe5 gets .3.
	up("5")
	want("probe5", "probe4 online", "probe1 offline", "probe5 online")

	// half names pools half_v4 and missing_v6: the client gets only IPv4.
	mustOK(t, "initiate halfy", lab.refSwanctl(t, cli, "--initiate", "--ike", "halfy",
		"--child", "hc"))
	sas := mustOK(t, "client --list-sas", lab.refSwanctl(t, cli, "--list-sas",
		"--ike", "halfy"))
	if !strings.Contains(sas, "ESTABLISHED") || !strings.Contains(sas, "[10.61.0.1]") {
		t.Errorf("halfy should be up with 10.61.0.1 only:\n%s", sas)
	}
	ours := mustOK(t, "gateway --list-sas", ourSwanctl(t, gw, "--list-sas", "--raw",
		"--ike", "half"))
	if !strings.Contains(ours, "remote-vips=[10.61.0.1]") {
		t.Errorf("our --list-sas should show the IPv4 VIP only:\n%s", ours)
	}
}
