package cli

import (
	"strings"
	"testing"
)

// TestQueryFailure checks that a query answered with success=no (charond's
// answer when the reply does not fit in a VICI message) stops its load
// step with nothing unloaded: its keys were taken for names before.
func TestQueryFailure(t *testing.T) {
	_, gw := copyConf(t, "gateway.conf")
	const msg = "reply too large"
	tests := []struct {
		name, failing string
		args          []string
		rc            int
		calls         []string
	}{
		{"load-pools", "get-pools", []string{"--load-pools", "-f", gw}, 22, []string{"get-pools"}},
		{"load-conns", "get-conns", []string{"--load-conns", "-f", gw}, 22, []string{"get-conns"}},
		{"load-authorities", "get-authorities",
			[]string{"--load-authorities", "-f", gw}, 22, []string{"get-authorities"}},
		{"load-creds keys", "get-keys", []string{"--load-creds", "-f", gw}, 22,
			[]string{"get-keys"}},
		{"load-creds shared", "get-shared", []string{"--load-creds", "-f", gw}, 22,
			[]string{"get-keys", "get-shared"}},
		{"list-pools", "get-pools", []string{"--list-pools"}, 1, []string{"get-pools"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newStateDaemon(t, []string{"stale_pool"}, []string{"stale"}, []string{"old"})
			d.reply(tt.failing, failure(msg))
			r := runSwanctl(t, nil, append(tt.args, "--uri", d.uri)...)
			want := tt.failing + " failed: " + msg + "\n"
			if r.rc != tt.rc || r.out != "" || r.err != want {
				t.Errorf("rc %d, stdout %q, stderr %q; want %d, %q", r.rc, r.out, r.err,
					tt.rc, want)
			}
			var names []string
			for _, c := range d.log() {
				names = append(names, strings.Fields(c)[0])
			}
			if strings.Join(names, " ") != strings.Join(tt.calls, " ") {
				t.Errorf("calls %v, want %v", names, tt.calls)
			}
		})
	}
}

// TestLoadAllStopsAtQueryFailure checks that --load-all stops at the step
// whose query failed, before connections are touched.
func TestLoadAllStopsAtQueryFailure(t *testing.T) {
	gwDir, gw := copyConf(t, "gateway.conf")
	d := newStateDaemon(t, []string{"stale_pool"}, []string{"stale"}, nil)
	d.reply("get-pools", failure("reply too large"))
	r := runSwanctl(t, nil, "--load-all", "--file", gw, "--uri", d.uri)
	want := credDirs(gwDir) + "get-pools failed: reply too large\n"
	if r.rc != 22 || !strings.HasSuffix(r.err, want) {
		t.Errorf("rc %d, stderr %q", r.rc, r.err)
	}
	for _, c := range d.log() {
		name := strings.Fields(c)[0]
		if name == "unload-pool" || name == "load-pool" || strings.Contains(name, "conn") {
			t.Errorf("daemon got %s", c)
		}
	}
}
