package config

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestCredentialFileLimits checks that credential files are read only when
// regular and at most MaxCredFile bytes: /dev/zero ran swanctl out of
// memory and a FIFO hung it.
func TestCredentialFileLimits(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.pem")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.pem")
	if err := os.WriteFile(big, make([]byte, MaxCredFile+1), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		conf, want string
	}{
		{"authorities { ca { cacert = /dev/zero } }",
			"loading ca certificate '/dev/zero' failed: Not a regular file"},
		{"authorities { ca { cacert = " + big + " } }",
			"loading ca certificate '" + big + "' failed: File too large"},
		{"connections { c { local { certs = " + fifo + " } } }",
			"loading certs certificate '" + fifo + "' failed: Not a regular file"},
		{"connections { c { remote { cacerts = " + dir + " } } }",
			"loading cacerts certificate '" + dir + "' failed: Is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			s, _, err := Parse("t.conf", []byte(tt.conf))
			if err != nil {
				t.Fatal(err)
			}
			items := append(Authorities(s.Section, dir), Connections(s.Section, dir)...)
			if len(items) != 1 || items[0].Err == nil {
				t.Fatalf("got %+v", items)
			}
			if got := items[0].Err.(*FileError).Message(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
