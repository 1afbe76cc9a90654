package tests

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// Paths of Debian's strongSwan 5.9.8, the reference the interop tests
// compare charond with. The project's test script installs them.
const (
	refCharonBin  = "/usr/lib/ipsec/charon"
	refSwanctlBin = "/usr/sbin/swanctl"
)

// refPlugins are the plugins of the reference charon: local ones only.
const refPlugins = "random nonce aes sha1 sha2 md5 hmac gmp curve25519 x509 pubkey pem " +
	"pkcs1 pkcs8 constraints kdf kernel-netlink socket-default vici counters openssl"

// swanctlPlugins are the plugins Debian's swanctl loads in these tests.
const swanctlPlugins = "pem pkcs1 pkcs8 x509 pubkey gmp random nonce aes sha1 sha2 md5 " +
	"hmac curve25519 openssl"

var refSeq atomic.Int32

// refCharon is Debian's charon running in a network namespace of its own,
// with a private /run, its VICI socket in a folder of the test.
type refCharon struct {
	URI  string
	ns   string
	cmd  *exec.Cmd
	out  *bytes.Buffer
	conf string // strongswan.conf for Debian's swanctl
}

// requireReference fails the test when the reference tools or root are
// missing: the interop suite is part of CI, so it must not pass silently.
func requireReference(t *testing.T) {
	t.Helper()
	for _, p := range []string{refCharonBin, refSwanctlBin} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("interop: %s missing: install Debian's strongswan-charon and "+
				"strongswan-swanctl (scripts/test.sh does)", p)
		}
	}
	if os.Geteuid() != 0 {
		t.Fatal("interop: the reference charon runs in a network namespace: run as root")
	}
}

// startRefCharon starts the reference charon; it is stopped and its
// namespace removed when the test ends.
func startRefCharon(t *testing.T) *refCharon {
	t.Helper()
	requireReference(t)
	dir := t.TempDir()
	r := &refCharon{
		ns:  fmt.Sprintf("drop-ref-%d-%d", os.Getpid(), refSeq.Add(1)),
		out: &bytes.Buffer{},
	}
	sock := filepath.Join(dir, "charon.vici")
	r.URI = "unix://" + sock
	conf := filepath.Join(dir, "strongswan.conf")
	write(t, conf, fmt.Sprintf(`charon {
  load_modular = no
  load = %s
  plugins {
    vici {
      socket = unix://%s
    }
  }
  syslog {
    daemon {
      default = -1
    }
  }
}
`, refPlugins, sock))
	r.conf = filepath.Join(dir, "swanctl-strongswan.conf")
	write(t, r.conf, fmt.Sprintf("swanctl {\n  load = %s\n}\n", swanctlPlugins))

	if out, err := exec.Command("ip", "netns", "add", r.ns).CombinedOutput(); err != nil {
		t.Fatalf("interop: ip netns add %s: %v: %s", r.ns, err, out)
	}
	t.Cleanup(r.stop)
	if out, err := exec.Command("ip", "-n", r.ns, "link", "set", "lo", "up").
		CombinedOutput(); err != nil {
		t.Fatalf("interop: lo up in %s: %v: %s", r.ns, err, out)
	}
	// ip netns exec and unshare exec their command, so the pid is charon's.
	r.cmd = exec.Command("ip", "netns", "exec", r.ns, "unshare", "-m", "--propagation",
		"private", "sh", "-c",
		`mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF="$0" "$1"`, conf, refCharonBin)
	r.cmd.Stdout, r.cmd.Stderr = r.out, r.out
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("interop: starting charon: %v", err)
	}
	for range 100 {
		if _, err := os.Stat(sock); err == nil {
			return r
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("interop: reference charon did not create %s; output:\n%s", sock, r.out)
	return nil
}

func (r *refCharon) stop() {
	if r.cmd != nil && r.cmd.Process != nil && r.cmd.ProcessState == nil {
		_ = r.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = r.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = r.cmd.Process.Kill()
			<-done
		}
	}
	_ = exec.Command("ip", "netns", "del", r.ns).Run()
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runSwanctl runs a swanctl binary with the strongswan.conf conf, in dir,
// which is also its swanctl folder (SWANCTL_DIR).
// A refused connect is retried: the reference listens with a backlog of 3.
func runSwanctl(t *testing.T, bin, conf, dir string, args ...string) result {
	t.Helper()
	var r result
	for try := 0; try < 20; try++ {
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "STRONGSWAN_CONF="+conf, "SWANCTL_DIR="+dir)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		r = result{Stdout: out.String(), Stderr: dropPluginNotes(errb.String())}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			r.Code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("%s %v: %v", bin, args, err)
		}
		if !strings.Contains(r.Stderr, "Connection refused") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return r
}

// dropPluginNotes removes Debian swanctl's complaints about plugins it
// cannot load (curve25519 lives in charon's plugin folder only).
func dropPluginNotes(s string) string {
	var out []string
	for _, l := range strings.SplitAfter(s, "\n") {
		if strings.HasPrefix(l, "plugin '") && strings.Contains(l, "failed to load") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "")
}
