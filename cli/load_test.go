package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charond/charond/vici"
)

// stateDaemon is a fake daemon keeping loaded pools, connections and
// shared secrets in load order, answering like charon 5.9.8 for the cases
// the tests use.
type stateDaemon struct {
	*fakeDaemon
	pools, conns, shared []string
}

func newStateDaemon(t *testing.T, pools, conns, shared []string) *stateDaemon {
	d := &stateDaemon{fakeDaemon: newFakeDaemon(t), pools: pools, conns: conns, shared: shared}
	list := func(key string, l *[]string) handler {
		return func(*vici.Message, func(string, *vici.Message)) *vici.Message {
			return vici.NewMessage().SetList(key, append([]string{}, *l...))
		}
	}
	d.handle("get-conns", list("conns", &d.conns))
	d.handle("get-shared", list("keys", &d.shared))
	d.handle("get-keys", list("keys", new([]string)))
	d.handle("get-authorities", list("authorities", new([]string)))
	d.handle("get-pools", func(*vici.Message, func(string, *vici.Message)) *vici.Message {
		m := vici.NewMessage()
		for _, p := range d.pools {
			m.AddSection(p).Set("base", "10.3.0.0").Set("size", "14").
				Set("online", "0").Set("offline", "0")
		}
		return m
	})
	d.handle("load-pool", func(req *vici.Message, _ func(string, *vici.Message)) *vici.Message {
		e := req.Entries()[0]
		addrs, ok := e.Section.Get("addrs")
		switch {
		case !ok:
			return failure(fmt.Sprintf("missing addrs for pool '%s'", e.Name))
		case addrs == "garbage":
			return failure("invalid addrs value: garbage")
		}
		d.pools = append(remove(d.pools, e.Name), e.Name)
		return success()
	})
	d.handle("load-conn", func(req *vici.Message, _ func(string, *vici.Message)) *vici.Message {
		e := req.Entries()[0]
		if strings.Contains(dumpString(req), "garbage") {
			return failure("invalid value for: local_ts, config discarded")
		}
		d.conns = append(remove(d.conns, e.Name), e.Name)
		return success()
	})
	d.handle("load-shared", func(req *vici.Message, _ func(string, *vici.Message)) *vici.Message {
		id, _ := req.Get("id")
		d.shared = append(remove(d.shared, id), id)
		return success()
	})
	unload := func(key string, l *[]string) handler {
		return func(req *vici.Message, _ func(string, *vici.Message)) *vici.Message {
			v, _ := req.Get(key)
			*l = remove(*l, v)
			return success()
		}
	}
	d.handle("unload-pool", unload("name", &d.pools))
	d.handle("unload-conn", unload("name", &d.conns))
	d.handle("unload-shared", unload("id", &d.shared))
	return d
}

// credDirs are the missing-folder lines of --load-creds for base dir.
func credDirs(dir string) string {
	var b strings.Builder
	for _, f := range []string{"x509", "x509ca", "x509ocsp", "x509aa", "x509ac", "x509crl",
		"pubkey", "private", "rsa", "ecdsa", "bliss", "pkcs8", "pkcs12"} {
		fmt.Fprintf(&b, "opening directory '%s/%s' failed: No such file or directory\n", dir, f)
	}
	return b.String()
}

// copyConf puts a test configuration alone in a fresh folder (the base
// directory for credentials).
func copyConf(t *testing.T, name string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "swanctl.conf")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, path
}

