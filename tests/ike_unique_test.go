package tests

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// A second IKE_SA of carol's, from the same address and without
// INITIAL_CONTACT, against charond with unique = replace: charond takes it
// for a reauthentication and deletes the older IKE_SA 10 seconds later,
// with a DELETE that Debian's charon as client acts on.
func TestIKEUniqueReplace(t *testing.T) {
	lab := newIKELab(t)
	gw := lab.startCharondNS(t, lab.Srv, "gw")
	cli := lab.startStrongSwanNS(t, lab.Cli, "cli", "vcli")
	mustOK(t, "our swanctl --load-all",
		ourSwanctl(t, gw, "--load-all", "--file", lab.swanctlConf(t, "unique-gw.conf")))
	mustOK(t, "Debian's swanctl --load-all",
		lab.refSwanctl(t, cli, "--load-all", "--file", lab.swanctlConf(t, "unique-rw.conf")))
	mustOK(t, "initiate carol",
		lab.refSwanctl(t, cli, "--initiate", "--ike", "carol", "--child", "home"))
	ids := func() []string {
		raw := mustOK(t, "gateway --list-sas", ourSwanctl(t, gw, "--list-sas", "--raw"))
		var out []string
		for _, m := range regexp.MustCompile(`rw \{uniqueid=(\d+) `).FindAllStringSubmatch(raw,
			-1) {
			out = append(out, m[1])
		}
		return out
	}
	first := ids()
	if len(first) != 1 {
		t.Fatalf("gateway IKE_SAs after carol: %v", first)
	}
	mustOK(t, "initiate carol2",
		lab.refSwanctl(t, cli, "--initiate", "--ike", "carol2", "--child", "home"))
	if now := ids(); len(now) != 2 {
		t.Fatalf("gateway IKE_SAs after carol2: %v, want both until the delay is over", now)
	}
	var now []string
	for range 40 {
		if now = ids(); len(now) == 1 {
			break
		}
		time.Sleep(time.Second)
	}
	if len(now) != 1 || now[0] == first[0] {
		t.Fatalf("gateway IKE_SAs %v, want only the new one (the old was %s)", now, first[0])
	}
	sas := mustOK(t, "client --list-sas", lab.refSwanctl(t, cli, "--list-sas"))
	if !strings.Contains(sas, "carol2: #") || strings.Contains(sas, "carol: #") {
		t.Errorf("client keeps the wrong IKE_SAs:\n%s", sas)
	}
	if log := readFile(t, cli.log); !strings.Contains(log, "received DELETE for IKE_SA carol[") {
		t.Errorf("client log lacks the gateway's DELETE:\n%s", log)
	}
}
