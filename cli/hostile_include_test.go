package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An include naming a folder or a device stops --load-all before anything
// is sent: read as empty, it unloaded everything the daemon held.
func TestLoadIncludeNotAFile(t *testing.T) {
	dir := t.TempDir()
	for _, target := range []string{dir, "/dev/zero"} {
		t.Run(target, func(t *testing.T) {
			path := filepath.Join(dir, "swanctl.conf")
			conf := "pools { p { addrs = 10.0.0.0/24 } }\ninclude " + target + "\n"
			if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
				t.Fatal(err)
			}
			d := newStateDaemon(t, []string{"old"}, []string{"rw"}, nil)
			r := runSwanctl(t, nil, "--load-all", "--file", path, "--uri", d.uri)
			reason := "Is a directory"
			if target == "/dev/zero" {
				reason = "Not a regular file"
			}
			want := path + ":2: including '" + target + "' failed: " + reason + "\n" +
				"loading '" + path + "' failed, nothing loaded or unloaded\n"
			if r.rc != 22 || r.out != "" || r.err != want {
				t.Errorf("rc %d, stdout %q, stderr %q; want 22 and %q", r.rc, r.out, r.err, want)
			}
			if calls := d.log(); len(calls) != 0 {
				t.Errorf("daemon got %s", strings.Join(calls, "; "))
			}
		})
	}
}
