package daemon

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/charond/charond/creds"
)

// credFiles sets up paths a client may name in file=: each bad one must
// be refused without blocking or reading it whole, the good one loaded.
func credFiles(t *testing.T) (good string, bad []string) {
	t.Helper()
	dir := t.TempDir()
	ca, _, _ := testPKI(t)
	pemCA := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca})
	good = filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(good, pemCA, 0o600); err != nil {
		t.Fatal(err)
	}
	// a valid certificate padded past the cap: only the size refuses it
	big := filepath.Join(dir, "big.pem")
	pad := []byte(strings.Repeat("#", creds.MaxFileSize))
	if err := os.WriteFile(big, append(pemCA, pad...), 0o600); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	// the order matters only before the fix: the FIFO would block, /dev/zero
	// exhaust memory, so the tests stop at the first failure
	return good, []string{big, dir, fifo, "/dev/zero"}
}

func TestLoadAuthorityFileLimits(t *testing.T) {
	good, bad := credFiles(t)
	_, h, logs := newPoolDaemon(t)
	for _, path := range bad {
		logs.Reset()
		r, _ := h.call(t, "load-authority", sec("a", sec("file", path)))
		if got := connRaw(r); got != "{success=no errmsg=CA certificate missing: a}" {
			t.Fatalf("file=%s: %s", path, got)
		}
		if !strings.Contains(logs.String(), "path="+path) ||
			strings.Count(logs.String(), "\n") != 1 {
			t.Fatalf("file=%s: want one log line naming the path, got %q", path, logs)
		}
	}
	r, _ := h.call(t, "load-authority", sec("a", sec("file", good)))
	if got := connRaw(r); got != "{success=yes}" {
		t.Fatalf("file=%s: %s", good, got)
	}
}

func TestLoadConnCertFileLimits(t *testing.T) {
	good, bad := credFiles(t)
	_, h, logs := newPoolDaemon(t)
	for _, path := range bad {
		logs.Reset()
		r, _ := h.call(t, "load-conn", sec("q", sec("local", sec("cacert1", sec("file", path)))))
		if got := connRaw(r); got !=
			"{success=no errmsg=unable to load certificate: cacert1}" {
			t.Fatalf("file=%s: %s", path, got)
		}
		if !strings.Contains(logs.String(), "path="+path) ||
			strings.Count(logs.String(), "\n") != 1 {
			t.Fatalf("file=%s: want one log line naming the path, got %q", path, logs)
		}
	}
	r, _ := h.call(t, "load-conn", sec("q", sec("local", sec("cacert1", sec("file", good)))))
	if got := connRaw(r); got != "{success=yes}" {
		t.Fatalf("file=%s: %s", good, got)
	}
}
