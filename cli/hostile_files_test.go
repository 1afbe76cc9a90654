package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/charond/charond/config"
)

// TestOptionsFileLimits checks that --options reads only a regular file of
// at most 64 KiB: /dev/zero ran swanctl out of memory, a FIFO hung it.
func TestOptionsFileLimits(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, make([]byte, maxOptionsFile+1), 0o600); err != nil {
		t.Fatal(err)
	}
	for path, reason := range map[string]string{"/dev/zero": "Not a regular file",
		fifo: "Not a regular file", big: "File too large", dir: "Is a directory"} {
		t.Run(path, func(t *testing.T) {
			r := runSwanctl(t, nil, "--version", "--options", path)
			want := "swanctl: loading options file '" + path + "' failed: " + reason + "\n"
			if r.rc == 0 || r.out != "" || !strings.HasPrefix(r.err, want) {
				t.Errorf("rc %d, stdout %q, stderr %q; want %q", r.rc, r.out, r.err, want)
			}
		})
	}
}

// TestCredentialFolderLimits checks that a certificate over 1 MiB in x509/
// is skipped with swanctl's mapping message and a FIFO is never opened.
func TestCredentialFolderLimits(t *testing.T) {
	dir, path := copyConf(t, "gateway.conf")
	x509 := filepath.Join(dir, "x509")
	if err := os.Mkdir(x509, 0o755); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(x509, "big.pem")
	if err := os.WriteFile(big, make([]byte, config.MaxCredFile+1), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(x509, "fifo.pem"), 0o600); err != nil {
		t.Fatal(err)
	}
	d := newStateDaemon(t, nil, nil, nil)
	r := runSwanctl(t, nil, "--load-creds", "--file", path, "--uri", d.uri)
	want := "mapping '" + big + "' failed: File too large, skipped\n"
	if r.rc != 0 || !strings.Contains(r.err, want) {
		t.Errorf("rc %d, stderr %q; want %q", r.rc, r.err, want)
	}
	for _, c := range d.log() {
		if strings.HasPrefix(c, "load-cert") {
			t.Errorf("daemon got %.60s", c)
		}
	}
}
