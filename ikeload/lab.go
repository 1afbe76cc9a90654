package ikeload

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

var labSeq atomic.Int32

// lab is the pair of namespaces of one run.
type lab struct {
	srv, cli string
	dir      string
}

func newLab(dir string) (*lab, error) {
	id := fmt.Sprintf("ikeb-%d-%d", os.Getpid(), labSeq.Add(1))
	l := &lab{srv: id + "-s", cli: id + "-c", dir: dir}
	steps := [][]string{
		{"netns", "add", l.srv}, {"netns", "add", l.cli},
		{"-n", l.srv, "link", "set", "lo", "up"}, {"-n", l.cli, "link", "set", "lo", "up"},
		{"-n", l.srv, "link", "add", "vsrv", "type", "veth", "peer", "name", "vcli"},
		{"-n", l.srv, "link", "set", "vcli", "netns", l.cli},
		{"-n", l.srv, "addr", "add", GatewayAddr + "/24", "dev", "vsrv"},
		{"-n", l.cli, "addr", "add", ClientAddr + "/24", "dev", "vcli"},
		{"-n", l.srv, "addr", "add", "10.1.0.1/16", "dev", "lo"},
		{"-n", l.srv, "link", "set", "vsrv", "up"}, {"-n", l.cli, "link", "set", "vcli", "up"},
	}
	for _, s := range steps {
		if out, err := exec.Command("ip", s...).CombinedOutput(); err != nil {
			l.close()
			return nil, fmt.Errorf("ikeload: ip %s: %v: %s", strings.Join(s, " "), err, out)
		}
	}
	return l, nil
}

func (l *lab) close() {
	for _, ns := range []string{l.srv, l.cli} {
		_ = exec.Command("ip", "netns", "del", ns).Run()
	}
}

// daemon is a gateway or client process in a namespace.
type daemon struct {
	kind string // Charond or StrongSwan
	sock string
	log  string
	cmd  *exec.Cmd
	done chan struct{}
}

// start runs a daemon of kind in namespace ns; iface is its side of the
// veth pair, client says whether it is the initiating side.
func (l *lab) start(kind, name, ns, iface, charondBin string, client bool) (*daemon, error) {
	dir := filepath.Join(l.dir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	d := &daemon{kind: kind, sock: filepath.Join(dir, "charon.vici"),
		log: filepath.Join(dir, "daemon.log"), done: make(chan struct{})}
	conf := filepath.Join(dir, "strongswan.conf")
	var text string
	switch kind {
	case Charond:
		text = charondConf(d.sock, filepath.Join(dir, "resolv.conf"), client)
		d.cmd = exec.Command("ip", "netns", "exec", ns, charondBin, "--config", conf,
			"--log-level", "info")
	case StrongSwan:
		text = charonConf(d.sock, d.log, iface, client)
		// ip netns exec and unshare exec their commands: the pid is charon's.
		d.cmd = exec.Command("ip", "netns", "exec", ns, "unshare", "-m", "--propagation",
			"private", "sh", "-c",
			`mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF="$0" "$1"`, conf, CharonBin)
	default:
		return nil, fmt.Errorf("ikeload: unknown daemon %q", kind)
	}
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		return nil, err
	}
	out, err := os.Create(filepath.Join(dir, "output.log"))
	if err != nil {
		return nil, err
	}
	d.cmd.Stdout, d.cmd.Stderr = out, out
	if err := d.cmd.Start(); err != nil {
		out.Close()
		return nil, fmt.Errorf("ikeload: starting %s: %w", kind, err)
	}
	go func() { _ = d.cmd.Wait(); out.Close(); close(d.done) }()
	for range 200 {
		if _, err := os.Stat(d.sock); err == nil {
			return d, nil
		}
		select {
		case <-d.done:
			return nil, fmt.Errorf("ikeload: %s exited; see %s", kind, out.Name())
		case <-time.After(50 * time.Millisecond):
		}
	}
	d.stop()
	return nil, fmt.Errorf("ikeload: %s made no VICI socket in 10s", kind)
}

// stop sends SIGTERM to the process started and kills it after 20s.
func (d *daemon) stop() {
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(20 * time.Second):
		_ = d.cmd.Process.Kill()
		<-d.done
	}
}