// Expected outputs were recorded from swanctl 5.9.8 against charon 5.9.8
// in the same starting state.
func TestLoad(t *testing.T) {
	gwDir, gw := copyConf(t, "gateway.conf")
	badDir, bad := copyConf(t, "broken-items.conf")
	loaded := []string{"rw_pool_v4", "rw_pool_v6"}
	conns := []string{"rw", "rw-extra"}
	tests := []struct {
		name     string
		args     []string
		out, err string
		rc       int
		calls    []string
	}{
		{"load-all", []string{"--load-all", "--file", gw}, "loaded ike secret 'ike-rw'\n" +
			"no authorities found, 0 unloaded\nloaded pool 'rw_pool_v4'\n" +
			"loaded pool 'rw_pool_v6'\nsuccessfully loaded 2 pools, 0 unloaded\n" +
			"loaded connection 'rw'\nloaded connection 'rw-extra'\n" +
			"successfully loaded 2 connections, 0 unloaded\n", credDirs(gwDir), 0,
			[]string{"get-keys", "get-shared", "load-shared", "get-authorities", "get-pools",
				"load-pool", "load-pool", "get-conns", "load-conn", "load-conn"}},
		{"load-pools with failures", []string{"--load-pools", "--file", bad},
			"loaded pool 'rw_pool_v4'\n",
			"loading pool 'badpool' failed: invalid addrs value: garbage\n" +
				"loading pool 'nopool' failed: missing addrs for pool 'nopool'\n" +
				"loaded 1 of 3 pools, 2 failed to load, 1 unloaded\n", 22,
			[]string{"get-pools", "load-pool", "load-pool", "load-pool", "unload-pool"}},
		{"load-pools raw", []string{"--load-pools", "--file", bad, "--raw"},
			"get-pools reply {rw_pool_v4 {base=10.3.0.0 size=14 online=0 offline=0} " +
				"rw_pool_v6 {base=10.3.0.0 size=14 online=0 offline=0}}\n" +
				"load-pool reply {success=yes}\n" +
				"load-pool reply {success=no errmsg=invalid addrs value: garbage}\n" +
				"load-pool reply {success=no errmsg=missing addrs for pool 'nopool'}\n" +
				"unload-pool reply {success=yes}\n", "", 0, nil},
		{"load-conns with failure", []string{"-c", "-f", bad}, "loaded connection 'rw'\n",
			"loading connection 'broken' failed: invalid value for: local_ts, " +
				"config discarded\nloaded 1 of 2 connections, 1 failed to load, 1 unloaded\n",
			22, []string{"get-conns", "load-conn", "load-conn", "unload-conn"}},
		{"load-all stops after pools", []string{"-q", "-f", bad},
			"no authorities found, 0 unloaded\nloaded pool 'rw_pool_v4'\n",
			credDirs(badDir) + "loading pool 'badpool' failed: invalid addrs value: garbage\n" +
				"loading pool 'nopool' failed: missing addrs for pool 'nopool'\n" +
				"loaded 1 of 3 pools, 2 failed to load, 1 unloaded\n", 22,
			[]string{"get-keys", "get-shared", "unload-shared", "get-authorities",
				"get-pools", "load-pool", "load-pool", "load-pool", "unload-pool"}},
		{"load-creds unloads", []string{"--load-creds", "--file", bad, "-P"},
			"get-keys reply {\n  keys = [\n  ]\n}\nget-shared reply {\n  keys = [\n" +
				"    ike-rw\n  ]\n}\nunload-shared reply {\n  success = yes\n}\n",
			credDirs(badDir), 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newStateDaemon(t, append([]string{}, loaded...), append([]string{}, conns...),
				[]string{"ike-rw"})
			r := runSwanctl(t, nil, append(tt.args, "--uri", d.uri)...)
			if r.out != tt.out || r.err != tt.err || r.rc != tt.rc {
				t.Errorf("got rc %d\nstdout:\n%s\nstderr:\n%s\nwant rc %d\nstdout:\n%s\nstderr:\n%s",
					r.rc, r.out, r.err, tt.rc, tt.out, tt.err)
			}
			if tt.calls != nil {
				var names []string
				for _, c := range d.log() {
					names = append(names, strings.Fields(c)[0])
				}
				if strings.Join(names, " ") != strings.Join(tt.calls, " ") {
					t.Errorf("calls %v, want %v", names, tt.calls)
				}
			}
		})
	}
}

// A syntax error stops the command before anything is loaded or unloaded.
func TestLoadSyntaxErrorIsFatal(t *testing.T) {
	_, path := copyConf(t, "syntax-error.conf")
	for _, cmd := range []string{"--load-all", "--load-pools", "--load-conns", "--load-creds"} {
		t.Run(cmd, func(t *testing.T) {
			d := newStateDaemon(t, []string{"rw_pool_v4"}, []string{"rw"}, nil)
			r := runSwanctl(t, nil, cmd, "--file", path, "--uri", d.uri)
			if r.rc != 22 || r.out != "" || !strings.HasPrefix(r.err, path+":5:") ||
				!strings.HasSuffix(r.err, "nothing loaded or unloaded\n") {
				t.Errorf("rc %d, stdout %q, stderr %q", r.rc, r.out, r.err)
			}
			if calls := d.log(); len(calls) != 0 {
				t.Errorf("daemon got %v", calls)
			}
		})
	}
}

// The exact request of a load-pool: one pool, addrs a value, the rest lists.
func TestLoadPoolRequest(t *testing.T) {
	_, gw := copyConf(t, "gateway.conf")
	d := newStateDaemon(t, nil, nil, nil)
	if r := runSwanctl(t, nil, "--load-pools", "-f", gw, "-u", d.uri); r.rc != 0 {
		t.Fatalf("rc %d: %s", r.rc, r.err)
	}
	want := []string{"get-pools {}",
		"load-pool {rw_pool_v4 {addrs=10.3.0.0/28 dns=[10.1.0.20 10.1.0.21]}}",
		"load-pool {rw_pool_v6 {addrs=fec3::/120 dns=[fec1::20]}}"}
	if got := d.log(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
