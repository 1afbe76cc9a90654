package tests

import (
	"bytes"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// hardLogBuffer is a log sink safe to read while charond writes to it.
type hardLogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *hardLogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *hardLogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// hardDaemon is a charond whose log can be read while it runs and whose
// settings file can be rewritten.
type hardDaemon struct {
	t    *testing.T
	cmd  *exec.Cmd
	Conf string
	Path string // unix socket path, if any
	URI  string
	log  *hardLogBuffer
	done chan error
}

// startHard runs charond on uri (a fresh unix socket when empty) with conf
// as its strongswan.conf. It waits for the socket unless wait is false.
func startHard(t *testing.T, conf, uri string, wait bool) *hardDaemon {
	t.Helper()
	dir := t.TempDir()
	d := &hardDaemon{t: t, Conf: filepath.Join(dir, "strongswan.conf"), log: &hardLogBuffer{},
		done: make(chan error, 1), URI: uri}
	if uri == "" {
		d.Path = filepath.Join(dir, "charon.vici")
		d.URI = "unix://" + d.Path
	} else if p, ok := strings.CutPrefix(uri, "unix://"); ok {
		d.Path = p
	}
	if err := os.WriteFile(d.Conf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	d.cmd = exec.Command(filepath.Join(binDir, "charond"), "--config", d.Conf, "--uri", d.URI,
		"--log-level", "debug")
	d.cmd.Stderr = d.log
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { d.done <- d.cmd.Wait() }()
	t.Cleanup(func() { d.stop(10 * time.Second) })
	if wait {
		d.waitLog("charond starting")
	}
	return d
}

// waitLog waits for a log line containing s.
func (d *hardDaemon) waitLog(s string) {
	d.t.Helper()
	for range 200 {
		if strings.Contains(d.log.String(), s) {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	d.t.Fatalf("no %q in charond's log:\n%s", s, d.log)
}

// exited waits for charond to exit by itself and returns its error.
func (d *hardDaemon) exited(within time.Duration) error {
	d.t.Helper()
	select {
	case err := <-d.done:
		d.done <- err
		return err
	case <-time.After(within):
		d.t.Fatalf("charond still running after %v; log:\n%s", within, d.log)
		return nil
	}
}

// stop sends SIGTERM and returns charond's exit error; it fails the test
// if charond does not exit in time.
func (d *hardDaemon) stop(within time.Duration) error {
	if d.cmd.Process == nil {
		return nil
	}
	select {
	case err := <-d.done:
		d.done <- err
		return err
	default:
	}
	d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-d.done:
		d.done <- err
		return err
	case <-time.After(within):
		d.cmd.Process.Kill()
		d.t.Errorf("charond did not stop on SIGTERM within %v; log:\n%s", within, d.log)
		return <-d.done
	}
}

// hardRawClosed sends a frame on a fresh connection and reports whether the
// daemon closed the connection rather than answering.
func hardRawClosed(t *testing.T, path string, frame []byte) bool {
	t.Helper()
	c, err := net.Dial("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.Write(frame)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	var hdr [4]byte
	_, err = io.ReadFull(c, hdr[:])
	if os.IsTimeout(err) {
		t.Fatal("daemon neither answered nor closed the connection")
	}
	return err != nil
}
