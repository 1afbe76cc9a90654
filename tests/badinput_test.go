package tests

import (
	"os"
	"strings"
	"testing"
)

// A broken swanctl.conf stops the command before anything is sent: what the
// daemon holds stays loaded (strongSwan's swanctl would unload it all).
func TestBrokenFileChangesNothing(t *testing.T) {
	d := startDaemon(t, "")
	_, file := copyExample(t)
	if r := swanctl(t, "", "--load-all", "--file", file, "--uri", d.URI); r.Code != 0 {
		t.Fatalf("load-all exit %d: %s", r.Code, r.Stderr)
	}
	broken := strings.Replace(string(mustRead(t, file)), "pools {", "pools {{", 1)
	if err := os.WriteFile(file, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"--load-all", "--load-pools", "--load-conns", "--load-creds"} {
		r := swanctl(t, "", cmd, "--file", file, "--uri", d.URI)
		if r.Code == 0 {
			t.Fatalf("%s on a broken file exited 0:\n%s", cmd, r.Stdout)
		}
		if !strings.Contains(r.Stderr, file+":") {
			t.Fatalf("%s error does not name the file and line:\n%s", cmd, r.Stderr)
		}
		if strings.Contains(r.Stdout, "loaded") {
			t.Fatalf("%s loaded something from a broken file:\n%s", cmd, r.Stdout)
		}
	}
	r := swanctl(t, "", "--list-pools", "--uri", d.URI)
	if len(lines(r.Stdout)) != 2 {
		t.Fatalf("pools after broken loads:\n%s", r.Stdout)
	}
	r = swanctl(t, "", "--list-conns", "--uri", d.URI)
	if !strings.HasPrefix(r.Stdout, "rw: IKEv2") {
		t.Fatalf("conns after broken loads:\n%s", r.Stdout)
	}
}

// A bad pool fails its load with charon's message and exit code 22, and
// --load-all stops before the connections, as strongSwan's swanctl does.
func TestBadPoolStopsLoadAll(t *testing.T) {
	d := startDaemon(t, "")
	_, file := copyExample(t)
	bad := strings.Replace(string(mustRead(t, file)), "addrs = fd00:3::/120", "addrs = garbage", 1)
	if err := os.WriteFile(file, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	r := swanctl(t, "", "--load-all", "--file", file, "--uri", d.URI)
	if r.Code != 22 {
		t.Fatalf("exit %d, want 22\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	expectLines(t, "stdout", r.Stdout,
		"loaded ike secret 'ike-rw'",
		"no authorities found, 0 unloaded",
		"loaded pool 'rw_pool_v4'")
	expectLines(t, "stderr", r.Stderr,
		"loading pool 'rw_pool_v6' failed: invalid addrs value: garbage",
		"loaded 1 of 2 pools, 1 failed to load, 0 unloaded")
	out, err := d.session(t).Call(callCtx(t), "get-conns", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c := out.Get("conns"); len(c.([]string)) != 0 {
		t.Fatalf("connections loaded after a failed pool step: %v", c)
	}
}
