package tests

import (
	"bytes"
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

// ikeLab is a pair of network namespaces joined by a veth pair, as in
// the reference lab: the gateway side holds 192.0.2.1 and
// 2001:db8:ffff::1 (vsrv), the client side 192.0.2.2 and ::2 (vcli).
type ikeLab struct {
	Srv, Cli string // namespace names
	dir      string
}

var ikeSeq atomic.Int32

// newIKELab creates the namespaces; they are removed when the test ends.
func newIKELab(t *testing.T) *ikeLab {
	t.Helper()
	requireReference(t)
	id := fmt.Sprintf("ikeb-%d-%d", os.Getpid(), ikeSeq.Add(1))
	l := &ikeLab{Srv: id + "-s", Cli: id + "-c", dir: t.TempDir()}
	t.Cleanup(func() {
		for _, ns := range []string{l.Srv, l.Cli} {
			_ = exec.Command("ip", "netns", "del", ns).Run()
		}
	})
	steps := [][]string{
		{"netns", "add", l.Srv}, {"netns", "add", l.Cli},
		{"-n", l.Srv, "link", "set", "lo", "up"}, {"-n", l.Cli, "link", "set", "lo", "up"},
		{"-n", l.Srv, "link", "add", "vsrv", "type", "veth", "peer", "name", "vcli"},
		{"-n", l.Srv, "link", "set", "vcli", "netns", l.Cli},
		{"-n", l.Srv, "addr", "add", "192.0.2.1/24", "dev", "vsrv"},
		{"-n", l.Srv, "addr", "add", "2001:db8:ffff::1/64", "dev", "vsrv", "nodad"},
		{"-n", l.Cli, "addr", "add", "192.0.2.2/24", "dev", "vcli"},
		{"-n", l.Cli, "addr", "add", "2001:db8:ffff::2/64", "dev", "vcli", "nodad"},
		// the gateway's protected networks
		{"-n", l.Srv, "addr", "add", "10.1.0.1/16", "dev", "lo"},
		{"-n", l.Srv, "addr", "add", "fec1::1/64", "dev", "lo", "nodad"},
		{"-n", l.Srv, "link", "set", "vsrv", "up"}, {"-n", l.Cli, "link", "set", "vcli", "up"},
	}
	for _, s := range steps {
		if out, err := exec.Command("ip", s...).CombinedOutput(); err != nil {
			t.Fatalf("ike lab: ip %s: %v: %s", strings.Join(s, " "), err, out)
		}
	}
	return l
}

// ip runs ip in namespace ns and returns its output.
func (l *ikeLab) ip(t *testing.T, ns string, args ...string) string {
	t.Helper()
	out, err := exec.Command("ip", append([]string{"-n", ns}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("ip -n %s %s: %v: %s", ns, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// nsProc is a daemon running in a namespace.
type nsProc struct {
	name string
	cmd  *exec.Cmd
	out  *bytes.Buffer
	log  string // a log file of its own, if any
	Sock string
	URI  string
}

func (p *nsProc) start(t *testing.T) {
	t.Helper()
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", p.name, err)
	}
	t.Cleanup(func() { p.stop(t) })
	for range 200 {
		if _, err := os.Stat(p.Sock); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not create %s; output:\n%s", p.name, p.Sock, p.out)
}

// stop sends SIGTERM to the process started (its pid: ip netns exec and
// unshare exec their commands) and waits at most 15 seconds.
func (p *nsProc) stop(t *testing.T) {
	if p.cmd.Process == nil || p.cmd.ProcessState != nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
	if t.Failed() {
		t.Logf("%s output:\n%s", p.name, p.out)
		if b, err := os.ReadFile(p.log); err == nil {
			t.Logf("%s log:\n%s", p.name, b)
		}
	}
}

// fill copies a template of testdata/ike with @KEY@ replaced.
func fill(t *testing.T, tmpl, dst string, kv ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "ike", tmpl))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for i := 0; i+1 < len(kv); i += 2 {
		s = strings.ReplaceAll(s, "@"+kv[i]+"@", kv[i+1])
	}
	write(t, dst, s)
	return dst
}

// startCharondNS runs the built charond in namespace ns with IKE on.
func (l *ikeLab) startCharondNS(t *testing.T, ns, name string) *nsProc {
	t.Helper()
	return l.startCharondDP(t, ns, name, "none")
}

// startCharondDP is startCharondNS with a charond.dataplane of choice.
func (l *ikeLab) startCharondDP(t *testing.T, ns, name, dataplane string) *nsProc {
	t.Helper()
	dir := filepath.Join(l.dir, name)
	p := &nsProc{name: "charond " + name, out: &bytes.Buffer{},
		Sock: filepath.Join(dir, "charon.vici")}
	p.URI = "unix://" + p.Sock
	conf := fill(t, "charond.conf.in", filepath.Join(dir, "strongswan.conf"),
		"SOCK", p.Sock, "RESOLV", filepath.Join(dir, "resolv.conf"), "DATAPLANE", dataplane)
	p.cmd = exec.Command("ip", "netns", "exec", ns, filepath.Join(binDir, "charond"),
		"--config", conf, "--log-level", "debug")
	p.start(t)
	return p
}

// startStrongSwanNS runs Debian's charon in namespace ns with a private
// /run and ESP in userspace, using the interface link.
func (l *ikeLab) startStrongSwanNS(t *testing.T, ns, name, link string) *nsProc {
	t.Helper()
	dir := filepath.Join(l.dir, name)
	p := &nsProc{name: "strongSwan " + name, out: &bytes.Buffer{},
		Sock: filepath.Join(dir, "charon.vici"), log: filepath.Join(dir, "charon.log")}
	p.URI = "unix://" + p.Sock
	conf := fill(t, "charon.conf.in", filepath.Join(dir, "strongswan.conf"),
		"SOCK", p.Sock, "IF", link, "LOG", p.log)
	p.cmd = exec.Command("ip", "netns", "exec", ns, "unshare", "-m", "--propagation",
		"private", "sh", "-c",
		`mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF="$0" "$1"`, conf, refCharonBin)
	p.start(t)
	return p
}

// swanctlConf copies a swanctl.conf of testdata/ike into a folder of its
// own (swanctl looks for credential folders beside it).
func (l *ikeLab) swanctlConf(t *testing.T, name string) string {
	t.Helper()
	dst := filepath.Join(l.dir, "swanctl-"+strings.TrimSuffix(name, ".conf"), "swanctl.conf")
	return fill(t, name, dst)
}

// refSwanctl runs Debian's swanctl against p.
func (l *ikeLab) refSwanctl(t *testing.T, p *nsProc, args ...string) result {
	t.Helper()
	conf := filepath.Join(l.dir, "swanctl-strongswan.conf")
	if _, err := os.Stat(conf); err != nil {
		write(t, conf, fmt.Sprintf("swanctl {\n  load = %s\n}\n", swanctlPlugins))
	}
	return runSwanctl(t, refSwanctlBin, conf, l.dir, append(args, "--uri", p.URI)...)
}

// ourSwanctl runs the built swanctl against p.
func ourSwanctl(t *testing.T, p *nsProc, args ...string) result {
	t.Helper()
	return swanctl(t, "", append(args, "--uri", p.URI)...)
}

// mustOK fails the test when a swanctl run failed.
func mustOK(t *testing.T, what string, r result) string {
	t.Helper()
	if r.Code != 0 {
		t.Fatalf("%s: exit %d\nstdout:\n%s\nstderr:\n%s", what, r.Code, r.Stdout, r.Stderr)
	}
	return r.Stdout
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
